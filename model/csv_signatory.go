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
	col, err := headerColumns(header, requiredSignatoryColumns[:])
	if err != nil {
		return nil, err
	}
	sr := &SignatoryReader{rr: rr, col: col, ncols: len(header), today: today}
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

// Warnings lists what was ignored (unknown columns).
func (r *SignatoryReader) Warnings() []string { return r.warnings }

// HasColumn reports whether the file's header names the column, so an
// update can keep what an older file does not carry.
func (r *SignatoryReader) HasColumn(name string) bool {
	_, ok := r.col[name]
	return ok
}

// signatoryImportColumns are the columns import reads, in the order its
// problems are reported: the interchange columns, then the review and
// withdrawal columns an export adds.
func signatoryImportColumns() []string {
	return append(SignatoryFields(), FieldLastReviewedOn, FieldLastReviewedBy, FieldWithdrawnOn, FieldWithdrawnReason)
}

// Export columns derived from the others; import ignores them silently.
const (
	FieldReviewDue = "review_due"
	FieldDueState  = "due_state"
)

var derivedExportColumns = []string{FieldTier, FieldEvidencedTier, FieldEvidencedCommitments, FieldReviewDue, FieldDueState}

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

// SignatoryCSVHeader is the export header: the interchange columns, the
// declared tier (tier), the evidenced tier and commitments, the last
// review, the review due date and state, and the withdrawal.
func SignatoryCSVHeader() []string {
	return append(SignatoryFields(), FieldTier, FieldEvidencedTier, FieldEvidencedCommitments,
		FieldLastReviewedOn, FieldLastReviewedBy, FieldReviewDue, FieldDueState,
		FieldWithdrawnOn, FieldWithdrawnReason)
}

// SignatoryExport writes signatories for export. The due columns are
// reckoned under Period (0: the default) on the calendar day of Today.
type SignatoryExport struct {
	Period ReviewPeriod
	Today  time.Time
	// GuardFormulas defuses cells a spreadsheet would run (see CSVSafe).
	GuardFormulas bool
}

// Cell is one export column's value for s.
func (x SignatoryExport) Cell(s *Signatory, column string) string {
	switch column {
	case FieldReviewDue:
		if s.Withdrawn() {
			return ""
		}
		return dateText(ReviewDue(s, x.Period))
	case FieldDueState:
		return DueStateOf(s, x.Period, x.Today).String()
	}
	return s.Field(column)
}

// WriteCSV writes the header and one row per signatory.
func (x SignatoryExport) WriteCSV(w io.Writer, rows []Signatory) error {
	cw := csv.NewWriter(w)
	header := SignatoryCSVHeader()
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("write header: %w", err)
	}
	rec := make([]string, len(header))
	for i := range rows {
		s := &rows[i]
		for j, f := range header {
			rec[j] = x.Cell(s, f)
			if x.GuardFormulas {
				rec[j] = CSVSafe(rec[j])
			}
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write %q: %w", s.Organisation, err)
		}
	}
	cw.Flush()
	return cw.Error()
}

// JSON is the JSON export: every CSV column (employees a number or
// null, empty dates null), id and version, and the evidence in full.
func (x SignatoryExport) JSON(rows []Signatory) []map[string]any {
	out := SignatoriesJSON(rows)
	for i, m := range out {
		s := &rows[i]
		for _, f := range SignatoryCSVHeader()[len(SignatoryFields()):] {
			m[f] = x.Cell(s, f)
		}
		for _, f := range []string{FieldLastReviewedOn, FieldReviewDue, FieldWithdrawnOn} {
			if m[f] == "" {
				m[f] = nil
			}
		}
		ev := s.Evidence
		if ev == nil {
			ev = []CommitmentEvidence{}
		}
		m[FieldEvidence] = ev
		if s.VacancyEvidence.IsZero() {
			m[FieldVacancyEvidence] = nil
		} else {
			m[FieldVacancyEvidence] = s.VacancyEvidence
		}
	}
	return out
}

// WriteSignatoriesCSV writes the export CSV, the due columns reckoned
// under the default review period as of now.
func WriteSignatoriesCSV(w io.Writer, rows []Signatory, guardFormulas bool) error {
	return SignatoryExport{Today: time.Now(), GuardFormulas: guardFormulas}.WriteCSV(w, rows)
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
