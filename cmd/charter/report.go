package main

import (
	"time"

	"github.com/spf13/cobra"

	"charter/model"
)

func newReportCmd(e *env, g *globals) *cobra.Command {
	var out, asAt string
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Write the board's Markdown report",
		Long: `Write the board's report in Markdown: an opening summary; signatories by
tier and area, who is one commitment from the next tier, missing vacancy
statements and the review backlog, with a clear line while they are the
fictional samples a new database holds; audit coverage by return and by
establishment ("10 of 14 prisons returned"), who sent no return, ratings
and good practice; the regional comments; the pathway matrix with the
pathway names (inferred: the source prints only numbers); and the summary
report with its KPI figures. Only reads: a missing database is an error,
never created.

With --as-at DATE, the signatories' figures are the register as it stood
at the end of that day, rebuilt from history (tiers, statuses, who was
signed), and the report is dated that day, so a past quarter's board
figures can be reproduced after the records have moved on. The audit
returns are as they are now.`,
		Example: `
charter report --out board.md
charter report --as-at 2025-03-31 --out q4-board.md
`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := g.openForReading()
			if err != nil {
				return err
			}
			defer db.Close()
			today := time.Now()
			var sigs []model.Signatory
			if asAt != "" {
				day, err := parseAsAt(asAt, today)
				if err != nil {
					return usagef(cmd, "%s", err)
				}
				today = day
				sigs, err = registerAsAt(db, day)
			} else {
				sigs, err = db.Signatories()
			}
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
			opts.ReviewPeriod = reviewPeriodOf(db)
			return writeOutput(e, out, []byte(model.ReportWith(sigs, a, today, opts)))
		},
	}
	g.dbFlag(cmd)
	cmd.Flags().StringVarP(&out, "out", "o", "", "write the Markdown to FILE instead of standard output (created with your umask)")
	cmd.Flags().StringVar(&asAt, "as-at", "", asAtFlagUsage)
	_ = cmd.MarkFlagFilename("out", "md")
	return cmd
}
