package model

import (
	"testing"
	"time"
)

func TestAddMonths(t *testing.T) {
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2024-01-31", 1, "2024-02-29"}, // leap year
		{"2023-01-31", 1, "2023-02-28"},
		{"2024-02-29", 12, "2025-02-28"}, // from a leap day
		{"2024-02-29", 48, "2028-02-29"},
		{"2023-02-28", 12, "2024-02-28"},
		{"2024-03-31", -1, "2024-02-29"},
		{"2024-12-15", 1, "2025-01-15"},
		{"2024-05-31", 6, "2024-11-30"},
		{"2025-03-29", -13, "2024-02-29"},
	}
	for _, tt := range tests {
		if got := addMonths(date(tt.from), tt.n).Format(DateLayout); got != tt.want {
			t.Errorf("addMonths(%s, %d) = %s, want %s", tt.from, tt.n, got, tt.want)
		}
	}
}

func TestDueStateBoundaries(t *testing.T) {
	rec := func(signed, reviewed string) *Signatory {
		s := &Signatory{SignedOn: date(signed), ReviewStatus: StatusVerified}
		if reviewed != "" {
			s.LastReviewedOn = date(reviewed)
		}
		return s
	}
	// Reviewed 2025-03-01, 12 months: due 2026-03-01, soon from
	// 2026-01-30 (30 days before).
	tests := []struct {
		name     string
		s        *Signatory
		period   ReviewPeriod
		today    string
		want     DueState
		dueOn    string
		daysOver int
	}{
		{"long before", rec("2020-01-01", "2025-03-01"), 12, "2025-06-01", DueCurrent, "2026-03-01", 0},
		{"day before due soon", rec("2020-01-01", "2025-03-01"), 12, "2026-01-29", DueCurrent, "2026-03-01", 0},
		{"first day due soon", rec("2020-01-01", "2025-03-01"), 12, "2026-01-30", DueSoon, "2026-03-01", 0},
		{"day after that", rec("2020-01-01", "2025-03-01"), 12, "2026-01-31", DueSoon, "2026-03-01", 0},
		{"day before due", rec("2020-01-01", "2025-03-01"), 12, "2026-02-28", DueSoon, "2026-03-01", 0},
		{"on the due date", rec("2020-01-01", "2025-03-01"), 12, "2026-03-01", DueSoon, "2026-03-01", 0},
		{"day after due", rec("2020-01-01", "2025-03-01"), 12, "2026-03-02", DueOverdue, "2026-03-01", 1},
		{"a year late", rec("2020-01-01", "2025-03-01"), 12, "2027-03-01", DueOverdue, "2026-03-01", 365},
		// Never reviewed: due from the signing date.
		{"never reviewed, current", rec("2025-06-15", ""), 12, "2026-05-15", DueCurrent, "2026-06-15", 0},
		{"never reviewed, soon", rec("2025-06-15", ""), 12, "2026-05-16", DueSoon, "2026-06-15", 0},
		{"never reviewed, overdue", rec("2025-06-15", ""), 12, "2026-06-16", DueOverdue, "2026-06-15", 1},
		// Leap years: reviewed on 29 February, due on 28 February.
		{"leap day review, due on the 28th", rec("2020-01-01", "2024-02-29"), 12, "2025-02-28", DueSoon, "2025-02-28", 0},
		{"leap day review, overdue on 1 March", rec("2020-01-01", "2024-02-29"), 12, "2025-03-01", DueOverdue, "2025-02-28", 1},
		{"into a leap February: 30 days before 2028-03-01", rec("2020-01-01", "2027-03-01"), 12, "2028-01-31", DueSoon, "2028-03-01", 0},
		{"into a leap February: the day before that", rec("2020-01-01", "2027-03-01"), 12, "2028-01-30", DueCurrent, "2028-03-01", 0},
		{"over 29 February, overdue 1 March", rec("2020-01-01", "2027-02-28"), 12, "2028-02-29", DueOverdue, "2028-02-28", 1},
		// Period as a parameter; 0 means the default.
		{"default period", rec("2020-01-01", "2025-03-01"), 0, "2026-03-02", DueOverdue, "2026-03-01", 1},
		{"six months", rec("2020-01-01", "2025-08-31"), 6, "2026-02-28", DueSoon, "2026-02-28", 0},
		{"six months, overdue", rec("2020-01-01", "2025-08-31"), 6, "2026-03-01", DueOverdue, "2026-02-28", 1},
		{"24 months", rec("2020-01-01", "2025-03-01"), 24, "2026-03-02", DueCurrent, "2027-03-01", 0},
	}
	for _, tt := range tests {
		today := date(tt.today).Add(17 * time.Hour) // the time of day does not matter
		if got := DueStateOf(tt.s, tt.period, today); got != tt.want {
			t.Errorf("%s: DueStateOf = %v, want %v", tt.name, got, tt.want)
		}
		if got := ReviewDue(tt.s, tt.period).Format(DateLayout); got != tt.dueOn {
			t.Errorf("%s: ReviewDue = %s, want %s", tt.name, got, tt.dueOn)
		}
		if got := DaysOverdue(tt.s, tt.period, today); got != tt.daysOver {
			t.Errorf("%s: DaysOverdue = %d, want %d", tt.name, got, tt.daysOver)
		}
	}
	w := rec("2020-01-01", "")
	*w, _ = Withdraw(*w, "left", "x", date("2021-01-01"))
	if got := DueStateOf(w, 12, date("2026-01-01")); got != DueNone {
		t.Errorf("withdrawn: %v, want DueNone", got)
	}
	if got := DueStateOf(&Signatory{}, 12, date("2026-01-01")); got != DueOverdue {
		t.Errorf("no dates at all: %v, want overdue", got)
	}
}

