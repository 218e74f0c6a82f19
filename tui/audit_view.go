package tui

import (
	"fmt"
	"strings"

	"charter/model"
)

func (s *auditScreen) View() string {
	if s.data == nil {
		return s.st.Muted.Render("Loading the audit…")
	}
	sec, ok := s.section()
	if !ok {
		return s.st.Muted.Render("No audit data. Import returns with: charter import returns FILE.csv")
	}
	var head []string
	head = append(head, s.st.Title.Render(sectionTitle(sec))+s.st.Subtle.Render("   a alliance · t kind · [ ] section"))
	head = append(head, s.filterLine())
	bodyH := max(s.height-len(head)-1, 1)
	var body []string
	switch s.mode {
	case modeQuestions:
		body = s.questionsView(sec, bodyH)
	case modeReturns:
		body = s.returnsView(bodyH)
	case modeResults:
		body = s.listView("Returns matching the filter", s.results, bodyH)
	case modeGood:
		body = s.listView("Good practice across all alliances", s.good, bodyH)
	case modeComments:
		body = s.commentsView(sec, bodyH)
	case modeHistory:
		body = s.historyView(bodyH)
	}
	foot := ""
	if s.editing {
		foot = s.comment.View()
	}
	return strings.Join(head, "\n") + "\n" + strings.Join(body, "\n") + "\n" + foot
}

func (s *auditScreen) filterLine() string {
	if s.filtering {
		line := s.filter.View()
		if s.filterErr != "" {
			line += "  " + s.st.FilterError.Render("✗ "+s.filterErr)
		}
		return truncate(line, s.width)
	}
	if s.query != "" {
		return s.st.Label.Render("Filter: ") + model.SanitizeLine(s.query) + s.st.Subtle.Render(fmt.Sprintf("  · %d returns (esc clear)", len(s.results)))
	}
	return s.st.Subtle.Render("/ filter · P good-practice list · m regional comments · ? help")
}

func (s *auditScreen) questionsView(sec model.Section, h int) []string {
	qs := s.data.questions[sec]
	var out []string
	if len(qs) == 0 {
		out = append(out, s.st.Muted.Render("This section has no questions in the source."))
		if n := len(s.data.comments[sec]); n > 0 {
			out = append(out, s.st.Muted.Render(fmt.Sprintf("It has %s: press m.", plural(n, "regional comment", "regional comments"))))
		}
		if s.data.pathways[sec] != nil {
			out = append(out, s.st.Muted.Render("Its prisons × pathways matrix is on the Coverage tab (3, then v)."))
		}
		return out
	}
	respondents := len(s.data.respondentsOf(sec))
	out = append(out, s.st.TableHeader.Render(pad(" #  Question", s.width-24)+pad("answered", 12)+pad("rated", 10)))
	rows := h - 2
	start := clamp(s.qCursor-rows+1, 0, max(len(qs)-rows, 0))
	for i := start; i < len(qs) && i < start+rows; i++ {
		q := qs[i]
		answered, rated := 0, 0
		for _, r := range s.data.returns[qkey(q.Region, q.ID)] {
			if r.Status == model.StatusAnswered {
				answered++
			}
			if r.Annotation.Rating != model.RatingNone {
				rated++
			}
		}
		title := fmt.Sprintf("%2d  %s", q.Order, model.SanitizeLine(q.Title))
		line := pad(title, s.width-25) + " " + pad(fmt.Sprintf("%d/%d", answered, respondents), 12) + pad(fmt.Sprintf("%d", rated), 10)
		if i == s.qCursor {
			line = s.st.SelectedRow.Render("▶" + truncate(line, s.width-1))
		} else {
			line = " " + line
		}
		out = append(out, line)
	}
	if n := len(s.data.comments[sec]); n > 0 {
		out = append(out, "", s.st.Subtle.Render(fmt.Sprintf("%s for this section: press m", plural(n, "regional comment", "regional comments"))))
	}
	return out
}

// benchmarkLines is the question's prompt and benchmark, wrapped.
func (s *auditScreen) benchmarkLines(q *model.Question, w int) []string {
	var out []string
	out = append(out, s.st.Bold.Render(truncate(fmt.Sprintf("Q%d %s", q.Order, model.SanitizeLine(q.Title)), w)))
	if q.Prompt != "" {
		for _, l := range strings.Split(wrap(model.Sanitize(q.Prompt, true), w), "\n") {
			out = append(out, s.st.Subtle.Render(l))
		}
	}
	label := q.BenchmarkLabel
	if label == "" {
		label = "BENCHMARK"
	}
	bench := model.Sanitize(q.Benchmark, true)
	if strings.TrimSpace(bench) == "" {
		bench = "(the source gives no benchmark for this question)"
	}
	out = append(out, s.st.Benchmark.Render(label+":"))
	for _, l := range strings.Split(wrap(bench, w), "\n") {
		out = append(out, s.st.Benchmark.Render(l))
	}
	return out
}

