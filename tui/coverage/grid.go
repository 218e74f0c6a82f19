package coverage

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"charter/model"
	"charter/tui/auditdata"
	"charter/tui/common"
)

const (
	nameW  = 20 // respondent column, with its trailing space
	cellW  = 3
	totalW = 7 // " total" (or "→total") and the row's " 5/7"
	// gridChrome counts the lines around the rows but the wrapped ones
	// above (headLines): the header; totals, legend, no-return list, the
	// selected cell.
	gridChrome = 5
	// maxHeadLines bounds the section's and the question's titles each.
	maxHeadLines = 3
)

// grid is one section's respondents × questions with a cell cursor. The
// cursor and both offsets are kept right in update and setSize; view only
// reads them.
type grid struct {
	st            *common.Styles
	data          *gridData
	rows          common.List
	col, colOff   int
	width, height int
}

// set shows a section's grid, keeping the cursor on the same respondent
// and question when they are still there.
func (g *grid) set(d *gridData) {
	var rowKey, colKey string
	onName := g.data != nil && g.col < 0
	if g.data != nil && g.rows.Len() > 0 {
		rowKey = g.data.rows[g.rows.Cursor()].key
	}
	if g.data != nil && g.col >= 0 && g.col < len(g.data.questions) {
		colKey = g.data.questions[g.col].key
	}
	g.data = d
	row, col := 0, 0
	for i, r := range d.rows {
		if r.key == rowKey {
			row = i
		}
	}
	for i, q := range d.questions {
		if q.key == colKey {
			col = i
		}
	}
	g.rows.SetLen(len(d.rows))
	g.rows.SetCursor(row)
	g.col = col
	if onName {
		g.col = nameCol
	}
	g.layout()
}

// nameCol is the cursor's column when it is on the respondents' names:
// enter there opens the row's dossier.
const nameCol = -1

// reset shows a section from its first cell.
func (g *grid) reset(d *gridData) {
	g.data = nil
	g.rows = common.List{}
	g.col, g.colOff = 0, 0
	g.set(d)
}

func (g *grid) setSize(w, h int) { g.width, g.height = w, h; g.layout() }

// rowSpace is how many lines the rows may take, and whether a line of
// "more above / below" marks is needed.
func (g *grid) rowSpace() (rows int, marks bool) {
	avail := max(g.height-gridChrome-len(g.headLines()), 1)
	if g.data == nil || len(g.data.rows) <= avail {
		return avail, false
	}
	return max(avail-1, 1), true
}

func (g *grid) visCols() int { return max((g.width-nameW-totalW)/cellW, 1) }

// layout fits the row window and the column offset to the size and data.
func (g *grid) layout() {
	if g.data != nil {
		g.col = common.Clamp(g.col, nameCol, len(g.data.questions)-1)
	}
	rows, _ := g.rowSpace()
	g.rows.SetHeight(rows)
	if g.data == nil {
		return
	}
	n := len(g.data.questions)
	vis := g.visCols()
	col := max(g.col, 0)
	if col < g.colOff {
		g.colOff = col
	}
	if col >= g.colOff+vis {
		g.colOff = col - vis + 1
	}
	g.colOff = common.Clamp(g.colOff, 0, max(n-vis, 0))
}

// empty reports a section with nothing to move over.
func (g *grid) empty() bool {
	return g.data == nil || len(g.data.questions) == 0 || len(g.data.rows) == 0
}

// update moves the cursor; it reports whether the key was one of the
// grid's.
func (g *grid) update(msg tea.KeyPressMsg, k keys) bool {
	if g.empty() {
		return false
	}
	switch {
	case key.Matches(msg, k.Left):
		if g.col == nameCol {
			return false
		}
		g.col--
	case key.Matches(msg, k.Right):
		g.col++
	default:
		return g.rows.Step(msg, k.List)
	}
	g.layout()
	return true
}

// bindings are the keys the grid dispatches in its current state.
func (g *grid) bindings(k keys) []key.Binding {
	if g.empty() {
		return nil
	}
	out := append(k.List.Bindings(), k.Left, k.Right)
	if _, ok := g.selected(); ok || g.onName() {
		out = append(out, k.Open)
	}
	return append(out, k.Dossier)
}

// onName reports the cursor on the respondents' names.
func (g *grid) onName() bool { return !g.empty() && g.col == nameCol }

