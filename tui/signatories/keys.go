package signatories

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"charter/tui/common"
)

// tableKeys drive the table; the help shows the same bindings.
type tableKeys struct {
	common.ListKeys
	Open   key.Binding
	New    key.Binding
	Filter key.Binding
	Clear  key.Binding
	Sort   key.Binding
	Rev    key.Binding
}

func newTableKeys() tableKeys {
	return tableKeys{
		ListKeys: common.NewListKeys(),
		Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		New:      key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "new")),
		Filter:   key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Clear:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
		Sort:     key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort column")),
		Rev:      key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "reverse sort")),
	}
}

func (k tableKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Open, k.New, k.Filter, k.Sort}
}

func (k tableKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{k.ListKeys.Bindings(), {k.Open, k.New, k.Filter, k.Clear, k.Sort, k.Rev}}
}

// formKeys drive the form. Which are enabled depends on the focused item
// (space toggles a commitment, but types a space in a text field), so the
// help shows exactly what works where the reviewer is.
type formKeys struct {
	Next, Prev    key.Binding // tab, shift+tab
	Down, Up      key.Binding // ↓ ↑ between fields (not inside the notes)
	Toggle        key.Binding // a commitment
	CycleOn       key.Binding // a choice, forwards
	CycleBack     key.Binding // a choice, backwards
	Save          key.Binding
	Close         key.Binding
	History       key.Binding
	Help          key.Binding
	Discard, Keep key.Binding // the "discard your changes?" question
	CloseHelp     key.Binding
}

func newFormKeys() formKeys {
	return formKeys{
		Next:      key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next field")),
		Prev:      key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous field")),
		Down:      key.NewBinding(key.WithKeys("down"), key.WithHelp("↓", "next field")),
		Up:        key.NewBinding(key.WithKeys("up"), key.WithHelp("↑", "previous field")),
		Toggle:    key.NewBinding(key.WithKeys("space", "x", "enter"), key.WithHelp("space", "toggle commitment")),
		CycleOn:   key.NewBinding(key.WithKeys("space", "right", "l", "enter"), key.WithHelp("space/→", "next choice")),
		CycleBack: key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←", "previous choice")),
		Save:      key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "save")),
		Close:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close")),
		// Not ctrl+h: Backspace sends ctrl+h on some terminals and SSH
		// clients.
		History:   key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "history")),
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "keys")),
		Discard:   key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "discard changes")),
		Keep:      key.NewBinding(key.WithKeys("n", "N", "esc"), key.WithHelp("n", "keep editing")),
		CloseHelp: key.NewBinding(key.WithKeys("?", "esc"), key.WithHelp("?/esc", "close keys")),
	}
}

// historyKeys scroll the history and leave it.
type historyKeys struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	Back                                    key.Binding
}

func newHistoryKeys(back key.Binding) historyKeys {
	return historyKeys{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "scroll up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "scroll down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "top")),
		Bottom:   key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "bottom")),
		Back:     back,
	}
}

func (k historyKeys) ShortHelp() []key.Binding { return []key.Binding{k.Back, k.Up, k.Down} }
func (k historyKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}, {k.Back}}
}

// conflictKeys answer a conflict.
type conflictKeys struct {
	Reload, KeepMine, Back key.Binding
	Up, Down               key.Binding
}

func newConflictKeys() conflictKeys {
	return conflictKeys{
		Reload:   key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reload theirs (drop mine)")),
		KeepMine: key.NewBinding(key.WithKeys("k"), key.WithHelp("k", "keep mine (save on top)")),
		Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back to editing")),
		Up:       key.NewBinding(key.WithKeys("up"), key.WithHelp("↑", "scroll up")),
		Down:     key.NewBinding(key.WithKeys("down"), key.WithHelp("↓", "scroll down")),
	}
}

func (k conflictKeys) ShortHelp() []key.Binding { return []key.Binding{k.Reload, k.KeepMine, k.Back} }
func (k conflictKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Reload, k.KeepMine, k.Back}, {k.Up, k.Down}}
}

var _ help.KeyMap = historyKeys{}

func keyMatches(msg tea.KeyPressMsg, b key.Binding) bool { return key.Matches(msg, b) }
