package main

import (
	"bytes"
	"encoding/csv"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"unicode"

	"github.com/creack/pty"

	"charter/store"
)

// runEnv runs charter in-process with the given environment variables
// (and HOME a temporary directory, so no default database is touched).
func runEnv(t *testing.T, vars map[string]string, stdin string, args ...string) result {
	t.Helper()
	home := t.TempDir()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb,
		getenv: func(k string) string {
			if v, ok := vars[k]; ok || k != "HOME" {
				return v
			}
			return home
		}}
	code := run(args, e)
	return result{code, out.String(), errb.String()}
}

// Commands that only read never create a database: a missing --db (or
// CHARTER_DB) is an error naming the path, and neither the file nor its
// directory appears.
func TestReadOnlyCommandsNeverCreateADatabase(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "typo", "charterr.db")
	good := header + "New Leaf Bakery,Ann,,private,West Midlands,Dudley,5,Ann,2024-02-01,training,yes,,\n"
	for _, tc := range []struct {
		stdin string
		args  []string
	}{
		{"", []string{"export", "signatories"}},
		{"", []string{"export", "returns", "--format", "json"}},
		{"", []string{"export", "signatories", "--out", filepath.Join(dir, "out.csv")}},
		{"", []string{"report"}},
		{"", []string{"dossier", "featherstone"}},
		{"", []string{"export", "questions"}},
		{"", []string{"export", "region"}},
		{"", []string{"check"}},
		{"", []string{"backup", filepath.Join(dir, "b.db")}},
		{good, []string{"import", "signatories", "--dry-run", "-"}},
	} {
		for _, how := range []string{"flag", "env"} {
			var r result
			if how == "flag" {
				r = runEnv(t, nil, tc.stdin, append([]string{"--db", missing}, tc.args...)...)
			} else {
				r = runEnv(t, map[string]string{"CHARTER_DB": missing}, tc.stdin, tc.args...)
			}
			if tc.args[0] == "import" {
				// A dry run works on a missing database, as if it were new.
				if r.code != 0 || !strings.Contains(r.stdout, "would import 1 signatory: 1 new") {
					t.Errorf("%v (%s): %+v", tc.args, how, r)
				}
			} else if r.code != 1 || !strings.Contains(r.stderr, "no database at "+missing) {
				t.Errorf("%v (%s): exit %d, stderr %q", tc.args, how, r.code, r.stderr)
			}
			if _, err := os.Stat(filepath.Dir(missing)); !os.IsNotExist(err) {
				t.Fatalf("%v (%s) created %s", tc.args, how, filepath.Dir(missing))
			}
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "out.csv")); !os.IsNotExist(err) {
		t.Error("export wrote its --out file without a database")
	}
	// `check FILE` names the file it was given.
	if r := runIn(t, "", "check", filepath.Join(dir, "nope.db")); r.code != 1 || !strings.Contains(r.stderr, "nope.db") {
		t.Errorf("check FILE: %+v", r)
	}
}

// The workbench, serve and import create and seed a missing database, and
// say so once.
func TestImportCreatesTheDatabaseAndSaysSoOnce(t *testing.T) {
	db := filepath.Join(t.TempDir(), "new", "c.db")
	in := header + "New Leaf Bakery,Ann,,private,West Midlands,Dudley,5,Ann,2024-02-01,training,yes,,\n"
	r := runIn(t, in, "--db", db, "import", "signatories", "-")
	want := "charter: created " + db + " with the West Midlands audit and 40 fictional sample signatories\n"
	if r.code != 0 || strings.Count(r.stderr, "created") != 1 || !strings.Contains(r.stderr, want) {
		t.Fatalf("first import: %+v", r)
	}
	if !strings.Contains(r.stdout, "imported 1 signatory: 1 new, 0 updated, 0 unchanged") {
		t.Errorf("plural: %q", r.stdout)
	}
	in2 := header + "Other Org,Ann,,private,West Midlands,Dudley,5,Ann,2024-02-01,training,yes,,\n"
	if r := runIn(t, in2, "--db", db, "import", "signatories", "-"); r.code != 0 || strings.Contains(r.stderr, "created") {
		t.Fatalf("second import: %+v", r)
	}
}

