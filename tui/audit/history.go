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
	changes []auditdata.ChangeText   // newest first, as drawn
	raw     []model.AnnotationChange // oldest first, as stored
	list    common.List
	width   int
}

func newHistoryPane(st *common.Styles, k keys, svc model.AuditService) *historyPane {
	return &historyPane{st: st, keys: k, svc: svc}
}

// Open shows the history of the return t, loading it afresh: a new
// generation, so an answer for an earlier opening is dropped.
func (p *historyPane) Open(t *auditdata.ReturnText) tea.Cmd {
	p.key = t.Key
	p.title = t.Respondent + " · " + t.QuestionID
	p.loaded, p.err, p.changes, p.raw = false, "", nil, nil
	p.list.SetCursor(0)
	p.list.SetLen(0)
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
	p.raw = m.changes
	p.list.SetLen(len(p.changes))
	return true
}

// Version is the version of the change under the cursor.
func (p *historyPane) Version() (uint64, bool) {
	if len(p.changes) == 0 {
		return 0, false
	}
	return p.changes[p.list.Cursor()].Version, true
}

// Latest reports whether v is the newest version in the history.
func (p *historyPane) Latest(v uint64) bool {
	return len(p.changes) > 0 && p.changes[0].Version == v
}

// AsOf is the annotation as version v left it: every change up to v
// replayed from nothing.
func (p *historyPane) AsOf(v uint64) model.Annotation {
	var a model.Annotation
	for _, c := range p.raw {
		if c.Version > v {
			break
		}
		switch c.Field {
		case "rating":
			a.Rating = model.Rating(c.New)
		case "comment":
			a.Comment = c.New
		case "good_practice":
			a.GoodPractice = c.New == "yes"
		}
	}
	return a
}

func (p *historyPane) SetSize(w, h int) {
	p.width = w
	p.list.SetHeight(max(h-2, 1))
}

func (p *historyPane) Keys() []key.Binding {
	if len(p.changes) < 2 {
		return []key.Binding{p.keys.Back}
	}
	return append(p.keys.ListKeys.Bindings(), p.keys.Back)
}

func (p *historyPane) Update(msg tea.KeyPressMsg) bool {
	return len(p.changes) > 1 && p.list.Step(msg, p.keys.ListKeys)
}

func (p *historyPane) View(h int) string {
	st := p.st
	out := []string{st.Bold.Render(common.Truncate("Annotation history: "+p.title, p.width))}
	switch {
	case p.err != "":
		out = append(out, st.Error.Render(p.err))
	case !p.loaded:
		out = append(out, st.Muted.Render("Loading the history…"))
	case len(p.changes) == 0:
		out = append(out, st.Muted.Render("No reviewer has annotated this return yet."))
	}
	from, to := p.list.Window()
	for i := from; i < to; i++ {
		c := p.changes[i]
		line := fmt.Sprintf("v%d %s %s  %s: %s → %s", c.Version, c.At, c.By, c.Field, c.Old, c.New)
		if i == p.list.Cursor() {
			line = st.SelectedRow.Render("▶" + common.Truncate(line, p.width-1))
		} else {
			line = " " + common.Truncate(line, p.width-1)
		}
		out = append(out, line)
	}
	out = append(out, moreLine(st, p.list.Above(), p.list.Below()))
	return common.FitHeight(strings.Join(out, "\n"), h, p.width)
}
