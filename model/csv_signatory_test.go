package model

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"
)

const sigHeader = "organisation,contact_name,email,sector,region,local_area,employees,signed_by,signed_on,commitments,vacancy_statement,review_status,notes\n"

const goodRow = "Brindley Printing,Ann Example,ann@example.org,private,West Midlands,Dudley,12,Ann Example,2024-03-01,training;ban_the_box,yes,pending,sample\n"

// rowWith returns goodRow with one column replaced.
func rowWith(col, value string) string {
	cols := strings.Split(strings.TrimSuffix(sigHeader, "\n"), ",")
	vals := strings.Split(strings.TrimSuffix(goodRow, "\n"), ",")
	for i, c := range cols {
		if c == col {
			vals[i] = value
		}
	}
	return strings.Join(vals, ",") + "\n"
}

func readAll(t *testing.T, in string) ([]Signatory, []string, error) {
	t.Helper()
	r, err := NewSignatoryReader(strings.NewReader(in), today)
	if err != nil {
		return nil, nil, err
	}
	var rows []Signatory
	var issues []string
	for {
		s, _, err := r.Read()
		if err == io.EOF {
			break
		}
		var re *RowError
		if errors.As(err, &re) {
			for _, is := range re.Issues {
				issues = append(issues, is.Error())
			}
			continue
		}
		if err != nil {
			return rows, issues, err
		}
		rows = append(rows, s)
	}
	return rows, issues, nil
}

func TestSignatoryCSVEveryRuleRejects(t *testing.T) {
	long := strings.Repeat("x", 201)
	tests := []struct {
		name, row, want string
	}{
		{"organisation required", rowWith("organisation", "   "), "line 2, organisation: is required"},
		{"organisation length", rowWith("organisation", long), "line 2, organisation: is 201 characters long; at most 200 are allowed"},
		{"contact_name length", rowWith("contact_name", long), "line 2, contact_name: is 201 characters long; at most 200 are allowed"},
		{"signed_by length", rowWith("signed_by", long), "line 2, signed_by: is 201 characters long; at most 200 are allowed"},
		{"email", rowWith("email", "ann-at-example.org"), "line 2, email: ann-at-example.org is not an email address"},
		{"sector", rowWith("sector", "charity"), "line 2, sector: charity is not a sector (private, public, voluntary or social_enterprise)"},
		{"sector missing", rowWith("sector", ""), "line 2, sector: is required (private, public, voluntary or social_enterprise)"},
		{"region", rowWith("region", ""), "line 2, region: is required"},
		{"local_area length", rowWith("local_area", strings.Repeat("a", 101)), "line 2, local_area: is 101 characters long; at most 100 are allowed"},
		{"employees not a number", rowWith("employees", "lots"), "line 2, employees: lots is not a whole number"},
		{"employees negative", rowWith("employees", "-4"), "line 2, employees: -4 is negative"},
		{"signed_on format", rowWith("signed_on", "01/03/2024"), "line 2, signed_on: 01/03/2024 is not a date (YYYY-MM-DD)"},
		{"signed_on impossible", rowWith("signed_on", "2024-02-30"), "line 2, signed_on: 2024-02-30 is not a date (YYYY-MM-DD)"},
		{"signed_on future", rowWith("signed_on", "2027-01-04"), "line 2, signed_on: 2027-01-04 is in the future"},
		{"signed_on missing", rowWith("signed_on", ""), "line 2, signed_on: is required (YYYY-MM-DD)"},
		{"commitments", rowWith("commitments", "training;free_lunch"), `line 2, commitments: "free_lunch" is not a charter commitment (one of guaranteed_interviews, entry_level_jobs, work_experience, workplace_mentor, training, employee_support, practical_support, ban_the_box)`},
		{"vacancy_statement", rowWith("vacancy_statement", "maybe"), "line 2, vacancy_statement: maybe must be yes or no"},
		{"review_status", rowWith("review_status", "approved"), "line 2, review_status: approved is not a review status (pending, verified or needs_info)"},
		{"field count", "a,b\n", "line 2: has 2 fields; the header has 13"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, issues, err := readAll(t, sigHeader+tt.row)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 0 || len(issues) != 1 || issues[0] != tt.want {
				t.Fatalf("rows %d issues %q, want %q", len(rows), issues, tt.want)
			}
		})
	}
}

