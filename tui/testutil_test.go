package tui

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"charter/model"
	"charter/store"
)

var testNow = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// openStore opens a fresh database in a temporary directory.
func openStore(t testing.TB, seed bool) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "t.db"), store.Options{NoSeed: !seed, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// harness drives the root model the way Bubble Tea would, but
// synchronously: every Cmd is run and its message fed back, so a test sees
// the state after all the work a key caused.
type harness struct {
	t   testing.TB
	app *App
}

func newHarness(t testing.TB, db *store.DB, mutate ...func(*Options)) *harness {
	t.Helper()
	o := Options{Signatories: db, Audit: db, Reviewer: "tester", DBPath: "/tmp/test.db", Now: func() time.Time { return testNow }}
	for _, m := range mutate {
		m(&o)
	}
	h := &harness{t: t, app: New(o)}
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.run(h.app.Init())
	return h
}

var cmdType = reflect.TypeOf(tea.Cmd(nil))

// run executes a Cmd and everything it leads to. Cmds that do not finish
// quickly (cursor blinks, waits for events) are dropped: they are timers,
// not work.
func (h *harness) run(cmd tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0 && steps < 1000; steps++ {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		done := make(chan tea.Msg, 1)
		go func() { done <- c() }()
		var msg tea.Msg
		select {
		case msg = <-done:
		case <-time.After(3 * time.Second):
			continue
		}
		if msg == nil {
			continue
		}
		if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == cmdType {
			for i := 0; i < v.Len(); i++ {
				queue = append(queue, v.Index(i).Interface().(tea.Cmd))
			}
			continue
		}
		if _, quit := msg.(tea.QuitMsg); quit {
			continue
		}
		_, next := h.app.Update(msg)
		queue = append(queue, next)
	}
}

func (h *harness) send(msg tea.Msg) {
	_, cmd := h.app.Update(msg)
	h.run(cmd)
}

// keys sends key presses: named keys ("enter", "ctrl+s", "space") or, for
// anything else, each rune typed.
func (h *harness) keys(ks ...string) {
	for _, k := range ks {
		h.send(keyMsg(k))
	}
}

func (h *harness) typeText(s string) {
	for _, r := range s {
		h.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func keyMsg(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "left":
		return tea.KeyPressMsg{Code: tea.KeyLeft}
	case "right":
		return tea.KeyPressMsg{Code: tea.KeyRight}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "ctrl+s":
		return tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl}
	case "ctrl+h":
		return tea.KeyPressMsg{Code: 'h', Mod: tea.ModCtrl}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	}
	r := []rune(k)
	if len(r) != 1 {
		panic("unknown key " + k)
	}
	return tea.KeyPressMsg{Code: r[0], Text: k}
}

// screen is the frame as a person reads it: no escape sequences.
func (h *harness) screen() string { return ansi.Strip(h.app.View().Content) }

func (h *harness) raw() string { return h.app.View().Content }

func (h *harness) mustSee(want ...string) {
	h.t.Helper()
	s := h.screen()
	for _, w := range want {
		if !strings.Contains(s, w) {
			h.t.Fatalf("screen lacks %q:\n%s", w, s)
		}
	}
}

func (h *harness) mustNotSee(want ...string) {
	h.t.Helper()
	s := h.screen()
	for _, w := range want {
		if strings.Contains(s, w) {
			h.t.Fatalf("screen shows %q:\n%s", w, s)
		}
	}
}

// tableOrgs lists the organisations in view, in order.
func (h *harness) tableOrgs() []string {
	var out []string
	for _, r := range h.app.sig.view {
		out = append(out, r.s.Organisation)
	}
	return out
}

func mkSig(org, area string, n int, status model.ReviewStatus, vacancy bool) model.Signatory {
	s := model.Signatory{Organisation: org, Sector: model.SectorPrivate, Region: "West Midlands", LocalArea: area,
		SignedOn: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC), ReviewStatus: status, VacancyStatement: vacancy,
		ContactName: "Ann Example", SignedBy: "Ann Example"}
	for i := 0; i < n; i++ {
		s.Commitments = s.Commitments.With(model.Commitment(i))
	}
	return s
}

func seedSigs(t testing.TB, db *store.DB, rows ...model.Signatory) {
	t.Helper()
	if _, err := db.ImportSignatories(rows, model.ImportOptions{}, "seed"); err != nil {
		t.Fatal(err)
	}
}

func winSize(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }
