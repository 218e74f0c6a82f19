package tui

import (
	"bytes"
	"os"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"charter/model"
)

func TestMain(m *testing.M) {
	// Screens show times in local time; golden files are in UTC.
	time.Local = time.UTC
	os.Exit(m.Run())
}

// A smoke test of the whole program under Bubble Tea's own loop: the
// output is a cell-diff stream, so it waits for the tokens that change.
func TestProgramSmoke(t *testing.T) {
	db := openStore(t)
	app := New(Options{Signatories: db, Audit: db, Events: db, Reviewer: "smoke", DBPath: "smoke.db"})
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(80, 24))
	waitFor := func(token string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(token)) },
			teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
	}
	waitFor("Organisation")
	tm.Send(tea.KeyPressMsg{Code: '/', Text: "/"})
	tm.Type("area:birmingham cobalt")
	waitFor("Cobalt Kettle")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	waitFor("filter kept")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	waitFor("Commitments")
	for i := 0; i < 13; i++ { // to Entry-level jobs, which it lacks
		tm.Send(tea.KeyPressMsg{Code: tea.KeyTab})
	}
	time.Sleep(100 * time.Millisecond)
	tm.Send(tea.KeyPressMsg{Code: tea.KeySpace, Text: " "})
	waitFor("Silver")
	tm.Send(tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl})
	waitFor("version 2")
	tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))

	all, _ := db.Signatories()
	for _, s := range all {
		if s.Organisation == "Cobalt Kettle Café" {
			if s.Version != 2 || s.Tier() != model.TierSilver {
				t.Fatalf("not saved: %+v", s)
			}
			h, _ := db.SignatoryHistory(s.ID)
			if h[len(h)-1].By != "smoke" || len(h[len(h)-1].Fields) != 1 {
				t.Fatalf("history %+v", h[len(h)-1])
			}
			return
		}
	}
	t.Fatal("record missing")
}

// Another session's save reaches an open screen through the events.
func TestLiveUpdateFromAnotherWriter(t *testing.T) {
	db := openStore(t)
	app := New(Options{Signatories: db, Audit: db, Events: db, Reviewer: "watcher"})
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(80, 24))
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("Organisation")) },
		teatest.WithDuration(5*time.Second))
	s, _ := db.Signatory(1)
	s.Organisation = "AAA Renamed Ltd"
	if err := db.UpdateSignatory(&s, "other"); err != nil {
		t.Fatal(err)
	}
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("AAA Renamed Ltd")) },
		teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
	tm.Send(tea.KeyPressMsg{Code: 'q', Text: "q"})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}
