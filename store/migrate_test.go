package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"charter/model"
)

// v1Copy copies the committed schema-1 file (see testdata/make-v1-db.go.txt)
// into a temporary directory.
func v1Copy(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "v1.db"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "v1.db")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// annotationLines lists every annotated return, one line each, sorted.
func annotationLines(t *testing.T, db *DB) []string {
	t.Helper()
	a, err := db.Audit()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range a.Returns {
		an := r.Annotation
		if an.Version == 0 {
			continue
		}
		out = append(out, fmt.Sprintf("%s|%s|%s: v%d %s %s %q gp=%v", r.Region, r.QuestionID, r.Respondent,
			an.Version, an.By, an.Rating, an.Comment, an.GoodPractice))
	}
	sort.Strings(out)
	return out
}

func historyLines(t *testing.T, db *DB, k model.ReturnKey) string {
	t.Helper()
	h, err := db.ReturnHistory(k)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, c := range h {
		lines = append(lines, fmt.Sprintf("%d %s %s %s %q→%q", c.Version, c.At.Format("15:04"), c.By, c.Field, c.Old, c.New))
	}
	return strings.Join(lines, " | ")
}

func rk(region, q, r string) model.ReturnKey {
	return model.ReturnKey{Region: region, QuestionID: q, Respondent: r}
}

// What testdata/v1.db holds, as the schema-1 code wrote it, and where each
// piece must arrive.
var (
	v1Featherstone3 = rk("West Midlands", "civic-prison-3", "Featherstone")
	v1Featherstone1 = rk("West Midlands", "civic-prison-1", "Featherstone")
	v1Birmingham2   = rk("West Midlands", "civic-prison-2", "Birmingham")
	v1PlainA        = rk("Test", "q1", "HMP A")
	v1SlashQuestion = rk("Test", "q1/x", "HMP Y")     // shares "Test/q1/x/HMP Y" with the next
	v1SlashName     = rk("Test", "q1", "x/HMP Y")     // was annotated last through the shared key
	v1North         = rk("Test/North", "q1", "HMP Z") // annotation deleted by the import of "Test"
)

var wantMigratedAnnotations = []string{
	`Test/North|q1|HMP Z: v2 lee not_met "Northern comment" gp=false`,
	`Test|q1|HMP A: v2 sam meets "Plain and clear" gp=false`,
	`Test|q1|x/HMP Y: v2 sam meets "meant for x/HMP Y" gp=false`,
	`West Midlands|civic-prison-1|Featherstone: v2 sam not_met "No figures given" gp=false`,
	`West Midlands|civic-prison-2|Birmingham: v2 lee partly "Ask for the list" gp=true`,
	`West Midlands|civic-prison-3|Featherstone: v3 priya meets "Alley gates: good" gp=true`,
}

var wantMigratedHistory = map[model.ReturnKey]string{
	v1Featherstone3: `1 09:02 priya rating ""→"partly" | 1 09:02 priya good_practice "no"→"yes" | 2 09:03 sam comment ""→"Alley gates: good" | 3 09:04 priya rating "partly"→"meets"`,
	v1Featherstone1: `1 09:05 sam rating ""→"not_met" | 2 09:06 sam comment ""→"No figures given"`,
	v1Birmingham2:   `1 09:07 lee rating ""→"partly" | 1 09:07 lee comment ""→"Ask for the list" | 2 09:08 lee good_practice "no"→"yes"`,
	v1PlainA:        `1 09:10 priya rating ""→"meets" | 2 09:11 sam comment ""→"Plain and clear"`,
	// The shared key's whole history stays with the return its record
	// names, including the entry made (in schema 1) for the other one.
	v1SlashName:     `1 09:12 priya rating ""→"meets" | 2 09:13 sam comment ""→"meant for x/HMP Y"`,
	v1SlashQuestion: ``,
	v1North:         `1 09:14 lee rating ""→"not_met" | 2 09:15 lee comment ""→"Northern comment"`,
}

