//go:build linux

package tui

import (
	"syscall"
	"unsafe"
)

// adviseHuge asks the kernel to back the whole 2 MB pages of a fresh
// allocation with transparent huge pages; a kernel without them, or set
// not to give them, ignores the advice.
func adviseHuge(p unsafe.Pointer, size uintptr) {
	const hugePage = 2 << 20
	start := (uintptr(p) + hugePage - 1) &^ (hugePage - 1)
	end := (uintptr(p) + size) &^ (hugePage - 1)
	if end <= start {
		return
	}
	// The address goes to the system call as a number, never back to a
	// pointer.
	_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, start, end-start, syscall.MADV_HUGEPAGE)
}
