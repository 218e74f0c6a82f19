package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"charter/model"
	"charter/store"
)

// runSettings runs the settings command on its own, as the root would.
func runSettings(t *testing.T, db string, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	g := &globals{e: e}
	cmd := newSettingsCmd(e, g)
	cmd.SetArgs(append([]string{"--db", db}, args...))
	cmd.SetOut(&out)
	cmd.SetErr(&errb)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	err := cmd.Execute()
	return out.String(), errb.String(), err
}

func TestSettingsReviewPeriod(t *testing.T) {
	db := newDB(t)
	if out, _, err := runSettings(t, db); err != nil || out != "review period: 12 months\n" {
		t.Fatalf("default: %q %v", out, err)
	}
	if out, _, err := runSettings(t, db, "review-period", "6", "--reviewer", "priya"); err != nil || out != "review period: 6 months\n" {
		t.Fatalf("set: %q %v", out, err)
	}
	if out, _, err := runSettings(t, db); err != nil || out != "review period: 6 months\n" {
		t.Fatalf("after set: %q %v", out, err)
	}
	s, err := store.Open(db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.ReviewPeriod()
	s.Close()
	if err != nil || p != 6 {
		t.Fatalf("stored %d %v", p, err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"review-period", "0"}, "outside 1–120"},
		{[]string{"review-period", "121"}, "outside 1–120"},
		{[]string{"review-period", "six"}, `"six" is not a whole number`},
		{[]string{"review-period"}, "needs a number of months"},
		{[]string{"colour", "blue"}, `not "colour"`},
	} {
		if _, _, err := runSettings(t, db, tc.args...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: got %v, want %q", tc.args, err, tc.want)
		}
	}
	// The period is still 6, and the export reckons with it.
	if out, _, _ := runSettings(t, db); out != "review period: 6 months\n" {
		t.Errorf("a refused setting changed it: %q", out)
	}
	s, err = store.Open(db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	sigs, err := s.Signatories()
	s.Close()
	if err != nil || len(sigs) == 0 {
		t.Fatalf("%d signatories, %v", len(sigs), err)
	}
	r := runIn(t, "", "--db", db, "export", "signatories", "--format", "json")
	want := `"review_due": "` + model.ReviewDue(&sigs[0], 6).Format(model.DateLayout) + `"`
	if !strings.Contains(r.stdout, want) {
		t.Errorf("export lacks %s under a 6-month period", want)
	}
	// The report's overdue list follows the period too.
	if r := runIn(t, "", "--db", db, "report"); !strings.Contains(r.stdout, "### Overdue for review (") ||
		!strings.Contains(r.stdout, "falls due 6 months after") {
		t.Errorf("report lacks the overdue list under 6 months")
	}
	// A missing database is not created.
	missing := filepath.Join(t.TempDir(), "none.db")
	if _, _, err := runSettings(t, missing, "review-period", "6"); err == nil || !strings.Contains(err.Error(), "no database") {
		t.Errorf("missing database: %v", err)
	}
}
