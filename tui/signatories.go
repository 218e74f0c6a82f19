package tui

import (
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"charter/model"
)

// firstPage is how many records show before the rest have loaded.
const firstPage = 200

// sigRow is one signatory as the table holds it: the record, its
// lower-cased search text, and its rendered line (kept until the record's
// version, the width or the selection changes).
type sigRow struct {
	s     model.Signatory
	hay   string
	cache string
	ckey  rowCacheKey
}

type rowCacheKey struct {
	version  uint64
	width    int
	selected bool
	dark     bool
}

func newSigRow(s model.Signatory) *sigRow {
	return &sigRow{s: s, hay: model.SignatoryHaystack(&s)}
}

// Messages of the signatories screen.
type (
	firstPageMsg struct {
		rows   []model.Signatory
		counts model.TierCounts
	}
	allLoadedMsg struct{ rows []model.Signatory }
	loadErrMsg   struct{ err error }
	// recordMsg brings a re-read record (nil s with deleted set when gone).
	recordMsg struct {
		id      uint64
		s       *model.Signatory
		deleted bool
	}
	countsMsg struct{ counts model.TierCounts }
)

type sigKeys struct {
	listKeys
	Open   key.Binding
	New    key.Binding
	Filter key.Binding
	Sort   key.Binding
	Rev    key.Binding
	Clear  key.Binding
}

func newSigKeys() sigKeys {
	return sigKeys{
		listKeys: newListKeys(),
		Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		New:      key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "new")),
		Filter:   key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Sort:     key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort column")),
		Rev:      key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "reverse sort")),
		Clear:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
	}
}

func (k sigKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Open, k.New, k.Filter, k.Sort}
}

func (k sigKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Open, k.New, k.Filter, k.Clear, k.Sort, k.Rev},
	}
}

// filterKeys are in force while the filter bar has focus.
type filterKeys struct{ Keep, Clear key.Binding }

func (k filterKeys) ShortHelp() []key.Binding  { return []key.Binding{k.Keep, k.Clear} }
func (k filterKeys) FullHelp() [][]key.Binding { return [][]key.Binding{{k.Keep, k.Clear}} }

// column is one table column.
type column struct {
	title string
	width int // 0: takes the rest
	cell  func(*model.Signatory) string
	less  func(a, b *model.Signatory) bool
}

// signatoriesScreen is tab 1: the signatory table with its filter, sort
// and tier summary, and the form it opens.
type signatoriesScreen struct {
	opts *Options
	st   *Styles
	keys sigKeys

	width, height int

	all    []*sigRow // every record, in ID order
	byID   map[uint64]*sigRow
	sorted []*sigRow // all, in sort order
	view   []*sigRow // sorted, filtered
	loaded bool      // all records are in (not just the first page)
	counts model.TierCounts

	cursor, offset int
	sortCol        int
	sortDesc       bool

	filter    textinput.Model
	filtering bool
	query     string // the query in force
	matcher   *model.SignatoryMatcher
	filterErr string
	viewTiers model.TierCounts // for the rows in view

	// recent remembers the rows of recent queries, so deleting a character
	// returns to an earlier result at once; any change to the rows or
	// their order clears it.
	recent map[string]filterResult

	form *form
}

func newSignatoriesScreen(o *Options, st *Styles) *signatoriesScreen {
	ti := textinput.New()
	ti.Prompt = "/ "
	ti.Placeholder = "tier:gold area:dudley status:pending printing"
	ti.CharLimit = model.MaxQuery
	ti.SetStyles(inputStyles(st.Dark))
	return &signatoriesScreen{opts: o, st: st, keys: newSigKeys(), byID: map[uint64]*sigRow{}, filter: ti}
}

