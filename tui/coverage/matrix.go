package coverage

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"charter/model"
	"charter/tui/auditdata"
	"charter/tui/common"
)

// matrixData is one pathway matrix, neutralised: the only place its text
// from the data is made safe to draw.
type matrixData struct {
	title, where, label string
	rows                []matrixRow
	orgs                [model.NumPathways]string
}

type matrixRow struct {
	name, normalised string
	marks            [model.NumPathways]bool
}

func buildMatrices(d *auditdata.Data) []matrixData {
	var out []matrixData
	for _, m := range d.Audit.Pathways {
		md := matrixData{
			title: model.SanitizeLine(m.Title),
			where: model.SanitizeLine(m.Region + ", " + auditdata.AllianceGroup(m.Section) + " · " + string(m.Kind)),
			label: model.SanitizeLine(m.OrganisationsLabel),
		}
		if md.label == "" {
			md.label = "Organisations"
		}
		for _, r := range m.Rows {
			md.rows = append(md.rows, matrixRow{name: model.SanitizeLine(r.Establishment),
				normalised: model.SanitizeLine(r.Normalised), marks: r.Marks})
		}
		for i, o := range m.Organisations {
			md.orgs[i] = model.SanitizeLine(o)
		}
		out = append(out, md)
	}
	return out
}

// matrix is the pathway matrices as one document that scrolls both ways.
// Its lines are laid out when the data or the width changes, and the
// offsets are kept in range there and in update; view only reads them.
type matrix struct {
	st            *common.Styles
	data          []matrixData
	lines         []string
	wide          int // the widest line, in cells
	off, xoff     int
	width, height int
}

const hStep = 8

func (m *matrix) set(d []matrixData) { m.data = d; m.layout() }

func (m *matrix) setSize(w, h int) { m.width, m.height = w, h; m.layout() }

func (m *matrix) setStyles(st *common.Styles) { m.st = st; m.layout() }

// window is how many document lines show, and whether a line of marks
// is needed under them.
func (m *matrix) window() (int, bool) {
	avail := max(m.height-1, 1)
	if len(m.lines) <= avail && m.wide <= m.width {
		return avail, false
	}
	return max(avail-1, 1), true
}

func (m *matrix) layout() {
	m.lines = m.render()
	m.wide = 0
	for _, l := range m.lines {
		m.wide = max(m.wide, common.Width(l))
	}
	m.clamp()
}

func (m *matrix) clamp() {
	h, _ := m.window()
	m.off = common.Clamp(m.off, 0, len(m.lines)-h)
	m.xoff = common.Clamp(m.xoff, 0, m.wide-m.width)
}

func (m *matrix) scrollsDown() bool { h, _ := m.window(); return len(m.lines) > h }
func (m *matrix) scrollsSide() bool { return m.wide > m.width }

func (m *matrix) update(msg tea.KeyPressMsg, k keys) bool {
	h, _ := m.window()
	page := max(h-1, 1)
	switch {
	case m.scrollsSide() && key.Matches(msg, k.ScrollLeft):
		m.xoff -= hStep
	case m.scrollsSide() && key.Matches(msg, k.ScrollRight):
		m.xoff += hStep
	case !m.scrollsDown():
		return false
	case key.Matches(msg, k.List.Up):
		m.off--
	case key.Matches(msg, k.List.Down):
		m.off++
	case key.Matches(msg, k.List.PageUp):
		m.off -= page
	case key.Matches(msg, k.List.PageDown):
		m.off += page
	case key.Matches(msg, k.List.Top):
		m.off = 0
	case key.Matches(msg, k.List.Bottom):
		m.off = len(m.lines)
	default:
		return false
	}
	m.clamp()
	return true
}

// bindings are the keys the matrix dispatches with this size and data.
func (m *matrix) bindings(k keys) []key.Binding {
	var out []key.Binding
	if m.scrollsDown() {
		out = append(out, k.List.Bindings()...)
	}
	if m.scrollsSide() {
		out = append(out, k.ScrollLeft, k.ScrollRight)
	}
	return out
}

// render lays the matrices out for the width.
func (m *matrix) render() []string {
	if m.st == nil {
		return nil
	}
	st := m.st
	w := max(m.width-1, 20)
	wrapped := func(s string, indent string) []string {
		ls := common.WrapLines(s, w)
		for i := 1; i < len(ls); i++ {
			ls[i] = indent + ls[i]
		}
		return ls
	}
	var doc []string
	for _, md := range m.data {
		doc = append(doc, wrapped(st.Bold.Render(md.title)+st.Subtle.Render("  ("+md.where+")"), "")...)
		nameCol := 16
		for _, r := range md.rows {
			nameCol = max(nameCol, min(common.Width(r.name)+2, 32))
		}
		head := common.Pad("Establishment", nameCol)
		for i := 1; i <= model.NumPathways; i++ {
			head += fmt.Sprintf("P%-3d", i)
		}
		doc = append(doc, st.TableHeader.Render(head+"Normalised"))
		for _, r := range md.rows {
			line := common.Pad(r.name, nameCol)
			for _, x := range r.marks {
				if x {
					line += "X   "
				} else {
					line += "·   "
				}
			}
			if r.normalised != "" {
				line += st.Subtle.Render("= " + r.normalised)
			}
			doc = append(doc, line)
		}
		for _, l := range wrapped(pathwayKey(), "  ") {
			doc = append(doc, st.Subtle.Render(l))
		}
		doc = append(doc, "", st.Bold.Render(md.label+" working on each pathway:"))
		for i, o := range md.orgs {
			doc = append(doc, wrapped(fmt.Sprintf("Pathway %d: %s", i+1, o), "  ")...)
		}
		doc = append(doc, "")
	}
	return doc
}

func (m matrix) view() string {
	st := m.st
	lines := []string{st.Title.Render("Pathway matrix") + st.Subtle.Render("   prisons × the seven resettlement pathways")}
	if len(m.data) == 0 {
		lines = append(lines, st.Muted.Render("No pathway matrix in the data."))
		return fit(lines, m.width, m.height)
	}
	h, marks := m.window()
	end := min(m.off+h, len(m.lines))
	for _, l := range m.lines[m.off:end] {
		if m.xoff > 0 || common.Width(l) > m.width {
			l = ansi.Cut(l, m.xoff, m.xoff+m.width)
		}
		lines = append(lines, l)
	}
	if marks {
		mk := moreMarks(m.off, len(m.lines)-end, "lines")
		if m.xoff > 0 {
			mk += fmt.Sprintf("  ← %d columns", m.xoff)
		}
		if right := m.wide - m.xoff - m.width; right > 0 {
			mk += fmt.Sprintf("  → %d columns", right)
		}
		lines = append(lines, st.Subtle.Render(mk))
	}
	return fit(lines, m.width, m.height)
}
