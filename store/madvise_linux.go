package store

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// hugePage is the size of a transparent huge page on linux/amd64 and
// linux/arm64 (with 4 KB base pages).
const hugePage = 2 << 20

// adviseHuge asks the kernel to back a large, fresh allocation with
// transparent huge pages. A new process's heap is otherwise faulted in
// 4 KB at a time as the records are decoded into it: 14,000 faults for
// 100,000 records, which on a virtual machine took longer than decoding
// them. The advice covers the 2 MB pages that lie wholly inside the
// allocation; it changes nothing but how the memory is mapped, and a
// kernel without huge pages ignores it.
func adviseHuge(p unsafe.Pointer, size uintptr) {
	start := (uintptr(p) + hugePage - 1) &^ (hugePage - 1)
	end := (uintptr(p) + size) &^ (hugePage - 1)
	if end <= start {
		return
	}
	_, _, _ = unix.Syscall(unix.SYS_MADVISE, start, end-start, unix.MADV_HUGEPAGE)
}

// osPage is the size of a page of memory.
var osPage = uintptr(unix.Getpagesize())

// dropMapped tells the kernel the process is done with the whole pages of
// the database mapping between lo and hi (the partial pages at either end
// stay). The mapping stays valid: a page read again is mapped again from
// the page cache. A load calls it as it goes, so a million records' pages
// are not all resident at once on top of the records decoded from them.
func dropMapped(lo, hi uintptr) {
	lo = (lo + osPage - 1) &^ (osPage - 1)
	hi &^= osPage - 1
	if hi <= lo {
		return
	}
	_, _, _ = unix.Syscall(unix.SYS_MADVISE, lo, hi-lo, unix.MADV_DONTNEED)
}
