package audit

import (
	"charm.land/bubbles/v2/key"

	"charter/tui/common"
)

// keys are every binding of the screen; each pane's help lists the ones
// in force, and the same bindings drive Update.
type keys struct {
	common.ListKeys
	Open, Back, Bench                      key.Binding
	Alliance, Kind, Prev, Next             key.Binding
	Filter, GoodList, Comments             key.Binding
	Rate, Meets, Partly, NotMet, Clear     key.Binding
	Good, Comment, History                 key.Binding
	Save, Cancel                           key.Binding
	ScrollUp, ScrollDown, PrevRet, NextRet key.Binding
	PrevQ, NextQ, Undo, Restore            key.Binding
	Newline, External, Dossier             key.Binding
}

func newKeys() keys {
	b := func(k, h, d string) key.Binding { return key.NewBinding(key.WithKeys(k), key.WithHelp(h, d)) }
	lk := common.NewListKeys()
	return keys{
		ListKeys: lk,
		Open:     b("enter", "enter", "open"),
		Back:     b("esc", "esc", "back"),
		Bench:    b("b", "b", "whole benchmark"),
		PrevQ:    key.NewBinding(key.WithKeys("<", ","), key.WithHelp("<", "previous question")),
		NextQ:    key.NewBinding(key.WithKeys(">", "."), key.WithHelp(">", "next question")),
		Undo:     b("U", "U", "undo my last change"),
		Restore:  b("R", "R", "restore this version"),
		Dossier:  b("D", "D", "dossier of this respondent"),
		Newline:  key.NewBinding(key.WithKeys("ctrl+j", "alt+enter"), key.WithHelp("ctrl+j", "new line")),
		External: b("ctrl+e", "ctrl+e", "edit in $EDITOR"),
		Alliance: b("a", "a", "next alliance"),
		Kind:     b("t", "t", "next respondent kind"),
		Prev:     b("[", "[", "previous section"),
		Next:     b("]", "]", "next section"),
		Filter:   b("/", "/", "filter"),
		GoodList: b("P", "P", "good-practice list"),
		Comments: b("m", "m", "regional comments"),
		Rate:     b("r", "r", "rate (cycle)"),
		Meets:    b("y", "y", "meets: all the benchmark asks"),
		Partly:   b("u", "u", "partly: some of it"),
		NotMet:   b("n", "n", "not met: none of it"),
		Clear:    b("x", "x", "clear rating"),
		Good:     b("p", "p", "good practice"),
		Comment:  b("c", "c", "comment"),
		History:  b("h", "h", "history"),
		Save:     b("enter", "enter", "save comment"),
		Cancel:   b("esc", "esc", "cancel"),
		// In the reader the arrows go from return to return and the page
		// keys scroll the text, so an answer longer than the screen can be
		// read to its end.
		PrevRet:    key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "previous return")),
		NextRet:    key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "next return")),
		ScrollUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "scroll text up")),
		ScrollDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+d"), key.WithHelp("pgdn", "scroll text down")),
	}
}

// sectionKeys choose the alliance and respondent kind.
func (k keys) sectionKeys() []key.Binding { return []key.Binding{k.Alliance, k.Kind, k.Prev, k.Next} }

// annotationKeys act on the selected return.
func (k keys) annotationKeys() []key.Binding {
	return []key.Binding{k.Rate, k.Meets, k.Partly, k.NotMet, k.Clear, k.Good, k.Comment, k.History}
}
