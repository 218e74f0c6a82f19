package coverage

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"charter/model"
	"charter/store"
	"charter/tui/auditdata"
	"charter/tui/common"
	"charter/tui/tuitest"
)

var testNow = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// openStore opens a fresh database, seeded with the West Midlands audit.
func openStore(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "t.db"), store.Options{Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// loaded is what the audit screen's load delivers, read from svc.
func loaded(t testing.TB, svc model.AuditService) auditdata.LoadedMsg {
	t.Helper()
	msgs := tuitest.Run(auditdata.Load(svc))
	if len(msgs) != 1 {
		t.Fatalf("load gave %d messages", len(msgs))
	}
	return msgs[0].(auditdata.LoadedMsg)
}

// newScreen is the tab at w×h with the audit of svc delivered.
func newScreen(t testing.TB, svc model.AuditService, w, h int) *Screen {
	t.Helper()
	s := New(&common.Options{Audit: svc, Reviewer: "tester", Now: func() time.Time { return testNow }}, common.NewStyles(true))
	s.SetSize(w, h)
	if cmd := s.Init(); cmd != nil {
		t.Fatal("the coverage tab must not load the audit itself")
	}
	s.Update(loaded(t, svc))
	return s
}

func press(s *Screen, names ...string) {
	d := tuitest.Driver{U: s}
	d.Keys(names...)
}

func frame(s *Screen) string { return tuitest.Plain(s.View()) }

func mustSee(t *testing.T, s *Screen, want ...string) {
	t.Helper()
	f := frame(s)
	for _, w := range want {
		if !strings.Contains(f, w) {
			t.Fatalf("frame lacks %q:\n%s", w, f)
		}
	}
}

func mustNotSee(t *testing.T, s *Screen, want ...string) {
	t.Helper()
	f := frame(s)
	for _, w := range want {
		if strings.Contains(f, w) {
			t.Fatalf("frame shows %q:\n%s", w, f)
		}
	}
}

// checkFits fails if the frame is taller or wider than the area.
func checkFits(t *testing.T, s *Screen) {
	t.Helper()
	lines := strings.Split(s.View(), "\n")
	if len(lines) > s.height {
		t.Fatalf("frame has %d lines for a height of %d", len(lines), s.height)
	}
	for _, l := range lines {
		if w := common.Width(l); w > s.width {
			t.Fatalf("line %q is %d wide for a width of %d", tuitest.Plain(l), w, s.width)
		}
	}
}

var _ tea.Msg = auditdata.LoadedMsg{}
