package main

import (
	"bytes"
	"fmt"

	"charter/model"
)

// historyReader is a database that can give a return's annotation history
// (the store does; a region export includes it when it can).
type historyReader interface {
	ReturnHistory(model.ReturnKey) ([]model.AnnotationChange, error)
}

// runExportQuestions writes every question of every region with its prompt
// and benchmark, as CSV (docs/csv-format.md) or JSON.
func runExportQuestions(e *env, g *globals, format, out string, sheet bool) error {
	a, err := g.readAudit()
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if format == "csv" {
		err = model.WriteQuestionsCSV(&buf, a, sheet)
	} else {
		err = writeJSON(&buf, model.QuestionsJSON(a))
	}
	if err != nil {
		return err
	}
	return writeOutput(e, out, buf.Bytes())
}

// runExportRegion writes everything the database holds about one region
// (the first when name is empty) as JSON: docs/region-format.md.
func runExportRegion(e *env, g *globals, name, out string) error {
	db, err := g.openForReading()
	if err != nil {
		return err
	}
	defer db.Close()
	a, err := db.Audit()
	if err != nil {
		return err
	}
	region, err := model.FindRegion(a, name)
	if err != nil {
		return err
	}
	var history func(model.ReturnKey) ([]model.AnnotationChange, error)
	if h, ok := db.(historyReader); ok {
		history = h.ReturnHistory
	}
	x, err := model.NewRegionExport(a, region, history)
	if err != nil {
		return fmt.Errorf("export region %s: %w", region, err)
	}
	var buf bytes.Buffer
	if err := writeJSON(&buf, x); err != nil {
		return err
	}
	return writeOutput(e, out, buf.Bytes())
}
