package main

import (
	"errors"
	"fmt"
	"time"

	"charter/model"
)

// asAtFlagUsage is the help of --as-at, for export and report alike.
const asAtFlagUsage = "the register as it stood at the end of DATE (YYYY-MM-DD, UTC), rebuilt from history"

// parseAsAt reads an --as-at date: a calendar day, not after today.
func parseAsAt(v string, now time.Time) (time.Time, error) {
	d, err := time.Parse(model.DateLayout, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("--as-at %q is not a date (YYYY-MM-DD)", v)
	}
	if d.After(now.UTC()) {
		return time.Time{}, fmt.Errorf("--as-at %s is in the future", v)
	}
	return d, nil
}

// signatoryHistoryReader is a database that can give every record's history.
type signatoryHistoryReader interface {
	AllSignatoryHistory() (map[uint64][]model.Change, error)
}

// registerAsAt is the register as it stood at the end of day.
func registerAsAt(db reader, day time.Time) ([]model.Signatory, error) {
	h, ok := db.(signatoryHistoryReader)
	if !ok {
		return nil, errors.New("this database cannot give its history, so --as-at cannot rebuild the register")
	}
	current, err := db.Signatories()
	if err != nil {
		return nil, err
	}
	hist, err := h.AllSignatoryHistory()
	if err != nil {
		return nil, err
	}
	return model.RegisterAsAt(current, hist, day)
}
