//go:build !linux

package store

// releaseMapped is a no-op where madvise is not available.
func (db *DB) releaseMapped() {}
