package store

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"charter/model"
)

func genRows(n int, prefix string) []model.Signatory {
	rows := make([]model.Signatory, n)
	areas := model.LocalAreas()
	for i := range rows {
		rows[i] = sample(fmt.Sprintf("%s %07d", prefix, (i*7919)%n), i%9)
		rows[i].LocalArea = areas[i%len(areas)]
	}
	return rows
}

func TestImportAllOrNothing(t *testing.T) {
	db := openTest(t, false)
	res, err := db.ImportSignatories(genRows(2500, "Org"), model.ImportOptions{}, "importer")
	if err != nil || res.Created != 2500 {
		t.Fatalf("%+v %v", res, err)
	}
	before, _ := db.Signatories()
	countsBefore, _ := db.TierCounts()

	// A crash after the second batch: nothing of the import remains.
	db.importHook = func(done int) error {
		if done == 2*importBatch {
			return errors.New("simulated crash")
		}
		return nil
	}
	_, err = db.ImportSignatories(genRows(5000, "Crash"), model.ImportOptions{}, "importer")
	db.importHook = nil
	if err == nil || !strings.Contains(err.Error(), "simulated crash") {
		t.Fatalf("crash not reported: %v", err)
	}
	after, _ := db.Signatories()
	countsAfter, _ := db.TierCounts()
	if len(after) != len(before) || countsAfter != countsBefore {
		t.Fatalf("database changed by a failed import: %d→%d %+v→%+v", len(before), len(after), countsBefore, countsAfter)
	}
	for i := range before {
		if d := model.Diff(&before[i], &after[i]); len(d) != 0 || before[i].Version != after[i].Version {
			t.Fatalf("record %d changed", before[i].ID)
		}
	}
	// The next import starts its IDs where the file left them.
	if err := db.Check(); err != nil {
		t.Fatal(err)
	}
}

func TestImportClashesAndUpdate(t *testing.T) {
	db := openTest(t, false)
	if _, err := db.ImportSignatories(genRows(10, "Org"), model.ImportOptions{}, "a"); err != nil {
		t.Fatal(err)
	}
	again := genRows(10, "Org")
	_, err := db.ImportSignatories(again, model.ImportOptions{}, "a")
	var ce *ImportClashError
	if !errors.As(err, &ce) || ce.Total != 10 || !errors.Is(err, model.ErrExists) {
		t.Fatalf("clash: %v", err)
	}
	// Duplicates inside one file.
	twice := append(genRows(2, "New"), genRows(1, "New")...)
	if _, err := db.ImportSignatories(twice, model.ImportOptions{}, "a"); err == nil || !strings.Contains(err.Error(), "appears twice in the file (rows 1 and 3)") {
		t.Fatalf("in-file duplicate: %v", err)
	}
	// --update: one row changes, the rest are unchanged; history records it.
	again = genRows(10, "Org")
	again[3].ReviewStatus = model.StatusVerified
	again[3].Commitments = 0
	dry, err := db.ImportSignatories(append([]model.Signatory(nil), again...), model.ImportOptions{Update: true, DryRun: true}, "b")
	if err != nil || dry.Updated != 1 || dry.Unchanged != 9 {
		t.Fatalf("dry run: %+v %v", dry, err)
	}
	all, _ := db.Signatories()
	for _, s := range all {
		if s.Version != 1 {
			t.Fatalf("dry run wrote %s", s.Organisation)
		}
	}
	res, err := db.ImportSignatories(again, model.ImportOptions{Update: true}, "b")
	if err != nil || res.Updated != 1 || res.Unchanged != 9 || res.Created != 0 {
		t.Fatalf("update: %+v %v", res, err)
	}
	var changed model.Signatory
	all, _ = db.Signatories()
	for _, s := range all {
		if s.Organisation == again[3].Organisation {
			changed = s
		}
	}
	h, _ := db.SignatoryHistory(changed.ID)
	if len(h) != 2 || h[1].Action != model.ActionImport || h[1].By != "b" || h[1].TierAfter != model.TierNone || changed.Version != 2 {
		t.Fatalf("history after --update: %+v", h)
	}
	if err := db.Check(); err != nil {
		t.Fatal(err)
	}
}

