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

// reader is one question: its benchmark above (or, on a wide terminal,
// beside) every return, one of them selected. The arrows go from return
// to return; the page keys scroll the text, so every line of every answer
// can be brought on screen. "b" puts the whole benchmark in the scrolled
// text.
type reader struct {
	st   *common.Styles
	keys keys
	data *auditdata.Data
	q    *model.Question
	rows []*auditdata.ReturnText
	cur  int

	bench         benchMode // kept while moving between returns and questions
	width, height int
	benchShown    []string // the benchmark's lines, shown apart from the text
	text          textPane
	spans         [][2]int // each return's lines in the text
}

func newReader(st *common.Styles, k keys) *reader {
	return &reader{st: st, keys: k, text: newTextPane()}
}

// Open shows question q with the return of key k selected (or the first).
func (r *reader) Open(d *auditdata.Data, q *model.Question, k model.ReturnKey) {
	r.data, r.q = d, q
	r.rows = r.rows[:0]
	r.cur = 0
	for i, x := range d.Returns[auditdata.QKey(q.Region, q.ID)] {
		t := d.Row[x.Key()]
		r.rows = append(r.rows, t)
		if t.Key == k {
			r.cur = i
		}
	}
	r.text.vp.SetYOffset(0)
	r.layout()
	r.showSelected()
}

// Refresh re-reads the rows from d (new data, or an annotation changed),
// keeping the question and the selected return; it reports false if d no
// longer has the question.
func (r *reader) Refresh(d *auditdata.Data) bool {
	if r.q == nil {
		return false
	}
	q := d.Question[auditdata.QKey(r.q.Region, r.q.ID)]
	if q == nil {
		return false
	}
	sel, _ := r.Selected()
	off := r.text.vp.YOffset()
	r.Open(d, q, sel)
	r.text.vp.SetYOffset(off)
	r.showSelected()
	return true
}

// Selected is the selected return's key.
func (r *reader) Selected() (model.ReturnKey, bool) {
	if r.cur < len(r.rows) {
		return r.rows[r.cur].Key, true
	}
	return model.ReturnKey{}, false
}

func (r *reader) SetSize(w, h int) {
	r.width, r.height = w, h
	if r.q != nil {
		r.layout()
		r.showSelected()
	}
}

func (r *reader) SetStyles(st *common.Styles) {
	r.st = st
	if r.q != nil {
		r.layout()
	}
}

// benchMode is how the reader shows the question's benchmark: cut to a
// third of the screen (or beside the returns), whole at the top of the
// scrolled text, or hidden. "b" goes round them; the choice stays while
// the reviewer moves between returns and questions.
type benchMode int

const (
	benchCut benchMode = iota
	benchWhole
	benchHidden
)

func (r *reader) wide() bool { return r.width >= 110 && r.bench == benchCut }

// layout builds the benchmark's and the returns' lines for the size.
func (r *reader) layout() {
	benchW, textW := r.width, r.width
	if r.wide() {
		benchW = r.width*2/5 - 2
		textW = r.width - benchW - 3
	}
	bench := r.benchLines(benchW)
	var lines []string
	switch r.bench {
	case benchWhole:
		lines = append(lines, bench...)
		lines = append(lines, r.st.Subtle.Render(strings.Repeat("─", max(r.width, 1))))
		bench = nil
	case benchHidden:
		bench = []string{bench[0], r.st.Subtle.Render(common.Truncate(r.data.QText[r.q].BenchmarkLabel+" hidden — b: show it", r.width))}
	}
	r.spans = r.spans[:0]
	for i, t := range r.rows {
		from := len(lines)
		lines = append(lines, r.returnLines(t, i == r.cur, textW)...)
		r.spans = append(r.spans, [2]int{from, len(lines)})
	}
	textH := r.height - 2 // the lines under the text: where it is, and what ratings mean
	if !r.wide() && r.bench != benchWhole {
		n := min(len(bench), max(r.height/3, 4))
		if n < len(bench) {
			cut := bench[:n:n]
			cut[n-1] = common.Truncate(cut[n-1], max(r.width-22, 10)) + r.st.Subtle.Render(" … b: whole benchmark")
			bench = cut
		}
		textH -= len(bench) + 1 // the benchmark and a rule
	} else if r.wide() && len(bench) > textH {
		cut := bench[:textH:textH]
		cut[textH-1] = common.Truncate(cut[textH-1], max(benchW-22, 10)) + r.st.Subtle.Render(" … b: whole")
		bench = cut
	}
	r.benchShown = bench
	r.text.SetSize(textW, max(textH, 1))
	r.text.SetLines(lines)
}

