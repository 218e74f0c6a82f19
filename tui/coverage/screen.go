package coverage

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"charter/model"
	"charter/tui/auditdata"
	"charter/tui/common"
)

// Screen is tab 3. It routes keys to the grid or the pathway matrix and
// takes the audit from the LoadedMsg the root hands every screen. Its only
// commands ask the audit tab to open a return or a dossier (the root
// switches tabs); no result ever comes back to it.
type Screen struct {
	opts *common.Options
	st   *common.Styles
	keys keys

	width, height int
	data          *auditdata.Data
	loadErr       string // the last read failed (neutralised)
	picker        auditdata.Picker
	section       model.Section
	showMatrix    bool
	grid          grid
	matrix        matrix
}

var _ common.Screen = (*Screen)(nil)
var _ common.Summarizer = (*Screen)(nil)

// New builds the tab; it shows "loading" until the audit arrives.
func New(o *common.Options, st *common.Styles) *Screen {
	s := &Screen{opts: o, st: st, keys: newKeys(), width: 80, height: 20}
	s.grid.st, s.matrix.st = st, st
	s.SetSize(s.width, s.height)
	return s
}

// Init asks for nothing: the audit screen reads the audit for both tabs.
func (s *Screen) Init() tea.Cmd { return nil }

func (s *Screen) SetSize(w, h int) {
	s.width, s.height = max(w, 1), max(h, 1)
	s.grid.setSize(s.width, s.height)
	s.matrix.setSize(s.width, s.height)
}

func (s *Screen) SetStyles(st *common.Styles) {
	s.st, s.grid.st = st, st
	s.matrix.setStyles(st)
}

func (s *Screen) Capturing() bool { return false }
func (s *Screen) Unsaved() bool   { return false }

func (s *Screen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case auditdata.LoadedMsg:
		s.load(msg)
	case tea.KeyPressMsg:
		return s.key(msg)
	}
	// ChangedMsg and ResyncMsg need nothing here: the audit screen re-reads
	// the audit on them and the new LoadedMsg comes to this tab too.
	return nil
}

// load takes a fresh read of the audit, staying on the section shown.
func (s *Screen) load(msg auditdata.LoadedMsg) {
	if msg.Err != nil {
		s.loadErr = model.SanitizeLine(msg.Err.Error())
		return
	}
	if msg.Data == nil {
		return
	}
	s.loadErr = ""
	first := s.data == nil
	s.data = msg.Data
	if !first {
		for i, x := range s.data.Sections {
			if x == s.section {
				s.picker = auditdata.Picker{}
				s.picker.Step(s.data, i)
			}
		}
	}
	s.matrix.set(buildMatrices(s.data))
	s.showSection(false)
}

// showSection rebuilds the grid for the picker's section; fresh starts it
// at the first cell, else the cursor stays on the same respondent and
// question where it can.
func (s *Screen) showSection(fresh bool) {
	sec, ok := s.picker.Section(s.data)
	if !ok {
		s.grid.reset(&gridData{title: "Coverage", note: "The database holds no audit data: import a region's returns."})
		return
	}
	if sec != s.section {
		fresh = true
	}
	s.section = sec
	if fresh {
		s.grid.reset(buildGrid(s.data, sec))
	} else {
		s.grid.set(buildGrid(s.data, sec))
	}
}

func (s *Screen) key(msg tea.KeyPressMsg) tea.Cmd {
	if s.data == nil {
		return nil
	}
	if s.showMatrix {
		if key.Matches(msg, s.keys.Grid) {
			s.showMatrix = false
			return nil
		}
		s.matrix.update(msg, s.keys)
		return nil
	}
	switch {
	case key.Matches(msg, s.keys.Open) && s.grid.onName(), key.Matches(msg, s.keys.Dossier):
		// The audit tab shows the row's dossier.
		if region, name, ok := s.grid.respondent(); ok {
			if e := s.data.Names.ForRespondent(region, name); e != nil {
				name = e.Name
			}
			return func() tea.Msg { return common.OpenDossierMsg{Name: name} }
		}
	case key.Matches(msg, s.keys.Open):
		// The audit tab opens the return in its reader.
		if k, ok := s.grid.selected(); ok {
			return func() tea.Msg { return common.OpenReturnMsg{Key: k} }
		}
	case key.Matches(msg, s.keys.Matrix):
		s.showMatrix = true
	case key.Matches(msg, s.keys.Alliance):
		s.picker.NextAlliance(s.data)
		s.showSection(true)
	case key.Matches(msg, s.keys.Kind):
		s.picker.NextKind(s.data)
		s.showSection(true)
	case key.Matches(msg, s.keys.Next):
		s.picker.Step(s.data, 1)
		s.showSection(true)
	case key.Matches(msg, s.keys.Prev):
		s.picker.Step(s.data, -1)
		s.showSection(true)
	default:
		s.grid.update(msg, s.keys)
	}
	return nil
}

// Keys is what the grid or the matrix dispatches now.
func (s *Screen) Keys() help.KeyMap {
	switch {
	case s.data == nil:
		return common.KeyMap{}
	case s.showMatrix:
		move := s.matrix.bindings(s.keys)
		return common.KeyMap{Short: append([]key.Binding{s.keys.Grid}, move...),
			Full: [][]key.Binding{move, {s.keys.Grid}}}
	}
	move := s.grid.bindings(s.keys)
	short := []key.Binding{s.keys.Alliance, s.keys.Kind, s.keys.Matrix}
	if len(move) > 0 {
		if _, ok := s.grid.selected(); ok || s.grid.onName() {
			short = append(short, s.keys.Open)
		}
		short = append(short, s.keys.Dossier)
	}
	if len(move) > 0 {
		short = append([]key.Binding{s.keys.Left, s.keys.Right}, short...)
	}
	return common.KeyMap{Short: short, Full: [][]key.Binding{move, s.keys.sectionBindings()}}
}

func (s *Screen) View() string {
	switch {
	case s.data == nil && s.loadErr != "":
		return fit([]string{s.st.Error.Render("Could not read the audit: " + s.loadErr)}, s.width, s.height)
	case s.data == nil:
		return s.st.Muted.Render("Loading the audit…")
	}
	var out string
	if s.showMatrix {
		out = s.matrix.view()
	} else {
		out = s.grid.view()
	}
	if s.loadErr != "" {
		// The last re-read failed: say so above what was read before.
		lines := append([]string{s.st.Error.Render("Could not re-read the audit: " + s.loadErr)}, strings.Split(out, "\n")...)
		out = fit(lines, s.width, s.height)
	}
	return out
}

// Summary is the status bar's line: the section and how many returned.
func (s *Screen) Summary() string {
	if s.data == nil || s.grid.data == nil || s.showMatrix {
		return ""
	}
	if len(s.grid.data.rows) == 0 {
		return s.grid.data.title
	}
	return s.grid.data.title + " · " + s.grid.data.returnedLine()
}
