package common

import (
	"sync/atomic"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"charter/model"
)

// ScreenID names a tab. Results of commands are addressed to one.
type ScreenID int

const (
	ScreenSignatories ScreenID = iota + 1
	ScreenAudit
	ScreenCoverage
)

// Routed is a message addressed to one screen: the root delivers it to
// that screen only, never to every screen.
type Routed interface{ RouteTo() ScreenID }

// Owner says who asked for a result: the screen, and the generation of the
// component that asked (a form, a list, a history view). A component takes
// a new generation each time it is opened or reloaded, and drops results
// that name another: a save that completes after its form was closed, or
// after another record was opened, changes nothing on screen (what it
// committed still arrives through the change event).
type Owner struct {
	Screen ScreenID
	Gen    uint64
}

// RouteTo makes every message that embeds an Owner a Routed one.
func (o Owner) RouteTo() ScreenID { return o.Screen }

var generations atomic.Uint64

// NextGen is a generation number no other component holds.
func NextGen() uint64 { return generations.Add(1) }

// StatusMsg puts a line in the status bar. The root neutralises its text
// before drawing it.
type StatusMsg struct {
	Text string
	Err  bool
}

// Status is a command that shows a line in the status bar.
func Status(text string, isErr bool) tea.Cmd {
	return func() tea.Msg { return StatusMsg{Text: text, Err: isErr} }
}

// ChangedMsg carries a committed change (this session's or another's).
// The root hands it to every screen; each re-reads what it shows.
type ChangedMsg struct{ model.Event }

// ResyncMsg says events were missed (the subscription fell behind and was
// closed): every screen reloads everything it shows from the store.
type ResyncMsg struct{}

// Screen is what the root needs of each tab. Screens are pointers that
// change in place; they do no I/O in Update (reads and writes go in a
// tea.Cmd that returns a message addressed to them) and change nothing in
// View.
type Screen interface {
	// Init starts the screen's first load.
	Init() tea.Cmd
	// Update handles a message the root passes on: keys and paste when the
	// screen is active, messages addressed to it, and broadcasts.
	Update(msg tea.Msg) tea.Cmd
	// View renders the screen's area, sized by the last SetSize.
	View() string
	// SetSize gives the area below the header and above the key hints.
	SetSize(width, height int)
	// SetStyles swaps the styles when the terminal's background is known.
	SetStyles(st *Styles)
	// Keys is the key map of what has focus, for the hints and the ?
	// overlay; the same bindings drive Update.
	Keys() help.KeyMap
	// Capturing reports that a text field has focus: the root then leaves
	// q, 1 2 3, tab and ? to the screen.
	Capturing() bool
	// Unsaved reports edits that would be lost on quitting.
	Unsaved() bool
}

// Summarizer is a screen with a line for the status bar (the record
// counts and the filter in force).
type Summarizer interface{ Summary() string }

// OpenReturnMsg asks the audit tab to show one return (from the coverage
// grid, say). The root switches to the audit tab and hands it there.
type OpenReturnMsg struct{ Key model.ReturnKey }

// OpenDossierMsg asks the audit tab for the dossier of one establishment
// or area, by any name the register knows. The root switches to the audit
// tab and hands it there.
type OpenDossierMsg struct{ Name string }