// The due: filter decides by cut-off dates computed once; over four years
// of base dates, several periods and days around leap years and month
// ends, it agrees with DueStateOf.
func TestDueFilterAgreesWithDueStateOf(t *testing.T) {
	todays := []string{"2026-11-22", "2028-02-29", "2028-03-01", "2025-03-31", "2027-01-31", "2025-02-28", "2024-12-31"}
	for _, period := range []ReviewPeriod{1, 6, 12, 13, 24} {
		for _, td := range todays {
			today := date(td)
			ms := map[DueState]*SignatoryMatcher{}
			for _, d := range DueStates() {
				m, err := ParseSignatoryQuery("due:"+d.String(), FilterContext{Today: today, ReviewPeriod: period})
				if err != nil {
					t.Fatal(err)
				}
				ms[d] = m
			}
			for base := today.AddDate(-3, 0, 0); !base.After(today.AddDate(0, 2, 0)); base = base.AddDate(0, 0, 1) {
				s := Signatory{SignedOn: base.AddDate(-1, 0, 0), LastReviewedOn: base, ReviewStatus: StatusVerified}
				want := DueStateOf(&s, period, today)
				for d, m := range ms {
					if got := m.Match(&s, ""); got != (d == want) {
						t.Fatalf("period %d today %s base %s: due:%s says %v, DueStateOf %v", period, td, base.Format(DateLayout), d, got, want)
					}
				}
			}
		}
	}
}

