package tui

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"charter/tui/common"
	"charter/tui/tuitest"
)

// fakeScreen records what the root hands it.
type fakeScreen struct {
	id        common.ScreenID
	got       []tea.Msg
	capturing bool
	unsaved   bool
	body      string
}

func (f *fakeScreen) Init() tea.Cmd              { return nil }
func (f *fakeScreen) Update(msg tea.Msg) tea.Cmd { f.got = append(f.got, msg); return nil }
func (f *fakeScreen) View() string               { return f.body }
func (f *fakeScreen) SetSize(int, int)           {}
func (f *fakeScreen) SetStyles(*common.Styles)   {}
func (f *fakeScreen) Keys() help.KeyMap          { return common.KeyMap{} }
func (f *fakeScreen) Capturing() bool            { return f.capturing }
func (f *fakeScreen) Unsaved() bool              { return f.unsaved }
func (f *fakeScreen) count(pred func(tea.Msg) bool) int {
	n := 0
	for _, m := range f.got {
		if pred(m) {
			n++
		}
	}
	return n
}

type resultFor struct {
	common.Owner
	n int
}

type broadcastNews struct{}

func fakeApp(t *testing.T) (*App, []*fakeScreen) {
	t.Helper()
	a := New(Options{Reviewer: "tester"})
	fakes := []*fakeScreen{{id: common.ScreenSignatories, body: "one"}, {id: common.ScreenAudit, body: "two"}, {id: common.ScreenCoverage, body: "three"}}
	a.screens = []common.Screen{fakes[0], fakes[1], fakes[2]}
	return a, fakes
}

// A result goes to the screen that asked for it and to no other; news goes
// to every screen; keys and paste go to the active screen only.
func TestResultsGoToTheirOwnerOnly(t *testing.T) {
	a, fakes := fakeApp(t)
	a.Update(resultFor{Owner: common.Owner{Screen: common.ScreenAudit, Gen: 7}, n: 1})
	a.Update(broadcastNews{})
	a.Update(common.ChangedMsg{})
	a.Update(common.Press("j"))
	a.Update(tea.PasteMsg{Content: "pasted"})
	isResult := func(m tea.Msg) bool { _, ok := m.(resultFor); return ok }
	isNews := func(m tea.Msg) bool { _, ok := m.(broadcastNews); return ok }
	isKey := func(m tea.Msg) bool { _, ok := m.(tea.KeyPressMsg); return ok }
	isPaste := func(m tea.Msg) bool { _, ok := m.(tea.PasteMsg); return ok }
	for i, f := range fakes {
		wantResult := 0
		if f.id == common.ScreenAudit {
			wantResult = 1
		}
		if got := f.count(isResult); got != wantResult {
			t.Errorf("screen %d got %d results, want %d", i+1, got, wantResult)
		}
		if f.count(isNews) != 1 {
			t.Errorf("screen %d missed the broadcast", i+1)
		}
		wantKey := 0
		if i == 0 {
			wantKey = 1
		}
		if f.count(isKey) != wantKey || f.count(isPaste) != wantKey {
			t.Errorf("screen %d got %d keys and %d pastes, want %d", i+1, f.count(isKey), f.count(isPaste), wantKey)
		}
	}
	// A result for a screen that does not exist is dropped, not broadcast.
	a.Update(resultFor{Owner: common.Owner{Screen: 99}})
	for i, f := range fakes {
		if f.count(isResult) > 1 {
			t.Errorf("screen %d got a result addressed to no screen", i+1)
		}
	}
}

// ctrl+c with unsaved edits asks first; any other key goes back; y or a
// second ctrl+c quits. q does the same outside text fields.
func TestQuitWithUnsavedChangesAsksFirst(t *testing.T) {
	a, fakes := fakeApp(t)
	fakes[0].unsaved = true
	_, cmd := a.Update(common.Press("ctrl+c"))
	if isQuit(cmd) || !a.confirmQuit {
		t.Fatal("ctrl+c with unsaved changes quit without asking")
	}
	if !strings.Contains(tuitest.Plain(a.View().Content), "unsaved changes") {
		// the status message arrives through the command
		for _, m := range tuitest.Run(cmd) {
			a.Update(m)
		}
	}
	if !strings.Contains(tuitest.Plain(a.View().Content), "unsaved changes") {
		t.Fatalf("no question on screen:\n%s", tuitest.Plain(a.View().Content))
	}
	_, cmd = a.Update(common.Press("n"))
	if isQuit(cmd) || a.confirmQuit {
		t.Fatal("another key did not go back")
	}
	if fakes[0].count(func(m tea.Msg) bool { _, ok := m.(tea.KeyPressMsg); return ok }) != 0 {
		t.Fatal("the answer to the question reached the screen")
	}
	a.Update(common.Press("ctrl+c"))
	if _, cmd = a.Update(common.Press("ctrl+c")); !isQuit(cmd) {
		t.Fatal("a second ctrl+c did not quit")
	}

	b, fb := fakeApp(t)
	fb[0].unsaved = true
	b.Update(common.Press("q"))
	if _, cmd = b.Update(common.Press("y")); !isQuit(cmd) {
		t.Fatal("q then y did not quit")
	}

	c, _ := fakeApp(t)
	if _, cmd = c.Update(common.Press("ctrl+c")); !isQuit(cmd) {
		t.Fatal("ctrl+c with nothing unsaved did not quit at once")
	}
}