func (s *signatoriesScreen) columns() []column {
	cols := []column{
		{"Organisation", 0, func(x *model.Signatory) string { return x.Organisation },
			func(a, b *model.Signatory) bool {
				return strings.ToLower(a.Organisation) < strings.ToLower(b.Organisation)
			}},
		{"Area", 11, func(x *model.Signatory) string { return x.LocalArea },
			func(a, b *model.Signatory) bool { return a.LocalArea < b.LocalArea }},
		{"Sector", 7, func(x *model.Signatory) string { return sectorShort(x.Sector) },
			func(a, b *model.Signatory) bool { return a.Sector < b.Sector }},
		{"Tier", 7, func(x *model.Signatory) string { return tierWord(x.Tier()) },
			func(a, b *model.Signatory) bool { return a.Commitments.Count() < b.Commitments.Count() }},
		{"#", 2, func(x *model.Signatory) string { return fmt.Sprint(x.Commitments.Count()) },
			func(a, b *model.Signatory) bool { return a.Commitments.Count() < b.Commitments.Count() }},
		{"Vac", 4, func(x *model.Signatory) string { return vacancyWord(x.VacancyStatement) },
			func(a, b *model.Signatory) bool { return !a.VacancyStatement && b.VacancyStatement }},
		{"Status", 9, func(x *model.Signatory) string { return statusShort(x.ReviewStatus) },
			func(a, b *model.Signatory) bool { return a.ReviewStatus < b.ReviewStatus }},
		{"Signed on", 10, func(x *model.Signatory) string { return x.Field(model.FieldSignedOn) },
			func(a, b *model.Signatory) bool { return a.SignedOn.Before(b.SignedOn) }},
	}
	fixed := 0
	for _, c := range cols[1:] {
		fixed += c.width + 1
	}
	cols[0].width = max(s.width-fixed-2, 12)
	return cols
}

func tierWord(t model.Tier) string {
	if t == model.TierNone {
		return "—"
	}
	return t.Label()
}

func vacancyWord(ok bool) string {
	if ok {
		return "yes"
	}
	return "NO!"
}

func sectorShort(s model.Sector) string {
	switch s {
	case model.SectorSocialEnterprise:
		return "soc.ent"
	case model.SectorVoluntary:
		return "volunt."
	}
	return string(s)
}

func statusShort(s model.ReviewStatus) string {
	if s == model.StatusNeedsInfo {
		return "need info"
	}
	return string(s)
}

func (s *signatoriesScreen) Init() tea.Cmd {
	svc := s.opts.Signatories
	if svc == nil {
		return nil
	}
	first := func() tea.Msg {
		rows, err := svc.SignatoryPage(0, firstPage)
		if err != nil {
			return loadErrMsg{err}
		}
		c, err := svc.TierCounts()
		if err != nil {
			return loadErrMsg{err}
		}
		return firstPageMsg{rows: rows, counts: c}
	}
	return tea.Sequence(first, s.loadAll())
}

func (s *signatoriesScreen) loadAll() tea.Cmd {
	svc := s.opts.Signatories
	return func() tea.Msg {
		rows, err := svc.Signatories()
		if err != nil {
			return loadErrMsg{err}
		}
		return allLoadedMsg{rows}
	}
}

func (s *signatoriesScreen) SetSize(w, h int) {
	s.width, s.height = w, h
	s.filter.SetWidth(max(w-4, 10))
	if s.form != nil {
		s.form.setSize(w, h)
	}
	s.clampCursor()
}

func (s *signatoriesScreen) SetStyles(st *Styles) {
	s.st = st
	s.filter.SetStyles(inputStyles(st.Dark))
	if s.form != nil {
		s.form.setStyles(st)
	}
}

func (s *signatoriesScreen) Keys() help.KeyMap {
	switch {
	case s.form != nil:
		return s.form.keyMap()
	case s.filtering:
		return filterKeys{
			Keep:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep filter")),
			Clear: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
		}
	}
	return s.keys
}

func (s *signatoriesScreen) Capturing() bool {
	return s.filtering || (s.form != nil && s.form.capturing())
}

// tableHeight is the number of record lines: the filter bar, the tier
// summary and the column titles take three.
func (s *signatoriesScreen) tableHeight() int { return max(s.height-3, 1) }

