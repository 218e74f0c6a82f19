package store

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"charter/model"
)

// The register as at a date, rebuilt from a history written through the
// store on a real file, against figures known for each day.
func TestRegisterAsAtFromStoredHistory(t *testing.T) {
	now := time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC)
	db, err := Open(filepath.Join(t.TempDir(), "asat.db"), Options{NoSeed: true, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	at := func(s string) {
		t.Helper()
		d, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		now = d
	}
	set := func(keys ...model.Commitment) model.CommitmentSet {
		var c model.CommitmentSet
		for _, k := range keys {
			c = c.With(k)
		}
		return c
	}
	sig := func(name string, c model.CommitmentSet) model.Signatory {
		return model.Signatory{Organisation: name, Sector: model.SectorPrivate, Region: "West Midlands",
			LocalArea: "Dudley", SignedOn: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC), Commitments: c,
			VacancyStatement: true, ReviewStatus: model.StatusPending}
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}

	// 10 Jan: Acme signs, gold.
	acme := sig("Acme Ltd", set(model.GuaranteedInterviews, model.EntryLevelJobs, model.WorkExperience, model.Training))
	must(db.CreateSignatory(&acme, "ann"))
	// 15 Jan: Brindley signs, bronze.
	at("2025-01-15T10:00:00Z")
	brin := sig("Brindley Printing", set(model.Training))
	must(db.CreateSignatory(&brin, "ann"))
	// 1 Feb: Acme verified.
	at("2025-02-01T11:00:00Z")
	acme.ReviewStatus = model.StatusVerified
	must(db.UpdateSignatory(&acme, "priya"))
	// 5 Mar: Cobalt imported, silver.
	at("2025-03-05T12:00:00Z")
	_, err = db.ImportSignatories([]model.Signatory{sig("Cobalt Kettle", set(model.Training, model.WorkplaceMentor, model.BanTheBox))}, model.ImportOptions{}, "sam")
	must(err)
	// 2 Apr, late in the day: Acme falls to bronze and pending.
	at("2025-04-02T23:30:00Z")
	acme.Commitments = set(model.Training)
	acme.ReviewStatus = model.StatusPending
	must(db.UpdateSignatory(&acme, "sam"))
	// 20 Apr: Brindley deleted.
	at("2025-04-20T08:00:00Z")
	must(db.DeleteSignatory(brin.ID, brin.Version, "sam"))
	// 1 May: Cobalt withdrawn.
	at("2025-05-01T09:00:00Z")
	all, err := db.Signatories()
	must(err)
	var cobalt model.Signatory
	for _, s := range all {
		if s.Organisation == "Cobalt Kettle" {
			cobalt = s
		}
	}
	w, err := model.Withdraw(cobalt, "closed", "sam", now)
	must(err)
	must(db.UpdateSignatory(&w, "sam"))
	at("2025-06-01T09:00:00Z")

	current, err := db.Signatories()
	must(err)
	hist, err := db.AllSignatoryHistory()
	must(err)
	if len(hist) != 3 {
		t.Fatalf("histories of %d records, want 3 (the deleted one included)", len(hist))
	}

	tests := []struct {
		day  string
		want string
	}{
		{"2025-01-09", ""},
		{"2025-01-10", "Acme Ltd gold pending"},
		{"2025-01-31", "Acme Ltd gold pending; Brindley Printing bronze pending"},
		{"2025-02-01", "Acme Ltd gold verified reviewed 2025-02-01 by priya; Brindley Printing bronze pending"},
		{"2025-03-31", "Acme Ltd gold verified reviewed 2025-02-01 by priya; Brindley Printing bronze pending; Cobalt Kettle silver pending"},
		{"2025-04-01", "Acme Ltd gold verified reviewed 2025-02-01 by priya; Brindley Printing bronze pending; Cobalt Kettle silver pending"},
		{"2025-04-02", "Acme Ltd bronze pending reviewed 2025-02-01 by priya; Brindley Printing bronze pending; Cobalt Kettle silver pending"},
		{"2025-04-20", "Acme Ltd bronze pending reviewed 2025-02-01 by priya; Cobalt Kettle silver pending"},
		{"2025-05-01", "Acme Ltd bronze pending reviewed 2025-02-01 by priya; Cobalt Kettle silver withdrawn (closed, 2025-05-01)"},
	}
	for _, tt := range tests {
		t.Run(tt.day, func(t *testing.T) {
			day, _ := time.Parse(model.DateLayout, tt.day)
			reg, err := model.RegisterAsAt(current, hist, day)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for i := range reg {
				s := &reg[i]
				line := fmt.Sprintf("%s %s %s", s.Organisation, s.Tier(), s.ReviewStatus)
				if !s.LastReviewedOn.IsZero() {
					line += fmt.Sprintf(" reviewed %s by %s", s.LastReviewedOn.Format(model.DateLayout), s.LastReviewedBy)
				}
				if s.Withdrawn() {
					line += fmt.Sprintf(" (%s, %s)", s.Withdrawal.Reason, s.Withdrawal.On.Format(model.DateLayout))
				}
				got = append(got, line)
				// A rebuilt record is a valid record.
				if err := s.Validate(day); err != nil {
					t.Errorf("%s as at %s is invalid: %v", s.Organisation, tt.day, err)
				}
			}
			if g := strings.Join(got, "; "); g != tt.want {
				t.Errorf("as at %s:\n got %s\nwant %s", tt.day, g, tt.want)
			}
		})
	}
	// Today's register is today's records.
	reg, err := model.RegisterAsAt(current, hist, now)
	must(err)
	if len(reg) != len(current) {
		t.Fatalf("as at today: %d records, want %d", len(reg), len(current))
	}
	for i := range reg {
		if d := model.Diff(&current[i], &reg[i]); len(d) != 0 {
			t.Errorf("as at today %s differs: %+v", current[i].Organisation, d)
		}
	}
}
