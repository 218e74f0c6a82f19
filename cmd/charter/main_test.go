package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"charter/store"
)

type result struct {
	code           int
	stdout, stderr string
}

func runIn(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb,
		getenv: func(k string) string {
			if k == "HOME" {
				return t.TempDir()
			}
			return ""
		}}
	code := run(args, e)
	return result{code, out.String(), errb.String()}
}

// newDB creates a database seeded with the embedded dataset, as the
// workbench does on first use.
func newDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "c.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestExportReturnsListsEverySourceReturnExactly(t *testing.T) {
	db := newDB(t)
	r := runIn(t, "", "--db", db, "export", "returns", "--format", "csv")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+169 {
		t.Fatalf("%d rows, want header + 169", len(rows))
	}
	if strings.Join(rows[0], ",") != "region,alliance,strand,respondent_kind,respondent,question_id,question,status,answer,rating,good_practice,comment,question_group" {
		t.Errorf("header %v", rows[0])
	}
	// Rows checked literally against the source text.
	want := map[string][]string{
		"civic-prison-3/Featherstone": {"West Midlands", "Civic Society", "", "Prison", "Featherstone", "civic-prison-3",
			"EXAMPLES OF COLLABORATIVE WORK WITH LA AND LOCAL PARTNERSHIPS SUCH AS CDRPS/CSPS", "answered",
			"Prison produce alley gates for local communities", "", "no", "", ""},
		"civic-prison-1/Werrington": {"West Midlands", "Civic Society", "", "Prison", "Werrington", "civic-prison-1",
			"UNPAID WORK PRISON RESETTLEMENT ESTATE", "no_return", "", "", "no", "", ""},
		"civic-probation-6/West Mercia": {"West Midlands", "Civic Society", "", "Probation", "West Mercia", "civic-probation-6",
			"PUBLIC PROTECTION", "answered", "CLocal residents group meet/ meeting witj local MP/ Lay Advisers", "", "no", "", ""},
		"faith-probation-1/Staffordshire": {"West Midlands", "Faith & VCS", "Faith", "Probation", "Staffordshire", "faith-probation-1",
			"PROBATION", "not_answered", "Nothing in their return for this Alliance", "", "no", "", ""},
	}
	found := 0
	for _, row := range rows[1:] {
		if w, ok := want[row[5]+"/"+row[4]]; ok {
			found++
			if strings.Join(row, "|") != strings.Join(w, "|") {
				t.Errorf("row\n got %q\nwant %q", row, w)
			}
		}
	}
	if found != len(want) {
		t.Errorf("found %d of %d rows", found, len(want))
	}
	// JSON carries the same rows.
	r = runIn(t, "", "--db", db, "export", "returns", "--format", "json")
	var js []map[string]string
	if err := json.Unmarshal([]byte(r.stdout), &js); err != nil || len(js) != 169 {
		t.Fatalf("json: %v %d", err, len(js))
	}
}

func TestExportSignatoriesAndCheck(t *testing.T) {
	dir := t.TempDir()
	db := newDB(t)
	out := filepath.Join(dir, "s.csv")
	if r := runIn(t, "", "--db", db, "export", "signatories", "--out", out); r.code != 0 {
		t.Fatalf("export: %d %s", r.code, r.stderr)
	}
	data, _ := os.ReadFile(out)
	rows, _ := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if len(rows) != 41 || rows[0][13] != "tier" {
		t.Fatalf("%d rows; header %v", len(rows), rows[0])
	}
	if r := runIn(t, "", "--db", db, "check"); r.code != 0 || !strings.HasPrefix(r.stdout, "ok: ") {
		t.Fatalf("check fresh: %+v", r)
	}
	// A corrupted copy fails the check.
	raw, _ := os.ReadFile(db)
	for i := 2 * 4096; i < len(raw) && i < 12*4096; i += 7 {
		raw[i] ^= 0xA5
	}
	bad := filepath.Join(dir, "bad.db")
	os.WriteFile(bad, raw, 0o600)
	if r := runIn(t, "", "check", bad); r.code != 1 || !strings.Contains(r.stderr, "fault") {
		t.Fatalf("check corrupt: %+v", r)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"frobnicate"},
		{"export"},
		{"export", "things"},
		{"export", "returns", "--format", "xml"},
		{"import", "signatories"},
		{"--no-such-flag"},
		{"backup"},
	} {
		if r := runIn(t, "", args...); r.code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, r.code, r.stderr)
		}
	}
	r := runIn(t, "", "--help")
	if r.code != 0 || !strings.Contains(r.stdout, "charter export returns") {
		t.Errorf("help: %+v", r)
	}
	r = runIn(t, "", "import", "--help")
	if r.code != 0 || !strings.Contains(r.stdout, "--dry-run") {
		t.Errorf("import help: %+v", r)
	}
}

