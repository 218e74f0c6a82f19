package main

import (
	"bytes"
	"encoding/json"
	"io"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"charter/model"
)

// exportKinds are what export writes (and what completion offers).
var exportKinds = []string{"signatories", "returns", "questions", "region"}

func newExportCmd(e *env, g *globals) *cobra.Command {
	var format, out, asAt string
	var sheet bool
	cmd := &cobra.Command{
		Use:   "export signatories|returns|questions|region [REGION]",
		Short: "Write signatories, audit returns, questions or a whole region",
		Long: `Write every signatory, every audit return with its reviewers' notes, or
every question with its prompt and benchmark, as CSV (the interchange
formats of docs/csv-format.md, which import reads back) or JSON; or
everything the database holds about one audit region (REGION, else the
first) as JSON (docs/region-format.md), which import returns reads back.
Only reads: a missing database is an error, never created. Works while the
workbench or the server holds the database (it reads a snapshot).

Written to a terminal, text from the data is neutralised (no escape
sequences or control characters reach the screen); written to a file or a
pipe, it is exact. A file meant for a spreadsheet wants --spreadsheet.

With --as-at DATE, export signatories writes the register as it stood at
the end of that day, rebuilt from each record's history: records created
later are left out, deleted ones come back, and every field, tier and
status is as it was; the due columns are reckoned on that day.`,
		Example: `
charter export signatories > signatories.csv
charter export returns --format json --out returns.json
charter export signatories --spreadsheet --out for-excel.csv
charter export signatories --as-at 2025-03-31 --out q4.csv
charter export questions --out questions.csv
charter export region "West Midlands" --out west-midlands.json
`,
		ValidArgsFunction: func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(args) == 0 {
				return exportKinds, cobra.ShellCompDirectiveNoFileComp
			}
			return nil, cobra.ShellCompDirectiveNoFileComp
		},
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 || !slices.Contains(exportKinds, args[0]) {
				return usagef(cmd, "export needs what to export: signatories, returns, questions or region")
			}
			if len(args) > 1 && (args[0] != "region" || len(args) > 2) {
				return usagef(cmd, "export %s takes no more arguments", args[0])
			}
			if args[0] == "region" {
				if cmd.Flags().Changed("format") && format != "json" {
					return usagef(cmd, "a region is exported as JSON only, not %q", format)
				}
				if sheet {
					return usagef(cmd, "--spreadsheet is for CSV; a region is exported as JSON")
				}
				format = "json"
			}
			if asAt != "" && args[0] != "signatories" {
				return usagef(cmd, "--as-at goes with export signatories")
			}
			if format != "csv" && format != "json" {
				return usagef(cmd, "--format must be csv or json, not %q", format)
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			switch args[0] {
			case "questions":
				return runExportQuestions(e, g, format, out, sheet)
			case "region":
				name := ""
				if len(args) == 2 {
					name = args[1]
				}
				return runExportRegion(e, g, name, out)
			}
			if args[0] == "signatories" && asAt != "" {
				day, err := parseAsAt(asAt, time.Now())
				if err != nil {
					return usagef(cmd, "%s", err)
				}
				return runExportAsAt(e, g, day, format, out, sheet)
			}
			return runExport(e, g, args[0], format, out, sheet)
		},
	}
	g.dbFlag(cmd)
	f := cmd.Flags()
	f.StringVarP(&format, "format", "f", "csv", "output format: csv or json")
	f.StringVarP(&out, "out", "o", "", "write to FILE instead of standard output (created with your umask)")
	f.StringVar(&asAt, "as-at", "", "with signatories: "+asAtFlagUsage)
	f.BoolVar(&sheet, "spreadsheet", false, "for a spreadsheet: put ' before cells starting =, +, -, @, tab or CR, so they are not run as formulas")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"csv", "json"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.MarkFlagFilename("out")
	return cmd
}

func runExport(e *env, g *globals, what, format, out string, sheet bool) error {
	db, err := g.openForReading()
	if err != nil {
		return err
	}
	defer db.Close()

	var buf bytes.Buffer
	switch what {
	case "signatories":
		rows, err := db.Signatories()
		if err != nil {
			return err
		}
		x := model.SignatoryExport{Period: reviewPeriodOf(db), Today: time.Now(), GuardFormulas: sheet}
		if err := encodeSignatories(&buf, x, rows, format); err != nil {
			return err
		}
	case "returns":
		a, err := db.Audit()
		if err != nil {
			return err
		}
		if format == "csv" {
			err = model.WriteReturnsCSV(&buf, a, sheet)
		} else {
			err = writeJSON(&buf, model.ReturnsJSON(a))
		}
		if err != nil {
			return err
		}
	}
	return writeOutput(e, out, buf.Bytes())
}

// runExportAsAt writes the signatories as they stood at the end of day.
func runExportAsAt(e *env, g *globals, day time.Time, format, out string, sheet bool) error {
	db, err := g.openForReading()
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := registerAsAt(db, day)
	if err != nil {
		return err
	}
	x := model.SignatoryExport{Period: reviewPeriodOf(db), Today: day, GuardFormulas: sheet}
	var buf bytes.Buffer
	if err := encodeSignatories(&buf, x, rows, format); err != nil {
		return err
	}
	return writeOutput(e, out, buf.Bytes())
}

// reviewPeriodOf is the database's review period, or the default when
// it cannot say.
func reviewPeriodOf(db any) model.ReviewPeriod {
	if r, ok := db.(interface {
		ReviewPeriod() (model.ReviewPeriod, error)
	}); ok {
		if p, err := r.ReviewPeriod(); err == nil {
			return p
		}
	}
	return model.DefaultReviewPeriod
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// encodeSignatories writes rows as x exports them, in CSV or JSON.
func encodeSignatories(buf *bytes.Buffer, x model.SignatoryExport, rows []model.Signatory, format string) error {
	if format == "csv" {
		return x.WriteCSV(buf, rows)
	}
	return writeJSON(buf, x.JSON(rows))
}