// returnLines renders one return: the respondent, status, annotation, and
// the answer wrapped.
func (s *auditScreen) returnLines(r *model.Return, selected bool, w int) []string {
	name := model.SanitizeLine(r.Respondent)
	if resp := s.data.respondents[respKey(r.Region, r.Kind, r.Respondent)]; resp != nil && resp.Normalised != "" {
		name += " (" + model.SanitizeLine(resp.Normalised) + ")"
	}
	head := name + " — " + statusWord(r)
	if b := ratingBadge(s.st, r.Annotation); b != "" {
		head += "  " + b
	}
	marker := "  "
	if selected {
		marker = "▶ "
		head = s.st.FocusLabel.Render(marker) + s.st.Bold.Render(head)
	} else {
		head = marker + s.st.Bold.Render(head)
	}
	out := []string{truncate(head, w)}
	style := s.st.ReturnStyle(r.Status)
	text := model.Sanitize(r.Answer, true)
	switch r.Status {
	case model.StatusNoReturn:
		text = "(no return: this establishment sent nothing)"
	case model.StatusNotAnswered:
		text = "(not answered — the source says “" + text + "”)"
	}
	for _, l := range strings.Split(wrap(text, w-4), "\n") {
		out = append(out, "    "+style.Render(l))
	}
	if c := r.Annotation.Comment; c != "" {
		for _, l := range strings.Split(wrap("comment ("+model.SanitizeLine(r.Annotation.By)+"): "+model.Sanitize(c, false), w-4), "\n") {
			out = append(out, "    "+s.st.Muted.Render(l))
		}
	}
	return out
}

func (s *auditScreen) returnsView(h int) []string {
	q := s.currentQuestion()
	if q == nil {
		return nil
	}
	rs := s.currentReturns()
	wide := s.width >= 110
	benchW := s.width
	if wide {
		benchW = s.width*2/5 - 2
	}
	bench := s.benchmarkLines(q, benchW)
	retW := s.width
	if wide {
		retW = s.width - benchW - 3
	}
	// The returns as one document; the selected one is kept in view.
	var doc []string
	selStart, selEnd := 0, 0
	for i, r := range rs {
		if i == s.rCursor {
			selStart = len(doc)
		}
		doc = append(doc, s.returnLines(r, i == s.rCursor, retW)...)
		if i == s.rCursor {
			selEnd = len(doc)
		}
	}
	answered := 0
	for _, r := range rs {
		if r.Status == model.StatusAnswered {
			answered++
		}
	}
	info := s.st.Subtle.Render(fmt.Sprintf("return %d of %d · %d answered · r rate · c comment · p good practice · h history · esc back", s.rCursor+1, len(rs), answered))
	if wide {
		docH := h - 1
		off := s.returnsOffset(selStart, selEnd, docH, len(doc))
		var out []string
		for i := 0; i < docH; i++ {
			l, r := "", ""
			if i < len(bench) {
				l = bench[i]
			}
			if off+i < len(doc) {
				r = doc[off+i]
			}
			out = append(out, pad(l, benchW)+" │ "+r)
		}
		return append(out, truncate(info, s.width))
	}
	maxBench := min(len(bench), max(h/3, 4))
	if s.fullBench {
		maxBench = min(len(bench), h-4)
	}
	top := bench[:maxBench]
	if maxBench < len(bench) {
		top[maxBench-1] = s.st.Benchmark.Render(truncate(ansiStrip(top[maxBench-1]), s.width-24)) + s.st.Subtle.Render(" … b: whole benchmark")
	}
	docH := max(h-len(top)-2, 1)
	off := s.returnsOffset(selStart, selEnd, docH, len(doc))
	out := append([]string{}, top...)
	out = append(out, s.st.Subtle.Render(strings.Repeat("─", s.width)))
	end := min(off+docH, len(doc))
	out = append(out, doc[off:end]...)
	for len(out) < h-1 {
		out = append(out, "")
	}
	more := ""
	if end < len(doc) {
		more = " · ↓ more"
	}
	return append(out, truncate(info+s.st.Subtle.Render(more), s.width))
}

