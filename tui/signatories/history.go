package signatories

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"charter/model"
	"charter/tui/common"
)

// historyView shows a record's changes, newest first, in a viewport that
// scrolls in Update.
type historyView struct {
	st    *common.Styles
	keys  historyKeys
	title string
	vp    viewport.Model
	width int
}

func newHistoryView(st *common.Styles, back key.Binding, org string, w, h int) *historyView {
	back.SetHelp(back.Help().Key+"/esc", "back to the form")
	back.SetKeys(append(back.Keys(), "esc")...)
	v := &historyView{st: st, keys: newHistoryKeys(back), title: model.SanitizeLine(org), width: w,
		vp: viewport.New(viewport.WithWidth(w), viewport.WithHeight(max(h-2, 1)))}
	return v
}

func (v *historyView) setSize(w, h int) {
	v.width = w
	v.vp.SetWidth(w)
	v.vp.SetHeight(max(h-2, 1))
}

// set fills the view with the changes (or the reason they are missing).
func (v *historyView) set(changes []model.Change, errText string) {
	var lines []string
	switch {
	case errText != "":
		lines = append(lines, v.st.Error.Render(common.Truncate("Could not read the history: "+model.SanitizeLine(errText), v.width)))
	case len(changes) == 0:
		lines = append(lines, v.st.Muted.Render("No history yet (a new record gets its first entry when saved)."))
	}
	for i := len(changes) - 1; i >= 0; i-- {
		c := changes[i]
		head := fmt.Sprintf("v%d  %s  %s  %s", c.Version, c.At.Local().Format("2006-01-02 15:04"), model.SanitizeLine(c.By), model.SanitizeLine(c.Action))
		if c.TierBefore != c.TierAfter {
			head += "  " + v.st.TierStyle(c.TierBefore).Render(c.TierBefore.Label()) + " → " + v.st.TierStyle(c.TierAfter).Render(c.TierAfter.Label())
		}
		lines = append(lines, v.st.Bold.Render(head))
		// Each change whole: a long note or evidence wraps, indented
		// under its field, and the viewport scrolls to every line.
		for _, fc := range c.Fields {
			for i, l := range common.WrapLines(fmt.Sprintf("%s: %s → %s", fc.Field, show(fc.Old), show(fc.New)), max(v.width-8, 20)) {
				indent := "    "
				if i > 0 {
					indent = "        "
				}
				lines = append(lines, common.Truncate(indent+l, v.width))
			}
		}
	}
	v.vp.SetContentLines(lines)
}

// update scrolls; it reports true when the reviewer goes back.
func (v *historyView) update(msg tea.KeyPressMsg) (back bool) {
	k := v.keys
	switch {
	case key.Matches(msg, k.Back):
		return true
	case key.Matches(msg, k.Up):
		v.vp.ScrollUp(1)
	case key.Matches(msg, k.Down):
		v.vp.ScrollDown(1)
	case key.Matches(msg, k.PageUp):
		v.vp.PageUp()
	case key.Matches(msg, k.PageDown):
		v.vp.PageDown()
	case key.Matches(msg, k.Top):
		v.vp.GotoTop()
	case key.Matches(msg, k.Bottom):
		v.vp.GotoBottom()
	}
	return false
}

func (v *historyView) view() string {
	more := ""
	if !v.vp.AtTop() || !v.vp.AtBottom() {
		more = fmt.Sprintf("   lines %d–%d of %d", v.vp.YOffset()+1, min(v.vp.YOffset()+v.vp.VisibleLineCount(), v.vp.TotalLineCount()), v.vp.TotalLineCount())
	}
	head := v.st.Title.Render("History of "+v.title) + v.st.Subtle.Render("   esc back · ↑↓ scroll"+more)
	return common.Truncate(head, v.width) + "\n" + v.vp.View()
}

// show is a history or conflict value on one line, ∅ when empty.
func show(v string) string {
	if v == "" {
		return "∅"
	}
	return model.SanitizeLine(v)
}
