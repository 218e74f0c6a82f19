package coverage

import (
	"fmt"
	"strings"

	"charter/model"
	"charter/tui/auditdata"
)

// This file is where the audit becomes the grid's text: every name, title
// and answer from the data is neutralised here, once, and nowhere else.

// cell is one respondent's return to one question.
type cell struct {
	present bool // false: the data holds no return for this pair
	status  model.ReturnStatus
	ann     model.Annotation // Comment holds only a mark, never the text
	first   string           // the answer's first line
}

// gridRow is one respondent.
type gridRow struct {
	key      string // the name as stored, to find the row again; never drawn
	name     string
	cells    []cell
	answered int
	returned bool
}

// gridQuestion is one column.
type gridQuestion struct {
	key   string // the question id as stored; never drawn
	order int
	title string
}

// gridData is one section's grid, ready to draw.
type gridData struct {
	title     string
	region    string // as stored, to address the returns; never drawn
	kind      model.RespondentKind
	questions []gridQuestion
	rows      []gridRow
	colTotals []int
	answered  int
	returned  int
	noReturn  []string
	missing   bool // some respondent has no return at all for some question
	hasMatrix bool
	note      string // instead of a grid: why there is none
}

// buildGrid turns one section of the audit into the grid's text.
func buildGrid(d *auditdata.Data, sec model.Section) *gridData {
	g := &gridData{
		title:     model.SanitizeLine(auditdata.SectionTitle(sec)),
		region:    sec.Region,
		kind:      sec.Kind,
		hasMatrix: d.Pathways[sec] != nil,
	}
	qs := d.Questions[sec]
	byCell := map[string]*model.Return{}
	for _, q := range qs {
		g.questions = append(g.questions, gridQuestion{key: q.ID, order: q.Order, title: model.SanitizeLine(q.DisplayTitle())})
		for _, r := range d.Returns[auditdata.QKey(q.Region, q.ID)] {
			byCell[r.Respondent+"\x00"+q.ID] = r
		}
	}
	g.colTotals = make([]int, len(qs))
	for _, name := range d.RespondentsOf(sec) {
		row := gridRow{key: name, name: model.SanitizeLine(name), cells: make([]cell, len(qs))}
		for qi, q := range qs {
			r := byCell[name+"\x00"+q.ID]
			if r == nil {
				g.missing = true
				continue
			}
			c := cell{present: true, status: r.Status, first: firstLine(r.Answer)}
			c.ann = model.Annotation{Rating: r.Annotation.Rating, GoodPractice: r.Annotation.GoodPractice}
			if r.Annotation.Comment != "" {
				c.ann.Comment = "✎"
			}
			row.cells[qi] = c
			if r.Status == model.StatusAnswered {
				row.answered++
				g.colTotals[qi]++
			}
			if r.Status != model.StatusNoReturn {
				row.returned = true
			}
		}
		g.answered += row.answered
		if row.returned {
			g.returned++
		} else {
			g.noReturn = append(g.noReturn, row.name)
		}
		g.rows = append(g.rows, row)
	}
	return g
}

// firstLine is the first non-blank line of an answer, neutralised.
func firstLine(answer string) string {
	for _, l := range strings.Split(model.Sanitize(answer, true), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return ""
}

// kindNoun names respondents of a kind: "prison", "prisons".
func kindNoun(k model.RespondentKind, n int) string {
	one, many := "respondent", "respondents"
	switch k {
	case model.KindROM:
		one, many = "ROM office", "ROM offices"
	case model.KindPrison:
		one, many = "prison", "prisons"
	case model.KindProbation:
		one, many = "probation area", "probation areas"
	case model.KindAreaChaplain:
		one, many = "area chaplain", "area chaplains"
	case model.KindCombined:
		one, many = "combined assessment", "combined assessments"
	}
	if n == 1 {
		return one
	}
	return many
}

// returnedLine counts the establishments that sent anything: "10 of 14
// prisons returned".
func (g *gridData) returnedLine() string {
	return fmt.Sprintf("%d of %d %s returned", g.returned, len(g.rows), kindNoun(g.kind, len(g.rows)))
}
