package model

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestEvidencedTier(t *testing.T) {
	on := date("2026-01-10")
	tests := []struct {
		name      string
		declared  []Commitment
		evidenced []Commitment
		declTier  Tier
		evTier    Tier
	}{
		{"nothing", nil, nil, TierNone, TierNone},
		{"declared only", []Commitment{Training, BanTheBox, WorkExperience, WorkplaceMentor}, nil, TierGold, TierNone},
		{"one evidenced", []Commitment{Training, BanTheBox, WorkExperience, WorkplaceMentor}, []Commitment{Training}, TierGold, TierBronze},
		{"two evidenced", []Commitment{Training, BanTheBox, WorkExperience, WorkplaceMentor}, []Commitment{Training, BanTheBox}, TierGold, TierBronze},
		{"three evidenced", []Commitment{Training, BanTheBox, WorkExperience, WorkplaceMentor}, []Commitment{Training, BanTheBox, WorkExperience}, TierGold, TierSilver},
		{"four evidenced", []Commitment{Training, BanTheBox, WorkExperience, WorkplaceMentor}, []Commitment{Training, BanTheBox, WorkExperience, WorkplaceMentor}, TierGold, TierGold},
		{"all eight", AllCommitments(), AllCommitments(), TierGold, TierGold},
		{"evidence declares", nil, []Commitment{Training, BanTheBox, WorkExperience}, TierSilver, TierSilver},
	}
	for _, tt := range tests {
		var s Signatory
		for _, c := range tt.declared {
			s.Commitments = s.Commitments.With(c)
		}
		for _, c := range tt.evidenced {
			s.SetEvidence(c, "seen "+c.Key(), "Reviewer", on)
		}
		if s.DeclaredTier() != tt.declTier || s.Tier() != tt.declTier || s.EvidencedTier() != tt.evTier {
			t.Errorf("%s: declared %v evidenced %v, want %v %v", tt.name, s.DeclaredTier(), s.EvidencedTier(), tt.declTier, tt.evTier)
		}
	}
	// Evidence for a commitment no longer declared stays but does not count.
	var s Signatory
	s.SetEvidence(Training, "plan", "R", on)
	s.SetEvidence(BanTheBox, "form", "R", on)
	s.SetEvidence(WorkExperience, "letters", "R", on)
	s.Commitments = s.Commitments.Without(BanTheBox)
	if s.EvidencedTier() != TierBronze || len(s.Evidence) != 3 || s.EvidencedSet().Has(BanTheBox) {
		t.Errorf("undeclared evidence counted: %v %v", s.EvidencedTier(), s.EvidencedSet())
	}
	// Replacing evidence keeps one entry per commitment, in charter order.
	s.SetEvidence(Training, "new plan", "Q", on)
	if got := evidenceText(s.Evidence); got != "work_experience: letters (by R, 2026-01-10); training: new plan (by Q, 2026-01-10); ban_the_box: form (by R, 2026-01-10)" {
		t.Errorf("evidence %q", got)
	}
	s.ClearEvidence(WorkExperience)
	if _, ok := s.EvidenceFor(WorkExperience); ok || s.EvidencedTier() != TierBronze {
		t.Errorf("ClearEvidence left %v", s.Evidence)
	}
}

func TestEvidenceIsNeverChangedInPlace(t *testing.T) {
	var a Signatory
	a.SetEvidence(Training, "plan", "R", date("2026-01-10"))
	b := a // a copy shares the slice
	b.SetEvidence(Training, "other", "S", date("2026-01-11"))
	b.ClearEvidence(Training)
	if e, ok := a.EvidenceFor(Training); !ok || e.Note != "plan" {
		t.Errorf("the copy's change reached the original: %+v", a.Evidence)
	}
}

func TestVacancyEvidence(t *testing.T) {
	var s Signatory
	if s.VacancyEvidenced() {
		t.Fatal("evidenced from nothing")
	}
	s.SetVacancyEvidence(" careers page, job ref 123 ", "Priya", date("2026-02-01"))
	if !s.VacancyStatement || !s.VacancyEvidenced() || s.VacancyEvidence.Note != "careers page, job ref 123" {
		t.Errorf("set: %+v", s)
	}
	s.VacancyStatement = false
	if s.VacancyEvidenced() {
		t.Error("evidenced while not declared")
	}
	s.ClearVacancyEvidence()
	if !s.VacancyEvidence.IsZero() {
		t.Error("not cleared")
	}
}

