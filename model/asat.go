package model

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// AsAt rebuilds a record as it stood at the end of day (a calendar day,
// UTC) from the record as it is now (nil when it has been deleted) and its
// history, oldest first. It gives nil when the record did not exist then:
// not yet created, or already deleted.
//
// Every change after that day is undone field by field (each entry holds
// the old value of every field it changed). A deleted record starts from
// the values its delete entry kept. History written before the review,
// evidence and withdrawal fields existed leaves them as they are now, which
// for such a record is empty.
func AsAt(current *Signatory, history []Change, day time.Time) (*Signatory, error) {
	end := dateOf(day).AddDate(0, 0, 1)
	if len(history) == 0 {
		// No history to go by: the record stands from its creation.
		if current == nil || !current.Created.Before(end) {
			return nil, nil
		}
		s := *current
		return &s, nil
	}
	kept := 0 // entries made by the end of the day
	for kept < len(history) && history[kept].At.Before(end) {
		kept++
	}
	if kept == 0 || history[kept-1].Action == ActionDelete {
		return nil, nil
	}
	var s Signatory
	undo := history[kept:]
	switch {
	case current != nil:
		s = *current
	default:
		last := history[len(history)-1]
		if last.Action != ActionDelete {
			return nil, fmt.Errorf("record has no current version and its history does not end in a delete (version %d is %s)", last.Version, last.Action)
		}
		for _, fc := range last.Fields {
			if err := s.setField(fc.Field, fc.Old); err != nil {
				return nil, fmt.Errorf("history version %d: %w", last.Version, err)
			}
		}
		undo = undo[:len(undo)-1]
	}
	for i := len(undo) - 1; i >= 0; i-- {
		for _, fc := range undo[i].Fields {
			if err := s.setField(fc.Field, fc.Old); err != nil {
				return nil, fmt.Errorf("history version %d: %w", undo[i].Version, err)
			}
		}
	}
	// Who withdrew it and the status it had are not in history.
	switch {
	case !s.Withdrawn():
		s.Withdrawal = Withdrawal{}
	case s.Withdrawal.Prior == "":
		s.Withdrawal.Prior = StatusPending
	}
	s.Version = history[kept-1].Version
	s.Created = history[0].At
	s.Updated = history[kept-1].At
	return &s, nil
}

// RegisterAsAt rebuilds the whole register as it stood at the end of day:
// the current records and the histories of every record, deleted ones
// included, keyed by id. The records come in id order. A record's history
// that cannot be read back is an error naming it.
func RegisterAsAt(current []Signatory, histories map[uint64][]Change, day time.Time) ([]Signatory, error) {
	byID := make(map[uint64]*Signatory, len(current))
	ids := make([]uint64, 0, len(histories)+len(current))
	for i := range current {
		byID[current[i].ID] = &current[i]
		ids = append(ids, current[i].ID)
	}
	for id := range histories {
		if byID[id] == nil {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	var out []Signatory
	for _, id := range ids {
		s, err := AsAt(byID[id], histories[id], day)
		if err != nil {
			return nil, fmt.Errorf("record %d: %w", id, err)
		}
		if s != nil {
			s.ID = id
			out = append(out, *s)
		}
	}
	return out, nil
}

// setField sets one field from its interchange form (the form Field and
// history give).
func (s *Signatory) setField(name, v string) error {
	date := func(dst *time.Time) error {
		if v == "" {
			*dst = time.Time{}
			return nil
		}
		d, err := time.Parse(DateLayout, v)
		if err != nil {
			return fmt.Errorf("%s: %s is not a date (YYYY-MM-DD)", name, quoteIfOdd(v))
		}
		*dst = d
		return nil
	}
	switch name {
	case FieldOrganisation:
		s.Organisation = v
	case FieldContactName:
		s.ContactName = v
	case FieldEmail:
		s.Email = v
	case FieldSector:
		s.Sector = Sector(v)
	case FieldRegion:
		s.Region = v
	case FieldLocalArea:
		s.LocalArea = v
	case FieldEmployees:
		if v == "" {
			s.Employees = nil
			return nil
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("%s: %s is not a whole number", name, quoteIfOdd(v))
		}
		s.Employees = &n
	case FieldSignedBy:
		s.SignedBy = v
	case FieldSignedOn:
		return date(&s.SignedOn)
	case FieldCommitments:
		set, err := ParseCommitmentSet(v)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		s.Commitments = set
	case FieldVacancyStatement:
		s.VacancyStatement = v == "yes"
	case FieldReviewStatus:
		s.ReviewStatus = ReviewStatus(v)
	case FieldNotes:
		s.Notes = v
	case FieldLastReviewedOn:
		return date(&s.LastReviewedOn)
	case FieldLastReviewedBy:
		s.LastReviewedBy = v
	case FieldEvidence:
		ev, err := parseEvidenceText(v)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		s.Evidence = ev
	case FieldVacancyEvidence:
		s.VacancyEvidence = parseEvidence(v)
	case FieldWithdrawnOn:
		return date(&s.Withdrawal.On)
	case FieldWithdrawnReason:
		s.Withdrawal.Reason = v
	default:
		return fmt.Errorf("unknown field %s", quoteIfOdd(name))
	}
	return nil
}

// parseEvidenceText reads evidenceText back: "key: note (by NAME, DATE);
// key: …". A note holding "; " followed by something other than a
// commitment key stays whole.
func parseEvidenceText(v string) ([]CommitmentEvidence, error) {
	if v == "" {
		return nil, nil
	}
	var out []CommitmentEvidence
	for _, part := range strings.Split(v, "; ") {
		key, rest, ok := strings.Cut(part, ": ")
		if c, err := ParseCommitment(key); ok && err == nil {
			out = append(out, CommitmentEvidence{Commitment: c, Evidence: parseEvidence(rest)})
			continue
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("%s does not start with a commitment key", quoteIfOdd(part))
		}
		// Part of the previous note.
		last := &out[len(out)-1]
		last.Evidence = parseEvidence(last.Evidence.String() + "; " + part)
	}
	return out, nil
}

// parseEvidence reads Evidence.String back: "note (by NAME, DATE)",
// "note (by NAME)", "note (DATE)" or the note alone. Brackets that are not
// in one of these forms are part of the note, so that
// parseEvidence(v).String() is v.
func parseEvidence(v string) Evidence {
	e := Evidence{Note: v}
	open := strings.LastIndex(v, " (")
	if open < 0 || !strings.HasSuffix(v, ")") {
		return e
	}
	meta := v[open+2 : len(v)-1]
	var by string
	var on time.Time
	if head, tail, ok := strings.Cut(meta, ", "); ok {
		d, err := time.Parse(DateLayout, tail)
		if err != nil || !strings.HasPrefix(head, "by ") {
			return e
		}
		by, on = strings.TrimPrefix(head, "by "), d
	} else if d, err := time.Parse(DateLayout, meta); err == nil {
		on = d
	} else if strings.HasPrefix(meta, "by ") {
		by = strings.TrimPrefix(meta, "by ")
	} else {
		return e
	}
	// Only a reading that writes back the same text is taken ("by " with
	// no name, a date in another form, a name holding ", ").
	if got := (Evidence{Note: v[:open], By: by, On: on}); got.String() == v {
		return got
	}
	return e
}
