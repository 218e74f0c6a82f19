package signatories

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"charter/model"
	"charter/tui/common"
	"charter/tui/rowindex"
)

// columnWidths are the fixed widths; the organisation takes the rest.
var columnWidths = [rowindex.NumColumns]int{0, 10, 7, 6, 2, 3, 9, 10, 7}

// table is the signatory list: the rows, the filter bar, the cursor, the
// tier summary. It does its own loads; results name the load's generation.
type table struct {
	opts *common.Options
	st   *common.Styles
	keys tableKeys

	width, height int

	idx    *rowindex.Index
	list   common.List
	filter common.FilterBar

	// gen is the generation of the table's loading: results of an
	// earlier one are stale.
	gen    uint64
	loaded bool // every record is in, not just the first pages
	counts model.TierCounts

	// lines are the visible rows as drawn, prepared in Update so View
	// only joins them; cache keeps unselected rows' lines by row (a row
	// never changes, a new version is a new row).
	lines    []string
	cache    map[*rowindex.Row]string
	cacheKey [2]int
	// due is the review state of the rows in view, counted in prepare
	// when the rows, the query or the day change (see due.go).
	due dueCount
}

func newTable(o *common.Options, st *common.Styles) *table {
	sh := o.SignatoryRows
	if sh == nil {
		sh = rowindex.NewShared(o.Signatories)
	}
	t := &table{opts: o, st: st, keys: newTableKeys(), idx: rowindex.NewIndex(sh),
		filter: common.NewFilterBar(st, "tier:gold area:dudley status:pending printing", "/ filter   s sort   enter open   n new")}
	t.list.SetHeight(1)
	t.idx.SetContext(o.Time(), 0)
	return t
}

// init starts the load of the rows (if no other table sharing them has)
// and waits for its first page; the aggregate counts come beside it.
func (t *table) init() tea.Cmd {
	svc := t.opts.Signatories
	if svc == nil {
		return nil
	}
	t.gen = common.NextGen()
	sh := t.idx.Shared()
	sh.Start()
	// The first page is usually in by now (the workbench starts the load
	// before it sets up the terminal), and the first frame shows it
	// rather than waiting for a message to bring it.
	first := sh.WaitUntil(func(s *rowindex.Snapshot) bool { return s.Live() > 0 || s.Loaded || s.Err != nil }, firstPageWait)
	return tea.Batch(t.took(first), loadCounts(svc, t.gen), t.loadPeriod())
}

// firstPageWait bounds how long the table's start waits for the first
// page of rows.
var firstPageWait = 20 * time.Millisecond

// took moves the table on to snap, and asks for the next snapshot while
// the load goes on.
func (t *table) took(snap *rowindex.Snapshot) tea.Cmd {
	was := t.loaded
	t.sync(snap)
	snap = t.idx.Snapshot()
	if snap.Live() > 0 || snap.Loaded {
		t.idx.Shared().Shown()
	}
	t.loaded = snap.Loaded
	if !snap.Loaded {
		return nextRows(t.idx.Shared(), t.gen, snap)
	}
	if was {
		return nil
	}
	if snap.Err != nil {
		return common.Status("could not read the signatories: "+snap.Err.Error(), true)
	}
	return nil
}

// reloadAll reads every record again (an import, or missed events).
func (t *table) reloadAll() tea.Cmd {
	svc := t.opts.Signatories
	if svc == nil {
		return nil
	}
	t.gen = common.NextGen()
	return tea.Batch(reloadRows(t.idx.Shared(), t.gen, t.idx.Snapshot(), time.Now()), loadCounts(svc, t.gen))
}

// reloadOne re-reads a changed record into the shared rows (once for all
// the tables that share them).
func (t *table) reloadOne(seq, id uint64) tea.Cmd {
	svc := t.opts.Signatories
	if svc == nil {
		return nil
	}
	return tea.Batch(changedRow(t.idx.Shared(), t.gen, seq, id), loadCounts(svc, t.gen))
}

// bodyHeight is the number of record lines: the filter bar, the tier
// summary and the column titles take three.
func (t *table) bodyHeight() int { return max(t.height-3, 1) }

