package common

import tea "charm.land/bubbletea/v2"

// List is a cursor over n rows shown height at a time. It keeps the cursor
// visible as it changes, in Update, so View only reads Window.
type List struct {
	cursor, offset, n, height int
}

// Len is the number of rows.
func (l *List) Len() int { return l.n }

// Cursor is the selected row (0 when the list is empty).
func (l *List) Cursor() int { return l.cursor }

// Offset is the first visible row.
func (l *List) Offset() int { return l.offset }

// Height is the number of rows shown at once.
func (l *List) Height() int { return l.height }

// SetLen changes the number of rows, keeping the cursor in range.
func (l *List) SetLen(n int) { l.n = max(n, 0); l.fix() }

// SetHeight changes the number of rows shown at once.
func (l *List) SetHeight(h int) { l.height = max(h, 1); l.fix() }

// SetCursor selects row i (clamped) and scrolls to show it.
func (l *List) SetCursor(i int) { l.cursor = i; l.fix() }

// Move moves the cursor by d rows.
func (l *List) Move(d int) { l.SetCursor(l.cursor + d) }

// Window is the range of rows to draw: [from, to).
func (l *List) Window() (from, to int) { return l.offset, min(l.offset+l.height, l.n) }

// Above and Below count the rows hidden above and below the window, for
// "more above / more below" marks.
func (l *List) Above() int { return l.offset }
func (l *List) Below() int { return max(l.n-l.offset-l.height, 0) }

// Step moves the cursor for a movement key and reports whether msg was
// one.
func (l *List) Step(msg tea.KeyPressMsg, k ListKeys) bool {
	page := max(l.height-1, 1)
	switch {
	case matches(msg, k.Up):
		l.Move(-1)
	case matches(msg, k.Down):
		l.Move(1)
	case matches(msg, k.PageUp):
		l.Move(-page)
	case matches(msg, k.PageDown):
		l.Move(page)
	case matches(msg, k.Top):
		l.SetCursor(0)
	case matches(msg, k.Bottom):
		l.SetCursor(l.n - 1)
	default:
		return false
	}
	return true
}

func (l *List) fix() {
	if l.height < 1 {
		l.height = 1
	}
	l.cursor = Clamp(l.cursor, 0, l.n-1)
	if l.cursor < l.offset {
		l.offset = l.cursor
	}
	if l.cursor >= l.offset+l.height {
		l.offset = l.cursor - l.height + 1
	}
	l.offset = Clamp(l.offset, 0, max(l.n-l.height, 0))
}
