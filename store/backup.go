package store

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"

	"charter/model"
)

// BackupOptions steer Backup.
type BackupOptions struct {
	// Force lets the backup replace an existing destination file.
	Force bool
	// Timeout bounds the wait for a process holding the database to write
	// the copy; 0 means five minutes.
	Timeout time.Duration
}

// BackupResult says what was written and how it was verified.
type BackupResult struct {
	// Path is the absolute path of the copy.
	Path string
	// Size and SHA256 describe the copy; the writer reported them and they
	// were recomputed from the file before Backup returned.
	Size   int64
	SHA256 string
	// ViaHolder is true when another process held the database and wrote
	// the copy through its control socket.
	ViaHolder bool
	// Check is the check of the written copy, which passed.
	Check CheckReport
}

// ErrExists is returned when a backup destination exists and Force is not
// set.
var ErrExists = errors.New("already exists")

// Backup writes a consistent copy of the open database to dst, refusing
// to replace an existing file.
func (db *DB) Backup(dst string) error {
	abs, err := filepath.Abs(dst)
	if err != nil {
		return err
	}
	_, _, err = db.backupTo(abs, false)
	return err
}

// backupTo writes the copy through dst+".tmp", created exclusively and
// never through a symbolic link, so nothing planted there is followed or
// overwritten. It reads in one transaction, so writers carry on while it
// runs; the copy is synced to disk and only then moved into place, without
// replacing an existing dst unless force. It returns the size and SHA-256
// of what it wrote.
func (db *DB) backupTo(dst string, force bool) (int64, string, error) {
	fail := func(err error) (int64, string, error) {
		return 0, "", fmt.Errorf("backup to %s: %w", dst, err)
	}
	if !force {
		if _, err := os.Lstat(dst); err == nil {
			return fail(fmt.Errorf("%w; use --force to replace it", ErrExists))
		}
	}
	tmp := dst + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL|syscall.O_NOFOLLOW, 0o600)
	if errors.Is(err, os.ErrExist) {
		return fail(fmt.Errorf("%s already exists (another backup running, or one that failed left it); remove it and try again", tmp))
	}
	if err != nil {
		return fail(err)
	}
	h := sha256.New()
	var size int64
	err = db.bolt.View(func(tx *bolt.Tx) error {
		n, err := tx.WriteTo(io.MultiWriter(f, h))
		size = n
		return err
	})
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return fail(err)
	}
	if err := place(tmp, dst, force); err != nil {
		os.Remove(tmp)
		return fail(err)
	}
	if d, err := os.Open(filepath.Dir(dst)); err == nil {
		d.Sync()
		d.Close()
	}
	return size, hex.EncodeToString(h.Sum(nil)), nil
}

// place moves tmp to dst. Without force a hard link does it, which fails
// if dst appeared meanwhile instead of replacing it.
func place(tmp, dst string, force bool) error {
	if force {
		return os.Rename(tmp, dst)
	}
	err := os.Link(tmp, dst)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%w; use --force to replace it", ErrExists)
	}
	if err != nil {
		// Some file systems have no hard links; check, then rename.
		if _, serr := os.Lstat(dst); serr == nil {
			return fmt.Errorf("%w; use --force to replace it", ErrExists)
		}
		return os.Rename(tmp, dst)
	}
	return os.Remove(tmp)
}

// Backup copies the database at dbPath to dst whether or not another
// process has it open: if the file is free it is opened read-only and
// copied; if a charter process holds it, that process is asked to write
// the copy through its control socket. Either way the result is verified
// here before Backup reports success: the file's size and SHA-256 must be
// what the writer reported, and the file must pass a check.
func Backup(dbPath, dst string, opt BackupOptions) (BackupResult, error) {
	if opt.Timeout <= 0 {
		opt.Timeout = 5 * time.Minute
	}
	abs, err := filepath.Abs(dst)
	if err != nil {
		return BackupResult{}, err
	}
	res := BackupResult{Path: abs}
	var before os.FileInfo
	if fi, err := os.Lstat(abs); err == nil {
		if !opt.Force {
			return res, fmt.Errorf("backup to %s: %w; use --force to replace it", abs, ErrExists)
		}
		before = fi
	}
	db, err := Open(dbPath, Options{ReadOnly: true, Timeout: 200 * time.Millisecond})
	switch {
	case err == nil:
		res.Size, res.SHA256, err = db.backupTo(abs, opt.Force)
		db.Close()
		if err != nil {
			return res, err
		}
	case errors.Is(err, model.ErrInUse):
		rep, cerr := ask(dbPath, controlRequest{Op: "backup", Dst: abs, Force: opt.Force}, opt.Timeout)
		if cerr != nil {
			return res, fmt.Errorf("%v, and asking it for a backup failed: %w", err, cerr)
		}
		res.Size, res.SHA256, res.ViaHolder = rep.Size, rep.SHA256, true
	default:
		return res, err
	}
	if err := verifyCopy(abs, res.Size, res.SHA256, before); err != nil {
		return res, fmt.Errorf("backup to %s: %w", abs, err)
	}
	report, err := CheckPath(abs, opt.Timeout)
	if err != nil {
		return res, fmt.Errorf("the backup %s does not pass its check: %w", abs, err)
	}
	res.Check = report
	return res, nil
}

// verifyCopy recomputes what the writer said it wrote. A reply alone
// proves nothing: the file must be a new one, a regular file, and hold
// exactly the reported bytes.
func verifyCopy(path string, size int64, sum string, before os.FileInfo) error {
	if size <= 0 || len(sum) != sha256.Size*2 {
		return errors.New("the writer reported no size or checksum")
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return fmt.Errorf("the copy cannot be read: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return errors.New("the copy is not a regular file")
	}
	if before != nil && os.SameFile(before, fi) {
		return errors.New("the file there is the one that was there before; no copy was written")
	}
	if fi.Size() != size {
		return fmt.Errorf("the copy is %d bytes, the writer reported %d", fi.Size(), size)
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return fmt.Errorf("the copy cannot be read: %w", err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sum {
		return fmt.Errorf("the copy's SHA-256 is %s, the writer reported %s", got, sum)
	}
	return nil
}
