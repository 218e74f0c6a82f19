package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"charter/model"
	"charter/store"
	"charter/store/dataset"
)

// emptyDB creates a database with no data at all: what "a fresh database"
// means for an import of the West Midlands region itself.
func emptyDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "empty.db")
	db, err := store.Open(path, store.Options{NoSeed: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func auditOf(t *testing.T, path string) *model.Audit {
	t.Helper()
	db, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a, err := db.Audit()
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func annotate(t *testing.T, path string, key model.ReturnKey, edits ...func(*model.Annotation)) {
	t.Helper()
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	v := uint64(0)
	for _, edit := range edits {
		got, err := db.Annotate(key, v, "priya", edit)
		if err != nil {
			t.Fatal(err)
		}
		v = got.Version
	}
}

func wmKey(q, r string) model.ReturnKey {
	return model.ReturnKey{Region: "West Midlands", QuestionID: q, Respondent: r}
}

// The dossier of Featherstone, counted by hand from the source: its 7
// Civic Society returns (one answered: the alley gates), Corporate's
// "Streetworks initiative at Featherstone" and the Chai Ltd Streetworks
// course the register ties to it, and its row of the VCS matrix.
func TestDossierFeatherstone(t *testing.T) {
	db := newDB(t)
	annotate(t, db, wmKey("civic-prison-3", "Featherstone"), func(a *model.Annotation) { a.Rating = model.RatingMeets })
	r := runIn(t, "", "--db", db, "dossier", "featherstone", "--format", "md")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("%+v", r)
	}
	md := r.stdout
	for _, want := range []string{
		"# Dossier: Featherstone",
		"## Returns (7)",
		"### Civic Society · Prison",
		"3. **EXAMPLES OF COLLABORATIVE WORK WITH LA AND LOCAL PARTNERSHIPS SUCH AS CDRPS/CSPS** (civic-prison-3) — answered · meets",
		"   > Prison produce alley gates for local communities",
		"## Mentions (2)",
		"Streetworks initiative at Featherstone (as detailed in ROM report)",
		"Chai Ltd (Severn Trent Water sub-contractors) running Streetworks course in prison paid for by PS+.",
		"row “Featherstone”",
		"| 2 | Education, training and employment | X | NACRO, SOVA, YSS, Rainer, IOT, Princes Trust & Jericho |",
		"| 3 | Health |  | SOVA, YSS, Focus Future |",
		model.PathwayNamesNote,
	} {
		if !strings.Contains(md, want) {
			t.Errorf("dossier lacks %q", want)
		}
	}
	if n := strings.Count(md, "(civic-prison-"); n != 7 {
		t.Errorf("%d Civic Society returns, want 7", n)
	}

	r = runIn(t, "", "--db", db, "dossier", "HMP", "Featherstone", "--format", "json")
	var d model.Dossier
	if err := json.Unmarshal([]byte(r.stdout), &d); err != nil || r.code != 0 {
		t.Fatalf("json: %v %+v", err, r)
	}
	answered, inferred := 0, 0
	for _, x := range d.Returns {
		if x.Alliance != model.AllianceCivic || x.Kind != model.KindPrison {
			t.Errorf("return %s in %s", x.QuestionID, x.Section.Name())
		}
		if x.Status == model.StatusAnswered {
			answered++
		}
	}
	for _, m := range d.Mentions {
		if m.Place.Alliance != model.AllianceCorporate {
			t.Errorf("mention in %s", m.Place)
		}
		if m.Inferred {
			inferred++
		}
	}
	if d.Name != "Featherstone" || len(d.Returns) != 7 || answered != 1 || len(d.Mentions) != 2 || inferred != 1 || len(d.Matrix) != 1 {
		t.Fatalf("dossier %s: %d returns (%d answered), %d mentions (%d inferred), %d matrix rows", d.Name, len(d.Returns), answered, len(d.Mentions), inferred, len(d.Matrix))
	}
	var marks strings.Builder
	for _, p := range d.Matrix[0].Pathways {
		if !p.NameInferred {
			t.Errorf("pathway %d's name not marked as inferred", p.Number)
		}
		if p.Marked {
			marks.WriteByte('X')
		} else {
			marks.WriteByte('.')
		}
	}
	// The source's row: "Featherstone | X | X |  | X | X | X | X".
	if marks.String() != "XX.XXXX" {
		t.Errorf("matrix row %s", marks.String())
	}

	// --out writes the file; nothing on standard output.
	out := filepath.Join(t.TempDir(), "f.md")
	if r := runIn(t, "", "--db", db, "dossier", "featherstone", "--out", out); r.code != 0 || r.stdout != "" {
		t.Fatalf("--out: %+v", r)
	}
	if data, _ := os.ReadFile(out); string(data) != md {
		t.Error("the file differs from standard output")
	}
}

// Every spelling the register knows finds its establishment; Hewell
// Grange's dossier holds the matrix row the source spells "Hewll Grange".
func TestDossierByVariantAndUnknownName(t *testing.T) {
	db := newDB(t)
	for _, tc := range []struct {
		args []string
		name string
	}{
		{[]string{"hewll", "grange"}, "Hewell Grange"},
		{[]string{"HMP Birmingham"}, "Birmingham"},
		{[]string{"West Mids PA"}, "West Midlands"},
		{[]string{"west mercia prob"}, "West Mercia"},
		{[]string{"stanhom"}, "Stonham"},
	} {
		r := runIn(t, "", append([]string{"--db", db, "dossier", "--format", "json"}, tc.args...)...)
		var d model.Dossier
		if err := json.Unmarshal([]byte(r.stdout), &d); err != nil || d.Name != tc.name {
			t.Errorf("%v: %q (%v) %s", tc.args, d.Name, err, r.stderr)
		}
		if tc.name == "Hewell Grange" && (len(d.Matrix) != 1 || d.Matrix[0].Establishment != "Hewll Grange") {
			t.Errorf("Hewell Grange's matrix rows %+v", d.Matrix)
		}
	}
	// Every name and variant of the register, as printed, finds its entry.
	reg, err := dataset.Names()
	if err != nil {
		t.Fatal(err)
	}
	spellings := 0
	for _, e := range reg.Entries() {
		for _, n := range e.Names() {
			spellings++
			r := runIn(t, "", "--db", db, "dossier", "--format", "json", n)
			var d model.Dossier
			if err := json.Unmarshal([]byte(r.stdout), &d); err != nil || d.Name != e.Name {
				t.Errorf("%q: dossier of %q (%v) %s", n, d.Name, err, r.stderr)
			}
		}
	}
	if spellings != 28 { // 19 entries and 9 variants, counted by hand
		t.Errorf("%d spellings in the register, want 28", spellings)
	}
	r := runIn(t, "", "--db", db, "dossier", "featherstonn")
	if r.code != 1 || r.stdout != "" || !strings.Contains(r.stderr, "featherstonn is not an establishment or area in the names register; nearest: Featherstone") {
		t.Errorf("unknown name: %+v", r)
	}
	for _, args := range [][]string{{"dossier"}, {"dossier", " "}, {"dossier", "featherstone", "--format", "pdf"}} {
		if r := runIn(t, "", append([]string{"--db", db}, args...)...); r.code != 2 || !strings.Contains(r.stderr, "--help' for usage") {
			t.Errorf("%v: %+v", args, r)
		}
	}
	// An imported region's prisons have dossiers by their returns' names.
	in := "region,alliance,strand,respondent_kind,respondent,question_id,question,status,answer,rating,good_practice,comment\n" +
		"North East,Civic Society,,Prison,Durham,ne-1,CIVIL RENEWAL,answered,Links with Frankland,,no,\n" +
		"North East,Civic Society,,Prison,Frankland,ne-1,CIVIL RENEWAL,no_return,,,no,\n"
	if r := runIn(t, in, "--db", db, "import", "returns", "-"); r.code != 0 {
		t.Fatal(r)
	}
	r = runIn(t, "", "--db", db, "dossier", "frankland")
	if r.code != 0 || !strings.Contains(r.stdout, "# Dossier: Frankland") || !strings.Contains(r.stdout, "Links with Frankland") {
		t.Errorf("imported region's dossier: %+v", r)
	}
}

// export questions, by hand from the source: 48 questions — Civic Society
// 24 (ROM 9, prisons 7, probation 8), Faith & VCS 6 (VCS 2, Faith 4),
// Corporate 18 (ROM level 9, prisons 5, probation areas 4); 35 carry a
// benchmark: 23 "OPTIMAL ANSWER" (Civic Society, all but one probation
// question) and 12 "PARTNERSHIP UNIT INDICATORS" (Corporate).
func TestExportQuestionsHandCounts(t *testing.T) {
	db := newDB(t)
	r := runIn(t, "", "--db", db, "export", "questions")
	if r.code != 0 {
		t.Fatalf("%+v", r)
	}
	rows := readCSV(t, []byte(r.stdout))
	if strings.Join(rows[0], ",") != strings.Join(model.QuestionsCSVHeader(), ",") {
		t.Fatalf("header %v", rows[0])
	}
	rows = rows[1:]
	col := map[string]int{}
	for i, h := range model.QuestionsCSVHeader() {
		col[h] = i
	}
	count := map[string]int{}
	for _, row := range rows {
		count[row[col["alliance"]]]++
		count[row[col["alliance"]]+"/"+row[col["strand"]]+"/"+row[col["respondent_kind"]]]++
		if g := row[col["question_group"]]; g != "" {
			count["group "+g]++
		}
		if row[col["benchmark"]] != "" {
			count["benchmark"]++
			count[row[col["benchmark_label"]]]++
		}
	}
	for k, want := range map[string]int{
		"Civic Society": 24, "Faith & VCS": 6, "Corporate": 18,
		"Civic Society//ROM": 9, "Civic Society//Prison": 7, "Civic Society//Probation": 8,
		"Faith & VCS/VCS/ROM": 1, "Faith & VCS/VCS/Probation": 1,
		"Faith & VCS/Faith/ROM": 1, "Faith & VCS/Faith/Probation": 1, "Faith & VCS/Faith/Prison": 1, "Faith & VCS/Faith/Area Chaplain": 1,
		"Corporate//ROM/Prisons/Probation (combined)": 18,
		"group rom": 9, "group prisons": 5, "group probation": 4,
		"benchmark": 35, "OPTIMAL ANSWER": 23, "PARTNERSHIP UNIT INDICATORS": 12,
	} {
		if count[k] != want {
			t.Errorf("%s: %d, want %d", k, count[k], want)
		}
	}
	if len(rows) != 48 {
		t.Errorf("%d questions, want 48", len(rows))
	}
	r = runIn(t, "", "--db", db, "export", "questions", "--format", "json")
	var js []map[string]string
	if err := json.Unmarshal([]byte(r.stdout), &js); err != nil || len(js) != 48 {
		t.Fatalf("json: %v, %d", err, len(js))
	}
	for i, row := range rows {
		for h, j := range col {
			if js[i][h] != row[j] {
				t.Fatalf("question %d, %s: JSON %q, CSV %q", i+1, h, js[i][h], row[j])
			}
		}
	}
}

func writeFile(t *testing.T, name, data string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func withoutAnnotations(rs []model.Return) []model.Return {
	out := append([]model.Return(nil), rs...)
	for i := range out {
		out[i].Annotation = model.Annotation{}
	}
	return out
}

// A region exported and imported into a fresh database arrives exactly:
// as returns with a questions file (questions, benchmarks and returns), and
// as a region export (everything the region's source data holds).
func TestRegionRoundTrip(t *testing.T) {
	src := newDB(t)
	annotate(t, src, wmKey("corporate-rom-13", "ROM"),
		func(a *model.Annotation) { a.Rating = model.RatingPartly },
		func(a *model.Annotation) { a.Comment = "Streetworks"; a.GoodPractice = true })
	want := auditOf(t, src)

	returns := writeFile(t, "returns.csv", runIn(t, "", "--db", src, "export", "returns").stdout)
	questions := writeFile(t, "questions.csv", runIn(t, "", "--db", src, "export", "questions").stdout)
	dst := emptyDB(t)
	r := runIn(t, "", "--db", dst, "import", "returns", "--questions", questions, returns)
	if r.code != 0 || !strings.Contains(r.stdout, "imported 169 returns for West Midlands: 169 new, 0 replacing earlier ones; 48 questions, 35 with a benchmark") {
		t.Fatalf("import: %+v", r)
	}
	got := auditOf(t, dst)
	if !reflect.DeepEqual(got.Questions, want.Questions) {
		t.Error("questions differ after export and import with --questions")
		for i := range want.Questions {
			if i < len(got.Questions) && got.Questions[i] != want.Questions[i] {
				t.Errorf("first difference:\n got %+v\nwant %+v", got.Questions[i], want.Questions[i])
				break
			}
		}
	}
	if !reflect.DeepEqual(got.Returns, withoutAnnotations(want.Returns)) {
		t.Error("returns differ after export and import with --questions")
	}
	// A questions file JSON does the same.
	qjson := writeFile(t, "questions.json", runIn(t, "", "--db", src, "export", "questions", "--format", "json").stdout)
	dst2 := emptyDB(t)
	if r := runIn(t, "", "--db", dst2, "import", "returns", "--questions", qjson, returns); r.code != 0 {
		t.Fatalf("import with JSON questions: %+v", r)
	}
	if got := auditOf(t, dst2); !reflect.DeepEqual(got.Questions, want.Questions) {
		t.Error("questions differ through the JSON questions file")
	}

	// The region export holds the annotations and their history…
	r = runIn(t, "", "--db", src, "export", "region", "west midlands")
	var x model.RegionExport
	if err := json.Unmarshal([]byte(r.stdout), &x); err != nil || r.code != 0 {
		t.Fatalf("export region: %v %+v", err, r)
	}
	if len(x.Questions) != 48 || len(x.Returns) != 169 || len(x.Comments) != 6 || len(x.Pathways) != 1 || len(x.Summaries) != 1 || len(x.Summaries[0].KPIs) != 3 || len(x.Respondents) != 22 {
		t.Errorf("region export: %d questions, %d returns, %d comments, %d matrices, %d summaries, %d respondents",
			len(x.Questions), len(x.Returns), len(x.Comments), len(x.Pathways), len(x.Summaries), len(x.Respondents))
	}
	annotated := 0
	for _, rr := range x.Returns {
		if rr.Annotation.Version > 0 {
			annotated++
			if rr.QuestionID != "corporate-rom-13" || rr.Annotation.Rating != model.RatingPartly || len(rr.History) != 3 {
				t.Errorf("annotated return %s: %+v, %d history entries", rr.QuestionID, rr.Annotation, len(rr.History))
			}
		}
	}
	if annotated != 1 {
		t.Errorf("%d annotated returns in the export, want 1", annotated)
	}
	// …and imports into a fresh database as the region's whole source data.
	regionFile := writeFile(t, "region.json", r.stdout)
	dst3 := emptyDB(t)
	if r := runIn(t, "", "--db", dst3, "import", "returns", regionFile); r.code != 0 || !strings.Contains(r.stdout, "; 48 questions, 35 with a benchmark") {
		t.Fatalf("import region: %+v", r)
	}
	got = auditOf(t, dst3)
	want.Returns = withoutAnnotations(want.Returns)
	if !reflect.DeepEqual(got, want) {
		t.Error("the region differs after export region and import")
	}
	// The export from the copy is the same file, less the annotations.
	if again := runIn(t, "", "--db", dst3, "export", "region"); again.code != 0 || len(again.stdout) >= len(r.stdout) {
		t.Errorf("export of the copy: %d bytes, original %d", len(again.stdout), len(r.stdout))
	}
}

// A questions file that does not fit the returns is refused, every
// problem named with its file and line, and nothing is written.
func TestImportQuestionsRefusals(t *testing.T) {
	src := newDB(t)
	returns := writeFile(t, "returns.csv", runIn(t, "", "--db", src, "export", "returns").stdout)
	qs := runIn(t, "", "--db", src, "export", "questions").stdout
	bad := strings.Replace(qs, "SPECIFIC PROJECTS", "PROJECTS", 1)
	bad = strings.Replace(bad, "West Midlands,civic-rom-1,", "West Midlands,civic-rom-99,", 1)
	badFile := writeFile(t, "questions.csv", bad)
	dst := emptyDB(t)
	r := runIn(t, "", "--db", dst, "import", "returns", "--questions", badFile, returns)
	for _, want := range []string{
		badFile + ": line 2, question_id: civic-rom-99 has no returns in the returns file",
		badFile + `: line 11, question: civic-rom-6 is titled PROJECTS here but "SPECIFIC PROJECTS" in the returns file`,
		badFile + ": the questions file lacks question civic-rom-1 of region \"West Midlands\", which the returns file answers",
		"charter: 3 problems; nothing was imported",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if r.code != 1 || len(auditOf(t, dst).Returns) != 0 {
		t.Errorf("exit %d; something was imported", r.code)
	}
	broken := writeFile(t, "q.csv", "region,question_id\n")
	if r := runIn(t, "", "--db", dst, "import", "returns", "--questions", broken, returns); r.code != 1 || !strings.Contains(r.stderr, "q.csv: line 1: the header lacks") {
		t.Errorf("broken header: %+v", r)
	}
	region := writeFile(t, "r.json", runIn(t, "", "--db", src, "export", "region").stdout)
	if r := runIn(t, "", "--db", dst, "import", "returns", "--questions", badFile, region); r.code != 1 || !strings.Contains(r.stderr, "a region file carries its own questions") {
		t.Errorf("region with --questions: %+v", r)
	}
	if r := runIn(t, "", "--db", src, "export", "region", "Wales"); r.code != 1 || !strings.Contains(r.stderr, "Wales is not a region of the database (it holds West Midlands)") {
		t.Errorf("unknown region: %+v", r)
	}
	for _, args := range [][]string{
		{"export", "region", "--format", "csv"},
		{"export", "questions", "extra"},
		{"export", "region", "a", "b"},
		{"import", "signatories", "--questions", badFile, "-"},
	} {
		if r := runIn(t, "", append([]string{"--db", src}, args...)...); r.code != 2 {
			t.Errorf("%v: %+v", args, r)
		}
	}
}

// The report on a fresh database: the opening summary, the line about the
// fictional samples, coverage by establishment and the matrix's inferred
// pathway names.
func TestReportCommandOnAFreshDatabase(t *testing.T) {
	db := newDB(t)
	r := runIn(t, "", "--db", db, "report")
	if r.code != 0 {
		t.Fatalf("%+v", r)
	}
	for _, want := range []string{
		"## Summary for the board",
		"**All 40 signatories are the fictional samples that charter puts in a new database.",
		"| West Midlands | Civic Society | prisons | 10 of 14 prisons returned |  | Brockhill, Shrewsbury, Swinfen Hall, Werrington |",
		"| 1 Accommodation† |",
		"### Regional comments (6)",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	in := header + "New Leaf Bakery,Ann,,private,West Midlands,Dudley,5,Ann,2024-02-01,training,yes,,\n"
	if r := runIn(t, in, "--db", db, "import", "signatories", "-"); r.code != 0 {
		t.Fatal(r)
	}
	if r := runIn(t, "", "--db", db, "report"); !strings.Contains(r.stdout, "**40 of the 41 signatories are the fictional samples") {
		t.Error("a real signatory beside the samples is not told apart")
	}
}

// The examples in docs/region-format.md import: the returns with their
// questions file, the benchmark arriving with them.
func TestRegionFormatExamplesImport(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "docs", "region-format.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```csv\n(.*?)```").FindAllStringSubmatch(string(data), -1)
	if len(blocks) != 2 {
		t.Fatalf("%d csv examples, want 2 (returns, questions)", len(blocks))
	}
	db := emptyDB(t)
	questions := writeFile(t, "questions.csv", blocks[1][1])
	r := runIn(t, blocks[0][1], "--db", db, "import", "returns", "--questions", questions, "-")
	if r.code != 0 || !strings.Contains(r.stdout, "imported 2 returns for North East: 2 new, 0 replacing earlier ones; 1 question, 1 with a benchmark") {
		t.Fatalf("%+v", r)
	}
	a := auditOf(t, db)
	if len(a.Questions) != 1 || a.Questions[0].BenchmarkLabel != "OPTIMAL ANSWER" || !strings.HasPrefix(a.Questions[0].Prompt, "How do offenders take part\nin the life") {
		t.Errorf("question %+v", a.Questions)
	}
}

// The questions file of a whole database serves for one region's returns:
// the other regions' rows are passed over.
func TestImportWithAWholeDatabasesQuestions(t *testing.T) {
	src := newDB(t)
	in := "region,alliance,strand,respondent_kind,respondent,question_id,question,status,answer,rating,good_practice,comment\n" +
		"North East,Civic Society,,Prison,Durham,ne-1,CIVIL RENEWAL,answered,Links with the council,,no,\n"
	if r := runIn(t, in, "--db", src, "import", "returns", "-"); r.code != 0 {
		t.Fatal(r)
	}
	questions := writeFile(t, "questions.csv", runIn(t, "", "--db", src, "export", "questions").stdout)
	dst := emptyDB(t)
	r := runIn(t, in, "--db", dst, "import", "returns", "--questions", questions, "-")
	if r.code != 0 || !strings.Contains(r.stdout, "imported 1 return for North East: 1 new, 0 replacing earlier ones; 1 question, 0 with a benchmark") {
		t.Fatalf("%+v", r)
	}
	if a := auditOf(t, dst); len(a.Regions) != 1 || len(a.Questions) != 1 {
		t.Errorf("regions %v, %d questions", a.Regions, len(a.Questions))
	}
}

// A database seeded from the first transcription (store/testdata/v1.db)
// is brought up to the corrected dataset on its first read-write open, and
// the command says what changed, once.
func TestOpeningAnOldDatabaseSaysWhatTheRefreshChanged(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "store", "testdata", "v1.db"))
	if err != nil {
		t.Fatal(err)
	}
	db := writeFile(t, "v1.db", string(data))
	in := "region,alliance,strand,respondent_kind,respondent,question_id,question,status,answer,rating,good_practice,comment\n" +
		"North East,Civic Society,,Prison,Durham,ne-1,CIVIL RENEWAL,answered,Links with the council,,no,\n"
	r := runIn(t, in, "--db", db, "import", "returns", "-")
	for _, want := range []string{
		"charter: West Midlands audit brought up to dataset version 2: 18 questions change respondent kind or group, 1 returns change status; every annotation and its history is kept\n",
		`charter: the return of region "West Midlands", question "corporate-rom-7", respondent "ROM" is now not_answered (was answered)`,
	} {
		if r.code != 0 || !strings.Contains(r.stderr, want) {
			t.Errorf("first open lacks %q: %+v", want, r)
		}
	}
	if r := runIn(t, "", "--db", db, "import", "returns", "--dry-run", "--update", writeFile(t, "ne.csv", in)); r.code != 0 || strings.Contains(r.stderr, "brought up") {
		t.Errorf("second open: %+v", r)
	}
	n := map[model.ReturnStatus]int{}
	for _, x := range auditOf(t, db).Returns {
		if x.Region == "West Midlands" {
			n[x.Status]++
		}
	}
	if n[model.StatusAnswered] != 79 || n[model.StatusNotAnswered] != 62 || n[model.StatusNoReturn] != 28 {
		t.Errorf("statuses after the refresh %v, want 79/62/28", n)
	}
}
