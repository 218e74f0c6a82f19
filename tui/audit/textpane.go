package audit

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
)

// textPane is text longer than its window: a bubbles viewport whose lines
// are set in Update (already wrapped to the width), scrolled by keys in
// Update, and drawn with how many lines are hidden above and below.
type textPane struct {
	vp viewport.Model
}

func newTextPane() textPane {
	vp := viewport.New()
	return textPane{vp: vp}
}

// SetLines replaces the text, keeping the offset where it can.
func (p *textPane) SetLines(lines []string) {
	p.vp.SetContentLines(lines)
	p.vp.SetYOffset(p.vp.YOffset()) // clamps to the new length
}

// SetSize sizes the window.
func (p *textPane) SetSize(w, h int) {
	p.vp.SetWidth(max(w, 1))
	p.vp.SetHeight(max(h, 1))
	p.vp.SetYOffset(p.vp.YOffset())
}

// Show scrolls as little as possible to bring lines [from, to) into view
// (their top, when they are taller than the window).
func (p *textPane) Show(from, to int) {
	h := p.vp.Height()
	off := p.vp.YOffset()
	if to-from > h {
		to = from + h
	}
	if to > off+h {
		off = to - h
	}
	if from < off {
		off = from
	}
	p.vp.SetYOffset(off)
}

// Scroll handles a scrolling key and reports whether it was one.
func (p *textPane) Scroll(msg tea.KeyPressMsg, up, down, pgUp, pgDown, top, bottom key.Binding) bool {
	switch {
	case key.Matches(msg, up):
		p.vp.ScrollUp(1)
	case key.Matches(msg, down):
		p.vp.ScrollDown(1)
	case key.Matches(msg, pgUp):
		p.vp.ScrollUp(max(p.vp.Height()-1, 1))
	case key.Matches(msg, pgDown):
		p.vp.ScrollDown(max(p.vp.Height()-1, 1))
	case key.Matches(msg, top):
		p.vp.GotoTop()
	case key.Matches(msg, bottom):
		p.vp.GotoBottom()
	default:
		return false
	}
	return true
}

// Above and Below count the lines hidden above and below the window.
func (p textPane) Above() int { return p.vp.YOffset() }
func (p textPane) Below() int {
	return max(p.vp.TotalLineCount()-p.vp.YOffset()-p.vp.Height(), 0)
}

// View is the window's lines.
func (p textPane) View() string { return p.vp.View() }

// Overflows reports text longer than the window: only then do the
// scrolling keys do anything, and only then does help show them.
func (p textPane) Overflows() bool { return p.vp.TotalLineCount() > p.vp.Height() }