func TestMigrateV1File(t *testing.T) {
	path := v1Copy(t)
	db, err := Open(path, Options{Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.Schema() != SchemaVersion || db.Seeded() {
		t.Fatalf("schema %d, seeded %v", db.Schema(), db.Seeded())
	}
	if got := annotationLines(t, db); strings.Join(got, "\n") != strings.Join(wantMigratedAnnotations, "\n") {
		t.Errorf("annotations after migration:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantMigratedAnnotations, "\n"))
	}
	for k, want := range wantMigratedHistory {
		if got := historyLines(t, db, k); got != want {
			t.Errorf("history of %s:\n got %s\nwant %s", k, got, want)
		}
	}
	// The notes say what was decided, naming the returns.
	notes := strings.Join(db.Migration(), "\n")
	for _, want := range []string{
		"schema 1 → 2: 6 annotations and 15 history entries re-keyed by length-prefixed names (1 rebuilt from history); 1 unclaimed pieces kept in meta/migration_1_to_2",
		`schema 1 gave region "Test", question "q1", respondent "x/HMP Y" the same key "Test/q1/x/HMP Y" as [region "Test", question "q1/x", respondent "HMP Y"]`,
		`the annotation of region "Test/North", question "q1", respondent "HMP Z" had been deleted by an import while its history stayed; it is rebuilt from its 2 history entries (version 2)`,
		`1 history entries under "Test/gone/HMP A" have no annotation and no return has this key any more; they are kept in the migration record`,
	} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	// The history of the return that is gone is kept, not dropped.
	var rec migrationRecord
	db.bolt.View(func(tx *bolt.Tx) error {
		_, err := getJSON(tx.Bucket(bucketMeta), keyMigration, &rec)
		return err
	})
	if len(rec.Unclaimed) != 1 || rec.Unclaimed[0].Key != "Test/gone/HMP A" || len(rec.Unclaimed[0].History) != 1 ||
		rec.Unclaimed[0].History[0].Field != "good_practice" || rec.From != 1 || rec.To != 2 || !rec.At.Equal(fixedNow) {
		t.Errorf("migration record %+v", rec)
	}
	// Signatories are untouched.
	if n, _ := db.CountSignatories(); n != 40 {
		t.Errorf("%d signatories", n)
	}
	if err := db.Check(); err != nil {
		t.Errorf("check after migration: %v", err)
	}

	// The two returns that shared a key are now annotated independently.
	if _, err := db.Annotate(v1SlashQuestion, 0, "kim", func(a *model.Annotation) { a.Rating = model.RatingNotMet }); err != nil {
		t.Fatalf("annotate the return that had no key of its own: %v", err)
	}
	if _, err := db.Annotate(v1SlashName, 2, "kim", func(a *model.Annotation) { a.GoodPractice = true }); err != nil {
		t.Fatal(err)
	}
	if got := historyLines(t, db, v1SlashQuestion); got != `1 10:00 kim rating ""→"not_met"` {
		t.Errorf("new history %s", got)
	}

	// Reopening is a plain open: no second migration, nothing written.
	db.Close()
	before, _ := os.ReadFile(path)
	db2, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(db2.Migration()) != 0 || db2.Schema() != SchemaVersion {
		t.Errorf("reopened: schema %d, migration %v", db2.Schema(), db2.Migration())
	}
	if h := historyLines(t, db2, v1Featherstone3); h != wantMigratedHistory[v1Featherstone3] {
		t.Errorf("after reopen: %s", h)
	}
	db2.Close()
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("opening a current file wrote to it")
	}
}

// A schema-1 file opened read-only is read in its own layout and left
// byte for byte as it was.
func TestReadOnlyV1FileIsReadNotChanged(t *testing.T) {
	path := v1Copy(t)
	before, _ := os.ReadFile(path)
	db, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if db.Schema() != 1 || len(db.Migration()) != 0 {
		t.Errorf("schema %d, migration %v", db.Schema(), db.Migration())
	}
	// Schema 1 as it was: the annotation of Test/North is gone, the
	// shared key shows on the return its record names.
	got := annotationLines(t, db)
	if len(got) != 5 || strings.Contains(strings.Join(got, "\n"), "Test/North") {
		t.Errorf("read-only annotations: %q", got)
	}
	if h := historyLines(t, db, v1Featherstone3); h != wantMigratedHistory[v1Featherstone3] {
		t.Errorf("read-only history: %s", h)
	}
	db.Close()
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Error("a read-only open changed the file")
	}
}

// check on the schema-1 file names what the migration will have to decide.
func TestCheckV1FileReportsSharedKeysAndOrphanedHistory(t *testing.T) {
	err := CheckFile(v1Copy(t))
	var ce *CheckError
	if !errors.As(err, &ce) {
		t.Fatalf("got %v", err)
	}
	want := []string{
		`annotation key "Test/q1/x/HMP Y" is shared by 2 returns (region "Test", question "q1", respondent "x/HMP Y"; region "Test", question "q1/x", respondent "HMP Y"); schema 1 cannot tell them apart`,
		`history under "Test/North/q1/HMP Z" has no annotation`,
		`history under "Test/gone/HMP A" has no annotation`,
	}
	if strings.Join(ce.Faults, "\n") != strings.Join(want, "\n") {
		t.Errorf("faults:\n%s\nwant\n%s", strings.Join(ce.Faults, "\n"), strings.Join(want, "\n"))
	}
}

// A migration that fails part way leaves the file as it was and says so.
func TestFailedMigrationChangesNothing(t *testing.T) {
	path := v1Copy(t)
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Region data the migration must read to place annotations, broken.
	b.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketAudit).Put([]byte("Test"), []byte("{broken")) })
	b.Close()
	before, _ := os.ReadFile(path)
	_, err = Open(path, Options{})
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("migrating from schema version 1 to %d", SchemaVersion)) ||
		!strings.Contains(err.Error(), `region "Test"`) || !strings.Contains(err.Error(), "(the file is unchanged)") {
		t.Fatalf("got %v", err)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Error("a failed migration changed the file")
	}
}

