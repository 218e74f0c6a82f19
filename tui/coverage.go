package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"charter/model"
)

type coverageKeys struct {
	listKeys
	Left, Right, Alliance, Kind, Prev, Next, Matrix key.Binding
}

func newCoverageKeys() coverageKeys {
	return coverageKeys{
		listKeys: newListKeys(),
		Left:     key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "previous question")),
		Right:    key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "next question")),
		Alliance: key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "next alliance")),
		Kind:     key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "next respondent kind")),
		Prev:     key.NewBinding(key.WithKeys("["), key.WithHelp("[", "previous section")),
		Next:     key.NewBinding(key.WithKeys("]"), key.WithHelp("]", "next section")),
		Matrix:   key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "grid / pathway matrix")),
	}
}

func (k coverageKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Left, k.Right, k.Alliance, k.Kind, k.Matrix}
}

func (k coverageKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.Left, k.Right, k.PageUp, k.PageDown, k.Top, k.Bottom}, {k.Alliance, k.Kind, k.Prev, k.Next, k.Matrix}}
}

// coverageScreen is tab 3: who answered what (respondents × questions) and
// the prisons × pathways matrix.
type coverageScreen struct {
	opts *Options
	st   *Styles
	keys coverageKeys

	width, height int
	data          *auditData
	picker        sectionPicker
	matrix        bool
	row, col      int
	rowOff        int
	colOff        int
	mOff          int
}

func newCoverageScreen(o *Options, st *Styles) *coverageScreen {
	return &coverageScreen{opts: o, st: st, keys: newCoverageKeys()}
}

func (s *coverageScreen) Init() tea.Cmd {
	if s.opts.Audit == nil {
		return nil
	}
	f := loadAudit(s.opts.Audit)
	return func() tea.Msg { return coverageLoadedMsg{f()} }
}

type coverageLoadedMsg struct{ auditLoadedMsg }

func (s *coverageScreen) SetSize(w, h int)     { s.width, s.height = w, h }
func (s *coverageScreen) SetStyles(st *Styles) { s.st = st }
func (s *coverageScreen) Keys() help.KeyMap    { return s.keys }
func (s *coverageScreen) Capturing() bool      { return false }

func (s *coverageScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case coverageLoadedMsg:
		if msg.err != nil {
			return setStatus("coverage: "+msg.err.Error(), true)
		}
		var sec model.Section
		had := false
		if s.data != nil {
			sec, had = s.picker.section(s.data)
		}
		s.data = msg.data
		if had {
			for i, x := range s.data.sections {
				if x == sec {
					s.picker.cur = i
				}
			}
		}
	case changedMsg:
		if msg.Kind == model.EventAnnotation || msg.Kind == model.EventImport {
			return s.Init()
		}
	case tea.KeyPressMsg:
		s.key(msg.String())
	}
	return nil
}

func (s *coverageScreen) key(k string) {
	if s.data == nil {
		return
	}
	switch {
	case matches(k, s.keys.Matrix):
		s.matrix = !s.matrix
		return
	case matches(k, s.keys.Alliance):
		s.picker.nextAlliance(s.data)
		s.row, s.col = 0, 0
		return
	case matches(k, s.keys.Kind):
		s.picker.nextKind(s.data)
		s.row, s.col = 0, 0
		return
	case matches(k, s.keys.Next):
		s.picker.step(s.data, 1)
		s.row, s.col = 0, 0
		return
	case matches(k, s.keys.Prev):
		s.picker.step(s.data, -1)
		s.row, s.col = 0, 0
		return
	}
	if s.matrix {
		if c, ok := s.keys.step(k, s.mOff, 1<<20, s.height/2); ok {
			s.mOff = c
		}
		return
	}
	sec, ok := s.picker.section(s.data)
	if !ok {
		return
	}
	rows := len(s.data.respondentsOf(sec))
	cols := len(s.data.questions[sec])
	switch {
	case matches(k, s.keys.Left):
		s.col = clamp(s.col-1, 0, cols-1)
	case matches(k, s.keys.Right):
		s.col = clamp(s.col+1, 0, cols-1)
	default:
		if c, ok := s.keys.step(k, s.row, rows, s.gridRows()); ok {
			s.row = c
		}
	}
}

