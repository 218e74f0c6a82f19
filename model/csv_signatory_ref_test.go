package model

// SignatoryReader as it was before it found columns by place, remembered
// dates and commitments and compacted its records, on the reference
// record reader: the reference the reader must agree with.

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

type refSignatoryReader struct {
	rr       *refRecords
	col      map[string]int
	ncols    int
	today    time.Time
	warnings []string
}

func newRefSignatoryReader(r io.Reader, today time.Time) (*refSignatoryReader, error) {
	rr := newRefRecords(r)
	header, _, err := rr.read()
	if err == io.EOF {
		return nil, errors.New("line 1: the file is empty; it needs a header row")
	}
	if err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	col, err := headerColumns(header, requiredSignatoryColumns[:])
	if err != nil {
		return nil, err
	}
	sr := &refSignatoryReader{rr: rr, col: col, ncols: len(header), today: today}
	known := map[string]bool{}
	for _, f := range signatoryImportColumns() {
		known[f] = true
	}
	for _, f := range derivedExportColumns {
		known[f] = true // written by export, recomputed on import
	}
	for i, h := range header {
		if name := columnName(i, h); !known[name] {
			sr.warnings = append(sr.warnings, fmt.Sprintf("line 1: unknown column %s ignored", quoteIfOdd(name)))
		}
	}
	return sr, nil
}

func (r *refSignatoryReader) Read() (Signatory, int, error) {
	rec, line, err := r.rr.read()
	if err == io.EOF {
		return Signatory{}, 0, io.EOF
	}
	var ri *recordIssue
	if errors.As(err, &ri) {
		return Signatory{}, ri.Line, &RowError{Line: ri.Line, Issues: []RowIssue{ri.RowIssue}}
	}
	if err != nil {
		return Signatory{}, 0, err
	}
	if len(rec) != r.ncols {
		return Signatory{}, line, &RowError{Line: line, Issues: []RowIssue{{Line: line,
			Msg: fieldCount(len(rec), r.ncols)}}}
	}
	s, issues := r.parse(rec, line)
	if len(issues) > 0 {
		return Signatory{}, line, &RowError{Line: line, Issues: issues}
	}
	return s, line, nil
}

func (r *refSignatoryReader) get(rec []string, field string) (string, bool) {
	i, ok := r.col[field]
	if !ok {
		return "", false
	}
	return rec[i], true
}

func (r *refSignatoryReader) parse(rec []string, line int) (Signatory, []RowIssue) {
	var s Signatory
	var issues []RowIssue
	var bad map[string]bool // made for the first problem: most rows have none
	add := func(field, msg string) {
		issues = append(issues, RowIssue{Line: line, Column: field, Msg: msg})
		if bad == nil {
			bad = map[string]bool{}
		}
		bad[field] = true
	}
	text := func(field string) string { v, _ := r.get(rec, field); return v }

	s.Organisation = text(FieldOrganisation)
	s.ContactName = text(FieldContactName)
	s.Email = text(FieldEmail)
	s.Sector = Sector(text(FieldSector))
	s.Region = text(FieldRegion)
	s.LocalArea = text(FieldLocalArea)
	s.SignedBy = text(FieldSignedBy)
	s.ReviewStatus = ReviewStatus(text(FieldReviewStatus))
	s.Notes = text(FieldNotes)

	if v := strings.TrimSpace(text(FieldEmployees)); v != "" {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil:
			add(FieldEmployees, fmt.Sprintf("%s is not a whole number", quoteIfOdd(v)))
		default:
			s.Employees = &n
		}
	}
	date := func(field string, dst *time.Time) {
		if v := strings.TrimSpace(text(field)); v != "" {
			d, err := time.Parse(DateLayout, v)
			if err != nil {
				add(field, fmt.Sprintf("%s is not a date (YYYY-MM-DD)", quoteIfOdd(v)))
			} else {
				*dst = d
			}
		}
	}
	date(FieldSignedOn, &s.SignedOn)
	date(FieldLastReviewedOn, &s.LastReviewedOn)
	s.LastReviewedBy = text(FieldLastReviewedBy)
	// A withdrawn row carries its reason and date; it comes in withdrawn,
	// and restoring it gives pending (the file does not say the status it
	// had before). Reason or date on a row that is not withdrawn is a
	// problem of that row (see Validate).
	date(FieldWithdrawnOn, &s.Withdrawal.On)
	s.Withdrawal.Reason = text(FieldWithdrawnReason)
	if strings.EqualFold(strings.TrimSpace(string(s.ReviewStatus)), string(StatusWithdrawn)) {
		s.Withdrawal.Prior = StatusPending
	}
	if v, ok := r.get(rec, FieldCommitments); ok {
		set, err := ParseCommitmentSet(v)
		if err != nil {
			add(FieldCommitments, err.Error())
		}
		s.Commitments = set
	}
	if v, ok := r.get(rec, FieldVacancyStatement); ok {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "yes":
			s.VacancyStatement = true
		case "no":
		default:
			add(FieldVacancyStatement, fmt.Sprintf("%s must be yes or no", quoteIfOdd(v)))
		}
	}

	s.Normalise()
	for _, fe := range FieldErrors(s.Validate(r.today)) {
		if !bad[fe.Field] { // a cell that failed to parse is reported once
			add(fe.Field, fe.Msg)
		}
	}
	if len(issues) > 1 {
		// Report in column order of the interchange format, whatever the file's.
		order := map[string]int{}
		for i, f := range signatoryImportColumns() {
			order[f] = i
		}
		sortIssues(issues, order)
	}
	return s, issues
}
