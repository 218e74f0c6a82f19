package model

import "time"

// SignatoryService is what the screens and commands need of signatory
// storage. Every write is one transaction that also appends the record's
// history entry, attributed to by.
type SignatoryService interface {
	// Signatory returns one record, or ErrNotFound.
	Signatory(id uint64) (Signatory, error)
	// SignatoryPage returns up to limit records with ID greater than after,
	// in ID order: the first page of a large store shows before the rest loads.
	SignatoryPage(after uint64, limit int) ([]Signatory, error)
	// Signatories returns every record in ID order.
	Signatories() ([]Signatory, error)
	// CreateSignatory validates, assigns ID and Version 1, and stores s.
	// A duplicate organisation in the same region gives ErrExists.
	CreateSignatory(s *Signatory, by string) error
	// UpdateSignatory stores s if s.Version is the stored version (else
	// ErrConflict), and moves s.Version on by one.
	UpdateSignatory(s *Signatory, by string) error
	// DeleteSignatory removes a record if version is the stored one.
	DeleteSignatory(id, version uint64, by string) error
	// SignatoryHistory lists a record's changes, oldest first.
	SignatoryHistory(id uint64) ([]Change, error)
	// TierCounts is the aggregate kept up to date on every write.
	TierCounts() (TierCounts, error)
	// CountSignatories is the number of records, without reading them.
	CountSignatories() (int, error)
}

// AuditService is what the screens and commands need of audit storage.
type AuditService interface {
	// Audit returns every region's audit data with annotations filled in.
	Audit() (*Audit, error)
	// Annotate applies edit to a return's annotation if its version is
	// still version (else ErrConflict), recording one history entry per
	// field that changed. The source text is never touched.
	Annotate(key ReturnKey, version uint64, by string, edit func(*Annotation)) (Annotation, error)
	// ReturnHistory lists a return's annotation changes, oldest first.
	ReturnHistory(key ReturnKey) ([]AnnotationChange, error)
}

// EventKind says what an Event is about.
type EventKind int

const (
	EventSignatory  EventKind = iota + 1 // a signatory was created, changed or deleted
	EventAnnotation                      // a return's annotation changed
	EventImport                          // many records changed at once: reload everything
)

// Event tells other sessions that something changed. It is published only
// after the transaction commits, and carries no record: each listener
// re-reads what it needs, so no session ever shares another's memory.
type Event struct {
	// Seq numbers the events of one open database from 1, in the order
	// their transactions committed. A subscriber that keeps up sees every
	// number after the first it receives, each exactly once, in order.
	Seq     uint64    `json:"seq"`
	Kind    EventKind `json:"kind"`
	ID      uint64    `json:"id,omitempty"`
	Key     ReturnKey `json:"key,omitempty"`
	Version uint64    `json:"version,omitempty"`
	Deleted bool      `json:"deleted,omitempty"`
	By      string    `json:"by"`
	At      time.Time `json:"at"`
}

// EventService lets a session follow changes made by others.
//
// The contract: events arrive in Seq order with no gaps, or the channel is
// closed. Publishing never waits for a subscriber; one that falls behind
// (its buffer is full) has its channel closed instead of missing events
// silently. A closed channel therefore means "you may have missed
// changes": the subscriber reloads everything it shows from the service
// and then subscribes again (the terminal interface does exactly that).
// Closing the database closes every channel, and a Subscribe after that
// returns a channel that is already closed (so a subscriber whose fresh
// channel is closed at once should stop, not loop). The cancel function
// may be called at any time, more than once, and after the channel was
// closed.
type EventService interface {
	// Subscribe returns a channel of events and a function that ends the
	// subscription.
	Subscribe() (<-chan Event, func())
}

// ImportOptions steer an import.
type ImportOptions struct {
	// Update lets rows whose organisation and region already exist change
	// those records (with a history entry each); without it they are refused.
	Update bool
	// DryRun checks everything and reports what would happen, writing nothing.
	DryRun bool
	// Progress, if set, is called now and then with rows written so far.
	Progress func(done, total int)
}

// ImportResult counts what an import did (or, in a dry run, would do).
type ImportResult struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// Importer writes whole files at once: all of it, or nothing.
type Importer interface {
	// ImportSignatories writes rows in one transaction. Rows must already
	// be validated; existing organisations are refused unless opt.Update.
	// On any error nothing is written.
	ImportSignatories(rows []Signatory, opt ImportOptions, by string) (ImportResult, error)
	// ImportAudit adds or replaces the audit data of the regions it holds,
	// in one transaction, keeping existing annotations of returns that
	// remain.
	ImportAudit(a *Audit, opt ImportOptions, by string) (ImportResult, error)
}

// SettingsService keeps the settings of one database: for now the review
// period. It is apart from SignatoryService so that the services' doubles
// need not grow with every setting.
type SettingsService interface {
	// ReviewPeriod is the database's review period (DefaultReviewPeriod
	// when none was set).
	ReviewPeriod() (ReviewPeriod, error)
	// SetReviewPeriod validates and stores the review period; by is who
	// set it.
	SetReviewPeriod(p ReviewPeriod, by string) error
}
