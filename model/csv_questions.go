package model

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// MaxBenchmark bounds an imported prompt or benchmark.
const MaxBenchmark = 20000

// QuestionsCSVHeader is the questions interchange header: one row per
// question, in order, with what a reviewer holds answers against. The
// names match the returns format's (question_id, question,
// respondent_kind, question_group), so the two files join on region and
// question_id.
func QuestionsCSVHeader() []string {
	return []string{"region", "question_id", "alliance", "strand", "respondent_kind", "question_group",
		"question", "prompt", "benchmark_label", "benchmark"}
}

// questionsRequired are the columns a questions file must have.
var questionsRequired = []string{"region", "question_id", "alliance", "strand", "respondent_kind", "question"}

// QuestionRow is one question in interchange form.
func QuestionRow(q *Question) []string {
	return []string{q.Region, q.ID, string(q.Alliance), string(q.Strand), string(q.Kind), string(q.Group),
		q.Title, q.Prompt, q.BenchmarkLabel, q.Benchmark}
}

// WriteQuestionsCSV writes every question of a in order. The text is
// written exactly; with guardFormulas, cells a spreadsheet would run are
// defused.
func WriteQuestionsCSV(w io.Writer, a *Audit, guardFormulas bool) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(QuestionsCSVHeader()); err != nil {
		return err
	}
	for i := range a.Questions {
		rec := QuestionRow(&a.Questions[i])
		if guardFormulas {
			for j := range rec {
				rec[j] = CSVSafe(rec[j])
			}
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write question %s: %w", a.Questions[i].ID, err)
		}
	}
	cw.Flush()
	return cw.Error()
}

// QuestionsJSON is the JSON export of questions: one object per question
// with the CSV's columns as keys, in order.
func QuestionsJSON(a *Audit) []map[string]string {
	head := QuestionsCSVHeader()
	out := make([]map[string]string, 0, len(a.Questions))
	for i := range a.Questions {
		row := QuestionRow(&a.Questions[i])
		m := make(map[string]string, len(head))
		for j, h := range head {
			m[h] = row[j]
		}
		out = append(out, m)
	}
	return out
}

// QuestionLine is a question read from a questions file with the line (in
// a CSV file) or position (in a JSON array, from 1) it came from.
type QuestionLine struct {
	Question
	Line int
	// InJSON says Line counts the objects of a JSON array.
	InJSON bool
}

// ReadQuestions reads a questions file, CSV or JSON (an array of objects
// with the CSV's columns as keys; a file whose first character other than
// spaces is "[" is JSON). Every row is checked and every problem handed to
// issue with its line (for JSON, "question N" counting from 1); if there
// is any, the result is nil. Order numbers are given per section in the
// order of the file.
func ReadQuestions(r io.Reader, issue func(RowIssue)) ([]QuestionLine, error) {
	br := bufio.NewReader(r)
	for {
		b, err := br.Peek(1)
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil, errors.New("line 1: the questions file is empty; it needs a header row")
			}
			return nil, err
		}
		if b[0] == ' ' || b[0] == '\t' || b[0] == '\r' || b[0] == '\n' {
			_, _ = br.ReadByte()
			continue
		}
		if b[0] == '[' {
			return readQuestionsJSON(br, issue)
		}
		break
	}
	return readQuestionsCSV(br, issue)
}

func readQuestionsCSV(r io.Reader, issue func(RowIssue)) ([]QuestionLine, error) {
	rr := newCSVRecords(r)
	header, _, err := rr.read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("line 1: the questions file is empty; it needs a header row")
	}
	if err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	col, err := headerColumns(header, questionsRequired)
	if err != nil {
		return nil, err
	}
	width := len(header)
	qb := newQuestionBuilder(issue)
	for {
		rec, line, err := rr.read()
		if errors.Is(err, io.EOF) {
			break
		}
		var ri *recordIssue
		if errors.As(err, &ri) {
			qb.add(ri.Line, "", "%s", ri.Msg)
			continue
		}
		if err != nil {
			return nil, err
		}
		if len(rec) != width {
			qb.add(line, "", "%s", fieldCount(len(rec), width))
			continue
		}
		qb.row(line, func(c string) (string, bool) {
			if i, ok := col[c]; ok {
				return rec[i], true
			}
			return "", false
		})
	}
	return qb.result()
}

