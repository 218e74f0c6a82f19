package audit

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"charter/model"
	"charter/tui/auditdata"
	"charter/tui/common"
	"charter/tui/tuitest"
)

// releaseAll delivers held results until none is left (a delivered result
// may send the next queued write, whose result is held in turn).
func (h *harness) releaseAll(reversed bool) {
	for i := 0; i < 100 && len(h.d.Held()) > 0; i++ {
		if reversed {
			h.d.ReleaseReversed()
		} else {
			h.d.Release(nil)
		}
	}
}

// Typing r j r j … over 20 returns without waiting for the store: every
// rating is stored, none conflicts, with the store's answers delivered in
// order, in reverse, and from a slow service.
func TestTwentyFastRatings(t *testing.T) {
	for _, c := range []struct {
		name     string
		reversed bool
		slow     bool
		events   bool
	}{{"in order", false, false, false}, {"reversed", true, false, false}, {"slow double", true, true, false},
		{"with change events and re-reads held", true, true, true}} {
		t.Run(c.name, func(t *testing.T) {
			db := openStore(t)
			var svc model.AuditService = db
			if c.slow {
				svc = &fakeAudit{Next: db, AnnotateFn: func(k model.ReturnKey, v uint64, by string, e func(*model.Annotation)) (model.Annotation, error) {
					time.Sleep(3 * time.Millisecond)
					return db.Annotate(k, v, by, e)
				}}
			}
			h := newHarness(t, svc)
			h.r.events = c.events
			h.keys("/", "type:alliance:civic kind:prison status:answered", "enter")
			h.d.Hold = func(m tea.Msg) bool { return tuitest.Of[annotatedMsg](m) || tuitest.Of[auditdata.LoadedMsg](m) }
			var keys []model.ReturnKey
			for i := 0; i < 20; i++ {
				k, _ := h.s.selected()
				keys = append(keys, k)
				h.keys("r")
				if i%4 == 0 {
					h.keys("r", "r", "u") // cycle twice, then straight to partly
				}
				h.keys("j")
			}
			h.releaseAll(c.reversed)
			if errs := h.r.errors(); len(errs) > 0 {
				t.Fatalf("errors: %v", errs)
			}
			a, _ := db.Audit()
			rated := 0
			for _, r := range a.Returns {
				if r.Annotation.Rating != model.RatingNone {
					rated++
				}
			}
			if rated != 20 {
				t.Fatalf("%d returns rated, want 20", rated)
			}
			for i, k := range keys {
				want := model.RatingMeets
				if i%4 == 0 {
					want = model.RatingPartly
				}
				if got := annotation(t, db, k); got.Rating != want {
					t.Fatalf("%v: %q, want %q", k, got.Rating, want)
				}
			}
			if h.s.Unsaved() {
				t.Fatalf("writes still pending")
			}
			h.mustSee("[partly]", "[meets]")
		})
	}
}

// The to-do list: a return rated out of the filter stays where it is,
// marked, so a second r rates the same return again, not the next one.
func TestToDoListKeepsTheActedOnRow(t *testing.T) {
	for _, held := range []bool{false, true} {
		t.Run(map[bool]string{false: "answered at once", true: "answers held"}[held], func(t *testing.T) {
			db := openStore(t)
			h := newHarness(t, db)
			h.r.events = true
			h.keys("/", "type:alliance:civic kind:prison status:answered rating:unrated", "enter")
			first, _ := h.s.selected()
			n := h.s.results.Len()
			second := h.s.results.rows[1].Key
			if held {
				h.d.Hold = func(m tea.Msg) bool { return tuitest.Of[annotatedMsg](m) || tuitest.Of[auditdata.LoadedMsg](m) }
			}
			h.keys("r")
			if k, _ := h.s.selected(); k != first {
				t.Fatalf("cursor moved to %v", k)
			}
			h.mustSee("×", "no longer matches", fmt.Sprintf("(%d)", n))
			if !held {
				golden.RequireEqual(t, []byte(h.screen()))
			}
			h.keys("r")
			h.releaseAll(true)
			if a := annotation(t, db, first); a.Rating != model.RatingPartly {
				t.Fatalf("first return: %q, want partly", a.Rating)
			}
			if a := annotation(t, db, second); a.Rating != model.RatingNone {
				t.Fatalf("second return rated %q", a.Rating)
			}
			// Moving lets go of it: the cursor lands on the next return.
			h.keys("j")
			if k, _ := h.s.selected(); k != second {
				t.Fatalf("after j: %v, want %v", k, second)
			}
			h.mustNotSee("no longer matches")
			if got := h.s.results.Len(); got != n-1 {
				t.Fatalf("%d rows, want %d", got, n-1)
			}
			h.keys("y")
			h.releaseAll(false)
			if a := annotation(t, db, second); a.Rating != model.RatingMeets {
				t.Fatalf("second return: %q, want meets", a.Rating)
			}
			// Re-applying the filter lets go as well.
			h.keys("/", "enter")
			if got := h.s.results.Len(); got != n-2 {
				t.Fatalf("after re-applying: %d rows, want %d", got, n-2)
			}
			if errs := h.r.errors(); len(errs) > 0 {
				t.Fatalf("errors: %v", errs)
			}
		})
	}
}

