//go:build linux

package rowindex

import (
	"syscall"
	"unsafe"
)

// hugePage is the size of a transparent huge page on linux/amd64 and
// linux/arm64 (with 4 KB base pages).
const hugePage = 2 << 20

// adviseHuge asks the kernel to back the whole 2 MB pages of a large,
// fresh allocation with transparent huge pages. Every page of memory a
// new process touches for the first time costs a fault, which on a
// virtual machine took some 10 µs: a million rows' search text, keys and
// order are some 30,000 of them in 4 KB pages, fifteen in 2 MB ones. A
// kernel without huge pages, or set not to give them, ignores the advice.
func adviseHuge(p unsafe.Pointer, size uintptr) {
	start := (uintptr(p) + hugePage - 1) &^ (hugePage - 1)
	end := (uintptr(p) + size) &^ (hugePage - 1)
	if end <= start {
		return
	}
	// The address goes to the system call as a number, never back to a
	// pointer.
	_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, start, end-start, syscall.MADV_HUGEPAGE)
}
