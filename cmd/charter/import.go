package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"charm.land/bubbles/v2/progress"
	"github.com/spf13/cobra"

	"charter/model"
	"charter/store"
)

// maxShown bounds how many row problems an import prints.
const maxShown = 100

// progressFrom is the size from which an import shows progress.
const progressFrom = 5000

func newImportCmd(e *env, g *globals) *cobra.Command {
	var opt model.ImportOptions
	var questions string
	var asNew bool
	cmd := &cobra.Command{
		Use:   "import signatories|returns FILE|-",
		Short: "Read signatories or another region's audit from CSV or a region export, all or nothing",
		Long: `Read a CSV file (or - for standard input) in the interchange format and
store it in one transaction: every row is checked first, every problem is
reported with its line, and if there is any problem nothing is written.

The signatories columns (organisation, sector, region and signed_on are
required):
  organisation, contact_name, email, sector, region, local_area, employees,
  signed_by, signed_on, commitments, vacancy_statement, review_status, notes
and, as export writes them, last_reviewed_on, last_reviewed_by,
withdrawn_on and withdrawn_reason (the derived tier, evidenced_tier,
evidenced_commitments, review_due and due_state are ignored).

Clashes with the database come in the same pass as the rows' problems,
each with its line. An organisation already signed up in its region needs
--update. A row that only looks like a stored organisation or an earlier
row (the same name once case, punctuation, "&" and legal forms such as Ltd
or Limited are set aside, or the same own email domain and local area) is
reported with the reason and never merged: give it the stored name and
region and --update to change that record, or --as-new to add it as
another organisation. --dry-run --update prints what each record would
change.

The returns columns (question_group may be left out):
  region, alliance, strand, respondent_kind, respondent, question_id,
  question, status, answer, rating, good_practice, comment, question_group

With --questions FILE, the returns come with their questions' prompts
and benchmarks (a questions file as export questions writes it). A region
export (JSON, as export region writes it) may be given instead of a returns
CSV; it carries its own questions, comments, matrix and summary.

Every column, its values and its rules: docs/csv-format.md and
docs/region-format.md in the charter repository.

A new database is created (with the sample data) if there is none; a dry
run never creates one.`,
		Example: `
charter import signatories --dry-run new-signups.csv
charter import signatories --update --reviewer priya new-signups.csv
charter import signatories --update --dry-run changes.csv
charter import signatories --as-new new-signups.csv
charter import returns north-east.csv
charter import returns --questions north-east-questions.csv north-east.csv
charter import returns north-east.json
`,
		ValidArgsFunction: func(cmd *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(args) == 0 {
				return []string{"signatories", "returns"}, cobra.ShellCompDirectiveNoFileComp
			}
			if len(args) == 1 {
				return []string{"csv"}, cobra.ShellCompDirectiveFilterFileExt
			}
			return nil, cobra.ShellCompDirectiveNoFileComp
		},
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 2 || (args[0] != "signatories" && args[0] != "returns") {
				return usagef(cmd, "import needs what to import (signatories or returns) and a file (or - for standard input)")
			}
			if asNew && args[0] != "signatories" {
				return usagef(cmd, "--as-new goes with import signatories")
			}
			if questions != "" && args[0] != "returns" {
				return usagef(cmd, "--questions goes with import returns")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			in, closeIn, err := openInput(e, args[1])
			if err != nil {
				return err
			}
			defer closeIn()
			if args[0] == "returns" {
				return importAudit(e, g, in, questions, opt)
			}
			return importSignatories(e, g, in, opt, asNew)
		},
	}
	g.dbFlag(cmd)
	g.reviewerFlag(cmd)
	f := cmd.Flags()
	f.BoolVar(&opt.Update, "update", false, "change records whose organisation (or region) already exists, recording the change in their history")
	f.BoolVarP(&opt.DryRun, "dry-run", "n", false, "check everything and say what would happen, writing nothing")
	f.BoolVar(&asNew, "as-new", false, "with signatories: add a row that only looks like a stored organisation (or an earlier row) as another organisation")
	f.StringVar(&questions, "questions", "", "with returns: a questions FILE (CSV or JSON) giving their prompts and benchmarks")
	_ = cmd.MarkFlagFilename("questions", "csv", "json")
	return cmd
}

