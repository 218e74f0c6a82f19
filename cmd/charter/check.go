package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"charter/model"
	"charter/store"
)

func newCheckCmd(e *env, g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "check [FILE]",
		Short: "Verify a database file (or a backup) and count what it holds",
		Long: `Verify a database file: bbolt's own page check, the schema, the organisation
index, the tier counts, every record's history and every annotation. FILE
defaults to the --db database. Works while the workbench or the server
holds the file (the holder checks its consistent state). Prints the schema
version and the record counts. Only reads: a missing file is an error.`,
		Example: `
charter check
charter check charter-backup.db
`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := g.path()
			if len(args) == 1 {
				path = args[0]
			}
			if err := mustExist(path); err != nil {
				return err
			}
			rep, err := store.CheckPath(path, time.Minute)
			if err != nil {
				return fmt.Errorf("check %s: %w", path, err)
			}
			fmt.Fprintf(e.stdout, "ok: %s\n%s", model.SanitizeLine(path), checkSummary(rep))
			return nil
		},
	}
	g.dbFlag(cmd)
	return cmd
}

// checkSummary is a report's schema version and counts, one per line.
func checkSummary(r store.CheckReport) string {
	held := ""
	if r.ViaHolder {
		held = "  (checked by the process holding it)\n"
	}
	return fmt.Sprintf("  schema version %d\n  %s\n  %s in %s\n  %s\n%s",
		r.Schema, plural(r.Signatories, "signatory", "signatories"),
		plural(r.Returns, "return", "returns"), plural(r.Regions, "region", "regions"),
		plural(r.Annotations, "annotated return", "annotated returns"), held)
}

// plural says "1 signatory", "2 signatories".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func newBackupCmd(e *env, g *globals) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "backup FILE",
		Short: "Copy the database safely, even while it is in use",
		Long: `Copy the database to FILE as one consistent snapshot, even while the
workbench or the server has it open (the holder writes the copy), then
verify the copy (size, checksum and a full check). An existing FILE is
refused unless --force is given.`,
		Example: `
charter backup charter-backup.db && charter check charter-backup.db
`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef(cmd, "backup needs the file to write")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			src := g.path()
			if err := mustExist(src); err != nil {
				return err
			}
			start := time.Now()
			res, err := store.Backup(src, args[0], store.BackupOptions{Force: force, Timeout: 5 * time.Minute})
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "backed up %s to %s in %v (checked)\n%s", model.SanitizeLine(src), model.SanitizeLine(res.Path),
				time.Since(start).Round(time.Millisecond), checkSummary(res.Check))
			return nil
		},
	}
	g.dbFlag(cmd)
	cmd.Flags().BoolVar(&force, "force", false, "replace FILE if it exists")
	return cmd
}
