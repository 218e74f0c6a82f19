package audit

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"charter/model"
	"charter/tui/auditdata"
	"charter/tui/common"
)

// dossierPane is everything the audit holds about one establishment, area
// or organisation (model.BuildDossier), scrolled as one text; an unknown
// name shows the nearest names instead.
type dossierPane struct {
	st    *common.Styles
	keys  keys
	data  *auditdata.Data
	name  string // as asked for
	found bool
	width int
	text  textPane
}

func newDossierPane(st *common.Styles, k keys) *dossierPane {
	return &dossierPane{st: st, keys: k, text: newTextPane()}
}

// Open builds the dossier of name from d, from its top.
func (p *dossierPane) Open(d *auditdata.Data, name string) {
	p.data, p.name = d, name
	p.layout()
	p.text.vp.GotoTop()
}

// Refresh rebuilds it from new data (a rating changed), keeping the place.
func (p *dossierPane) Refresh(d *auditdata.Data) {
	if p.data == nil {
		return
	}
	p.data = d
	p.layout()
}

func (p *dossierPane) layout() {
	if p.data == nil {
		return
	}
	w := max(p.width, 20)
	dos, err := model.BuildDossier(p.data.Audit, p.data.Names, p.name)
	p.found = err == nil
	if err != nil {
		p.text.SetLines(auditdata.UnknownNameLines(p.st, p.name, err, w))
		return
	}
	p.text.SetLines(auditdata.DossierLines(p.st, dos, w))
}

func (p *dossierPane) SetSize(w, h int) {
	p.width = w
	p.text.SetSize(w, max(h-1, 1)) // the line under the text
	p.layout()
}

func (p *dossierPane) Keys() []key.Binding {
	if !p.text.Overflows() {
		return []key.Binding{p.keys.Back}
	}
	return append(p.keys.ListKeys.Bindings(), p.keys.Back)
}

func (p *dossierPane) Update(msg tea.KeyPressMsg) bool {
	k := p.keys
	return p.text.Overflows() && p.text.Scroll(msg, k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom)
}

func (p *dossierPane) View(h int) string {
	out := p.text.View() + "\n" + moreLine(p.st, p.text.Above(), p.text.Below())
	return common.FitHeight(out, h, p.width)
}
