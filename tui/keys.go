package tui

import (
	"charm.land/bubbles/v2/key"

	"charter/tui/common"
)

// globalKeys are the keys the root handles.
type globalKeys struct {
	NextTab   key.Binding
	PrevTab   key.Binding
	Tab1      key.Binding
	Tab2      key.Binding
	Tab3      key.Binding
	Help      key.Binding
	CloseHelp key.Binding
	Quit      key.Binding
	ForceQ    key.Binding
	Confirm   key.Binding
	Scroll    common.ListKeys
}

func newGlobalKeys() globalKeys {
	return globalKeys{
		NextTab:   key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next tab")),
		PrevTab:   key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous tab")),
		Tab1:      key.NewBinding(key.WithKeys("1"), key.WithHelp("1", "signatories")),
		Tab2:      key.NewBinding(key.WithKeys("2"), key.WithHelp("2", "audit")),
		Tab3:      key.NewBinding(key.WithKeys("3"), key.WithHelp("3", "coverage")),
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		CloseHelp: key.NewBinding(key.WithKeys("esc", "q", "enter"), key.WithHelp("esc", "close help")),
		Quit:      key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		ForceQ:    key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit (asks if unsaved)")),
		Confirm:   key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "confirm quit")),
		Scroll:    common.NewListKeys(),
	}
}

func (k globalKeys) ShortHelp() []key.Binding { return []key.Binding{k.Help, k.Quit} }

func (k globalKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.NextTab, k.PrevTab, k.Tab1, k.Tab2, k.Tab3}, {k.Help, k.Quit, k.ForceQ}}
}
