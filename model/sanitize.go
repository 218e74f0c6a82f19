package model

import (
	"strings"
	"unicode/utf8"
)

// Sanitize makes text from data safe to put on a terminal or into a report.
// It removes escape sequences (CSI, OSC, DCS, SOS, PM, APC and two-byte ESC
// sequences, in their 7-bit and 8-bit forms) whole, drops the remaining C0
// and C1 control characters and DEL, drops bidirectional overrides and
// isolates (which can make text read differently from what it is), and
// replaces invalid UTF-8 with U+FFFD. Tabs become a space; newlines are kept
// only when keepNewlines is set (multi-line answers), otherwise they become
// a space too. Letters of every script, accents and emoji pass untouched.
func Sanitize(s string, keepNewlines bool) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && w == 1:
			b.WriteRune(utf8.RuneError)
			i++
			continue
		case r == 0x1b: // ESC
			i = skipEscape(s, i+1)
			continue
		case r == 0x9b: // 8-bit CSI
			i = skipCSI(s, i+w)
			continue
		case r == 0x90 || r == 0x9d || r == 0x98 || r == 0x9e || r == 0x9f: // 8-bit DCS, OSC, SOS, PM, APC
			i = skipString(s, i+w)
			continue
		case r == '\n':
			if keepNewlines {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
		case r == '\t':
			b.WriteByte(' ')
		case r == '\r':
			// dropped: a bare CR would move the cursor back over the line
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			// other control characters are dropped
		case isBidiControl(r):
			// dropped
		default:
			b.WriteString(s[i : i+w])
		}
		i += w
	}
	return b.String()
}

// SanitizeLine is Sanitize for one-line fields: table cells, names, titles.
func SanitizeLine(s string) string { return Sanitize(s, false) }

// isPlain is the fast path: printable ASCII (and newline-free) text needs
// no work, which is nearly all of it.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

func isBidiControl(r rune) bool {
	switch {
	case r >= 0x202a && r <= 0x202e: // LRE, RLE, PDF, LRO, RLO
		return true
	case r >= 0x2066 && r <= 0x2069: // LRI, RLI, FSI, PDI
		return true
	case r == 0x200e || r == 0x200f || r == 0x061c: // LRM, RLM, ALM
		return true
	}
	return false
}

// skipEscape skips what follows an ESC byte at s[i-1] and returns the
// offset after the whole sequence.
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch s[i] {
	case '[':
		return skipCSI(s, i+1)
	case ']', 'P', 'X', '^', '_': // OSC, DCS, SOS, PM, APC
		return skipString(s, i+1)
	}
	// Two-byte (or nF: intermediates then a final) sequence.
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
		i++
	}
	if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7e {
		i++
	}
	return i
}

// skipCSI skips parameter and intermediate bytes and the final byte.
func skipCSI(s string, i int) int {
	for i < len(s) {
		c := s[i]
		i++
		if c >= 0x40 && c <= 0x7e {
			return i
		}
		if c < 0x20 || c > 0x3f && c < 0x40 {
			// malformed: stop at the odd byte
			return i
		}
	}
	return i
}

// skipString skips a control string up to its terminator (BEL, ESC \ or
// 8-bit ST) or the end of the text.
func skipString(s string, i int) int {
	for i < len(s) {
		switch {
		case s[i] == 0x07:
			return i + 1
		case s[i] == 0x1b:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			return i + 1
		case s[i] == 0xc2 && i+1 < len(s) && s[i+1] == 0x9c: // U+009C ST
			return i + 2
		}
		i++
	}
	return i
}
