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
	at       [numImportColumns]int // each column's place in a row, or -1
	ncols    int
	today    time.Time
	warnings []string
	// Cells already read as dates and as commitments, with what they
	// read as: a file repeats few of them, and each is read once.
	dates map[string]time.Time
	sets  map[string]CommitmentSet
	// places holds one copy of each sector, region, local area and
	// review status read (a file repeats few), for the records to share.
	places map[string]string
	// employees holds the employee counts of the rows read lately, so
	// rows do not each need one of their own.
	employees []int
}

// The columns the reader reads, in the order of signatoryImportColumns.
const (
	colOrganisation = iota
	colContactName
	colEmail
	colSector
	colRegion
	colLocalArea
	colEmployees
	colSignedBy
	colSignedOn
	colCommitments
	colVacancyStatement
	colReviewStatus
	colNotes
	colLastReviewedOn
	colLastReviewedBy
	colWithdrawnOn
	colWithdrawnReason
	numImportColumns
)

// maxRemembered bounds how many dates and commitment cells a reader
// remembers.
const maxRemembered = 256

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
	sr := &SignatoryReader{rr: rr, col: col, ncols: len(header), today: today,
		dates: map[string]time.Time{}, sets: map[string]CommitmentSet{}, places: map[string]string{}}
	known := map[string]bool{}
	for i, f := range signatoryImportColumns() {
		known[f] = true
		sr.at[i] = -1
		if c, ok := col[f]; ok {
			sr.at[i] = c
		}
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
	var s Signatory
	line, err := r.ReadTo(&s)
	return s, line, err
}

// ReadTo is Read into *s, which it overwrites whatever the row: a large
// list of records is filled in place, without copying each one.
func (r *SignatoryReader) ReadTo(s *Signatory) (int, error) {
	*s = Signatory{}
	rec, line, err := r.rr.read()
	if err != nil {
		if err == io.EOF {
			return 0, io.EOF
		}
		var ri *recordIssue
		if errors.As(err, &ri) {
			return ri.Line, &RowError{Line: ri.Line, Issues: []RowIssue{ri.RowIssue}}
		}
		return 0, err
	}
	if len(rec) != r.ncols {
		return line, &RowError{Line: line, Issues: []RowIssue{{Line: line,
			Msg: fieldCount(len(rec), r.ncols)}}}
	}
	if issues := r.parse(rec, line, s); len(issues) > 0 {
		*s = Signatory{}
		return line, &RowError{Line: line, Issues: issues}
	}
	return line, nil
}

// cell is a row's value in one of the columns the reader reads, and
// whether the file has that column.
func (r *SignatoryReader) cell(rec []string, col int) (string, bool) {
	i := r.at[col]
	if i < 0 {
		return "", false
	}
	return rec[i], true
}

// date reads a cell as a date, remembering the dates it has read.
func (r *SignatoryReader) date(v string) (time.Time, error) {
	if d, ok := r.dates[v]; ok {
		return d, nil
	}
	d, err := time.Parse(DateLayout, v)
	if err == nil && len(r.dates) < maxRemembered {
		r.dates[v] = d
	}
	return d, err
}

// commitments reads a cell as a set of commitments, remembering the sets
// it has read.
func (r *SignatoryReader) commitments(v string) (CommitmentSet, error) {
	if set, ok := r.sets[v]; ok {
		return set, nil
	}
	set, err := ParseCommitmentSet(v)
	if err == nil && len(r.sets) < maxRemembered {
		r.sets[v] = set
	}
	return set, err
}

// employeeCount is a place for a row's employee count.
func (r *SignatoryReader) employeeCount(n int) *int {
	if len(r.employees) == cap(r.employees) {
		r.employees = make([]int, 0, 1024)
	}
	r.employees = append(r.employees, n)
	return &r.employees[len(r.employees)-1]
}

// compact gives a good row's text its own memory: the values a file
// repeats (sector, region, local area, review status) are shared, the
// rest copied into one string. The row's cells are slices of one string
// that holds the whole line, dates and commitments included, which a
// large import would otherwise keep for every record it holds.
func (r *SignatoryReader) compact(s *Signatory) {
	s.Sector = Sector(r.shared(string(s.Sector)))
	s.Region = r.shared(s.Region)
	s.LocalArea = r.shared(s.LocalArea)
	s.ReviewStatus = ReviewStatus(r.shared(string(s.ReviewStatus)))
	texts := [...]*string{&s.Organisation, &s.ContactName, &s.Email, &s.SignedBy, &s.Notes, &s.LastReviewedBy, &s.Withdrawal.Reason}
	n := 0
	for _, t := range texts {
		n += len(*t)
	}
	var b strings.Builder
	b.Grow(n)
	for _, t := range texts {
		b.WriteString(*t)
	}
	all := b.String()
	for _, t := range texts {
		*t, all = all[:len(*t)], all[len(*t):]
	}
}

