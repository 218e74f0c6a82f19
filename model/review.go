package model

import (
	"fmt"
	"strings"
	"time"
)

// ReviewPeriod is how many months a review holds before the record is due
// again. The database will hold it as a setting; the rules take it as a
// parameter.
type ReviewPeriod int

// DefaultReviewPeriod is twelve months.
const DefaultReviewPeriod ReviewPeriod = 12

// MaxReviewPeriod bounds the setting (ten years).
const MaxReviewPeriod ReviewPeriod = 120

// DueSoonDays is how many days before its due date a record counts as due
// soon: on the due date itself and in the DueSoonDays days before it.
const DueSoonDays = 30

// Validate checks a review period setting.
func (p ReviewPeriod) Validate() error {
	if p < 1 || p > MaxReviewPeriod {
		return fmt.Errorf("a review period of %d months is outside 1–%d", int(p), int(MaxReviewPeriod))
	}
	return nil
}

// orDefault is p, or the default when p is not set.
func (p ReviewPeriod) orDefault() ReviewPeriod {
	if p <= 0 {
		return DefaultReviewPeriod
	}
	return p
}

// DueState is where a record stands in the review cycle.
type DueState uint8

const (
	// DueNone: not in the cycle (withdrawn).
	DueNone DueState = iota
	// DueCurrent: the last review holds for more than DueSoonDays.
	DueCurrent
	// DueSoon: due within DueSoonDays, or today.
	DueSoon
	// DueOverdue: the due date has passed.
	DueOverdue
)

// String is the filter's and export's form: current, soon, overdue, or ""
// for DueNone.
func (d DueState) String() string {
	switch d {
	case DueCurrent:
		return "current"
	case DueSoon:
		return "soon"
	case DueOverdue:
		return "overdue"
	}
	return ""
}

// Label is what people read: "Current", "Due soon", "Overdue".
func (d DueState) Label() string {
	switch d {
	case DueCurrent:
		return "Current"
	case DueSoon:
		return "Due soon"
	case DueOverdue:
		return "Overdue"
	}
	return ""
}

// DueStates lists the states of the cycle in the order of urgency.
func DueStates() []DueState { return []DueState{DueOverdue, DueSoon, DueCurrent} }

// addMonths moves a date by n calendar months, keeping the day of the
// month where it exists and otherwise taking the month's last day: 31
// January + 1 month is 28 (or 29) February, 29 February 2024 + 12 months
// is 28 February 2025.
func addMonths(d time.Time, n int) time.Time {
	y, m, day := d.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(day, last), 0, 0, 0, 0, time.UTC)
}

// ReviewBase is the date the review period runs from: the last review, or
// for a record never reviewed, its signing date.
func ReviewBase(s *Signatory) time.Time {
	if !s.LastReviewedOn.IsZero() {
		return dateOf(s.LastReviewedOn)
	}
	return dateOf(s.SignedOn)
}

// ReviewDue is the day a record's next review falls due: period months
// after ReviewBase (a period of 0 or less means the default). A record
// with neither a review nor a signing date has a zero due date.
func ReviewDue(s *Signatory, period ReviewPeriod) time.Time {
	base := ReviewBase(s)
	if base.IsZero() {
		return time.Time{}
	}
	return addMonths(base, int(period.orDefault()))
}

// DueStateOf derives the review state from dates alone. today is the
// reviewer's calendar day (its time of day is ignored). A withdrawn record
// is DueNone; a record with no date to run from is overdue.
func DueStateOf(s *Signatory, period ReviewPeriod, today time.Time) DueState {
	if s.Withdrawn() {
		return DueNone
	}
	due := ReviewDue(s, period)
	if due.IsZero() {
		return DueOverdue
	}
	return dueStateFor(due, dateOf(today))
}

func dueStateFor(due, today time.Time) DueState {
	switch {
	case today.After(due):
		return DueOverdue
	case !today.Before(due.AddDate(0, 0, -DueSoonDays)):
		return DueSoon
	}
	return DueCurrent
}

// dayNumber is the day a date falls on, counted from 1970-01-01 UTC.
func dayNumber(t time.Time) int64 {
	u := t.Unix()
	d := u / 86400
	if u%86400 < 0 {
		d--
	}
	return d
}

