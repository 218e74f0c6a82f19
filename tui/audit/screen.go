package audit

import (
	"errors"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"charter/model"
	"charter/tui/auditdata"
	"charter/tui/common"
)

// pane is what fills the screen below the filter bar.
type pane int

const (
	paneQuestions pane = iota // the section's questions
	paneReader                // one question: benchmark and every return
	paneResults               // returns matching the filter
	paneGood                  // returns flagged as good practice
	paneComments              // the section's regional comments
	paneHistory               // one return's annotation history
	paneDossier               // everything about one establishment or area
)

// Screen is tab 2. It routes keys to the pane on top of its stack (esc
// goes back down it), the filter bar or the comment editor, and results to
// the component that asked for them.
type Screen struct {
	o    *common.Options
	st   *common.Styles
	keys keys

	width, height int
	data          *auditdata.Data
	loading       bool
	reloadAfter   bool // a change arrived while a read was under way

	picker auditdata.Picker
	stack  []pane
	filter common.FilterBar
	query  string // the last query that parsed: what the results show

	questions *questionList
	reader    *reader
	results   *results
	good      *goodList
	comments  *commentsPane
	history   *historyPane
	dossier   *dossierPane
	editor    *editor
	ann       *annotator
	undo      []undoEntry // this session's annotation changes, newest last
	pending   tea.Msg     // an OpenReturnMsg or OpenDossierMsg that came before the data
}

// undoEntry is one change this session made: undoing it writes before's
// values back, as a new change, to the fields the change set.
type undoEntry struct {
	key           model.ReturnKey
	before, after model.Annotation
}

var _ common.Screen = (*Screen)(nil)

// New builds the audit screen.
func New(o *common.Options, st *common.Styles) *Screen {
	k := newKeys()
	return &Screen{
		o: o, st: st, keys: k,
		stack:     []pane{paneQuestions},
		filter:    common.NewFilterBar(st, `prison:featherstone  status:no_return  rating:partly  alliance:civic`, "/ filter · P good-practice list · m regional comments · ? help"),
		questions: newQuestionList(st, k),
		reader:    newReader(st, k),
		results:   newResults(st, k),
		good:      newGoodList(st, k),
		comments:  newCommentsPane(st, k),
		history:   newHistoryPane(st, k, o.Audit),
		dossier:   newDossierPane(st, k),
		editor:    newEditor(st, k, strings.TrimSpace(o.Editor)),
		ann:       newAnnotator(o.Audit, o.Reviewer),
	}
}

// Init reads the audit.
func (s *Screen) Init() tea.Cmd { return s.load() }

func (s *Screen) load() tea.Cmd {
	if s.o.Audit == nil {
		return nil
	}
	if s.loading {
		s.reloadAfter = true
		return nil
	}
	s.loading = true
	return auditdata.Load(s.o.Audit)
}

func (s *Screen) top() pane { return s.stack[len(s.stack)-1] }

func (s *Screen) has(p pane) bool {
	for _, x := range s.stack {
		if x == p {
			return true
		}
	}
	return false
}

func (s *Screen) push(p pane) {
	if s.top() != p {
		s.stack = append(s.stack, p)
	}
}

func (s *Screen) pop() {
	if len(s.stack) > 1 {
		s.stack = s.stack[:len(s.stack)-1]
	}
}

// drop removes p (and what was opened over it) from the stack.
func (s *Screen) drop(p pane) {
	for i, x := range s.stack {
		if x == p && i > 0 {
			s.stack = s.stack[:i]
			return
		}
	}
}

func (s *Screen) section() (model.Section, bool) { return s.picker.Section(s.data) }

// SetSize gives the screen its area.
func (s *Screen) SetSize(w, h int) {
	s.width, s.height = w, h
	s.filter.SetWidth(w)
	s.editor.SetWidth(w)
	s.resize()
}

// bodyHeight is the lines under the title and the filter bar (and above
// the comment editor when it is open).
func (s *Screen) bodyHeight() int {
	h := s.height - 2
	if s.editor.open {
		h -= editorHeight
	}
	return max(h, 1)
}

func (s *Screen) resize() {
	w, h := s.width, s.bodyHeight()
	s.questions.SetSize(w, h)
	s.reader.SetSize(w, h)
	s.results.SetSize(w, h)
	s.good.SetSize(w, h)
	s.comments.SetSize(w, h)
	s.history.SetSize(w, h)
	s.dossier.SetSize(w, h)
	if sec, ok := s.section(); ok && s.has(paneComments) {
		s.comments.Show(s.data, sec)
	}
}