// selected is the key of the return under the cursor, if the data holds
// one (none on the names column).
func (g *grid) selected() (model.ReturnKey, bool) {
	if g.empty() || g.col < 0 {
		return model.ReturnKey{}, false
	}
	r := g.data.rows[g.rows.Cursor()]
	if !r.cells[g.col].present {
		return model.ReturnKey{}, false
	}
	return model.ReturnKey{Region: g.data.region, QuestionID: g.data.questions[g.col].key, Respondent: r.key}, true
}

// respondent is the row under the cursor's region and name as stored.
func (g *grid) respondent() (region, name string, ok bool) {
	if g.empty() {
		return "", "", false
	}
	return g.data.region, g.data.rows[g.rows.Cursor()].key, true
}

func (g grid) view() string {
	st, d := g.st, g.data
	if d.note != "" || len(d.questions) == 0 || len(d.rows) == 0 {
		lines := []string{st.Title.Render(d.title)}
		switch {
		case d.note != "":
			lines = append(lines, st.Muted.Render(d.note))
		case len(d.questions) == 0:
			lines = append(lines, st.Muted.Render("This section has no questions in the source."))
			if d.hasMatrix {
				lines = append(lines, st.Muted.Render("Press v for its prisons × pathways matrix."))
			}
		default:
			lines = append(lines, st.Muted.Render("No returns for this section's questions."))
		}
		return fit(lines, g.width, g.height)
	}
	lines := g.headLines()
	colEnd := min(g.colOff+g.visCols(), len(d.questions))
	lines = append(lines, g.header(colEnd))

	from, to := g.rows.Window()
	for ri := from; ri < to; ri++ {
		r := d.rows[ri]
		name := common.Pad(r.name, nameW-1) + " "
		switch {
		case ri == g.rows.Cursor() && g.col == nameCol:
			name = st.SelectedRow.Render(common.Pad(r.name, nameW-1)) + " "
		case ri == g.rows.Cursor():
			name = st.FocusLabel.Render(name)
		}
		line := name
		for qi := g.colOff; qi < colEnd; qi++ {
			mark := cellMark(st, r.cells[qi])
			if ri == g.rows.Cursor() && qi == g.col {
				mark = st.SelectedRow.Render(common.Strip(mark))
			}
			line += mark + strings.Repeat(" ", cellW-1)
		}
		lines = append(lines, line+" "+fmt.Sprintf("%d/%d", r.answered, len(d.questions)))
	}
	if _, marks := g.rowSpace(); marks {
		lines = append(lines, st.Subtle.Render(moreMarks(g.rows.Above(), g.rows.Below(), "respondents")))
	}

	tot := common.Pad("answered", nameW)
	for qi := g.colOff; qi < colEnd; qi++ {
		tot += common.Pad(fmt.Sprint(d.colTotals[qi]), cellW)
	}
	tot += " " + fmt.Sprintf("%d/%d", d.answered, len(d.rows)*len(d.questions))
	lines = append(lines, st.Bold.Render(tot))
	legend := "✓ answered  – not answered (Na)  ✗ no return  M/P/N rated meets/partly/not met"
	if d.missing {
		legend += "  · no record"
	}
	lines = append(lines, st.Subtle.Render(legend), g.noReturnLine(), g.detail())
	return fit(lines, g.width, g.height)
}

// headLines are the section's title with how many returned, and the
// selected question's number and title, each wrapped so that it can be
// read whole; the rows make room for them.
func (g grid) headLines() []string {
	d := g.data
	if d == nil || d.note != "" || g.col < nameCol || g.col >= len(d.questions) || len(d.rows) == 0 {
		return []string{""}
	}
	st := g.st
	title, count := st.Title.Render(d.title), st.Subtle.Render(d.returnedLine())
	var lines []string
	if common.Width(title)+3+common.Width(count) <= g.width {
		lines = []string{title + "   " + count}
	} else {
		lines = append(wrapHead(title, g.width), count)
	}
	if g.col == nameCol {
		return append(lines, wrapHead(st.Bold.Render("Respondents")+" — enter: everything the audit holds about the one selected", g.width)...)
	}
	q := d.questions[g.col]
	return append(lines, wrapHead(st.Bold.Render(fmt.Sprintf("Q%d", q.order))+" "+q.title, g.width)...)
}

// wrapHead wraps a heading to the width, at most maxHeadLines lines.
func wrapHead(s string, w int) []string {
	lines := common.WrapLines(s, max(w, 10))
	if len(lines) > maxHeadLines {
		lines = lines[:maxHeadLines]
		lines[maxHeadLines-1] = common.Truncate(lines[maxHeadLines-1]+" …", w)
	}
	return lines
}

