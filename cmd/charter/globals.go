package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"charter/model"
	"charter/store"
)

// globals are the flags several commands share, and the outside world.
type globals struct {
	e        *env
	db       string // as given with --db; see path
	reviewer string // as given with --reviewer; see who
}

// dbFlag gives a command the --db flag. It is declared on each command
// that opens the database (not inherited by all), so help lists it only
// where it means something; `charter --db X export` works too, as cobra
// parses a command's flags wherever they stand.
func (g *globals) dbFlag(cmd *cobra.Command) {
	cmd.Flags().StringVar(&g.db, "db", "", "database FILE (default $CHARTER_DB, else $XDG_DATA_HOME/charter/charter.db)")
	_ = cmd.MarkFlagFilename("db", "db")
}

// reviewerFlag gives a command that records writes the --reviewer flag.
func (g *globals) reviewerFlag(cmd *cobra.Command) {
	cmd.Flags().StringVar(&g.reviewer, "reviewer", "", "NAME recorded in the history of what you change (default: your user name)")
}

// path is the database file: --db, else the environment's default.
func (g *globals) path() string {
	if g.db != "" {
		return g.db
	}
	return defaultDB(g.e.getenv)
}

// who is the reviewer recorded in history.
func (g *globals) who() string {
	if g.reviewer != "" {
		return g.reviewer
	}
	return defaultReviewer(g.e.getenv)
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

// open opens the database read-write, creating and seeding it if there is
// none yet (the workbench, serve and import), and says so once.
func (g *globals) open() (*store.DB, error) {
	db, err := store.Open(g.path(), store.Options{Now: time.Now})
	if err != nil {
		return nil, err
	}
	if db.Seeded() {
		fmt.Fprintf(g.e.stderr, "charter: created %s with the West Midlands audit and 40 fictional sample signatories\n",
			model.SanitizeLine(db.Path()))
	}
	for _, note := range db.RefreshedOnOpen() {
		fmt.Fprintf(g.e.stderr, "charter: %s\n", model.SanitizeLine(note))
	}
	return db, nil
}

// mustExist refuses a database file that is not there, so commands that
// only read never create one (a mistyped --db would otherwise answer with
// the sample data).
func mustExist(path string) error {
	_, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return &missingDB{path: path}
	case err != nil:
		return fmt.Errorf("database %s: %w", path, err)
	}
	return nil
}

// missingDB is a database file that does not exist.
type missingDB struct{ path string }

func (m *missingDB) Error() string {
	return fmt.Sprintf("no database at %s (check --db or CHARTER_DB; the workbench and `charter import` create one)", m.path)
}

// Is makes errors.Is(err, os.ErrNotExist) true.
func (m *missingDB) Is(target error) bool { return target == os.ErrNotExist }

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// readAudit reads the whole audit from the database, opened for reading
// and closed again.
func (g *globals) readAudit() (*model.Audit, error) {
	db, err := g.openForReading()
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return db.Audit()
}

// openForReading opens an existing database read-only (so several readers
// can share it); a missing file is an error naming it. If a
// charter process (the workbench or the server) holds the file, it reads a
// consistent snapshot instead: the holder writes a backup, which is opened
// and removed again on close. So exports and reports work while the group
// is at work.
func (g *globals) openForReading() (reader, error) {
	path := g.path()
	if err := mustExist(path); err != nil {
		return nil, err
	}
	db, err := g.openReader(path)
	if !errors.Is(err, model.ErrInUse) {
		return db, err
	}
	dir, terr := os.MkdirTemp("", "charter-snapshot-")
	if terr != nil {
		return nil, err
	}
	snap := filepath.Join(dir, "snapshot.db")
	if _, berr := store.Backup(path, snap, store.BackupOptions{Timeout: time.Minute}); berr != nil {
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

func (g *globals) openReader(path string) (reader, error) {
	// A reader that finds the file busy asks for a snapshot instead, so
	// it need not wait long for the lock.
	db, err := store.Open(path, store.Options{ReadOnly: true, MustExist: true, Now: time.Now, Timeout: 250 * time.Millisecond})
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
