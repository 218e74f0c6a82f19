//go:build !linux

package store

import "unsafe"

// adviseHuge does nothing where transparent huge pages are not asked for
// with madvise.
func adviseHuge(unsafe.Pointer, uintptr) {}

// dropMapped does nothing where madvise is not available.
func dropMapped(lo, hi uintptr) {}
