package store

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"charter/model"
)

var fixedNow = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

func openTest(t testing.TB, seed bool) *DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "t.db"), Options{NoSeed: !seed, Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func sample(org string, n int) model.Signatory {
	emp := 25
	s := model.Signatory{Organisation: org, ContactName: "Ann Example", Email: "ann@example.org",
		Sector: model.SectorPrivate, Region: "West Midlands", LocalArea: "Dudley", Employees: &emp,
		SignedBy: "Ann Example", SignedOn: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC),
		VacancyStatement: true, Notes: "note"}
	for i := 0; i < n; i++ {
		s.Commitments = s.Commitments.With(model.Commitment(i))
	}
	return s
}

func TestSignatoryRoundTripAndHistory(t *testing.T) {
	db := openTest(t, false)
	s := sample("Brindley Printing", 2)
	if err := db.CreateSignatory(&s, "priya"); err != nil {
		t.Fatal(err)
	}
	if s.ID == 0 || s.Version != 1 || s.ReviewStatus != model.StatusPending {
		t.Fatalf("after create: %+v", s)
	}
	got, err := db.Signatory(s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d := model.Diff(&s, &got); len(d) != 0 || got.Version != 1 || !got.Created.Equal(fixedNow) {
		t.Fatalf("round trip differs: %+v", d)
	}
	got.Commitments = got.Commitments.With(model.BanTheBox)
	got.ReviewStatus = model.StatusVerified
	if err := db.UpdateSignatory(&got, "sam"); err != nil {
		t.Fatal(err)
	}
	if got.Version != 2 {
		t.Fatalf("version %d", got.Version)
	}
	// Saving again with nothing changed adds no version and no history.
	same := got
	if err := db.UpdateSignatory(&same, "sam"); err != nil || same.Version != 2 {
		t.Fatalf("no-op update: %v %d", err, same.Version)
	}
	h, err := db.SignatoryHistory(s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 2 {
		t.Fatalf("%d history entries", len(h))
	}
	if h[0].Action != model.ActionCreate || h[0].By != "priya" || h[0].TierAfter != model.TierBronze {
		t.Errorf("create entry %+v", h[0])
	}
	want := []model.FieldChange{
		{Field: "commitments", Old: "guaranteed_interviews;entry_level_jobs", New: "guaranteed_interviews;entry_level_jobs;ban_the_box"},
		{Field: "review_status", Old: "pending", New: "verified"},
		{Field: "last_reviewed_on", Old: "", New: "2026-11-22"},
		{Field: "last_reviewed_by", Old: "", New: "sam"},
	}
	if h[1].By != "sam" || h[1].TierBefore != model.TierBronze || h[1].TierAfter != model.TierSilver || fmt.Sprint(h[1].Fields) != fmt.Sprint(want) {
		t.Errorf("update entry %+v", h[1])
	}
	if err := db.DeleteSignatory(s.ID, 2, "sam"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Signatory(s.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("after delete: %v", err)
	}
	h, _ = db.SignatoryHistory(s.ID)
	if len(h) != 3 || h[2].Action != model.ActionDelete || h[2].TierAfter != model.TierNone {
		t.Errorf("delete entry %+v", h)
	}
	if err := db.Check(); err != nil {
		t.Errorf("check after writes: %v", err)
	}
}

func TestConflictAndDuplicates(t *testing.T) {
	db := openTest(t, false)
	a := sample("Acme Ltd", 1)
	if err := db.CreateSignatory(&a, "x"); err != nil {
		t.Fatal(err)
	}
	stale := a
	a.Notes = "first"
	if err := db.UpdateSignatory(&a, "x"); err != nil {
		t.Fatal(err)
	}
	stale.Notes = "second"
	if err := db.UpdateSignatory(&stale, "y"); !errors.Is(err, model.ErrConflict) {
		t.Fatalf("stale save: %v", err)
	}
	dup := sample("  ACME ltd ", 3)
	err := db.CreateSignatory(&dup, "x")
	if !errors.Is(err, model.ErrExists) || !errors.Is(err, model.ErrInvalid) {
		t.Fatalf("duplicate: %v", err)
	}
	if fe := model.FieldErrors(err); len(fe) != 1 || fe[0].Field != "organisation" || fe[0].Msg != "ACME ltd has already signed up in West Midlands" {
		t.Errorf("duplicate message: %+v", fe)
	}
	other := sample("Acme Ltd", 1)
	other.Region = "North East"
	if err := db.CreateSignatory(&other, "x"); err != nil {
		t.Fatalf("same name in another region refused: %v", err)
	}
	// Renaming onto an existing name is refused too.
	b := sample("Beta Ltd", 1)
	if err := db.CreateSignatory(&b, "x"); err != nil {
		t.Fatal(err)
	}
	b.Organisation = "acme ltd"
	if err := db.UpdateSignatory(&b, "x"); !errors.Is(err, model.ErrExists) {
		t.Fatalf("rename onto existing: %v", err)
	}
}

func TestInvalidWriteChangesNothing(t *testing.T) {
	db := openTest(t, false)
	s := sample("Good Ltd", 1)
	if err := db.CreateSignatory(&s, "x"); err != nil {
		t.Fatal(err)
	}
	bad := s
	bad.SignedOn = time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC)
	bad.Organisation = strings.Repeat("x", 10000)
	err := db.UpdateSignatory(&bad, "x")
	if fe := model.FieldErrors(err); len(fe) != 2 {
		t.Fatalf("want two field errors, got %v", err)
	}
	got, _ := db.Signatory(s.ID)
	if got.Version != 1 || got.Organisation != "Good Ltd" {
		t.Errorf("record changed: %+v", got)
	}
	if h, _ := db.SignatoryHistory(s.ID); len(h) != 1 {
		t.Errorf("history grew: %d", len(h))
	}
}

func TestTierCountsFollowWrites(t *testing.T) {
	db := openTest(t, false)
	var ids []model.Signatory
	for i := 0; i <= 5; i++ {
		s := sample(fmt.Sprintf("Org %d", i), i)
		s.VacancyStatement = i%2 == 0
		if err := db.CreateSignatory(&s, "x"); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, s)
	}
	ids[0].Commitments = ids[0].Commitments.With(model.Training).With(model.BanTheBox)
	if err := db.UpdateSignatory(&ids[0], "x"); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteSignatory(ids[5].ID, ids[5].Version, "x"); err != nil {
		t.Fatal(err)
	}
	got, err := db.TierCounts()
	if err != nil {
		t.Fatal(err)
	}
	all, _ := db.Signatories()
	var want model.TierCounts
	for i := range all {
		want.Add(&all[i], 1)
	}
	if got != want || got.Total != 5 {
		t.Fatalf("aggregate %+v, recount %+v", got, want)
	}
	// By hand: commitments 2,1,2,3,4 → bronze 3, silver 1, gold 1; one from
	// next: the two 2s and the 3; no vacancy statement: orgs 1 and 3.
	if got.ByTier != [4]int{0, 3, 1, 1} || got.OneFromNext != 3 || got.NoVacancy != 2 {
		t.Errorf("by hand: %+v", got)
	}
	if n, _ := db.CountSignatories(); n != 5 {
		t.Errorf("count %d", n)
	}
	page, _ := db.SignatoryPage(ids[1].ID, 2)
	if len(page) != 2 || page[0].ID != ids[2].ID {
		t.Errorf("page after %d: %+v", ids[1].ID, page)
	}
}

func TestSeededDatabase(t *testing.T) {
	db := openTest(t, true)
	if !db.Seeded() {
		t.Fatal("not seeded")
	}
	a, err := db.Audit()
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Returns) != 169 || len(a.Questions) != 48 || len(a.Regions) != 1 || a.Regions[0] != "West Midlands" {
		t.Errorf("audit: %d returns %d questions %v", len(a.Returns), len(a.Questions), a.Regions)
	}
	if n, _ := db.CountSignatories(); n != 40 {
		t.Errorf("%d signatories", n)
	}
	h, _ := db.SignatoryHistory(1)
	if len(h) != 1 || h[0].Action != model.ActionImport || h[0].By != "charter" {
		t.Errorf("seed history %+v", h)
	}
	if err := db.Check(); err != nil {
		t.Errorf("fresh check: %v", err)
	}
	// Reopening does not seed again.
	path := db.Path()
	db.Close()
	db2, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if db2.Seeded() {
		t.Error("seeded twice")
	}
	if n, _ := db2.CountSignatories(); n != 40 {
		t.Errorf("%d after reopen", n)
	}
}