func TestReviewed(t *testing.T) {
	at := time.Date(2026, 11, 22, 23, 30, 0, 0, time.UTC)
	tests := []struct {
		name     string
		old      *Signatory
		new      ReviewStatus
		stamped  bool
		reviewed string
	}{
		{"pending to verified", &Signatory{ReviewStatus: StatusPending}, StatusVerified, true, "2026-11-22"},
		{"pending to needs_info", &Signatory{ReviewStatus: StatusPending}, StatusNeedsInfo, true, "2026-11-22"},
		{"needs_info to verified", &Signatory{ReviewStatus: StatusNeedsInfo}, StatusVerified, true, "2026-11-22"},
		{"new record verified", nil, StatusVerified, true, "2026-11-22"},
		{"new record pending", nil, StatusPending, false, ""},
		{"verified kept", &Signatory{ReviewStatus: StatusVerified, LastReviewedOn: date("2025-01-01")}, StatusVerified, false, "2025-01-01"},
		{"verified to pending", &Signatory{ReviewStatus: StatusVerified, LastReviewedOn: date("2025-01-01")}, StatusPending, false, "2025-01-01"},
		{"to withdrawn", &Signatory{ReviewStatus: StatusVerified, LastReviewedOn: date("2025-01-01")}, StatusWithdrawn, false, "2025-01-01"},
	}
	for _, tt := range tests {
		n := Signatory{ReviewStatus: tt.new}
		if tt.old != nil {
			n = *tt.old
			n.ReviewStatus = tt.new
		}
		got := Reviewed(tt.old, &n, " Priya Patel ", at)
		if got != tt.stamped || dateText(n.LastReviewedOn) != tt.reviewed {
			t.Errorf("%s: stamped %v on %q, want %v on %q", tt.name, got, dateText(n.LastReviewedOn), tt.stamped, tt.reviewed)
		}
		if tt.stamped && n.LastReviewedBy != "Priya Patel" {
			t.Errorf("%s: by %q", tt.name, n.LastReviewedBy)
		}
	}
	// Explicit re-review of an unchanged status.
	s := Signatory{ReviewStatus: StatusVerified, LastReviewedOn: date("2025-01-01"), LastReviewedBy: "A"}
	MarkReviewed(&s, "B", at)
	if dateText(s.LastReviewedOn) != "2026-11-22" || s.LastReviewedBy != "B" {
		t.Errorf("MarkReviewed: %v %q", s.LastReviewedOn, s.LastReviewedBy)
	}
}

func TestReviewPeriodValidate(t *testing.T) {
	for p, ok := range map[ReviewPeriod]bool{0: false, -1: false, 1: true, 12: true, 120: true, 121: false} {
		if err := p.Validate(); (err == nil) != ok {
			t.Errorf("period %d: %v", p, err)
		}
	}
}

func TestVerifyWarnings(t *testing.T) {
	s := Signatory{ReviewStatus: StatusVerified}
	if got := VerifyWarnings(&s); len(got) != 2 {
		t.Errorf("nothing declared: %q", got)
	}
	s.Commitments = s.Commitments.With(Training)
	if got := VerifyWarnings(&s); len(got) != 1 || got[0] != "it has no vacancy statement" {
		t.Errorf("no statement: %q", got)
	}
	s.VacancyStatement = true
	if got := VerifyWarnings(&s); got != nil {
		t.Errorf("complete: %q", got)
	}
	s.Commitments, s.ReviewStatus = 0, StatusPending
	if got := VerifyWarnings(&s); got != nil {
		t.Errorf("pending: %q", got)
	}
}

// The clock agrees with DueStateOf for every base day from three years
// before to two months after today, for several periods and for days
// around leap years and month ends; and for withdrawn and undated records.
func TestDueClock(t *testing.T) {
	todays := []string{"2026-11-22", "2028-02-29", "2028-03-01", "2025-03-31", "2027-01-31", "2025-02-28", "2024-12-31", "2024-03-30"}
	for _, period := range []ReviewPeriod{0, 1, 6, 12, 13, 24, 120} {
		for _, td := range todays {
			today := date(td).Add(9 * time.Hour)
			clock := NewDueClock(period, today)
			for base := date(td).AddDate(-3, 0, 0); !base.After(date(td).AddDate(0, 2, 0)); base = base.AddDate(0, 0, 1) {
				for _, s := range []Signatory{
					{SignedOn: base, ReviewStatus: StatusPending},
					{SignedOn: date("2019-05-05"), LastReviewedOn: base, ReviewStatus: StatusVerified},
				} {
					if got, want := clock.State(&s), DueStateOf(&s, period, today); got != want {
						t.Fatalf("period %d today %s base %s: clock %v, DueStateOf %v", period, td, base.Format(DateLayout), got, want)
					}
				}
			}
			for _, s := range []Signatory{{}, {ReviewStatus: StatusWithdrawn, SignedOn: date("2020-01-01")}} {
				if got, want := clock.State(&s), DueStateOf(&s, period, today); got != want {
					t.Errorf("%+v: clock %v, DueStateOf %v", s, got, want)
				}
			}
		}
	}
}