const (
	covNameW = 20
	covCellW = 3
	covTotW  = 7
)

func (s *coverageScreen) gridRows() int { return max(s.height-9, 3) }

// cellMark is a return's cell: a symbol that reads without colour, or the
// rating's letter once rated.
func cellMark(st *Styles, r *model.Return) string {
	if r == nil {
		return " "
	}
	switch r.Annotation.Rating {
	case model.RatingMeets:
		return st.RatingStyle(r.Annotation.Rating).Render("M")
	case model.RatingPartly:
		return st.RatingStyle(r.Annotation.Rating).Render("P")
	case model.RatingNotMet:
		return st.RatingStyle(r.Annotation.Rating).Render("N")
	}
	switch r.Status {
	case model.StatusAnswered:
		return st.Success.Render("✓")
	case model.StatusNotAnswered:
		return st.NotAnswer.Render("–")
	}
	return st.NoReturn.Render("✗")
}

func (s *coverageScreen) View() string {
	if s.data == nil {
		return s.st.Muted.Render("Loading the audit…")
	}
	sec, ok := s.picker.section(s.data)
	if !ok {
		return s.st.Muted.Render("No audit data.")
	}
	title := s.st.Title.Render(sectionTitle(sec)) + s.st.Subtle.Render("   a alliance · t kind · v ")
	if s.matrix {
		return title + s.st.Subtle.Render("grid") + "\n" + s.matrixView()
	}
	return title + s.st.Subtle.Render("pathway matrix") + "\n" + s.gridView(sec)
}

func (s *coverageScreen) gridView(sec model.Section) string {
	qs := s.data.questions[sec]
	resp := s.data.respondentsOf(sec)
	if len(qs) == 0 {
		out := s.st.Muted.Render("This section has no questions in the source.")
		if s.data.pathways[sec] != nil {
			out += "\n" + s.st.Muted.Render("Press v for its prisons × pathways matrix.")
		}
		return out
	}
	byCell := map[string]*model.Return{}
	for _, q := range qs {
		for _, r := range s.data.returns[qkey(q.Region, q.ID)] {
			byCell[r.Respondent+"\x00"+q.ID] = r
		}
	}
	visCols := max((s.width-covNameW-covTotW-2)/covCellW, 1)
	s.col = clamp(s.col, 0, len(qs)-1)
	if s.col < s.colOff {
		s.colOff = s.col
	}
	if s.col >= s.colOff+visCols {
		s.colOff = s.col - visCols + 1
	}
	s.colOff = clamp(s.colOff, 0, max(len(qs)-visCols, 0))
	colEnd := min(s.colOff+visCols, len(qs))

	var b strings.Builder
	q := qs[s.col]
	b.WriteString(truncate(s.st.Bold.Render(fmt.Sprintf("Q%d", q.Order))+" "+model.SanitizeLine(q.Title), s.width) + "\n")
	head := pad("", covNameW)
	for i := s.colOff; i < colEnd; i++ {
		label := fmt.Sprintf("%-3d", qs[i].Order)
		if i == s.col {
			label = s.st.FocusLabel.Render(label)
		}
		head += label
	}
	head += " " + pad("total", covTotW)
	if s.colOff > 0 {
		head = "←" + head[1:]
	}
	if colEnd < len(qs) {
		head += " →"
	}
	b.WriteString(s.st.TableHeader.Render(ansiStrip(head)) + "\n")

	rows := s.gridRows()
	s.row = clamp(s.row, 0, len(resp)-1)
	if s.row < s.rowOff {
		s.rowOff = s.row
	}
	if s.row >= s.rowOff+rows {
		s.rowOff = s.row - rows + 1
	}
	s.rowOff = clamp(s.rowOff, 0, max(len(resp)-rows, 0))
	colTotals := make([]int, len(qs))
	var noReturn []string
	for ri, name := range resp {
		answered, returned := 0, false
		for qi, q := range qs {
			r := byCell[name+"\x00"+q.ID]
			if r != nil && r.Status == model.StatusAnswered {
				answered++
				colTotals[qi]++
			}
			if r != nil && r.Status != model.StatusNoReturn {
				returned = true
			}
		}
		if !returned {
			noReturn = append(noReturn, name)
		}
		if ri < s.rowOff || ri >= s.rowOff+rows {
			continue
		}
		line := pad(model.SanitizeLine(name), covNameW-1) + " "
		if ri == s.row {
			line = s.st.FocusLabel.Render(ansiStrip(line))
		}
		for qi := s.colOff; qi < colEnd; qi++ {
			cell := cellMark(s.st, byCell[name+"\x00"+qs[qi].ID])
			if ri == s.row && qi == s.col {
				cell = s.st.SelectedRow.Render(ansiStrip(cell))
			}
			line += cell + "  "
		}
		line += " " + fmt.Sprintf("%d/%d", answered, len(qs))
		b.WriteString(line + "\n")
	}
	if s.rowOff+rows < len(resp) {
		b.WriteString(s.st.Subtle.Render(fmt.Sprintf("  ↓ %d more respondents", len(resp)-s.rowOff-rows)) + "\n")
	}
	tot := pad("answered", covNameW)
	for qi := s.colOff; qi < colEnd; qi++ {
		tot += fmt.Sprintf("%-3d", colTotals[qi])
	}
	b.WriteString(s.st.Bold.Render(tot) + "\n")
	b.WriteString(s.st.Subtle.Render("✓ answered  – not answered (Na)  ✗ no return  M/P/N rated meets/partly/not met") + "\n")
	if len(noReturn) > 0 {
		b.WriteString(truncate(s.st.NoReturn.Render("No return: ")+model.SanitizeLine(strings.Join(noReturn, ", ")), s.width))
	} else {
		b.WriteString(s.st.Subtle.Render("Every respondent of this section sent a return."))
	}
	return b.String()
}