func isQuit(cmd tea.Cmd) bool {
	for _, m := range tuitest.Run(cmd) {
		if _, ok := m.(tea.QuitMsg); ok {
			return true
		}
	}
	return false
}

// q, tab and the digits belong to a text field while it has focus.
func TestTextFieldsKeepTheRootKeys(t *testing.T) {
	a, fakes := fakeApp(t)
	fakes[0].capturing = true
	for _, k := range []string{"q", "2", "tab", "?"} {
		_, cmd := a.Update(common.Press(k))
		if isQuit(cmd) || a.active != 0 || a.showHelp {
			t.Fatalf("%q was taken by the root while a field had focus", k)
		}
	}
	if n := fakes[0].count(func(m tea.Msg) bool { _, ok := m.(tea.KeyPressMsg); return ok }); n != 4 {
		t.Fatalf("the field got %d of 4 keys", n)
	}
}

// Every key in the root's help acts; the help overlay opens and closes.
func TestRootKeysDoWhatHelpSays(t *testing.T) {
	for _, b := range common.AllBindings(newGlobalKeys()) {
		for _, k := range b.Keys() {
			a, _ := fakeApp(t)
			a.active = 1
			if k == "2" {
				a.active = 0
			}
			before := a.View().Content
			_, cmd := a.Update(common.Press(k))
			if cmd == nil && a.View().Content == before {
				t.Errorf("root key %q (%s) does nothing", k, b.Help().Desc)
			}
		}
	}
	a, _ := fakeApp(t)
	a.Update(common.Press("?"))
	if !strings.Contains(tuitest.Plain(a.View().Content), "closes this help") {
		t.Fatal("? did not open the help")
	}
	a.Update(common.Press("esc"))
	if a.showHelp {
		t.Fatal("esc did not close the help")
	}
}

// View changes nothing: rendering twice gives the same frame and leaves
// the model as it was.
func TestRootViewIsPure(t *testing.T) {
	a, _ := fakeApp(t)
	a.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	a.Update(common.StatusMsg{Text: "hello"})
	snap := snapshot(a)
	v1 := a.View().Content
	v2 := a.View().Content
	if v1 != v2 || !reflect.DeepEqual(snap, snapshot(a)) {
		t.Fatal("View changed the model")
	}
}

func snapshot(a *App) []any {
	return []any{a.active, a.width, a.height, a.status, a.showHelp, a.confirmQuit, a.sub, a.lastSeq}
}

// Text from outside (the reviewer's name, the database path, a status or
// a server notice) is neutralised before it reaches the frame.
func TestRootNeutralisesWhatItDraws(t *testing.T) {
	a := New(Options{Reviewer: "rev\x1b[31m\u202e", DBPath: "/tmp/\x1b[2Jx.db"})
	a.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	a.Update(common.StatusMsg{Text: "saved \x1b]0;pwned\x07 ok"})
	a.Update(NoticeMsg{Text: "bye \u009b31m now"})
	sgr := regexp.MustCompile(`\x1b\[[0-9;:]*m`)
	plain := sgr.ReplaceAllString(a.View().Content, "")
	for _, r := range plain {
		if r == 0x1b || (r < 0x20 && r != '\n') || (r >= 0x80 && r < 0xa0) || r == '\u202e' {
			t.Fatalf("frame carries %U:\n%q", r, plain)
		}
	}
}

var _ = key.NewBinding

// A request from one tab to show a return or a dossier switches to the
// audit tab and reaches it alone.
func TestOpenRequestsGoToTheAuditTab(t *testing.T) {
	for _, msg := range []tea.Msg{common.OpenReturnMsg{}, common.OpenDossierMsg{Name: "Featherstone"}} {
		a, fakes := fakeApp(t)
		a.active = 2
		a.Update(msg)
		if a.active != 1 {
			t.Fatalf("%T left the active tab at %d", msg, a.active+1)
		}
		if len(fakes[0].got) != 0 || len(fakes[2].got) != 0 || len(fakes[1].got) != 1 {
			t.Fatalf("%T reached %d, %d, %d screens' Update", msg, len(fakes[0].got), len(fakes[1].got), len(fakes[2].got))
		}
	}
}

// manyKeys is a key map longer than any screen.
type manyKeys struct{ fakeScreen }

func (manyKeys) Keys() help.KeyMap {
	var col []key.Binding
	for i := 0; i < 40; i++ {
		col = append(col, key.NewBinding(key.WithKeys(fmt.Sprintf("f%d", i)), key.WithHelp(fmt.Sprintf("f%d", i), fmt.Sprintf("binding number %d", i))))
	}
	return common.KeyMap{Full: [][]key.Binding{col}}
}

// Help taller than the screen scrolls: every line of it can be brought on
// screen at 80×24, with a mark for what is out of sight.
func TestTallHelpScrolls(t *testing.T) {
	a, _ := fakeApp(t)
	a.screens[0] = &manyKeys{}
	a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	a.Update(common.Press("?"))
	seen := ""
	for i := 0; i < 60; i++ {
		seen += tuitest.Plain(a.View().Content)
		a.Update(common.Press("j"))
	}
	for i := 0; i < 40; i++ {
		if !strings.Contains(seen, fmt.Sprintf("binding number %d", i)) {
			t.Fatalf("help line %d never reachable", i)
		}
	}
	if !strings.Contains(seen, "closes this help") || !strings.Contains(seen, "more (j/k") {
		t.Fatal("the end of the help or the scroll mark never showed")
	}
	if !a.showHelp {
		t.Fatal("scrolling closed the help")
	}
}
