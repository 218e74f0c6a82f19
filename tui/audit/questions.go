package audit

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"charter/model"
	"charter/tui/auditdata"
	"charter/tui/common"
)

// questionList is a section's questions, with how many respondents
// answered each and how many of those returns are rated.
type questionList struct {
	st    *common.Styles
	keys  keys
	data  *auditdata.Data
	sec   model.Section
	qs    []*model.Question
	list  common.List
	width int
}

func newQuestionList(st *common.Styles, k keys) *questionList {
	return &questionList{st: st, keys: k}
}

// SetSection shows sec's questions from d; the cursor stays where it was
// when the section is the same.
func (q *questionList) SetSection(d *auditdata.Data, sec model.Section) {
	if q.sec != sec {
		q.list.SetCursor(0)
	}
	q.data, q.sec = d, sec
	q.qs = d.Questions[sec]
	q.list.SetLen(len(q.qs))
}

func (q *questionList) SetSize(w, h int) {
	q.width = w
	q.list.SetHeight(max(h-3, 1)) // header, and the more-above/below line
}

// Select puts the cursor on question q.
func (q *questionList) Select(x *model.Question) {
	for i, y := range q.qs {
		if y == x {
			q.list.SetCursor(i)
		}
	}
}

// Selected is the question under the cursor.
func (q *questionList) Selected() *model.Question {
	if len(q.qs) == 0 {
		return nil
	}
	return q.qs[q.list.Cursor()]
}

func (q *questionList) Keys() []key.Binding {
	if len(q.qs) == 0 {
		return nil
	}
	return append(q.keys.ListKeys.Bindings(), q.keys.Open)
}

// Update moves the cursor; enter is the router's (it opens the reader).
func (q *questionList) Update(msg tea.KeyPressMsg) bool {
	return len(q.qs) > 0 && q.list.Step(msg, q.keys.ListKeys)
}

func (q *questionList) View(h int) string {
	d, sec := q.data, q.sec
	st := q.st
	var out []string
	if len(q.qs) == 0 {
		out = append(out, st.Muted.Render("This section has no questions in the source."))
		if n := len(d.Comments[sec]); n > 0 {
			out = append(out, st.Muted.Render(fmt.Sprintf("It has %s: press m.", common.Plural(n, "regional comment", "regional comments"))))
		}
		if d.Pathways[sec] != nil {
			out = append(out, st.Muted.Render("Its prisons × pathways matrix is on the Coverage tab (3)."))
		}
		return common.FitHeight(strings.Join(out, "\n"), h, q.width)
	}
	w := q.width
	respondents := len(d.RespondentsOf(sec))
	out = append(out, st.TableHeader.Render(common.Pad(" #  Question", w-24)+common.Pad("answered", 12)+common.Pad("rated", 10)))
	from, to := q.list.Window()
	for i := from; i < to; i++ {
		qu := q.qs[i]
		answered, rated := 0, 0
		for _, r := range d.Returns[auditdata.QKey(qu.Region, qu.ID)] {
			if r.Status == model.StatusAnswered {
				answered++
			}
			if r.Annotation.Rating != model.RatingNone {
				rated++
			}
		}
		title := fmt.Sprintf("%2d  %s", qu.Order, d.QText[qu].Heading)
		line := common.Pad(title, w-25) + " " + common.Pad(fmt.Sprintf("%d/%d", answered, respondents), 12) + common.Pad(fmt.Sprint(rated), 10)
		if i == q.list.Cursor() {
			line = st.SelectedRow.Render("▶" + common.Truncate(line, w-1))
		} else {
			line = " " + common.Truncate(line, w-1)
		}
		out = append(out, line)
	}
	out = append(out, moreLine(st, q.list.Above(), q.list.Below()))
	if n := len(d.Comments[sec]); n > 0 {
		out = append(out, st.Subtle.Render(fmt.Sprintf("%s for this section: press m", common.Plural(n, "regional comment", "regional comments"))))
	}
	return common.FitHeight(strings.Join(out, "\n"), h, w)
}

// moreLine says how many rows or lines are out of view above and below.
func moreLine(st *common.Styles, above, below int) string {
	var parts []string
	if above > 0 {
		parts = append(parts, fmt.Sprintf("↑ %d more", above))
	}
	if below > 0 {
		parts = append(parts, fmt.Sprintf("↓ %d more", below))
	}
	return st.Subtle.Render(strings.Join(parts, " · "))
}