// Help is printed once, on standard output, with exit 0; each command
// lists only the flags it uses, as they are typed.
func TestHelpOnceOnStdoutWithEachCommandsFlags(t *testing.T) {
	flagRe := regexp.MustCompile(`^\s+(?:-[a-z] )?--([a-z][a-z-]*)`)
	for _, tc := range []struct {
		args  []string
		flags []string
	}{
		{nil, []string{"db", "help", "reviewer", "version"}},
		{[]string{"export"}, []string{"as-at", "db", "format", "help", "out", "spreadsheet"}},
		{[]string{"import"}, []string{"as-new", "db", "dry-run", "help", "questions", "reviewer", "update"}},
		{[]string{"dossier"}, []string{"db", "format", "help", "out"}},
		{[]string{"report"}, []string{"as-at", "db", "help", "out"}},
		{[]string{"backup"}, []string{"db", "force", "help"}},
		{[]string{"check"}, []string{"db", "help"}},
		{[]string{"settings"}, []string{"db", "help", "reviewer"}},
		{[]string{"serve"}, []string{"authorized-keys", "db", "help", "host-key", "idle-timeout", "listen", "login-timeout", "max-sessions"}},
		{[]string{"man"}, []string{"help"}},
		{[]string{"completion"}, []string{"help"}},
		{[]string{"completion", "bash"}, []string{"help", "no-descriptions"}},
	} {
		for _, form := range [][]string{append(slices.Clone(tc.args), "--help"), append(slices.Clone(tc.args), "-h"), append([]string{"help"}, tc.args...)} {
			r := runIn(t, "", form...)
			if r.code != 0 || r.stderr != "" {
				t.Errorf("%v: exit %d, stderr %q", form, r.code, r.stderr)
				continue
			}
			if n := strings.Count(r.stdout, "USAGE"); n != 1 {
				t.Errorf("%v: usage shown %d times:\n%s", form, n, r.stdout)
			}
			_, flags, ok := strings.Cut(r.stdout, "FLAGS")
			if !ok {
				t.Errorf("%v: no flags section:\n%s", form, r.stdout)
				continue
			}
			// The flag column: the first --name on each line.
			var got []string
			for _, line := range strings.Split(flags, "\n") {
				if m := flagRe.FindStringSubmatch(line); m != nil {
					got = append(got, m[1])
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.flags) {
				t.Errorf("%v: flags %v, want %v", form, got, tc.flags)
			}
			if regexp.MustCompile(`(^|\s)-(db|reviewer|format|out)\b`).MatchString(r.stdout) {
				t.Errorf("%v: a flag shown with one dash:\n%s", form, r.stdout)
			}
		}
	}
	// The import help names the columns and the document that explains them.
	r := runIn(t, "", "import", "--help")
	for _, want := range []string{"organisation, contact_name, email", "region, alliance, strand", "docs/csv-format.md"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("import help lacks %q", want)
		}
	}
}

// Usage errors go to standard error with exit 2 and nothing on standard
// output; runtime errors exit 1.
func TestUsageErrorsExitTwo(t *testing.T) {
	db := newDB(t)
	for _, args := range [][]string{
		{"frobnicate"},
		{"--no-such-flag"},
		{"--db"},
		{"--db="},
		{"--db=", "export", "signatories"},
		{"import", "signatories", "--reviewer=", "-"},
		{"export"},
		{"export", "things"},
		{"export", "returns", "extra"},
		{"export", "returns", "--format", "xml"},
		{"export", "returns", "--reviewer", "priya"},
		{"export", "region", "--format", "csv"},
		{"export", "region", "A", "B"},
		{"export", "questions", "extra"},
		{"import", "signatories", "--questions", "q.csv", "-"},
		{"dossier"},
		{"dossier", "featherstone", "--format", "csv"},
		{"report", "extra"},
		{"import", "signatories"},
		{"import", "things", "-"},
		{"backup"},
		{"check", "a", "b"},
		{"serve"},
		{"serve", "--authorized-keys", "k", "--max-sessions", "many"},
		{"completion"},
		{"completion", "tcsh"},
		{"help", "frobnicate"},
		{"man", "extra"},
	} {
		r := runIn(t, "", append([]string{"--db", db}, args...)...)
		if r.code != 2 || r.stdout != "" || !strings.HasPrefix(r.stderr, "charter: ") || !strings.Contains(r.stderr, "--help' for usage") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, r.code, r.stdout, r.stderr)
		}
	}
	if r := runIn(t, "", "import", "signatories", filepath.Join(t.TempDir(), "absent.csv")); r.code != 1 || !strings.Contains(r.stderr, "absent.csv") {
		t.Errorf("missing input: %+v", r)
	}
}