// Unreadable schema-1 records are kept in the migration record, and the
// rest migrates.
func TestMigrationKeepsUnreadableRecords(t *testing.T) {
	path := v1Copy(t)
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	b.Update(func(tx *bolt.Tx) error {
		tx.Bucket(bucketAnn).Put([]byte("West Midlands/civic-prison-1/Featherstone"), []byte("not json"))
		return tx.Bucket(bucketAnnHistory).Put([]byte("short"), []byte("{}"))
	})
	b.Close()
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := annotationLines(t, db); len(got) != 5 {
		t.Errorf("annotations %q", got)
	}
	var rec migrationRecord
	db.bolt.View(func(tx *bolt.Tx) error {
		_, err := getJSON(tx.Bucket(bucketMeta), keyMigration, &rec)
		return err
	})
	var whys []string
	for _, u := range rec.Unclaimed {
		whys = append(whys, fmt.Sprintf("%s %q %q %d", u.Why, u.Key, u.Raw, len(u.History)))
	}
	want := `a history entry that cannot be read "" "{}" 0|an annotation that cannot be read "West Midlands/civic-prison-1/Featherstone" "not json" 2|no return has this key any more "Test/gone/HMP A" "" 1`
	if strings.Join(whys, "|") != want {
		t.Errorf("unclaimed:\n%s\nwant\n%s", strings.Join(whys, "|"), want)
	}
	raw, _ := json.Marshal(rec.Unclaimed[0].RawKey)
	if string(raw) != `"c2hvcnQ="` { // "short"
		t.Errorf("raw key %s", raw)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	path := v1Copy(t)
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	newer := SchemaVersion + 1
	b.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keySchema, []byte(fmt.Sprint(newer))) })
	b.Close()
	before, _ := os.ReadFile(path)
	for _, ro := range []bool{false, true} {
		_, err := Open(path, Options{ReadOnly: ro})
		if !errors.Is(err, model.ErrSchema) || !strings.Contains(err.Error(), fmt.Sprintf("database %s has schema version %d; this charter understands up to %d — use a newer charter", path, newer, SchemaVersion)) {
			t.Errorf("read-only %v: %v", ro, err)
		}
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Error("refusing changed the file")
	}
	b, _ = bolt.Open(path, 0o600, nil)
	b.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keySchema, []byte("0")) })
	b.Close()
	if _, err := Open(path, Options{}); !errors.Is(err, model.ErrSchema) || !strings.Contains(err.Error(), `unreadable schema version "0"`) {
		t.Errorf("schema 0: %v", err)
	}
}