// SetStyles follows the terminal's background.
func (s *Screen) SetStyles(st *common.Styles) {
	s.st = st
	s.filter.SetStyles(st)
	s.editor.SetStyles(st)
	s.questions.st, s.results.st, s.good.st, s.comments.st, s.history.st, s.dossier.st = st, st, st, st, st, st
	s.reader.SetStyles(st)
	s.resize()
}

// Capturing is set while the filter bar or the comment editor has the keys.
func (s *Screen) Capturing() bool { return s.filter.Focused() || s.editor.open }

// Unsaved reports a comment being typed or annotations not yet written.
func (s *Screen) Unsaved() bool { return s.editor.Changed() || s.ann.Pending() }

// Summary is the status bar's note: the filter's count when one is in force.
func (s *Screen) Summary() string {
	if s.data == nil {
		return ""
	}
	if s.has(paneResults) {
		return common.Plural(s.results.Len(), "return matches", "returns match")
	}
	return common.Plural(len(s.data.Rows), "return", "returns")
}

// Update routes a message.
func (s *Screen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case auditdata.LoadedMsg:
		return s.loaded(msg)
	case common.ChangedMsg:
		if msg.Kind == model.EventAnnotation || msg.Kind == model.EventImport {
			return s.load()
		}
		return nil
	case common.ResyncMsg:
		return s.load()
	case annotatedMsg:
		return s.annotated(msg)
	case historyMsg:
		s.history.Take(msg)
		return nil
	case externalMsg:
		if text, isErr := s.editor.Take(msg); text != "" {
			return common.Status(text, isErr)
		}
		return nil
	case tea.KeyPressMsg:
		return s.key(msg)
	case common.OpenReturnMsg, common.OpenDossierMsg:
		if s.data == nil {
			s.pending = msg
			return nil
		}
		return s.open(msg)
	}
	// Paste and the inputs' own messages go to the field with focus.
	switch {
	case s.editor.open:
		cmd, _, _, _ := s.editor.Update(msg)
		return cmd
	case s.filter.Focused():
		return s.filterUpdate(msg)
	}
	return nil
}

func (s *Screen) loaded(m auditdata.LoadedMsg) tea.Cmd {
	s.loading = false
	var cmds []tea.Cmd
	if s.reloadAfter {
		s.reloadAfter = false
		cmds = append(cmds, s.load())
	}
	switch {
	case m.Err != nil:
		cmds = append(cmds, common.Status("audit not read: "+m.Err.Error(), true))
	case m.Data == nil:
	case s.data != nil && m.Data.Seq != 0 && m.Data.Seq < s.data.Seq:
		// an older read that finished late
	default:
		s.setData(m.Data)
		if s.pending != nil {
			cmds = append(cmds, s.open(s.pending))
			s.pending = nil
		}
	}
	return tea.Batch(cmds...)
}

// setData swaps in re-read data, keeping the reviewer's place.
func (s *Screen) setData(d *auditdata.Data) {
	sec, had := s.section()
	s.data = d
	s.ann.Overlay(d)
	if !had || !s.picker.Select(d, sec) {
		s.picker.Clamp(d)
	}
	sec, _ = s.section()
	s.questions.SetSection(d, sec)
	if s.has(paneReader) && !s.reader.Refresh(d) {
		s.drop(paneReader)
	}
	s.results.Refresh(d)
	s.good.Refresh(d)
	if s.has(paneComments) {
		s.comments.Show(d, sec)
	}
	if s.has(paneDossier) {
		s.dossier.Refresh(d)
	}
}

// refresh redraws what shows annotations after one changed.
func (s *Screen) refresh() {
	if s.has(paneReader) {
		s.reader.Refresh(s.data)
	}
	s.results.Refresh(s.data)
	s.good.Refresh(s.data)
	if s.has(paneDossier) {
		s.dossier.Refresh(s.data)
	}
}

// open shows what another tab asked for: a return in the reader, or a
// dossier.
func (s *Screen) open(msg tea.Msg) tea.Cmd {
	switch m := msg.(type) {
	case common.OpenReturnMsg:
		if s.data.Row[m.Key] == nil {
			return common.Status("that return is not in the audit: "+model.SanitizeLine(m.Key.Respondent+" · "+m.Key.QuestionID), true)
		}
		s.stack = s.stack[:1]
		s.openReturn(m.Key)
	case common.OpenDossierMsg:
		s.openDossier(m.Name)
	}
	return nil
}

// openDossier shows the dossier of name over whatever is open; esc goes
// back to it.
func (s *Screen) openDossier(name string) {
	s.dossier.Open(s.data, name)
	if s.top() != paneDossier {
		s.stack = append(s.stack, paneDossier)
	}
}

