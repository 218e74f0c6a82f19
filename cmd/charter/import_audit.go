package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"charter/model"
)

// importAudit imports another region's audit, all or nothing, from either
//
//   - a returns CSV (docs/csv-format.md), with, when questions names a
//     file, the prompts and benchmarks of its questions from a questions
//     file (CSV or JSON, as `export questions` writes it); or
//   - a region export in JSON (docs/region-format.md, as `export region`
//     writes it), recognised by its first character "{", which carries
//     its own questions, comments, matrices and summary.
//
// Every problem of either file is listed, naming the file, and then
// nothing is written.
func importAudit(e *env, g *globals, in io.Reader, questions string, opt model.ImportOptions) error {
	br := bufio.NewReaderSize(in, 4096)
	var bad problems
	var a *model.Audit
	var err error
	withQuestions := questions != ""
	if firstByte(br) == '{' {
		withQuestions = true
		if questions != "" {
			return fmt.Errorf("a region file carries its own questions; --questions goes with a returns CSV")
		}
		a, err = model.ReadRegionExport(br, func(is model.RowIssue) { bad.add(is.Error()) })
	} else {
		a, err = model.ReadReturns(br, func(is model.RowIssue) { bad.add(is.Error()) })
	}
	if err != nil {
		return err
	}
	if bad.count() > 0 {
		return bad.refuse(e)
	}
	if questions != "" {
		if err := applyQuestionsFile(a, questions, &bad); err != nil {
			return err
		}
		if bad.count() > 0 {
			return bad.refuse(e)
		}
	}
	db, done, err := openImportTarget(g, opt)
	if err != nil {
		return err
	}
	defer done()
	res, err := db.ImportAudit(a, opt, g.who())
	if err != nil {
		return importFailed(e, err)
	}
	fmt.Fprintf(e.stdout, "%s %s for %s: %d new, %d replacing earlier ones", importVerb(opt),
		plural(len(a.Returns), "return", "returns"), model.SanitizeLine(strings.Join(a.Regions, ", ")), res.Created, res.Updated)
	if withQuestions {
		benchmarks := 0
		for _, q := range a.Questions {
			if q.Benchmark != "" {
				benchmarks++
			}
		}
		fmt.Fprintf(e.stdout, "; %s, %d with a benchmark", plural(len(a.Questions), "question", "questions"), benchmarks)
	}
	fmt.Fprintln(e.stdout)
	return nil
}

// applyQuestionsFile reads the questions file at path and gives a's
// questions their prompts and benchmarks; problems are added to bad, each
// naming the file.
func applyQuestionsFile(a *model.Audit, path string, bad *problems) error {
	if path == "-" {
		return fmt.Errorf("--questions needs a file; standard input is the returns")
	}
	file, err := os.Open(path)
	if err != nil {
		return err
	}
	defer file.Close()
	name := model.SanitizeLine(path)
	qs, err := model.ReadQuestions(file, func(is model.RowIssue) { bad.add(name + ": " + is.Error()) })
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if bad.count() > 0 {
		return nil
	}
	model.ApplyQuestions(a, qs, func(is model.RowIssue) { bad.add(name + ": " + is.Error()) })
	return nil
}

// firstByte is the first byte of br other than white space within its
// first 4 KB (0 if there is none); nothing is consumed, so line numbers
// stay true.
func firstByte(br *bufio.Reader) byte {
	head, _ := br.Peek(4096)
	for _, b := range head {
		switch b {
		case ' ', '\t', '\r', '\n':
		default:
			return b
		}
	}
	return 0
}