// Results held and delivered newest first land on the right returns, and
// a history asked for by an earlier opening is dropped.
func TestResultsOutOfOrder(t *testing.T) {
	db := openStore(t)
	h := newHarness(t, db)
	h.keys("t", "j", "j", "enter", "j", "j", "j", "j", "j") // civic-prison-3: Featherstone, then Hewell Grange; both answered
	h.d.Hold = func(m tea.Msg) bool { return tuitest.Of[annotatedMsg](m) || tuitest.Of[historyMsg](m) }
	h.keys("r", "r", "j", "y", "p", "k", "h")
	h.keys("esc", "j", "h") // a second opening of the history, of Hewell Grange
	h.releaseAll(true)
	if a := annotation(t, db, wm("civic-prison-3", "Featherstone")); a.Rating != model.RatingPartly || a.Version != 2 {
		t.Fatalf("Featherstone %+v", a)
	}
	if a := annotation(t, db, wm("civic-prison-3", "Hewell Grange")); a.Rating != model.RatingMeets || !a.GoodPractice {
		t.Fatalf("Hewell Grange %+v", a)
	}
	h.mustSee("Annotation history: Hewell Grange", "good_practice: no → yes", "rating: ∅ → meets")
	h.mustNotSee("partly")
	h.keys("esc")
	h.mustSee("Featherstone — answered  [partly]", "▶ Hewell Grange — answered  [meets] ★ good practice")
	if errs := h.r.errors(); len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
}

// A failing write drops what was queued behind it, puts the store's
// annotation back on screen and says why; the next edit goes through.
func TestFailingWriteLeavesTheQueueConsistent(t *testing.T) {
	db := openStore(t)
	var fail atomic.Bool
	fail.Store(true)
	f := &fakeAudit{Next: db, AnnotateFn: func(k model.ReturnKey, v uint64, by string, e func(*model.Annotation)) (model.Annotation, error) {
		if k.Respondent == "Featherstone" && fail.Load() {
			return model.Annotation{}, errors.New("disk full")
		}
		return db.Annotate(k, v, by, e)
	}}
	h := newHarness(t, f)
	h.keys("t", "j", "j", "enter", "j", "j", "j", "j", "j") // civic-prison-3: Featherstone, then Hewell Grange; both answered
	h.d.Hold = tuitest.Of[annotatedMsg]
	h.keys("r", "r", "r", "j", "y")
	h.mustSee("Featherstone — answered  [not met]")
	h.releaseAll(false)
	errs := h.r.errors()
	if len(errs) != 1 || !strings.Contains(errs[0], "disk full") || !strings.Contains(errs[0], "Featherstone") || !strings.Contains(errs[0], "2 later changes not sent") {
		t.Fatalf("errors %q", errs)
	}
	h.mustSee("  Featherstone — answered\n", "Hewell Grange — answered  [meets]")
	if h.s.Unsaved() {
		t.Fatalf("the failed return's queue was kept")
	}
	for _, u := range h.s.undo {
		if u.key.Respondent == "Featherstone" {
			t.Fatalf("a failed change is offered for undo: %+v", u)
		}
	}
	if len(h.s.undo) != 1 || h.s.undo[0].key.Respondent != "Hewell Grange" {
		t.Fatalf("undo holds %+v, want Hewell Grange's rating", h.s.undo)
	}
	fail.Store(false)
	h.keys("k", "n")
	h.releaseAll(false)
	if a := annotation(t, db, wm("civic-prison-3", "Featherstone")); a.Rating != model.RatingNotMet || a.Version != 1 {
		t.Fatalf("Featherstone %+v", a)
	}
	// Every write named its own return, Featherstone's last one from the
	// version shown, not the failed one's.
	last := f.calls[len(f.calls)-1]
	if last.Key.Respondent != "Featherstone" || last.Version != 0 {
		t.Fatalf("last call %+v", last)
	}
}

