package main

import (
	"time"

	"github.com/spf13/cobra"

	"charter/model"
)

func newReportCmd(e *env, g *globals) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Write the board's Markdown report",
		Long: `Write the board's report in Markdown: signatories by tier and area, who is
one commitment from the next tier, missing vacancy statements, the review
backlog, audit coverage, who sent no return, ratings, good practice and
the KPI figures. Only reads: a missing database is an error, never created.`,
		Example: `
charter report --out board.md
`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := g.openForReading()
			if err != nil {
				return err
			}
			defer db.Close()
			sigs, err := db.Signatories()
			if err != nil {
				return err
			}
			a, err := db.Audit()
			if err != nil {
				return err
			}
			opts, err := reportOptions()
			if err != nil {
				return err
			}
			return writeOutput(e, out, []byte(model.ReportWith(sigs, a, time.Now(), opts)))
		},
	}
	g.dbFlag(cmd)
	cmd.Flags().StringVarP(&out, "out", "o", "", "write the Markdown to FILE instead of standard output (created with your umask)")
	_ = cmd.MarkFlagFilename("out", "md")
	return cmd
}
