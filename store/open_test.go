package store

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"

	"charter/model"
)

func TestMustExistCreatesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "typo")
	path := filepath.Join(dir, "charterr.db")
	for _, ro := range []bool{false, true} {
		db, err := Open(path, Options{MustExist: true, ReadOnly: ro})
		if err == nil {
			db.Close()
			t.Fatalf("read-only %v: opened a missing file", ro)
		}
		if !errors.Is(err, os.ErrNotExist) || err.Error() != "database "+path+" does not exist" {
			t.Errorf("read-only %v: %v", ro, err)
		}
		if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("read-only %v: the directory was created (%v)", ro, err)
		}
	}

	// A file that exists but holds nothing is not laid out or seeded.
	empty := filepath.Join(t.TempDir(), "empty.db")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(empty, Options{MustExist: true})
	if !errors.Is(err, os.ErrNotExist) || err.Error() != "database "+empty+" is empty: no charter database has been created in it" {
		t.Errorf("empty file: %v", err)
	}
	if fi, err := os.Stat(empty); err != nil || fi.Size() != 0 {
		t.Errorf("the empty file was written to: %v", err)
	}
	// One that bbolt has initialised but charter never laid out is
	// refused too, and not laid out.
	b, err := bolt.Open(empty, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	b.Close()
	_, err = Open(empty, Options{MustExist: true})
	if !errors.Is(err, os.ErrNotExist) || err.Error() != "database "+empty+" is empty: no charter database has been created in it" {
		t.Errorf("initialised file: %v", err)
	}
	b, err = bolt.Open(empty, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	b.View(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketMeta) != nil {
			t.Error("the empty file was laid out")
		}
		return nil
	})
	b.Close()

	// An existing database opens as usual, read-write or read-only.
	made := filepath.Join(t.TempDir(), "made.db")
	db, err := Open(made, Options{})
	if err != nil || !db.Seeded() {
		t.Fatalf("create: %v", err)
	}
	db.Close()
	for _, ro := range []bool{false, true} {
		db, err := Open(made, Options{MustExist: true, ReadOnly: ro})
		if err != nil {
			t.Fatalf("read-only %v: %v", ro, err)
		}
		if n, _ := db.CountSignatories(); n != 40 || db.Seeded() {
			t.Errorf("read-only %v: %d signatories, seeded %v", ro, n, db.Seeded())
		}
		db.Close()
	}
}

func TestGrowStep(t *testing.T) {
	for _, tc := range []struct {
		size int64
		want int
	}{
		{0, 64 << 10},
		{16 << 10, 64 << 10},
		{1 << 20, 128 << 10},
		{100 << 20, 100 << 17},
		{1 << 30, 16 << 20},
	} {
		if got := growStep(tc.size); got != tc.want {
			t.Errorf("growStep(%d) = %d, want %d", tc.size, got, tc.want)
		}
	}
}

// A new database is about the size of what it holds (it was 16.9 MB for
// the seeded 40 records and 169 returns), and grows as it needs.
func TestNewFileSize(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var used int64
	db.bolt.View(func(tx *bolt.Tx) error { used = tx.Size(); return nil })
	fi, _ := os.Stat(path)
	// bbolt grows to the end of the last page written plus one step.
	const slack = minGrowStep + 16<<10
	if fi.Size() > used+slack || fi.Size() > 512<<10 {
		t.Errorf("new seeded file is %d bytes for %d in use", fi.Size(), used)
	}
	if _, err := db.ImportSignatories(genRows(5000, "Grow"), model.ImportOptions{}, "t"); err != nil {
		t.Fatal(err)
	}
	db.bolt.View(func(tx *bolt.Tx) error { used = tx.Size(); return nil })
	grown, _ := os.Stat(path)
	if grown.Size() < used || grown.Size() > used+slack {
		t.Errorf("after 5,000 rows the file is %d bytes for %d in use", grown.Size(), used)
	}
	db.Close()
	if err := CheckFile(path); err != nil {
		t.Error(err)
	}
}
