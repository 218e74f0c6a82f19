package model

import (
	"encoding/csv"
	"fmt"
	"io"
)

// ReturnsCSVHeader is the audit returns interchange header. The last
// column, question_group, matters only for a combined assessment (the
// Corporate section's ROM/prisons/probation returns): which of the three a
// question is about. Import accepts files without it.
func ReturnsCSVHeader() []string {
	return []string{"region", "alliance", "strand", "respondent_kind", "respondent", "question_id",
		"question", "status", "answer", "rating", "good_practice", "comment", "question_group"}
}

// ReturnRow is one return in interchange form, with its question's title
// and group.
func ReturnRow(r *Return, q Question) []string {
	return []string{r.Region, string(r.Alliance), string(r.Strand), string(r.Kind), r.Respondent,
		r.QuestionID, q.Title, string(r.Status), r.Answer, string(r.Annotation.Rating),
		YesNo(r.Annotation.GoodPractice), r.Annotation.Comment, string(q.Group)}
}

// questionsByKey indexes an audit's questions by region and id.
func questionsByKey(a *Audit) map[string]Question {
	qs := make(map[string]Question, len(a.Questions))
	for _, q := range a.Questions {
		qs[q.Region+"\x00"+q.ID] = q
	}
	return qs
}

// WriteReturnsCSV writes every return of a in source order: one row per
// respondent per question, with the reviewers' annotations. The source
// text is written exactly; with guardFormulas, cells a spreadsheet would
// run are defused.
func WriteReturnsCSV(w io.Writer, a *Audit, guardFormulas bool) error {
	qs := questionsByKey(a)
	cw := csv.NewWriter(w)
	if err := cw.Write(ReturnsCSVHeader()); err != nil {
		return err
	}
	for i := range a.Returns {
		r := &a.Returns[i]
		rec := ReturnRow(r, qs[r.Region+"\x00"+r.QuestionID])
		if guardFormulas {
			for j := range rec {
				rec[j] = CSVSafe(rec[j])
			}
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write return %s: %w", r.Key(), err)
		}
	}
	cw.Flush()
	return cw.Error()
}

// ReturnsJSON is the JSON export of returns: the CSV's columns as keys.
func ReturnsJSON(a *Audit) []map[string]string {
	qs := questionsByKey(a)
	head := ReturnsCSVHeader()
	out := make([]map[string]string, 0, len(a.Returns))
	for i := range a.Returns {
		r := &a.Returns[i]
		row := ReturnRow(r, qs[r.Region+"\x00"+r.QuestionID])
		m := make(map[string]string, len(head))
		for j, h := range head {
			m[h] = row[j]
		}
		out = append(out, m)
	}
	return out
}

// SignatoriesJSON is the JSON export of signatories: the CSV's columns as
// keys (with employees a number or null, flags as in the CSV).
func SignatoriesJSON(rows []Signatory) []map[string]any {
	out := make([]map[string]any, 0, len(rows))
	for i := range rows {
		s := &rows[i]
		m := map[string]any{}
		for _, f := range SignatoryFields() {
			m[f] = s.Field(f)
		}
		if s.Employees != nil {
			m[FieldEmployees] = *s.Employees
		} else {
			m[FieldEmployees] = nil
		}
		m["tier"] = s.Tier().String()
		m["id"] = s.ID
		m["version"] = s.Version
		out = append(out, m)
	}
	return out
}
