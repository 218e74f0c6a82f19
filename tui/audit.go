package tui

import (
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"charter/model"
)

// auditMode is what the audit screen shows.
type auditMode int

const (
	modeQuestions auditMode = iota // the section's questions
	modeReturns                    // one question: benchmark and every return
	modeResults                    // returns matching the filter, across sections
	modeGood                       // every return flagged as good practice
	modeComments                   // the section's regional comments
	modeHistory                    // the selected return's annotation history
)

type auditKeys struct {
	listKeys
	Open, Back, Alliance, Kind, Prev, Next, Filter, Rate, Comment, Good, GoodList, Comments, History, Bench key.Binding
}

func newAuditKeys() auditKeys {
	return auditKeys{
		listKeys: newListKeys(),
		Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Alliance: key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "next alliance")),
		Kind:     key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "next respondent kind")),
		Prev:     key.NewBinding(key.WithKeys("["), key.WithHelp("[", "previous section")),
		Next:     key.NewBinding(key.WithKeys("]"), key.WithHelp("]", "next section")),
		Filter:   key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Rate:     key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "rate (cycle)")),
		Comment:  key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "comment")),
		Good:     key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "good practice")),
		GoodList: key.NewBinding(key.WithKeys("P"), key.WithHelp("P", "good-practice list")),
		Comments: key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "regional comments")),
		History:  key.NewBinding(key.WithKeys("h"), key.WithHelp("h", "return history")),
		Bench:    key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "full benchmark")),
	}
}

func (k auditKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Open, k.Alliance, k.Kind, k.Filter, k.Rate, k.Comment, k.Good}
}

func (k auditKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Open, k.Back, k.Alliance, k.Kind, k.Prev, k.Next, k.Filter},
		{k.Rate, k.Comment, k.Good, k.History, k.GoodList, k.Comments, k.Bench},
	}
}

// Messages of the audit screen.
type (
	annotatedMsg struct {
		key model.ReturnKey
		ann model.Annotation
	}
	annotateErrMsg  struct{ err error }
	retHistoryMsg   struct{ changes []model.AnnotationChange }
	auditLoadedWrap struct{ auditLoadedMsg }
)

// auditScreen is tab 2: the audit returns, read against their benchmarks,
// with the reviewers' ratings, comments and good-practice flags.
type auditScreen struct {
	opts *Options
	st   *Styles
	keys auditKeys

	width, height int
	data          *auditData
	picker        sectionPicker
	mode          auditMode
	back          auditMode // where esc from returns/history goes

	qCursor   int
	rCursor   int
	offset    int  // first line shown of a scrolling view
	pinned    bool // the reader scrolled the returns by page: keep offset
	fullBench bool

	results   []*model.Return
	resCursor int
	good      []*model.Return

	filter    textinput.Model
	filtering bool
	query     string
	filterErr string

	editing bool
	comment textinput.Model
	history []model.AnnotationChange

	// One annotation write at a time: keys pressed while one is in flight
	// wait here and go out with the version the first one produced.
	inflight bool
	queue    []pendingEdit
}

type pendingEdit struct {
	key  model.ReturnKey
	edit func(*model.Annotation)
}

func newAuditScreen(o *Options, st *Styles) *auditScreen {
	f := textinput.New()
	f.Prompt = "/ "
	f.Placeholder = `prison:featherstone  status:no_return  rating:partly  alliance:civic`
	f.CharLimit = model.MaxQuery
	f.SetStyles(inputStyles(st.Dark))
	c := textinput.New()
	c.Prompt = "comment: "
	c.CharLimit = model.MaxComment
	c.SetStyles(inputStyles(st.Dark))
	return &auditScreen{opts: o, st: st, keys: newAuditKeys(), filter: f, comment: c}
}

func (s *auditScreen) Init() tea.Cmd { return s.load() }

func (s *auditScreen) load() tea.Cmd {
	if s.opts.Audit == nil {
		return nil
	}
	f := loadAudit(s.opts.Audit)
	return func() tea.Msg { return auditLoadedWrap{f()} }
}

func (s *auditScreen) SetSize(w, h int) {
	s.width, s.height = w, h
	s.filter.SetWidth(max(w-4, 10))
	s.comment.SetWidth(max(w-12, 10))
}

func (s *auditScreen) SetStyles(st *Styles) {
	s.st = st
	s.filter.SetStyles(inputStyles(st.Dark))
	s.comment.SetStyles(inputStyles(st.Dark))
}

func (s *auditScreen) Keys() help.KeyMap {
	if s.filtering || s.editing {
		return filterKeys{
			Keep:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep")),
			Clear: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		}
	}
	return s.keys
}