func TestSchemaRefusal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.db")
	db, err := Open(path, Options{NoSeed: true})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	b.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keySchema, []byte("99")) })
	b.Close()
	_, err = Open(path, Options{})
	if !errors.Is(err, model.ErrSchema) || !strings.Contains(err.Error(), fmt.Sprintf("has schema version 99; this charter understands up to %d — use a newer charter", SchemaVersion)) {
		t.Fatalf("got %v", err)
	}
	// A bbolt file that is not ours is refused, not adopted.
	other := filepath.Join(t.TempDir(), "other.db")
	b, _ = bolt.Open(other, 0o600, nil)
	b.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("x")); return err })
	b.Close()
	if _, err := Open(other, Options{}); err == nil || !strings.Contains(err.Error(), "is not a charter database") {
		t.Fatalf("foreign file: %v", err)
	}
}

// TestHelperHoldLock is not a test: the in-use test runs it in a second
// process to hold the database.
func TestHelperHoldLock(t *testing.T) {
	path := os.Getenv("CHARTER_TEST_HOLD")
	if path == "" {
		t.Skip("helper process only")
	}
	db, err := Open(path, Options{NoSeed: true})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	defer db.Close()
	fmt.Println("ready")
	if os.Getenv("CHARTER_TEST_WRITE") != "" {
		for i := 0; ; i++ {
			s := sample(fmt.Sprintf("Busy %d", i), i%8)
			db.CreateSignatory(&s, "writer")
		}
	}
	time.Sleep(20 * time.Second)
}

