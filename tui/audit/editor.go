package audit

import (
	"os"
	"os/exec"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"

	"charter/model"
	"charter/tui/common"
)

// editorHeight is the lines the open editor takes: a title and the text.
const editorHeight = 4

// externalMsg is what the external editor left in its file.
type externalMsg struct {
	common.Owner
	key  model.ReturnKey
	text string
	err  error
}

// editor is the comment editor for one return: a text area of a few
// lines (ctrl+j starts a new line, enter saves), and with a command
// configured, ctrl+e hands the text to the reviewer's editor.
type editor struct {
	keys     keys
	input    textarea.Model
	open     bool
	key      model.ReturnKey
	orig     string
	command  string // the external editor; empty: none
	gen      uint64 // the opening an external edit belongs to
	external bool   // the external editor has the text
	// exec runs the external editor; tea.ExecProcess unless a test
	// replaces it.
	exec func(*exec.Cmd, tea.ExecCallback) tea.Cmd
}

func newEditor(st *common.Styles, k keys, command string) *editor {
	in := textarea.New()
	in.ShowLineNumbers = false
	in.Prompt = "│ "
	in.CharLimit = model.MaxComment
	in.SetHeight(editorHeight - 1)
	in.KeyMap.InsertNewline = k.Newline
	in.SetStyles(common.TextAreaStyles(st.Dark))
	return &editor{keys: k, input: in, command: command, exec: tea.ExecProcess}
}

// Open edits the comment of return k, starting from text.
func (e *editor) Open(k model.ReturnKey, text string) tea.Cmd {
	e.open, e.key, e.external = true, k, false
	e.gen = common.NextGen()
	e.input.SetValue(text)
	e.orig = e.input.Value() // as the input holds it: unchanged means not saved
	e.input.MoveToEnd()
	return e.input.Focus()
}

func (e *editor) close() { e.open = false; e.external = false; e.input.Blur() }

func (e *editor) Changed() bool { return e.open && e.input.Value() != e.orig }

func (e *editor) SetWidth(w int)              { e.input.SetWidth(max(w, 12)) }
func (e *editor) SetStyles(st *common.Styles) { e.input.SetStyles(common.TextAreaStyles(st.Dark)) }

func (e *editor) Keys() []key.Binding {
	if e.external {
		return []key.Binding{e.keys.Cancel}
	}
	ks := []key.Binding{e.keys.Save, e.keys.Newline, e.keys.Cancel}
	if e.command != "" && !e.external {
		ks = append(ks, e.keys.External)
	}
	return ks
}

// Update types into the comment; done is set when enter closed it (save
// set if the text changed, with the text) or esc cancelled it. While the
// external editor has the text, only esc acts (what it leaves then finds
// the editor closed and is dropped).
func (e *editor) Update(msg tea.Msg) (cmd tea.Cmd, done, save bool, text string) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		if e.external {
			if key.Matches(k, e.keys.Cancel) {
				e.close()
				return nil, true, false, ""
			}
			return nil, false, false, ""
		}
		switch {
		case key.Matches(k, e.keys.Save):
			changed := e.Changed()
			e.close()
			return nil, true, changed, e.input.Value()
		case key.Matches(k, e.keys.Cancel):
			e.close()
			return nil, true, false, ""
		case key.Matches(k, e.keys.External) && e.command != "":
			return e.runExternal(), false, false, ""
		}
	}
	e.input, cmd = e.input.Update(msg)
	return cmd, false, false, ""
}

// runExternal writes the text to a file and hands the terminal to the
// editor (run through the shell, as git runs $EDITOR); when it exits the
// file's text comes back as an externalMsg.
func (e *editor) runExternal() tea.Cmd {
	f, err := os.CreateTemp("", "charter-comment-*.txt")
	if err != nil {
		return common.Status("the editor could not start: "+model.SanitizeLine(err.Error()), true)
	}
	path := f.Name()
	_, werr := f.WriteString(e.input.Value())
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		os.Remove(path)
		return common.Status("the editor could not start: "+model.SanitizeLine(werr.Error()), true)
	}
	e.external = true
	owner, k := common.Owner{Screen: common.ScreenAudit, Gen: e.gen}, e.key
	c := exec.Command("sh", "-c", e.command+` "$@"`, "sh", path)
	return e.exec(c, func(err error) tea.Msg {
		defer os.Remove(path)
		if err != nil {
			return externalMsg{Owner: owner, key: k, err: err}
		}
		b, err := os.ReadFile(path)
		return externalMsg{Owner: owner, key: k, text: string(b), err: err}
	})
}

// Take puts what the external editor left into the text area, if it is
// for this opening; the reviewer then saves with enter as usual.
func (e *editor) Take(m externalMsg) (status string, isErr bool) {
	if !e.open || m.Gen != e.gen || m.key != e.key {
		return "", false
	}
	e.external = false
	if m.err != nil {
		return "the editor failed; the comment is as it was: " + model.SanitizeLine(m.err.Error()), true
	}
	// The file may hold anything: what goes into the text area is
	// neutralised like every text drawn.
	e.input.SetValue(model.Sanitize(strings.TrimRight(m.text, "\n"), true))
	e.input.MoveToEnd()
	return "comment back from the editor: enter saves, esc cancels", false
}

func (e *editor) View(w int) string {
	st := "comment — enter save · ctrl+j new line · esc cancel"
	if e.command != "" {
		st += " · ctrl+e $EDITOR"
	}
	if e.external {
		st = "comment — in the editor; save and quit it to come back"
	}
	return common.Truncate(st, w) + "\n" + common.FitHeight(e.input.View(), editorHeight-1, w)
}