func readQuestionsJSON(r io.Reader, issue func(RowIssue)) ([]QuestionLine, error) {
	var rows []map[string]any
	dec := json.NewDecoder(io.LimitReader(r, 256<<20))
	if err := dec.Decode(&rows); err != nil {
		return nil, fmt.Errorf("the questions file is not a JSON array of objects: %v", err)
	}
	qb := newQuestionBuilder(issue)
	qb.json = true
	for i, obj := range rows {
		n := i + 1
		bad := false
		for _, c := range questionsRequired {
			if _, ok := obj[c]; !ok {
				qb.add(n, c, "is missing")
				bad = true
			}
		}
		for k, v := range obj {
			if _, ok := v.(string); !ok && v != nil {
				qb.add(n, k, "must be a string")
				bad = true
			}
		}
		if bad {
			continue
		}
		qb.row(n, func(c string) (string, bool) {
			v, ok := obj[c]
			s, _ := v.(string)
			return s, ok
		})
	}
	return qb.result()
}

// questionBuilder checks question rows and collects them.
type questionBuilder struct {
	issue    func(RowIssue)
	json     bool
	problems int
	out      []QuestionLine
	seen     map[string]int // region/id → line
	order    map[Section]int
}

func newQuestionBuilder(issue func(RowIssue)) *questionBuilder {
	return &questionBuilder{issue: issue, seen: map[string]int{}, order: map[Section]int{}}
}

func (qb *questionBuilder) add(line int, column, format string, args ...any) {
	qb.problems++
	msg := fmt.Sprintf(format, args...)
	if qb.json {
		// JSON has no lines: say which object of the array.
		if column != "" {
			msg = column + ": " + msg
		}
		qb.issue(RowIssue{Msg: fmt.Sprintf("question %d, %s", line, msg)})
		return
	}
	qb.issue(RowIssue{Line: line, Column: column, Msg: msg})
}

// row checks one question; get gives a column's raw value and whether
// the row has the column.
func (qb *questionBuilder) row(line int, get func(string) (string, bool)) {
	bad := false
	text := func(c string, max int, required bool) string {
		v, _ := get(c)
		v = strings.TrimSpace(v)
		switch {
		case !utf8.ValidString(v):
			qb.add(line, c, "is not valid UTF-8")
			bad = true
		case required && v == "":
			qb.add(line, c, "is required")
			bad = true
		case utf8.RuneCountInString(v) > max:
			qb.add(line, c, "is %d characters long; at most %d are allowed", utf8.RuneCountInString(v), max)
			bad = true
		}
		return v
	}
	region := text("region", MaxPlace, true)
	id := text("question_id", MaxNameField, true)
	title := text("question", 1000, true)
	prompt := text("prompt", MaxBenchmark, false)
	label := text("benchmark_label", MaxNameField, false)
	bench := text("benchmark", MaxBenchmark, false)
	raw := func(c string) string { v, _ := get(c); return v }
	al, err := ParseAlliance(raw("alliance"))
	if err != nil {
		qb.add(line, "alliance", "%v", err)
		bad = true
	}
	st, err := ParseStrand(raw("strand"))
	if err != nil {
		qb.add(line, "strand", "%v", err)
		bad = true
	} else if al != "" && (al == AllianceFaithVCS) != (st != StrandNone) {
		qb.add(line, "strand", "Faith & VCS needs a strand (Faith or VCS); other alliances have none")
		bad = true
	}
	kind, err := ParseRespondentKind(raw("respondent_kind"))
	if err != nil {
		qb.add(line, "respondent_kind", "%v", err)
		bad = true
	}
	group, err := ParseQuestionGroup(raw("question_group"))
	if err != nil {
		qb.add(line, "question_group", "%v", err)
		bad = true
	} else if group != GroupNone && kind != "" && kind != KindCombined {
		qb.add(line, "question_group", "only a combined assessment (respondent_kind %s) has question groups", KindCombined)
		bad = true
	}
	if bench == "" && label != "" {
		qb.add(line, "benchmark", "is empty but benchmark_label is %s", quoteIfOdd(label))
		bad = true
	}
	if bad {
		return
	}
	key := region + "\x00" + id
	if first, dup := qb.seen[key]; dup {
		qb.add(line, "question_id", "%s of region %s appears again (first on %s)", quoteIfOdd(id), quoteIfOdd(region), qb.where(first))
		return
	}
	qb.seen[key] = line
	sec := Section{Region: region, Alliance: al, Strand: st, Kind: kind}
	qb.order[sec]++
	if qb.problems == 0 {
		qb.out = append(qb.out, QuestionLine{Line: line, InJSON: qb.json, Question: Question{Section: sec, ID: id, Order: qb.order[sec], Title: title,
			Group: group, Prompt: prompt, BenchmarkLabel: label, Benchmark: bench}})
	}
}