func TestImportAudit(t *testing.T) {
	db := openTest(t, true)
	sec := model.Section{Region: "North East", Alliance: model.AllianceCivic, Kind: model.KindPrison}
	a := &model.Audit{
		Regions:     []string{"North East"},
		Respondents: []model.Respondent{{Region: "North East", Kind: model.KindPrison, Name: "Durham"}},
		Questions:   []model.Question{{Section: sec, ID: "q1", Order: 1, Title: "CIVIL RENEWAL"}},
		Returns:     []model.Return{{Section: sec, QuestionID: "q1", Respondent: "Durham", Status: model.StatusAnswered, Answer: "Links with the council"}},
	}
	res, err := db.ImportAudit(a, model.ImportOptions{}, "x")
	if err != nil || res.Created != 1 {
		t.Fatalf("%+v %v", res, err)
	}
	got, _ := db.Audit()
	if len(got.Regions) != 2 || len(got.Returns) != 170 {
		t.Fatalf("regions %v returns %d", got.Regions, len(got.Returns))
	}
	if _, err := db.ImportAudit(a, model.ImportOptions{}, "x"); !errors.Is(err, model.ErrExists) {
		t.Fatalf("re-import without --update: %v", err)
	}
	key := a.Returns[0].Key()
	if _, err := db.Annotate(key, 0, "x", func(an *model.Annotation) { an.Rating = model.RatingMeets }); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ImportAudit(a, model.ImportOptions{Update: true}, "x"); err != nil {
		t.Fatal(err)
	}
	got, _ = db.Audit()
	for _, r := range got.Returns {
		if r.Key() == key && r.Annotation.Rating != model.RatingMeets {
			t.Error("annotation lost on re-import")
		}
	}
	bad := *a
	bad.Regions = []string{"Wales"}
	bad.Returns = []model.Return{{Section: model.Section{Region: "Wales"}, QuestionID: "zz", Respondent: "x", Status: model.StatusAnswered, Answer: "a"}}
	if _, err := db.ImportAudit(&bad, model.ImportOptions{}, "x"); !errors.Is(err, model.ErrInvalid) {
		t.Fatalf("bad references: %v", err)
	}
	if err := db.Check(); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkImport100k imports 100,000 generated signatories into a new
// file in one transaction (target: under 3 s and 300 MB).
func BenchmarkImport100k(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := openTest(b, false)
		rows := genRows(100_000, "Bench")
		runtime.GC()
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		b.StartTimer()
		if _, err := db.ImportSignatories(rows, model.ImportOptions{}, "bench"); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		runtime.ReadMemStats(&m1)
		b.ReportMetric(float64(m1.TotalAlloc-m0.TotalAlloc)/(1<<20), "MB-alloc")
		b.ReportMetric(float64(m1.Sys)/(1<<20), "MB-sys")
		db.Close()
	}
}

func benchDB(b *testing.B) (*DB, []model.Signatory) {
	db := openTest(b, false)
	if _, err := db.ImportSignatories(genRows(100_000, "Bench"), model.ImportOptions{}, "bench"); err != nil {
		b.Fatal(err)
	}
	page, err := db.SignatoryPage(0, 100)
	if err != nil {
		b.Fatal(err)
	}
	return db, page
}

// BenchmarkSave100k saves one changed signatory (with its history entry
// and fsync) in a store of 100,000 (target: under 15 ms).
func BenchmarkSave100k(b *testing.B) {
	db, page := benchDB(b)
	s := page[50]
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.Commitments = s.Commitments.Toggle(model.Training)
		if err := db.UpdateSignatory(&s, "bench"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFirstPage100k(b *testing.B) {
	db, _ := benchDB(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := db.SignatoryPage(0, 200); err != nil {
			b.Fatal(err)
		}
		if _, err := db.TierCounts(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadAll100k(b *testing.B) {
	db, _ := benchDB(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if all, err := db.Signatories(); err != nil || len(all) != 100_000 {
			b.Fatal(err)
		}
	}
}

// Clashes are listed in row order, a name repeated in the file against
// its first row, however the rows sort.
func TestImportClashesInRowOrder(t *testing.T) {
	db := openTest(t, false)
	if _, err := db.ImportSignatories(genRows(1, "Stored"), model.ImportOptions{}, "a"); err != nil {
		t.Fatal(err)
	}
	rows := append(genRows(1, "Zed"), genRows(1, "Stored")...)
	rows = append(rows, genRows(1, "Zed")...)
	rows = append(rows, genRows(1, "Able")...)
	rows = append(rows, genRows(1, "Zed")...)
	rows[4].Organisation = "  " + strings.ToUpper(rows[4].Organisation) + " "
	_, err := db.ImportSignatories(rows, model.ImportOptions{}, "a")
	var ce *ImportClashError
	if !errors.As(err, &ce) || ce.Total != 3 {
		t.Fatalf("%v", err)
	}
	want := []string{"Stored 0000000 (West Midlands)", "Zed 0000000 (West Midlands) appears twice in the file (rows 1 and 3)",
		"ZED 0000000 (West Midlands) appears twice in the file (rows 1 and 5)"}
	if strings.Join(ce.Rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("clashes\n%s\nwant\n%s", strings.Join(ce.Rows, "\n"), strings.Join(want, "\n"))
	}
}

// An import lets go of its rows once it has encoded them, before the
// commit needs memory of its own.
func TestImportLetsRowsGo(t *testing.T) {
	db := openTest(t, false)
	freed := make(chan struct{})
	rows := genRows(3*importBatch, "Gone")
	runtime.SetFinalizer(&rows[0], func(*model.Signatory) { close(freed) })
	let := false
	db.importHook = func(done int) error {
		if done == importBatch {
			runtime.GC()
			select {
			case <-freed:
				let = true
			case <-time.After(5 * time.Second):
			}
		}
		return nil
	}
	res, err := db.ImportSignatories(rows, model.ImportOptions{}, "a")
	if err != nil || res.Created != 3*importBatch {
		t.Fatalf("%+v %v", res, err)
	}
	if !let {
		t.Error("the rows were still held while the records were written")
	}
}
