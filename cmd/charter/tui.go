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
		Settings:    db,
		Reviewer:    g.who(),
		DBPath:      db.Path(),
		Editor:      editorCommand(e.getenv),
	})
}

// editorCommand is the reviewer's own editor for long comments, chosen
// as git chooses it: $VISUAL, then $EDITOR; none leaves the text area.
func editorCommand(getenv func(string) string) string {
	if v := getenv("VISUAL"); v != "" {
		return v
	}
	return getenv("EDITOR")
}