// shared is the reader's copy of v, made on first sight while it holds
// fewer than maxRemembered.
func (r *SignatoryReader) shared(v string) string {
	if v == "" {
		return v
	}
	if c, ok := r.places[v]; ok {
		return c
	}
	if len(r.places) >= maxRemembered {
		return strings.Clone(v)
	}
	c := strings.Clone(v)
	r.places[c] = c
	return c
}

// parse fills s from a row of the right width and returns the row's
// problems.
func (r *SignatoryReader) parse(rec []string, line int, s *Signatory) []RowIssue {
	var issues []RowIssue
	var bad map[string]bool // made for the first problem: most rows have none
	add := func(field, msg string) {
		issues = append(issues, RowIssue{Line: line, Column: field, Msg: msg})
		if bad == nil {
			bad = map[string]bool{}
		}
		bad[field] = true
	}
	text := func(col int) string { v, _ := r.cell(rec, col); return v }

	s.Organisation = text(colOrganisation)
	s.ContactName = text(colContactName)
	s.Email = text(colEmail)
	s.Sector = Sector(text(colSector))
	s.Region = text(colRegion)
	s.LocalArea = text(colLocalArea)
	s.SignedBy = text(colSignedBy)
	s.ReviewStatus = ReviewStatus(text(colReviewStatus))
	s.Notes = text(colNotes)

	if v := strings.TrimSpace(text(colEmployees)); v != "" {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil:
			add(FieldEmployees, fmt.Sprintf("%s is not a whole number", quoteIfOdd(v)))
		default:
			s.Employees = r.employeeCount(n)
		}
	}
	date := func(col int, field string, dst *time.Time) {
		if v := strings.TrimSpace(text(col)); v != "" {
			d, err := r.date(v)
			if err != nil {
				add(field, fmt.Sprintf("%s is not a date (YYYY-MM-DD)", quoteIfOdd(v)))
			} else {
				*dst = d
			}
		}
	}
	date(colSignedOn, FieldSignedOn, &s.SignedOn)
	date(colLastReviewedOn, FieldLastReviewedOn, &s.LastReviewedOn)
	s.LastReviewedBy = text(colLastReviewedBy)
	// A withdrawn row carries its reason and date; it comes in withdrawn,
	// and restoring it gives pending (the file does not say the status it
	// had before). Reason or date on a row that is not withdrawn is a
	// problem of that row (see Validate).
	date(colWithdrawnOn, FieldWithdrawnOn, &s.Withdrawal.On)
	s.Withdrawal.Reason = text(colWithdrawnReason)
	if strings.EqualFold(strings.TrimSpace(string(s.ReviewStatus)), string(StatusWithdrawn)) {
		s.Withdrawal.Prior = StatusPending
	}
	if v, ok := r.cell(rec, colCommitments); ok {
		set, err := r.commitments(v)
		if err != nil {
			add(FieldCommitments, err.Error())
		}
		s.Commitments = set
	}
	if v, ok := r.cell(rec, colVacancyStatement); ok {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "yes":
			s.VacancyStatement = true
		case "no":
		default:
			add(FieldVacancyStatement, fmt.Sprintf("%s must be yes or no", quoteIfOdd(v)))
		}
	}

	s.Normalise()
	if err := s.Validate(r.today); err != nil {
		for _, fe := range FieldErrors(err) {
			if !bad[fe.Field] { // a cell that failed to parse is reported once
				add(fe.Field, fe.Msg)
			}
		}
	}
	if len(issues) == 0 {
		r.compact(s)
	}
	if len(issues) > 1 {
		// Report in column order of the interchange format, whatever the file's.
		order := map[string]int{}
		for i, f := range signatoryImportColumns() {
			order[f] = i
		}
		sortIssues(issues, order)
	}
	return issues
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

// growingBuffer is a writer that can make room ahead, as bytes.Buffer does.
type growingBuffer interface {
	io.Writer
	Len() int
	Grow(n int)
}

// sizingRows is how many rows WriteCSV writes to a growingBuffer before
// making room for the rest.
const sizingRows = 256

// maxSizedRow bounds the bytes a row WriteCSV makes room for.
const maxSizedRow = 1024

// WriteCSV writes the header and one row per signatory.
func (x SignatoryExport) WriteCSV(w io.Writer, rows []Signatory) error {
	cw := csv.NewWriter(w)
	header := SignatoryCSVHeader()
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("write header: %w", err)
	}
	rec := make([]string, len(header))
	buf, _ := w.(growingBuffer)
	from := 0
	if buf != nil {
		from = buf.Len()
	}
	for i := range rows {
		if buf != nil && i == sizingRows {
			// Room for the rest at the size of the rows so far (up to
			// maxSizedRow a row: rows that long are rare, and the buffer
			// still grows as it must), made once rather than doubled again
			// and again.
			cw.Flush()
			if n := buf.Len() - from; n > 0 {
				buf.Grow(min(n/sizingRows, maxSizedRow) * (len(rows) - i) * 9 / 8)
			}
		}
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