func holdInOtherProcess(t *testing.T, path string, write bool) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperHoldLock$")
	cmd.Env = append(os.Environ(), "CHARTER_TEST_HOLD="+path)
	if write {
		cmd.Env = append(cmd.Env, "CHARTER_TEST_WRITE=1")
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, _ := bufio.NewReader(out).ReadString('\n')
	if strings.TrimSpace(line) != "ready" {
		t.Fatalf("helper process: %q", line)
	}
}

func TestInUseBySecondProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "held.db")
	holdInOtherProcess(t, path, false)
	start := time.Now()
	_, err := Open(path, Options{})
	took := time.Since(start)
	if !errors.Is(err, model.ErrInUse) || err.Error() != "database "+path+" is in use by another process" {
		t.Fatalf("got %v", err)
	}
	if took > 1500*time.Millisecond {
		t.Errorf("took %v to give up", took)
	}
}

func corruptCopy(t *testing.T, src string) string {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	// Pages 0 and 1 are the meta pages; scribble over the pages after them.
	for i := 2 * 4096; i < len(data) && i < 12*4096; i += 7 {
		data[i] ^= 0xA5
	}
	dst := filepath.Join(t.TempDir(), "corrupt.db")
	if err := os.WriteFile(dst, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestCheckFileFreshAndCorrupt(t *testing.T) {
	db := openTest(t, true)
	path := db.Path()
	db.Close()
	if err := CheckFile(path); err != nil {
		t.Fatalf("fresh: %v", err)
	}
	if err := CheckFile(corruptCopy(t, path)); err == nil {
		t.Fatal("corrupted copy passed the check")
	}
}

func TestCheckFindsInconsistency(t *testing.T) {
	db := openTest(t, true)
	db.bolt.Update(func(tx *bolt.Tx) error {
		return putJSON(tx.Bucket(bucketMeta), keyTiers, model.TierCounts{Total: 3})
	})
	err := db.Check()
	var ce *CheckError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "differ from a recount") {
		t.Fatalf("got %v", err)
	}
}

func TestBackupWhileWriting(t *testing.T) {
	db := openTest(t, true)
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			s := sample(fmt.Sprintf("Writer %d", i), i%8)
			db.CreateSignatory(&s, "w")
		}
	}()
	time.Sleep(50 * time.Millisecond)
	dst := filepath.Join(t.TempDir(), "backup.db")
	err := db.Backup(dst)
	close(stop)
	<-done
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckFile(dst); err != nil {
		t.Fatalf("backup check: %v", err)
	}
}

