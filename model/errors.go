package model

import "errors"

// Error codes that callers test with errors.Is. Implementations wrap them
// with context ("store: update 42: %w").
var (
	// ErrNotFound: the record asked for does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict: the record changed since the caller read it (its version
	// moved on); the caller must reload or re-apply its change on top.
	ErrConflict = errors.New("record changed since it was opened")
	// ErrInvalid: input broke a rule; the error also carries field errors.
	ErrInvalid = errors.New("invalid")
	// ErrExists: a signatory with this organisation already exists in the region.
	ErrExists = errors.New("already exists")
	// ErrInUse: another process holds the database file.
	ErrInUse = errors.New("in use by another process")
	// ErrReadOnly: the session may look but not change anything.
	ErrReadOnly = errors.New("read-only access")
	// ErrSchema: the database was written by a newer charter.
	ErrSchema = errors.New("unsupported schema version")
)