const header = "organisation,contact_name,email,sector,region,local_area,employees,signed_by,signed_on,commitments,vacancy_statement,review_status,notes\n"

func TestImportSignatories(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	good := header +
		"New Leaf Bakery,Ann,ann@example.org,private,West Midlands,Dudley,5,Ann,2024-02-01,training;ban_the_box,yes,,\n" +
		"Second Chance Cycles,Bob,,social_enterprise,West Midlands,Walsall,,Bob,2024-02-02,,no,pending,\n"
	// Dry run writes nothing.
	r := runIn(t, good, "--db", db, "import", "signatories", "--dry-run", "-")
	if r.code != 0 || !strings.Contains(r.stdout, "would import 2 signatories: 2 new") {
		t.Fatalf("dry run: %+v", r)
	}
	if r := runIn(t, "", "--db", db, "export", "signatories"); strings.Contains(r.stdout, "New Leaf") {
		t.Fatal("dry run wrote")
	}
	r = runIn(t, good, "--db", db, "import", "signatories", "-")
	if r.code != 0 || !strings.Contains(r.stdout, "imported 2 signatories: 2 new") {
		t.Fatalf("import: %+v", r)
	}
	// Again: refused without --update, nothing written.
	r = runIn(t, good, "--db", db, "import", "signatories", "-")
	if r.code != 1 || !strings.Contains(r.stderr, "already exists") || !strings.Contains(r.stderr, "nothing was imported") {
		t.Fatalf("re-import: %+v", r)
	}
	// With --update, a changed row is recorded in history.
	changed := strings.Replace(good, "training;ban_the_box,yes,,", "training;ban_the_box;work_experience,yes,verified,", 1)
	r = runIn(t, changed, "--db", db, "--reviewer", "priya", "import", "signatories", "--update", "-")
	if r.code != 0 || !strings.Contains(r.stdout, "1 updated, 1 unchanged") {
		t.Fatalf("update: %+v", r)
	}
	s, err := store.Open(db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	all, _ := s.Signatories()
	for _, x := range all {
		if x.Organisation == "New Leaf Bakery" {
			h, _ := s.SignatoryHistory(x.ID)
			if len(h) != 2 || h[1].By != "priya" || h[1].Action != "import" || h[1].TierAfter.String() != "silver" {
				t.Fatalf("history %+v", h)
			}
		}
	}
}

func TestImportReportsEveryProblemAndWritesNothing(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	bad := header +
		"Good Row,Ann,,private,West Midlands,Dudley,,Ann,2024-02-01,,yes,,\n" +
		",Ann,,charity,West Midlands,Dudley,,Ann,2027-01-04,,yes,,\n" +
		"Good Row,Ann,,private,West Midlands,Dudley,,Ann,2024-02-01,,yes,,\n"
	r := runIn(t, bad, "--db", db, "import", "signatories", "-")
	if r.code != 1 {
		t.Fatalf("exit %d", r.code)
	}
	for _, want := range []string{
		"line 3, organisation: is required",
		"line 3, sector: charity is not a sector (private, public, voluntary or social_enterprise)",
		"line 3, signed_on: 2027-01-04 is in the future",
		"line 4, organisation: Good Row appears again (first on line 2)",
		"charter: 4 problems; nothing was imported",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if r := runIn(t, "", "--db", db, "export", "signatories"); strings.Contains(r.stdout, "Good Row") {
		t.Fatal("a bad file wrote something")
	}
	// More than 100 problems: the first 100 and a count.
	var many strings.Builder
	many.WriteString(header)
	for i := 0; i < 150; i++ {
		many.WriteString("x,,,nope,West Midlands,,,,2024-01-01,,yes,,\n")
	}
	r = runIn(t, many.String(), "--db", db, "import", "signatories", "-")
	if !strings.Contains(r.stderr, "… and 50 more") || !strings.Contains(r.stderr, "150 problems") {
		t.Errorf("many problems: %s", r.stderr[len(r.stderr)-200:])
	}
}

func TestImportReturnsOfAnotherRegion(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	in := "region,alliance,strand,respondent_kind,respondent,question_id,question,status,answer,rating,good_practice,comment\n" +
		"North East,Civic Society,,Prison,Durham,ne-1,CIVIL RENEWAL,answered,Links with the council,,no,\n" +
		"North East,Civic Society,,Prison,Frankland,ne-1,CIVIL RENEWAL,no_return,,,no,\n"
	r := runIn(t, in, "--db", db, "import", "returns", "-")
	if r.code != 0 || !strings.Contains(r.stdout, "imported 2 returns for North East") {
		t.Fatalf("%+v", r)
	}
	r = runIn(t, "", "--db", db, "export", "returns")
	if !strings.Contains(r.stdout, "North East,Civic Society,,Prison,Durham,ne-1,CIVIL RENEWAL,answered,Links with the council") {
		t.Fatal("imported region not exported")
	}
	badIn := "region,alliance,strand,respondent_kind,respondent,question_id,question,status,answer,rating,good_practice,comment\n" +
		"Wales,Civic Society,Faith,Prison,Cardiff,w-1,T,answered,x,,no,\n" +
		"Wales,Civic Society,,Castle,Cardiff,w-1,T,answerd,,,maybe,\n"
	r = runIn(t, badIn, "--db", db, "import", "returns", "-")
	for _, want := range []string{
		"line 2, strand: Faith & VCS needs a strand (Faith or VCS); other alliances have none",
		"line 3, respondent_kind: Castle is not a respondent kind",
		"line 3, status: answerd is not a return status",
		"line 3, good_practice: maybe must be yes or no",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
}

func TestBackupOfFreshDatabase(t *testing.T) {
	dir := t.TempDir()
	db := newDB(t)
	r := runIn(t, "", "--db", db, "backup", filepath.Join(dir, "b.db"))
	if r.code != 0 || !strings.Contains(r.stdout, "(checked)") {
		t.Fatalf("%+v", r)
	}
	if r := runIn(t, "", "check", filepath.Join(dir, "b.db")); r.code != 0 {
		t.Fatalf("check backup: %+v", r)
	}
}

// The report on the embedded dataset, against counts taken by hand from
// the source (returns) and from the sample file (signatories).
func TestReportOnEmbeddedDataset(t *testing.T) {
	db := newDB(t)
	r := runIn(t, "", "--db", db, "report")
	if r.code != 0 {
		t.Fatalf("%+v", r)
	}
	for _, want := range []string{
		"40 organisations have signed the charter.",
		"| Gold | 12 |", "| Silver | 8 |", "| Bronze | 15 |", "| No tier | 5 |",
		"| West Midlands | Civic Society | ROM | 9 | 7 (78%) | 2 (22%) | 0 (0%) |",
		"| West Midlands | Civic Society | Prison | 98 | 20 (20%) | 50 (51%) | 28 (29%) |",
		"| West Midlands | Civic Society | Probation | 32 | 24 (75%) | 8 (25%) | 0 (0%) |",
		"| West Midlands | Faith & VCS (Faith) | Probation | 4 | 3 (75%) | 1 (25%) | 0 (0%) |",
		"| West Midlands | Corporate | ROM/Prisons/Probation (combined) | 18 | 17 (94%) | 1 (6%) | 0 (0%) |",
		"- Civic Society · Prison (West Midlands): Brockhill, Shrewsbury, Swinfen Hall, Werrington",
		"0 of 79 answered returns rated",
		"- Prisons, ETE KPI target: **+12%**",
		"- Probation, Sustained Employment KPI: **-12%**",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

// Exports and reports work while another charter process holds the
// database: they read a snapshot the holder writes.
func TestExportWhileDatabaseIsHeld(t *testing.T) {
	path := filepath.Join(t.TempDir(), "held.db")
	holder, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	s, _ := holder.Signatory(1)
	s.Notes = "changed while held"
	if err := holder.UpdateSignatory(&s, "priya"); err != nil {
		t.Fatal(err)
	}
	r := runIn(t, "", "--db", path, "export", "signatories")
	if r.code != 0 || !strings.Contains(r.stdout, "changed while held") {
		t.Fatalf("export while held: %+v", r)
	}
	if r := runIn(t, "", "--db", path, "report"); r.code != 0 || !strings.Contains(r.stdout, "40 organisations") {
		t.Fatalf("report while held: %+v", r)
	}
}

// A large import shows a progress bar on a terminal and plain lines
// otherwise.
func TestImportProgress(t *testing.T) {
	var in strings.Builder
	in.WriteString(header)
	for i := 0; i < 6000; i++ {
		fmt.Fprintf(&in, "Progress Org %d,,,private,West Midlands,Dudley,,,2024-01-01,training,yes,,\n", i)
	}
	for _, tty := range []bool{true, false} {
		var out, errb bytes.Buffer
		e := &env{stdin: strings.NewReader(in.String()), stdout: &out, stderr: &errb,
			getenv:     func(string) string { return "" },
			isTerminal: func(io.Writer) bool { return tty }}
		db := filepath.Join(t.TempDir(), "p.db")
		if code := run([]string{"--db", db, "import", "signatories", "-"}, e); code != 0 {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
		got := errb.String()
		if tty && (!strings.Contains(got, "\r") || !strings.Contains(got, "6000/6000")) {
			t.Errorf("no progress bar on a terminal: %q", got[max(len(got)-200, 0):])
		}
		if !tty && !strings.Contains(got, "imported 6000 of 6000 rows\n") {
			t.Errorf("no progress lines: %q", got)
		}
	}
}
