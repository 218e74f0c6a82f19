package model

import (
	"strings"
	"testing"
)

func TestWithdrawAndRestore(t *testing.T) {
	for _, prior := range []ReviewStatus{StatusPending, StatusVerified, StatusNeedsInfo} {
		s := validSignatory()
		s.ReviewStatus = prior
		w, err := Withdraw(s, "  ceased trading  ", "Priya", date("2026-03-04").Add(15*3600e9))
		if err != nil {
			t.Fatal(err)
		}
		if !w.Withdrawn() || w.Withdrawal.Reason != "ceased trading" || dateText(w.Withdrawal.On) != "2026-03-04" || w.Withdrawal.Prior != prior {
			t.Fatalf("withdrawn %+v", w)
		}
		if s.Withdrawn() {
			t.Fatal("Withdraw changed its argument")
		}
		if err := w.Validate(today); err != nil {
			t.Errorf("a withdrawn record does not validate: %v", err)
		}
		// History shows the status, date and reason.
		var got []string
		for _, c := range Diff(&s, &w) {
			got = append(got, c.Field+":"+c.Old+"→"+c.New)
		}
		if want := "review_status:" + string(prior) + "→withdrawn,withdrawn_on:→2026-03-04,withdrawn_reason:→ceased trading"; strings.Join(got, ",") != want {
			t.Errorf("diff %v, want %s", got, want)
		}
		r, err := Restore(w)
		if err != nil {
			t.Fatal(err)
		}
		if r.ReviewStatus != prior || !r.Withdrawal.IsZero() {
			t.Errorf("restored %+v", r)
		}
		got = got[:0]
		for _, c := range Diff(&w, &r) {
			got = append(got, c.Field+":"+c.Old+"→"+c.New)
		}
		if want := "review_status:withdrawn→" + string(prior) + ",withdrawn_on:2026-03-04→,withdrawn_reason:ceased trading→"; strings.Join(got, ",") != want {
			t.Errorf("restore diff %v, want %s", got, want)
		}
	}
}

func TestWithdrawRefusals(t *testing.T) {
	s := validSignatory()
	on := date("2026-03-04")
	tests := []struct {
		name, reason, want string
	}{
		{"no reason", "   ", "withdrawn_reason: a withdrawal needs a reason"},
		{"too long", strings.Repeat("x", 501), "withdrawn_reason: is 501 characters long; at most 500 are allowed"},
		{"control", "left\x1b[2J", "withdrawn_reason: may not contain control characters"},
		{"bad UTF-8", "left\xff", "withdrawn_reason: is not valid UTF-8"},
	}
	for _, tt := range tests {
		if _, err := Withdraw(s, tt.reason, "P", on); err == nil || err.Error() != tt.want {
			t.Errorf("%s: %v, want %s", tt.name, err, tt.want)
		}
	}
	if _, err := Withdraw(s, "multi\nline reason", "P", on); err != nil {
		t.Errorf("a reason over lines: %v", err)
	}
	w, _ := Withdraw(s, "left", "P", on)
	if _, err := Withdraw(w, "again", "P", on); err == nil || err.Error() != "withdrawn_reason: the record was already withdrawn on 2026-03-04" {
		t.Errorf("twice: %v", err)
	}
	if _, err := Withdraw(s, "left", "P", date("0001-01-01")); err == nil || !strings.Contains(err.Error(), "withdrawn_on: is required") {
		t.Errorf("no date: %v", err)
	}
	if _, err := Restore(s); err == nil || err.Error() != "review_status: pending is not withdrawn, so there is nothing to restore" {
		t.Errorf("restore of a live record: %v", err)
	}
}

func TestValidateWithdrawal(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Signatory)
		want string
	}{
		{"status without withdrawal", func(s *Signatory) { s.ReviewStatus = StatusWithdrawn },
			"withdrawn_reason: a withdrawn record needs a reason and date (withdraw it in the workbench); withdrawn_on: is required (YYYY-MM-DD)"},
		{"withdrawal without status", func(s *Signatory) { s.Withdrawal = Withdrawal{Reason: "x", On: date("2026-01-01")} },
			"withdrawn_reason: is set but the status is pending, not withdrawn"},
		{"future", func(s *Signatory) {
			s.ReviewStatus, s.Withdrawal = StatusWithdrawn, Withdrawal{Reason: "x", On: date("2026-11-23")}
		}, "withdrawn_on: 2026-11-23 is in the future"},
	}
	for _, tt := range tests {
		s := validSignatory()
		tt.edit(&s)
		if err := s.Validate(today); err == nil || err.Error() != tt.want {
			t.Errorf("%s: %v, want %s", tt.name, err, tt.want)
		}
	}
}

// Withdrawn records leave the tier counts; the store's update (old -1,
// new +1) moves them out on withdrawal and back on restore.
func TestTierCountsWithdrawal(t *testing.T) {
	mk := func(n int, vac bool) Signatory {
		s := validSignatory()
		s.Commitments, s.VacancyStatement = 0, vac
		for i := 0; i < n; i++ {
			s.Commitments = s.Commitments.With(Commitment(i))
		}
		return s
	}
	recs := []Signatory{mk(0, true), mk(2, false), mk(3, true), mk(5, true)}
	var c TierCounts
	for i := range recs {
		c.Add(&recs[i], 1)
	}
	// Withdraw the bronze record without the vacancy statement.
	w, _ := Withdraw(recs[1], "left", "P", date("2026-01-01"))
	c.Add(&recs[1], -1)
	c.Add(&w, 1)
	want := TierCounts{ByTier: [4]int{1, 0, 1, 1}, OneFromNext: 2, NoVacancy: 0, Total: 3, Withdrawn: 1}
	if c != want {
		t.Fatalf("after withdrawal %+v, want %+v", c, want)
	}
	r, _ := Restore(w)
	c.Add(&w, -1)
	c.Add(&r, 1)
	want = TierCounts{ByTier: [4]int{1, 1, 1, 1}, OneFromNext: 3, NoVacancy: 1, Total: 4}
	if c != want {
		t.Fatalf("after restore %+v, want %+v", c, want)
	}
}

func TestTierCountsEvidencedAndMerge(t *testing.T) {
	var s1, s2, s3 Signatory
	for _, c := range []Commitment{Training, BanTheBox, WorkExperience, WorkplaceMentor} {
		s1.SetEvidence(c, "seen", "P", date("2026-01-01"))
	}
	s2.SetEvidence(Training, "seen", "P", date("2026-01-01"))
	s3.Commitments = CommitmentSet(0).With(Training).With(BanTheBox).With(WorkExperience)
	var a, b TierCounts
	a.Add(&s1, 1)
	a.Add(&s2, 1)
	b.Add(&s3, 1)
	a.Merge(b) // silver (3) is one from gold; bronze with 1 is two from silver
	if a.Total != 3 || a.EvidencedIn(TierGold) != 1 || a.EvidencedIn(TierBronze) != 1 || a.EvidencedIn(TierSilver) != 0 || a.EvidencedIn(TierNone) != 1 {
		t.Errorf("evidenced counts %+v", a)
	}
	if a.ByTier != [4]int{0, 1, 1, 1} || a.OneFromNext != 1 || a.NoVacancy != 3 {
		t.Errorf("declared counts %+v", a)
	}
}
