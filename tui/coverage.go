package tui

import (
	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
)

// coverageScreen is tab 3: coverage and the pathway matrix. (Being built: for now it says so.)
type coverageScreen struct {
	opts          *Options
	st            *Styles
	width, height int
}

func newCoverageScreen(o *Options, st *Styles) *coverageScreen {
	return &coverageScreen{opts: o, st: st}
}

func (s *coverageScreen) Init() tea.Cmd              { return nil }
func (s *coverageScreen) Update(msg tea.Msg) tea.Cmd { return nil }
func (s *coverageScreen) View() string {
	return s.st.Muted.Render("Coverage: this screen is not built yet.")
}
func (s *coverageScreen) SetSize(w, h int)     { s.width, s.height = w, h }
func (s *coverageScreen) SetStyles(st *Styles) { s.st = st }
func (s *coverageScreen) Keys() help.KeyMap    { return emptyKeys{} }
func (s *coverageScreen) Capturing() bool      { return false }