func (s *coverageScreen) matrixView() string {
	if len(s.data.a.Pathways) == 0 {
		return s.st.Muted.Render("No pathway matrix in the data.")
	}
	var doc []string
	for _, m := range s.data.a.Pathways {
		doc = append(doc, s.st.Bold.Render(model.SanitizeLine(m.Title))+s.st.Subtle.Render("  ("+m.Region+", "+allianceGroup(m.Section)+" · "+string(m.Kind)+")"))
		head := pad("Establishment", 16)
		for i := 1; i <= model.NumPathways; i++ {
			head += fmt.Sprintf("P%-3d", i)
		}
		doc = append(doc, s.st.TableHeader.Render(head+"Normalised"))
		for _, r := range m.Rows {
			line := pad(model.SanitizeLine(r.Establishment), 16)
			for _, x := range r.Marks {
				if x {
					line += "X   "
				} else {
					line += "·   "
				}
			}
			if r.Normalised != "" {
				line += s.st.Subtle.Render("= " + model.SanitizeLine(r.Normalised))
			}
			doc = append(doc, line)
		}
		label := m.OrganisationsLabel
		if label == "" {
			label = "Organisations"
		}
		doc = append(doc, "", s.st.Bold.Render(model.SanitizeLine(label)+" working on each pathway:"))
		for i, o := range m.Organisations {
			for j, l := range strings.Split(wrap(fmt.Sprintf("Pathway %d: %s", i+1, model.SanitizeLine(o)), s.width-2), "\n") {
				if j > 0 {
					l = "  " + l
				}
				doc = append(doc, l)
			}
		}
		doc = append(doc, "")
	}
	rows := max(s.height-2, 1)
	s.mOff = clamp(s.mOff, 0, max(len(doc)-rows, 0))
	end := min(s.mOff+rows, len(doc))
	out := strings.Join(doc[s.mOff:end], "\n")
	if end < len(doc) {
		out += "\n" + s.st.Subtle.Render(fmt.Sprintf("↓ %d more lines (j/pgdn)", len(doc)-end))
	}
	return out
}
