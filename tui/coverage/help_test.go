package coverage

import (
	"errors"
	"reflect"
	"testing"

	"charter/tui/auditdata"
	"charter/tui/common"
	"charter/tui/tuitest"
)

// Every key in each state's help acts, and no other key does anything.
func TestHelpMatchesKeys(t *testing.T) {
	db := openStore(t)
	at := func(w, h int, keys ...string) func() tuitest.Component {
		msg := loaded(t, db)
		return func() tuitest.Component {
			s := New(&common.Options{}, common.NewStyles(true))
			s.SetSize(w, h)
			s.Update(msg)
			press(s, keys...)
			return s
		}
	}
	skip := tuitest.RootKeys
	tuitest.CheckHelp(t, "loading", tuitest.HelpCheck{Build: func() tuitest.Component {
		s := New(&common.Options{}, common.NewStyles(true))
		s.SetSize(80, 20)
		return s
	}, Skip: skip})
	tuitest.CheckHelp(t, "load failed", tuitest.HelpCheck{Build: func() tuitest.Component {
		s := New(&common.Options{}, common.NewStyles(true))
		s.SetSize(80, 20)
		s.Update(auditdata.LoadedMsg{Err: errors.New("disk on fire")})
		return s
	}, Skip: skip})
	// Civic Society · Prison at 80×18, the cursor mid-grid: every move acts.
	tuitest.CheckHelp(t, "grid", tuitest.HelpCheck{Build: at(80, 18, "t", "j", "j", "j", "l", "l"), Skip: skip})
	// The names column: enter asks for the dossier; nothing lies to the left.
	tuitest.CheckHelp(t, "grid, names column", tuitest.HelpCheck{Build: at(80, 18, "t", "j", "h"), Skip: skip, Idle: []string{"left", "h"}})
	// Corporate · ROM: one respondent, so moving up and down has nowhere to go.
	tuitest.CheckHelp(t, "grid of one respondent", tuitest.HelpCheck{Build: at(80, 18, "a", "a", "a", "l"), Skip: skip,
		Idle: []string{"up", "k", "down", "j", "pgup", "ctrl+u", "pgdown", "ctrl+d", "g", "home", "G", "end"}})
	tuitest.CheckHelp(t, "section without questions", tuitest.HelpCheck{Build: at(80, 18, "a", "t"), Skip: skip})
	tuitest.CheckHelp(t, "matrix", tuitest.HelpCheck{Build: at(80, 18, "v", "j", "j"), Skip: skip})
	tuitest.CheckHelp(t, "matrix, narrow", tuitest.HelpCheck{Build: at(40, 18, "v", "j", "l"), Skip: skip})
	tuitest.CheckHelp(t, "matrix, all in view", tuitest.HelpCheck{Build: at(120, 60, "v"), Skip: skip})
	if km := at(120, 60, "v")().Keys(); len(common.AllBindings(km)) != 1 {
		t.Errorf("a matrix in full view offers %d keys, want only v", len(common.AllBindings(km)))
	}
}

// View draws and changes nothing: rendering twice gives the same frame
// and leaves the screen as it was.
func TestViewIsPure(t *testing.T) {
	db := openStore(t)
	for _, keys := range [][]string{nil, {"t", "G", "l", "l"}, {"t", "j", "h"}, {"a", "a", "a", "end", "right"}, {"a", "t"}, {"v", "pgdown"}} {
		for _, size := range [][2]int{{80, 18}, {40, 10}, {200, 60}, {10, 3}} {
			s := newScreen(t, db, size[0], size[1])
			press(s, keys...)
			before := *s
			first := s.View()
			if !reflect.DeepEqual(before, *s) {
				t.Fatalf("%v at %v: View changed the screen", keys, size)
			}
			if second := s.View(); second != first {
				t.Fatalf("%v at %v: two renders differ", keys, size)
			}
			checkFits(t, s)
		}
	}
}
