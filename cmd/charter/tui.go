package main

import (
	"charter/tui"
)

func runTUI(e *env, g *globals) int {
	db, err := g.open(false)
	if err != nil {
		return fail(e, err)
	}
	defer db.Close()
	err = tui.Run(tui.Options{
		Signatories: db,
		Audit:       db,
		Events:      db,
		Reviewer:    g.reviewer,
		DBPath:      db.Path(),
	})
	if err != nil {
		return fail(e, err)
	}
	return exitOK
}
