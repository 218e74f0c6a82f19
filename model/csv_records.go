package model

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// maxRecordBytes bounds a record (which may span lines inside a quoted
// field): a longer one is taken for a quote that never closes. So memory
// stays bounded, and so does the work: the lines after a broken record's
// first are read again, but only once, because a line that continues a
// quoted field cannot also open one that it leaves open (the same quotes
// pair up differently), so each of them is a record of its own.
const maxRecordBytes = 1 << 20

// csvRecords reads CSV records one at a time, like encoding/csv, but goes
// on after a broken record: each problem becomes a RowIssue with its line,
// and reading resynchronises at the next line. encoding/csv already does
// that for a stray quote (it drops the rest of that line), but a quoted
// field that never closes swallows the whole rest of the file. So the input
// first passes a splitter that follows the same quoting rules, finds where
// each record ends, and hands a record to encoding/csv only once it is
// complete; a quoted field still open after maxRecordBytes or at the end
// of the input is reported at its first line, which is replaced by an empty
// line (so line numbers stay true), and reading goes on with the line
// after it. Only the lines of the record being split are held in memory.
type csvRecords struct {
	sp *splitter
	cr *csv.Reader
	// held is a record read from cr but not yet returned, because a
	// splitter issue on an earlier line must come first.
	held    []string
	heldErr error
	heldSet bool
}

// recordIssue is a problem of one record; reading can go on.
type recordIssue struct{ RowIssue }

func newCSVRecords(r io.Reader) *csvRecords {
	sp := &splitter{src: bufio.NewReaderSize(r, 64<<10), line: 1}
	cr := csv.NewReader(sp)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return &csvRecords{sp: sp, cr: cr}
}

// read returns the next record and the line it starts on. A broken record
// gives a *recordIssue (keep reading); io.EOF ends the input; any other
// error is a failure to read and ends it.
func (c *csvRecords) read() ([]string, int, error) {
	if !c.heldSet {
		c.held, c.heldErr = c.cr.Read()
		c.heldSet = true
	}
	line := c.lineOf(c.heldErr)
	if is, ok := c.sp.nextIssue(line); ok {
		return nil, is.Line, &recordIssue{is}
	}
	rec, err := c.held, c.heldErr
	c.heldSet = false
	switch {
	case err == nil:
		return rec, line, nil
	case errors.Is(err, io.EOF):
		return nil, 0, io.EOF
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return nil, pe.StartLine, &recordIssue{RowIssue{Line: pe.StartLine, Msg: brokenCSV(pe)}}
	}
	if c.sp.err != nil {
		return nil, 0, c.sp.err
	}
	return nil, 0, err
}

// lineOf is the line of the record just read from cr, or, at the end of
// the input, a line after every other.
func (c *csvRecords) lineOf(err error) int {
	var pe *csv.ParseError
	switch {
	case err == nil:
		line, _ := c.cr.FieldPos(0)
		return line
	case errors.As(err, &pe):
		return pe.StartLine
	}
	return int(^uint(0) >> 1)
}

// brokenCSV says what is wrong with a record in words a person can act on.
func brokenCSV(pe *csv.ParseError) string {
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return fmt.Sprintf(`broken CSV: a " in the middle of an unquoted field (line %d, column %d); quote the whole field and double the " inside it`, pe.Line, pe.Column)
	case errors.Is(pe.Err, csv.ErrQuote):
		return fmt.Sprintf(`broken CSV: a quoted field goes on after its closing " (line %d, column %d); double a " meant as text`, pe.Line, pe.Column)
	}
	return fmt.Sprintf("broken CSV: %v", pe.Err)
}

// splitter is the io.Reader encoding/csv reads: complete records only.
type splitter struct {
	src    *bufio.Reader
	line   int       // number of the next line to take
	replay []rawLine // lines to take again before reading src
	out    []byte    // complete records not yet read
	issues []RowIssue
	eof    bool
	err    error // a failure to read src
}

// rawLine is one physical line with its newline; long is set (and data
// dropped) for a line longer than maxRecordBytes.
type rawLine struct {
	data []byte
	long bool
}

// nextIssue returns the first pending issue before line, if any.
func (s *splitter) nextIssue(before int) (RowIssue, bool) {
	if len(s.issues) == 0 || s.issues[0].Line >= before {
		return RowIssue{}, false
	}
	is := s.issues[0]
	s.issues = s.issues[1:]
	return is, true
}

func (s *splitter) Read(p []byte) (int, error) {
	for len(s.out) == 0 {
		if s.eof {
			if s.err != nil {
				return 0, s.err
			}
			return 0, io.EOF
		}
		s.split()
	}
	n := copy(p, s.out)
	s.out = s.out[n:]
	if len(s.out) == 0 {
		s.out = s.out[:0:0] // let a large record's buffer go
	}
	return n, nil
}

