package main

import (
	"bytes"
	"strings"

	"github.com/spf13/cobra"

	"charter/model"
	"charter/store/dataset"
)

func newDossierCmd(e *env, g *globals) *cobra.Command {
	var format, out string
	cmd := &cobra.Command{
		Use:   "dossier NAME",
		Short: "Everything the audit holds about one establishment or area",
		Long: `Write the dossier of one prison, probation area or organisation: its
returns in every alliance with their status and rating, every place another
respondent's answer, a regional comment or the summary report names it (by
any spelling the source uses), its row of the pathway matrix with the
pathway names, and whether it sent a return in each alliance.

NAME is matched through the names register, ignoring case and punctuation,
by its name or any variant the source prints ("Hewll Grange", "HMP
Birmingham", "West Mids PA"); it may be given as several words. An unknown
name is an error (exit 1) naming the nearest names. An imported region's
prisons and probation areas are found by the names its returns give.

Only reads: a missing database is an error, never created.`,
		Example: `
charter dossier featherstone
charter dossier hewell grange --format json --out hewell.json
charter dossier "West Mids PA" --out west-midlands.md
`,
		ValidArgsFunction: func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			reg, err := dataset.Names()
			if err != nil {
				return nil, cobra.ShellCompDirectiveError
			}
			var names []string
			for _, en := range reg.Entries() {
				names = append(names, en.Name)
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 || strings.TrimSpace(strings.Join(args, " ")) == "" {
				return usagef(cmd, "dossier needs the name of a prison, probation area or organisation")
			}
			if format != "md" && format != "json" {
				return usagef(cmd, "--format must be md or json, not %q", format)
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDossier(e, g, strings.Join(args, " "), format, out)
		},
	}
	g.dbFlag(cmd)
	f := cmd.Flags()
	f.StringVarP(&format, "format", "f", "md", "output format: md (Markdown) or json")
	f.StringVarP(&out, "out", "o", "", "write to FILE instead of standard output (created with your umask)")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"md", "json"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.MarkFlagFilename("out")
	return cmd
}

func runDossier(e *env, g *globals, name, format, out string) error {
	a, err := g.readAudit()
	if err != nil {
		return err
	}
	reg, err := dataset.Names()
	if err != nil {
		return err
	}
	if reg, err = model.RegisterWithRespondents(reg, a); err != nil {
		return err
	}
	d, err := model.BuildDossier(a, reg, name)
	if err != nil {
		return err // an unknown name lists the nearest ones
	}
	if format == "json" {
		var buf bytes.Buffer
		if err := writeJSON(&buf, d); err != nil {
			return err
		}
		return writeOutput(e, out, buf.Bytes())
	}
	return writeOutput(e, out, []byte(d.Markdown()))
}
