//go:build !linux

package tui

import "unsafe"

// adviseHuge does nothing where transparent huge pages are not asked for
// by madvise.
func adviseHuge(unsafe.Pointer, uintptr) {}
