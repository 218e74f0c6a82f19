package model

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Limits on imported audit text.
const (
	MaxAnswer    = 20000
	MaxNameField = 200
)

// maxReturnIssues bounds the problems one read collects; the rest are counted.
const maxReturnIssues = 100

// ReturnsReadError says how many more problems there were than listed.
type ReturnsReadError struct{ More int }

func (e *ReturnsReadError) Error() string {
	if e.More == 1 {
		return "and 1 more problem"
	}
	return fmt.Sprintf("and %d more problems", e.More)
}

// ReadReturnsCSV reads another region's audit returns in the returns
// interchange format into audit data. Every row is checked; problems come
// back as issues (line, column, reason) and, if there are any, the audit is
// nil. Beyond the first 100 problems, one last issue (line 0, a
// ReturnsReadError's text) says how many more there were. The rating,
// good_practice and comment columns are reviewers' notes, not source data:
// they are checked but not imported. The question_group column may be left
// out.
func ReadReturnsCSV(r io.Reader) (*Audit, []RowIssue, error) {
	var issues []RowIssue
	more := 0
	a, err := ReadReturns(r, func(is RowIssue) {
		if len(issues) < maxReturnIssues {
			issues = append(issues, is)
		} else {
			more++
		}
	})
	if more > 0 {
		issues = append(issues, RowIssue{Msg: (&ReturnsReadError{More: more}).Error()})
	}
	if err != nil || len(issues) > 0 {
		return nil, issues, err
	}
	return a, nil, nil
}

// ReadReturns is ReadReturnsCSV handing every problem to issue as it is
// found, however many there are; if there is any, the audit is nil.
func ReadReturns(r io.Reader, issue func(RowIssue)) (*Audit, error) {
	rr := newCSVRecords(r)
	header, _, err := rr.read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("line 1: the file is empty; it needs a header row")
	}
	if err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	col, err := headerColumns(header, []string{"region", "alliance", "strand", "respondent_kind", "respondent", "question_id", "question", "status", "answer"})
	if err != nil {
		return nil, err
	}
	header = append([]string(nil), header...) // the reader reuses its record

	a := &Audit{}
	problems := 0
	add := func(line int, column, format string, args ...any) {
		problems++
		issue(RowIssue{Line: line, Column: column, Msg: fmt.Sprintf(format, args...)})
	}
	regions := map[string]bool{}
	questions := map[string]int{} // region/id → index in a.Questions
	qline := map[string]int{}
	respondents := map[string]bool{}
	returns := map[ReturnKey]int{}
	order := map[Section]int{}

	for {
		rec, line, err := rr.read()
		if errors.Is(err, io.EOF) {
			break
		}
		var ri *recordIssue
		if errors.As(err, &ri) {
			add(ri.Line, "", "%s", ri.Msg)
			continue // reading resumes at the next line
		}
		if err != nil {
			return nil, err
		}
		if len(rec) != len(header) {
			add(line, "", "%s", fieldCount(len(rec), len(header)))
			continue
		}
		get := func(c string) string {
			if i, ok := col[c]; ok {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		bad := false
		text := func(c string, max int, required bool) string {
			v := get(c)
			switch {
			case !utf8.ValidString(v):
				add(line, c, "is not valid UTF-8")
				bad = true
			case required && v == "":
				add(line, c, "is required")
				bad = true
			case utf8.RuneCountInString(v) > max:
				add(line, c, "is %d characters long; at most %d are allowed", utf8.RuneCountInString(v), max)
				bad = true
			}
			return v
		}
		region := text("region", MaxPlace, true)
		respondent := text("respondent", MaxNameField, true)
		qid := text("question_id", MaxNameField, true)
		title := text("question", 1000, true)
		answer := text("answer", MaxAnswer, false)
		text("comment", MaxComment, false)
		al, err := ParseAlliance(get("alliance"))
		if err != nil {
			add(line, "alliance", "%s", strings.TrimPrefix(err.Error(), ""))
			bad = true
		}
		st, err := ParseStrand(get("strand"))
		if err != nil {
			add(line, "strand", "%v", err)
			bad = true
		} else if al != "" && (al == AllianceFaithVCS) != (st != StrandNone) {
			add(line, "strand", "Faith & VCS needs a strand (Faith or VCS); other alliances have none")
			bad = true
		}
		kind, err := ParseRespondentKind(get("respondent_kind"))
		if err != nil {
			add(line, "respondent_kind", "%v", err)
			bad = true
		}
		status, err := ParseReturnStatus(get("status"))
		if err != nil {
			add(line, "status", "%v", err)
			bad = true
		}
		group, err := ParseQuestionGroup(get("question_group"))
		if err != nil {
			add(line, "question_group", "%v", err)
			bad = true
		} else if group != GroupNone && kind != "" && kind != KindCombined {
			add(line, "question_group", "only a combined assessment (respondent_kind %s) has question groups", KindCombined)
			bad = true
		}
		if _, err := ParseRating(get("rating")); err != nil {
			add(line, "rating", "%v", err)
			bad = true
		}
		if gp := strings.ToLower(get("good_practice")); gp != "" && gp != "yes" && gp != "no" {
			add(line, "good_practice", "%s must be yes or no", quoteIfOdd(gp))
			bad = true
		}
		if !bad {
			switch {
			case status == StatusAnswered && answer == "":
				add(line, "answer", "an answered return needs its text")
				bad = true
			case status == StatusNoReturn && answer != "":
				add(line, "answer", "a no_return row has no answer")
				bad = true
			}
		}
		if bad {
			continue
		}
		sec := Section{Region: region, Alliance: al, Strand: st, Kind: kind}
		if !regions[region] {
			regions[region] = true
			a.Regions = append(a.Regions, region)
		}
		qk := region + "\x00" + qid
		if i, ok := questions[qk]; ok {
			if a.Questions[i].Section != sec {
				add(line, "question_id", "%s is %s here but %s on line %d", quoteIfOdd(qid), sec.Name(), a.Questions[i].Section.Name(), qline[qk])
				continue
			}
			if a.Questions[i].Group != group {
				add(line, "question_group", "%s is in group %s here but %s on line %d", quoteIfOdd(qid), quoteIfOdd(string(group)), quoteIfOdd(string(a.Questions[i].Group)), qline[qk])
				continue
			}
		} else {
			order[sec]++
			questions[qk] = len(a.Questions)
			qline[qk] = line
			a.Questions = append(a.Questions, Question{Section: sec, ID: qid, Order: order[sec], Title: title, Group: group})
		}
		rk := region + "\x00" + string(kind) + "\x00" + respondent
		if !respondents[rk] {
			respondents[rk] = true
			a.Respondents = append(a.Respondents, Respondent{Region: region, Kind: kind, Name: respondent})
		}
		ret := Return{Section: sec, QuestionID: qid, Respondent: respondent, Status: status, Answer: answer}
		if first, dup := returns[ret.Key()]; dup {
			add(line, "respondent", "%s already answered %s on line %d", quoteIfOdd(respondent), quoteIfOdd(qid), first)
			continue
		}
		returns[ret.Key()] = line
		if problems == 0 { // nothing will be imported: stop holding returns
			a.Returns = append(a.Returns, ret)
		}
	}
	if problems > 0 {
		return nil, nil
	}
	if len(a.Returns) == 0 {
		return nil, errors.New("the file has no returns")
	}
	return a, nil
}
