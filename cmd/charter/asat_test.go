package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// --as-at rebuilds the register from history: a record signed up today
// is not in yesterday's register but is in today's; bad dates are usage
// errors.
func TestExportAndReportAsAt(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	in := header + "New Leaf Bakery,Ann,,private,West Midlands,Dudley,,Ann,2024-02-01,training,yes,,\n"
	if r := runIn(t, in, "--db", db, "import", "signatories", "-"); r.code != 0 {
		t.Fatalf("import: %+v", r)
	}
	now := time.Now().UTC()
	today := now.Format("2006-01-02")
	yesterday := now.AddDate(0, 0, -1).Format("2006-01-02")

	r := runIn(t, "", "--db", db, "export", "signatories", "--as-at", yesterday)
	if r.code != 0 || strings.Count(strings.TrimSpace(r.stdout), "\n") != 0 || !strings.HasPrefix(r.stdout, "organisation,") {
		t.Errorf("as at yesterday: want the header alone: %+v", r)
	}
	r = runIn(t, "", "--db", db, "export", "signatories", "--as-at", today, "--format", "json")
	if r.code != 0 || !strings.Contains(r.stdout, `"organisation": "New Leaf Bakery"`) {
		t.Errorf("as at today: %+v", r)
	}
	now2 := runIn(t, "", "--db", db, "export", "signatories")
	asAt := runIn(t, "", "--db", db, "export", "signatories", "--as-at", today)
	if now2.stdout != asAt.stdout {
		t.Errorf("as at today differs from now:\n%s\n---\n%s", now2.stdout, asAt.stdout)
	}

	r = runIn(t, "", "--db", db, "report", "--as-at", yesterday)
	if r.code != 0 || strings.Contains(r.stdout, "New Leaf Bakery") {
		t.Errorf("report as at yesterday: code %d, mentions a later sign-up: %v", r.code, strings.Contains(r.stdout, "New Leaf Bakery"))
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"export", "signatories", "--as-at", "31/03/2025"}, `--as-at "31/03/2025" is not a date (YYYY-MM-DD)`},
		{[]string{"export", "signatories", "--as-at", now.AddDate(0, 0, 2).Format("2006-01-02")}, "is in the future"},
		{[]string{"report", "--as-at", "2025-02-30"}, "is not a date"},
		{[]string{"export", "returns", "--as-at", today}, "--as-at goes with export signatories"},
	} {
		r := runIn(t, "", append([]string{"--db", db}, tc.args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: want usage error %q: %+v", tc.args, tc.want, r)
		}
	}
}
