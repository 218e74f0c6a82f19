package main

import (
	"errors"
	"flag"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"time"

	"golang.org/x/term"

	"charter/model"
	"charter/store"
)

// globals are the flags every command accepts.
type globals struct {
	db       string
	reviewer string
}

func (g *globals) register(fs *flag.FlagSet, e *env) {
	if g.db == "" {
		g.db = defaultDB(e.getenv)
	}
	if g.reviewer == "" {
		g.reviewer = defaultReviewer(e.getenv)
	}
	fs.StringVar(&g.db, "db", g.db, "database `path`")
	fs.StringVar(&g.reviewer, "reviewer", g.reviewer, "reviewer `name` recorded in history")
}

// defaultDB follows the XDG base directory rules.
func defaultDB(getenv func(string) string) string {
	if p := getenv("CHARTER_DB"); p != "" {
		return p
	}
	if d := getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "charter", "charter.db")
	}
	home := getenv("HOME")
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	return filepath.Join(home, ".local", "share", "charter", "charter.db")
}

func defaultReviewer(getenv func(string) string) string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	if n := getenv("USER"); n != "" {
		return n
	}
	return "unknown"
}

// open opens the database for a command.
func (g *globals) open(readOnly bool) (*store.DB, error) {
	return store.Open(g.db, store.Options{ReadOnly: readOnly, Now: time.Now})
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// openForReading opens an existing database read-only (so several readers
// can share it), or creates and seeds it if there is none yet. If a
// charter process (the workbench or the server) holds the file, it reads a
// consistent snapshot instead: the holder writes a backup, which is opened
// and removed again on close. So exports and reports work while the group
// is at work.
func (g *globals) openForReading() (reader, error) {
	if _, err := os.Stat(g.db); os.IsNotExist(err) {
		return g.openReader(false)
	}
	db, err := g.openReader(true)
	if !errors.Is(err, model.ErrInUse) {
		return db, err
	}
	dir, terr := os.MkdirTemp("", "charter-snapshot-")
	if terr != nil {
		return nil, err
	}
	snap := filepath.Join(dir, "snapshot.db")
	if berr := store.Backup(g.db, snap, time.Minute); berr != nil {
		os.RemoveAll(dir)
		return nil, berr
	}
	sdb, oerr := store.Open(snap, store.Options{ReadOnly: true})
	if oerr != nil {
		os.RemoveAll(dir)
		return nil, oerr
	}
	return &snapshot{DB: sdb, dir: dir}, nil
}

func (g *globals) openReader(readOnly bool) (reader, error) {
	// A reader that finds the file busy asks for a snapshot instead, so
	// it need not wait long for the lock.
	db, err := store.Open(g.db, store.Options{ReadOnly: readOnly, Now: time.Now, Timeout: 250 * time.Millisecond})
	if err != nil {
		return nil, err
	}
	return db, nil
}

// reader is what exports and reports read from.
type reader interface {
	Signatories() ([]model.Signatory, error)
	Audit() (*model.Audit, error)
	Close() error
}

// snapshot is a read-only copy that removes itself when closed.
type snapshot struct {
	*store.DB
	dir string
}

func (s *snapshot) Close() error {
	err := s.DB.Close()
	os.RemoveAll(s.dir)
	return err
}