func TestValidateEvidence(t *testing.T) {
	ok := Evidence{Note: "policy p.4", By: "Priya", On: date("2026-01-10")}
	tests := []struct {
		name  string
		edit  func(*Signatory)
		field string
		msg   string
	}{
		{"no note", func(s *Signatory) { s.SetEvidence(Training, "  ", "P", date("2026-01-10")) }, "evidence:training", "needs a note saying what was seen and where"},
		{"long note", func(s *Signatory) { s.SetEvidence(Training, strings.Repeat("é", 201), "P", date("2026-01-10")) }, "evidence:training", "note is 201 characters long; at most 200 are allowed"},
		{"note of 200", func(s *Signatory) { s.SetEvidence(Training, strings.Repeat("é", 200), "P", date("2026-01-10")) }, "", ""},
		{"line break", func(s *Signatory) { s.SetEvidence(Training, "a\nb", "P", date("2026-01-10")) }, "evidence:training", "note may not contain control characters or line breaks"},
		{"escape", func(s *Signatory) { s.SetEvidence(BanTheBox, "a\x1b[31m", "P", date("2026-01-10")) }, "evidence:ban_the_box", "note may not contain control characters or line breaks"},
		{"C1", func(s *Signatory) { s.SetEvidence(BanTheBox, "a\u009bb", "P", date("2026-01-10")) }, "evidence:ban_the_box", "note may not contain control characters or line breaks"},
		{"line separator", func(s *Signatory) { s.SetEvidence(BanTheBox, "a\u2028b", "P", date("2026-01-10")) }, "evidence:ban_the_box", "note may not contain control characters or line breaks"},
		{"bad UTF-8", func(s *Signatory) { s.SetEvidence(BanTheBox, "a\xffb", "P", date("2026-01-10")) }, "evidence:ban_the_box", "is not valid UTF-8"},
		{"no one", func(s *Signatory) { s.SetEvidence(Training, "x", "", date("2026-01-10")) }, "evidence:training", "needs the name of who saw it"},
		{"no date", func(s *Signatory) { s.Evidence = []CommitmentEvidence{{Training, Evidence{Note: "x", By: "P"}}} }, "evidence:training", "needs the date it was seen"},
		{"future", func(s *Signatory) { s.SetEvidence(Training, "x", "P", date("2026-11-23")) }, "evidence:training", "2026-11-23 is in the future"},
		{"today", func(s *Signatory) { s.SetEvidence(Training, "x", "P", date("2026-11-22")) }, "", ""},
		{"twice", func(s *Signatory) {
			s.Evidence = []CommitmentEvidence{{Training, ok}, {Training, ok}}
		}, "evidence:training", "is recorded twice"},
		{"out of range", func(s *Signatory) { s.Evidence = []CommitmentEvidence{{Commitment(9), ok}} }, FieldEvidence, "commitment 9 is not a charter commitment"},
		{"vacancy where", func(s *Signatory) { s.SetVacancyEvidence("", "P", date("2026-01-10")) }, FieldVacancyEvidence, "needs a note saying what was seen and where"},
		{"vacancy future", func(s *Signatory) { s.SetVacancyEvidence("advert", "P", date("2027-01-01")) }, FieldVacancyEvidence, "2027-01-01 is in the future"},
	}
	for _, tt := range tests {
		s := validSignatory()
		tt.edit(&s)
		err := s.Validate(today)
		if tt.field == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		fe := FieldErrors(err)
		if len(fe) != 1 || fe[0].Field != tt.field || fe[0].Msg != tt.msg {
			t.Errorf("%s: got %v, want %s: %s", tt.name, fe, tt.field, tt.msg)
		}
	}
}

