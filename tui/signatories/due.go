package signatories

import (
	"fmt"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"charter/model"
	"charter/tui/common"
	"charter/tui/rowindex"
)

// periodMsg is the database's review period, read for the table.
type periodMsg struct {
	common.Owner
	period model.ReviewPeriod
	err    error
}

// loadPeriod reads the review period the Due column and due: filters use
// (nothing to read without Options.Settings: the default stands).
func (t *table) loadPeriod() tea.Cmd {
	svc := t.opts.Settings
	if svc == nil {
		return nil
	}
	t.due.periodGen = common.NextGen()
	gen := t.due.periodGen
	return func() tea.Msg {
		p, err := svc.ReviewPeriod()
		return periodMsg{Owner: owner(gen), period: p, err: err}
	}
}

// setPeriod puts the review period in force: the query in force is read
// again under it, and the Due cells and count follow.
func (t *table) setPeriod(msg periodMsg) tea.Cmd {
	if msg.Gen != t.due.periodGen {
		return nil
	}
	if msg.err != nil {
		return common.Status("could not read the review period (12 months used): "+model.SanitizeLine(msg.err.Error()), true)
	}
	id := t.selectedID()
	t.idx.SetContext(t.opts.Time(), msg.period)
	// The matcher is made again under the new period, over every row
	// (by way of the empty query: the same query again would only look
	// at the rows in view), with no result cached under the old one.
	q := t.idx.Query()
	t.idx.ForgetRecent()
	_ = t.idx.SetQuery("")
	_ = t.idx.SetQuery(q) // it parsed before; it parses again
	t.afterChange(id)
	return nil
}

// dueCount is the review state of the rows in view, as the summary line
// shows it, and the clock the rows' Due cells are drawn with.
type dueCount struct {
	clock         model.DueClock
	overdue, soon int
	// cache keeps each row's state between counts.
	cache rowindex.DueCache
	// periodGen names the read of the review period in flight.
	periodGen uint64
	// key says what the count was made of: a count is made again only
	// when the rows, the query, the view or the day change.
	key dueKey
}

type dueKey struct {
	snap  *rowindex.Snapshot
	query string
	len   int
	clock model.DueClock
}

// countDue counts the rows in view by review state, unless nothing they
// depend on changed since the last count.
func (t *table) countDue() {
	clock := t.idx.DueClock()
	k := dueKey{snap: t.idx.Snapshot(), query: t.idx.Query(), len: t.idx.Len(), clock: clock}
	if k == t.due.key {
		return
	}
	if clock != t.due.key.clock {
		// Lines drawn on another day hold that day's states.
		t.cache = map[*rowindex.Row]string{}
	}
	o, s := t.idx.DueCounts(clock, &t.due.cache)
	t.due.clock, t.due.overdue, t.due.soon, t.due.key = clock, o, s, k
}

// dueText is the status bar's review count of the rows in view:
// " · N due (M overdue)", due meaning overdue or due soon.
func (t *table) dueText() string {
	n := t.due.overdue + t.due.soon
	if t.due.overdue == 0 {
		return fmt.Sprintf(" · %d due", n)
	}
	return fmt.Sprintf(" · %d due (%d overdue)", n, t.due.overdue)
}

// dueStyle colours a review state; the word carries the meaning.
func (t *table) dueStyle(d model.DueState) lipgloss.Style {
	switch d {
	case model.DueOverdue:
		return t.st.Error
	case model.DueSoon:
		return t.st.Warning
	}
	return t.st.Subtle
}