func TestVersion(t *testing.T) {
	for _, flag := range []string{"--version", "-v"} {
		r := runIn(t, "", flag)
		if r.code != 0 || r.stderr != "" || !strings.HasPrefix(r.stdout, "charter version ") || len(strings.TrimSpace(r.stdout)) <= len("charter version") {
			t.Errorf("%s: %+v", flag, r)
		}
	}
}

// The completion scripts parse in their shells, and completion offers
// the subcommands, the export kinds and the formats.
func TestCompletion(t *testing.T) {
	for _, sh := range []string{"bash", "zsh", "fish"} {
		r := runIn(t, "", "completion", sh)
		if r.code != 0 || !strings.Contains(r.stdout, "charter") {
			t.Fatalf("completion %s: %+v", sh, r)
		}
		if _, err := exec.LookPath(sh); err != nil {
			if sh == "bash" {
				t.Logf("bash not installed; its script was not parsed")
			}
			continue
		}
		file := filepath.Join(t.TempDir(), "charter."+sh)
		os.WriteFile(file, []byte(r.stdout), 0o600)
		if out, err := exec.Command(sh, "-n", file).CombinedOutput(); err != nil {
			t.Errorf("%s -n: %v\n%s", sh, err, out)
		}
	}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"__complete", ""}, []string{"export", "import", "report", "backup", "check", "serve", "completion"}},
		{[]string{"__complete", "export", ""}, []string{"signatories", "returns", "questions", "region"}},
		{[]string{"__complete", "import", ""}, []string{"signatories", "returns"}},
		{[]string{"__complete", "export", "returns", "--format", ""}, []string{"csv", "json"}},
		{[]string{"__complete", "export", "returns", "--"}, []string{"--format", "--out", "--spreadsheet", "--db"}},
	} {
		r := runIn(t, "", tc.args...)
		for _, w := range tc.want {
			if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(w) + `(\t|$)`).MatchString(r.stdout) {
				t.Errorf("%v: no %q in\n%s", tc.args, w, r.stdout)
			}
		}
		if strings.Contains(r.stdout, "--reviewer") {
			t.Errorf("%v offers --reviewer", tc.args)
		}
	}
	// After the kind, export takes no more arguments.
	if r := runIn(t, "", "__complete", "export", "returns", ""); strings.Contains(r.stdout, "signatories") {
		t.Errorf("a second kind offered:\n%s", r.stdout)
	}
}

func TestManPage(t *testing.T) {
	r := runIn(t, "", "man")
	if r.code != 0 || !strings.HasPrefix(r.stdout, ".TH CHARTER 1") {
		t.Fatalf("%+v", r)
	}
	// Paragraphs are whole, not one per source line.
	for _, want := range []string{"export", "import", `\fB--db\fP`, "backup", "--reviewer", "Charter group: check employers'", "opens the workbench in the terminal"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("man page lacks %q", want)
		}
	}
}

// hostileDB is a database with a signatory whose fields carry escape
// sequences, C0 and C1 controls and bidi overrides.
const hostileText = "Evil \x1b]0;pwned\x07Title \x1b[31mred\x1b[0m \u009b31m c1 \u202egnp.exe\u202c bell\x07 end"

func hostileDB(t *testing.T) string {
	t.Helper()
	path := newDB(t)
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := db.Signatory(1)
	if err != nil {
		t.Fatal(err)
	}
	s.Notes = hostileText
	s.ContactName = "Ann \x1b[2J\x1b[H Clear"
	if err := db.UpdateSignatory(&s, "priya"); err != nil {
		t.Fatal(err)
	}
	return path
}

