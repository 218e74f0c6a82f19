package model

import (
	"strings"
	"testing"
	"time"
)

// Evidence text reads back as it was written, notes with brackets and
// "; " included.
func TestEvidenceTextRoundTrip(t *testing.T) {
	tests := [][]CommitmentEvidence{
		nil,
		{{Training, Evidence{Note: "plan p.2", By: "priya", On: date("2024-05-01")}}},
		{{GuaranteedInterviews, Evidence{Note: "policy (2024 edition)"}},
			{Training, Evidence{Note: "seen; twice", On: date("2024-05-01")}},
			{BanTheBox, Evidence{Note: "form", By: "sam"}}},
	}
	for _, ev := range tests {
		text := evidenceText(ev)
		back, err := parseEvidenceText(text)
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		if evidenceText(back) != text || len(back) != len(ev) {
			t.Errorf("%q read back as %q (%d entries)", text, evidenceText(back), len(back))
		}
		for i := range ev {
			if !sameEvidence(ev[i], back[i]) {
				t.Errorf("%q entry %d: %+v, want %+v", text, i, back[i], ev[i])
			}
		}
	}
	if _, err := parseEvidenceText("not a key: x"); err == nil {
		t.Error("evidence text without a commitment key read without error")
	}
}

// AsAt at its boundaries: the end of the day, a record with no history,
// an unreadable history.
func TestAsAtBoundaries(t *testing.T) {
	s := validSignatory()
	s.ID, s.Version, s.Created = 1, 2, time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC)
	hist := []Change{
		{Version: 1, At: s.Created, Action: ActionCreate},
		{Version: 2, At: time.Date(2025, 2, 1, 23, 59, 59, 0, time.UTC), Action: ActionUpdate,
			Fields: []FieldChange{{Field: FieldReviewStatus, Old: "needs_info", New: "pending"}}},
	}
	tests := []struct {
		day  string
		want string // status, or "" for no record
	}{
		{"2025-01-09", ""},
		{"2025-01-10", "needs_info"},
		{"2025-01-31", "needs_info"},
		{"2025-02-01", "pending"},
	}
	for _, tt := range tests {
		got, err := AsAt(&s, hist, date(tt.day))
		if err != nil {
			t.Fatal(err)
		}
		if (got == nil) != (tt.want == "") || (got != nil && string(got.ReviewStatus) != tt.want) {
			t.Errorf("%s: got %+v, want %q", tt.day, got, tt.want)
		}
	}
	if got, _ := AsAt(&s, nil, date("2025-01-09")); got != nil {
		t.Error("no history: a record before its creation was found")
	}
	if got, _ := AsAt(&s, nil, date("2025-01-10")); got == nil {
		t.Error("no history: the record on its creation day is missing")
	}
	bad := append(hist, Change{Version: 3, At: date("2025-03-01"), Action: ActionUpdate,
		Fields: []FieldChange{{Field: FieldSignedOn, Old: "yesterday", New: "2024-01-01"}}})
	if _, err := AsAt(&s, bad, date("2025-02-01")); err == nil {
		t.Error("an unreadable old value gave no error")
	}
	if _, err := AsAt(nil, hist, date("2025-02-01")); err == nil {
		t.Error("a record with no current version and no delete gave no error")
	}
}

// Reading evidence text back and writing it again gives the same text,
// and evidence written from parts reads back to those parts when the
// note holds no bracket of its own.
func FuzzParseEvidence(f *testing.F) {
	f.Add("plan p.2", "priya", "2024-05-01")
	f.Add("policy (2024 edition)", "", "")
	f.Add("x (by a, b)", "c, d", "2024-01-01")
	f.Add("", "by", "")
	f.Add("seen; twice", "", "2023-12-31")
	f.Fuzz(func(t *testing.T, note, by, on string) {
		if got := parseEvidence(note).String(); got != note {
			t.Fatalf("parseEvidence(%q).String() = %q", note, got)
		}
		e := Evidence{Note: note, By: by}
		if d, err := time.Parse(DateLayout, on); err == nil {
			e.On = d
		}
		text := e.String()
		back := parseEvidence(text)
		if back.String() != text {
			t.Fatalf("%q read back writes %q", text, back.String())
		}
		if !strings.ContainsAny(note+by, "()") && !strings.Contains(by, ", ") && (e.By != "" || !e.On.IsZero()) && back != e {
			t.Fatalf("%+v wrote %q, read back %+v", e, text, back)
		}
	})
}
