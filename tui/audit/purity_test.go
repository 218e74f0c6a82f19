package audit

import (
	"testing"
)

// View only draws: a screen that is drawn after every key (twice) ends
// where one never drawn ends, and drawing twice gives the same frame.
func TestViewChangesNothing(t *testing.T) {
	keys := []string{"t", "j", "j", "enter", "pgdown", "j", "b", "pgdown", "G", "b", ">", "<", "b", "r", "u", "h", "j", "R", "esc", "U", "D", "pgdown", "esc",
		"c", "type:note", "enter", "esc", "m", "pgdown", "G", "esc", "P", "j", "p", "esc",
		"/", "type:alliance:civic kind:prison rating:unrated", "enter", "G", "r", "k", "r", "enter", "pgdown", "esc",
		"esc", "a", "t", "a", "enter", "G", "pgup"}
	drawn := newHarness(t, openStore(t))
	blind := newHarness(t, openStore(t))
	for i, k := range keys {
		drawn.keys(k)
		blind.keys(k)
		if a, b := drawn.s.View(), drawn.s.View(); a != b {
			t.Fatalf("after key %d (%q) two draws differ:\n%s\n---\n%s", i, k, a, b)
		}
		if i == len(keys)/2 {
			drawn.s.SetSize(140, 30)
			blind.s.SetSize(140, 30)
			_ = drawn.s.View()
		}
	}
	if a, b := drawn.s.View(), blind.s.View(); a != b {
		t.Fatalf("drawn and undrawn screens differ:\n%s\n---\n%s", a, b)
	}
	if drawn.s.reader.text.Above() != blind.s.reader.text.Above() || drawn.s.questions.list != blind.s.questions.list ||
		drawn.s.results.list != blind.s.results.list || drawn.s.picker != blind.s.picker {
		t.Fatalf("scroll state differs")
	}
}