func (s *auditScreen) Capturing() bool { return s.filtering || s.editing }

func (s *auditScreen) section() (model.Section, bool) { return s.picker.section(s.data) }

func (s *auditScreen) questions() []*model.Question {
	sec, ok := s.section()
	if !ok {
		return nil
	}
	return s.data.questions[sec]
}

func (s *auditScreen) currentQuestion() *model.Question {
	qs := s.questions()
	if len(qs) == 0 {
		return nil
	}
	s.qCursor = clamp(s.qCursor, 0, len(qs)-1)
	return qs[s.qCursor]
}

func (s *auditScreen) currentReturns() []*model.Return {
	q := s.currentQuestion()
	if q == nil {
		return nil
	}
	return s.data.returns[qkey(q.Region, q.ID)]
}

// selectedReturn is the return the annotation keys act on.
func (s *auditScreen) selectedReturn() *model.Return {
	switch s.mode {
	case modeReturns, modeHistory:
		rs := s.currentReturns()
		if len(rs) == 0 {
			return nil
		}
		s.rCursor = clamp(s.rCursor, 0, len(rs)-1)
		return rs[s.rCursor]
	case modeResults:
		if s.resCursor < len(s.results) {
			return s.results[s.resCursor]
		}
	case modeGood:
		if s.resCursor < len(s.good) {
			return s.good[s.resCursor]
		}
	}
	return nil
}

func (s *auditScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case auditLoadedWrap:
		if msg.err != nil {
			return setStatus("audit: "+msg.err.Error(), true)
		}
		s.setData(msg.data)
		return nil
	case changedMsg:
		if msg.Kind == model.EventAnnotation || msg.Kind == model.EventImport {
			return s.load()
		}
		return nil
	case annotatedMsg:
		s.inflight = false
		if r := s.findReturn(msg.key); r != nil {
			r.Annotation = msg.ann
		}
		status := setStatus(fmt.Sprintf("saved: %s · %s", msg.key.Respondent, describeAnnotation(msg.ann)), false)
		if len(s.queue) > 0 {
			next := s.queue[0]
			s.queue = s.queue[1:]
			return tea.Batch(status, s.send(next.key, msg.ann.Version, next.edit))
		}
		return tea.Batch(status, s.load())
	case annotateErrMsg:
		s.inflight, s.queue = false, nil
		switch {
		case errors.Is(msg.err, model.ErrReadOnly):
			return setStatus("read-only session: not saved", true)
		case errors.Is(msg.err, model.ErrConflict):
			return tea.Batch(setStatus("someone else changed this return first; reloaded — try again", true), s.load())
		}
		return setStatus("not saved: "+msg.err.Error(), true)
	case retHistoryMsg:
		s.history = msg.changes
		return nil
	case tea.KeyPressMsg:
		switch {
		case s.editing:
			return s.commentKey(msg)
		case s.filtering:
			return s.filterKey(msg)
		}
		return s.key(msg)
	}
	if s.filtering {
		var cmd tea.Cmd
		s.filter, cmd = s.filter.Update(msg)
		if v := s.filter.Value(); v != s.query {
			s.applyQuery(v)
		}
		return cmd
	}
	if s.editing {
		var cmd tea.Cmd
		s.comment, cmd = s.comment.Update(msg)
		return cmd
	}
	return nil
}

// setData swaps in re-read data, keeping the reviewer's place.
func (s *auditScreen) setData(d *auditData) {
	var sec model.Section
	hadSec := false
	if s.data != nil {
		sec, hadSec = s.section()
	}
	var selKey model.ReturnKey
	if r := s.selectedReturn(); r != nil {
		selKey = r.Key()
	}
	s.data = d
	if hadSec {
		for i, x := range d.sections {
			if x == sec {
				s.picker.cur = i
			}
		}
	}
	s.rebuildLists()
	if selKey != (model.ReturnKey{}) {
		s.reselect(selKey)
	}
}

func (s *auditScreen) reselect(k model.ReturnKey) {
	list := s.results
	if s.mode == modeGood {
		list = s.good
	}
	for i, r := range list {
		if r.Key() == k {
			s.resCursor = i
		}
	}
}

func (s *auditScreen) rebuildLists() {
	s.good = s.good[:0]
	for i := range s.data.a.Returns {
		if r := &s.data.a.Returns[i]; r.Annotation.GoodPractice {
			s.good = append(s.good, r)
		}
	}
	if s.query != "" {
		s.applyQuery(s.query)
	}
}

func (s *auditScreen) pageSize() int { return max(s.height-4, 1) }