// A record stored before review, evidence and withdrawal existed decodes
// with their zero values and encodes back to the same JSON.
func TestStoredRecordsUnchanged(t *testing.T) {
	stored := `{"id":7,"organisation":"Acme","contact_name":"","email":"","sector":"private","region":"West Midlands","local_area":"Dudley","employees":null,"signed_by":"","signed_on":"2024-03-01T00:00:00Z","commitments":"training;ban_the_box","vacancy_statement":true,"review_status":"verified","notes":"","created":"2024-03-02T10:00:00Z","updated":"2024-03-02T10:00:00Z","version":3}`
	var s Signatory
	if err := json.Unmarshal([]byte(stored), &s); err != nil {
		t.Fatal(err)
	}
	if !s.LastReviewedOn.IsZero() || s.Evidence != nil || !s.VacancyEvidence.IsZero() || !s.Withdrawal.IsZero() || s.Withdrawn() {
		t.Errorf("new fields not zero: %+v", s)
	}
	back, _ := json.Marshal(&s)
	if string(back) != stored {
		t.Errorf("re-encoded differently:\n%s\n%s", back, stored)
	}
	if d := Diff(&s, &s); d != nil {
		t.Errorf("diff of itself: %v", d)
	}
	// And the new fields survive a round trip.
	s.SetEvidence(BanTheBox, "form", "P", date("2026-01-10"))
	s.SetVacancyEvidence("advert", "P", date("2026-01-11"))
	MarkReviewed(&s, "P", date("2026-01-12"))
	w, _ := Withdraw(s, "closed", "P", date("2026-02-01"))
	data, _ := json.Marshal(&w)
	if !strings.Contains(string(data), `"evidence":[{"commitment":"ban_the_box","note":"form","by":"P","on":"2026-01-10T00:00:00Z"}]`) {
		t.Errorf("evidence JSON: %s", data)
	}
	var again Signatory
	if err := json.Unmarshal(data, &again); err != nil {
		t.Fatal(err)
	}
	if d := Diff(&w, &again); d != nil {
		t.Errorf("round trip changed %v", d)
	}
	if err := json.Unmarshal([]byte(`{"evidence":[{"commitment":"free_lunch"}]}`), &again); err == nil {
		t.Error("unknown commitment in evidence decoded")
	}
}

func TestDiffAndRebaseNewFields(t *testing.T) {
	base := validSignatory()
	mine := base
	mine.SetEvidence(Training, "plan", "A", date("2026-01-10"))
	MarkReviewed(&mine, "A", date("2026-01-10"))
	theirs := base
	theirs.SetEvidence(BanTheBox, "form", "B", date("2026-01-11"))
	var fields []string
	for _, c := range Diff(&base, &mine) {
		fields = append(fields, c.Field)
	}
	if got := strings.Join(fields, ","); got != "last_reviewed_on,last_reviewed_by,evidence" {
		t.Errorf("diff fields %s", got)
	}
	// Keep mine on top of theirs: both pieces of evidence survive.
	merged := Rebase(&theirs, &base, &mine)
	if merged.EvidencedSet() != CommitmentSet(0).With(Training).With(BanTheBox) || merged.LastReviewedBy != "A" {
		t.Errorf("merged evidence %v, reviewer %q", merged.EvidencedSet(), merged.LastReviewedBy)
	}
}

func TestDerivedExportFields(t *testing.T) {
	s := validSignatory() // declares training
	s.Commitments = s.Commitments.With(BanTheBox).With(WorkExperience)
	s.SetEvidence(BanTheBox, "form", "P", date("2026-01-10"))
	s.SetEvidence(Training, "plan", "P", date("2026-01-10"))
	for field, want := range map[string]string{
		FieldTier: "silver", FieldEvidencedTier: "bronze", FieldEvidencedCommitments: "training;ban_the_box",
		FieldEvidence: "training: plan (by P, 2026-01-10); ban_the_box: form (by P, 2026-01-10)",
	} {
		if got := s.Field(field); got != want {
			t.Errorf("Field(%s) = %q, want %q", field, got, want)
		}
	}
	for _, f := range RecordFields() {
		if f == FieldTier || f == FieldEvidencedTier || f == FieldEvidencedCommitments {
			t.Errorf("history would keep the derived field %s", f)
		}
	}
}