// returnsOffset keeps the selected return in view, unless the reader has
// paged through the text, and remembers the result.
func (s *auditScreen) returnsOffset(from, to, h, total int) int {
	if s.pinned {
		s.offset = clamp(s.offset, 0, max(total-h, 0))
	} else {
		s.offset = scrollTo(s.offset, from, to, h, total)
	}
	return s.offset
}

// scrollTo returns an offset that keeps lines [from, to) in a window of h
// lines, moving as little as possible.
func scrollTo(off, from, to, h, total int) int {
	if to-from > h {
		to = from + h
	}
	if from < off {
		off = from
	}
	if to > off+h {
		off = to - h
	}
	return clamp(off, 0, max(total-h, 0))
}

func (s *auditScreen) listView(title string, list []*model.Return, h int) []string {
	out := []string{s.st.Bold.Render(fmt.Sprintf("%s (%d)", title, len(list)))}
	if len(list) == 0 {
		if s.mode == modeGood {
			return append(out, s.st.Muted.Render("Nothing flagged yet: press p on a return to flag it as good practice."))
		}
		return append(out, s.st.Muted.Render("No return matches."))
	}
	rows := h - 2
	s.resCursor = clamp(s.resCursor, 0, len(list)-1)
	start := clamp(s.resCursor-rows+1, 0, max(len(list)-rows, 0))
	for i := start; i < len(list) && i < start+rows; i++ {
		r := list[i]
		q := s.data.question[qkey(r.Region, r.QuestionID)]
		title := r.QuestionID
		if q != nil {
			title = fmt.Sprintf("Q%d %s", q.Order, q.Title)
		}
		qw := max(s.width-14-22-14-4, 10)
		line := pad(model.SanitizeLine(r.Respondent), 14) + " " + pad(allianceGroup(r.Section)+" · "+string(r.Kind), 22) + " " +
			pad(model.SanitizeLine(title), qw) + " " + pad(statusWord(r), 12)
		if b := ratingBadge(s.st, r.Annotation); b != "" {
			line += " " + b
		}
		if i == s.resCursor {
			line = s.st.SelectedRow.Render("▶" + truncate(ansiStrip(line), s.width-1))
		} else {
			line = " " + truncate(line, s.width-1)
		}
		out = append(out, line)
	}
	out = append(out, s.st.Subtle.Render("enter open · r c p annotate · esc back"))
	return out
}

func (s *auditScreen) commentsView(sec model.Section, h int) []string {
	var doc []string
	cs := s.data.comments[sec]
	if len(cs) == 0 {
		doc = append(doc, s.st.Muted.Render("The source has no regional comments for this section."))
	}
	for _, c := range cs {
		head := model.SanitizeLine(c.Heading)
		if c.Respondent != "" {
			head += " — on the return of " + model.SanitizeLine(c.Respondent)
		}
		doc = append(doc, s.st.Bold.Render(head))
		doc = append(doc, strings.Split(wrap(model.Sanitize(c.Text, true), s.width-2), "\n")...)
		doc = append(doc, "")
	}
	return scrollDoc(s, doc, h, "esc back · ↑↓ scroll")
}

func (s *auditScreen) historyView(h int) []string {
	r := s.selectedReturn()
	var doc []string
	if r != nil {
		doc = append(doc, s.st.Bold.Render("Annotation history: "+model.SanitizeLine(r.Respondent)+" · "+r.QuestionID))
	}
	if len(s.history) == 0 {
		doc = append(doc, s.st.Muted.Render("No reviewer has annotated this return yet."))
	}
	for i := len(s.history) - 1; i >= 0; i-- {
		c := s.history[i]
		doc = append(doc, truncate(fmt.Sprintf("v%d %s %s  %s: %s → %s", c.Version, c.At.Local().Format("2006-01-02 15:04"),
			model.SanitizeLine(c.By), c.Field, show(c.Old), show(c.New)), s.width))
	}
	return scrollDoc(s, doc, h, "esc back")
}

func scrollDoc(s *auditScreen, doc []string, h int, hint string) []string {
	rows := max(h-1, 1)
	s.offset = clamp(s.offset, 0, max(len(doc)-rows, 0))
	end := min(s.offset+rows, len(doc))
	out := append([]string{}, doc[s.offset:end]...)
	for len(out) < rows {
		out = append(out, "")
	}
	if end < len(doc) {
		hint += " · ↓ more"
	}
	return append(out, s.st.Subtle.Render(hint))
}
