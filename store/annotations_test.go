package store

import (
	"errors"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"charter/model"
)

const slashRegionsCSV = `region,alliance,strand,respondent_kind,respondent,question_id,question,status,answer
Test,Corporate,,Prison,HMP A,q1,First question,answered,Plain answer
Test,Corporate,,Prison,HMP Y,q1/x,Question with a slash,answered,Answer one
Test,Corporate,,Prison,x/HMP Y,q1,First question,answered,Answer two
Test,Corporate,,Prison,HMP Z,North/q1,A question named like a region,answered,Answer three
Test/North,Corporate,,Prison,HMP Z,q1,Northern question,answered,Northern answer
Test/North,Corporate,,Prison,HMP A,q1,Northern question,answered,Another northern answer
`

func readReturns(t *testing.T, csv string) *model.Audit {
	t.Helper()
	a, issues, err := model.ReadReturnsCSV(strings.NewReader(csv))
	if err != nil || len(issues) > 0 {
		t.Fatalf("%v %v", err, issues)
	}
	return a
}

// onlyRegion keeps the rows of one region (and the header) of a returns CSV.
func onlyRegion(csv, region string, drop ...string) string {
	lines := strings.Split(strings.TrimSpace(csv), "\n")
	out := []string{lines[0]}
next:
	for _, l := range lines[1:] {
		if !strings.HasPrefix(l, region+",") {
			continue
		}
		for _, d := range drop {
			if strings.Contains(l, d) {
				continue next
			}
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n") + "\n"
}

func TestNamesWithSlashesKeepTheirOwnAnnotations(t *testing.T) {
	db := openTest(t, false)
	if _, err := db.ImportAudit(readReturns(t, slashRegionsCSV), model.ImportOptions{}, "importer"); err != nil {
		t.Fatal(err)
	}
	rate := func(k model.ReturnKey, version uint64, r model.Rating) {
		t.Helper()
		a, err := db.Annotate(k, version, "priya", func(a *model.Annotation) { a.Rating = r })
		if err != nil || a.Version != version+1 {
			t.Fatalf("rate %s at version %d: %+v %v", keyText(k), version, a, err)
		}
	}
	// Every return that schema 1 would have confused starts at version 0
	// and is rated on its own.
	rate(rk("Test", "q1/x", "HMP Y"), 0, model.RatingMeets)
	rate(rk("Test", "q1", "x/HMP Y"), 0, model.RatingNotMet)
	rate(rk("Test/North", "q1", "HMP Z"), 0, model.RatingPartly)
	rate(rk("Test", "North/q1", "HMP Z"), 0, model.RatingMeets)
	rate(rk("Test/North", "q1", "HMP A"), 0, model.RatingNotMet)
	rate(rk("Test", "q1", "HMP A"), 0, model.RatingPartly)
	rate(rk("Test", "q1", "x/HMP Y"), 1, model.RatingPartly)
	want := []string{
		`Test/North|q1|HMP A: v1 priya not_met "" gp=false`,
		`Test/North|q1|HMP Z: v1 priya partly "" gp=false`,
		`Test|North/q1|HMP Z: v1 priya meets "" gp=false`,
		`Test|q1/x|HMP Y: v1 priya meets "" gp=false`,
		`Test|q1|HMP A: v1 priya partly "" gp=false`,
		`Test|q1|x/HMP Y: v2 priya partly "" gp=false`,
	}
	if got := annotationLines(t, db); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("annotations:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if h := historyLines(t, db, rk("Test", "q1/x", "HMP Y")); h != `1 10:00 priya rating ""→"meets"` {
		t.Errorf("history of q1/x: %s", h)
	}
	if h := historyLines(t, db, rk("Test", "q1", "x/HMP Y")); h != `1 10:00 priya rating ""→"not_met" | 2 10:00 priya rating "not_met"→"partly"` {
		t.Errorf("history of x/HMP Y: %s", h)
	}

	// Re-importing Test touches nothing of Test/North; dropping one of
	// Test's returns removes its annotation and its history, no other.
	reimport := onlyRegion(slashRegionsCSV, "Test", "q1/x")
	if _, err := db.ImportAudit(readReturns(t, reimport), model.ImportOptions{Update: true}, "importer"); err != nil {
		t.Fatal(err)
	}
	want = []string{
		`Test/North|q1|HMP A: v1 priya not_met "" gp=false`,
		`Test/North|q1|HMP Z: v1 priya partly "" gp=false`,
		`Test|North/q1|HMP Z: v1 priya meets "" gp=false`,
		`Test|q1|HMP A: v1 priya partly "" gp=false`,
		`Test|q1|x/HMP Y: v2 priya partly "" gp=false`,
	}
	if got := annotationLines(t, db); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("after re-importing Test:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if h := historyLines(t, db, rk("Test/North", "q1", "HMP Z")); h != `1 10:00 priya rating ""→"partly"` {
		t.Errorf("Test/North history after re-importing Test: %s", h)
	}
	if h := historyLines(t, db, rk("Test", "q1/x", "HMP Y")); h != "" {
		t.Errorf("history of a dropped return remains: %s", h)
	}
	if _, err := db.Annotate(rk("Test", "q1/x", "HMP Y"), 0, "priya", func(*model.Annotation) {}); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("annotating a dropped return: %v", err)
	}
	if err := db.Check(); err != nil {
		t.Errorf("check: %v", err)
	}
}

// plant writes raw bytes into a bucket, as damage or another program might.
func plant(t *testing.T, db *DB, bucket []byte, key, value []byte) {
	t.Helper()
	if err := db.bolt.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucket).Put(key, value) }); err != nil {
		t.Fatal(err)
	}
}

