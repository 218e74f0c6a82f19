package model

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Field limits. The interchange format fixes organisation, contact_name and
// signed_by; the others are set here so that no field can grow without bound
// (a 10,000-character name is an error, not a frozen screen).
const (
	MaxOrganisation = 200
	MaxName         = 200
	MaxEmail        = 254
	MaxPlace        = 100
	MaxNotes        = 2000
	MaxEmployees    = 10_000_000
)

// FieldError says which field broke which rule.
type FieldError struct {
	Field string `json:"field"`
	Msg   string `json:"message"`
}

func (e FieldError) Error() string { return e.Field + ": " + e.Msg }

// ValidationError collects every field error of one record. It matches
// ErrInvalid with errors.Is.
type ValidationError struct {
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Error()
	}
	return strings.Join(parts, "; ")
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// For returns the message for one field, or "" when it is fine.
func (e *ValidationError) For(field string) string {
	if e == nil {
		return ""
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return f.Msg
		}
	}
	return ""
}

// FieldErrors extracts the field errors from err, if it carries any.
func FieldErrors(err error) []FieldError {
	var ve *ValidationError
	if errors.As(err, &ve) {
		return ve.Fields
	}
	return nil
}

// Validate checks a normalised signatory against the interchange rules and
// returns a *ValidationError naming every bad field, or nil. today is the
// reviewer's date; signed_on may not be after it.
func (s *Signatory) Validate(today time.Time) error {
	var errs []FieldError
	add := func(field, format string, args ...any) {
		errs = append(errs, FieldError{Field: field, Msg: fmt.Sprintf(format, args...)})
	}
	checkLen := func(field, v string, max int) bool {
		if !utf8.ValidString(v) {
			add(field, "is not valid UTF-8")
			return false
		}
		if n := utf8.RuneCountInString(v); n > max {
			add(field, "is %d characters long; at most %d are allowed", n, max)
			return false
		}
		return true
	}

	if s.Organisation == "" {
		add(FieldOrganisation, "is required")
	} else {
		checkLen(FieldOrganisation, s.Organisation, MaxOrganisation)
	}
	checkLen(FieldContactName, s.ContactName, MaxName)
	if s.Email != "" && checkLen(FieldEmail, s.Email, MaxEmail) {
		if a, err := mail.ParseAddress(s.Email); err != nil || a.Address != s.Email {
			add(FieldEmail, "%s is not an email address", quoteIfOdd(s.Email))
		}
	}
	switch s.Sector {
	case SectorPrivate, SectorPublic, SectorVoluntary, SectorSocialEnterprise:
	case "":
		add(FieldSector, "is required (private, public, voluntary or social_enterprise)")
	default:
		add(FieldSector, "%s is not a sector (private, public, voluntary or social_enterprise)", quoteIfOdd(string(s.Sector)))
	}
	if s.Region == "" {
		add(FieldRegion, "is required")
	} else {
		checkLen(FieldRegion, s.Region, MaxPlace)
	}
	checkLen(FieldLocalArea, s.LocalArea, MaxPlace)
	if s.Employees != nil {
		if *s.Employees < 0 {
			add(FieldEmployees, "%d is negative", *s.Employees)
		} else if *s.Employees > MaxEmployees {
			add(FieldEmployees, "%d is more than %d", *s.Employees, MaxEmployees)
		}
	}
	checkLen(FieldSignedBy, s.SignedBy, MaxName)
	if s.SignedOn.IsZero() {
		add(FieldSignedOn, "is required (YYYY-MM-DD)")
	} else {
		y, m, d := today.Date()
		if s.SignedOn.After(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)) {
			add(FieldSignedOn, "%s is in the future", s.SignedOn.Format(DateLayout))
		}
	}
	switch s.ReviewStatus {
	case StatusPending, StatusVerified, StatusNeedsInfo, StatusWithdrawn:
	default:
		add(FieldReviewStatus, "%s is not a review status (pending, verified or needs_info)", quoteIfOdd(string(s.ReviewStatus)))
	}
	checkLen(FieldNotes, s.Notes, MaxNotes)
	checkLen(FieldLastReviewedBy, s.LastReviewedBy, MaxName)
	s.validateReview(today, add)
	s.validateEvidence(today, add)
	s.validateWithdrawal(today, add)

	if len(errs) == 0 {
		return nil
	}
	return &ValidationError{Fields: errs}
}

// quoteIfOdd shows a bad value as it is when it is short and printable, and
// quoted (and cut) otherwise, so a message never carries control bytes or a
// wall of text.
func quoteIfOdd(v string) string {
	const max = 40
	cut := v
	if utf8.RuneCountInString(cut) > max {
		cut = string([]rune(cut)[:max]) + "…"
	}
	for _, r := range cut {
		if r < 0x20 || r == 0x7f || r == ' ' || r == '"' || (r >= 0x80 && r < 0xa0) {
			return fmt.Sprintf("%q", cut)
		}
	}
	if cut == "" {
		return `""`
	}
	return cut
}
