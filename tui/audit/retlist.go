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

	height int
	words  []string        // the filter's free words, shown in context
	text   textPane        // the selected return: answer, comment, benchmark
	shown  model.ReturnKey // the return the text pane holds
}

func newRetList(st *common.Styles, k keys) retList {
	return retList{st: st, keys: k, kept: map[model.ReturnKey]bool{}, stale: map[model.ReturnKey]bool{}, text: newTextPane()}
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
	l.layout()
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

// SetSize sizes the list and the selected return's text beside it (from
// 110 columns) or below it.
func (l *retList) SetSize(w, h int) {
	l.width, l.height = w, h
	l.layout()
}

func (l *retList) wide() bool { return l.width >= 110 }

// perRow is the lines one row takes: two when the filter has free words
// (the second shows the words around the match).
func (l *retList) perRow() int {
	if len(l.words) > 0 {
		return 2
	}
	return 1
}

// listWidth is the width of the list's column.
func (l *retList) listWidth() int {
	if !l.wide() {
		return l.width
	}
	return common.Clamp(l.width*11/20, 60, l.width-40)
}

// layout sizes the list and rebuilds the selected return's text; it runs
// in Update whenever the size, the rows or the selection change.
func (l *retList) layout() {
	w, h := l.width, l.height
	per := l.perRow()
	var textW, textH int
	if l.wide() {
		l.list.SetHeight(max((h-3)/per, 1)) // title, the more line; the meanings under both columns
		textW = w - l.listWidth() - 3
		textH = h - 2 // the lines under the text: where it is, what ratings mean
	} else {
		rows := min(max(len(l.rows), 1), max((h*2/5-2)/per, 2))
		l.list.SetHeight(rows)
		textW = w
		textH = h - 2 - rows*per - 3 // title, more line; a rule, the two lines under the text
	}
	l.text.SetSize(max(textW, 10), max(textH, 1))
	l.showSelected()
}

// showSelected puts the selected return in the text pane, from its top
// when the selection changed.
func (l *retList) showSelected() {
	sel, ok := l.Selected()
	if !ok || l.data == nil {
		l.shown = model.ReturnKey{}
		l.text.SetLines(nil)
		return
	}
	t := l.data.Row[sel]
	w := l.text.vp.Width()
	st := l.st
	lines := []string{st.Bold.Render(common.Truncate(returnHead(st, t), w))}
	if q := l.data.Question[qkeyOf(sel)]; q != nil {
		lines = append(lines, st.Subtle.Render(common.Truncate(t.Section+" · "+questionHeading(l.data, q), w)))
		lines = append(lines, answerLines(st, t, w)...)
		lines = append(lines, commentLines(st, t, w)...)
		lines = append(lines, benchmarkLines(st, l.data.QText[q], w)...)
		if p := promptLines(st, l.data.QText[q], w); len(p) > 0 {
			lines = append(lines, st.Subtle.Render("The question asked:"))
			lines = append(lines, p...)
		}
	} else {
		lines = append(lines, answerLines(st, t, w)...)
		lines = append(lines, commentLines(st, t, w)...)
	}
	l.text.SetLines(lines)
	if sel != l.shown {
		l.text.vp.GotoTop()
	}
	l.shown = sel
}

func (l *retList) Keys() []key.Binding {
	if len(l.rows) == 0 {
		return nil
	}
	k := l.keys
	ks := []key.Binding{k.PrevRet, k.NextRet, k.Top, k.Bottom}
	if l.text.Overflows() {
		ks = append(ks, k.ScrollUp, k.ScrollDown)
	}
	return append(ks, k.Open)
}

// Update moves the cursor, or scrolls the selected return's text. Moving
// lets go of the kept rows: the list is tested afresh and the cursor
// lands on the row the key aimed at.
func (l *retList) Update(msg tea.KeyPressMsg) bool {
	if len(l.rows) == 0 {
		return false
	}
	k := l.keys
	if l.text.Overflows() {
		switch {
		case key.Matches(msg, k.ScrollUp):
			l.text.vp.ScrollUp(max(l.text.vp.Height()-1, 1))
			return true
		case key.Matches(msg, k.ScrollDown):
			l.text.vp.ScrollDown(max(l.text.vp.Height()-1, 1))
			return true
		}
	}
	before := l.list.Cursor()
	switch {
	case key.Matches(msg, k.PrevRet):
		l.list.Move(-1)
	case key.Matches(msg, k.NextRet):
		l.list.Move(1)
	case key.Matches(msg, k.Top):
		l.list.SetCursor(0)
	case key.Matches(msg, k.Bottom):
		l.list.SetCursor(len(l.rows) - 1)
	default:
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
	l.layout()
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

// View draws the list under title, and the selected return beside or
// below it; empty says what to do when the list is empty.
func (l *retList) View(title, empty string, h int) string {
	st := l.st
	if len(l.rows) == 0 {
		out := []string{st.Bold.Render(fmt.Sprintf("%s (%d)", title, len(l.rows))), st.Muted.Render(empty)}
		return common.FitHeight(strings.Join(out, "\n"), h, l.width)
	}
	lw := l.listWidth()
	list := []string{st.Bold.Render(common.Truncate(fmt.Sprintf("%s (%d)", title, len(l.rows)), lw))}
	from, to := l.list.Window()
	for i := from; i < to; i++ {
		list = append(list, l.row(l.rows[i], i == l.list.Cursor(), lw)...)
	}
	foot := moreLine(st, l.list.Above(), l.list.Below())
	if len(l.stale) > 0 {
		if foot != "" {
			foot += st.Subtle.Render(" · ")
		}
		foot += st.Warning.Render("× no longer matches (kept until you move)")
	}
	list = append(list, common.Truncate(foot, lw))
	info := moreLine(st, l.text.Above(), l.text.Below())
	if common.Strip(info) != "" {
		info += st.Subtle.Render(" (pgup/pgdn)")
	}
	text := strings.Split(l.text.View(), "\n")
	var out []string
	if l.wide() {
		text = append(text, info)
		for i := 0; i < max(len(list), len(text)); i++ {
			a, b := "", ""
			if i < len(list) {
				a = list[i]
			}
			if i < len(text) {
				b = text[i]
			}
			out = append(out, common.Pad(a, lw)+st.Subtle.Render(" │ ")+b)
		}
		out = append(out, ratingMeaning(st, l.width))
	} else {
		out = append(list, st.Subtle.Render(strings.Repeat("─", max(l.width, 1))))
		out = append(out, text...)
		out = append(out, info, ratingMeaning(st, l.width))
	}
	return common.FitHeight(strings.Join(out, "\n"), h, l.width)
}

// row is one return in the list, w wide: who, the section, the question,
// the status and the annotation marks, the marks always whole; with free
// words, a second line shows the words around the match.
func (l *retList) row(t *auditdata.ReturnText, selected bool, w int) []string {
	st := l.st
	title := t.QuestionID
	if q := l.data.Question[auditdata.QKey(t.Key.Region, t.Key.QuestionID)]; q != nil {
		title = questionHeading(l.data, q)
	}
	mark := " "
	if l.stale[t.Key] {
		mark = "×"
	}
	const respW, statusW, badgeW = 13, 12, 11
	rest := w - 1 - 1 - respW - 1 - 1 - statusW - 1 - badgeW // cursor mark, stale mark and spaces
	secW := common.Clamp(rest*2/5, 15, 22)
	if rest < 38 {
		secW = 0 // the question matters more
	}
	titleW := max(rest-secW, 4)
	line := mark + common.Pad(t.Respondent, respW) + " "
	if secW > 0 {
		line += common.Pad(t.Short, secW) + " "
		titleW--
	}
	line += common.Pad(title, titleW) + " " + common.Pad(auditdata.StatusWord(t.Ret), statusW) + " " + shortBadge(st, t.Ret.Annotation)
	if selected {
		line = st.SelectedRow.Render("▶" + common.Truncate(common.Strip(line), w-1))
	} else {
		line = " " + common.Truncate(line, w-1)
	}
	out := []string{line}
	if len(l.words) > 0 {
		out = append(out, st.Muted.Render(common.Truncate("   "+snippet(l.data, t, l.words, w-3), w)))
	}
	return out
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