// openImportTarget opens the database an import writes to. A dry run on
// a database that does not exist yet runs against a fresh one in a
// temporary directory (with the same sample data a real import would
// create), so it reports truly and still creates nothing at the path.
func openImportTarget(g *globals, opt model.ImportOptions) (*store.DB, func(), error) {
	if opt.DryRun {
		if _, err := os.Stat(g.path()); errors.Is(err, os.ErrNotExist) {
			dir, err := os.MkdirTemp("", "charter-dry-run-")
			if err != nil {
				return nil, nil, err
			}
			db, err := store.Open(filepath.Join(dir, "dry-run.db"), store.Options{Now: time.Now})
			if err != nil {
				os.RemoveAll(dir)
				return nil, nil, err
			}
			return db, func() { db.Close(); os.RemoveAll(dir) }, nil
		}
	}
	db, err := g.open()
	if err != nil {
		return nil, nil, err
	}
	return db, func() { db.Close() }, nil
}

func openInput(e *env, name string) (io.Reader, func(), error) {
	if name == "-" {
		return e.stdin, func() {}, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, err
	}
	return f, func() { f.Close() }, nil
}

// problems collects row problems: the first maxShown in full, the rest counted.
type problems struct {
	shown []string
	more  int
}

func (p *problems) add(msg string) {
	if len(p.shown) < maxShown {
		p.shown = append(p.shown, msg)
	} else {
		p.more++
	}
}

func (p *problems) count() int { return len(p.shown) + p.more }

// refuse prints the problems and ends the import with nothing written.
func (p *problems) refuse(e *env) error {
	p.print(e.stderr)
	msg := plural(p.count(), "problem", "problems") + "; nothing was imported"
	fmt.Fprintf(e.stderr, "charter: %s\n", msg)
	return &reported{msg: msg}
}

func importFailed(e *env, err error) error {
	fmt.Fprintf(e.stderr, "charter: %s\nnothing was imported\n", model.Sanitize(err.Error(), true))
	return &reported{msg: err.Error()}
}

func importVerb(opt model.ImportOptions) string {
	if opt.DryRun {
		return "dry run, nothing written; would import"
	}
	return "imported"
}

func (p *problems) print(w io.Writer) {
	for _, s := range p.shown {
		fmt.Fprintln(w, model.SanitizeLine(s))
	}
	if p.more > 0 {
		fmt.Fprintf(w, "… and %d more\n", p.more)
	}
}

func importSignatories(e *env, g *globals, in io.Reader, opt model.ImportOptions, asNew bool) error {
	r, err := model.NewSignatoryReader(in, time.Now())
	if err != nil {
		return err
	}
	for _, w := range r.Warnings() {
		fmt.Fprintf(e.stderr, "warning: %s\n", model.SanitizeLine(w))
	}
	rows, lines, issues, err := readSignatories(r, rowsAtMost(in))
	if err != nil {
		return err // reading the input failed
	}
	// Clashes with the stored records are found in the same pass as the
	// rows' own problems. With problems already, nothing will be written,
	// so a missing database is not created to look for them.
	target := opt
	if len(issues) > 0 {
		target.DryRun = true
	}
	db, done, err := openImportTarget(g, target)
	if err != nil {
		return err
	}
	defer done()
	existing, err := db.Signatories()
	if err != nil {
		return err
	}
	olds, clashes := model.MatchImport(rows, lines, existing, model.MatchOptions{
		Update: opt.Update, AsNew: asNew,
		HasReview:     r.HasColumn(model.FieldLastReviewedOn) || r.HasColumn(model.FieldLastReviewedBy),
		HasWithdrawal: r.HasColumn(model.FieldWithdrawnOn) || r.HasColumn(model.FieldWithdrawnReason),
	})
	if len(clashes) > 0 {
		issues = append(issues, clashes...)
		sort.SliceStable(issues, func(i, j int) bool { return issues[i].Line < issues[j].Line })
	}
	if len(issues) > 0 {
		var bad problems
		for _, is := range issues {
			bad.add(is.Error())
		}
		return bad.refuse(e)
	}
	if opt.DryRun {
		for i, old := range olds {
			if old != nil && len(model.Diff(old, &rows[i])) > 0 {
				fmt.Fprintln(e.stdout, model.DescribeChange(lines[i], old, &rows[i]))
			}
		}
	}
	// Only the store holds the rows from here on, so it can let them go
	// once it has encoded them, before its commit.
	olds, existing, lines = nil, nil, nil
	n := len(rows)
	bar := newProgress(e, n)
	opt.Progress = bar.update
	res, err := db.ImportSignatories(rows, opt, g.who())
	bar.done()
	if err != nil {
		return importFailed(e, err)
	}
	fmt.Fprintf(e.stdout, "%s %s: %d new, %d updated, %d unchanged\n", importVerb(opt),
		plural(n, "signatory", "signatories"), res.Created, res.Updated, res.Unchanged)
	return nil
}