func (t *table) setSize(w, h int) {
	t.width, t.height = w, h
	t.filter.SetWidth(w)
	t.list.SetHeight(t.bodyHeight())
	t.prepare()
}

func (t *table) setStyles(st *common.Styles) {
	t.st = st
	t.filter.SetStyles(st)
	t.cache = nil
	t.prepare()
}

func (t *table) selected() *rowindex.Row {
	if t.idx.Len() == 0 {
		return nil
	}
	return t.idx.At(t.list.Cursor())
}

func (t *table) selectedID() uint64 {
	if r := t.selected(); r != nil {
		return r.ID()
	}
	return 0
}

// selectID puts the cursor on a record's row if it is in view.
func (t *table) selectID(id uint64) {
	if i := t.idx.Find(id); i >= 0 {
		t.list.SetCursor(i)
	}
}

// afterChange keeps the cursor on the record it was on (or at the same
// place, if that record left the view) and redraws.
func (t *table) afterChange(id uint64) {
	t.list.SetLen(t.idx.Len())
	if id != 0 {
		t.selectID(id)
	}
	t.prepare()
}

// sync moves the table on to a version of the rows. If the selected
// record changed and no longer matches the filter, it stays in view
// (marked) until the cursor moves, so the next key never lands on a row
// the reviewer did not choose.
func (t *table) sync(snap *rowindex.Snapshot) {
	id := t.selectedID()
	epoch := t.idx.Snapshot().Epoch
	if !t.idx.SyncTo(snap, id) {
		return
	}
	if t.idx.Snapshot().Epoch != epoch {
		// Lines cached by row would keep a whole old load alive.
		t.cache = nil
	}
	t.afterChange(id)
}

// apply puts one re-read record (this session's save) in place.
func (t *table) apply(id uint64, rec *model.Signatory) {
	sel := t.selectedID()
	if !t.idx.Apply(id, rec, sel) {
		return
	}
	t.afterChange(sel)
}

func (t *table) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case rowsMsg:
		if msg.Gen != t.gen {
			return nil
		}
		return t.took(msg.snap)
	case recordMsg:
		if msg.err != nil {
			return common.Status("could not re-read a signatory: "+msg.err.Error(), true)
		}
		t.apply(msg.id, msg.rec)
		return nil
	case countsMsg:
		if msg.Gen != t.gen || msg.err != nil {
			return nil
		}
		t.counts = msg.counts
		t.prepare()
		return nil
	case tea.KeyPressMsg:
		if t.filter.Focused() {
			return t.filterUpdate(msg)
		}
		return t.key(msg)
	case tea.PasteMsg:
		if t.filter.Focused() {
			return t.filterUpdate(msg)
		}
	}
	return nil
}

// key handles a key outside the filter bar; open and new are the screen's.
func (t *table) key(msg tea.KeyPressMsg) tea.Cmd {
	if t.list.Step(msg, t.keys.ListKeys) {
		if t.idx.Pinned() != 0 {
			id := t.selectedID()
			t.idx.Unpin()
			t.afterChange(id)
		}
		t.prepare()
		return nil
	}
	switch {
	case key.Matches(msg, t.keys.Filter):
		return t.filter.Focus()
	case key.Matches(msg, t.keys.Clear) && t.hasQuery():
		t.filter.SetValue("")
		t.setQuery("")
		return common.Status("filter cleared", false)
	case key.Matches(msg, t.keys.Sort):
		col, _ := t.idx.Sort()
		col = (col + 1) % rowindex.NumColumns
		t.resort(col, false)
		return common.Status("sorted by "+strings.ToLower(col.Title()), false)
	case key.Matches(msg, t.keys.Rev):
		col, desc := t.idx.Sort()
		t.resort(col, !desc)
		return nil
	}
	return nil
}

func (t *table) resort(col rowindex.Column, desc bool) {
	id := t.selectedID()
	t.idx.SetSort(col, desc)
	t.afterChange(id)
}

