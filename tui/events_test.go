package tui

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"charter/store"
	"charter/tui/tuitest"
)

var testNow = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

func openStore(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "t.db"), store.Options{Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// More changes than a subscriber's buffer holds arrive while the screen is
// busy: the store closes the subscription, the root subscribes again and
// every screen reloads, so what is on screen is what is stored.
func TestEventFloodEndsWithTheStoreOnScreen(t *testing.T) {
	old := tuitest.CmdTimeout
	tuitest.CmdTimeout = 300 * time.Millisecond
	defer func() { tuitest.CmdTimeout = old }()

	db := openStore(t)
	a := New(Options{Signatories: db, Audit: db, Events: db, Reviewer: "watcher", Now: func() time.Time { return testNow }})
	defer a.Close()
	d := &tuitest.Driver{U: &tuitest.Model{M: a}}
	d.Send(tea.WindowSizeMsg{Width: 160, Height: 60})
	for _, m := range tuitest.Run(a.Init()) {
		d.Send(m)
	}
	all, err := db.Signatories()
	if err != nil || len(all) != 40 {
		t.Fatalf("seed: %d records, %v", len(all), err)
	}
	// Three renames of every record: 120 events, more than the buffer.
	for round := 1; round <= 3; round++ {
		for i := range all {
			s, err := db.Signatory(all[i].ID)
			if err != nil {
				t.Fatal(err)
			}
			s.Organisation = fmt.Sprintf("Flood %d record %02d", round, i)
			if err := db.UpdateSignatory(&s, "other"); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, m := range tuitest.Run(a.waitEvent()) {
		d.Send(m)
	}
	frame := tuitest.Plain(a.View().Content)
	for i := range all {
		want := fmt.Sprintf("Flood 3 record %02d", i)
		if !strings.Contains(frame, want) {
			t.Fatalf("%q is stored but not on screen:\n%s", want, frame)
		}
	}
	if strings.Contains(frame, "Flood 1 ") || strings.Contains(frame, "Flood 2 ") {
		t.Fatalf("a stale name is still on screen:\n%s", frame)
	}
}