func (s *signatoriesScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case firstPageMsg:
		if !s.loaded {
			s.setRows(msg.rows)
		}
		s.counts = msg.counts
		return nil
	case allLoadedMsg:
		s.loaded = true
		s.setRows(msg.rows)
		// Loading decodes every record once; hand that garbage back to
		// the system now rather than whenever the collector gets to it.
		return func() tea.Msg { debug.FreeOSMemory(); return nil }
	case loadErrMsg:
		return setStatus(msg.err.Error(), true)
	case countsMsg:
		s.counts = msg.counts
		return nil
	case recordMsg:
		s.applyRecord(msg)
		if s.form != nil {
			s.form.recordChanged(msg)
		}
		return nil
	case changedMsg:
		switch msg.Kind {
		case model.EventSignatory:
			return tea.Batch(s.reload(msg.ID), s.reloadCounts())
		case model.EventImport:
			return tea.Batch(s.loadAll(), s.reloadCounts())
		}
		return nil
	case savedMsg:
		s.applyRecord(recordMsg{id: msg.s.ID, s: &msg.s})
		s.selectID(msg.s.ID)
		return tea.Batch(s.reloadCounts(), s.formUpdate(msg))
	case tea.KeyPressMsg:
		if s.form != nil {
			return s.formUpdate(msg)
		}
		if s.filtering {
			return s.filterKey(msg)
		}
		return s.tableKey(msg)
	}
	if s.form != nil {
		return s.formUpdate(msg)
	}
	if s.filtering {
		var cmd tea.Cmd
		s.filter, cmd = s.filter.Update(msg)
		if v := s.filter.Value(); v != s.query {
			s.setQuery(v)
		}
		return cmd
	}
	return nil
}

func (s *signatoriesScreen) formUpdate(msg tea.Msg) tea.Cmd {
	cmd, closed := s.form.update(msg)
	if closed {
		s.form = nil
	}
	return cmd
}

func (s *signatoriesScreen) reload(id uint64) tea.Cmd {
	svc := s.opts.Signatories
	return func() tea.Msg {
		rec, err := svc.Signatory(id)
		if errors.Is(err, model.ErrNotFound) {
			return recordMsg{id: id, deleted: true}
		}
		if err != nil {
			return loadErrMsg{err}
		}
		return recordMsg{id: id, s: &rec}
	}
}

func (s *signatoriesScreen) reloadCounts() tea.Cmd {
	svc := s.opts.Signatories
	return func() tea.Msg {
		c, err := svc.TierCounts()
		if err != nil {
			return loadErrMsg{err}
		}
		return countsMsg{c}
	}
}

func (s *signatoriesScreen) setRows(rows []model.Signatory) {
	var selected uint64
	if r := s.selectedRow(); r != nil {
		selected = r.s.ID
	}
	s.all = make([]*sigRow, len(rows))
	s.byID = make(map[uint64]*sigRow, len(rows))
	for i := range rows {
		r := newSigRow(rows[i])
		s.all[i] = r
		s.byID[r.s.ID] = r
	}
	s.resort()
	if selected != 0 {
		s.selectID(selected)
	}
}

// applyRecord puts one re-read record in place (or removes it) without
// re-sorting or re-filtering the others: with many sessions saving, every
// change must cost each screen little.
func (s *signatoriesScreen) applyRecord(m recordMsg) {
	old := s.byID[m.id]
	s.recent = nil
	if old != nil {
		if !m.deleted && m.s.Version <= old.s.Version {
			return // already showing this version or a newer one
		}
		if s.inView(old) {
			s.viewTiers.Add(&old.s, -1)
		}
		s.sorted = removeRow(s.sorted, old)
		s.view = removeRow(s.view, old)
		if m.deleted {
			delete(s.byID, m.id)
			s.all = removeRow(s.all, old)
			s.clampCursor()
			return
		}
		old.s, old.hay, old.cache = *m.s, model.SignatoryHaystack(m.s), ""
	} else {
		if m.deleted {
			return
		}
		old = newSigRow(*m.s)
		s.byID[m.id] = old
		s.all = append(s.all, old)
	}
	s.sorted = s.insertSorted(s.sorted, old)
	if s.matcher == nil || s.matcher.Match(&old.s, old.hay) {
		s.view = s.insertSorted(s.view, old)
		s.viewTiers.Add(&old.s, 1)
	}
	s.clampCursor()
}

func (s *signatoriesScreen) inView(r *sigRow) bool {
	return s.matcher == nil || s.matcher.Match(&r.s, r.hay)
}

// insertSorted puts r into rows (in sort order) after any equal rows.
func (s *signatoriesScreen) insertSorted(rows []*sigRow, r *sigRow) []*sigRow {
	less := s.less()
	i := sort.Search(len(rows), func(i int) bool { return less(r, rows[i]) })
	out := make([]*sigRow, 0, len(rows)+1)
	out = append(out, rows[:i]...)
	out = append(out, r)
	return append(out, rows[i:]...)
}

