package model

import (
	"strings"
	"testing"
	"time"
)

// The overdue list against hand-counted ages: today 2025-06-15, a 12-month
// period.
func TestOverdueSection(t *testing.T) {
	today := time.Date(2025, 6, 15, 14, 0, 0, 0, time.UTC)
	mk := func(name, signed, reviewed, by string, status ReviewStatus) Signatory {
		s := validSignatory()
		s.Organisation, s.ReviewStatus, s.LastReviewedBy = name, status, by
		s.SignedOn = date(signed)
		if reviewed != "" {
			s.LastReviewedOn = date(reviewed)
		}
		return s
	}
	sigs := []Signatory{
		mk("Due Today", "2024-06-15", "", "", StatusPending),               // due 2025-06-15: soon, not overdue
		mk("One Day", "2020-01-01", "2024-06-14", "priya", StatusVerified), // due 2025-06-14: 1 day
		mk("Never | Reviewed", "2024-01-01", "", "", StatusPending),        // due 2025-01-01: 165 days
		mk("Fresh", "2025-06-01", "", "", StatusPending),                   // current
	}
	w, err := Withdraw(mk("Gone", "2020-01-01", "", "", StatusPending), "left", "sam", date("2024-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	sigs = append(sigs, w) // withdrawn: out of the cycle
	got := OverdueSection(sigs, 12, today)
	want := "\n### Overdue for review (2)\n\n" +
		"A record falls due 12 months after its last review, or after signing if never reviewed.\n\n" +
		"| Organisation | Area | Status | Last reviewed | Due | Overdue (days) |\n|---|---|---|---|---|--:|\n" +
		"| Never \\| Reviewed | Dudley | pending | never | 2025-01-01 | 165 |\n" +
		"| One Day | Dudley | verified | 2024-06-14 by priya | 2025-06-14 | 1 |\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	// A six-month period brings Due Today in: due 2024-12-15, 182 days.
	got = OverdueSection(sigs, 6, today)
	if !strings.Contains(got, "(3)") || !strings.Contains(got, "| Due Today | Dudley | pending | never | 2024-12-15 | 182 |") ||
		!strings.Contains(got, "6 months") {
		t.Errorf("six months:\n%s", got)
	}
	if got := OverdueSection(nil, 1, today); !strings.Contains(got, "(0)") || !strings.Contains(got, "| (none) |") || !strings.Contains(got, "1 month after") {
		t.Errorf("empty:\n%s", got)
	}
}