func (s *auditScreen) key(msg tea.KeyPressMsg) tea.Cmd {
	if s.data == nil {
		return nil
	}
	k := msg.String()
	switch {
	case matches(k, s.keys.Filter):
		s.filtering = true
		s.filter.SetValue(s.query)
		s.filter.CursorEnd()
		return s.filter.Focus()
	case matches(k, s.keys.Alliance):
		s.picker.nextAlliance(s.data)
		s.enterSection()
		return nil
	case matches(k, s.keys.Kind):
		s.picker.nextKind(s.data)
		s.enterSection()
		return nil
	case matches(k, s.keys.Next):
		s.picker.step(s.data, 1)
		s.enterSection()
		return nil
	case matches(k, s.keys.Prev):
		s.picker.step(s.data, -1)
		s.enterSection()
		return nil
	case matches(k, s.keys.GoodList):
		s.mode, s.resCursor, s.offset = modeGood, 0, 0
		return nil
	case matches(k, s.keys.Comments):
		s.mode, s.offset = modeComments, 0
		return nil
	}
	if s.selectedReturn() != nil && s.mode != modeHistory {
		switch {
		case matches(k, s.keys.Rate):
			return s.annotate(func(a *model.Annotation) { a.Rating = nextRating(a.Rating) })
		case matches(k, s.keys.Good):
			return s.annotate(func(a *model.Annotation) { a.GoodPractice = !a.GoodPractice })
		case matches(k, s.keys.Comment):
			if s.opts.ReadOnly {
				return setStatus("read-only session: comments cannot be changed", true)
			}
			s.editing = true
			s.comment.SetValue(s.selectedReturn().Annotation.Comment)
			s.comment.CursorEnd()
			return s.comment.Focus()
		case matches(k, s.keys.History):
			r := s.selectedReturn()
			if s.mode != modeReturns {
				s.openReturn(r)
			}
			s.back, s.mode, s.offset = modeReturns, modeHistory, 0
			return s.loadHistory(r.Key())
		}
	}
	switch s.mode {
	case modeQuestions:
		qs := s.questions()
		if c, ok := s.keys.step(k, s.qCursor, len(qs), s.pageSize()); ok {
			s.qCursor = c
			return nil
		}
		if matches(k, s.keys.Open) && len(qs) > 0 {
			s.mode, s.rCursor, s.offset, s.back = modeReturns, 0, 0, modeQuestions
		}
	case modeReturns:
		// pgup/pgdn scroll the text (an answer can be longer than the
		// screen); the other movement keys go from return to return.
		switch {
		case matches(k, s.keys.PageDown):
			s.pinned = true
			s.offset += max(s.pageSize()/2, 1)
			return nil
		case matches(k, s.keys.PageUp):
			s.pinned = true
			s.offset = max(s.offset-max(s.pageSize()/2, 1), 0)
			return nil
		}
		rs := s.currentReturns()
		if c, ok := s.keys.step(k, s.rCursor, len(rs), 3); ok {
			s.rCursor = c
			s.pinned = false
			return nil
		}
		switch {
		case matches(k, s.keys.Back):
			s.mode = s.back
			if s.mode == modeReturns {
				s.mode = modeQuestions
			}
		case matches(k, s.keys.Bench):
			s.fullBench = !s.fullBench
		}
	case modeResults, modeGood:
		list := s.results
		if s.mode == modeGood {
			list = s.good
		}
		if c, ok := s.keys.step(k, s.resCursor, len(list), s.pageSize()); ok {
			s.resCursor = c
			return nil
		}
		switch {
		case matches(k, s.keys.Open) && len(list) > 0:
			back := s.mode
			s.openReturn(list[clamp(s.resCursor, 0, len(list)-1)])
			s.back = back
		case matches(k, s.keys.Back):
			if s.mode == modeResults {
				s.query = ""
				s.filter.SetValue("")
			}
			s.mode = modeQuestions
		}
	case modeComments, modeHistory:
		switch {
		case matches(k, s.keys.Back):
			if s.mode == modeHistory {
				s.mode = modeReturns
			} else {
				s.mode = modeQuestions
			}
		case matches(k, s.keys.Down):
			s.offset++
		case matches(k, s.keys.Up):
			s.offset = max(s.offset-1, 0)
		case matches(k, s.keys.PageDown):
			s.offset += s.pageSize()
		case matches(k, s.keys.PageUp):
			s.offset = max(s.offset-s.pageSize(), 0)
		case matches(k, s.keys.Top):
			s.offset = 0
		}
	}
	return nil
}

// openReturn shows the question of r with r selected.
func (s *auditScreen) openReturn(r *model.Return) {
	for i, sec := range s.data.sections {
		if sec == r.Section {
			s.picker.cur = i
		}
	}
	for i, q := range s.questions() {
		if q.ID == r.QuestionID {
			s.qCursor = i
		}
	}
	for i, x := range s.currentReturns() {
		if x.Respondent == r.Respondent {
			s.rCursor = i
		}
	}
	s.mode, s.offset = modeReturns, 0
}

