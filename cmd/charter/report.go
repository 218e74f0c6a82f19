package main

import (
	"time"

	"charter/model"
)

func runReport(e *env, g *globals, args []string) int {
	fs := subFlags(e, g, "report", "report [--out FILE]")
	out := fs.String("out", "", "write the Markdown to `FILE` instead of standard output")
	if code, done := parseSub(fs, e, args); done {
		return code
	}
	if fs.NArg() != 0 {
		return usageError(e, "report takes no arguments")
	}
	db, err := g.openForReading()
	if err != nil {
		return fail(e, err)
	}
	defer db.Close()
	sigs, err := db.Signatories()
	if err != nil {
		return fail(e, err)
	}
	a, err := db.Audit()
	if err != nil {
		return fail(e, err)
	}
	if err := writeOutput(e, *out, []byte(model.Report(sigs, a, time.Now()))); err != nil {
		return fail(e, err)
	}
	return exitOK
}