func (r *reader) showSelected() {
	if r.cur < len(r.spans) {
		r.text.Show(r.spans[r.cur][0], r.spans[r.cur][1])
	}
}

func (r *reader) benchLines(w int) []string {
	qt := r.data.QText[r.q]
	st := r.st
	out := []string{st.Bold.Render(common.Truncate(questionHeading(r.data, r.q), w))}
	if qt.Prompt != "" {
		for _, l := range common.WrapLines(qt.Prompt, w) {
			out = append(out, st.Subtle.Render(l))
		}
	}
	bench := qt.Benchmark
	if strings.TrimSpace(bench) == "" {
		bench = "(the source gives no benchmark for this question)"
	}
	out = append(out, st.Benchmark.Render(qt.BenchmarkLabel+":"))
	for _, l := range common.WrapLines(bench, w) {
		out = append(out, st.Benchmark.Render(l))
	}
	return out
}

// returnLines is one return: who, its status and annotation, the answer
// wrapped, and the reviewer's comment.
func (r *reader) returnLines(t *auditdata.ReturnText, selected bool, w int) []string {
	st := r.st
	head := returnHead(st, t)
	if selected {
		head = st.FocusLabel.Render("▶ ") + st.Bold.Render(head)
	} else {
		head = "  " + st.Bold.Render(head)
	}
	out := []string{common.Truncate(head, w)}
	out = append(out, answerLines(st, t, w)...)
	return append(out, commentLines(st, t, w)...)
}

// benchKey is the benchmark key with what it does next as its help.
func (r *reader) benchKey() key.Binding {
	b := r.keys.Bench
	switch r.bench {
	case benchCut:
		b.SetHelp("b", "whole benchmark")
	case benchWhole:
		b.SetHelp("b", "hide benchmark")
	default:
		b.SetHelp("b", "show benchmark")
	}
	return b
}

func (r *reader) Keys() []key.Binding {
	k := r.keys
	return []key.Binding{k.PrevRet, k.NextRet, k.ScrollUp, k.ScrollDown, k.Top, k.Bottom, r.benchKey(), k.PrevQ, k.NextQ, k.Back}
}

// Update handles the reader's keys (esc is the router's).
func (r *reader) Update(msg tea.KeyPressMsg) bool {
	k := r.keys
	move := func(to int) {
		r.cur = common.Clamp(to, 0, len(r.rows)-1)
		r.layout()
		r.showSelected()
	}
	switch {
	case key.Matches(msg, k.PrevRet):
		move(r.cur - 1)
	case key.Matches(msg, k.NextRet):
		move(r.cur + 1)
	case key.Matches(msg, k.Top):
		move(0)
	case key.Matches(msg, k.Bottom):
		move(len(r.rows) - 1)
	case key.Matches(msg, k.ScrollUp):
		r.text.vp.ScrollUp(max(r.text.vp.Height()-1, 1))
	case key.Matches(msg, k.ScrollDown):
		r.text.vp.ScrollDown(max(r.text.vp.Height()-1, 1))
	case key.Matches(msg, k.Bench):
		r.bench = (r.bench + 1) % 3
		r.layout()
		r.showSelected()
	default:
		return false
	}
	return true
}

func (r *reader) View(h int) string {
	st := r.st
	answered := 0
	for _, t := range r.rows {
		if t.Ret.Status == model.StatusAnswered {
			answered++
		}
	}
	info := fmt.Sprintf("return %d of %d · %d answered", min(r.cur+1, len(r.rows)), len(r.rows), answered)
	if m := common.Strip(moreLine(st, r.text.Above(), r.text.Below())); m != "" {
		info += " · " + m + " (pgup/pgdn)"
	}
	info = st.Subtle.Render(common.Truncate(info, r.width))
	text := strings.Split(r.text.View(), "\n")
	var out []string
	if r.wide() {
		benchW := r.width*2/5 - 2
		for i, l := range text {
			b := ""
			if i < len(r.benchShown) {
				b = r.benchShown[i]
			}
			out = append(out, common.Pad(b, benchW)+" │ "+l)
		}
	} else {
		out = append(out, r.benchShown...)
		if r.bench != benchWhole {
			out = append(out, st.Subtle.Render(strings.Repeat("─", max(r.width, 1))))
		}
		out = append(out, text...)
	}
	out = append(out, info, ratingMeaning(st, r.width))
	return common.FitHeight(strings.Join(out, "\n"), h, r.width)
}