// Exported CSV on a terminal carries no ESC, C0/C1 or bidi control from
// the data; to a file or a pipe it is byte-exact.
func TestExportToTerminalIsNeutralisedToFileExact(t *testing.T) {
	db := hostileDB(t)
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer ptmx.Close()
	got := make(chan []byte)
	go func() {
		b, _ := io.ReadAll(ptmx) // ends with EIO once the terminal side is closed
		got <- b
	}()
	var errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: tty, stderr: &errb, getenv: func(string) string { return "" }, isTerminal: isTerminal}
	code := run([]string{"--db", db, "export", "signatories"}, e)
	tty.Close()
	screen := <-got
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !bytes.Contains(screen, []byte("Cobalt Kettle")) || !bytes.Contains(screen, []byte("gnp.exe")) {
		t.Fatalf("terminal output lacks the data:\n%q", screen)
	}
	for _, r := range string(screen) {
		if r == 0x1b || (r < 0x20 && r != '\n' && r != '\r') || (r >= 0x7f && r < 0xa0) ||
			(r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == unicode.ReplacementChar {
			t.Fatalf("terminal output carries %U:\n%q", r, screen)
		}
	}

	// To a pipe and to a file: the data exactly, the same bytes both ways.
	pipe := runIn(t, "", "--db", db, "export", "signatories")
	out := filepath.Join(t.TempDir(), "s.csv")
	if r := runIn(t, "", "--db", db, "export", "signatories", "--out", out); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	file, _ := os.ReadFile(out)
	if !bytes.Contains(file, []byte(hostileText)) || string(file) != pipe.stdout {
		t.Fatalf("file is not exact:\n%q", file)
	}
	found := false
	for _, row := range readCSV(t, file) {
		found = found || row[12] == hostileText
	}
	if !found {
		t.Error("the notes are not exported exactly")
	}
}

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// --out files are created with the user's umask, as the shell's `>`.
func TestOutRespectsUmask(t *testing.T) {
	db := newDB(t)
	dir := t.TempDir()
	for _, tc := range []struct {
		umask int
		mode  os.FileMode
	}{{0o077, 0o600}, {0o022, 0o644}, {0o027, 0o640}} {
		old := syscall.Umask(tc.umask)
		for _, args := range [][]string{
			{"export", "signatories", "--out", filepath.Join(dir, "s.csv")},
			{"export", "returns", "-f", "json", "-o", filepath.Join(dir, "r.json")},
			{"report", "--out", filepath.Join(dir, "board.md")},
		} {
			r := runIn(t, "", append([]string{"--db", db}, args...)...)
			fi, err := os.Stat(args[len(args)-1])
			if r.code != 0 || err != nil || fi.Mode().Perm() != tc.mode {
				t.Errorf("umask %03o, %v: exit %d %s, mode %v, want %v", tc.umask, args, r.code, r.stderr, fi.Mode().Perm(), tc.mode)
			}
		}
		syscall.Umask(old)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// The hostile test file: every broken line is reported with its line, the
// rest is read on, and nothing is written.
func TestImportHostileFileReportsEveryBrokenLine(t *testing.T) {
	db := newDB(t)
	r := runIn(t, "", "--db", db, "import", "signatories", filepath.Join("..", "..", "model", "testdata", "hostile-signatories.csv"))
	if r.code != 1 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	want := `line 40: broken CSV: a " in the middle of an unquoted field (line 40, column 6); quote the whole field and double the " inside it
line 41, contact_name: is not valid UTF-8
line 47: broken CSV: a quoted field opened on this line never closes (is a closing " missing?)
charter: 3 problems; nothing was imported
`
	if r.stderr != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", r.stderr, want)
	}
	if r := runIn(t, "", "--db", db, "export", "signatories"); strings.Contains(r.stdout, "Hostile Test Org") {
		t.Error("a bad file wrote something")
	}
	// One problem reads as one.
	r = runIn(t, header+",Ann,,private,West Midlands,Dudley,,Ann,2024-02-01,,yes,,\n", "--db", db, "import", "signatories", "-")
	if !strings.HasSuffix(r.stderr, "charter: 1 problem; nothing was imported\n") {
		t.Errorf("one problem: %q", r.stderr)
	}
	// A broken returns file is read on to its end too.
	in := "region,alliance,strand,respondent_kind,respondent,question_id,question,status,answer,rating,good_practice,comment\n" +
		"Wales,Civic Society,,Prison,Ca\"rdiff,w-1,T,answered,x,,no,\n" +
		"Wales,Civic Society,,Prison,Swansea,w-1,\"T,answered,x,,no,\n" +
		"Wales,Civic Society,,Prison,Parc,w-1,T,answerd,x,,no,\n"
	r = runIn(t, in, "--db", db, "import", "returns", "-")
	for _, w := range []string{"line 2: broken CSV", "line 3: broken CSV: a quoted field opened on this line never closes", "line 4, status: answerd", "charter: 3 problems; nothing was imported"} {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("returns: stderr lacks %q:\n%s", w, r.stderr)
		}
	}
}

// check reports the schema version and the counts, also while another
// process holds the file.
func TestCheckReportsCountsEvenWhileHeld(t *testing.T) {
	db := newDB(t)
	want := []string{"ok: " + db, "schema version ", "40 signatories", "169 returns in 1 region", "0 annotated returns"}
	r := runIn(t, "", "--db", db, "check")
	for _, w := range want {
		if r.code != 0 || !strings.Contains(r.stdout, w) {
			t.Errorf("check lacks %q: %+v", w, r)
		}
	}
	holder, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	r = runIn(t, "", "check", db)
	for _, w := range append(want, "checked by the process holding it") {
		if r.code != 0 || !strings.Contains(r.stdout, w) {
			t.Errorf("check while held lacks %q: %+v", w, r)
		}
	}
}

