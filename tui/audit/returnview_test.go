package audit

import (
	"strings"
	"testing"
	"unicode/utf8"

	"charter/model"
	"charter/tui/common"
)

func TestAroundKeepsTheMatch(t *testing.T) {
	text := "Dovegate are enabling prisoners to access support for self-employment through Business in Prisons and the Streetworks initiative at Featherstone (as detailed in ROM report)"
	tests := []struct {
		word string
		w    int
		want string
	}{
		// Ten cells of room before the match: "Prisons and the " is cut
		// at a word.
		{"Streetworks", 40, "…and the Streetworks initiative at Feat…"},
		{"Dovegate", 30, "Dovegate are enabling prisone…"},
		{"report", 20, "…ROM report)"},
	}
	for _, tt := range tests {
		i := strings.Index(text, tt.word)
		got := around(text, i, i+len(tt.word), tt.w)
		if got != tt.want {
			t.Errorf("%s in %d: %q, want %q", tt.word, tt.w, got, tt.want)
		}
		if common.Width(got) > tt.w {
			t.Errorf("%s: %q is wider than %d", tt.word, got, tt.w)
		}
	}
}

// around never draws wider than asked, never splits a character, and
// keeps a match no wider than half the room whole.
func FuzzAround(f *testing.F) {
	f.Add("Prison produce alley gates for local communities", 15, 11, 30)
	f.Add("ééééééééééééééééééééééééé match ééééééééééééé", 51, 5, 20)
	f.Add("漢字漢字漢字漢字漢字漢字漢字漢字 match 漢字漢字漢字漢字", 49, 5, 24)
	f.Add("nospacesatallbeforethematchxxxxxxxxxxxxxxxxxxxxxxxxxxxxxmatchyyyyyyyyyyyyyyyyyyyyyyyyy", 56, 5, 16)
	f.Fuzz(func(t *testing.T, text string, at, n, w int) {
		// As snippet gives it: neutralised, one line, single spaces.
		text = strings.Join(strings.Fields(model.Sanitize(text, false)), " ")
		if text == "" || w < 12 || w > 400 || n <= 0 {
			return
		}
		from := ((at % len(text)) + len(text)) % len(text)
		for from > 0 && !utf8.RuneStart(text[from]) {
			from--
		}
		to := min(from+n, len(text))
		for to < len(text) && !utf8.RuneStart(text[to]) {
			to++
		}
		got := around(text, from, to, w)
		if !utf8.ValidString(got) {
			t.Fatalf("invalid UTF-8: %q", got)
		}
		if common.Width(got) > w {
			t.Fatalf("%q is %d wide, more than %d", got, common.Width(got), w)
		}
		if match := text[from:to]; common.Width(match)*2 <= w && !strings.Contains(got, match) {
			t.Fatalf("%q lost the match %q (width %d)", got, match, w)
		}
	})
}
