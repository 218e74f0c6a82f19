package audit

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"charter/model"
	"charter/tui/auditdata"
	"charter/tui/common"
)

// retList is a list of returns from across the audit chosen by a test
// (a filter, or "flagged as good practice"). A return the reviewer acts on
// stays where it is even when it no longer passes the test, marked so,
// until the cursor moves or the test is applied afresh: the next key then
// lands on the return the reviewer chose, never on the one that slid
// into its place.
type retList struct {
	st    *common.Styles
	keys  keys
	data  *auditdata.Data
	test  func(*auditdata.ReturnText) bool
	rows  []*auditdata.ReturnText
	stale map[model.ReturnKey]bool // kept rows that fail the test
	kept  map[model.ReturnKey]bool // rows acted on since the cursor last moved
	list  common.List
	width int
}

func newRetList(st *common.Styles, k keys) retList {
	return retList{st: st, keys: k, kept: map[model.ReturnKey]bool{}, stale: map[model.ReturnKey]bool{}}
}

// SetTest applies a new test afresh: rows kept for the reviewer go.
func (l *retList) SetTest(d *auditdata.Data, test func(*auditdata.ReturnText) bool) {
	l.test = test
	l.kept = map[model.ReturnKey]bool{}
	l.rows = nil // a new test starts at the top
	l.list.SetCursor(0)
	l.Refresh(d)
}

// Reapply drops the rows kept for the reviewer, keeping the cursor's row
// if it still passes.
func (l *retList) Reapply() {
	l.kept = map[model.ReturnKey]bool{}
	l.Refresh(l.data)
}

// Keep marks the row of k, if the list shows it, as acted on: it stays in
// the list until the cursor moves.
func (l *retList) Keep(k model.ReturnKey) {
	for _, t := range l.rows {
		if t.Key == k {
			l.kept[k] = true
			return
		}
	}
}

// Refresh re-runs the test over d, keeping the kept rows in place and the
// cursor on the same return (or, if it has gone, on the one after it).
func (l *retList) Refresh(d *auditdata.Data) {
	if d == nil || l.test == nil {
		return
	}
	sel, had := l.Selected()
	at := -1
	if had {
		at = l.rows[l.list.Cursor()].Index
	}
	l.data = d
	l.rows = l.rows[:0]
	l.stale = map[model.ReturnKey]bool{}
	for _, t := range d.Rows {
		pass := l.test(t)
		if pass || l.kept[t.Key] {
			l.rows = append(l.rows, t)
			if !pass {
				l.stale[t.Key] = true
			}
		}
	}
	l.list.SetLen(len(l.rows))
	if had {
		l.selectKey(sel, at)
	}
}

// selectKey puts the cursor on k, or on the first row after position at
// in the data, or on the last row.
func (l *retList) selectKey(k model.ReturnKey, at int) {
	for i, t := range l.rows {
		if t.Key == k {
			l.list.SetCursor(i)
			return
		}
	}
	for i, t := range l.rows {
		if t.Index > at {
			l.list.SetCursor(i)
			return
		}
	}
	l.list.SetCursor(len(l.rows) - 1)
}

func (l *retList) Len() int { return len(l.rows) }

// Selected is the key of the row under the cursor.
func (l *retList) Selected() (model.ReturnKey, bool) {
	if len(l.rows) == 0 {
		return model.ReturnKey{}, false
	}
	return l.rows[l.list.Cursor()].Key, true
}

func (l *retList) SetSize(w, h int) {
	l.width = w
	l.list.SetHeight(max(h-2, 1)) // title and the more-above/below line
}

func (l *retList) Keys() []key.Binding {
	if len(l.rows) == 0 {
		return nil
	}
	return append(l.keys.ListKeys.Bindings(), l.keys.Open)
}

// Update moves the cursor. Moving lets go of the kept rows: the list is
// tested afresh and the cursor lands on the row the key aimed at.
func (l *retList) Update(msg tea.KeyPressMsg) bool {
	if len(l.rows) == 0 {
		return false
	}
	before := l.list.Cursor()
	if !l.list.Step(msg, l.keys.ListKeys) {
		return false
	}
	if len(l.kept) > 0 {
		target := l.rows[l.list.Cursor()].Key
		// Aiming past a row that goes: land on the next one that stays.
		dir := 1
		if l.list.Cursor() < before {
			dir = -1
		}
		i := l.list.Cursor()
		for i >= 0 && i < len(l.rows) && l.stale[l.rows[i].Key] && l.rows[i].Key != l.rows[before].Key {
			i += dir
		}
		if i >= 0 && i < len(l.rows) {
			target = l.rows[i].Key
		}
		l.kept = map[model.ReturnKey]bool{}
		l.retest(target)
	}
	return true
}

// retest re-runs the test without kept rows and selects target (or the
// nearest row after where it was).
func (l *retList) retest(target model.ReturnKey) {
	at := -1
	if t := l.data.Row[target]; t != nil {
		at = t.Index - 1
	}
	l.Refresh(l.data)
	l.selectKey(target, at)
}

// View draws the list under title; empty says what to do when it is empty.
func (l *retList) View(title, empty string, h int) string {
	st := l.st
	out := []string{st.Bold.Render(fmt.Sprintf("%s (%d)", title, len(l.rows)))}
	if len(l.rows) == 0 {
		out = append(out, st.Muted.Render(empty))
		return common.FitHeight(strings.Join(out, "\n"), h, l.width)
	}
	w := l.width
	from, to := l.list.Window()
	for i := from; i < to; i++ {
		t := l.rows[i]
		title := t.QuestionID
		if q := l.data.Question[auditdata.QKey(t.Key.Region, t.Key.QuestionID)]; q != nil {
			title = fmt.Sprintf("Q%d %s", q.Order, l.data.QText[q].Title)
		}
		mark := " "
		if l.stale[t.Key] {
			mark = "×"
		}
		qw := max(w-2-13-1-22-1-1-12-1-12, 8)
		line := mark + common.Pad(t.Respondent, 13) + " " + common.Pad(t.Section, 22) + " " +
			common.Pad(title, qw) + " " + common.Pad(auditdata.StatusWord(t.Ret), 12) + " " + shortBadge(st, t.Ret.Annotation)
		if i == l.list.Cursor() {
			line = st.SelectedRow.Render("▶" + common.Truncate(common.Strip(line), w-1))
		} else {
			line = " " + common.Truncate(line, w-1)
		}
		out = append(out, line)
	}
	foot := moreLine(st, l.list.Above(), l.list.Below())
	if len(l.stale) > 0 {
		if foot != "" {
			foot += st.Subtle.Render(" · ")
		}
		foot += st.Warning.Render("× no longer matches (kept until you move)")
	}
	out = append(out, foot)
	return common.FitHeight(strings.Join(out, "\n"), h, w)
}

// shortBadge is an annotation in a list's last column: the rating in
// words, ★ for good practice, ✎ for a comment.
func shortBadge(st *common.Styles, a model.Annotation) string {
	out := ""
	if a.Rating != model.RatingNone {
		out = st.RatingStyle(a.Rating).Render("[" + a.Rating.Label() + "]")
	}
	if a.GoodPractice {
		out += st.GoodPract.Render("★")
	}
	if a.Comment != "" {
		out += st.Subtle.Render("✎")
	}
	return out
}
