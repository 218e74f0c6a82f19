// Package dataset holds charter's embedded default data: the West Midlands
// returns of the 2006 Reducing Re-offending Alliances Audit, transcribed
// exactly into the text format described in docs/dataset-format.md, and a
// set of clearly fictional sample signatories in the interchange CSV.
// A fresh database is seeded from it.
package dataset

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"time"

	"charter/model"
)

//go:embed west-midlands.audit
var westMidlands []byte

//go:embed signatories.csv
var sampleSignatories []byte

// Audit parses the embedded West Midlands audit.
func Audit() (*model.Audit, error) {
	a, err := Parse(bytes.NewReader(westMidlands))
	if err != nil {
		return nil, fmt.Errorf("embedded dataset west-midlands.audit: %w", err)
	}
	return a, nil
}

// Signatories reads the embedded sample signatories.
func Signatories() ([]model.Signatory, error) {
	// The samples are dated well before any plausible clock; a fixed "today"
	// keeps them valid and the result the same everywhere.
	today := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	r, err := model.NewSignatoryReader(bytes.NewReader(sampleSignatories), today)
	if err != nil {
		return nil, fmt.Errorf("embedded signatories.csv: %w", err)
	}
	var out []model.Signatory
	for {
		s, _, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("embedded signatories.csv: %w", err)
		}
		out = append(out, s)
	}
}