// less is the order of the sort column and direction.
func (s *signatoriesScreen) less() func(a, b *sigRow) bool {
	col := s.columns()[s.sortCol]
	if s.sortDesc {
		return func(a, b *sigRow) bool { return col.less(&b.s, &a.s) }
	}
	return func(a, b *sigRow) bool { return col.less(&a.s, &b.s) }
}

func removeRow(rows []*sigRow, r *sigRow) []*sigRow {
	for i, x := range rows {
		if x == r {
			out := make([]*sigRow, 0, len(rows)-1)
			out = append(out, rows[:i]...)
			return append(out, rows[i+1:]...)
		}
	}
	return rows
}

// resort orders every row by the sort column, then refilters.
func (s *signatoriesScreen) resort() {
	s.sorted = append([]*sigRow(nil), s.all...)
	less := s.less()
	sort.SliceStable(s.sorted, func(i, j int) bool { return less(s.sorted[i], s.sorted[j]) })
	packHaystacks(s.sorted)
	s.refilter()
}

// packHaystacks copies the rows' search text into one block, in the order
// the rows are scanned, so a filter over 100,000 rows reads memory in
// sequence instead of chasing 100,000 separate strings.
func packHaystacks(rows []*sigRow) {
	n := 0
	for _, r := range rows {
		n += len(r.hay)
	}
	var b strings.Builder
	b.Grow(n)
	for _, r := range rows {
		b.WriteString(r.hay)
	}
	block := b.String()
	off := 0
	for _, r := range rows {
		r.hay = block[off : off+len(r.hay)]
		off += len(r.hay)
	}
}

type filterResult struct {
	view  []*sigRow
	tiers model.TierCounts
}

const recentQueries = 16

// refilter applies the matcher in force to the sorted rows and counts the
// tiers of what is in view. Result slices are never reused in place: the
// recent-query cache may hold them.
func (s *signatoriesScreen) refilter() {
	s.recent = nil
	s.filterFrom(s.sorted)
}

func (s *signatoriesScreen) filterFrom(rows []*sigRow) {
	if r, ok := s.recent[s.query]; ok {
		s.view, s.viewTiers = r.view, r.tiers
		s.clampCursor()
		return
	}
	view, c := matchRows(rows, s.matcher)
	s.view, s.viewTiers = view, c
	if s.recent == nil || len(s.recent) >= recentQueries {
		s.recent = map[string]filterResult{}
	}
	s.recent[s.query] = filterResult{view, c}
	s.clampCursor()
}

func (s *signatoriesScreen) clampCursor() {
	s.cursor = clamp(s.cursor, 0, len(s.view)-1)
	h := s.tableHeight()
	if s.cursor < s.offset {
		s.offset = s.cursor
	}
	if s.cursor >= s.offset+h {
		s.offset = s.cursor - h + 1
	}
	s.offset = clamp(s.offset, 0, max(len(s.view)-h, 0))
}

func (s *signatoriesScreen) selectedRow() *sigRow {
	if s.cursor < 0 || s.cursor >= len(s.view) {
		return nil
	}
	return s.view[s.cursor]
}

func (s *signatoriesScreen) selectID(id uint64) {
	for i, r := range s.view {
		if r.s.ID == id {
			s.cursor = i
			s.clampCursor()
			return
		}
	}
}

func (s *signatoriesScreen) tableKey(msg tea.KeyPressMsg) tea.Cmd {
	k := msg.String()
	if c, ok := s.keys.step(k, s.cursor, len(s.view), s.tableHeight()); ok {
		s.cursor = c
		s.clampCursor()
		return nil
	}
	switch {
	case matches(k, s.keys.Filter):
		s.filtering = true
		s.filter.SetValue(s.query)
		s.filter.CursorEnd()
		return s.filter.Focus()
	case matches(k, s.keys.Clear):
		if s.query != "" {
			s.setQuery("")
			return setStatus("filter cleared", false)
		}
	case matches(k, s.keys.Sort):
		s.sortCol = (s.sortCol + 1) % len(s.columns())
		s.sortDesc = false
		s.resort()
		return setStatus("sorted by "+strings.ToLower(s.columns()[s.sortCol].title), false)
	case matches(k, s.keys.Rev):
		s.sortDesc = !s.sortDesc
		s.resort()
	case matches(k, s.keys.Open):
		if r := s.selectedRow(); r != nil {
			s.form = newForm(s.opts, s.st, r.s, s.width, s.height)
			return tea.Batch(s.form.init(), s.form.loadHistory())
		}
	case matches(k, s.keys.New):
		if s.opts.ReadOnly {
			return setStatus("read-only session: new signatories cannot be added", true)
		}
		s.form = newForm(s.opts, s.st, model.Signatory{Region: "West Midlands", ReviewStatus: model.StatusPending, SignedOn: dateOnly(s.opts.now())}, s.width, s.height)
		return s.form.init()
	}
	return nil
}

