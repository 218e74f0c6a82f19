package audit

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"charter/model"
	"charter/tui/auditdata"
	"charter/tui/common"
)

// historyMsg is a return's annotation history, for the history pane that
// asked (its generation).
type historyMsg struct {
	common.Owner
	key     model.ReturnKey
	changes []model.AnnotationChange
	err     error
}

// historyPane is one return's annotation history, newest first.
type historyPane struct {
	st      *common.Styles
	keys    keys
	svc     model.AuditService
	gen     uint64
	key     model.ReturnKey
	title   string
	loaded  bool
	err     string
	changes []auditdata.ChangeText
	text    textPane
	width   int
}

func newHistoryPane(st *common.Styles, k keys, svc model.AuditService) *historyPane {
	return &historyPane{st: st, keys: k, svc: svc, text: newTextPane()}
}

// Open shows the history of the return t, loading it afresh: a new
// generation, so an answer for an earlier opening is dropped.
func (p *historyPane) Open(t *auditdata.ReturnText) tea.Cmd {
	p.key = t.Key
	p.title = t.Respondent + " · " + t.QuestionID
	p.loaded, p.err, p.changes = false, "", nil
	p.layout()
	return p.Reload()
}

// Reload asks for the history again (after a write to the return).
func (p *historyPane) Reload() tea.Cmd {
	p.gen = common.NextGen()
	svc, k, gen := p.svc, p.key, p.gen
	return func() tea.Msg {
		cs, err := svc.ReturnHistory(k)
		return historyMsg{Owner: common.Owner{Screen: common.ScreenAudit, Gen: gen}, key: k, changes: cs, err: err}
	}
}

// Take shows an answer if it is for this opening; it reports whether it was.
func (p *historyPane) Take(m historyMsg) bool {
	if m.Gen != p.gen || m.key != p.key {
		return false
	}
	p.loaded = true
	p.err = ""
	if m.err != nil {
		p.err = "history not loaded: " + model.SanitizeLine(m.err.Error())
	}
	p.changes = auditdata.HistoryText(m.changes)
	p.layout()
	return true
}

func (p *historyPane) layout() {
	st := p.st
	var lines []string
	switch {
	case p.err != "":
		lines = append(lines, st.Error.Render(p.err))
	case !p.loaded:
		lines = append(lines, st.Muted.Render("Loading the history…"))
	case len(p.changes) == 0:
		lines = append(lines, st.Muted.Render("No reviewer has annotated this return yet."))
	}
	for _, c := range p.changes {
		lines = append(lines, common.Truncate(fmt.Sprintf("v%d %s %s  %s: %s → %s", c.Version, c.At, c.By, c.Field, c.Old, c.New), p.width))
	}
	p.text.SetLines(lines)
}

func (p *historyPane) SetSize(w, h int) {
	p.width = w
	p.text.SetSize(w, max(h-2, 1))
	p.layout()
}

func (p *historyPane) Keys() []key.Binding {
	if !p.text.Overflows() {
		return []key.Binding{p.keys.Back}
	}
	return append(p.keys.ListKeys.Bindings(), p.keys.Back)
}

func (p *historyPane) Update(msg tea.KeyPressMsg) bool {
	k := p.keys
	return p.text.Scroll(msg, k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom)
}

func (p *historyPane) View(h int) string {
	out := p.st.Bold.Render(common.Truncate("Annotation history: "+p.title, p.width)) + "\n" +
		p.text.View() + "\n" + moreLine(p.st, p.text.Above(), p.text.Below())
	return common.FitHeight(out, h, p.width)
}