func TestSignatoryCSVHeaderRules(t *testing.T) {
	if _, err := NewSignatoryReader(strings.NewReader(""), today); err == nil || err.Error() != "line 1: the file is empty; it needs a header row" {
		t.Errorf("empty: %v", err)
	}
	if _, err := NewSignatoryReader(strings.NewReader("organisation,notes\n"), today); err == nil ||
		err.Error() != "line 1: the header lacks the required columns sector, region, signed_on" {
		t.Errorf("missing: %v", err)
	}
	if _, err := NewSignatoryReader(strings.NewReader("organisation,sector,region,signed_on,Sector\n"), today); err == nil ||
		err.Error() != "line 1: column sector appears twice" {
		t.Errorf("dup: %v", err)
	}
	// Any order, unknown columns warned, tier ignored silently, BOM tolerated.
	in := "\ufeffsigned_on,Region,favourite_colour,organisation,sector,tier\n2024-01-02,West Midlands,blue,Acme,public,gold\n"
	r, err := NewSignatoryReader(strings.NewReader(in), today)
	if err != nil {
		t.Fatal(err)
	}
	if w := r.Warnings(); len(w) != 1 || w[0] != `line 1: unknown column favourite_colour ignored` {
		t.Errorf("warnings %q", w)
	}
	s, line, err := r.Read()
	if err != nil || line != 2 || s.Organisation != "Acme" || s.Tier() != TierNone || s.ReviewStatus != StatusPending {
		t.Errorf("row: %+v line %d err %v", s, line, err)
	}
}

func TestSignatoryCSVReportsEveryProblemOfARow(t *testing.T) {
	row := "  ,,bad,charity,,,x,,2030-01-01,training,maybe,done,\n"
	_, issues, err := readAll(t, sigHeader+goodRow+row)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"line 3, organisation: is required",
		"line 3, email: bad is not an email address",
		"line 3, sector: charity is not a sector (private, public, voluntary or social_enterprise)",
		"line 3, region: is required",
		"line 3, employees: x is not a whole number",
		"line 3, signed_on: 2030-01-01 is in the future",
		"line 3, vacancy_statement: maybe must be yes or no",
		"line 3, review_status: done is not a review status (pending, verified or needs_info)",
	}
	if strings.Join(issues, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(issues, "\n"), strings.Join(want, "\n"))
	}
}

func TestSignatoryCSVRoundTrip(t *testing.T) {
	rows, issues, err := readAll(t, sigHeader+goodRow+"\"Quote \"\"and\"\", comma\",,,voluntary,West Midlands,,,,2023-01-18,,no,,\"multi\nline\"\n")
	if err != nil || len(issues) != 0 || len(rows) != 2 {
		t.Fatalf("rows %d issues %v err %v", len(rows), issues, err)
	}
	out := signatoryCSVBytes(rows)
	back, issues, err := readAll(t, string(out))
	if err != nil || len(issues) != 0 {
		t.Fatal(err, issues)
	}
	for i := range rows {
		if d := Diff(&rows[i], &back[i]); len(d) != 0 {
			t.Errorf("row %d changed in round trip: %+v", i, d)
		}
	}
	if !bytes.Contains(out, []byte(",tier,evidenced_tier,")) || !bytes.Contains(out, []byte(",bronze,none,")) {
		t.Errorf("tier column missing:\n%s", out)
	}
}

func TestCSVSafe(t *testing.T) {
	tests := map[string]string{
		"=HYPERLINK(\"x\")": "'=HYPERLINK(\"x\")",
		"+1":                "'+1",
		"-1+2":              "'-1+2",
		"@SUM(A1)":          "'@SUM(A1)",
		"\t=1":              "'\t=1",
		"plain":             "plain",
		"":                  "",
		"a=b":               "a=b",
	}
	for in, want := range tests {
		if got := CSVSafe(in); got != want {
			t.Errorf("CSVSafe(%q) = %q want %q", in, got, want)
		}
	}
	s := validSignatory()
	s.Organisation = "=cmd|' /C calc'!A0"
	var b bytes.Buffer
	if err := WriteSignatoriesCSV(&b, []Signatory{s}, true); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "'=cmd") {
		t.Errorf("formula not guarded: %s", b.String())
	}
}

