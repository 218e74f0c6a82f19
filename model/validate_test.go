package model

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var today = time.Date(2026, 11, 22, 15, 0, 0, 0, time.UTC)

func validSignatory() Signatory {
	n := 40
	return Signatory{
		Organisation: "Brindley Wharf Printing", ContactName: "A Person", Email: "a@example.org",
		Sector: SectorPrivate, Region: "West Midlands", LocalArea: "Dudley", Employees: &n,
		SignedBy: "A Person", SignedOn: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC),
		Commitments: CommitmentSet(0).With(Training), VacancyStatement: true, ReviewStatus: StatusPending,
	}
}

func TestValidateEveryField(t *testing.T) {
	neg := -3
	huge := MaxEmployees + 1
	tests := []struct {
		name  string
		edit  func(*Signatory)
		field string
		msg   string
	}{
		{"organisation required", func(s *Signatory) { s.Organisation = "  " }, FieldOrganisation, "is required"},
		{"organisation too long", func(s *Signatory) { s.Organisation = strings.Repeat("x", 201) }, FieldOrganisation, "is 201 characters long; at most 200 are allowed"},
		{"organisation 10000", func(s *Signatory) { s.Organisation = strings.Repeat("é", 10000) }, FieldOrganisation, "is 10000 characters long; at most 200 are allowed"},
		{"contact too long", func(s *Signatory) { s.ContactName = strings.Repeat("y", 201) }, FieldContactName, "is 201 characters long; at most 200 are allowed"},
		{"email", func(s *Signatory) { s.Email = "not-an-address" }, FieldEmail, "not-an-address is not an email address"},
		{"email with name", func(s *Signatory) { s.Email = "Bob <bob@example.org>" }, FieldEmail, `"Bob <bob@example.org>" is not an email address`},
		{"sector missing", func(s *Signatory) { s.Sector = "" }, FieldSector, "is required (private, public, voluntary or social_enterprise)"},
		{"sector unknown", func(s *Signatory) { s.Sector = "charity" }, FieldSector, "charity is not a sector (private, public, voluntary or social_enterprise)"},
		{"region required", func(s *Signatory) { s.Region = "" }, FieldRegion, "is required"},
		{"area too long", func(s *Signatory) { s.LocalArea = strings.Repeat("z", 101) }, FieldLocalArea, "is 101 characters long; at most 100 are allowed"},
		{"employees negative", func(s *Signatory) { s.Employees = &neg }, FieldEmployees, "-3 is negative"},
		{"employees huge", func(s *Signatory) { s.Employees = &huge }, FieldEmployees, "10000001 is more than 10000000"},
		{"signed_by too long", func(s *Signatory) { s.SignedBy = strings.Repeat("s", 201) }, FieldSignedBy, "is 201 characters long; at most 200 are allowed"},
		{"signed_on missing", func(s *Signatory) { s.SignedOn = time.Time{} }, FieldSignedOn, "is required (YYYY-MM-DD)"},
		{"signed_on future", func(s *Signatory) { s.SignedOn = time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC) }, FieldSignedOn, "2027-01-04 is in the future"},
		{"status unknown", func(s *Signatory) { s.ReviewStatus = "done" }, FieldReviewStatus, "done is not a review status (pending, verified or needs_info)"},
		{"notes too long", func(s *Signatory) { s.Notes = strings.Repeat("n", MaxNotes+1) }, FieldNotes, "is 2001 characters long; at most 2000 are allowed"},
		{"invalid utf8", func(s *Signatory) { s.ContactName = "bad\xffbyte" }, FieldContactName, "is not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := validSignatory()
			tt.edit(&s)
			s.Normalise()
			err := s.Validate(today)
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("want ErrInvalid, got %v", err)
			}
			fe := FieldErrors(err)
			if len(fe) != 1 || fe[0].Field != tt.field || fe[0].Msg != tt.msg {
				t.Fatalf("got %+v, want %s: %s", fe, tt.field, tt.msg)
			}
		})
	}
}

func TestValidateAcceptsGoodAndToday(t *testing.T) {
	s := validSignatory()
	s.SignedOn = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	s.Email = ""
	s.Employees = nil
	s.Normalise()
	if err := s.Validate(today); err != nil {
		t.Fatalf("valid record refused: %v", err)
	}
	s.ReviewStatus = ""
	s.Normalise()
	if s.ReviewStatus != StatusPending {
		t.Errorf("empty status should become pending, got %q", s.ReviewStatus)
	}
}

func TestDiffNamesChangedFields(t *testing.T) {
	a := validSignatory()
	b := a
	b.Commitments = b.Commitments.With(BanTheBox)
	b.ReviewStatus = StatusVerified
	got := Diff(&a, &b)
	want := []FieldChange{
		{FieldCommitments, "training", "training;ban_the_box"},
		{FieldReviewStatus, "pending", "verified"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("change %d: got %+v want %+v", i, got[i], want[i])
		}
	}
	if len(Diff(nil, &a)) == 0 {
		t.Error("a new record should list its fields")
	}
}

func TestRebaseKeepsBothSidesChanges(t *testing.T) {
	opened := validSignatory()
	opened.Version = 3
	theirs := opened
	theirs.Version = 4
	theirs.Notes = "their note"
	theirs.Commitments = theirs.Commitments.With(WorkExperience)
	mine := opened
	mine.ReviewStatus = StatusVerified
	mine.Commitments = mine.Commitments.With(BanTheBox)
	got := Rebase(&theirs, &opened, &mine)
	if got.Version != 4 || got.Notes != "their note" || got.ReviewStatus != StatusVerified ||
		got.Commitments != CommitmentSet(0).With(Training).With(WorkExperience).With(BanTheBox) {
		t.Fatalf("rebase: %+v", got)
	}
}
