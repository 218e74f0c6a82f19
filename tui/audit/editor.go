package audit

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"charter/model"
	"charter/tui/common"
)

// editor is the one-line comment editor for one return.
type editor struct {
	keys  keys
	input textinput.Model
	open  bool
	key   model.ReturnKey
	orig  string
}

func newEditor(st *common.Styles, k keys) *editor {
	in := textinput.New()
	in.Prompt = "comment: "
	in.CharLimit = model.MaxComment
	in.SetStyles(common.InputStyles(st.Dark))
	return &editor{keys: k, input: in}
}

// Open edits the comment of return k, starting from text.
func (e *editor) Open(k model.ReturnKey, text string) tea.Cmd {
	e.open, e.key = true, k
	e.input.SetValue(text)
	e.orig = e.input.Value() // as the input holds it: unchanged means not saved
	e.input.CursorEnd()
	return e.input.Focus()
}

func (e *editor) close() { e.open = false; e.input.Blur() }

func (e *editor) Changed() bool { return e.open && e.input.Value() != e.orig }

func (e *editor) SetWidth(w int)              { e.input.SetWidth(max(w-12, 10)) }
func (e *editor) SetStyles(st *common.Styles) { e.input.SetStyles(common.InputStyles(st.Dark)) }

func (e *editor) Keys() []key.Binding { return []key.Binding{e.keys.Save, e.keys.Cancel} }

// Update types into the comment; done is set when enter closed it (save
// set if the text changed, with the text) or esc cancelled it.
func (e *editor) Update(msg tea.Msg) (cmd tea.Cmd, done, save bool, text string) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, e.keys.Save):
			changed := e.Changed()
			e.close()
			return nil, true, changed, e.input.Value()
		case key.Matches(k, e.keys.Cancel):
			e.close()
			return nil, true, false, ""
		}
	}
	e.input, cmd = e.input.Update(msg)
	return cmd, false, false, ""
}

func (e *editor) View(w int) string { return common.Cut(e.input.View(), w) }
