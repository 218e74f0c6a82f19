//go:build linux

package store

import (
	bolt "go.etcd.io/bbolt"
	"golang.org/x/sys/unix"
)

// releaseMapped tells the kernel this process no longer needs the pages of
// the database it has read through the memory map. After a full scan
// (100,000 records) they would otherwise stay in the process's resident
// set; the kernel keeps them in its page cache, so reading them again
// costs little, and the mapping stays valid: a page read again is simply
// mapped again.
func (db *DB) releaseMapped() {
	// Inside a read transaction the mapping cannot move (bbolt remaps only
	// when no reader holds it), so the address stays good while we use it.
	_ = db.bolt.View(func(tx *bolt.Tx) error {
		info := db.bolt.Info()
		size := tx.Size() // bytes of the file in use, all within the mapping
		if info == nil || info.Data == 0 || size <= 0 {
			return nil
		}
		// The address comes from bbolt as a number; passing it straight to
		// the system call avoids turning it back into a Go pointer.
		if _, _, errno := unix.Syscall(unix.SYS_MADVISE, info.Data, uintptr(size), unix.MADV_DONTNEED); errno != 0 {
			return errno
		}
		return nil
	})
}