func FuzzReadSignatories(f *testing.F) {
	f.Add(sigHeader + goodRow)
	f.Add(sigHeader + rowWith("signed_on", "2027-01-04"))
	f.Add("organisation,sector,region,signed_on\n\"unterminated\n")
	f.Add("\ufefforganisation,sector,region,signed_on\nA,public,R,2024-01-01\n")
	f.Add(sigHeader + "a,b\n")
	f.Fuzz(func(t *testing.T, in string) {
		r, err := NewSignatoryReader(strings.NewReader(in), today)
		if err != nil {
			return
		}
		for i := 0; i < 10000; i++ {
			s, _, err := r.Read()
			if err == io.EOF {
				return
			}
			var re *RowError
			if errors.As(err, &re) {
				if len(re.Issues) == 0 {
					t.Fatal("row error without issues")
				}
				continue
			}
			if err != nil {
				return
			}
			// A row that reads cleanly is valid by construction.
			if verr := s.Validate(today); verr != nil {
				t.Fatalf("accepted an invalid row: %v", verr)
			}
		}
	})
}

// signatoryCSVBytes is the CSV of rows.
func signatoryCSVBytes(rows []Signatory) []byte {
	var b bytes.Buffer
	_ = WriteSignatoriesCSV(&b, rows, false)
	return b.Bytes()
}

// The reader finds each column by its place in signatoryImportColumns.
func TestSignatoryReaderColumnsInOrder(t *testing.T) {
	want := map[int]string{
		colOrganisation: FieldOrganisation, colContactName: FieldContactName, colEmail: FieldEmail,
		colSector: FieldSector, colRegion: FieldRegion, colLocalArea: FieldLocalArea,
		colEmployees: FieldEmployees, colSignedBy: FieldSignedBy, colSignedOn: FieldSignedOn,
		colCommitments: FieldCommitments, colVacancyStatement: FieldVacancyStatement,
		colReviewStatus: FieldReviewStatus, colNotes: FieldNotes,
		colLastReviewedOn: FieldLastReviewedOn, colLastReviewedBy: FieldLastReviewedBy,
		colWithdrawnOn: FieldWithdrawnOn, colWithdrawnReason: FieldWithdrawnReason,
	}
	cols := signatoryImportColumns()
	if len(cols) != numImportColumns || len(want) != numImportColumns {
		t.Fatalf("%d columns, %d named here, numImportColumns %d", len(cols), len(want), numImportColumns)
	}
	for i, name := range want {
		if cols[i] != name {
			t.Errorf("column %d is %s, want %s", i, cols[i], name)
		}
	}
}

// Dates and commitments read once are read the same again, a bad one
// after a good one is still reported, and each row has its own employee
// count.
func TestSignatoryReaderRepeatedCells(t *testing.T) {
	today := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	in := "organisation,sector,region,signed_on,commitments,employees\n" +
		"A,private,West Midlands,2024-03-01,training;ban_the_box,5\n" +
		"B,private,West Midlands,2024-03-01,training;ban_the_box,6\n" +
		"C,private,West Midlands,2024-02-30,training;ban_the_bus,7\n" +
		"D,private,West Midlands, 2024-03-01 ,ban_the_box;training,8\n"
	r, err := NewSignatoryReader(strings.NewReader(in), today)
	if err != nil {
		t.Fatal(err)
	}
	var got []Signatory
	var problems []string
	for {
		s, _, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		got = append(got, s)
	}
	if len(got) != 3 || len(problems) != 1 || !strings.Contains(problems[0], "line 4, signed_on: 2024-02-30 is not a date") ||
		!strings.Contains(problems[0], "line 4, commitments:") {
		t.Fatalf("rows %d, problems %q", len(got), problems)
	}
	for i, s := range got {
		if !s.SignedOn.Equal(time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)) || s.Commitments != got[0].Commitments || s.Commitments == 0 {
			t.Errorf("row %d: %v %v", i, s.SignedOn, s.Commitments)
		}
	}
	*got[0].Employees = 50
	if *got[0].Employees != 50 || *got[1].Employees != 6 || *got[2].Employees != 8 {
		t.Errorf("employees %d %d %d", *got[0].Employees, *got[1].Employees, *got[2].Employees)
	}
}

