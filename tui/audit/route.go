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

// key routes a key press: to the comment editor or the filter bar when
// one is open, else to the pane on top, then to the keys every pane
// shares. Only keys its help shows do anything.
func (s *Screen) key(msg tea.KeyPressMsg) tea.Cmd {
	if s.data == nil {
		return nil
	}
	switch {
	case s.editor.open:
		return s.editorKey(msg)
	case s.filter.Focused():
		return s.filterUpdate(msg)
	}
	k := s.keys
	if cmd, ok := s.paneKey(msg); ok {
		return cmd
	}
	switch {
	case key.Matches(msg, k.Alliance):
		s.picker.NextAlliance(s.data)
		s.enterSection()
	case key.Matches(msg, k.Kind):
		s.picker.NextKind(s.data)
		s.enterSection()
	case key.Matches(msg, k.Next):
		s.picker.Step(s.data, 1)
		s.enterSection()
	case key.Matches(msg, k.Prev):
		s.picker.Step(s.data, -1)
		s.enterSection()
	case key.Matches(msg, k.Filter):
		return s.filter.Focus()
	case key.Matches(msg, k.GoodList) && s.top() != paneGood:
		s.good.Open(s.data)
		s.push(paneGood)
	case key.Matches(msg, k.Dossier):
		if rk, ok := s.selected(); ok {
			s.openDossier(s.respondentName(rk))
		}
	case key.Matches(msg, k.Undo) && len(s.undo) > 0 && !s.o.ReadOnly:
		return s.undoLast()
	case key.Matches(msg, k.Comments) && s.top() != paneComments:
		sec, _ := s.section()
		s.push(paneComments)
		s.comments.Show(s.data, sec)
	default:
		return s.annotationKey(msg)
	}
	return nil
}

// paneKey gives the key to the pane on top, and handles its enter and esc.
func (s *Screen) paneKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := s.keys
	switch s.top() {
	case paneQuestions:
		if s.questions.Update(msg) {
			return nil, true
		}
		if q := s.questions.Selected(); q != nil && key.Matches(msg, k.Open) {
			s.reader.Open(s.data, q, model.ReturnKey{})
			s.push(paneReader)
			return nil, true
		}
	case paneReader:
		if s.reader.Update(msg) {
			return nil, true
		}
		switch {
		case key.Matches(msg, k.Back):
			s.pop()
			return nil, true
		case key.Matches(msg, k.NextQ):
			s.stepQuestion(1)
			return nil, true
		case key.Matches(msg, k.PrevQ):
			s.stepQuestion(-1)
			return nil, true
		}
	case paneResults, paneGood:
		l := &s.results.retList
		if s.top() == paneGood {
			l = &s.good.retList
		}
		if l.Update(msg) {
			return nil, true
		}
		switch {
		case key.Matches(msg, k.Open):
			if sel, ok := l.Selected(); ok {
				s.openReturn(sel)
			}
			return nil, true
		case key.Matches(msg, k.Back):
			if s.top() == paneResults {
				s.filter.SetValue("")
				s.query = ""
			}
			s.pop()
			return nil, true
		}
	case paneComments:
		if s.comments.Update(msg) {
			return nil, true
		}
		if key.Matches(msg, k.Back) {
			s.pop()
			return nil, true
		}
	case paneDossier:
		if s.dossier.Update(msg) {
			return nil, true
		}
		if key.Matches(msg, k.Back) {
			s.pop()
			return nil, true
		}
	case paneHistory:
		if s.history.Update(msg) {
			return nil, true
		}
		if key.Matches(msg, k.Restore) && !s.o.ReadOnly {
			if v, ok := s.history.Version(); ok {
				return s.restore(v), true
			}
		}
		if key.Matches(msg, k.Back) {
			s.pop()
			return nil, true
		}
	}
	return nil, false
}

// openReturn opens the reader on the question of return rk, selected.
func (s *Screen) openReturn(rk model.ReturnKey) {
	t := s.data.Row[rk]
	if t == nil {
		return
	}
	q := s.data.Question[qkeyOf(rk)]
	if q == nil {
		return
	}
	// The title and the question list follow the return's section.
	s.picker.Select(s.data, q.Section)
	s.questions.SetSection(s.data, q.Section)
	s.questions.Select(q)
	s.reader.Open(s.data, q, rk)
	s.push(paneReader)
}