func (s *auditScreen) enterSection() {
	s.qCursor, s.rCursor, s.offset = 0, 0, 0
	if s.mode != modeResults && s.mode != modeGood {
		s.mode = modeQuestions
	}
	if s.mode == modeResults || s.mode == modeGood {
		s.mode = modeQuestions
	}
}

func nextRating(r model.Rating) model.Rating {
	rs := model.Ratings()
	for i, x := range rs {
		if x == r {
			return rs[(i+1)%len(rs)]
		}
	}
	return rs[0]
}

func describeAnnotation(a model.Annotation) string {
	parts := []string{"rating " + a.Rating.Label()}
	if a.GoodPractice {
		parts = append(parts, "good practice")
	}
	if a.Comment != "" {
		parts = append(parts, "commented")
	}
	return strings.Join(parts, ", ")
}

// annotate changes the selected return's annotation in one transaction.
func (s *auditScreen) annotate(edit func(*model.Annotation)) tea.Cmd {
	if s.opts.ReadOnly {
		return setStatus("read-only session: not saved", true)
	}
	r := s.selectedReturn()
	// Show the change at once; the store's answer replaces it.
	edit(&r.Annotation)
	if s.inflight {
		s.queue = append(s.queue, pendingEdit{r.Key(), edit})
		return nil
	}
	return s.send(r.Key(), r.Annotation.Version, edit)
}

func (s *auditScreen) findReturn(k model.ReturnKey) *model.Return {
	for _, r := range s.data.returns[qkey(k.Region, k.QuestionID)] {
		if r.Respondent == k.Respondent {
			return r
		}
	}
	return nil
}

func (s *auditScreen) send(key model.ReturnKey, version uint64, edit func(*model.Annotation)) tea.Cmd {
	s.inflight = true
	svc, by := s.opts.Audit, s.opts.Reviewer
	return func() tea.Msg {
		a, err := svc.Annotate(key, version, by, edit)
		if err != nil {
			return annotateErrMsg{err}
		}
		return annotatedMsg{key: key, ann: a}
	}
}

func (s *auditScreen) loadHistory(k model.ReturnKey) tea.Cmd {
	svc := s.opts.Audit
	return func() tea.Msg {
		h, err := svc.ReturnHistory(k)
		if err != nil {
			return annotateErrMsg{err}
		}
		return retHistoryMsg{h}
	}
}

func (s *auditScreen) commentKey(msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "enter":
		s.editing = false
		s.comment.Blur()
		text := s.comment.Value()
		return s.annotate(func(a *model.Annotation) { a.Comment = text })
	case "esc":
		s.editing = false
		s.comment.Blur()
		return setStatus("comment not changed", false)
	}
	var cmd tea.Cmd
	s.comment, cmd = s.comment.Update(msg)
	return cmd
}

func (s *auditScreen) filterKey(msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "enter":
		s.filtering = false
		s.filter.Blur()
		if s.filterErr != "" {
			return setStatus("the filter has an error: "+s.filterErr, true)
		}
		if s.query == "" {
			s.mode = modeQuestions
		}
		return nil
	case "esc":
		s.filtering = false
		s.filter.Blur()
		s.query, s.filterErr = "", ""
		s.filter.SetValue("")
		s.mode = modeQuestions
		return setStatus("filter cleared", false)
	}
	var cmd tea.Cmd
	s.filter, cmd = s.filter.Update(msg)
	if v := s.filter.Value(); v != s.query {
		s.applyQuery(v)
	}
	return cmd
}

// applyQuery filters every return of every region; a malformed query keeps
// the current results and shows its error.
func (s *auditScreen) applyQuery(q string) {
	parsed, err := model.ParseQuery(q)
	var m *model.ReturnMatcher
	if err == nil {
		m, err = parsed.ForReturns()
	}
	if err != nil {
		s.filterErr = err.Error()
		return
	}
	s.filterErr = ""
	s.query = q
	if parsed.Empty() {
		s.results = nil
		if s.mode == modeResults {
			s.mode = modeQuestions
		}
		return
	}
	s.results = s.results[:0]
	for i := range s.data.a.Returns {
		r := &s.data.a.Returns[i]
		resp := s.data.respondents[respKey(r.Region, r.Kind, r.Respondent)]
		if m.Match(r, resp, s.data.hay[r]) {
			s.results = append(s.results, r)
		}
	}
	s.mode = modeResults
	s.resCursor = clamp(s.resCursor, 0, len(s.results)-1)
}
