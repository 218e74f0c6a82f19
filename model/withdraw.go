package model

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxWithdrawalReason bounds the reason given for a withdrawal.
const MaxWithdrawalReason = 500

// Withdrawal records why and when a signatory was withdrawn, by whom, and
// the status it had, which Restore gives back.
type Withdrawal struct {
	Reason string       `json:"reason"`
	On     time.Time    `json:"on"`
	By     string       `json:"by"`
	Prior  ReviewStatus `json:"prior_status"`
}

// IsZero reports whether no withdrawal is recorded.
func (w Withdrawal) IsZero() bool {
	return w.Reason == "" && w.On.IsZero() && w.By == "" && w.Prior == ""
}

// Withdraw returns s withdrawn on the day of `on` for reason, by `by`. The
// record keeps every other field; history shows the status, date and
// reason change. A record already withdrawn, or a reason that is empty,
// too long or holds control characters, is refused with a
// *ValidationError naming withdrawn_reason.
func Withdraw(s Signatory, reason, by string, on time.Time) (Signatory, error) {
	reason = strings.TrimSpace(reason)
	fail := func(format string, args ...any) (Signatory, error) {
		return s, &ValidationError{Fields: []FieldError{{Field: FieldWithdrawnReason, Msg: fmt.Sprintf(format, args...)}}}
	}
	if msg := withdrawalReasonProblem(reason); msg != "" {
		return fail("%s", msg)
	}
	if s.Withdrawn() {
		return fail("the record was already withdrawn on %s", dateText(s.Withdrawal.On))
	}
	if on.IsZero() {
		return s, &ValidationError{Fields: []FieldError{{Field: FieldWithdrawnOn, Msg: "is required (YYYY-MM-DD)"}}}
	}
	prior := s.ReviewStatus
	if prior == "" {
		prior = StatusPending
	}
	s.Withdrawal = Withdrawal{Reason: reason, On: dateOf(on), By: strings.TrimSpace(by), Prior: prior}
	s.ReviewStatus = StatusWithdrawn
	return s, nil
}

// Restore returns a withdrawn s to the status it had before, clearing the
// withdrawal (history keeps it). A record that is not withdrawn is refused.
func Restore(s Signatory) (Signatory, error) {
	if !s.Withdrawn() {
		return s, &ValidationError{Fields: []FieldError{{Field: FieldReviewStatus, Msg: fmt.Sprintf("%s is not withdrawn, so there is nothing to restore", s.ReviewStatus)}}}
	}
	prior := s.Withdrawal.Prior
	switch prior {
	case StatusPending, StatusVerified, StatusNeedsInfo:
	default:
		prior = StatusPending
	}
	s.ReviewStatus = prior
	s.Withdrawal = Withdrawal{}
	return s, nil
}

func withdrawalReasonProblem(reason string) string {
	switch {
	case !utf8.ValidString(reason):
		return "is not valid UTF-8"
	case reason == "":
		return "a withdrawal needs a reason"
	case utf8.RuneCountInString(reason) > MaxWithdrawalReason:
		return fmt.Sprintf("is %d characters long; at most %d are allowed", utf8.RuneCountInString(reason), MaxWithdrawalReason)
	case hasControl(strings.ReplaceAll(reason, "\n", " ")):
		return "may not contain control characters"
	}
	return ""
}

// validateWithdrawal checks that the withdrawal and the status agree.
func (s *Signatory) validateWithdrawal(today time.Time, add func(field, format string, args ...any)) {
	if !s.Withdrawn() {
		if !s.Withdrawal.IsZero() {
			add(FieldWithdrawnReason, "is set but the status is %s, not withdrawn", s.ReviewStatus)
		}
		return
	}
	if msg := withdrawalReasonProblem(s.Withdrawal.Reason); msg != "" {
		if s.Withdrawal.Reason == "" {
			msg = "a withdrawn record needs a reason and date (withdraw it in the workbench)"
		}
		add(FieldWithdrawnReason, "%s", msg)
	}
	switch {
	case s.Withdrawal.On.IsZero():
		add(FieldWithdrawnOn, "is required (YYYY-MM-DD)")
	case s.Withdrawal.On.After(dateOf(today)):
		add(FieldWithdrawnOn, "%s is in the future", s.Withdrawal.On.Format(DateLayout))
	}
}
