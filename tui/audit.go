package tui

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// auditScreen is tab 2: the audit returns. (Being built: for now it says so.)
type auditScreen struct {
	opts          *Options
	st            *Styles
	width, height int
}

func newAuditScreen(o *Options, st *Styles) *auditScreen { return &auditScreen{opts: o, st: st} }

func (s *auditScreen) Init() tea.Cmd              { return nil }
func (s *auditScreen) Update(msg tea.Msg) tea.Cmd { return nil }
func (s *auditScreen) View() string {
	return s.st.Muted.Render("Audit returns: this screen is not built yet.")
}
func (s *auditScreen) SetSize(w, h int)     { s.width, s.height = w, h }
func (s *auditScreen) SetStyles(st *Styles) { s.st = st }
func (s *auditScreen) Keys() help.KeyMap    { return emptyKeys{} }
func (s *auditScreen) Capturing() bool      { return false }

// emptyKeys is a key map with no bindings.
type emptyKeys struct{}

func (emptyKeys) ShortHelp() []key.Binding  { return nil }
func (emptyKeys) FullHelp() [][]key.Binding { return nil }
