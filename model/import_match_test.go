package model

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

func org(id uint64, name, region, email, area string) Signatory {
	s := validSignatory()
	s.ID, s.Version = id, 3
	s.Organisation, s.Region, s.Email, s.LocalArea = name, region, email, area
	return s
}

// Pairs an import must and must not take for the same organisation.
func TestMatchImportLikelyPairs(t *testing.T) {
	tests := []struct {
		stored, row           string
		storedEmail, rowEmail string
		want                  bool
	}{
		{"Acme Ltd", "ACME Limited", "", "", true},
		{"Acme Ltd", "Acme PLC", "", "", true},
		{"Smith & Sons", "Smith and Sons Ltd.", "", "", true},
		{"The Green Café CIC", "Green Café", "", "", true},
		{"Acme", "Acme Kitchens", "", "", false},
		{"Acme Ltd", "Acme Kitchens Ltd", "", "", false},
		{"Acme Kitchens", "Acme Catering", "jo@acmegroup.co.uk", "al@acmegroup.co.uk", true}, // same own domain and area
		{"Acme Kitchens", "Acme Catering", "jo@gmail.com", "al@gmail.com", false},            // free mail proves nothing
	}
	for _, tt := range tests {
		t.Run(tt.stored+"/"+tt.row, func(t *testing.T) {
			stored := []Signatory{org(7, tt.stored, "West Midlands", tt.storedEmail, "Dudley")}
			row := org(0, tt.row, "West Midlands", tt.rowEmail, "Dudley")
			old, issues := MatchImport([]Signatory{row}, []int{4}, stored, MatchOptions{Update: true})
			if got := len(issues) == 1; got != tt.want {
				t.Fatalf("likely match reported = %v, want %v (%v)", got, tt.want, issues)
			}
			if tt.want {
				msg := issues[0].Error()
				for _, frag := range []string{"line 4, organisation: ", "record 7", "not merged", "--as-new"} {
					if !strings.Contains(msg, frag) {
						t.Errorf("%q lacks %q", msg, frag)
					}
				}
			}
			if len(old) != 1 || old[0] != nil {
				t.Errorf("a likely match must never be merged: %+v", old)
			}
			// --as-new accepts it as another organisation.
			if _, issues := MatchImport([]Signatory{row}, []int{4}, stored, MatchOptions{AsNew: true}); len(issues) != 0 {
				t.Errorf("--as-new still refuses: %v", issues)
			}
		})
	}
}