func (t *table) filterUpdate(msg tea.Msg) tea.Cmd {
	act, cmd := t.filter.Update(msg)
	switch act {
	case common.FilterChanged:
		t.setQuery(t.filter.Value())
	case common.FilterKept:
		t.prepare()
		if e := t.filter.Err(); e != "" {
			return common.Status("the filter has an error: "+e, true)
		}
		if t.idx.Query() != "" {
			return common.Status("filter kept: "+common.Plural(t.idx.Len(), "match", "matches"), false)
		}
	case common.FilterCleared:
		t.setQuery("")
		return common.Status("filter cleared", false)
	}
	return cmd
}

// setQuery applies a query; one that does not parse shows its error in
// the bar and leaves the rows as they were.
func (t *table) setQuery(q string) {
	id := t.selectedID()
	err := t.idx.SetQuery(q)
	t.filter.SetError(err)
	if err == nil {
		t.list.SetCursor(0)
		id = 0
	}
	t.afterChange(id)
}

// hasQuery reports a query to clear: the one in force, or one in the bar
// that did not parse.
func (t *table) hasQuery() bool { return t.idx.Query() != "" || t.filter.Value() != "" }

// summary is the record count for the status bar; while records are
// still arriving, how many are in.
func (t *table) summary() string {
	snap := t.idx.Snapshot()
	total := t.idx.Total()
	if !t.loaded {
		total = max(snap.Expected, t.counts.Total+t.counts.Withdrawn, total)
	}
	out := common.Plural(total, "signatory", "signatories")
	if !t.loaded && total > t.idx.Total() {
		out += fmt.Sprintf(" (loading: %d%%, %d in)", t.idx.Total()*100/total, t.idx.Total())
	}
	if q := t.idx.Query(); q != "" {
		out += fmt.Sprintf(" · %d shown · filter: %s", t.idx.Len(), model.SanitizeLine(q))
	}
	return out + t.dueText()
}

func (t *table) keyMap() help.KeyMap {
	if t.filter.Focused() {
		return t.filter.Keys()
	}
	k := t.keys
	k.Clear.SetEnabled(t.hasQuery())
	return k
}

