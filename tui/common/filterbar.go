package common

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"charter/model"
)

// FilterAction is what a key or paste did to the filter bar.
type FilterAction int

const (
	FilterNone    FilterAction = iota
	FilterChanged              // the text changed: apply Value()
	FilterKept                 // enter: the bar closed, keeping the query
	FilterCleared              // esc: the bar closed and the query is empty
)

// FilterKeys are in force while the bar has focus.
type FilterKeys struct {
	Keep  key.Binding
	Clear key.Binding
}

func (k FilterKeys) ShortHelp() []key.Binding  { return []key.Binding{k.Keep, k.Clear} }
func (k FilterKeys) FullHelp() [][]key.Binding { return [][]key.Binding{{k.Keep, k.Clear}} }

// FilterBar is the one-line query editor every screen uses: "/" opens it
// (the screen calls Focus), typing changes the query live, enter keeps it,
// esc clears it. The screen parses Value() and reports a bad query with
// SetError; the rows stay as they were until the query parses.
type FilterBar struct {
	input   textinput.Model
	focused bool
	err     string
	hint    string
	st      *Styles
	keys    FilterKeys
}

// NewFilterBar builds a bar; placeholder shows an example query and hint
// the screen's keys when the bar is closed and empty.
func NewFilterBar(st *Styles, placeholder, hint string) FilterBar {
	ti := textinput.New()
	ti.Prompt = "/ "
	ti.Placeholder = placeholder
	ti.CharLimit = model.MaxQuery
	ti.SetStyles(InputStyles(st.Dark))
	return FilterBar{input: ti, hint: hint, st: st, keys: FilterKeys{
		Keep:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep filter")),
		Clear: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
	}}
}

// Focus opens the bar for editing, the cursor after the query in force.
func (f *FilterBar) Focus() tea.Cmd {
	f.focused = true
	f.input.CursorEnd()
	return f.input.Focus()
}

// Focused reports whether the bar has the keyboard.
func (f *FilterBar) Focused() bool { return f.focused }

// Value is the query as typed.
func (f *FilterBar) Value() string { return f.input.Value() }

// SetValue replaces the query (e.g. when a screen opens a stored query).
func (f *FilterBar) SetValue(q string) { f.input.SetValue(q); f.err = "" }

// SetError records why the query does not parse (nil: it does).
func (f *FilterBar) SetError(err error) {
	f.err = ""
	if err != nil {
		f.err = err.Error()
	}
}

// Err is the query's error, or "".
func (f *FilterBar) Err() string { return f.err }

// SetWidth sizes the input.
func (f *FilterBar) SetWidth(w int) { f.input.SetWidth(max(w-4, 10)) }

// SetStyles follows the terminal's background.
func (f *FilterBar) SetStyles(st *Styles) { f.st = st; f.input.SetStyles(InputStyles(st.Dark)) }

// Keys are the bar's keys while it has focus.
func (f *FilterBar) Keys() help.KeyMap { return f.keys }

// Update handles a message while the bar has focus.
func (f *FilterBar) Update(msg tea.Msg) (FilterAction, tea.Cmd) {
	if !f.focused {
		return FilterNone, nil
	}
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, f.keys.Keep):
			f.focused = false
			f.input.Blur()
			return FilterKept, nil
		case key.Matches(k, f.keys.Clear):
			f.focused = false
			f.input.Blur()
			f.SetValue("")
			return FilterCleared, nil
		}
	}
	before := f.input.Value()
	var cmd tea.Cmd
	f.input, cmd = f.input.Update(msg)
	if f.input.Value() != before {
		return FilterChanged, cmd
	}
	return FilterNone, cmd
}

// View is the bar's line, width cells at most: the input while editing,
// else the query in force with how to change it, else the screen's hint.
func (f *FilterBar) View(width int) string {
	switch {
	case f.focused:
		return Cut(f.input.View(), width)
	case f.input.Value() != "":
		return Truncate(f.st.Label.Render("Filter: ")+model.SanitizeLine(f.input.Value())+
			f.st.Subtle.Render("   (/ edit · esc clear)"), width)
	}
	return Truncate(f.st.Subtle.Render(f.hint), width)
}

// ErrorView is the error line shown while the query does not parse.
func (f *FilterBar) ErrorView(width int) string {
	return f.st.FilterError.Render(Truncate("✗ "+model.SanitizeLine(f.err), width))
}
