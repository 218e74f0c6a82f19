// Command charter is the workbench of the West Midlands Second Chances
// Charter task-and-finish group: a terminal interface for checking
// signatories and reviewing audit returns, and subcommands for scripts.
// This package only parses flags and wires the store to the screens.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"charm.land/fang/v2"
	"github.com/spf13/cobra"

	"charter/model"
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
	// isTerminal reports whether a writer is a terminal (for progress
	// bars, and to neutralise data written to a screen).
	isTerminal func(io.Writer) bool
}

func (e *env) terminal(w io.Writer) bool { return e.isTerminal != nil && e.isTerminal(w) }

func main() {
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, isTerminal: isTerminal}
	os.Exit(run(os.Args[1:], e))
}

// usageErr is a mistake in how charter was called: exit code 2.
type usageErr struct {
	err  error
	path string // the command, for the "--help" hint
}

func (u *usageErr) Error() string { return u.err.Error() }
func (u *usageErr) Unwrap() error { return u.err }

// usagef makes a usage error for a command.
func usagef(cmd *cobra.Command, format string, args ...any) error {
	return &usageErr{err: fmt.Errorf(format, args...), path: cmd.CommandPath()}
}

// reported is a runtime failure whose explanation the command has already
// printed (an import's list of problems): exit code 1, nothing more said.
type reported struct{ msg string }

func (r *reported) Error() string { return r.msg }

// run builds the command tree, runs it and turns the outcome into an exit
// code: 0 ok, 1 runtime error, 2 usage error.
func run(args []string, e *env) int {
	root := newRoot(e)
	root.SetArgs(args)
	err := fang.Execute(context.Background(), root,
		fang.WithVersion(version()),
		fang.WithoutManpage(), // our own `man` writes to the command's output, so it is testable
		fang.WithErrorHandler(printError),
	)
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, new(*usageErr)):
		return exitUsage
	default:
		return exitRuntime
	}
}

// printError writes an error for a person: one plain line on standard
// error, sanitised (it may quote a file name or a cell), and for a usage
// error where to find help.
func printError(w io.Writer, _ fang.Styles, err error) {
	if errors.As(err, new(*reported)) {
		return
	}
	fmt.Fprintf(w, "charter: %s\n", model.Sanitize(err.Error(), true)) // keeps the lines of a list of faults
	var u *usageErr
	if errors.As(err, &u) {
		fmt.Fprintf(w, "Run '%s --help' for usage.\n", u.path)
	}
}

const rootLong = `The workbench of the West Midlands Second Chances Charter group: check
employers' sign-ups to the charter and review the Reducing Re-offending
Alliances audit returns. Without a command, charter opens the workbench in
the terminal. The database is --db, else $CHARTER_DB, else
$XDG_DATA_HOME/charter/charter.db (~/.local/share/charter/charter.db); the
workbench, serve and import create it on first use with the West Midlands
audit and 40 fictional sample signatories. Commands that only read never
create it.

Exit codes: 0 ok, 1 error, 2 usage.`

const rootExample = `
# Open the workbench:
charter
charter --db team.db --reviewer priya

# Export, import, report, a dossier:
charter export returns --format csv --out returns.csv
charter import signatories --dry-run new-signups.csv
charter report --out board.md
charter dossier featherstone

# Safe copies:
charter backup charter-backup.db && charter check charter-backup.db
`

func newRoot(e *env) *cobra.Command {
	g := &globals{e: e}
	root := &cobra.Command{
		Use:     "charter",
		Short:   "The Second Chances Charter workbench",
		Long:    rootLong,
		Example: rootExample,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef(cmd, "unknown command %q", args[0])
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error { return runTUI(e, g) },
		// Runs before every command: an empty --db= would otherwise mean
		// the default database, which is not what was typed.
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			for _, name := range []string{"db", "reviewer"} {
				if f := cmd.Flags().Lookup(name); f != nil && f.Changed && f.Value.String() == "" {
					return usagef(cmd, "--%s needs a value", name)
				}
			}
			return nil
		},
	}
	root.SetIn(e.stdin)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return &usageErr{err: err, path: cmd.CommandPath()}
	})
	g.dbFlag(root)
	g.reviewerFlag(root)
	root.AddCommand(
		newExportCmd(e, g),
		newImportCmd(e, g),
		newReportCmd(e, g),
		newDossierCmd(e, g),
		newBackupCmd(e, g),
		newCheckCmd(e, g),
		newSettingsCmd(e, g),
		newServeCmd(e, g),
		newManCmd(),
	)
	root.SetHelpCommand(newHelpCmd())
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() == "completion" {
			// Without a shell, cobra would print help and exit 0.
			c.RunE = func(cmd *cobra.Command, _ []string) error {
				return usagef(cmd, "completion needs a shell: bash, zsh, fish or powershell")
			}
		}
	}
	wrapArgs(root)
	unwrapLong(root)
	return root
}

// unwrapLong joins the lines of each paragraph of the commands' long
// descriptions, which are written wrapped for reading here: fang wraps
// them again to the terminal's width, and the man page would otherwise
// break every line into a paragraph. Indented lines (lists) keep their
// breaks.
func unwrapLong(c *cobra.Command) {
	for _, sub := range c.Commands() {
		unwrapLong(sub)
	}
	lines := strings.Split(c.Long, "\n")
	var b strings.Builder
	for i, line := range lines {
		if i > 0 {
			prev := lines[i-1]
			if prev == "" || line == "" || strings.HasPrefix(line, " ") || strings.HasPrefix(prev, " ") {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteString(line)
	}
	c.Long = b.String()
}

// newHelpCmd is `charter help [command]`; unlike cobra's own, an unknown
// topic is a usage error.
func newHelpCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "Help about any command",
		ValidArgsFunction: func(cmd *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			var names []string
			for _, c := range cmd.Root().Commands() {
				if c.IsAvailableCommand() {
					names = append(names, c.Name())
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			target, rest, err := cmd.Root().Find(args)
			if err != nil || (target == cmd.Root() && len(rest) > 0) {
				return usagef(cmd.Root(), "no help for %q: there is no such command", strings.Join(args, " "))
			}
			target.InitDefaultHelpFlag() // as `COMMAND --help` would, so the help lists it
			target.InitDefaultVersionFlag()
			return target.Help()
		},
	}
}

// wrapArgs makes wrong arguments usage errors, whichever command (ours or
// cobra's own completion commands) checks them.
func wrapArgs(c *cobra.Command) {
	for _, sub := range c.Commands() {
		wrapArgs(sub)
	}
	if c.Args == nil {
		return
	}
	check := c.Args
	c.Args = func(cmd *cobra.Command, args []string) error {
		err := check(cmd, args)
		if err == nil || errors.As(err, new(*usageErr)) {
			return err
		}
		return &usageErr{err: err, path: cmd.CommandPath()}
	}
}

// version is the module's version as the build recorded it: a release tag
// for `go install charter@vX`, else the checkout's pseudo-version or
// revision (with "+dirty" for uncommitted changes).
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown (no build information)"
	}
	var rev, at string
	dirty := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	v := info.Main.Version
	if v != "" && v != "(devel)" {
		return v
	}
	if rev == "" {
		return "devel (built without version control information)"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "+dirty"
	}
	if at != "" {
		return fmt.Sprintf("devel %s (%s)", rev, at)
	}
	return "devel " + rev
}