// A conflict (another reviewer saved first) says so and re-reads.
func TestConflictSaysSoAndReloads(t *testing.T) {
	db := openStore(t)
	h := newHarness(t, db)
	h.keys("t", "j", "j", "enter", "j", "j", "j", "j", "j") // civic-prison-3: Featherstone, then Hewell Grange; both answered
	if _, err := db.Annotate(wm("civic-prison-3", "Featherstone"), 0, "sam", func(a *model.Annotation) { a.Rating = model.RatingNotMet }); err != nil {
		t.Fatal(err)
	}
	h.keys("y")
	errs := h.r.errors()
	if len(errs) != 1 || !strings.Contains(errs[0], "someone else changed Featherstone") {
		t.Fatalf("errors %q", errs)
	}
	h.mustSee("Featherstone — answered  [not met]")
	h.keys("y")
	if a := annotation(t, db, wm("civic-prison-3", "Featherstone")); a.Rating != model.RatingMeets {
		t.Fatalf("after reload: %+v", a)
	}
}

// Results for someone else, or for returns the data no longer holds, and
// an older read finishing after a newer one, change nothing.
func TestLateAndForeignResultsAreDropped(t *testing.T) {
	db := openStore(t)
	h := newHarness(t, db)
	h.keys("t", "j", "j", "enter")
	before := h.screen()
	ghost := model.ReturnKey{Region: "Gone", QuestionID: "x", Respondent: "y"}
	h.d.Send(annotatedMsg{Owner: common.Owner{Screen: common.ScreenAudit, Gen: 999999}, key: wm("civic-prison-3", "Birmingham"), ann: model.Annotation{Rating: model.RatingMeets, Version: 7}})
	h.d.Send(annotatedMsg{Owner: common.Owner{Screen: common.ScreenAudit, Gen: h.s.ann.gen}, key: ghost, ann: model.Annotation{Rating: model.RatingMeets}})
	h.d.Send(historyMsg{Owner: common.Owner{Screen: common.ScreenAudit, Gen: 999999}, key: ghost})
	if got := h.screen(); got != before {
		t.Fatalf("screen changed:\n%s", got)
	}
	old := auditdata.Load(db)().(auditdata.LoadedMsg)
	if _, err := db.Annotate(wm("civic-prison-3", "Birmingham"), 0, "sam", func(a *model.Annotation) { a.Rating = model.RatingNotMet }); err != nil {
		t.Fatal(err)
	}
	h.d.Send(common.ChangedMsg{})
	h.d.Send(common.ResyncMsg{})
	h.mustSee("Birmingham — not answered  [not met]")
	h.d.Send(old)
	h.mustSee("Birmingham — not answered  [not met]")
}

// A history that cannot be read says why in the pane.
func TestHistoryFailureSaysWhy(t *testing.T) {
	db := openStore(t)
	f := &fakeAudit{Next: db, HistoryFn: func(model.ReturnKey) ([]model.AnnotationChange, error) {
		return nil, errors.New("read \x1b[31mfailed")
	}}
	h := newHarness(t, f)
	h.keys("t", "enter", "h")
	h.mustSee("Annotation history: Birmingham", "history not loaded: read failed")
	h.keys("esc", "r")
	if a := annotation(t, db, wm("civic-prison-1", "Birmingham")); a.Rating != model.RatingMeets {
		t.Fatalf("%+v", a)
	}
}

// A return rated in the reader opened from the to-do list is still there,
// marked, when the reviewer goes back to the list.
func TestToDoListKeepsARowRatedInTheReader(t *testing.T) {
	db := openStore(t)
	h := newHarness(t, db)
	h.keys("/", "type:alliance:civic kind:prison status:answered rating:unrated", "enter", "j")
	second, _ := h.s.selected()
	n := h.s.results.Len()
	h.keys("enter", "y", "esc")
	if k, _ := h.s.selected(); k != second || h.s.results.Len() != n {
		t.Fatalf("back in the list on %v of %d rows, want %v of %d", k, h.s.results.Len(), second, n)
	}
	h.mustSee("×", "no longer matches")
	h.keys("j")
	if got := h.s.results.Len(); got != n-1 {
		t.Fatalf("%d rows, want %d", got, n-1)
	}
}

