package model

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSanitize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "Featherstone prison", "Featherstone prison"},
		{"accents and scripts", "Café Ünïcødé — 北京 Ελλάδα عربى", "Café Ünïcødé — 北京 Ελλάδα عربى"},
		{"emoji", "Good 👍🏽 work 🏳️‍🌈", "Good 👍🏽 work 🏳️‍🌈"},
		{"csi colour", "red \x1b[31mALERT\x1b[0m done", "red ALERT done"},
		{"csi clear screen", "\x1b[2J\x1b[Hhi", "hi"},
		{"osc title bel", "a\x1b]0;pwned\x07b", "ab"},
		{"osc hyperlink st", "a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\b", "alinkb"},
		{"dcs", "a\x1bPq#0;2;0;0;0\x1b\\b", "ab"},
		{"apc", "a\x1b_payload\x1b\\b", "ab"},
		{"two byte esc", "a\x1bcb\x1b7c", "abc"},
		{"c1 csi", "a\u009b31mb", "ab"},
		{"c1 osc", "a\u009d0;t\u009cb", "ab"},
		{"c0 controls", "a\x00b\x07c\x08d\x7fe", "abcde"},
		{"carriage return", "safe\rEVIL", "safeEVIL"},
		{"tab", "a\tb", "a b"},
		{"newline line", "a\nb", "a b"},
		{"bidi override", "abc\u202edcba\u202c", "abcdcba"},
		{"bidi isolate", "x\u2066y\u2069z", "xyz"},
		{"invalid utf8", "a\xffb\xc3", "a\uFFFDb\uFFFD"},
		{"lone esc at end", "abc\x1b", "abc"},
		{"unterminated osc", "abc\x1b]0;title", "abc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SanitizeLine(tt.in); got != tt.want {
				t.Errorf("SanitizeLine(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	if got := Sanitize("one\ntwo\x1b[1m", true); got != "one\ntwo" {
		t.Errorf("keepNewlines: %q", got)
	}
}

func FuzzSanitize(f *testing.F) {
	for _, s := range []string{"plain", "\x1b[31mred", "\x1b]0;t\x07", "\u009b1m", "\u202e", "a\xffb", "👍🏽"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Sanitize(s, true)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 out of %q", s)
		}
		for _, r := range out {
			if r == 0x1b || (r < 0x20 && r != '\n') || r == 0x7f || (r >= 0x80 && r < 0xa0) || isBidiControl(r) {
				t.Fatalf("control %U survived in %q (from %q)", r, out, s)
			}
		}
		if strings.Contains(SanitizeLine(s), "\n") {
			t.Fatal("newline in a line")
		}
	})
}