// take returns the next physical line, or ok false at the end of input.
func (s *splitter) take() (rawLine, bool) {
	if len(s.replay) > 0 {
		l := s.replay[0]
		s.replay = s.replay[1:]
		return l, true
	}
	if s.err != nil {
		return rawLine{}, false
	}
	var buf []byte
	long := false
	for {
		chunk, err := s.src.ReadSlice('\n')
		if !long {
			if len(buf)+len(chunk) > maxRecordBytes {
				long, buf = true, nil
			} else {
				buf = append(buf, chunk...)
			}
		}
		switch {
		case err == nil:
			return rawLine{data: buf, long: long}, true
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			if len(buf) == 0 && !long {
				return rawLine{}, false
			}
			return rawLine{data: buf, long: long}, true
		default:
			s.err = err
			return rawLine{}, false
		}
	}
}

// Quoting states, as encoding/csv parses (no lazy quotes, comma ',').
const (
	stFieldStart = iota
	stUnquoted
	stQuoted
	stQuoteInQuoted // a " seen inside a quoted field: closing or doubled
	stBroken        // encoding/csv will drop the rest of this line
)

// split moves the next record (or an empty stand-in line for a broken
// one) to out.
func (s *splitter) split() {
	start := s.line
	var lines []rawLine
	size := 0
	st := stFieldStart
	for {
		l, ok := s.take()
		if !ok {
			if len(lines) == 0 {
				s.eof = true
				return
			}
			s.unclosed(start, lines, "a quoted field opened on this line never closes (is a closing \" missing?)")
			return
		}
		s.line++
		if l.long {
			if len(lines) == 0 {
				s.issues = append(s.issues, RowIssue{Line: start, Msg: fmt.Sprintf("the line is longer than %d bytes; it was skipped", maxRecordBytes)})
				s.out = append(s.out, '\n')
				return
			}
			lines = append(lines, l)
			s.unclosed(start, lines, "a quoted field opened on this line runs into an over-long line (is a closing \" missing?)")
			return
		}
		lines = append(lines, l)
		size += len(l.data)
		if len(lines) == 1 && (string(l.data) == "\n" || string(l.data) == "\r\n") {
			s.out = append(s.out, l.data...) // an empty line; encoding/csv skips it
			return
		}
		st = scanLine(st, l.data)
		if st != stQuoted {
			for _, x := range lines {
				s.out = append(s.out, x.data...)
			}
			if n := len(s.out); n > 0 && s.out[n-1] != '\n' {
				s.out = append(s.out, '\n')
			}
			return
		}
		if size > maxRecordBytes {
			s.unclosed(start, lines, fmt.Sprintf("a quoted field opened on this line runs on for more than %d bytes (is a closing \" missing?)", maxRecordBytes))
			return
		}
	}
}

// unclosed reports a record whose quoted field never closed, hands on an
// empty line in place of its first line, and sends the lines after it
// round again.
func (s *splitter) unclosed(start int, lines []rawLine, msg string) {
	s.issues = append(s.issues, RowIssue{Line: start, Msg: "broken CSV: " + msg})
	s.out = append(s.out, '\n')
	s.replay = append(append([]rawLine(nil), lines[1:]...), s.replay...)
	s.line = start + 1
}

// scanLine follows encoding/csv's quoting rules over one line and returns
// the state at its end: stQuoted means the record goes on to the next line.
func scanLine(st int, line []byte) int {
	if st != stQuoted {
		st = stFieldStart
	}
	n := len(line)
	if n > 0 && line[n-1] == '\n' {
		n--
		if n > 0 && line[n-1] == '\r' {
			n--
		}
	}
	for _, c := range line[:n] {
		switch st {
		case stFieldStart:
			switch c {
			case '"':
				st = stQuoted
			case ',':
			default:
				st = stUnquoted
			}
		case stUnquoted:
			switch c {
			case ',':
				st = stFieldStart
			case '"':
				st = stBroken
			}
		case stQuoted:
			if c == '"' {
				st = stQuoteInQuoted
			}
		case stQuoteInQuoted:
			switch c {
			case '"':
				st = stQuoted
			case ',':
				st = stFieldStart
			default:
				st = stBroken
			}
		case stBroken:
			return stBroken
		}
	}
	return st
}

// columnName is a header cell as a column name: trimmed, lower-cased, and
// for the first cell without a byte-order mark.
func columnName(i int, h string) string {
	name := strings.ToLower(strings.TrimSpace(h))
	if i == 0 {
		name = strings.TrimPrefix(name, "\ufeff")
	}
	return name
}

// headerColumns maps a header row's column names to their places,
// refusing a name given twice or a header that lacks a required column.
func headerColumns(header, required []string) (map[string]int, error) {
	col := make(map[string]int, len(header))
	for i, h := range header {
		name := columnName(i, h)
		if _, dup := col[name]; dup {
			return nil, fmt.Errorf("line 1: column %s appears twice", quoteIfOdd(name))
		}
		col[name] = i
	}
	var missing []string
	for _, c := range required {
		if _, ok := col[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("line 1: the header lacks %s", requiredColumns(missing))
	}
	return col, nil
}