// backup refuses to replace a file unless --force.
func TestBackupRefusesAnExistingFileWithoutForce(t *testing.T) {
	db := newDB(t)
	dst := filepath.Join(t.TempDir(), "b.db")
	os.WriteFile(dst, []byte("keep me"), 0o600)
	r := runIn(t, "", "--db", db, "backup", dst)
	if r.code != 1 || !strings.Contains(r.stderr, "already exists") || !strings.Contains(r.stderr, "--force") {
		t.Fatalf("%+v", r)
	}
	if b, _ := os.ReadFile(dst); string(b) != "keep me" {
		t.Fatal("backup replaced the file without --force")
	}
	r = runIn(t, "", "--db", db, "backup", "--force", dst)
	if r.code != 0 || !strings.Contains(r.stdout, "(checked)") || !strings.Contains(r.stdout, "40 signatories") {
		t.Fatalf("--force: %+v", r)
	}
	if r := runIn(t, "", "check", dst); r.code != 0 {
		t.Fatalf("check backup: %+v", r)
	}
}

// An export of the returns imports again unchanged: the Corporate
// section's question groups included.
func TestReturnsExportImportsBackUnchanged(t *testing.T) {
	db := newDB(t)
	first := runIn(t, "", "--db", db, "export", "returns")
	if first.code != 0 || !strings.Contains(first.stdout, ",prisons\n") {
		t.Fatalf("export: %d %s", first.code, first.stderr)
	}
	if r := runIn(t, first.stdout, "--db", db, "import", "returns", "--update", "-"); r.code != 0 {
		t.Fatalf("import: %+v", r)
	}
	if again := runIn(t, "", "--db", db, "export", "returns"); again.stdout != first.stdout {
		t.Error("the returns changed on their way through export and import")
	}
}

// Every problem of a returns file is counted, beyond the 100 shown.
func TestImportReturnsCountsEveryProblem(t *testing.T) {
	db := newDB(t)
	in := "region,alliance,strand,respondent_kind,respondent,question_id,question,status,answer,rating,good_practice,comment\n" +
		strings.Repeat("Wales,Civic Society,,Prison,Cardiff,w-1,T,answerd,x,,no,\n", 150)
	r := runIn(t, in, "--db", db, "import", "returns", "-")
	if r.code != 1 || strings.Count(r.stderr, "line ") != 100 || !strings.HasSuffix(r.stderr, "… and 50 more\ncharter: 150 problems; nothing was imported\n") {
		t.Errorf("%d %q", r.code, r.stderr[max(0, len(r.stderr)-300):])
	}
}

// The audit's commands are wired: a dossier, the questions, and a region
// exported and read back by import returns.
func TestDossierQuestionsAndRegionCommands(t *testing.T) {
	db := newDB(t)
	if r := runIn(t, "", "--db", db, "dossier", "featherstone"); r.code != 0 || !strings.Contains(r.stdout, "Featherstone") {
		t.Errorf("dossier: %d %s", r.code, r.stderr)
	}
	if r := runIn(t, "", "--db", db, "dossier", "nowhere-ville"); r.code != 1 || !strings.Contains(r.stderr, "nowhere-ville") {
		t.Errorf("unknown dossier: %+v", r)
	}
	r := runIn(t, "", "--db", db, "export", "questions")
	if rows := readCSV(t, []byte(r.stdout)); r.code != 0 || len(rows) != 1+48 || rows[0][7] != "prompt" {
		t.Errorf("questions: %d %s, %d rows", r.code, r.stderr, len(rows))
	}
	region := filepath.Join(t.TempDir(), "wm.json")
	if r := runIn(t, "", "--db", db, "export", "region", "west midlands", "--out", region); r.code != 0 {
		t.Fatalf("export region: %+v", r)
	}
	before := runIn(t, "", "--db", db, "export", "returns").stdout
	if r := runIn(t, "", "--db", db, "import", "returns", "--update", region); r.code != 0 || !strings.Contains(r.stdout, "169 returns") {
		t.Fatalf("import region: %+v", r)
	}
	if after := runIn(t, "", "--db", db, "export", "returns").stdout; after != before {
		t.Error("the returns changed on their way through a region export")
	}
}
