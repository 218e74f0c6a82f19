package model

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// RowIssue is one problem with one cell of an interchange file.
type RowIssue struct {
	Line   int    `json:"line"`
	Column string `json:"column,omitempty"`
	Msg    string `json:"message"`
}

// Error reads like "line 17, signed_on: 2027-01-04 is in the future".
func (i RowIssue) Error() string {
	if i.Line == 0 {
		return i.Msg
	}
	if i.Column == "" {
		return fmt.Sprintf("line %d: %s", i.Line, i.Msg)
	}
	return fmt.Sprintf("line %d, %s: %s", i.Line, i.Column, i.Msg)
}

// RowError is every problem of one row. Reading can go on after it.
type RowError struct {
	Line   int
	Issues []RowIssue
}

func (e *RowError) Error() string {
	parts := make([]string, len(e.Issues))
	for i, is := range e.Issues {
		parts[i] = is.Error()
	}
	return strings.Join(parts, "; ")
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *RowError) Is(target error) bool { return target == ErrInvalid }

// requiredSignatoryColumns must be in the header: without them no row
// could be valid, so the file is refused before any row is read.
var requiredSignatoryColumns = [...]string{FieldOrganisation, FieldSector, FieldRegion, FieldSignedOn}

// SignatoryReader reads the signatory interchange CSV one row at a time, so
// a file of any size is checked without holding it in memory.
type SignatoryReader struct {
	rr       *csvRecords
	col      map[string]int
	ncols    int
	today    time.Time
	warnings []string
}

// NewSignatoryReader reads and checks the header. A missing required
// column, a duplicated column or an empty file is an error; unknown columns
// are ignored with a warning (the computed tier column silently).
func NewSignatoryReader(r io.Reader, today time.Time) (*SignatoryReader, error) {
	rr := newCSVRecords(r)
	header, _, err := rr.read()
	if err == io.EOF {
		return nil, errors.New("line 1: the file is empty; it needs a header row")
	}
	if err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	sr := &SignatoryReader{rr: rr, col: map[string]int{}, ncols: len(header), today: today}
	known := map[string]bool{"tier": true}
	for _, f := range SignatoryFields() {
		known[f] = true
	}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		if i == 0 {
			name = strings.TrimPrefix(name, "\ufeff")
		}
		if _, dup := sr.col[name]; dup {
			return nil, fmt.Errorf("line 1: column %s appears twice", quoteIfOdd(name))
		}
		sr.col[name] = i
		if !known[name] {
			sr.warnings = append(sr.warnings, fmt.Sprintf("line 1: unknown column %s ignored", quoteIfOdd(name)))
		}
	}
	var missing []string
	for _, c := range requiredSignatoryColumns {
		if _, ok := sr.col[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("line 1: the header lacks %s", requiredColumns(missing))
	}
	return sr, nil
}

// Warnings lists what was ignored (unknown columns).
func (r *SignatoryReader) Warnings() []string { return r.warnings }

// Read returns the next row as a normalised, validated Signatory and the
// line it starts on. A bad row, broken CSV included, gives a *RowError
// listing every problem of that row; the caller may keep reading (after
// broken CSV, reading resumes at the next line). io.EOF ends the file; any
// other error is a failure to read the input and ends reading.
func (r *SignatoryReader) Read() (Signatory, int, error) {
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

func (r *SignatoryReader) get(rec []string, field string) (string, bool) {
	i, ok := r.col[field]
	if !ok {
		return "", false
	}
	return rec[i], true
}

func (r *SignatoryReader) parse(rec []string, line int) (Signatory, []RowIssue) {
	var s Signatory
	var issues []RowIssue
	bad := map[string]bool{}
	add := func(field, msg string) {
		issues = append(issues, RowIssue{Line: line, Column: field, Msg: msg})
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
	if v := strings.TrimSpace(text(FieldSignedOn)); v != "" {
		d, err := time.Parse(DateLayout, v)
		if err != nil {
			add(FieldSignedOn, fmt.Sprintf("%s is not a date (YYYY-MM-DD)", quoteIfOdd(v)))
		} else {
			s.SignedOn = d
		}
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
	// Report in column order of the interchange format, whatever the file's.
	order := map[string]int{}
	for i, f := range SignatoryFields() {
		order[f] = i
	}
	sortIssues(issues, order)
	return s, issues
}

// requiredColumns names missing columns: "the required column region",
// "the required columns region, sector".
func requiredColumns(missing []string) string {
	if len(missing) == 1 {
		return "the required column " + missing[0]
	}
	return "the required columns " + strings.Join(missing, ", ")
}

// fieldCount says that a row has the wrong number of fields.
func fieldCount(got, want int) string {
	unit := "fields"
	if got == 1 {
		unit = "field"
	}
	return fmt.Sprintf("has %d %s; the header has %d", got, unit, want)
}

func sortIssues(issues []RowIssue, order map[string]int) {
	for i := 1; i < len(issues); i++ {
		for j := i; j > 0 && order[issues[j].Column] < order[issues[j-1].Column]; j-- {
			issues[j], issues[j-1] = issues[j-1], issues[j]
		}
	}
}

// SignatoryCSVHeader is the export header: the interchange columns, then tier.
func SignatoryCSVHeader() []string { return append(SignatoryFields(), "tier") }

// WriteSignatoriesCSV writes the interchange CSV with the computed tier
// column. With guardFormulas, cells that a spreadsheet would run as a
// formula are defused (see CSVSafe).
func WriteSignatoriesCSV(w io.Writer, rows []Signatory, guardFormulas bool) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(SignatoryCSVHeader()); err != nil {
		return fmt.Errorf("write header: %w", err)
	}
	fields := SignatoryFields()
	rec := make([]string, len(fields)+1)
	for i := range rows {
		s := &rows[i]
		for j, f := range fields {
			rec[j] = s.Field(f)
			if guardFormulas {
				rec[j] = CSVSafe(rec[j])
			}
		}
		rec[len(fields)] = s.Tier().String()
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write %q: %w", s.Organisation, err)
		}
	}
	cw.Flush()
	return cw.Error()
}

// CSVSafe defuses a cell that a spreadsheet would treat as a formula
// (starting with =, +, -, @, or a tab or carriage return that hides one) by
// putting a single quote in front, as OWASP advises. Other cells pass as they are.
func CSVSafe(cell string) string {
	if cell == "" {
		return cell
	}
	switch cell[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + cell
	}
	return cell
}