// Rows share one copy of a repeated region, area, sector and status,
// and hold their other text apart from the line they were read from.
func TestSignatoryReaderCompactsRows(t *testing.T) {
	r, err := NewSignatoryReader(strings.NewReader(sigHeader+goodRow+strings.Replace(goodRow, "Brindley", "Other", 1)), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	a, _, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	if a.Organisation != "Brindley Printing" || b.Organisation != "Other Printing" || a.ContactName != "Ann Example" ||
		a.Email != "ann@example.org" || a.SignedBy != "Ann Example" || a.Notes != "sample" || a.Region != "West Midlands" {
		t.Fatalf("%+v", a)
	}
	for _, pair := range [][2]string{{a.Region, b.Region}, {a.LocalArea, b.LocalArea}, {string(a.Sector), string(b.Sector)}, {string(a.ReviewStatus), string(b.ReviewStatus)}} {
		if unsafe.StringData(pair[0]) != unsafe.StringData(pair[1]) {
			t.Errorf("%q is not shared", pair[0])
		}
	}
	// The organisation and the notes are copied together, not sliced from
	// the line (where the contact name lies between them).
	org, notes := uintptr(unsafe.Pointer(unsafe.StringData(a.Organisation))), uintptr(unsafe.Pointer(unsafe.StringData(a.Notes)))
	if notes-org > uintptr(len(a.Organisation)+len(a.ContactName)+len(a.Email)+len(a.SignedBy)) {
		t.Errorf("the organisation and the notes lie %d bytes apart", notes-org)
	}
}

// Written to a buffer that makes room ahead, the export is the same as
// written anywhere else.
func TestWriteCSVToGrowingBuffer(t *testing.T) {
	rows := make([]Signatory, 3*sizingRows+7)
	for i := range rows {
		rows[i] = validSignatory()
		rows[i].Organisation = strings.Repeat("x", i%40) + " Ltd"
		rows[i].Notes = strings.Repeat("note, ", i%5)
	}
	x := SignatoryExport{Today: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	var plain strings.Builder
	if err := x.WriteCSV(&plain, rows); err != nil {
		t.Fatal(err)
	}
	buf := bytes.NewBufferString("before\n")
	if err := x.WriteCSV(buf, rows); err != nil {
		t.Fatal(err)
	}
	if buf.String() != "before\n"+plain.String() {
		t.Error("the export written to a bytes.Buffer differs")
	}
	if buf.Cap() > 2*buf.Len() {
		t.Errorf("%d bytes of room for %d", buf.Cap(), buf.Len())
	}
}

// sigTrace is everything a signatory reader gives for in: the header's
// error or warnings, then each row (line, record or problems).
func sigTrace(in string, open func(string) (func() (Signatory, int, error), []string, error)) []string {
	read, warnings, err := open(in)
	if err != nil {
		return []string{"header: " + err.Error()}
	}
	out := append([]string(nil), warnings...)
	for n := 0; n <= len(in)+2; n++ {
		s, line, err := read()
		switch {
		case err == io.EOF:
			return append(out, "EOF")
		case err != nil:
			out = append(out, fmt.Sprintf("%d %v", line, err))
		default:
			emp := "nil"
			if s.Employees != nil {
				emp = strconv.Itoa(*s.Employees)
			}
			s.Employees = nil
			out = append(out, fmt.Sprintf("%d %s %+v", line, emp, s))
		}
	}
	return append(out, "no end")
}

// The reader gives the records, lines, warnings and problems the
// previous one gave (columns found by name, every cell read afresh, rows
// sliced from their lines), for random files of good and bad cells in
// any column order.
func TestSignatoryReaderAgreesWithReference(t *testing.T) {
	today := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cells := map[string][]string{
		FieldOrganisation:     {"Acme Ltd", " Brindley Printing ", "", "O’Neill & Sons", "\"Quoted, Name\"", "x\xffy", strings.Repeat("z", 201)},
		FieldContactName:      {"Ann", "", " Bob ", "\"A\nB\""},
		FieldEmail:            {"", "ann@example.org", "not an email", " jo@acme.co.uk "},
		FieldSector:           {"private", "Private", " public ", "", "charity", "VOLUNTARY", "social_enterprise"},
		FieldRegion:           {"West Midlands", "", " west midlands ", "Yorkshire"},
		FieldLocalArea:        {"Dudley", "", "dudley ", "Walsall"},
		FieldEmployees:        {"", "12", " 7 ", "-3", "x", "+5", "007", "99999999999999999999", "1e3"},
		FieldSignedBy:         {"Ann", "", "Bob"},
		FieldSignedOn:         {"2024-03-01", " 2024-03-01", "", "2024-02-30", "2027-01-01", "01/03/2024", "2025-12-31"},
		FieldCommitments:      {"", "training", "training;ban_the_box", " Training ; BAN_THE_BOX ", "training;;", "nonsense", "training;nonsense"},
		FieldVacancyStatement: {"yes", "no", "", "YES", " No ", "maybe"},
		FieldReviewStatus:     {"pending", "", "Verified", "needs_info", "withdrawn", " WITHDRAWN ", "bogus"},
		FieldNotes:            {"", "a note", "\"a, quoted\nnote\"", "  spaced  "},
		FieldLastReviewedOn:   {"", "2025-01-02", "2024-13-01"},
		FieldLastReviewedBy:   {"", "Priya"},
		FieldWithdrawnOn:      {"", "2025-06-01", "yesterday"},
		FieldWithdrawnReason:  {"", "closed down"},
		"tier":                {"gold", ""},
		"colour":              {"red"},
	}
	all := append(signatoryImportColumns(), "tier", "colour")
	rnd := rand.New(rand.NewPCG(7, 8))
	for n := range 2000 {
		var cols []string
		for _, c := range all {
			if rnd.IntN(4) > 0 || (rnd.IntN(20) > 0 && slices.Contains(requiredSignatoryColumns[:], c)) {
				cols = append(cols, c)
			}
		}
		rnd.Shuffle(len(cols), func(i, j int) { cols[i], cols[j] = cols[j], cols[i] })
		var b strings.Builder
		for i, c := range cols {
			if i > 0 {
				b.WriteByte(',')
			}
			if rnd.IntN(10) == 0 {
				c = " " + strings.ToUpper(c)
			}
			b.WriteString(c)
		}
		b.WriteByte('\n')
		for range rnd.IntN(12) {
			switch rnd.IntN(15) {
			case 0:
				b.WriteString("\n")
				continue
			case 1:
				b.WriteString("too,few\n")
				continue
			}
			for i, c := range cols {
				if i > 0 {
					b.WriteByte(',')
				}
				vs := cells[c]
				b.WriteString(vs[rnd.IntN(len(vs))])
			}
			b.WriteByte('\n')
		}
		in := b.String()
		if got, want := bothReaders(in, today); got != want {
			t.Fatalf("case %d, input %q:\ngot\n%s\nwant\n%s", n, in, got, want)
		}
	}
}

func FuzzSignatoryReaderAgreesWithReference(f *testing.F) {
	f.Add(sigHeader + goodRow + rowWith(FieldSignedOn, "2024-02-30") + "\n" + goodRow)
	f.Add("region,organisation,sector,signed_on,commitments,employees\nWest Midlands,A,private,2024-01-01,training, 3\n")
	today := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, in string) {
		if got, want := bothReaders(in, today); got != want {
			t.Fatalf("input %q:\ngot\n%s\nwant\n%s", in, got, want)
		}
	})
}

// bothReaders is what SignatoryReader and the reference reader make of in:
// every record, line, warning and problem, one to a line.
func bothReaders(in string, today time.Time) (got, want string) {
	g := sigTrace(in, func(in string) (func() (Signatory, int, error), []string, error) {
		r, err := NewSignatoryReader(strings.NewReader(in), today)
		if err != nil {
			return nil, nil, err
		}
		return r.Read, r.Warnings(), nil
	})
	w := sigTrace(in, func(in string) (func() (Signatory, int, error), []string, error) {
		r, err := newRefSignatoryReader(strings.NewReader(in), today)
		if err != nil {
			return nil, nil, err
		}
		return r.Read, r.warnings, nil
	})
	return strings.Join(g, "\n"), strings.Join(w, "\n")
}
