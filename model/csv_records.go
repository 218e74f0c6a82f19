package model

import (
	"bufio"
	"bytes"
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
// is split into records by following the same quoting rules (see
// scanLine); a quoted field still open after maxRecordBytes or at the end
// of the input is reported at its first line, and reading goes on with the
// line after it. Only the lines of the record being split are held in
// memory.
//
// A well-formed record (most of them) is split into its fields here, as
// encoding/csv would split it: its fields are slices of one string. A
// record that encoding/csv refuses is handed to it alone, so the problem
// is described in its words, at the record's true line.
type csvRecords struct {
	src    *bufio.Reader
	line   int       // number of the next line to take
	replay []rawLine // lines to take again before reading src
	err    error     // a failure to read src

	lines []rawLine // the record being split
	buf   []byte    // a record's text, unquoted
	ends  []int     // where each field of buf ends
	rec   []string  // the record returned: reused, as with csv.Reader.ReuseRecord
}

// recordIssue is a problem of one record; reading can go on.
type recordIssue struct{ RowIssue }

func newCSVRecords(r io.Reader) *csvRecords {
	return &csvRecords{src: bufio.NewReaderSize(r, 64<<10), line: 1}
}

// What split found.
const (
	splitEnd    = iota // the end of the input (or a failure to read it)
	splitEmpty         // an empty line, which encoding/csv skips
	splitIssue         // a record whose quoted field never closes, or an over-long line
	splitRecord        // the lines of one record
)

// read returns the next record and the line it starts on. The record is
// reused by the next read. A broken record gives a *recordIssue (keep
// reading); io.EOF ends the input; any other error is a failure to read
// and ends it.
func (c *csvRecords) read() ([]string, int, error) {
	for {
		start := c.line
		kind, st, issue := c.split()
		switch kind {
		case splitEnd:
			if c.err != nil {
				return nil, 0, c.err
			}
			return nil, 0, io.EOF
		case splitEmpty:
			continue
		case splitIssue:
			return nil, issue.Line, &recordIssue{issue}
		}
		if st != stBroken {
			if rec, ok := c.fields(); ok {
				return rec, start, nil
			}
		}
		rec, err := c.viaEncodingCSV(start)
		if errors.Is(err, io.EOF) {
			continue // nothing but line ends (cannot happen: split skips empty lines)
		}
		return rec, start, err
	}
}

// viaEncodingCSV reads the record split last with encoding/csv, for its
// account of what is wrong with it (its lines counted from start).
func (c *csvRecords) viaEncodingCSV(start int) ([]string, error) {
	var data []byte
	for _, l := range c.lines {
		data = append(data, l.data...)
	}
	if n := len(data); n > 0 && data[n-1] != '\n' {
		data = append(data, '\n')
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	rec, err := cr.Read()
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		pe.StartLine += start - 1
		pe.Line += start - 1
		return nil, &recordIssue{RowIssue{Line: pe.StartLine, Msg: brokenCSV(pe)}}
	}
	return rec, err
}

// fields splits the well-formed record split last into its fields, as
// encoding/csv does: every line's end read as "\n" ("\r\n" too, and
// none at the end of the input), the record's last line end dropped,
// quotes around a field removed and a doubled quote inside one made
// single. ok is false for anything else, which encoding/csv then reads.
func (c *csvRecords) fields() (rec []string, ok bool) {
	buf, ends := c.buf[:0], c.ends[:0]
	quoted := false // inside a quoted field that goes on from the line before
	last := len(c.lines) - 1
	for li, l := range c.lines {
		d := l.data
		if n := len(d); n > 0 && d[n-1] == '\n' {
			d = d[:n-1]
		}
		if n := len(d); n > 0 && d[n-1] == '\r' {
			d = d[:n-1]
		}
		i := 0
		if quoted {
			buf = append(buf, '\n')
		}
	line:
		for {
			if !quoted {
				// At the start of a field.
				if i < len(d) && d[i] == '"' {
					quoted = true
					i++
				} else {
					j := bytes.IndexByte(d[i:], ',')
					if j < 0 {
						field := d[i:]
						if bytes.IndexByte(field, '"') >= 0 || li != last {
							return nil, false
						}
						buf = append(buf, field...)
						ends = append(ends, len(buf))
						break line
					}
					if bytes.IndexByte(d[i:i+j], '"') >= 0 {
						return nil, false
					}
					buf = append(buf, d[i:i+j]...)
					ends = append(ends, len(buf))
					i += j + 1
					continue
				}
			}
			// Inside a quoted field.
			j := bytes.IndexByte(d[i:], '"')
			if j < 0 {
				if li == last {
					return nil, false
				}
				buf = append(buf, d[i:]...)
				break line // the field goes on on the next line
			}
			buf = append(buf, d[i:i+j]...)
			i += j + 1
			if i < len(d) && d[i] == '"' {
				buf = append(buf, '"')
				i++
				continue
			}
			quoted = false
			ends = append(ends, len(buf))
			switch {
			case i == len(d):
				if li != last {
					return nil, false
				}
				break line
			case d[i] == ',':
				i++
				if i == len(d) { // the record ends with an empty field
					if li != last {
						return nil, false
					}
					ends = append(ends, len(buf))
					break line
				}
			default:
				return nil, false
			}
		}
	}
	if quoted {
		return nil, false
	}
	c.buf, c.ends = buf, ends
	str := string(buf) // one string for the record; its fields are slices of it
	rec = c.rec[:0]
	from := 0
	for _, end := range ends {
		rec = append(rec, str[from:end])
		from = end
	}
	c.rec = rec
	return rec, true
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

// rawLine is one physical line with its newline; long is set (and data
// dropped) for a line longer than maxRecordBytes.
type rawLine struct {
	data []byte
	long bool
}

// take returns the next physical line, or ok false at the end of input.
// A borrowed line's data is bufio's and good only until the next take.
func (c *csvRecords) take() (l rawLine, borrowed, ok bool) {
	if len(c.replay) > 0 {
		l := c.replay[0]
		c.replay = c.replay[1:]
		return l, false, true
	}
	if c.err != nil {
		return rawLine{}, false, false
	}
	chunk, err := c.src.ReadSlice('\n')
	if err == nil {
		return rawLine{data: chunk}, true, true
	}
	var buf []byte
	long := false
	for {
		if !long {
			if len(buf)+len(chunk) > maxRecordBytes {
				long, buf = true, nil
			} else {
				buf = append(buf, chunk...)
			}
		}
		switch {
		case err == nil:
			return rawLine{data: buf, long: long}, false, true
		case errors.Is(err, bufio.ErrBufferFull):
		case errors.Is(err, io.EOF):
			if len(buf) == 0 && !long {
				return rawLine{}, false, false
			}
			return rawLine{data: buf, long: long}, false, true
		default:
			c.err = err
			return rawLine{}, false, false
		}
		chunk, err = c.src.ReadSlice('\n')
	}
}

// split takes the lines of the next record into c.lines and returns what
// it found, with the quoting state at the end of a record's last line
// (stBroken: encoding/csv refuses it) or the issue.
func (c *csvRecords) split() (kind, st int, issue RowIssue) {
	start := c.line
	c.lines = c.lines[:0]
	size := 0
	st = stFieldStart
	for {
		l, borrowed, ok := c.take()
		if !ok {
			if len(c.lines) == 0 {
				return splitEnd, st, RowIssue{}
			}
			return splitIssue, st, c.unclosed(start, "a quoted field opened on this line never closes (is a closing \" missing?)")
		}
		c.line++
		if l.long {
			if len(c.lines) == 0 {
				return splitIssue, st, RowIssue{Line: start, Msg: fmt.Sprintf("the line is longer than %d bytes; it was skipped", maxRecordBytes)}
			}
			c.lines = append(c.lines, l)
			return splitIssue, st, c.unclosed(start, "a quoted field opened on this line runs into an over-long line (is a closing \" missing?)")
		}
		if len(c.lines) == 0 && (string(l.data) == "\n" || string(l.data) == "\r\n" || string(l.data) == "\r") {
			// An empty line (a lone "\r" can only end the input, where
			// encoding/csv drops it).
			return splitEmpty, st, RowIssue{}
		}
		st = scanLine(st, l.data)
		if st == stQuoted && borrowed {
			l.data = append([]byte(nil), l.data...) // kept past the next take
		}
		c.lines = append(c.lines, l)
		size += len(l.data)
		if st != stQuoted {
			return splitRecord, st, RowIssue{}
		}
		if size > maxRecordBytes {
			return splitIssue, st, c.unclosed(start, fmt.Sprintf("a quoted field opened on this line runs on for more than %d bytes (is a closing \" missing?)", maxRecordBytes))
		}
	}
}

// unclosed reports a record whose quoted field never closed and sends the
// lines after its first round again.
func (c *csvRecords) unclosed(start int, msg string) RowIssue {
	c.replay = append(append([]rawLine(nil), c.lines[1:]...), c.replay...)
	c.line = start + 1
	return RowIssue{Line: start, Msg: "broken CSV: " + msg}
}

// Quoting states, as encoding/csv parses (no lazy quotes, comma ',').
const (
	stFieldStart = iota
	stUnquoted
	stQuoted
	stQuoteInQuoted // a " seen inside a quoted field: closing or doubled
	stBroken        // encoding/csv will drop the rest of this line
)

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
