package main

import (
	"flag"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"time"

	"golang.org/x/term"

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
// can share it), or creates and seeds it if there is none yet.
func (g *globals) openForReading() (*store.DB, error) {
	if _, err := os.Stat(g.db); os.IsNotExist(err) {
		return g.open(false)
	}
	return g.open(true)
}