func TestBackupOfDatabaseHeldByAnotherProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "busy.db")
	holdInOtherProcess(t, path, true)
	dst := filepath.Join(t.TempDir(), "copy.db")
	if _, err := Backup(path, dst, BackupOptions{Timeout: 30 * time.Second}); err != nil {
		t.Fatal(err)
	}
	if err := CheckFile(dst); err != nil {
		t.Fatalf("backup check: %v", err)
	}
	b, err := Open(dst, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if n, _ := b.CountSignatories(); n == 0 {
		t.Error("backup holds no records from the busy writer")
	}
}

func TestEventsAfterCommitOnly(t *testing.T) {
	db := openTest(t, false)
	ch, cancel := db.Subscribe()
	defer cancel()
	s := sample("Evented", 1)
	if err := db.CreateSignatory(&s, "ann"); err != nil {
		t.Fatal(err)
	}
	select {
	case ev := <-ch:
		if ev.Kind != model.EventSignatory || ev.ID != s.ID || ev.By != "ann" || ev.Version != 1 {
			t.Errorf("event %+v", ev)
		}
	case <-time.After(time.Second):
		t.Fatal("no event")
	}
	bad := s
	bad.Version = 9
	db.UpdateSignatory(&bad, "ann") // conflict: rolled back
	dup := sample("evented", 1)
	db.CreateSignatory(&dup, "ann") // duplicate: rolled back
	select {
	case ev := <-ch:
		t.Fatalf("event for a rolled-back write: %+v", ev)
	case <-time.After(50 * time.Millisecond):
	}
}

func TestAnnotate(t *testing.T) {
	db := openTest(t, true)
	key := model.ReturnKey{Region: "West Midlands", QuestionID: "civic-prison-3", Respondent: "Featherstone"}
	ch, cancel := db.Subscribe()
	defer cancel()
	a, err := db.Annotate(key, 0, "priya", func(a *model.Annotation) { a.Rating = model.RatingPartly; a.GoodPractice = true })
	if err != nil {
		t.Fatal(err)
	}
	if a.Version != 1 || a.By != "priya" {
		t.Fatalf("annotation %+v", a)
	}
	if ev := <-ch; ev.Kind != model.EventAnnotation || ev.Key != key {
		t.Errorf("event %+v", ev)
	}
	if _, err := db.Annotate(key, 0, "sam", func(a *model.Annotation) { a.Comment = "late" }); !errors.Is(err, model.ErrConflict) {
		t.Fatalf("stale annotate: %v", err)
	}
	if _, err := db.Annotate(key, 1, "sam", func(a *model.Annotation) { a.Comment = "Alley gates: good" }); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Annotate(key, 2, "sam", func(a *model.Annotation) { a.Rating = "brilliant" }); !errors.Is(err, model.ErrInvalid) {
		t.Fatalf("bad rating: %v", err)
	}
	if _, err := db.Annotate(model.ReturnKey{Region: "West Midlands", QuestionID: "nope", Respondent: "x"}, 0, "s", func(*model.Annotation) {}); !errors.Is(err, model.ErrNotFound) {
		t.Fatalf("unknown return: %v", err)
	}
	audit, _ := db.Audit()
	for _, r := range audit.Returns {
		if r.Key() == key {
			if r.Answer != "Prison produce alley gates for local communities" || r.Annotation.Rating != model.RatingPartly ||
				!r.Annotation.GoodPractice || r.Annotation.Comment != "Alley gates: good" || r.Annotation.Version != 2 {
				t.Errorf("merged return %+v", r)
			}
		}
	}
	h, _ := db.ReturnHistory(key)
	var lines []string
	for _, c := range h {
		lines = append(lines, fmt.Sprintf("%d %s %s %q→%q", c.Version, c.By, c.Field, c.Old, c.New))
	}
	want := `1 priya rating ""→"partly"|1 priya good_practice "no"→"yes"|2 sam comment ""→"Alley gates: good"`
	if strings.Join(lines, "|") != want {
		t.Errorf("history:\n%s\nwant\n%s", strings.Join(lines, "|"), want)
	}
	if err := db.Check(); err != nil {
		t.Error(err)
	}
}
