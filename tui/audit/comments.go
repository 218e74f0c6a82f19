package audit

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"charter/model"
	"charter/tui/auditdata"
	"charter/tui/common"
)

// commentsPane is a section's regional comments, scrolled as text.
type commentsPane struct {
	st    *common.Styles
	keys  keys
	text  textPane
	width int
}

func newCommentsPane(st *common.Styles, k keys) *commentsPane {
	return &commentsPane{st: st, keys: k, text: newTextPane()}
}

// Show lays out sec's comments from d.
func (c *commentsPane) Show(d *auditdata.Data, sec model.Section) {
	st := c.st
	var lines []string
	cs := d.Comments[sec]
	if len(cs) == 0 {
		lines = append(lines, st.Muted.Render("The source has no regional comments for this section."))
	}
	for _, x := range cs {
		t := d.CText[x]
		head := t.Heading
		if t.Respondent != "" {
			head += " — on the return of " + t.Respondent
		}
		for _, l := range common.WrapLines(head, c.width-2) {
			lines = append(lines, st.Bold.Render(l))
		}
		lines = append(lines, common.WrapLines(t.Text, c.width-2)...)
		lines = append(lines, "")
	}
	c.text.SetLines(lines)
}

func (c *commentsPane) SetSize(w, h int) {
	c.width = w
	c.text.SetSize(w, max(h-2, 1))
}

func (c *commentsPane) Keys() []key.Binding {
	if !c.text.Overflows() {
		return []key.Binding{c.keys.Back}
	}
	return append(c.keys.ListKeys.Bindings(), c.keys.Back)
}

func (c *commentsPane) Update(msg tea.KeyPressMsg) bool {
	k := c.keys
	return c.text.Scroll(msg, k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom)
}

func (c *commentsPane) View(title string, h int) string {
	out := c.st.Bold.Render(common.Truncate("Regional comments · "+title, c.width)) + "\n" +
		c.text.View() + "\n" + moreLine(c.st, c.text.Above(), c.text.Below())
	return common.FitHeight(out, h, c.width)
}
