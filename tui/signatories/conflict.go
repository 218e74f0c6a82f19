package signatories

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"charter/model"
	"charter/tui/common"
)

// conflictView shows, after a save hit a newer version, what the other
// reviewer changed and what this one would change, and asks which wins.
type conflictView struct {
	keys   conflictKeys
	stored model.Signatory // the record as stored now: "keep mine" rebases onto it
	vp     viewport.Model
}

func newConflictView(st *common.Styles, stored, opened, mine model.Signatory, w, h int) *conflictView {
	c := &conflictView{keys: newConflictKeys(), stored: stored,
		vp: viewport.New(viewport.WithWidth(w), viewport.WithHeight(max(h, 1)))}
	var lines []string
	lines = append(lines, st.Warning.Render(common.Truncate(fmt.Sprintf("This record was changed since you opened it (now version %d, saved %s).",
		stored.Version, stored.Updated.Local().Format("2006-01-02 15:04")), w)))
	lines = append(lines, "", st.Bold.Render("Their changes (as opened → as stored):"))
	for _, fc := range model.Diff(&opened, &stored) {
		lines = append(lines, common.Truncate(fmt.Sprintf("  %s: %s → %s", fc.Field, show(fc.Old), show(fc.New)), w))
	}
	lines = append(lines, "", st.Bold.Render("Your unsaved changes:"))
	for _, fc := range model.Diff(&opened, &mine) {
		lines = append(lines, common.Truncate(fmt.Sprintf("  %s: %s → %s", fc.Field, show(fc.Old), show(fc.New)), w))
	}
	lines = append(lines, "", common.Truncate(st.Key.Render("r")+" reload theirs (drop yours)   "+st.Key.Render("k")+
		" keep mine (save on top as a new change)   "+st.Key.Render("esc")+" back to editing", w))
	c.vp.SetContentLines(lines)
	return c
}

func (c *conflictView) scroll(msg tea.KeyPressMsg) {
	switch {
	case key.Matches(msg, c.keys.Up):
		c.vp.ScrollUp(1)
	case key.Matches(msg, c.keys.Down):
		c.vp.ScrollDown(1)
	}
}

func (c *conflictView) view() string { return c.vp.View() }

func (c *conflictView) setSize(w, h int) {
	c.vp.SetWidth(w)
	c.vp.SetHeight(max(h, 1))
}
