package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"

	"charter/model"
)

// Backup writes a consistent copy of the open database to dst. It reads in
// one transaction, so writers carry on while it runs; the copy is synced
// to disk and only then renamed into place.
func (db *DB) Backup(dst string) error {
	tmp := dst + ".tmp"
	err := db.bolt.View(func(tx *bolt.Tx) error {
		f, err := os.OpenFile(tmp, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
		if err != nil {
			return err
		}
		if _, err := tx.WriteTo(f); err != nil {
			f.Close()
			return err
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	})
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("backup to %s: %w", dst, err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("backup to %s: %w", dst, err)
	}
	if d, err := os.Open(filepath.Dir(dst)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// Backup copies the database at dbPath to dst whether or not another
// process has it open: if the file is free it is opened read-only and
// copied; if a charter process holds it, that process is asked to write
// the copy through its control socket.
func Backup(dbPath, dst string, timeout time.Duration) error {
	abs, err := filepath.Abs(dst)
	if err != nil {
		return err
	}
	db, err := Open(dbPath, Options{ReadOnly: true, Timeout: 200 * time.Millisecond})
	if err == nil {
		defer db.Close()
		return db.Backup(abs)
	}
	if !errors.Is(err, model.ErrInUse) {
		return err
	}
	if cerr := requestBackup(dbPath, abs, timeout); cerr != nil {
		return fmt.Errorf("%v, and asking it for a backup failed: %w", err, cerr)
	}
	return nil
}