func (s *signatoriesScreen) filterKey(msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "enter":
		s.filtering = false
		s.filter.Blur()
		if s.filterErr != "" {
			return setStatus("the filter has an error: "+s.filterErr, true)
		}
		if s.query == "" {
			return nil
		}
		return setStatus(fmt.Sprintf("filter kept: %s", plural(len(s.view), "match", "matches")), false)
	case "esc":
		s.filtering = false
		s.filter.Blur()
		s.setQuery("")
		return setStatus("filter cleared", false)
	}
	var cmd tea.Cmd
	s.filter, cmd = s.filter.Update(msg)
	if v := s.filter.Value(); v != s.query {
		s.setQuery(v)
	}
	return cmd
}

// setQuery parses and applies a query. A malformed one leaves the rows as
// they were and shows its error in the bar.
func (s *signatoriesScreen) setQuery(q string) {
	s.filter.SetValue(q)
	parsed, err := model.ParseQuery(q)
	var m *model.SignatoryMatcher
	if err == nil {
		m, err = parsed.ForSignatories()
	}
	if err != nil {
		s.filterErr = err.Error()
		return
	}
	s.filterErr = ""
	// Typing on at the end of a query can only narrow it (a word or a
	// value grows, or a term is added) unless the new text makes a word
	// into a key or opens a quote; then the rows in view are all that need
	// checking.
	narrowing := s.matcher != nil && len(q) > len(s.query) && strings.HasPrefix(q, s.query) &&
		!strings.ContainsAny(q[len(s.query):], ":\"") && !strings.Contains(s.query, "\"")
	s.query = q
	if parsed.Empty() {
		s.matcher = nil
	} else {
		s.matcher = m
	}
	if narrowing && s.matcher != nil {
		s.narrow()
		return
	}
	s.filterFrom(s.sorted)
}

func (s *signatoriesScreen) narrow() { s.filterFrom(s.view) }

// parallelFrom is the row count from which a filter is split across CPUs.
const parallelFrom = 20_000

// matchRows keeps the rows m matches, in order, and counts their tiers.
// Large sets are split across the CPUs: the matcher only reads.
func matchRows(rows []*sigRow, m *model.SignatoryMatcher) ([]*sigRow, model.TierCounts) {
	scan := func(rows []*sigRow) ([]*sigRow, model.TierCounts) {
		out := make([]*sigRow, 0, len(rows))
		var c model.TierCounts
		for _, r := range rows {
			if m == nil || m.Match(&r.s, r.hay) {
				out = append(out, r)
				c.Add(&r.s, 1)
			}
		}
		return out, c
	}
	workers := runtime.NumCPU()
	if len(rows) < parallelFrom || workers < 2 {
		return scan(rows)
	}
	parts := make([][]*sigRow, workers)
	counts := make([]model.TierCounts, workers)
	var wg sync.WaitGroup
	chunk := (len(rows) + workers - 1) / workers
	for w := 0; w < workers; w++ {
		lo, hi := min(w*chunk, len(rows)), min((w+1)*chunk, len(rows))
		wg.Add(1)
		go func() {
			defer wg.Done()
			parts[w], counts[w] = scan(rows[lo:hi])
		}()
	}
	wg.Wait()
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := make([]*sigRow, 0, n)
	var total model.TierCounts
	for w, p := range parts {
		out = append(out, p...)
		for t := range total.ByTier {
			total.ByTier[t] += counts[w].ByTier[t]
		}
		total.OneFromNext += counts[w].OneFromNext
		total.NoVacancy += counts[w].NoVacancy
		total.Total += counts[w].Total
	}
	return out, total
}

