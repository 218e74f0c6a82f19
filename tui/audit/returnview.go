package audit

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"charter/model"
	"charter/tui/auditdata"
	"charter/tui/common"
)

// The parts of a return as the reader and the reading queue draw them.
// Every text comes from auditdata's drawn fields.

// answerLines is a return's answer (or what stands for it) wrapped to
// w-4 and indented, in its status's style.
func answerLines(st *common.Styles, t *auditdata.ReturnText, w int) []string {
	ret := t.Ret
	text := t.Answer
	switch ret.Status {
	case model.StatusNoReturn:
		text = "(no return: this establishment sent nothing)"
	case model.StatusNotAnswered:
		text = "(not answered — the source says “" + text + "”)"
	}
	style := st.ReturnStyle(ret.Status)
	var out []string
	for _, l := range common.WrapLines(text, w-4) {
		out = append(out, "    "+style.Render(l))
	}
	return out
}

// commentLines is the reviewer's comment, every line of it, wrapped and
// indented under its author.
func commentLines(st *common.Styles, t *auditdata.ReturnText, w int) []string {
	if t.Note.Comment == "" {
		return nil
	}
	var out []string
	for _, l := range common.WrapLines("comment ("+t.Note.By+"): "+t.Note.Comment, w-4) {
		out = append(out, "    "+st.Muted.Render(l))
	}
	return out
}

// returnHead is who answered, the status and the annotation in words.
func returnHead(st *common.Styles, t *auditdata.ReturnText) string {
	head := t.Respondent + " — " + auditdata.StatusWord(t.Ret)
	if b := auditdata.RatingBadge(st, t.Ret.Annotation); b != "" {
		head += "  " + b
	}
	return head
}

// questionHeading is "Q3 EXAMPLES OF COLLABORATIVE WORK" (with the part of
// a combined assessment where there is one).
func questionHeading(d *auditdata.Data, q *model.Question) string {
	return fmt.Sprintf("Q%d %s", q.Order, d.QText[q].Heading)
}

// benchmarkLines is a question's benchmark under its label, wrapped to w.
func benchmarkLines(st *common.Styles, qt *auditdata.QuestionText, w int) []string {
	bench := qt.Benchmark
	if strings.TrimSpace(bench) == "" {
		bench = "(the source gives no benchmark for this question)"
	}
	out := []string{st.Benchmark.Render(common.Truncate(qt.BenchmarkLabel+":", w))}
	for _, l := range common.WrapLines(bench, w) {
		out = append(out, st.Benchmark.Render(l))
	}
	return out
}

// promptLines is what the question asked, wrapped to w.
func promptLines(st *common.Styles, qt *auditdata.QuestionText, w int) []string {
	if strings.TrimSpace(qt.Prompt) == "" {
		return nil
	}
	var out []string
	for _, l := range common.WrapLines(qt.Prompt, w) {
		out = append(out, st.Subtle.Render(l))
	}
	return out
}

// ratingMeaning says on one line what each rating means, for where a
// reviewer rates.
func ratingMeaning(st *common.Styles, w int) string {
	return st.Subtle.Render(common.Truncate("y meets: all the benchmark asks · u partly: some of it · n not met: none of it", w))
}

// snippet is the words around the first place one of words occurs in the
// return's answer, its comment or its question, with where it was:
// "answer: …produce alley gates for local…". Empty when none holds one.
func snippet(d *auditdata.Data, t *auditdata.ReturnText, words []string, w int) string {
	if len(words) == 0 || w < 12 {
		return ""
	}
	places := []struct{ name, text string }{{"answer", t.Answer}, {"comment", t.Note.Comment}}
	if q := d.Question[auditdata.QKey(t.Key.Region, t.Key.QuestionID)]; q != nil {
		qt := d.QText[q]
		places = append(places, struct{ name, text string }{"question", qt.Title}, struct{ name, text string }{"question", qt.Prompt},
			struct{ name, text string }{"benchmark", qt.Benchmark})
	}
	for _, p := range places {
		flat := strings.Join(strings.Fields(p.text), " ")
		lower := strings.ToLower(flat)
		if len(lower) != len(flat) {
			continue // case folding changed the length: offsets would not agree
		}
		for _, word := range words {
			i := strings.Index(lower, word)
			if i < 0 {
				continue
			}
			return p.name + ": " + around(flat, i, i+len(word), w-len(p.name)-2)
		}
	}
	return ""
}

// around cuts text to w cells around [from, to), starting at a word
// boundary where one is near, marking what it leaves out with "…". The
// match stays whole when it is no wider than half of w.
func around(text string, from, to, w int) string {
	if common.Width(text) <= w {
		return text
	}
	// Start up to a third of the room left beside the match before it…
	budget := max((w-common.Width(text[from:to]))/3, 0)
	start := from
	for start > 0 && common.Width(text[start-1:from]) <= budget {
		start--
	}
	for start < from && !utf8.RuneStart(text[start]) {
		start++
	}
	// …and, if that is inside a word, after the next space in that
	// stretch, so no word is cut at the left.
	if start > 0 && text[start-1] != ' ' {
		if sp := strings.IndexByte(text[start:from], ' '); sp >= 0 {
			start += sp + 1
		}
	}
	out := text[start:]
	if start > 0 {
		out = "…" + out
	}
	return common.Truncate(out, w)
}
