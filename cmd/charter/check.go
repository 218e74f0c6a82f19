package main

import (
	"fmt"
	"time"

	"charter/store"
)

func runCheck(e *env, g *globals, args []string) int {
	fs := subFlags(e, g, "check", "check [FILE]   (default: the --db database)")
	if code, done := parseSub(fs, e, args); done {
		return code
	}
	if fs.NArg() > 1 {
		return usageError(e, "check takes at most one file")
	}
	path := g.db
	if fs.NArg() == 1 {
		path = fs.Arg(0)
	}
	if err := store.CheckFile(path); err != nil {
		fmt.Fprintf(e.stderr, "charter: check %s: %v\n", path, err)
		return exitRuntime
	}
	fmt.Fprintf(e.stdout, "ok: %s\n", path)
	return exitOK
}

func runBackup(e *env, g *globals, args []string) int {
	fs := subFlags(e, g, "backup", "backup FILE")
	if code, done := parseSub(fs, e, args); done {
		return code
	}
	if fs.NArg() != 1 {
		return usageError(e, "backup needs the file to write")
	}
	dst := fs.Arg(0)
	start := time.Now()
	if err := store.Backup(g.db, dst, 5*time.Minute); err != nil {
		return fail(e, err)
	}
	if err := store.CheckFile(dst); err != nil {
		return fail(e, fmt.Errorf("the backup %s does not pass its check: %w", dst, err))
	}
	fmt.Fprintf(e.stdout, "backed up %s to %s in %v (checked)\n", g.db, dst, time.Since(start).Round(time.Millisecond))
	return exitOK
}