// statusSummary is the record count for the status bar.
func (s *signatoriesScreen) statusSummary() string {
	total := s.counts.Total
	if s.loaded {
		total = len(s.all)
	}
	out := plural(total, "signatory", "signatories")
	if !s.loaded && total > len(s.all) {
		out += fmt.Sprintf(" (%d loaded)", len(s.all))
	}
	if s.query != "" {
		out += fmt.Sprintf(" · %d shown · filter: %s", len(s.view), model.SanitizeLine(s.query))
	}
	return out
}

func (s *signatoriesScreen) View() string {
	if s.form != nil {
		return s.form.view()
	}
	var b strings.Builder
	b.WriteString(s.filterLine())
	b.WriteByte('\n')
	if s.filtering && s.filterErr != "" {
		// The error takes the summary's line while the query is wrong.
		b.WriteString(s.st.FilterError.Render(truncate("✗ "+s.filterErr, s.width)))
	} else {
		b.WriteString(s.tierLine())
	}
	b.WriteByte('\n')
	cols := s.columns()
	var head []string
	for i, c := range cols {
		t := c.title
		if i == s.sortCol {
			if s.sortDesc {
				t += "▼"
			} else {
				t += "▲"
			}
		}
		head = append(head, pad(t, c.width))
	}
	b.WriteString(s.st.TableHeader.Render("  " + strings.Join(head, " ")))
	h := s.tableHeight()
	if len(s.view) == 0 {
		b.WriteString("\n")
		if len(s.all) == 0 {
			b.WriteString(s.st.Muted.Render("  No signatories yet. Press n to add one."))
		} else {
			b.WriteString(s.st.Muted.Render("  No signatory matches the filter. Press esc to clear it."))
		}
		return b.String()
	}
	end := min(s.offset+h, len(s.view))
	for i := s.offset; i < end; i++ {
		b.WriteByte('\n')
		b.WriteString(s.renderRow(s.view[i], cols, i == s.cursor))
	}
	return b.String()
}

func (s *signatoriesScreen) renderRow(r *sigRow, cols []column, selected bool) string {
	k := rowCacheKey{version: r.s.Version, width: s.width, selected: selected, dark: s.st.Dark}
	if r.cache != "" && r.ckey == k {
		return r.cache
	}
	cells := make([]string, len(cols))
	for i, c := range cols {
		cells[i] = pad(model.SanitizeLine(c.cell(&r.s)), c.width)
	}
	mark := "  "
	if !r.s.VacancyStatement {
		mark = "! "
	}
	var line string
	if selected {
		line = s.st.SelectedRow.Render("▶" + mark[:1] + strings.Join(cells, " "))
	} else {
		// Colour the words that carry meaning; the words themselves stay.
		cells[3] = s.st.TierStyle(r.s.Tier()).Render(cells[3])
		cells[6] = s.st.ReviewStyle(r.s.ReviewStatus).Render(cells[6])
		if !r.s.VacancyStatement {
			cells[5] = s.st.Flagged.Render(cells[5])
			mark = s.st.Flagged.Render("!") + " "
		}
		line = mark + strings.Join(cells, " ")
	}
	r.cache, r.ckey = line, k
	return line
}

func (s *signatoriesScreen) filterLine() string {
	if s.filtering {
		return s.filter.View()
	}
	if s.query != "" {
		return s.st.Label.Render("Filter: ") + model.SanitizeLine(s.query) + s.st.Subtle.Render("   (/ edit · esc clear)")
	}
	return s.st.Subtle.Render("/ filter   s sort   enter open   n new")
}

func (s *signatoriesScreen) tierLine() string {
	c := s.viewTiers
	if !s.loaded && s.query == "" {
		c = s.counts // the aggregate, until every record is in
	}
	parts := []string{}
	for _, t := range model.AllTiers() {
		parts = append(parts, s.st.TierStyle(t).Render(fmt.Sprintf("%s %d", t.Label(), c.ByTier[t])))
	}
	line := strings.Join(parts, "  ") + s.st.Subtle.Render(fmt.Sprintf(" · %d one from next tier · %d no vacancy stmt", c.OneFromNext, c.NoVacancy))
	return truncate(line, s.width)
}

// pad cuts or pads text to exactly w cells.
func pad(text string, w int) string {
	tw := displayWidth(text)
	if tw > w {
		return truncate(text, w)
	}
	return text + strings.Repeat(" ", w-tw)
}