func (qb *questionBuilder) where(line int) string {
	if qb.json {
		return fmt.Sprintf("question %d", line)
	}
	return fmt.Sprintf("line %d", line)
}

func (qb *questionBuilder) result() ([]QuestionLine, error) {
	if qb.problems > 0 {
		return nil, nil
	}
	if len(qb.out) == 0 {
		return nil, errors.New("the questions file has no questions")
	}
	return qb.out, nil
}

// ApplyQuestions gives the questions of a (read from a returns file) their
// prompts and benchmarks from a questions file, and their order. Rows of
// regions a does not hold are passed over, so the questions file of a
// whole database serves. Each other question of the file must be one of
// a's, in the same section and with the same title (and group, where the
// returns give one); each of a's questions must be in the file. Problems go to issue, naming the
// questions file's line; a is changed only if there are none.
func ApplyQuestions(a *Audit, qs []QuestionLine, issue func(RowIssue)) bool {
	ok := true
	add := func(q QuestionLine, column, format string, args ...any) {
		ok = false
		msg := fmt.Sprintf(format, args...)
		if q.InJSON {
			issue(RowIssue{Msg: fmt.Sprintf("question %d, %s: %s", q.Line, column, msg)})
			return
		}
		issue(RowIssue{Line: q.Line, Column: column, Msg: msg})
	}
	have := map[string]int{}
	for i, q := range a.Questions {
		have[q.Region+"\x00"+q.ID] = i
	}
	regions := map[string]bool{}
	for _, r := range a.Regions {
		regions[r] = true
	}
	used := map[string]bool{}
	for _, q := range qs {
		key := q.Region + "\x00" + q.ID
		i, found := have[key]
		switch {
		case !regions[q.Region]:
			continue // another region's question: a whole database's questions file serves
		case !found:
			add(q, "question_id", "%s has no returns in the returns file", quoteIfOdd(q.ID))
			continue
		}
		used[key] = true
		r := a.Questions[i]
		switch {
		case r.Section != q.Section:
			add(q, "question_id", "%s is %s here but %s in the returns file", quoteIfOdd(q.ID), q.Section.Name(), r.Section.Name())
		case r.Title != q.Title:
			add(q, "question", "%s is titled %s here but %s in the returns file", quoteIfOdd(q.ID), quoteIfOdd(q.Title), quoteIfOdd(r.Title))
		case r.Group != GroupNone && r.Group != q.Group:
			add(q, "question_group", "%s is in group %s here but %s in the returns file", quoteIfOdd(q.ID), quoteIfOdd(string(q.Group)), quoteIfOdd(string(r.Group)))
		}
	}
	for _, q := range a.Questions {
		if !used[q.Region+"\x00"+q.ID] {
			ok = false
			issue(RowIssue{Msg: fmt.Sprintf("the questions file lacks question %s of region %s, which the returns file answers", quoteIfOdd(q.ID), quoteIfOdd(q.Region))})
		}
	}
	if !ok {
		return false
	}
	// The questions file's order wins; returns keep theirs.
	out := make([]Question, 0, len(qs))
	for _, q := range qs {
		if regions[q.Region] {
			out = append(out, q.Question)
		}
	}
	a.Questions = out
	return true
}
