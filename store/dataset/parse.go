package dataset

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// stanza is one record of the dataset format: its fields in file order
// and the line each starts on.
type stanza struct {
	line    int
	fields  map[string]string
	lines   map[string]int
	started map[string]bool
	// inline is set for fields whose value begins on the field's own line.
	inline map[string]bool
	order  []string
}

// ParseError says which line of the dataset is wrong and why.
type ParseError struct {
	Line int
	Msg  string
}

func (e *ParseError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// maxLine bounds one line of the file; the longest answer in the source is
// a few thousand bytes.
const maxLine = 1 << 20

// readStanzas splits the text into stanzas: blank lines separate them, a
// line starting with '#' is a comment, "Field: value" starts a field, a
// line starting with one space continues it, and " ." is an empty line
// within a value.
func readStanzas(r io.Reader) ([]stanza, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), maxLine)
	var out []stanza
	var cur *stanza
	var last string
	n := 0
	for sc.Scan() {
		n++
		text := strings.TrimSuffix(sc.Text(), "\r")
		if n == 1 {
			text = strings.TrimPrefix(text, "\ufeff")
		}
		if !utf8.ValidString(text) {
			return nil, &ParseError{n, "not valid UTF-8"}
		}
		switch {
		case strings.TrimSpace(text) == "":
			if cur != nil {
				out = append(out, *cur)
				cur, last = nil, ""
			}
		case text[0] == '#':
			// comment
		case text[0] == ' ':
			if cur == nil || last == "" {
				return nil, &ParseError{n, "a continuation line (starting with a space) must follow a field"}
			}
			cont := text[1:]
			if cont == "." {
				cont = ""
			}
			// A value whose first line is empty starts on its first
			// continuation line (used for lists such as Rows).
			if !cur.started[last] {
				cur.fields[last] = cont
				cur.started[last] = true
			} else {
				cur.fields[last] += "\n" + cont
			}
		default:
			name, value, ok := strings.Cut(text, ":")
			if !ok {
				return nil, &ParseError{n, fmt.Sprintf("expected \"Field: value\", got %s", quote(text))}
			}
			name = strings.ToLower(strings.TrimSpace(name))
			if name == "" || strings.ContainsAny(name, " \t") {
				return nil, &ParseError{n, fmt.Sprintf("bad field name %s", quote(name))}
			}
			if cur == nil {
				cur = &stanza{line: n, fields: map[string]string{}, lines: map[string]int{}, started: map[string]bool{}, inline: map[string]bool{}}
			}
			if _, dup := cur.fields[name]; dup {
				return nil, &ParseError{n, fmt.Sprintf("field %s appears twice in one record", name)}
			}
			cur.fields[name] = strings.TrimPrefix(value, " ")
			cur.lines[name] = n
			cur.started[name] = cur.fields[name] != ""
			cur.inline[name] = cur.started[name]
			cur.order = append(cur.order, name)
			last = name
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %w", n+1, err)
	}
	if cur != nil {
		out = append(out, *cur)
	}
	return out, nil
}

func (s *stanza) lineOf(name string) int {
	if l, ok := s.lines[name]; ok {
		return l
	}
	return s.line
}

func quote(s string) string {
	if len(s) > 60 {
		s = s[:60] + "…"
	}
	return fmt.Sprintf("%q", s)
}
