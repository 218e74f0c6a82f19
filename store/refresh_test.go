package store

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"charter/model"
	"charter/store/dataset"
)

// oldDatasetFile builds, in the test, a database as a charter of dataset
// version 1 left it: the West Midlands region of
// testdata/west-midlands-v1.audit (the embedded dataset as first
// transcribed: Corporate under kind ROM without groups, SPECIFIC PROJECTS
// answered) written directly in the stored layout, no dataset version in
// meta, and annotations with history on three returns. edit, if set,
// changes the old region before it is written.
func oldDatasetFile(t *testing.T, edit func(*regionAudit)) string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "west-midlands-v1.audit"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	old, err := dataset.Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	ra := split(old)[DatasetRegion]
	if edit != nil {
		edit(ra)
	}
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := Open(path, Options{NoSeed: true})
	if err != nil {
		t.Fatal(err)
	}
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		if err := putJSON(tx.Bucket(bucketAudit), []byte(DatasetRegion), ra); err != nil {
			return err
		}
		if err := putJSON(tx.Bucket(bucketMeta), keyRegions, []string{DatasetRegion}); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Delete(keyDataset)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range refreshAnnotations {
		v := uint64(0)
		for _, edit := range a.edits {
			got, err := db.Annotate(a.key, v, "priya", edit)
			if err != nil {
				t.Fatalf("annotate %s: %v", a.key, err)
			}
			v = got.Version
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func wm(q, r string) model.ReturnKey {
	return model.ReturnKey{Region: DatasetRegion, QuestionID: q, Respondent: r}
}

// refreshAnnotations are made on the old file: SPECIFIC PROJECTS rated
// while it was (wrongly) answered, a Corporate prisons-group return with
// two changes, and a Civic Society return.
var refreshAnnotations = []struct {
	key   model.ReturnKey
	edits []func(*model.Annotation)
}{
	{wm("corporate-rom-7", "ROM"), []func(*model.Annotation){func(a *model.Annotation) { a.Rating = model.RatingMeets }}},
	{wm("corporate-rom-13", "ROM"), []func(*model.Annotation){
		func(a *model.Annotation) { a.Comment = "alley gates and Streetworks" },
		func(a *model.Annotation) { a.Rating = model.RatingPartly; a.GoodPractice = true },
	}},
	{wm("civic-prison-1", "Featherstone"), []func(*model.Annotation){func(a *model.Annotation) { a.Rating = model.RatingNotMet }}},
}

type annState struct {
	ann  model.Annotation
	hist []model.AnnotationChange
}

func annotationsOf(t *testing.T, db *DB) map[model.ReturnKey]annState {
	t.Helper()
	a, err := db.Audit()
	if err != nil {
		t.Fatal(err)
	}
	out := map[model.ReturnKey]annState{}
	for _, r := range a.Returns {
		if r.Annotation.Version == 0 {
			continue
		}
		h, err := db.ReturnHistory(r.Key())
		if err != nil {
			t.Fatal(err)
		}
		out[r.Key()] = annState{r.Annotation, h}
	}
	return out
}

func statusCounts(a *model.Audit) map[model.ReturnStatus]int {
	n := map[model.ReturnStatus]int{}
	for _, r := range a.Returns {
		n[r.Status]++
	}
	return n
}

func TestRefreshBringsAnOldSeededRegionUpToTheDataset(t *testing.T) {
	path := oldDatasetFile(t, nil)

	// Read-only, the file is read as it is: the old layout, nothing written.
	ro, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := ro.Audit()
	if n := statusCounts(a); n[model.StatusAnswered] != 80 || n[model.StatusNotAnswered] != 61 || n[model.StatusNoReturn] != 28 {
		t.Fatalf("the old file's statuses %v, want the old 80/61/28", n)
	}
	var before map[model.ReturnKey]annState
	before = annotationsOf(t, ro)
	if len(before) != 3 {
		t.Fatalf("old file has %d annotations, want 3", len(before))
	}
	ro.Close()

	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, err = db.Audit()
	if err != nil {
		t.Fatal(err)
	}
	// Hand counts of the corrected dataset: 79 answered, 62 not, 28 none.
	if n := statusCounts(a); n[model.StatusAnswered] != 79 || n[model.StatusNotAnswered] != 62 || n[model.StatusNoReturn] != 28 {
		t.Errorf("statuses %v, want 79/62/28", n)
	}
	groups := map[model.QuestionGroup]int{}
	for _, q := range a.Questions {
		if q.Alliance == model.AllianceCorporate {
			if q.Kind != model.KindCombined {
				t.Errorf("%s has kind %s", q.ID, q.Kind)
			}
			groups[q.Group]++
		}
	}
	if groups[model.GroupROM] != 9 || groups[model.GroupPrisons] != 5 || groups[model.GroupProbation] != 4 {
		t.Errorf("Corporate groups %v, want rom 9, prisons 5, probation 4", groups)
	}
	// The whole region is now the embedded one, source text and all.
	emb, _ := dataset.Audit()
	got, _ := json.Marshal(split(a)[DatasetRegion])
	want, _ := json.Marshal(split(emb)[DatasetRegion])
	if string(got) != string(want) {
		t.Error("the refreshed region differs from the embedded dataset")
	}
	// Every annotation and its history is where it was.
	after := annotationsOf(t, db)
	if len(after) != len(before) {
		t.Fatalf("%d annotations after, %d before", len(after), len(before))
	}
	for k, b := range before {
		g := after[k]
		if !g.ann.At.Equal(b.ann.At) || g.ann.Rating != b.ann.Rating || g.ann.Comment != b.ann.Comment ||
			g.ann.GoodPractice != b.ann.GoodPractice || g.ann.Version != b.ann.Version || len(g.hist) != len(b.hist) {
			t.Errorf("%s: annotation %+v (%d changes), was %+v (%d changes)", k, g.ann, len(g.hist), b.ann, len(b.hist))
		}
	}
	refreshed, err := db.DatasetRefresh()
	if err != nil {
		t.Fatal(err)
	}
	notes := strings.Join(refreshed, "\n")
	if now := db.RefreshedOnOpen(); strings.Join(now, "\n") != notes {
		t.Errorf("this open's notes %v, the record %v", now, refreshed)
	}
	if again := db.RefreshedOnOpen(); again != nil {
		t.Errorf("the notes are handed out twice: %v", again)
	}
	for _, w := range []string{
		"West Midlands audit brought up to dataset version 2: 18 questions change respondent kind or group, 1 returns change status",
		`region "West Midlands", question "corporate-rom-7", respondent "ROM" is now not_answered (was answered); its rating "meets" is kept`,
	} {
		if !strings.Contains(notes, w) {
			t.Errorf("notes lack %q:\n%s", w, notes)
		}
	}
	// One annotation change still works on the refreshed region.
	if _, err := db.Annotate(wm("corporate-rom-13", "ROM"), 2, "sam", func(a *model.Annotation) { a.Comment = "read again" }); err != nil {
		t.Errorf("annotate after refresh: %v", err)
	}
	db.Close()

	// It runs once: the version is recorded, a second open does nothing.
	db, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if m, _ := db.DatasetRefresh(); strings.Join(m, "\n") != notes {
		t.Errorf("second open: the record is %v", m)
	}
	if m := db.RefreshedOnOpen(); m != nil {
		t.Errorf("second open refreshed: %v", m)
	}
	_ = db.bolt.View(func(tx *bolt.Tx) error {
		if n, _ := storedDatasetVersion(tx); n != DatasetVersion {
			t.Errorf("dataset version %d, want %d", n, DatasetVersion)
		}
		return nil
	})
}

// A West Midlands region whose text is not the dataset's — the user's own
// import — is never touched, and the version is recorded all the same.
func TestRefreshLeavesAnImportedRegionAlone(t *testing.T) {
	for name, edit := range map[string]func(*regionAudit){
		"an answer changed": func(ra *regionAudit) {
			for i := range ra.Returns {
				if ra.Returns[i].Status == model.StatusAnswered {
					ra.Returns[i].Answer += " (edited)"
					return
				}
			}
		},
		"no benchmarks, as a returns CSV gives": func(ra *regionAudit) {
			for i := range ra.Questions {
				ra.Questions[i].Prompt, ra.Questions[i].Benchmark, ra.Questions[i].BenchmarkLabel = "", "", ""
			}
		},
		"a return missing": func(ra *regionAudit) { ra.Returns = ra.Returns[1:] },
		"a respondent renamed": func(ra *regionAudit) {
			ra.Respondents[len(ra.Respondents)-1].Name += " Prison"
		},
		"a comment changed": func(ra *regionAudit) { ra.Comments[0].Text += "." },
	} {
		t.Run(name, func(t *testing.T) {
			path := oldDatasetFile(t, edit)
			db, err := Open(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			a, _ := db.Audit()
			for _, q := range a.Questions {
				if q.Kind == model.KindCombined || q.Group != model.GroupNone {
					t.Fatalf("question %s was changed to %s/%s", q.ID, q.Kind, q.Group)
				}
			}
			if m, _ := db.DatasetRefresh(); len(m) != 0 {
				t.Errorf("notes %v", m)
			}
			if m := db.RefreshedOnOpen(); m != nil {
				t.Errorf("this open's notes %v", m)
			}
			_ = db.bolt.View(func(tx *bolt.Tx) error {
				if n, _ := storedDatasetVersion(tx); n != DatasetVersion {
					t.Errorf("dataset version %d", n)
				}
				return nil
			})
		})
	}
}

// A new file is seeded at the current version; no other region is read.
func TestRefreshOnNewFiles(t *testing.T) {
	for _, noSeed := range []bool{false, true} {
		path := filepath.Join(t.TempDir(), "new.db")
		db, err := Open(path, Options{NoSeed: noSeed})
		if err != nil {
			t.Fatal(err)
		}
		if m, _ := db.DatasetRefresh(); len(m) != 0 {
			t.Errorf("noSeed=%v: notes %v", noSeed, m)
		}
		_ = db.bolt.View(func(tx *bolt.Tx) error {
			if n, _ := storedDatasetVersion(tx); n != DatasetVersion {
				t.Errorf("noSeed=%v: dataset version %d", noSeed, n)
			}
			return nil
		})
		db.Close()
	}
}

// sameSourceText on its own: the old and the new dataset are the same
// source; each kind of difference is named.
func TestSameSourceText(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "west-midlands-v1.audit"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	old, err := dataset.Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	emb, _ := dataset.Audit()
	e := split(emb)[DatasetRegion]
	if why := sameSourceText(split(old)[DatasetRegion], e); why != "" {
		t.Fatalf("old dataset not recognised: %s", why)
	}
	if why := sameSourceText(e, e); why != "" {
		t.Fatalf("dataset not recognised as itself: %s", why)
	}
	for _, tc := range []struct {
		edit func(*regionAudit)
		want string
	}{
		{func(ra *regionAudit) { ra.Questions[3].Benchmark = "" }, `question "` + e.Questions[3].ID + `" differs`},
		{func(ra *regionAudit) { ra.Questions = ra.Questions[1:] }, "it has 47 questions, the dataset 48"},
		{func(ra *regionAudit) { ra.Returns[0].Answer = "x" }, "the answer of"},
		{func(ra *regionAudit) { ra.Pathways[0].Rows[0].Marks[0] = !ra.Pathways[0].Rows[0].Marks[0] }, "pathway matrix 1 differs"},
		{func(ra *regionAudit) { ra.Summaries[0].Paragraphs[0] += " " }, "summary report differs"},
	} {
		var c regionAudit // a deep copy: split shares rows and paragraphs
		data, _ := json.Marshal(split(old)[DatasetRegion])
		if err := json.Unmarshal(data, &c); err != nil {
			t.Fatal(err)
		}
		tc.edit(&c)
		if why := sameSourceText(&c, e); !strings.Contains(why, tc.want) {
			t.Errorf("got %q, want %q", why, tc.want)
		}
	}
}
