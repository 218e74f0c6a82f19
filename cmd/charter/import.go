package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"charm.land/bubbles/v2/progress"

	"charter/model"
)

// maxShown bounds how many row problems an import prints.
const maxShown = 100

// progressFrom is the size from which an import shows progress.
const progressFrom = 5000

func runImport(e *env, g *globals, args []string) int {
	fs := subFlags(e, g, "import", "import signatories|returns [--update] [--dry-run] FILE|-")
	update := fs.Bool("update", false, "change records whose organisation (or region) already exists, recording the change in their history")
	dry := fs.Bool("dry-run", false, "check everything and say what would happen, writing nothing")
	if code, done := parseSub(fs, e, args); done {
		return code
	}
	if fs.NArg() != 2 || (fs.Arg(0) != "signatories" && fs.Arg(0) != "returns") {
		return usageError(e, "import needs what to import (signatories or returns) and a file (or - for standard input)")
	}
	in, closeIn, err := openInput(e, fs.Arg(1))
	if err != nil {
		return fail(e, err)
	}
	defer closeIn()
	opt := model.ImportOptions{Update: *update, DryRun: *dry}
	if fs.Arg(0) == "returns" {
		return importReturns(e, g, in, opt)
	}
	return importSignatories(e, g, in, opt)
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
func (p *problems) refuse(e *env) int {
	p.print(e.stderr)
	fmt.Fprintf(e.stderr, "charter: %d problem(s); nothing was imported\n", p.count())
	return exitRuntime
}

func importFailed(e *env, err error) int {
	fmt.Fprintf(e.stderr, "charter: %s\nnothing was imported\n", model.Sanitize(err.Error(), true))
	return exitRuntime
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

func importSignatories(e *env, g *globals, in io.Reader, opt model.ImportOptions) int {
	r, err := model.NewSignatoryReader(in, time.Now())
	if err != nil {
		return fail(e, err)
	}
	for _, w := range r.Warnings() {
		fmt.Fprintf(e.stderr, "warning: %s\n", w)
	}
	var rows []model.Signatory
	var bad problems
	seen := map[string]int{}
	for {
		s, line, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var re *model.RowError
		if errors.As(err, &re) {
			for _, is := range re.Issues {
				bad.add(is.Error())
			}
			rows = nil // nothing will be written: stop holding rows
			continue
		}
		if err != nil {
			bad.add(err.Error())
			break
		}
		key := model.OrgKey(s.Region, s.Organisation)
		if first, dup := seen[key]; dup {
			bad.add(fmt.Sprintf("line %d, organisation: %s appears again (first on line %d)", line, s.Organisation, first))
			rows = nil
			continue
		}
		seen[key] = line
		if bad.count() == 0 {
			rows = append(rows, s)
		}
	}
	if bad.count() > 0 {
		return bad.refuse(e)
	}
	db, err := g.open(false)
	if err != nil {
		return fail(e, err)
	}
	defer db.Close()
	bar := newProgress(e, len(rows))
	opt.Progress = bar.update
	res, err := db.ImportSignatories(rows, opt, g.reviewer)
	bar.done()
	if err != nil {
		return importFailed(e, err)
	}
	fmt.Fprintf(e.stdout, "%s %d signatories: %d new, %d updated, %d unchanged\n", importVerb(opt), len(rows), res.Created, res.Updated, res.Unchanged)
	return exitOK
}

func importReturns(e *env, g *globals, in io.Reader, opt model.ImportOptions) int {
	a, issues, err := model.ReadReturnsCSV(in)
	if err != nil {
		return fail(e, err)
	}
	if len(issues) > 0 {
		var bad problems
		for _, is := range issues {
			bad.add(is.Error())
		}
		return bad.refuse(e)
	}
	db, err := g.open(false)
	if err != nil {
		return fail(e, err)
	}
	defer db.Close()
	res, err := db.ImportAudit(a, opt, g.reviewer)
	if err != nil {
		return importFailed(e, err)
	}
	fmt.Fprintf(e.stdout, "%s %d returns for %s: %d new, %d replacing earlier ones\n", importVerb(opt), len(a.Returns),
		strings.Join(a.Regions, ", "), res.Created, res.Updated)
	return exitOK
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
