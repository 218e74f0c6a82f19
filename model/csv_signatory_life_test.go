package model

import (
	"encoding/json"
	"strings"
	"testing"
)

// A record with a review, evidence and a withdrawal exports every new
// column, and the export reads back with the review and withdrawal kept.
func TestSignatoryExportLifeColumns(t *testing.T) {
	s := validSignatory()
	s.Commitments = 0
	for _, c := range []Commitment{GuaranteedInterviews, EntryLevelJobs, WorkExperience, Training} {
		s.Commitments = s.Commitments.With(c)
	}
	s.SetEvidence(Training, "training plan p.2", "priya", date("2024-05-01"))
	s.ReviewStatus = StatusVerified
	MarkReviewed(&s, "priya", date("2024-05-01"))
	w, err := Withdraw(s, "closed the Dudley site", "sam", date("2024-06-03"))
	if err != nil {
		t.Fatal(err)
	}
	live := s
	live.Organisation = "Live Ltd"
	x := SignatoryExport{Period: 12, Today: date("2025-04-10")}
	var b strings.Builder
	if err := x.WriteCSV(&b, []Signatory{live, w}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	header := strings.Split(lines[0], ",")
	cells := func(line string) map[string]string {
		m := map[string]string{}
		for i, v := range strings.Split(line, ",") {
			m[header[i]] = v
		}
		return m
	}
	got := cells(lines[1])
	want := map[string]string{"tier": "gold", "evidenced_tier": "bronze", "evidenced_commitments": "training",
		"last_reviewed_on": "2024-05-01", "last_reviewed_by": "priya", "review_due": "2025-05-01",
		"due_state": "soon", "review_status": "verified", "withdrawn_on": "", "withdrawn_reason": ""}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("live %s = %q, want %q", k, got[k], v)
		}
	}
	got = cells(lines[2])
	want = map[string]string{"review_status": "withdrawn", "withdrawn_on": "2024-06-03",
		"withdrawn_reason": "closed the Dudley site", "due_state": "", "review_due": ""}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("withdrawn %s = %q, want %q", k, got[k], v)
		}
	}

	rows, issues, err := readAll(t, b.String())
	if err != nil || len(issues) != 0 || len(rows) != 2 {
		t.Fatalf("read back: rows %d issues %v err %v", len(rows), issues, err)
	}
	if rows[0].LastReviewedBy != "priya" || !rows[0].LastReviewedOn.Equal(date("2024-05-01")) {
		t.Errorf("review not read back: %+v", rows[0])
	}
	if !rows[1].Withdrawn() || rows[1].Withdrawal.Reason != "closed the Dudley site" ||
		!rows[1].Withdrawal.On.Equal(date("2024-06-03")) || rows[1].Withdrawal.Prior != StatusPending {
		t.Errorf("withdrawal not read back: %+v", rows[1].Withdrawal)
	}
	if r, _ := Restore(rows[1]); r.ReviewStatus != StatusPending {
		t.Errorf("restoring an imported withdrawal gives %s, want pending", r.ReviewStatus)
	}

	js := x.JSON([]Signatory{live, w})
	raw, err := json.Marshal(js[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, frag := range []string{`"evidenced_tier":"bronze"`, `"due_state":"soon"`, `"withdrawn_on":null`,
		`"commitment":"training"`, `"last_reviewed_by":"priya"`} {
		if !strings.Contains(string(raw), frag) {
			t.Errorf("JSON lacks %s: %s", frag, raw)
		}
	}
}

// Withdrawal columns on a row that is not withdrawn, or a withdrawn row
// without them, are problems of that row.
func TestSignatoryImportWithdrawalRules(t *testing.T) {
	h := strings.TrimSuffix(sigHeader, "\n") + ",withdrawn_on,withdrawn_reason\n"
	row := func(status, on, reason string) string {
		return strings.TrimSuffix(rowWith("review_status", status), "\n") + "," + on + "," + reason + "\n"
	}
	tests := []struct {
		name, row, want string
	}{
		{"withdrawn with both", row("withdrawn", "2024-04-01", "left"), ""},
		{"withdrawn without reason", row("withdrawn", "2024-04-01", ""), "line 2, withdrawn_reason: a withdrawn record needs a reason and date (withdraw it in the workbench)"},
		{"withdrawn without date", row("withdrawn", "", "left"), "line 2, withdrawn_on: is required (YYYY-MM-DD)"},
		{"reason on a pending row", row("pending", "", "left"), "line 2, withdrawn_reason: is set but the status is pending, not withdrawn"},
		{"bad date", row("withdrawn", "2024-13-01", "left"), "line 2, withdrawn_on: 2024-13-01 is not a date (YYYY-MM-DD)"},
		{"future date", row("withdrawn", "2030-01-01", "left"), "line 2, withdrawn_on: 2030-01-01 is in the future"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, issues, err := readAll(t, h+tt.row)
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Join(issues, "\n")
			if got != tt.want {
				t.Errorf("got %q want %q", got, tt.want)
			}
		})
	}
}
