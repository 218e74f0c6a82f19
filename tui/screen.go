package tui

import (
	"time"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"charter/model"
)

// Options are everything the screens need from outside. They are passed to
// New and on to each screen's constructor; nothing is global.
type Options struct {
	Signatories model.SignatoryService
	Audit       model.AuditService
	// Events, if set, delivers other sessions' changes (nil: none).
	Events model.EventService
	// Reviewer names the person whose edits are recorded in history.
	Reviewer string
	// ReadOnly sessions can look but not change; the services enforce it
	// too, the screens only avoid offering what would be refused.
	ReadOnly bool
	// DBPath is shown in the status bar.
	DBPath string
	// Now gives the reviewer's clock; nil means time.Now.
	Now func() time.Time
}

func (o *Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// screen is what the root model needs of each tab. Screens are pointers
// and change in place; they do no I/O in Update (reads and writes go in a
// tea.Cmd that returns a message).
type screen interface {
	// Init starts the screen's first load.
	Init() tea.Cmd
	// Update handles a message the root passes on.
	Update(msg tea.Msg) tea.Cmd
	// View renders the screen's area, sized by the last SetSize.
	View() string
	// SetSize gives the area below the header and above the status bar.
	SetSize(width, height int)
	// SetStyles swaps the styles when the terminal's background is known.
	SetStyles(st *Styles)
	// Keys is the screen's key map, for the help bar and the ? overlay.
	Keys() help.KeyMap
	// Capturing reports that a text field has focus: the root then leaves
	// q, 1 2 3, tab and ? to the screen.
	Capturing() bool
}

// statusMsg puts a message in the status bar.
type statusMsg struct {
	text string
	err  bool
}

// setStatus is a Cmd that shows a message in the status bar.
func setStatus(text string, isErr bool) tea.Cmd {
	return func() tea.Msg { return statusMsg{text: text, err: isErr} }
}

// changedMsg carries another session's (or this one's) committed change;
// the root passes it to every screen, and each re-reads what it shows.
type changedMsg struct{ model.Event }

// NoticeMsg is news from outside the screens, such as the SSH server saying
// that the session is about to end; the root shows it in the status bar.
type NoticeMsg struct{ Text string }
