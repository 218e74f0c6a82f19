package model

import (
	"encoding/csv"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// readAll collects every record (line: fields joined by |) and every
// issue (as its message) in the order the reader gives them.
func readRecords(t *testing.T, in string) []string {
	t.Helper()
	rr := newCSVRecords(strings.NewReader(in))
	var got []string
	for {
		rec, line, err := rr.read()
		if err == io.EOF {
			return got
		}
		var ri *recordIssue
		switch {
		case errors.As(err, &ri):
			if ri.Line != line {
				t.Fatalf("issue line %d, read returned %d", ri.Line, line)
			}
			got = append(got, ri.Error())
		case err != nil:
			t.Fatal(err)
		default:
			got = append(got, strings.Join(append([]string{strconv.Itoa(line)}, rec...), "|"))
		}
	}
}

func TestRecordsReadOnAfterBrokenCSV(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"plain", "a,b\nc,d\n", []string{"1|a|b", "2|c|d"}},
		{"no final newline", "a,b\nc,d", []string{"1|a|b", "2|c|d"}},
		{"crlf", "a,b\r\nc,d\r\n", []string{"1|a|b", "2|c|d"}},
		{"empty lines keep numbering", "a\n\n\nb\n", []string{"1|a", "4|b"}},
		{"quoted newline", "\"x\ny\",z\nq\n", []string{"1|x\ny|z", "3|q"}},
		{"doubled quotes", "\"say \"\"hi\"\"\",b\n", []string{"1|say \"hi\"|b"}},
		{"bare quote", "a,b\nx\"y,z\nc,d\n", []string{"1|a|b",
			`line 2: broken CSV: a " in the middle of an unquoted field (line 2, column 2); quote the whole field and double the " inside it`,
			"3|c|d"}},
		{"bare quote then an opening quote on the same line", "a\"b,\"c\nd\",e\nf\n", []string{
			`line 1: broken CSV: a " in the middle of an unquoted field (line 1, column 2); quote the whole field and double the " inside it`,
			`line 2: broken CSV: a " in the middle of an unquoted field (line 2, column 2); quote the whole field and double the " inside it`,
			"3|f"}},
		{"text after a closing quote", "\"a\"b,c\nd\n", []string{
			`line 1: broken CSV: a quoted field goes on after its closing " (line 1, column 3); double a " meant as text`,
			"2|d"}},
		{"unclosed quote at the end", "a\n\"b,c\nd,e\nf\n", []string{"1|a",
			`line 2: broken CSV: a quoted field opened on this line never closes (is a closing " missing?)`,
			"3|d|e", "4|f"}},
		{"a later quote closes an open field", "\"a\nb\n\"c\nd\n", []string{
			`line 1: broken CSV: a quoted field goes on after its closing " (line 3, column 1); double a " meant as text`,
			"4|d"}},
		{"lines after an unclosed quote are read once each", "\"a\nb\"\"c\nd\n", []string{
			`line 1: broken CSV: a quoted field opened on this line never closes (is a closing " missing?)`,
			`line 2: broken CSV: a " in the middle of an unquoted field (line 2, column 2); quote the whole field and double the " inside it`,
			"3|d"}},
		{"unclosed quote whose rest closes another", "\"a\nb\"\nc\n", []string{"1|a\nb", "3|c"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := readRecords(t, tt.in)
			if strings.Join(got, "\n~\n") != strings.Join(tt.want, "\n~\n") {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

// A quoted field that runs past the record limit is reported, and the
// lines after its first are read again.
func TestRecordsRunawayQuoteIsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("\"open\n")
	line := strings.Repeat("x", 1000) + "\n"
	for b.Len() < maxRecordBytes+2000 {
		b.WriteString(line)
	}
	b.WriteString("\"\nlast\n")
	got := readRecords(t, b.String())
	if len(got) < 3 || !strings.Contains(got[0], "line 1: broken CSV: a quoted field opened on this line runs on for more than") ||
		got[1] != "2|"+strings.Repeat("x", 1000) || got[len(got)-1] != strconv.Itoa(strings.Count(b.String(), "\n"))+"|last" {
		t.Errorf("got %d results, first %.120q, last %q", len(got), got[0], got[len(got)-1])
	}
	// An over-long single line is skipped and reading goes on.
	got = readRecords(t, "a\n"+strings.Repeat("y", maxRecordBytes+10)+"\nb\n")
	if len(got) != 3 || got[0] != "1|a" || !strings.HasPrefix(got[1], "line 2: the line is longer than") || got[2] != "3|b" {
		t.Errorf("over-long line: %.200q", got)
	}
}

// The hostile test file has valid rows carrying escape sequences and
// bidi controls, a quoted note over two lines, and three broken lines: a
// bare quote (40), invalid UTF-8 (41) and a quote that never closes (47).
// Every one is reported with its line, and the valid rows around and
// after them are read.
func TestHostileSignatoryFile(t *testing.T) {
	f, err := os.Open("testdata/hostile-signatories.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := NewSignatoryReader(f, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	var problems []string
	var good []int
	for {
		s, line, err := r.Read()
		if err == io.EOF {
			break
		}
		var re *RowError
		if errors.As(err, &re) {
			for _, is := range re.Issues {
				problems = append(problems, is.Error())
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		good = append(good, line)
		if line == 5 && s.Organisation != "\x1b]0;pwned\x07Title Ltd" {
			t.Errorf("line 5 read as %q; the reader keeps data exact", s.Organisation)
		}
	}
	want := []string{
		`line 40: broken CSV: a " in the middle of an unquoted field (line 40, column 6); quote the whole field and double the " inside it`,
		"line 41, contact_name: is not valid UTF-8",
		`line 47: broken CSV: a quoted field opened on this line never closes (is a closing " missing?)`,
	}
	if strings.Join(problems, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(problems, "\n"), strings.Join(want, "\n"))
	}
	// Lines 2-39 (21 and 22 are one row), 42-46 and 48-50.
	if len(good) != 37+5+3 || good[0] != 2 || good[len(good)-1] != 50 {
		t.Errorf("%d good rows: %v", len(good), good)
	}
}

// Where encoding/csv reads a whole input without error, the record reader
// gives the same records on the same lines and no issue.
func FuzzRecordsAgreeWithEncodingCSV(f *testing.F) {
	for _, s := range []string{"a,b\nc,d\n", "\"x\ny\",z\r\nq", "a\n\n\"\"\"\",b\n", "\"a\"\"\",\n,\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		cr := csv.NewReader(strings.NewReader(in))
		cr.FieldsPerRecord = -1
		var want []string
		for {
			rec, err := cr.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				return // broken input: covered by the tests above
			}
			line, _ := cr.FieldPos(0)
			want = append(want, strconv.Itoa(line)+"|"+strings.Join(rec, "|"))
		}
		if got := readRecords(t, in); strings.Join(got, "\n~\n") != strings.Join(want, "\n~\n") {
			t.Fatalf("got %q, want %q", got, want)
		}
	})
}

// BenchmarkReadSignatories100k reads 100,000 rows (the import's parsing
// and checking, without the database).
func BenchmarkReadSignatories100k(b *testing.B) {
	var in strings.Builder
	in.WriteString("organisation,contact_name,email,sector,region,local_area,employees,signed_by,signed_on,commitments,vacancy_statement,review_status,notes\n")
	for i := 0; i < 100_000; i++ {
		in.WriteString("Org " + strconv.Itoa(i) + " Printing,Ann,,private,West Midlands,Dudley,12,Ann,2024-03-01,training;ban_the_box,yes,pending,\"a note, quoted\"\n")
	}
	data := in.String()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for range b.N {
		r, err := NewSignatoryReader(strings.NewReader(data), time.Now())
		if err != nil {
			b.Fatal(err)
		}
		for {
			if _, _, err := r.Read(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
	}
}

// Whatever the input, the reader ends, never panics, and reports records
// and problems in the order of their lines, each line once.
func FuzzRecordsAnyInput(f *testing.F) {
	for _, s := range []string{"a\"b\n\"c\nd\"e\n", "\"\n\"\"\n\"x\n", "a,\"b\r\n\"\"\r\n", "\xff\"\n\"\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		rr := newCSVRecords(strings.NewReader(in))
		last := 0
		for n := 0; ; n++ {
			if n > len(in)+2 {
				t.Fatal("more results than lines")
			}
			_, line, err := rr.read()
			if err == io.EOF {
				return
			}
			var ri *recordIssue
			if err != nil && !errors.As(err, &ri) {
				t.Fatal(err)
			}
			if line <= last {
				t.Fatalf("line %d after line %d", line, last)
			}
			last = line
		}
	})
}

// trace is everything a record reader gives for in, one entry a call:
// the line and the record's fields, the issue, or the error.
func trace(read func() ([]string, int, error), limit int) []string {
	var out []string
	for n := 0; n <= limit; n++ {
		rec, line, err := read()
		var ri *recordIssue
		switch {
		case err == io.EOF:
			return append(out, "EOF")
		case errors.As(err, &ri):
			out = append(out, strconv.Itoa(line)+" issue "+ri.Error())
		case err != nil:
			return append(out, "error "+err.Error())
		default:
			out = append(out, strconv.Itoa(line)+"|"+strings.Join(rec, "|")+"|"+strconv.Itoa(len(rec)))
		}
	}
	return append(out, "no end")
}

// checkAgainstReference fails unless the record reader gives exactly what
// the reference (every record through encoding/csv) gives for in.
func checkAgainstReference(t *testing.T, in string) {
	t.Helper()
	rr, ref := newCSVRecords(strings.NewReader(in)), newRefRecords(strings.NewReader(in))
	got, want := trace(rr.read, len(in)+2), trace(ref.read, len(in)+2)
	if strings.Join(got, "\n~\n") != strings.Join(want, "\n~\n") {
		t.Fatalf("input %q:\ngot  %q\nwant %q", in, got, want)
	}
}

// The records and problems are the ones encoding/csv (behind the
// splitter) gave, line for line, for inputs made of the characters that
// matter to CSV.
func TestRecordsAgreeWithReference(t *testing.T) {
	pieces := []string{"a", "b,", ",", "\"", "\"\"", "\n", "\r\n", "\r", " ", "x\"y", "\",", "\xff"}
	rnd := rand.New(rand.NewPCG(1, 2))
	for range 30000 {
		var b strings.Builder
		for range rnd.IntN(24) {
			b.WriteString(pieces[rnd.IntN(len(pieces))])
		}
		checkAgainstReference(t, b.String())
	}
	// Lines longer than the read buffer, quoted and not.
	long := strings.Repeat("z", 70<<10)
	for _, in := range []string{long + ",b\nc\n", "\"" + long + "\n" + long + "\",d\ne", "a\n\"" + long, "\"x\n" + long + "\"\"\n\"\ny"} {
		checkAgainstReference(t, in)
	}
}

// A failure to read the input comes after the records before it, as it
// did; input read a byte at a time is read the same.
func TestRecordsReadFailureAgreesWithReference(t *testing.T) {
	failing := errors.New("disk on fire")
	for _, in := range []string{"a,b\nc,d\n", "a,b\n\"c\nd", "a,b\nc,", "\"x\ny\",z\n\"open\n"} {
		mk := func() io.Reader {
			return io.MultiReader(iotest.OneByteReader(strings.NewReader(in)), iotest.ErrReader(failing))
		}
		got, want := trace(newCSVRecords(mk()).read, 100), trace(newRefRecords(mk()).read, 100)
		if strings.Join(got, "\n~\n") != strings.Join(want, "\n~\n") {
			t.Errorf("input %q:\ngot  %q\nwant %q", in, got, want)
		}
	}
}

func FuzzRecordsAgreeWithReference(f *testing.F) {
	for _, s := range []string{"a,b\nc,d\n", "\"x\ny\",z\r\nq", "a\"b\n\"c\nd\"e\n", "\"a\"\r", "a,\"b\r\n\"\"\r\n", "\xff\"\n\"\n"} {
		f.Add(s)
	}
	f.Fuzz(checkAgainstReference)
}
