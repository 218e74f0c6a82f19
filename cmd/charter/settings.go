package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"charter/model"
)

// newSettingsCmd shows or changes the database's settings; for now the
// review period.
func newSettingsCmd(e *env, g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "settings [review-period MONTHS]",
		Short: "Show the database's settings, or set the review period",
		Long: `Show the database's settings, or set one. The review period is how many
months a review holds before the record is due again (1–120; 12 unless
set): the due column, the due: filter, the summary bar's due count, the
export's review_due and due_state columns and the report's overdue list
all follow it. Setting it records who (--reviewer) and when. The database
must exist.`,
		Example: `
charter settings
charter settings review-period 6 --reviewer priya
`,
		Args: func(cmd *cobra.Command, args []string) error {
			switch {
			case len(args) == 0:
				return nil
			case args[0] != "review-period":
				return usagef(cmd, "settings knows one setting, review-period, not %q", args[0])
			case len(args) != 2:
				return usagef(cmd, "settings review-period needs a number of months (1–%d)", int(model.MaxReviewPeriod))
			}
			return nil
		},
		ValidArgsFunction: func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(args) == 0 {
				return []string{"review-period"}, cobra.ShellCompDirectiveNoFileComp
			}
			return nil, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return showSettings(e, g)
			}
			n, err := strconv.Atoi(strings.TrimSpace(args[1]))
			if err != nil {
				return usagef(cmd, "review-period %q is not a whole number of months", args[1])
			}
			p := model.ReviewPeriod(n)
			if err := p.Validate(); err != nil {
				return usagef(cmd, "%s", err)
			}
			if err := mustExist(g.path()); err != nil {
				return err
			}
			db, err := g.open()
			if err != nil {
				return err
			}
			defer db.Close()
			if err := db.SetReviewPeriod(p, g.who()); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "review period: %s\n", months(p))
			return nil
		},
	}
	g.dbFlag(cmd)
	g.reviewerFlag(cmd)
	return cmd
}

func showSettings(e *env, g *globals) error {
	db, err := g.openForReading()
	if err != nil {
		return err
	}
	defer db.Close()
	r, ok := db.(interface {
		ReviewPeriod() (model.ReviewPeriod, error)
	})
	if !ok {
		return fmt.Errorf("this database cannot give its settings")
	}
	p, err := r.ReviewPeriod()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "review period: %s\n", months(p))
	return nil
}

func months(p model.ReviewPeriod) string {
	if p == 1 {
		return "1 month"
	}
	return fmt.Sprintf("%d months", int(p))
}