// readBatch is how many records readSignatories gathers in each batch.
const readBatch = 4096

// maxListed bounds the list rowsAtMost lets readSignatories make before
// reading (a file of a million lines, or of empty lines, may hold far
// fewer records); a larger file's records go on in batches.
const maxListed = 1 << 20

// rowsAtMost bounds the rows of a regular file by counting its lines (a
// record is at least one line), up to maxListed, so its records can be
// read straight into one list of the right size; 0 for anything else
// (standard input).
func rowsAtMost(in io.Reader) int {
	f, ok := in.(*os.File)
	if !ok {
		return 0
	}
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return 0
	}
	buf := make([]byte, 256<<10)
	n := 1 // a last line without a line end
	for off := int64(0); ; {
		k, err := f.ReadAt(buf, off) // leaves the offset the reader reads from alone
		n += bytes.Count(buf[:k], []byte{'\n'})
		off += int64(k)
		if err != nil || n > maxListed {
			if err != nil && !errors.Is(err, io.EOF) {
				return 0
			}
			return min(n, maxListed)
		}
	}
}

// readSignatories reads every row, keeping the records and their lines
// apart from the rows' problems. The records are read in place, into one
// list when atMost bounds them (see rowsAtMost); otherwise they are
// gathered in batches and laid side by side once at the end: a record is
// large, and growing one list as they come would copy them all several
// times over.
func readSignatories(r *model.SignatoryReader, atMost int) ([]model.Signatory, []int, []model.RowIssue, error) {
	var batches [][]model.Signatory
	lines := make([]int, 0, atMost)
	var issues []model.RowIssue
	n := 0
	for {
		if len(batches) == 0 || len(batches[len(batches)-1]) == cap(batches[len(batches)-1]) {
			size := readBatch
			if len(batches) == 0 {
				size = max(size, atMost)
			}
			batches = append(batches, make([]model.Signatory, 0, size))
		}
		last := &batches[len(batches)-1]
		*last = (*last)[:len(*last)+1]
		line, err := r.ReadTo(&(*last)[len(*last)-1])
		if err != nil {
			*last = (*last)[:len(*last)-1] // ReadTo left it empty
		}
		if errors.Is(err, io.EOF) {
			break
		}
		var re *model.RowError
		if errors.As(err, &re) {
			issues = append(issues, re.Issues...)
			continue
		}
		if err != nil {
			return nil, nil, nil, err
		}
		lines = append(lines, line)
		n++
	}
	if len(batches) == 1 {
		return batches[0], lines, issues, nil
	}
	rows := make([]model.Signatory, 0, n)
	for i, b := range batches {
		rows = append(rows, b...)
		batches[i] = nil
	}
	return rows, lines, issues, nil
}

// progressReport shows an import's progress: a bar on a terminal, plain
// lines otherwise, nothing for small files.
type progressReport struct {
	e     *env
	total int
	bar   *progress.Model
	last  time.Time
}

func newProgress(e *env, total int) *progressReport {
	p := &progressReport{e: e, total: total}
	if total >= progressFrom && e.isTerminal != nil && e.isTerminal(e.stderr) {
		b := progress.New(progress.WithWidth(40))
		p.bar = &b
	}
	return p
}

func (p *progressReport) update(done, total int) {
	if p.total < progressFrom {
		return
	}
	if p.bar != nil {
		fmt.Fprintf(p.e.stderr, "\r%s %d/%d", p.bar.ViewAs(float64(done)/float64(total)), done, total)
		return
	}
	if time.Since(p.last) > time.Second || done == total {
		p.last = time.Now()
		fmt.Fprintf(p.e.stderr, "imported %d of %d rows\n", done, total)
	}
}

func (p *progressReport) done() {
	if p.bar != nil {
		fmt.Fprintln(p.e.stderr)
	}
}