// respondentName is the register's name for a return's respondent; for
// a respondent the register does not know (the ROM's combined assessment)
// in a list filtered by prison: or respondent:, the one entry the filter
// names; else the name as the return gives it.
func (s *Screen) respondentName(rk model.ReturnKey) string {
	reg := s.data.Names
	if e := reg.ForRespondent(rk.Region, rk.Respondent); e != nil {
		return e.Name
	}
	if s.top() == paneResults {
		if q, err := model.ParseQuery(s.query); err == nil {
			var found []*model.NameEntry
			for _, t := range q.Terms {
				if t.Neg || (t.Key != model.KeyPrison && t.Key != model.KeyRespondent) {
					continue
				}
				for _, v := range t.Values {
					found = append(found, reg.Find(v)...)
				}
			}
			if len(found) == 1 {
				return found[0].Name
			}
		}
	}
	return rk.Respondent
}

func (s *Screen) annotated(m annotatedMsg) tea.Cmd {
	if m.Gen != s.ann.gen {
		return nil
	}
	if m.err != nil {
		// The write and those queued behind it were not made, and what the
		// return's earlier entries would put back is no longer known to
		// be right: none of this return's changes is offered for undo.
		kept := s.undo[:0]
		for _, u := range s.undo {
			if u.key != m.key {
				kept = append(kept, u)
			}
		}
		s.undo = kept
	}
	next, status, isErr := s.ann.Done(s.data, m)
	if s.data != nil {
		s.refresh()
	}
	cmds := []tea.Cmd{next}
	if status != "" {
		cmds = append(cmds, common.Status(status, isErr))
	}
	if m.err != nil && errors.Is(m.err, model.ErrConflict) {
		cmds = append(cmds, s.load())
	}
	if s.has(paneHistory) && s.history.key == m.key {
		cmds = append(cmds, s.history.Reload())
	}
	return tea.Batch(cmds...)
}

// Keys is the help of what has focus; the same bindings drive key.
func (s *Screen) Keys() help.KeyMap {
	switch {
	case s.data == nil:
		return common.KeyMap{}
	case s.editor.open:
		ks := s.editor.Keys()
		return common.KeyMap{Short: ks, Full: [][]key.Binding{ks}}
	case s.filter.Focused():
		return s.filter.Keys()
	}
	var own []key.Binding
	switch s.top() {
	case paneQuestions:
		own = s.questions.Keys()
	case paneReader:
		own = s.reader.Keys()
	case paneResults:
		own = withBack(s.results.Keys(), s.keys.Back)
	case paneGood:
		own = withBack(s.good.Keys(), s.keys.Back)
	case paneComments:
		own = s.comments.Keys()
	case paneDossier:
		own = s.dossier.Keys()
	case paneHistory:
		own = s.history.Keys()
		if _, ok := s.history.Version(); ok && !s.o.ReadOnly {
			own = append(own, s.keys.Restore)
		}
	}
	nav := append(s.keys.sectionKeys(), s.keys.Filter)
	if s.top() != paneGood {
		nav = append(nav, s.keys.GoodList)
	}
	if s.top() != paneComments {
		nav = append(nav, s.keys.Comments)
	}
	if len(s.undo) > 0 && !s.o.ReadOnly {
		nav = append(nav, s.keys.Undo)
	}
	var ann []key.Binding
	if _, ok := s.selected(); ok {
		ann = s.keys.annotationKeys()
		nav = append(nav, s.keys.Dossier)
	}
	var short []key.Binding
	for _, b := range own {
		if h := b.Help().Key; h == "enter" || h == "esc" {
			short = append(short, b)
		}
	}
	if s.top() == paneReader {
		short = append(short, s.reader.benchKey(), s.keys.NextQ)
	}
	short = append(short, s.keys.Alliance, s.keys.Kind, s.keys.Filter)
	if len(ann) > 1 {
		short = append(short, s.keys.Rate, s.keys.Meets, s.keys.Comment, s.keys.Good)
	}
	full := [][]key.Binding{own, nav}
	if len(ann) > 0 {
		full = append(full, ann)
	}
	return common.KeyMap{Short: short, Full: full}
}

func withBack(ks []key.Binding, back key.Binding) []key.Binding { return append(ks, back) }

// selected is the return the annotation keys act on.
func (s *Screen) selected() (model.ReturnKey, bool) {
	switch s.top() {
	case paneReader:
		return s.reader.Selected()
	case paneResults:
		return s.results.Selected()
	case paneGood:
		return s.good.Selected()
	}
	return model.ReturnKey{}, false
}