// Every clash is reported in one pass, in line order, each with its line.
func TestMatchImportReportsEveryClash(t *testing.T) {
	stored := []Signatory{org(1, "Acme Ltd", "West Midlands", "", "Dudley"), org(2, "Brindley Printing", "West Midlands", "", "Walsall")}
	rows := []Signatory{
		org(0, "New Leaf Bakery", "West Midlands", "", "Dudley"),
		org(0, "brindley printing ", "west midlands", "", "Walsall"), // exact, no --update
		org(0, "ACME Limited", "West Midlands", "", "Dudley"),        // likely stored
		org(0, "New Leaf Bakery", "West Midlands", "", "Dudley"),     // twice in file
		org(0, "New Leaf Bakery Ltd", "West Midlands", "", "Dudley"), // likely line 2
	}
	rows[1].Normalise()
	_, issues := MatchImport(rows, []int{2, 3, 5, 6, 8}, stored, MatchOptions{})
	var got []string
	for _, is := range issues {
		got = append(got, is.Error())
	}
	want := []string{
		`line 3, organisation: "brindley printing" ("west midlands") already exists as record 2; give --update to change it`,
		`line 5, organisation: "ACME Limited" is likely "Acme Ltd" ("West Midlands", record 1): the same name once case, punctuation, "&" and legal forms are set aside ("acme"); not merged: to change that record give the row its name and region and --update, or give --as-new to add it as another organisation`,
		`line 6, organisation: New Leaf Bakery appears again (first on line 2)`,
		`line 8, organisation: "New Leaf Bakery Ltd" is likely "New Leaf Bakery" on line 2: the same name once case, punctuation, "&" and legal forms are set aside ("new leaf bakery"); give --as-new if they are different organisations`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// An update keeps the evidence, and the review and withdrawal when the
// file has no columns for them.
func TestMatchImportCarriesOver(t *testing.T) {
	old := org(9, "Acme Ltd", "West Midlands", "", "Dudley")
	old.SetEvidence(Training, "plan", "priya", date("2024-05-01"))
	MarkReviewed(&old, "priya", date("2024-05-01"))
	w, err := Withdraw(old, "left", "sam", date("2024-06-01"))
	if err != nil {
		t.Fatal(err)
	}
	row := org(0, "Acme Ltd", "West Midlands", "", "Dudley")
	rows := []Signatory{row}
	matched, issues := MatchImport(rows, []int{2}, []Signatory{w}, MatchOptions{Update: true})
	if len(issues) != 0 || len(matched) != 1 || matched[0] == nil || matched[0].ID != 9 {
		t.Fatalf("issues %v matches %+v", issues, matched)
	}
	n := rows[0]
	if n.ID != 9 || n.Version != 3 || len(n.Evidence) != 1 || n.LastReviewedBy != "priya" || !n.Withdrawn() || n.Withdrawal.Reason != "left" {
		t.Errorf("not carried over: %+v", n)
	}
	// With the columns, the file's values win: no review, not withdrawn.
	rows = []Signatory{row}
	MatchImport(rows, []int{2}, []Signatory{w}, MatchOptions{Update: true, HasReview: true, HasWithdrawal: true})
	if n := rows[0]; n.LastReviewedBy != "" || n.Withdrawn() || len(n.Evidence) != 1 {
		t.Errorf("file's columns ignored: %+v", n)
	}
	// A withdrawn row updating a verified record keeps verified as the
	// status a restore gives back.
	verified := org(9, "Acme Ltd", "West Midlands", "", "Dudley")
	verified.ReviewStatus = StatusVerified
	wrow, err := Withdraw(row, "left", "", date("2024-06-01"))
	if err != nil {
		t.Fatal(err)
	}
	wrow.Withdrawal.Prior = StatusPending // as the reader leaves it
	rows = []Signatory{wrow}
	MatchImport(rows, []int{2}, []Signatory{verified}, MatchOptions{Update: true, HasWithdrawal: true})
	if r, _ := Restore(rows[0]); r.ReviewStatus != StatusVerified {
		t.Errorf("restoring gives %s, want verified", r.ReviewStatus)
	}
}

// The dry run's text: a verified Gold record falling to Bronze/pending.
func TestDescribeChange(t *testing.T) {
	old := org(12, "Acme Ltd", "West Midlands", "", "Dudley")
	old.Commitments = CommitmentSet(0).With(GuaranteedInterviews).With(EntryLevelJobs).With(WorkExperience).With(Training)
	old.ReviewStatus = StatusVerified
	neu := old
	neu.Commitments = CommitmentSet(0).With(Training)
	neu.ReviewStatus = StatusPending
	neu.Notes = "line one\nline two"
	got := DescribeChange(3, &old, &neu)
	want := "line 3: Acme Ltd (West Midlands), record 12, would change:\n" +
		"  commitments: guaranteed_interviews;entry_level_jobs;work_experience;training → training\n" +
		"  review_status: verified → pending\n" +
		"  notes: (empty) → line one line two\n" +
		"  tier: gold, verified → bronze, pending"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if got := DescribeChange(4, &old, &old); got != "line 4: Acme Ltd (West Midlands), record 12, unchanged" {
		t.Errorf("unchanged: %q", got)
	}
	if got := DescribeChange(5, nil, &neu); got != "line 5: Acme Ltd (West Midlands) would be added: bronze, pending" {
		t.Errorf("new: %q", got)
	}
}

// Whatever the names: a row with a stored record's organisation and region
// updates it, a likely one is reported once and never merged, and any
// other is added without a word.
func FuzzMatchImport(f *testing.F) {
	f.Add("Acme Ltd", "ACME Limited", "jo@acme.co.uk", "al@acme.co.uk")
	f.Add("Acme", "Acme Kitchens", "", "")
	f.Add("Smith & Sons", "smith and sons", "a@gmail.com", "b@gmail.com")
	f.Add("The Ltd", "Ltd", "x@example.org", "y@example.org")
	f.Add("Brindley", " brindley ", "", "")
	f.Fuzz(func(t *testing.T, a, b, ea, eb string) {
		stored := org(5, a, "West Midlands", ea, "Dudley")
		row := org(0, b, "West Midlands", eb, "Dudley")
		old, issues := MatchImport([]Signatory{row}, []int{2}, []Signatory{stored}, MatchOptions{Update: true})
		if len(old) != 1 || len(issues) > 1 {
			t.Fatalf("%d matches, %d issues", len(old), len(issues))
		}
		exact := OrgKey(stored.Region, a) == OrgKey(row.Region, b)
		likely, _ := LikelySame(&stored, &row)
		likely = likely && sharesKey(&stored, &row)
		switch {
		case exact:
			if old[0] == nil || old[0].ID != 5 || len(issues) != 0 {
				t.Fatalf("exact %q/%q not an update: %+v %v", a, b, old[0], issues)
			}
		case likely:
			if old[0] != nil || len(issues) != 1 || issues[0].Line != 2 || !strings.Contains(issues[0].Msg, "record 5") {
				t.Fatalf("likely %q/%q: %+v %v", a, b, old[0], issues)
			}
		default:
			if old[0] != nil || len(issues) != 0 {
				t.Fatalf("unrelated %q/%q: %+v %v", a, b, old[0], issues)
			}
		}
		// --as-new never reports a likely match and never merges one.
		old, issues = MatchImport([]Signatory{row}, []int{2}, []Signatory{stored}, MatchOptions{AsNew: true})
		if !exact && (len(issues) != 0 || old[0] != nil) {
			t.Fatalf("--as-new %q/%q: %+v %v", a, b, old[0], issues)
		}
	})
}

// MatchImport finds the clashes, the records to update and the rows as
// updates that it did before it built each row's keys once, in place, for
// random files full of near and exact repeats.
func TestMatchImportAgreesWithReference(t *testing.T) {
	names := []string{"Acme Ltd", "ACME Limited", "acme", "The Acme Trust", "Acme Trust", "Smith & Sons", "Smith and Sons PLC",
		"Brindley Printing", "brindley printing ", "Café Nero", "CAFÉ NERO Ltd", "O'Neill", "O’Neill Ltd", "Limited", "!!", ""}
	regions := []string{"West Midlands", "west midlands", "Yorkshire", " Yorkshire"}
	emails := []string{"", "jo@acme.co.uk", "al@ACME.co.uk", "x@gmail.com", "y@example.org", "z@shop.test", "q@brindley.com"}
	areas := []string{"", "Dudley", "dudley", "Walsall"}
	rnd := rand.New(rand.NewPCG(5, 6))
	pick := func(xs []string) string { return xs[rnd.IntN(len(xs))] }
	for n := range 3000 {
		var stored, rows []Signatory
		for i := range rnd.IntN(4) {
			stored = append(stored, org(uint64(i+1), pick(names), pick(regions), pick(emails), pick(areas)))
		}
		var lines []int
		for i := range 1 + rnd.IntN(8) {
			rows = append(rows, org(0, pick(names), pick(regions), pick(emails), pick(areas)))
			lines = append(lines, 2+2*i)
		}
		opt := MatchOptions{Update: rnd.IntN(2) == 0, AsNew: rnd.IntN(3) == 0, HasReview: rnd.IntN(2) == 0, HasWithdrawal: rnd.IntN(2) == 0}
		refRows := append([]Signatory(nil), rows...)
		old, issues := MatchImport(rows, lines, stored, opt)
		refOld, refIssues := refMatchImport(refRows, lines, stored, opt)
		if fmt.Sprint(issues) != fmt.Sprint(refIssues) {
			t.Fatalf("case %d: issues\n%v\nwant\n%v", n, issues, refIssues)
		}
		for i := range rows {
			if old[i] != refOld[i] || fmt.Sprint(rows[i]) != fmt.Sprint(refRows[i]) {
				t.Fatalf("case %d, row %d: old %p %p, row %+v want %+v", n, i, old[i], refOld[i], rows[i], refRows[i])
			}
		}
	}
}
