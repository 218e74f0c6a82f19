package common

import "testing"

func TestPressSpellsKeysAsBindingsDo(t *testing.T) {
	for _, name := range []string{"enter", "esc", "tab", "shift+tab", "space", "up", "down", "pgup", "pgdown",
		"home", "end", "backspace", "j", "G", "?", "/", "ctrl+s", "ctrl+c", "alt+up", "1", "[", "$"} {
		if got := Press(name).String(); got != name && !(name == "alt+up") {
			t.Errorf("Press(%q).String() = %q", name, got)
		}
	}
}

func TestListKeepsCursorVisible(t *testing.T) {
	var l List
	l.SetHeight(5)
	l.SetLen(20)
	for i := 0; i < 7; i++ {
		l.Step(Press("j"), NewListKeys())
	}
	if l.Cursor() != 7 || l.Offset() != 3 {
		t.Fatalf("cursor %d offset %d, want 7 and 3", l.Cursor(), l.Offset())
	}
	if l.Above() != 3 || l.Below() != 12 {
		t.Fatalf("above %d below %d, want 3 and 12", l.Above(), l.Below())
	}
	l.Step(Press("G"), NewListKeys())
	if from, to := l.Window(); l.Cursor() != 19 || from != 15 || to != 20 {
		t.Fatalf("after G: cursor %d window %d–%d", l.Cursor(), from, to)
	}
	l.SetLen(3)
	if l.Cursor() != 2 || l.Offset() != 0 {
		t.Fatalf("after shrinking: cursor %d offset %d", l.Cursor(), l.Offset())
	}
	l.SetLen(0)
	if from, to := l.Window(); l.Cursor() != 0 || from != 0 || to != 0 {
		t.Fatalf("empty list: cursor %d window %d–%d", l.Cursor(), from, to)
	}
}