func TestCheckFindsPlantedAnnotationFaults(t *testing.T) {
	db := openTest(t, true)
	feather := rk("West Midlands", "civic-prison-3", "Featherstone")
	if _, err := db.Annotate(feather, 0, "priya", func(a *model.Annotation) { a.Rating = model.RatingMeets }); err != nil {
		t.Fatal(err)
	}
	if err := db.Check(); err != nil {
		t.Fatalf("clean file: %v", err)
	}
	ghost := rk("West Midlands", "civic-prison-3", "HMP Nowhere")
	plant(t, db, bucketAnn, annKey(ghost), []byte(`{"key":{"region":"West Midlands","question_id":"civic-prison-3","respondent":"HMP Nowhere"},"rating":"meets","version":1}`))
	plant(t, db, bucketAnnHistory, annHistoryKey(ghost, 1, 0), []byte(`{"version":1,"field":"rating","new":"meets"}`))
	// A record stored under one return's key naming another: two returns
	// would share it.
	other := rk("West Midlands", "civic-prison-1", "Featherstone")
	plant(t, db, bucketAnn, annKey(other), []byte(`{"key":{"region":"West Midlands","question_id":"civic-prison-3","respondent":"Featherstone"},"version":1}`))
	plant(t, db, bucketAnnHistory, annHistoryKey(other, 1, 0), []byte(`{"version":1,"field":"rating"}`))
	// A schema-1 key left in a schema-2 file.
	plant(t, db, bucketAnn, []byte("West Midlands/civic-prison-2/Birmingham"), []byte(`{}`))
	// History with no annotation, and beyond its annotation's version.
	lost := rk("West Midlands", "civic-prison-2", "Birmingham")
	plant(t, db, bucketAnnHistory, annHistoryKey(lost, 1, 0), []byte(`{"version":1}`))
	plant(t, db, bucketAnnHistory, annHistoryKey(lost, 2, 0), []byte(`{"version":2}`))
	plant(t, db, bucketAnnHistory, annHistoryKey(feather, 5, 0), []byte(`{"version":5}`))
	plant(t, db, bucketAnnHistory, []byte{3, 'x'}, []byte(`{}`))

	err := db.Check()
	var ce *CheckError
	if !errors.As(err, &ce) {
		t.Fatalf("got %v", err)
	}
	want := []string{
		`annotation stored for region "West Midlands", question "civic-prison-1", respondent "Featherstone" says it is for region "West Midlands", question "civic-prison-3", respondent "Featherstone": two returns would share it`,
		`annotation of region "West Midlands", question "civic-prison-3", respondent "HMP Nowhere" is for a return that does not exist`,
		`annotation key "West Midlands/civic-prison-2/Birmingham" does not decode: its region is 87 bytes long but only 38 follow`,
		`annotation history key "\x03x" does not decode: its region is 3 bytes long but only 1 follow`,
		`history of region "West Midlands", question "civic-prison-2", respondent "Birmingham" has no annotation`,
		`history of region "West Midlands", question "civic-prison-3", respondent "Featherstone" has an entry for version 5; its annotation is at version 1`,
	}
	if strings.Join(ce.Faults, "\n") != strings.Join(want, "\n") {
		t.Errorf("faults:\n%s\nwant\n%s", strings.Join(ce.Faults, "\n"), strings.Join(want, "\n"))
	}

	// The same on the file, read-only, as `charter check` on a copy does.
	path := db.Path()
	db.Close()
	err = CheckFile(path)
	if !errors.As(err, &ce) || len(ce.Faults) != len(want) {
		t.Errorf("CheckFile: %v", err)
	}
}

func TestCheckFindsMissingAnnotationHistory(t *testing.T) {
	db := openTest(t, true)
	k := rk("West Midlands", "civic-prison-3", "Featherstone")
	for v := uint64(0); v < 2; v++ {
		if _, err := db.Annotate(k, v, "priya", func(a *model.Annotation) { a.GoodPractice = !a.GoodPractice }); err != nil {
			t.Fatal(err)
		}
	}
	db.bolt.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketAnnHistory).Delete(annHistoryKey(k, 1, 0)) })
	err := db.Check()
	if err == nil || !strings.Contains(err.Error(), `annotation of region "West Midlands", question "civic-prison-3", respondent "Featherstone" has no history entry for version 1`) {
		t.Errorf("got %v", err)
	}
}
