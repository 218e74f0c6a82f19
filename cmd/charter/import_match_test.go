package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// Row problems and clashes with stored organisations come in one pass,
// in line order, each with its line; a likely match is never merged.
func TestImportClashesInOnePassWithRowErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	first := header +
		"Acme Ltd,Ann,,private,West Midlands,Dudley,,Ann,2024-02-01,guaranteed_interviews;entry_level_jobs;work_experience;training,yes,verified,\n" +
		"Brindley Printing,Bob,,private,West Midlands,Walsall,,Bob,2024-02-02,training,yes,,\n"
	if r := runIn(t, first, "--db", db, "import", "signatories", "-"); r.code != 0 {
		t.Fatalf("first import: %+v", r)
	}
	second := header +
		"ACME Limited,Ann,,private,West Midlands,Dudley,,Ann,2024-02-01,training,yes,,\n" + // line 2: likely Acme Ltd
		",Ann,,charity,West Midlands,Dudley,,Ann,2024-02-01,,yes,,\n" + // line 3: row errors
		"Brindley Printing,Bob,,private,West Midlands,Walsall,,Bob,2024-02-02,training,yes,,\n" + // line 4: exists
		"Acme Kitchens,Cy,,private,West Midlands,Dudley,,Cy,2024-02-03,,yes,,\n" // line 5: a different organisation
	r := runIn(t, second, "--db", db, "import", "signatories", "-")
	if r.code != 1 {
		t.Fatalf("want refusal: %+v", r)
	}
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	wantPrefixes := []string{
		`line 2, organisation: "ACME Limited" is likely "Acme Ltd" ("West Midlands", record `,
		"line 3, organisation: is required",
		"line 3, sector: charity is not a sector",
		`line 4, organisation: "Brindley Printing" ("West Midlands") already exists as record `,
		"charter: 4 problems; nothing was imported",
	}
	if len(lines) != len(wantPrefixes) {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(wantPrefixes), r.stderr)
	}
	for i, w := range wantPrefixes {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("line %d: got %q, want it to start %q", i, lines[i], w)
		}
	}
	// --as-new takes the likely match as another organisation.
	third := header + "ACME Limited,Ann,,private,West Midlands,Dudley,,Ann,2024-02-01,training,yes,,\n"
	if r := runIn(t, third, "--db", db, "import", "signatories", "--as-new", "--dry-run", "-"); r.code != 0 ||
		!strings.Contains(r.stdout, "would import 1 signatory: 1 new") {
		t.Errorf("--as-new: %+v", r)
	}
}

// --dry-run --update says, per record, what would change.
func TestImportDryRunUpdateShowsChanges(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	first := header +
		"Acme Ltd,Ann,,private,West Midlands,Dudley,,Ann,2024-02-01,guaranteed_interviews;entry_level_jobs;work_experience;training,yes,verified,\n" +
		"Brindley Printing,Bob,,private,West Midlands,Walsall,,Bob,2024-02-02,training,yes,,\n"
	if r := runIn(t, first, "--db", db, "import", "signatories", "-"); r.code != 0 {
		t.Fatalf("first import: %+v", r)
	}
	update := header +
		"Brindley Printing,Bob,,private,West Midlands,Walsall,,Bob,2024-02-02,training,yes,,\n" +
		"Acme Ltd,Ann,,private,West Midlands,Dudley,,Ann,2024-02-01,training,yes,pending,\n"
	r := runIn(t, update, "--db", db, "import", "signatories", "--update", "--dry-run", "-")
	if r.code != 0 {
		t.Fatalf("dry run: %+v", r)
	}
	if strings.Contains(r.stdout, "Brindley") {
		t.Errorf("an unchanged record is listed:\n%s", r.stdout)
	}
	want := []string{
		"line 3: Acme Ltd (West Midlands), record ",
		", would change:\n" +
			"  commitments: guaranteed_interviews;entry_level_jobs;work_experience;training → training\n" +
			"  review_status: verified → pending\n" +
			"  tier: gold, verified → bronze, pending\n",
		"dry run, nothing written; would import 2 signatories: 0 new, 1 updated, 1 unchanged\n",
	}
	at := 0
	for _, w := range want {
		i := strings.Index(r.stdout[at:], w)
		if i < 0 {
			t.Fatalf("stdout lacks %q after offset %d:\n%s", w, at, r.stdout)
		}
		at += i + len(w)
	}
	// Nothing was written.
	if r := runIn(t, "", "--db", db, "export", "signatories"); !strings.Contains(r.stdout, ",verified,") {
		t.Errorf("dry run changed the record:\n%s", r.stdout)
	}
}
