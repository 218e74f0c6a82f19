package model

import "testing"

func TestTierOfEveryBoundary(t *testing.T) {
	tests := []struct {
		n    int
		want Tier
		hint string
		one  bool
	}{
		{0, TierNone, "1 more commitment for Bronze", true},
		{1, TierBronze, "2 more commitments for Silver", false},
		{2, TierBronze, "1 more commitment for Silver", true},
		{3, TierSilver, "1 more commitment for Gold", true},
		{4, TierGold, "Top tier reached", false},
		{5, TierGold, "Top tier reached", false},
		{8, TierGold, "Top tier reached", false},
	}
	for _, tt := range tests {
		if got := TierOf(tt.n); got != tt.want {
			t.Errorf("TierOf(%d) = %v, want %v", tt.n, got, tt.want)
		}
		if got := NextTierHint(tt.n); got != tt.hint {
			t.Errorf("NextTierHint(%d) = %q, want %q", tt.n, got, tt.hint)
		}
		if got := OneFromNext(tt.n); got != tt.one {
			t.Errorf("OneFromNext(%d) = %v, want %v", tt.n, got, tt.one)
		}
	}
}

func TestToNextTier(t *testing.T) {
	tests := []struct {
		n    int
		next Tier
		more int
		ok   bool
	}{
		{0, TierBronze, 1, true},
		{1, TierSilver, 2, true},
		{2, TierSilver, 1, true},
		{3, TierGold, 1, true},
		{4, TierGold, 0, false},
	}
	for _, tt := range tests {
		next, more, ok := ToNextTier(tt.n)
		if next != tt.next || more != tt.more || ok != tt.ok {
			t.Errorf("ToNextTier(%d) = %v,%d,%v want %v,%d,%v", tt.n, next, more, ok, tt.next, tt.more, tt.ok)
		}
	}
}

func TestTierWordsAndParse(t *testing.T) {
	want := map[Tier][2]string{
		TierNone:   {"none", "No tier"},
		TierBronze: {"bronze", "Bronze"},
		TierSilver: {"silver", "Silver"},
		TierGold:   {"gold", "Gold"},
	}
	for tier, w := range want {
		if tier.String() != w[0] || tier.Label() != w[1] {
			t.Errorf("tier %d: got %q/%q want %q/%q", tier, tier.String(), tier.Label(), w[0], w[1])
		}
		back, err := ParseTier(w[0])
		if err != nil || back != tier {
			t.Errorf("ParseTier(%q) = %v, %v", w[0], back, err)
		}
	}
	if _, err := ParseTier("platinum"); err == nil {
		t.Error("ParseTier(platinum) should fail")
	}
}

func TestCommitmentSetCountsEachOnce(t *testing.T) {
	set, err := ParseCommitmentSet("training; ban_the_box;training;;TRAINING")
	if err != nil {
		t.Fatal(err)
	}
	if set.Count() != 2 || set.Tier() != TierBronze {
		t.Fatalf("count %d tier %v, want 2 bronze", set.Count(), set.Tier())
	}
	if got := set.String(); got != "training;ban_the_box" {
		t.Errorf("String() = %q (charter order expected)", got)
	}
	if _, err := ParseCommitmentSet("training;free_lunch"); err == nil {
		t.Error("unknown commitment accepted")
	}
	all := CommitmentSet(0)
	for _, c := range AllCommitments() {
		all = all.Toggle(c)
		if c.Info().Wording == "" || c.Label() == "" {
			t.Errorf("commitment %d lacks label or wording", c)
		}
	}
	if all.Count() != NumCommitments || all.Tier() != TierGold {
		t.Errorf("all commitments: %d %v", all.Count(), all.Tier())
	}
	if all.Toggle(Training).Has(Training) {
		t.Error("toggle did not remove")
	}
}

func TestTierCountsAdd(t *testing.T) {
	var c TierCounts
	mk := func(n int, vac bool) *Signatory {
		s := &Signatory{VacancyStatement: vac}
		for i := 0; i < n; i++ {
			s.Commitments = s.Commitments.With(Commitment(i))
		}
		return s
	}
	for _, s := range []*Signatory{mk(0, true), mk(2, false), mk(3, true), mk(5, true)} {
		c.Add(s, 1)
	}
	want := TierCounts{ByTier: [4]int{1, 1, 1, 1}, OneFromNext: 3, NoVacancy: 1, Total: 4}
	if c != want {
		t.Fatalf("got %+v want %+v", c, want)
	}
	c.Add(mk(2, false), -1)
	if c.ByTier[TierBronze] != 0 || c.OneFromNext != 2 || c.NoVacancy != 0 || c.Total != 3 {
		t.Fatalf("after removal: %+v", c)
	}
}