// stepQuestion opens the next (or previous) question of the reader's
// section, wrapping round, on the same respondent's return where it has
// one; the benchmark stays as the reviewer left it.
func (s *Screen) stepQuestion(by int) {
	q := s.reader.q
	qs := s.data.Questions[q.Section]
	at := -1
	for i, x := range qs {
		if x == q {
			at = i
		}
	}
	if at < 0 || len(qs) == 0 {
		return
	}
	next := qs[((at+by)%len(qs)+len(qs))%len(qs)]
	sel, _ := s.reader.Selected()
	s.questions.Select(next)
	s.reader.Open(s.data, next, model.ReturnKey{Region: next.Region, QuestionID: next.ID, Respondent: sel.Respondent})
}

// enterSection shows the chosen section's questions.
func (s *Screen) enterSection() {
	sec, _ := s.section()
	s.questions.SetSection(s.data, sec)
	s.stack = s.stack[:1]
	s.filter.SetValue("")
	s.query = ""
}

// filterUpdate passes a message to the focused filter bar and applies
// the query as it changes.
func (s *Screen) filterUpdate(msg tea.Msg) tea.Cmd {
	act, cmd := s.filter.Update(msg)
	switch act {
	case common.FilterChanged:
		s.applyQuery(s.filter.Value())
	case common.FilterKept:
		if err := s.filter.Err(); err != "" {
			// Keep what the results show, not the text that failed.
			s.filter.SetValue(s.query)
			return tea.Batch(cmd, common.Status("the filter has an error: "+err, true))
		}
		if s.filter.Value() == "" {
			s.drop(paneResults)
		} else {
			s.results.Reapply()
		}
	case common.FilterCleared:
		s.query = ""
		s.filter.SetError(nil)
		s.drop(paneResults)
		return tea.Batch(cmd, common.Status("filter cleared", false))
	}
	return cmd
}

// applyQuery filters every return of every region afresh; a query that
// does not parse keeps the results as they were and says why.
func (s *Screen) applyQuery(q string) {
	parsed, err := model.ParseQuery(q)
	var m *model.ReturnMatcher
	if err == nil {
		m, err = parsed.ForReturnsIn(s.data.Names)
	}
	s.filter.SetError(err)
	if err != nil {
		return
	}
	s.query = q
	if parsed.Empty() {
		s.drop(paneResults)
		return
	}
	s.results.SetQuery(s.data, m)
	// A new query shows its results, whatever was opened from the last.
	s.stack = append(s.stack[:1], paneResults)
}

// annotationKey handles the keys that change the selected return.
func (s *Screen) annotationKey(msg tea.KeyPressMsg) tea.Cmd {
	rk, ok := s.selected()
	if !ok {
		return nil
	}
	k := s.keys
	if key.Matches(msg, k.History) {
		s.push(paneHistory)
		return s.history.Open(s.data.Row[rk])
	}
	if s.o.ReadOnly {
		if key.Matches(msg, k.Rate, k.Meets, k.Partly, k.NotMet, k.Clear, k.Good, k.Comment) {
			// The keys are shown, so that an observer learns why they
			// change nothing; the service refuses writes in any case.
			return common.Status("read-only session: not saved", true)
		}
		return nil
	}
	t := s.data.Row[rk]
	cur := t.Ret.Annotation
	if key.Matches(msg, k.Rate, k.Meets, k.Partly, k.NotMet) && t.Ret.Status != model.StatusAnswered {
		return common.Status(unratable(t), true)
	}
	var set func(*model.Annotation)
	switch {
	case key.Matches(msg, k.Rate):
		r := nextRating(cur.Rating)
		set = func(a *model.Annotation) { a.Rating = r }
	case key.Matches(msg, k.Meets):
		set = rate(model.RatingMeets)
	case key.Matches(msg, k.Partly):
		set = rate(model.RatingPartly)
	case key.Matches(msg, k.NotMet):
		set = rate(model.RatingNotMet)
	case key.Matches(msg, k.Clear):
		set = rate(model.RatingNone)
	case key.Matches(msg, k.Good):
		g := !cur.GoodPractice
		set = func(a *model.Annotation) { a.GoodPractice = g }
	case key.Matches(msg, k.Comment):
		// The editor starts from the comment as drawn: what it shows is
		// neutralised, and left unchanged it writes nothing.
		cmd := s.editor.Open(rk, s.data.Row[rk].Note.Comment)
		s.resize()
		return cmd
	default:
		return nil
	}
	return s.annotate(rk, set)
}

