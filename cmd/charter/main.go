// Command charter is the workbench of the West Midlands Second Chances
// Charter task-and-finish group: a terminal interface for checking
// signatories and reviewing audit returns, and subcommands for scripts.
// This package only parses flags and wires the store to the screens.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// Exit codes.
const (
	exitOK      = 0
	exitRuntime = 1
	exitUsage   = 2
)

// env is what a run sees of the outside world, so tests can run commands
// in-process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	// isTerminal reports whether a writer is a terminal (for progress bars).
	isTerminal func(io.Writer) bool
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(e *env, g *globals, args []string) int
}

func commands() []command {
	return []command{
		{"export", "write signatories or audit returns as CSV or JSON", runExport},
		{"import", "read signatories or another region's audit returns from CSV, all or nothing", runImport},
		{"report", "write the board's Markdown report", runReport},
		{"backup", "copy the database safely, even while it is in use", runBackup},
		{"check", "verify a database file (or a backup)", runCheck},
		{"serve", "serve the workbench to the group over SSH", runServe},
	}
}

func main() {
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, isTerminal: isTerminal}
	os.Exit(run(os.Args[1:], e))
}

// run parses the global flags, then runs the TUI or a subcommand.
func run(args []string, e *env) int {
	g := &globals{}
	fs := flag.NewFlagSet("charter", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	g.register(fs, e)
	fs.Usage = func() { usage(e.stderr) }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(e.stdout)
			return exitOK
		}
		return exitUsage
	}
	rest := fs.Args()
	if len(rest) == 0 {
		return runTUI(e, g)
	}
	name := rest[0]
	if name == "help" {
		if len(rest) > 1 {
			for _, c := range commands() {
				if c.name == rest[1] {
					return c.run(e, g, []string{"--help"})
				}
			}
		}
		usage(e.stdout)
		return exitOK
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(e, g, rest[1:])
		}
	}
	fmt.Fprintf(e.stderr, "charter: unknown command %q\n\n", name)
	usage(e.stderr)
	return exitUsage
}

func usage(w io.Writer) {
	var b strings.Builder
	b.WriteString(`charter — the Second Chances Charter workbench

Usage:
  charter [--db PATH] [--reviewer NAME]        open the workbench (TUI)
  charter [--db PATH] COMMAND [flags] [args]   run a command

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-8s %s\n", c.name, c.summary)
	}
	b.WriteString(`
Global flags (also accepted after a command):
  --db PATH         database file (default $CHARTER_DB, else
                    $XDG_DATA_HOME/charter/charter.db, else ~/.local/share/charter/charter.db);
                    created and seeded with the West Midlands audit on first use
  --reviewer NAME   name recorded in history (default: your user name)

Examples:
  charter
  charter export returns --format csv --out returns.csv
  charter import signatories --dry-run new-signups.csv
  charter report --out board.md
  charter backup charter-backup.db && charter check charter-backup.db

Run "charter COMMAND --help" for a command's flags. Exit codes: 0 ok, 1 error, 2 usage.
`)
	io.WriteString(w, b.String())
}

// subFlags makes a command's flag set, with the global flags accepted too.
func subFlags(e *env, g *globals, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet("charter "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	g.register(fs, e)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: charter %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseSub parses a command's flags; done is set when the run should end
// with code (help was shown, or the flags were wrong).
// Flags may come before, between or after the arguments
// (`export returns --format csv`), as people type them.
func parseSub(fs *flag.FlagSet, e *env, args []string) (code int, done bool) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.SetOutput(e.stdout)
				fs.Usage()
				return exitOK, true
			}
			return exitUsage, true
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		positional = append(positional, rest[0])
		args = rest[1:]
		if rest[0] == "--" {
			positional = append(positional[:len(positional)-1], args...)
			break
		}
	}
	// Re-parse only the positional arguments so fs.Args() returns them.
	fs.Parse(append([]string{"--"}, positional...))
	return exitOK, false
}

// usageError prints a usage problem and returns the usage exit code.
func usageError(e *env, format string, args ...any) int {
	fmt.Fprintf(e.stderr, "charter: "+format+"\n", args...)
	return exitUsage
}

// fail prints a runtime error and returns the runtime exit code.
func fail(e *env, err error) int {
	fmt.Fprintf(e.stderr, "charter: %v\n", err)
	return exitRuntime
}
