package tui

import "charm.land/bubbles/v2/key"

// globalKeys are the keys the root handles outside text fields.
type globalKeys struct {
	NextTab key.Binding
	PrevTab key.Binding
	Tab1    key.Binding
	Tab2    key.Binding
	Tab3    key.Binding
	Help    key.Binding
	Quit    key.Binding
	ForceQ  key.Binding
}

func newGlobalKeys() globalKeys {
	return globalKeys{
		NextTab: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next tab")),
		PrevTab: key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous tab")),
		Tab1:    key.NewBinding(key.WithKeys("1"), key.WithHelp("1", "signatories")),
		Tab2:    key.NewBinding(key.WithKeys("2"), key.WithHelp("2", "audit")),
		Tab3:    key.NewBinding(key.WithKeys("3"), key.WithHelp("3", "coverage")),
		Help:    key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:    key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		ForceQ:  key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
	}
}

func (k globalKeys) ShortHelp() []key.Binding { return []key.Binding{k.Help, k.Quit} }

func (k globalKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.NextTab, k.PrevTab, k.Tab1, k.Tab2, k.Tab3}, {k.Help, k.Quit, k.ForceQ}}
}

// listKeys move through a list or table; several screens share them.
type listKeys struct {
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Top      key.Binding
	Bottom   key.Binding
}

func newListKeys() listKeys {
	return listKeys{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+d"), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "top")),
		Bottom:   key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "bottom")),
	}
}

// step returns the new cursor for a key press, or -1 if it is not a move.
func (k listKeys) step(keyStr string, cursor, n, page int) (int, bool) {
	if page < 1 {
		page = 1
	}
	switch {
	case matches(keyStr, k.Up):
		cursor--
	case matches(keyStr, k.Down):
		cursor++
	case matches(keyStr, k.PageUp):
		cursor -= page
	case matches(keyStr, k.PageDown):
		cursor += page
	case matches(keyStr, k.Top):
		cursor = 0
	case matches(keyStr, k.Bottom):
		cursor = n - 1
	default:
		return cursor, false
	}
	return clamp(cursor, 0, n-1), true
}

func matches(keyStr string, b key.Binding) bool {
	if !b.Enabled() {
		return false
	}
	for _, k := range b.Keys() {
		if k == keyStr {
			return true
		}
	}
	return false
}

func clamp(v, lo, hi int) int {
	if hi < lo {
		return lo
	}
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}