// Unflagging in the good-practice list keeps the row, marked, until the
// cursor moves.
func TestGoodPracticeListKeepsAnUnflaggedRow(t *testing.T) {
	db := openStore(t)
	for _, k := range []model.ReturnKey{wm("civic-prison-1", "Hewell Grange"), wm("corporate-rom-2", "ROM")} {
		if _, err := db.Annotate(k, 0, "sam", func(a *model.Annotation) { a.GoodPractice = true }); err != nil {
			t.Fatal(err)
		}
	}
	h := newHarness(t, db)
	h.r.events = true
	h.keys("P", "p")
	h.mustSee("Good practice across all alliances (2)", "×Hewell Grange", "no longer matches")
	h.keys("p") // flag it again: the same return, not ROM's
	if a := annotation(t, db, wm("civic-prison-1", "Hewell Grange")); !a.GoodPractice || a.Version != 3 {
		t.Fatalf("Hewell Grange %+v", a)
	}
	if a := annotation(t, db, wm("corporate-rom-2", "ROM")); !a.GoodPractice || a.Version != 1 {
		t.Fatalf("ROM %+v", a)
	}
	h.keys("p", "j")
	h.mustSee("Good practice across all alliances (1)", "▶ ROM")
}

// Undo writes the previous values back and restore writes a version's
// values back, each as a new change the history keeps.
func TestUndoAndRestoreAreNewChanges(t *testing.T) {
	db := openStore(t)
	h := newHarness(t, db)
	h.keys("t", "j", "j", "enter", "j", "j", "j", "j", "j") // civic-prison-3, Featherstone
	if strings.Contains(shortHelp(h.s)+fmt.Sprint(h.s.Keys().FullHelp()), "undo") {
		t.Fatal("undo offered before any change")
	}
	h.keys("y", "p", "c", "type:first thoughts", "enter") // v1 v2 v3
	h.keys("U")                                           // v4: the comment goes
	h.keys("U")                                           // v5: the flag goes
	k := wm("civic-prison-3", "Featherstone")
	if a := annotation(t, db, k); a.Rating != model.RatingMeets || a.GoodPractice || a.Comment != "" || a.Version != 5 {
		t.Fatalf("after two undos: %+v", a)
	}
	h.keys("h")
	h.mustSee("v5", "good_practice: yes → no", "v4", "comment: first thoughts → ∅", "v1")
	h.keys("j", "j") // v3: the comment was written
	h.mustSee("▶v3")
	h.keys("R")
	a := annotation(t, db, k)
	if a.Rating != model.RatingMeets || !a.GoodPractice || a.Comment != "first thoughts" || a.Version != 6 {
		t.Fatalf("after restoring v3: %+v", a)
	}
	hist, err := db.ReturnHistory(k)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range hist {
		got = append(got, fmt.Sprintf("v%d %s %s %q→%q", c.Version, c.By, c.Field, c.Old, c.New))
	}
	want := []string{
		`v1 tester rating ""→"meets"`,
		`v2 tester good_practice "no"→"yes"`,
		`v3 tester comment ""→"first thoughts"`,
		`v4 tester comment "first thoughts"→""`,
		`v5 tester good_practice "yes"→"no"`,
		`v6 tester comment ""→"first thoughts"`,
		`v6 tester good_practice "no"→"yes"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("history:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	h.mustSee("v6", "comment: ∅ → first thoughts")
	// The restore is undone like any change.
	h.keys("U")
	if a := annotation(t, db, k); a.GoodPractice || a.Comment != "" || a.Version != 7 {
		t.Fatalf("after undoing the restore: %+v", a)
	}
	// Restoring the newest version changes nothing.
	h.keys("g", "R")
	if a := annotation(t, db, k); a.Version != 7 {
		t.Fatalf("restoring the current version wrote: %+v", a)
	}
	if errs := h.r.errors(); len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
}

// A comment of several lines: ctrl+j starts a new line, enter saves, and
// every line is shown.
func TestMultiLineCommentInTheTextArea(t *testing.T) {
	db := openStore(t)
	h := newHarness(t, db)
	h.keys("t", "j", "j", "enter", "j", "j", "j", "j", "j") // civic-prison-3, Featherstone
	h.keys("c", "type:Alley gates are local.", "ctrl+j", "type:Ask for numbers.", "alt+enter", "type:Third line", "enter")
	k := wm("civic-prison-3", "Featherstone")
	if a := annotation(t, db, k); a.Comment != "Alley gates are local.\nAsk for numbers.\nThird line" {
		t.Fatalf("comment %q", a.Comment)
	}
	h.mustSee("comment (tester): Alley gates are local.\n", "    Ask for numbers.\n", "    Third line")
	// Opened again, the editor starts from all of it; esc keeps it.
	h.keys("c")
	h.mustSee("│ Ask for numbers.", "enter save · ctrl+j new line · esc cancel")
	h.mustNotSee("ctrl+e")
	h.keys("esc")
	if a := annotation(t, db, k); a.Version != 1 {
		t.Fatalf("esc wrote: %+v", a)
	}
}

// With an editor command, ctrl+e hands the comment to it through a file
// and what it leaves comes back into the text area, saved with enter.
func TestLongCommentInTheExternalEditor(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "fake-editor")
	seen := filepath.Join(dir, "seen")
	// The "editor" keeps what it was given and writes two lines.
	body := "#!/bin/sh\ncp \"$1\" " + seen + "\nprintf 'From the editor.\\nSecond line.\\n' > \"$1\"\n"
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	db := openStore(t)
	h := newHarness(t, db, func(o *common.Options) { o.Editor = script })
	var ran []string
	h.s.editor.exec = func(c *exec.Cmd, cb tea.ExecCallback) tea.Cmd {
		ran = append(ran, strings.Join(c.Args, " "))
		return func() tea.Msg { return cb(c.Run()) }
	}
	h.keys("t", "j", "j", "enter", "j", "j", "j", "j", "j") // civic-prison-3, Featherstone
	h.keys("c", "type:Draft", "ctrl+e")
	if len(ran) != 1 || !strings.Contains(ran[0], script) {
		t.Fatalf("ran %q", ran)
	}
	if b, err := os.ReadFile(seen); err != nil || string(b) != "Draft" {
		t.Fatalf("the editor was given %q (%v)", b, err)
	}
	h.mustSee("│ From the editor.", "│ Second line.")
	h.keys("enter")
	if a := annotation(t, db, wm("civic-prison-3", "Featherstone")); a.Comment != "From the editor.\nSecond line." {
		t.Fatalf("comment %q", a.Comment)
	}
	// The file it was given is gone.
	args := strings.Fields(ran[0])
	if _, err := os.Stat(args[len(args)-1]); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the comment file %s is left behind (%v)", args[len(args)-1], err)
	}
	// An editor that fails leaves the text as it was and says so.
	if err := os.WriteFile(script, []byte("#!/bin/sh\nexit 3\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	h.keys("c", "ctrl+e")
	errs := h.r.errors()
	if len(errs) != 1 || !strings.Contains(errs[0], "the editor failed") {
		t.Fatalf("errors %q", errs)
	}
	h.mustSee("│ From the editor.")
}

// What an editor leaves for an earlier opening of the comment editor is
// dropped; what it leaves is neutralised before it is shown.
func TestExternalEditorResultsAreRoutedAndNeutralised(t *testing.T) {
	db := openStore(t)
	h := newHarness(t, db, func(o *common.Options) { o.Editor = "true" })
	h.s.editor.exec = func(c *exec.Cmd, cb tea.ExecCallback) tea.Cmd {
		return func() tea.Msg {
			m := cb(nil)
			em := m.(externalMsg)
			em.text = "late \x1b[31mred\x07\n"
			return em
		}
	}
	h.keys("t", "j", "j", "enter", "j", "j", "j", "j", "j") // Featherstone
	h.d.Hold = tuitest.Of[externalMsg]
	h.keys("c", "ctrl+e")
	h.mustSee("in the editor; save and quit it to come back")
	h.keys("k") // keys do nothing while the editor has the text
	h.mustSee("in the editor")
	h.d.Hold = nil
	held := h.d.Held()
	if len(held) != 1 {
		t.Fatalf("%d held", len(held))
	}
	// A new opening of the editor: the old editor's answer is not for it.
	h.keys("esc", "c")
	h.d.Release(nil)
	h.mustNotSee("late")
	// For this opening it is taken, without its control characters.
	h.d.Hold = tuitest.Of[externalMsg]
	h.keys("ctrl+e")
	h.d.Hold = nil
	h.d.Release(nil)
	h.mustSee("│ late red")
	if raw := h.s.editor.input.Value(); strings.ContainsAny(raw, "\x1b\x07") {
		t.Fatalf("text area holds %q", raw)
	}
}
