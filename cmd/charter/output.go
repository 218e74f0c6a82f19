package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"charter/model"
)

// writeOutput writes a command's result to standard output, or to a file.
//
// On a terminal the bytes are neutralised like every other output (escape
// sequences, C0 and C1 controls and bidirectional controls from the data
// are removed, newlines kept); to a pipe or a file they are exact.
//
// A file is written through a temporary file beside it and a rename, so a
// reader never sees half a file. It is created with mode 0666 less the
// user's umask, as the shell's `>` would: an export holds names and
// e-mail addresses, and a umask of 077 must keep them private.
func writeOutput(e *env, path string, data []byte) error {
	if path == "" || path == "-" {
		if e.terminal(e.stdout) {
			data = []byte(model.Sanitize(string(data), true))
		}
		_, err := e.stdout.Write(data)
		return err
	}
	tmp, err := createTemp(path)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// createTemp creates a new file beside path with mode 0666 (the kernel
// applies the umask; os.CreateTemp would force 0600).
func createTemp(path string) (*os.File, error) {
	for range 100 {
		var b [6]byte
		rand.Read(b[:])
		name := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+"."+hex.EncodeToString(b[:]))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return f, err
	}
	return nil, errors.New("cannot find a free temporary file name")
}
