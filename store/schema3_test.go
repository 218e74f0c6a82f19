package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"charter/model"
)

// v2Records rewrites every signatory of a closed file as schema 2 stored
// it (encoding/json of model.Signatory) and marks the file schema 2.
func v2Records(t *testing.T, path string) {
	t.Helper()
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	err = b.Update(func(tx *bolt.Tx) error {
		sig := tx.Bucket(bucketSig)
		type kv struct{ k, v []byte }
		var all []kv
		err := sig.ForEach(func(k, v []byte) error {
			var s model.Signatory
			if err := decodeSignatory(v, &s); err != nil {
				return err
			}
			js, err := json.Marshal(&s)
			if err != nil {
				return err
			}
			all = append(all, kv{append([]byte(nil), k...), js})
			return nil
		})
		if err != nil {
			return err
		}
		for _, e := range all {
			if err := sig.Put(e.k, e.v); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put(keySchema, []byte("2"))
	})
	if err != nil {
		t.Fatal(err)
	}
}

// makeV2File builds a schema-2 file: the seeded dataset, 5,000 imported
// records (more than one migration batch), and records that were
// reviewed with evidence, withdrawn, edited and deleted, so that every
// field and every kind of history is there. It returns the file and its
// records as schema 2 held them.
func makeV2File(t *testing.T) (string, []model.Signatory) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "v2.db")
	db, err := Open(path, Options{Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ImportSignatories(benchRows(5000), model.ImportOptions{}, "importer"); err != nil {
		t.Fatal(err)
	}
	page, err := db.SignatoryPage(41, 3) // imported rows 1–3 (row 0 is withdrawn)
	if err != nil || len(page) != 3 {
		t.Fatalf("%d, %v", len(page), err)
	}
	day := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	s := page[0]
	s.ReviewStatus = model.StatusVerified
	s.LastReviewedOn, s.LastReviewedBy = day, "Sam Reviewer"
	s.SetEvidence(model.BanTheBox, "application form has no conviction question", "Sam Reviewer", day)
	s.SetVacancyEvidence("careers page", "Sam Reviewer", day)
	if err := db.UpdateSignatory(&s, "sam"); err != nil {
		t.Fatal(err)
	}
	w, err := model.Withdraw(page[1], "signed by mistake", "Kim", day)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.UpdateSignatory(&w, "kim"); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteSignatory(page[2].ID, page[2].Version, "lee"); err != nil {
		t.Fatal(err)
	}
	want, err := db.Signatories()
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	v2Records(t, path)
	return path, want
}

func sameRecords(t *testing.T, what string, got, want []model.Signatory) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d records, want %d", what, len(got), len(want))
	}
	for i := range want {
		if d := sameSignatory(&got[i], &want[i]); d != "" {
			t.Fatalf("%s: record %d: %s", what, i, d)
		}
	}
}

// rawForms counts the stored records by their first byte: JSON ('{') or
// binary (the format byte).
func rawForms(t *testing.T, db *DB) (jsonN, binaryN int) {
	t.Helper()
	db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSig).ForEach(func(_, v []byte) error {
			switch v[0] {
			case '{':
				jsonN++
			case sigFormat1:
				binaryN++
			}
			return nil
		})
	})
	return
}

func TestMigrateV2File(t *testing.T) {
	path, want := makeV2File(t)
	n := len(want) // 40 seeded + 5,000 imported - 1 deleted
	if n != 5039 {
		t.Fatalf("the file holds %d records", n)
	}
	if err := CheckFile(path); err != nil {
		t.Fatalf("the schema-2 file fails its check: %v", err)
	}
	before, _ := os.ReadFile(path)

	// Read-only, the file is read as schema 2 and left alone.
	ro, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if ro.Schema() != 2 || len(ro.Migration()) != 0 {
		t.Fatalf("read-only: schema %d, migration %v", ro.Schema(), ro.Migration())
	}
	all, err := ro.Signatories()
	if err != nil {
		t.Fatal(err)
	}
	sameRecords(t, "read-only schema 2", all, want)
	page, err := ro.SignatoryPage(want[41].ID-1, 2)
	if err != nil {
		t.Fatal(err)
	}
	sameRecords(t, "a page of schema 2", page, want[41:43])
	history, err := ro.SignatoryHistory(want[41].ID) // imported, then reviewed
	if err != nil || len(history) != 2 {
		t.Fatalf("history %v, %v", history, err)
	}
	tiers, _ := ro.TierCounts()
	ro.Close()
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Fatal("a read-only open changed the file")
	}

	// Read-write, every record is re-encoded in one step.
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if db.Schema() != 3 {
		t.Fatalf("schema %d after migration", db.Schema())
	}
	if notes := db.Migration(); !slices.Contains(notes, fmt.Sprintf("schema 2 → 3: %d of %d signatories re-encoded from JSON into the binary record form", n, n)) {
		t.Errorf("notes: %q", notes)
	}
	if j, b := rawForms(t, db); j != 0 || b != n {
		t.Errorf("after migration %d records are JSON and %d binary", j, b)
	}
	all, err = db.Signatories()
	if err != nil {
		t.Fatal(err)
	}
	sameRecords(t, "migrated", all, want)
	if h, _ := db.SignatoryHistory(want[41].ID); fmt.Sprint(h) != fmt.Sprint(history) {
		t.Errorf("history changed:\n%v\n%v", h, history)
	}
	if c, _ := db.TierCounts(); c != tiers {
		t.Errorf("tier counts %+v, were %+v", c, tiers)
	}
	if err := db.Check(); err != nil {
		t.Fatalf("check after migration: %v", err)
	}
	// The migrated records take writes, stored in binary.
	s := all[41]
	s.Notes = "after the migration"
	if err := db.UpdateSignatory(&s, "sam"); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Signatory(s.ID); got.Notes != "after the migration" || got.Version != want[41].Version+1 {
		t.Errorf("after update: %q v%d", got.Notes, got.Version)
	}
	db.Close()

	// Opening again migrates nothing and writes nothing.
	before, _ = os.ReadFile(path)
	db, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(db.Migration()) != 0 || db.Schema() != 3 {
		t.Errorf("reopened: schema %d, migration %v", db.Schema(), db.Migration())
	}
	db.Close()
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("opening a current file wrote to it")
	}
}