// firstBaseDue is the earliest review base date whose due date (period
// months on) is on or after target; records reviewed before it are due
// before target. ReviewDue never decreases as its base moves later, and
// the answer lies within a few days of target less period months.
func firstBaseDue(target time.Time, months int) int64 {
	guess := addMonths(target, -months)
	for d := -7; d <= 7; d++ {
		b := guess.AddDate(0, 0, d)
		if !addMonths(b, months).Before(target) {
			return dayNumber(b)
		}
	}
	return dayNumber(guess) // not reached: see TestDueClock
}

// DueClock tells the review state of many records on one day without
// date arithmetic per record: the table's due column, the summary bar's
// count and the due: filter use it over 100,000 records.
type DueClock struct {
	// A review base day before overdueBefore is overdue; one from
	// currentFrom on is current; in between, due soon.
	overdueBefore, currentFrom int64
}

// NewDueClock prepares the states for the calendar day of today under a
// review period of period months (0 or less: the default).
func NewDueClock(period ReviewPeriod, today time.Time) DueClock {
	today = dateOf(today)
	months := int(period.orDefault())
	return DueClock{
		overdueBefore: firstBaseDue(today, months),
		currentFrom:   firstBaseDue(today.AddDate(0, 0, DueSoonDays+1), months),
	}
}

// State is DueStateOf(s, period, today) for the clock's period and day.
func (c DueClock) State(s *Signatory) DueState {
	if s.ReviewStatus == StatusWithdrawn {
		return DueNone
	}
	base := s.LastReviewedOn
	if base.IsZero() {
		base = s.SignedOn
		if base.IsZero() {
			return DueOverdue
		}
	}
	switch d := dayNumber(base); {
	case d < c.overdueBefore:
		return DueOverdue
	case d < c.currentFrom:
		return DueSoon
	}
	return DueCurrent
}

// DaysOverdue is how many days past its due date a record is (0 when not
// overdue), for the report's ageing of overdue records.
func DaysOverdue(s *Signatory, period ReviewPeriod, today time.Time) int {
	if DueStateOf(s, period, today) != DueOverdue {
		return 0
	}
	due := ReviewDue(s, period)
	if due.IsZero() {
		return 0
	}
	return int(dateOf(today).Sub(due).Hours() / 24)
}

// Reviewed stamps a review on new when a save sets its status to verified
// or needs_info: when old is nil (a new record) or had another status. It
// records the calendar day of `at` and the reviewer, and reports whether
// it stamped. The store and the form call it on every save; imports do not
// (an imported status is not a review done here). A save that keeps the
// status leaves the last review as it was: to record a re-review of a
// record whose status does not change, call MarkReviewed.
func Reviewed(old, new *Signatory, by string, at time.Time) bool {
	if new == nil || (new.ReviewStatus != StatusVerified && new.ReviewStatus != StatusNeedsInfo) {
		return false
	}
	if old != nil && old.ReviewStatus == new.ReviewStatus {
		return false
	}
	MarkReviewed(new, by, at)
	return true
}

// MarkReviewed records a review of s today by `by`, whatever its status.
func MarkReviewed(s *Signatory, by string, at time.Time) {
	s.LastReviewedOn = dateOf(at)
	s.LastReviewedBy = strings.TrimSpace(by)
}

// validateReview checks the last-review fields.
func (s *Signatory) validateReview(today time.Time, add func(field, format string, args ...any)) {
	if !s.LastReviewedOn.IsZero() && s.LastReviewedOn.After(dateOf(today)) {
		add(FieldLastReviewedOn, "%s is in the future", s.LastReviewedOn.Format(DateLayout))
	}
	if hasControl(s.LastReviewedBy) {
		add(FieldLastReviewedBy, "may not contain control characters")
	}
}

// VerifyWarnings lists what a record marked verified lacks, for the form
// to ask about before saving: no commitments, no vacancy statement. Empty
// when the record is not verified or lacks neither.
func VerifyWarnings(s *Signatory) []string {
	if s.ReviewStatus != StatusVerified {
		return nil
	}
	var out []string
	if s.Commitments.Count() == 0 {
		out = append(out, "it declares no commitments")
	}
	if !s.VacancyStatement {
		out = append(out, "it has no vacancy statement")
	}
	return out
}