// header numbers the visible questions, the selected one highlighted,
// with arrows where questions lie out of sight to the left or right. Its
// parts are styled one by one: a style over already styled text would
// break the inner sequences.
func (g grid) header(colEnd int) string {
	st, d := g.st, g.data
	var before, focus, after strings.Builder
	if g.colOff > 0 {
		before.WriteString("←" + strings.Repeat(" ", nameW-1))
	} else {
		before.WriteString(strings.Repeat(" ", nameW))
	}
	for i := g.colOff; i < colEnd; i++ {
		label := common.Pad(fmt.Sprint(d.questions[i].order), cellW-1) + " "
		switch {
		case i < g.col:
			before.WriteString(label)
		case i == g.col:
			focus.WriteString(label)
		default:
			after.WriteString(label)
		}
	}
	if colEnd < len(d.questions) {
		after.WriteString("→")
	} else {
		after.WriteString(" ")
	}
	after.WriteString("total")
	return st.TableHeader.Render(before.String()) + st.FocusLabel.Underline(true).Render(focus.String()) +
		st.TableHeader.Render(after.String())
}

// noReturnLine names the respondents that sent nothing, as many as fit,
// then how many more (their rows are all ✗).
func (g grid) noReturnLine() string {
	d := g.data
	if len(d.noReturn) == 0 {
		return g.st.Subtle.Render("Every respondent of this section sent a return.")
	}
	label := "No return: "
	for n := len(d.noReturn); n > 0; n-- {
		text := label + strings.Join(d.noReturn[:n], ", ")
		if n < len(d.noReturn) {
			text += fmt.Sprintf(", and %d more (rows of ✗)", len(d.noReturn)-n)
		}
		if common.Width(text) <= g.width || n == 1 {
			return g.st.NoReturn.Render(label) + text[len(label):]
		}
	}
	return ""
}

// detail describes the selected cell: whose return, to which question,
// its status, the reviewers' rating and the answer's first line.
func (g grid) detail() string {
	d := g.data
	r := d.rows[g.rows.Cursor()]
	if g.col == nameCol {
		return g.st.Bold.Render("▸ "+r.name+": ") + g.st.Muted.Render("enter opens its dossier")
	}
	c := r.cells[g.col]
	head := g.st.Bold.Render(fmt.Sprintf("▸ %s · Q%d: ", r.name, d.questions[g.col].order))
	if !c.present {
		return head + g.st.Muted.Render("no return in the data")
	}
	text := auditdata.StatusWord(&model.Return{Status: c.status})
	if b := auditdata.RatingBadge(g.st, c.ann); b != "" {
		text += " " + b
	}
	switch {
	case c.status == model.StatusNoReturn:
		text += g.st.Muted.Render(" — this establishment sent nothing")
	case c.status == model.StatusNotAnswered && c.first != "":
		text += g.st.Muted.Render(" — the source says “" + c.first + "”")
	case c.first != "":
		text += " — " + c.first
	}
	return head + text
}

// cellMark is a return's cell: a symbol that reads without colour, or the
// rating's letter once rated.
func cellMark(st *common.Styles, c cell) string {
	if !c.present {
		return st.Subtle.Render("·")
	}
	switch c.ann.Rating {
	case model.RatingMeets:
		return st.RatingStyle(c.ann.Rating).Render("M")
	case model.RatingPartly:
		return st.RatingStyle(c.ann.Rating).Render("P")
	case model.RatingNotMet:
		return st.RatingStyle(c.ann.Rating).Render("N")
	}
	switch c.status {
	case model.StatusAnswered:
		return st.Success.Render("✓")
	case model.StatusNotAnswered:
		return st.NotAnswer.Render("–")
	}
	return st.NoReturn.Render("✗")
}

// moreMarks says what is scrolled out of sight.
func moreMarks(above, below int, noun string) string {
	var parts []string
	if above > 0 {
		parts = append(parts, fmt.Sprintf("↑ %d more above", above))
	}
	if below > 0 {
		parts = append(parts, fmt.Sprintf("↓ %d more below", below))
	}
	if len(parts) == 0 {
		return ""
	}
	return "  " + strings.Join(parts, " · ") + " (" + noun + ")"
}

// fit cuts lines to the area: h lines at most, each w cells at most.
func fit(lines []string, w, h int) string {
	if len(lines) > h {
		lines = lines[:max(h, 1)]
	}
	for i, l := range lines {
		if common.Width(l) > w {
			lines[i] = common.Truncate(l, w)
		}
	}
	return strings.Join(lines, "\n")
}