// A schema-2 record that cannot be read stops the migration, which names
// it and leaves the file as it was.
func TestMigrateV2UnreadableRecord(t *testing.T) {
	path, want := makeV2File(t)
	bad := want[4000].ID
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	b.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketSig).Put(itob(bad), []byte(`{"id":`)) })
	b.Close()
	before, _ := os.ReadFile(path)
	_, err = Open(path, Options{})
	if err == nil || !strings.Contains(err.Error(), "migrating from schema version 2 to 3") ||
		!strings.Contains(err.Error(), fmt.Sprintf("decode signatory %d: unexpected end of JSON input", bad)) ||
		!strings.Contains(err.Error(), "(the file is unchanged)") {
		t.Fatalf("got %v", err)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("a failed migration changed the file")
	}
}

// The committed schema-1 file goes 1 → 2 → 3 in one open: its 40
// signatories come out as they were read in schema 1, now in binary.
func TestMigrateV1FileToBinary(t *testing.T) {
	path := v1Copy(t)
	ro, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	want, err := ro.Signatories()
	ro.Close()
	if err != nil || len(want) != 40 {
		t.Fatalf("schema 1 read-only: %d, %v", len(want), err)
	}
	db, err := Open(path, Options{Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	notes := db.Migration()
	if len(notes) == 0 || !strings.HasPrefix(notes[0], "schema 1 → 2:") ||
		!slices.Contains(notes, "schema 2 → 3: 40 of 40 signatories re-encoded from JSON into the binary record form") {
		t.Errorf("notes: %q", notes)
	}
	if j, b := rawForms(t, db); j != 0 || b != 40 {
		t.Errorf("%d JSON, %d binary", j, b)
	}
	got, err := db.Signatories()
	if err != nil {
		t.Fatal(err)
	}
	sameRecords(t, "schema 1 → 3", got, want)
	if err := db.Check(); err != nil {
		t.Error(err)
	}
}

// Check reads every record in the form its schema says, and verifies the
// organisation index and the tier aggregate against the records.
func TestCheckSignatoryRecords(t *testing.T) {
	for _, c := range []struct {
		name  string
		plant func(tx *bolt.Tx, s model.Signatory) error
		want  []string
	}{
		{"a JSON record in a schema-3 file", func(tx *bolt.Tx, s model.Signatory) error {
			js, _ := json.Marshal(&s)
			return tx.Bucket(bucketSig).Put(itob(s.ID), js)
		}, []string{"signatory %d is stored as JSON in a schema-3 file, which stores records in binary"}},
		{"a record cut short", func(tx *bolt.Tx, s model.Signatory) error {
			data := encodeSignatory(nil, &s)
			return tx.Bucket(bucketSig).Put(itob(s.ID), data[:len(data)-3])
		}, []string{"signatory %d cannot be read: byte "}},
		{"a record of an unknown format", func(tx *bolt.Tx, s model.Signatory) error {
			return tx.Bucket(bucketSig).Put(itob(s.ID), []byte{9, 1, 2})
		}, []string{"signatory %d cannot be read: unknown record format 9"}},
		{"a renamed record the index does not know", func(tx *bolt.Tx, s model.Signatory) error {
			s.Organisation = "Renamed Behind The Index Ltd"
			return tx.Bucket(bucketSig).Put(itob(s.ID), encodeSignatory(nil, &s))
		}, []string{"signatory %d (Renamed Behind The Index Ltd) is missing from the organisation index",
			"the organisation index points"}},
		{"commitments changed behind the aggregate", func(tx *bolt.Tx, s model.Signatory) error {
			s.Commitments = 0
			s.Evidence = nil
			return tx.Bucket(bucketSig).Put(itob(s.ID), encodeSignatory(nil, &s))
		}, []string{"stored tier counts", "differ from a recount"}},
		{"a record under another ID", func(tx *bolt.Tx, s model.Signatory) error {
			s.ID += 1000
			return tx.Bucket(bucketSig).Put(itob(s.ID-1000), encodeSignatory(nil, &s))
		}, []string{"signatory stored under %d says it is"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			db := openTest(t, true)
			if err := db.Check(); err != nil {
				t.Fatalf("before: %v", err)
			}
			s, err := db.Signatory(7)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.bolt.Update(func(tx *bolt.Tx) error { return c.plant(tx, s) }); err != nil {
				t.Fatal(err)
			}
			err = db.Check()
			var ce *CheckError
			if !errors.As(err, &ce) {
				t.Fatalf("check passed: %v", err)
			}
			for _, w := range c.want {
				if strings.Contains(w, "%d") {
					w = fmt.Sprintf(w, s.ID)
				}
				if !strings.Contains(err.Error(), w) {
					t.Errorf("check lacks %q:\n%v", w, err)
				}
			}
		})
	}
	// A binary record in a schema-2 file is as wrong as JSON in schema 3.
	path, want := makeV2File(t)
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	b.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSig).Put(itob(want[9].ID), encodeSignatory(nil, &want[9]))
	})
	b.Close()
	if err := CheckFile(path); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("signatory %d is not stored as JSON, as a schema-2 file stores records", want[9].ID)) {
		t.Errorf("got %v", err)
	}
}
