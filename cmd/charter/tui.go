package main

import (
	"charter/tui"
)

func runTUI(e *env, g *globals) error {
	db, err := g.open()
	if err != nil {
		return err
	}
	defer db.Close()
	return tui.Run(tui.Options{
		Signatories: db,
		Audit:       db,
		Events:      db,
		Reviewer:    g.who(),
		DBPath:      db.Path(),
	})
}