// unratable says why a return cannot be rated: there is no answer to
// measure against the benchmark. Flagging and commenting stay allowed.
func unratable(t *auditdata.ReturnText) string {
	why := t.Name + " sent no return for this question"
	if t.Ret.Status == model.StatusNotAnswered {
		why = t.Name + " did not answer this question"
	}
	return "not rated: " + why + ", so there is nothing to measure against the benchmark (p flags and c comments still work)"
}

func rate(r model.Rating) func(*model.Annotation) {
	return func(a *model.Annotation) { a.Rating = r }
}

// annotate shows an edit at once and sends it, remembering it for undo;
// lists filtered by what it changed keep the row in place until the
// cursor moves.
func (s *Screen) annotate(rk model.ReturnKey, set func(*model.Annotation)) tea.Cmd {
	if t := s.data.Row[rk]; t != nil {
		before := t.Ret.Annotation
		after := before
		set(&after)
		if !sameNote(before, after) {
			s.undo = append(s.undo, undoEntry{key: rk, before: before, after: after})
		}
	}
	return s.write(rk, set)
}

// write shows an edit at once and sends it.
func (s *Screen) write(rk model.ReturnKey, set func(*model.Annotation)) tea.Cmd {
	cmd := s.ann.Edit(s.data, edit{key: rk, apply: set})
	// Also when the return was opened from the list: back in it, the
	// reviewer finds the row where it was.
	if s.has(paneResults) {
		s.results.Keep(rk)
	}
	if s.has(paneGood) {
		s.good.Keep(rk)
	}
	s.refresh()
	return cmd
}

func (s *Screen) editorKey(msg tea.KeyPressMsg) tea.Cmd {
	cmd, done, save, text := s.editor.Update(msg)
	if !done {
		return cmd
	}
	s.resize()
	if !save {
		return common.Status("comment not changed", false)
	}
	return s.annotate(s.editor.key, func(a *model.Annotation) { a.Comment = text })
}

func sameNote(a, b model.Annotation) bool {
	return a.Rating == b.Rating && a.Comment == b.Comment && a.GoodPractice == b.GoodPractice
}

// undoLast writes back the values this session's last change replaced, in
// the fields it changed, as a new change (so the history keeps both).
func (s *Screen) undoLast() tea.Cmd {
	u := s.undo[len(s.undo)-1]
	s.undo = s.undo[:len(s.undo)-1]
	if s.data.Row[u.key] == nil {
		return common.Status("nothing to undo: that return is no longer in the audit", true)
	}
	var fields []string
	b, a := u.before, u.after
	set := func(x *model.Annotation) {
		if b.Rating != a.Rating {
			x.Rating = b.Rating
		}
		if b.Comment != a.Comment {
			x.Comment = b.Comment
		}
		if b.GoodPractice != a.GoodPractice {
			x.GoodPractice = b.GoodPractice
		}
	}
	if b.Rating != a.Rating {
		fields = append(fields, "rating")
	}
	if b.Comment != a.Comment {
		fields = append(fields, "comment")
	}
	if b.GoodPractice != a.GoodPractice {
		fields = append(fields, "good practice")
	}
	cmd := s.write(u.key, set)
	return tea.Batch(cmd, common.Status("undone: "+model.SanitizeLine(u.key.Respondent)+"'s "+strings.Join(fields, ", ")+" put back", false))
}

// restore writes the annotation as version v of the history left it, as a
// new change; it can itself be undone.
func (s *Screen) restore(v uint64) tea.Cmd {
	k := s.history.key
	if s.data.Row[k] == nil {
		return common.Status("not restored: that return is no longer in the audit", true)
	}
	if s.history.Latest(v) {
		return common.Status(fmt.Sprintf("version %d is the current one: nothing to restore", v), false)
	}
	was := s.history.AsOf(v)
	cmd := s.annotate(k, func(a *model.Annotation) {
		a.Rating, a.Comment, a.GoodPractice = was.Rating, was.Comment, was.GoodPractice
	})
	return tea.Batch(cmd, common.Status(fmt.Sprintf("restoring version %d of %s's annotation", v, model.SanitizeLine(k.Respondent)), false))
}

func nextRating(r model.Rating) model.Rating {
	rs := model.Ratings()
	for i, x := range rs {
		if x == r {
			return rs[(i+1)%len(rs)]
		}
	}
	return rs[0]
}
