package common

import (
	"time"

	"charter/model"
	"charter/tui/rowindex"
)

// Options are everything the screens need from outside. They are passed to
// each screen's constructor; nothing is global.
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
	// Editor is the command that edits long text (a comment) in the
	// reviewer's own editor, as git and gh use $VISUAL or $EDITOR. Only a
	// session on the reviewer's own terminal sets it: over SSH the command
	// would run on the server. Empty: the text area alone.
	Editor string
	// Now gives the reviewer's clock; nil means time.Now.
	Now func() time.Time
	// Settings, if set, gives the database's settings (the review
	// period the Due column and due: filters use); nil: the defaults.
	Settings model.SettingsService
	// SignatoryRows, if set, is the copy of the signatory rows this
	// session shares with others (a server's); nil: the signatories
	// screen keeps its own, read from Signatories.
	SignatoryRows *rowindex.Shared
}

// Time is the reviewer's clock.
func (o *Options) Time() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}
