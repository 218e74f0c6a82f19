package model

// The record reader as it was when every record went through encoding/csv
// (behind a splitter that finds where each record ends), kept as the
// reference the faster reader must agree with.

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
)

type refRecords struct {
	sp *refSplitter
	cr *csv.Reader
	// held is a record read from cr but not yet returned, because a
	// refSplitter issue on an earlier line must come first.
	held    []string
	heldErr error
	heldSet bool
}

func newRefRecords(r io.Reader) *refRecords {
	sp := &refSplitter{src: bufio.NewReaderSize(r, 64<<10), line: 1}
	cr := csv.NewReader(sp)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return &refRecords{sp: sp, cr: cr}
}

// read returns the next record and the line it starts on. A broken record
// gives a *recordIssue (keep reading); io.EOF ends the input; any other
// error is a failure to read and ends it.
func (c *refRecords) read() ([]string, int, error) {
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
func (c *refRecords) lineOf(err error) int {
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

// refSplitter is the io.Reader encoding/csv reads: complete records only.
type refSplitter struct {
	src    *bufio.Reader
	line   int       // number of the next line to take
	replay []rawLine // lines to take again before reading src
	out    []byte    // complete records not yet read
	issues []RowIssue
	eof    bool
	err    error // a failure to read src
}

// nextIssue returns the first pending issue before line, if any.
func (s *refSplitter) nextIssue(before int) (RowIssue, bool) {
	if len(s.issues) == 0 || s.issues[0].Line >= before {
		return RowIssue{}, false
	}
	is := s.issues[0]
	s.issues = s.issues[1:]
	return is, true
}

func (s *refSplitter) Read(p []byte) (int, error) {
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
func (s *refSplitter) take() (rawLine, bool) {
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

// split moves the next record (or an empty stand-in line for a broken
// one) to out.
func (s *refSplitter) split() {
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
func (s *refSplitter) unclosed(start int, lines []rawLine, msg string) {
	s.issues = append(s.issues, RowIssue{Line: start, Msg: "broken CSV: " + msg})
	s.out = append(s.out, '\n')
	s.replay = append(append([]rawLine(nil), lines[1:]...), s.replay...)
	s.line = start + 1
}