// prepare draws the visible rows, so View only reads.
func (t *table) prepare() {
	if k := [2]int{t.width, boolInt(t.st.Dark)}; t.cache == nil || k != t.cacheKey || len(t.cache) > 8*t.bodyHeight()+64 {
		t.cache, t.cacheKey = map[*rowindex.Row]string{}, k
	}
	t.countDue()
	from, to := t.list.Window()
	t.lines = t.lines[:0]
	widths := t.widths()
	for i := from; i < to; i++ {
		r := t.idx.At(i)
		if i == t.list.Cursor() {
			t.lines = append(t.lines, t.renderRow(r, widths, true))
			continue
		}
		line, ok := t.cache[r]
		if !ok {
			line = t.renderRow(r, widths, false)
			t.cache[r] = line
		}
		t.lines = append(t.lines, line)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (t *table) widths() [rowindex.NumColumns]int {
	w := columnWidths
	fixed := 0
	for _, c := range w[1:] {
		fixed += c + 1
	}
	w[0] = max(t.width-fixed-2, 12)
	return w
}

func (t *table) renderRow(r *rowindex.Row, w [rowindex.NumColumns]int, selected bool) string {
	var cells [rowindex.NumColumns]string
	for i := range cells {
		cells[i] = common.Pad(r.Cell(rowindex.Column(i)), w[i])
	}
	due := t.due.clock.State(r.Sig)
	cells[rowindex.ColDue] = common.Pad(rowindex.DueWord(due), w[rowindex.ColDue])
	flag := " "
	if !r.Sig.VacancyStatement {
		flag = "!"
	}
	stale := t.idx.Pinned() == r.ID() && !t.idx.Matches(r)
	if stale {
		cells[0] = common.Pad("≠ "+r.Cell(rowindex.ColOrganisation), w[0])
	}
	if selected {
		return common.Truncate(t.st.SelectedRow.Render("▶"+flag+strings.Join(cells[:], " ")), t.width)
	}
	if stale {
		return common.Truncate(t.st.Muted.Render(" "+flag+strings.Join(cells[:], " ")), t.width)
	}
	// Colour the words that carry meaning; the words themselves stay.
	cells[rowindex.ColTier] = t.st.TierStyle(r.Sig.Tier()).Render(cells[rowindex.ColTier])
	cells[rowindex.ColStatus] = t.st.ReviewStyle(r.Sig.ReviewStatus).Render(cells[rowindex.ColStatus])
	cells[rowindex.ColDue] = t.dueStyle(due).Render(cells[rowindex.ColDue])
	if !r.Sig.VacancyStatement {
		cells[rowindex.ColVacancy] = t.st.Flagged.Render(cells[rowindex.ColVacancy])
		flag = t.st.Flagged.Render("!")
	}
	return common.Truncate(" "+flag+strings.Join(cells[:], " "), t.width)
}

func (t *table) view() string {
	var b strings.Builder
	// The filter line ends with how many rows are above and below the
	// window, so no row is out of sight without a sign.
	more := ""
	if a, below := t.list.Above(), t.list.Below(); (a > 0 || below > 0) && !t.filter.Focused() {
		var parts []string
		if a > 0 {
			parts = append(parts, fmt.Sprintf("↑ %d", a))
		}
		if below > 0 {
			parts = append(parts, fmt.Sprintf("↓ %d", below))
		}
		more = strings.Join(parts, " ") + " more"
	}
	left := t.filter.View(t.width - common.Width(more) - 1)
	b.WriteString(left)
	if more != "" {
		b.WriteString(strings.Repeat(" ", max(t.width-common.Width(left)-common.Width(more), 1)) + t.st.Subtle.Render(more))
	}
	b.WriteByte('\n')
	switch {
	case t.filter.Focused() && t.filter.Err() != "":
		// The error takes the summary's line while the query is wrong.
		b.WriteString(t.filter.ErrorView(t.width))
	case t.idx.Pinned() != 0:
		if r := t.idx.Get(t.idx.Pinned()); r != nil {
			b.WriteString(t.st.Warning.Render(common.Truncate("≠ "+r.Cell(rowindex.ColOrganisation)+
				" no longer matches the filter; it leaves the list when you move", t.width)))
		}
	default:
		b.WriteString(t.tierLine())
	}
	b.WriteByte('\n')
	w := t.widths()
	col, desc := t.idx.Sort()
	head := make([]string, rowindex.NumColumns)
	for c := rowindex.Column(0); c < rowindex.NumColumns; c++ {
		title := c.Title()
		if c == col {
			if desc {
				title += "▼"
			} else {
				title += "▲"
			}
		}
		head[c] = common.Pad(title, w[c])
	}
	b.WriteString(common.Truncate(t.st.TableHeader.Render("  "+strings.Join(head, " ")), t.width))
	if t.idx.Len() == 0 {
		b.WriteByte('\n')
		switch {
		case t.idx.Total() == 0 && !t.loaded:
			b.WriteString(t.st.Muted.Render("  Loading…"))
		case t.idx.Total() == 0:
			b.WriteString(t.st.Muted.Render("  No signatories yet. Press n to add one."))
		default:
			b.WriteString(t.st.Muted.Render("  No signatory matches the filter. Press esc to clear it."))
		}
		return b.String()
	}
	for _, l := range t.lines {
		b.WriteByte('\n')
		b.WriteString(l)
	}
	return b.String()
}

func (t *table) tierLine() string {
	c := t.idx.Tiers()
	if !t.loaded && t.idx.Query() == "" {
		c = t.counts // the aggregate, until every record is in
	}
	var parts []string
	for _, tier := range model.AllTiers() {
		parts = append(parts, t.st.TierStyle(tier).Render(fmt.Sprintf("%s %d", tier.Label(), c.ByTier[tier])))
	}
	line := strings.Join(parts, "  ") + t.st.Subtle.Render(fmt.Sprintf(" · %d one from next tier · %d no vacancy stmt", c.OneFromNext, c.NoVacancy))
	return common.Truncate(line, t.width)
}
