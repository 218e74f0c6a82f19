package tui

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"

	"charter/model"
)

const formLabelWidth = 15

// panes splits the width between the fields and the commitments.
func (f *form) panes() (left, right int) {
	if f.width < 70 {
		return f.width, f.width
	}
	right = max(f.width*3/8, 30)
	return f.width - right - 1, right
}

func (f *form) valueWidth() int {
	left, _ := f.panes()
	return clamp(left-formLabelWidth-8, 14, 48)
}

// fieldRows is how many field lines fit.
func (f *form) fieldRows() int { return max(f.height-5, 3) }

func (f *form) numFields() int {
	n := 0
	for _, it := range f.items {
		if it.kind != itemCommitment {
			n++
		}
	}
	return n
}

func (f *form) scrollToFocus() {
	if f.focus >= f.numFields() {
		return
	}
	rows := f.fieldRows()
	if f.focus < f.offset {
		f.offset = f.focus
	}
	if f.focus >= f.offset+rows {
		f.offset = f.focus - rows + 1
	}
	f.offset = clamp(f.offset, 0, max(f.numFields()-rows, 0))
}

func (f *form) view() string {
	switch {
	case f.showHistory:
		return f.historyView()
	case f.conflict != nil:
		return f.conflictView()
	}
	var b strings.Builder
	b.WriteString(f.titleLine())
	b.WriteByte('\n')
	if f.notice != "" {
		b.WriteString(f.st.Warning.Render(truncate(f.notice, f.width)))
	}
	b.WriteByte('\n')

	left := f.fieldLines()
	right := f.commitmentLines()
	lw, rw := f.panes()
	rows := max(len(left), len(right))
	if f.width < 70 {
		left = append(left, "")
		left = append(left, right...)
		right = nil
		rows = len(left)
	}
	for i := 0; i < rows && i < f.height-4; i++ {
		l, r := "", ""
		if i < len(left) {
			l = left[i]
		}
		if i < len(right) {
			r = right[i]
		}
		if right != nil {
			b.WriteString(pad(l, lw) + " " + truncate(r, rw))
		} else {
			b.WriteString(l)
		}
		b.WriteByte('\n')
	}
	b.WriteString(f.footer())
	return b.String()
}

func (f *form) titleLine() string {
	name := "New signatory"
	if f.orig.ID != 0 {
		name = fmt.Sprintf("Signatory #%d", f.orig.ID)
	}
	if f.dirty() {
		name += " •"
	}
	n := f.commits.Count()
	tier := f.draft.Tier()
	badge := f.st.TierStyle(tier).Reverse(true).Render(" " + tier.Label() + " ")
	right := badge + " " + f.st.Subtle.Render(fmt.Sprintf("%d of 8 · %s", n, model.NextTierHint(n)))
	left := f.st.Title.Render(name)
	gap := f.width - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		return truncate(left+" "+right, f.width)
	}
	return left + strings.Repeat(" ", gap) + right
}

func (f *form) fieldLines() []string {
	var out []string
	vw := f.valueWidth()
	lw, _ := f.panes()
	for i, it := range f.items {
		if it.kind == itemCommitment {
			continue
		}
		if i < f.offset || i >= f.offset+f.fieldRows() {
			continue
		}
		focused := i == f.focus
		label := pad(it.label, formLabelWidth-2)
		marker := "  "
		if focused {
			marker = "▶ "
			label = f.st.FocusLabel.Render(label)
		} else {
			label = f.st.Label.Render(label)
		}
		var value string
		switch it.kind {
		case itemText:
			ti := f.inputs[it.field]
			if focused && !f.opts.ReadOnly {
				value = ti.View()
			} else {
				value = model.SanitizeLine(ti.Value())
			}
		case itemChoice:
			value = f.choiceValue(it.field, focused)
		}
		msg, bad := f.errs[it.field]
		bad = bad && (f.touched || f.orig.ID != 0)
		if bad {
			// Make room for the message beside the value; the message
			// need not repeat the value that stands right before it.
			raw := ""
			if ti := f.inputs[it.field]; ti != nil {
				raw = strings.TrimSpace(ti.Value())
			}
			msg = strings.TrimPrefix(msg, raw+" ")
			w := min(max(displayWidth(raw)+2, 10), vw)
			value = pad(ansiCut(value, w), w)
		} else {
			value = pad(value, vw)
		}
		line := marker + label + value
		if bad {
			room := lw - lipgloss.Width(line) - 3
			if room > 3 {
				line += " " + f.st.Error.Render("✗ "+truncate(model.SanitizeLine(msg), room))
			} else {
				line += " " + f.st.Error.Render("✗")
			}
		}
		out = append(out, line)
	}
	return out
}

func (f *form) choiceValue(field string, focused bool) string {
	var v string
	switch field {
	case model.FieldSector:
		v = string(f.sector)
		if v == "" {
			v = "(choose)"
		}
	case model.FieldReviewStatus:
		v = string(f.status)
		v = f.st.ReviewStyle(f.status).Render(v)
	case model.FieldVacancyStatement:
		if f.vacancy {
			v = "yes — references the charter"
		} else {
			v = f.st.Flagged.Render("no ! not on vacancies")
		}
	}
	if focused {
		return "‹ " + v + " ›"
	}
	return v
}

func (f *form) commitmentLines() []string {
	out := []string{f.st.Bold.Render("Commitments") + f.st.Subtle.Render(" (space toggles)")}
	for i, it := range f.items {
		if it.kind != itemCommitment {
			continue
		}
		box := "[ ]"
		if f.commits.Has(it.commitment) {
			box = "[x]"
		}
		line := box + " " + it.label
		if i == f.focus {
			line = f.st.FocusLabel.Render("▶ " + line)
		} else {
			line = "  " + line
		}
		out = append(out, line)
	}
	out = append(out, "")
	_, rw := f.panes()
	if it := f.focused(); it.kind == itemCommitment {
		words := wrap("“"+it.commitment.Info().Wording+"”", max(rw-2, 20))
		for _, l := range strings.Split(words, "\n") {
			out = append(out, f.st.Muted.Render(l))
		}
	} else {
		out = append(out, f.st.Subtle.Render("The charter's wording shows"), f.st.Subtle.Render("here for the focused commitment."))
	}
	return out
}

func (f *form) footer() string {
	switch {
	case f.confirmDiscard:
		return f.st.Warning.Render("Discard your changes? y discard · n keep editing")
	case f.saving:
		return f.st.Subtle.Render("saving…")
	}
	it := f.focused()
	if msg, bad := f.errs[it.field]; bad && it.field != "" {
		return f.st.Error.Render(truncate(it.label+": "+model.SanitizeLine(msg), f.width))
	}
	if len(f.errs) > 0 && f.touched {
		return f.st.Error.Render(truncate(plural(len(f.errs), "field needs", "fields need")+" attention before saving", f.width))
	}
	return f.st.Subtle.Render(truncate("ctrl+s save · esc close · ctrl+h history · tab/↑↓ move", f.width))
}

func (f *form) historyView() string {
	var lines []string
	lines = append(lines, f.st.Title.Render("History of "+model.SanitizeLine(f.orig.Organisation))+f.st.Subtle.Render("   esc back · ↑↓ scroll"))
	if len(f.history) == 0 {
		lines = append(lines, f.st.Muted.Render("No history yet (a new record gets its first entry when saved)."))
	}
	for i := len(f.history) - 1; i >= 0; i-- {
		c := f.history[i]
		head := fmt.Sprintf("v%d  %s  %s  %s", c.Version, c.At.Local().Format("2006-01-02 15:04"), model.SanitizeLine(c.By), c.Action)
		if c.TierBefore != c.TierAfter {
			head += "  " + f.st.TierStyle(c.TierBefore).Render(c.TierBefore.Label()) + " → " + f.st.TierStyle(c.TierAfter).Render(c.TierAfter.Label())
		}
		lines = append(lines, f.st.Bold.Render(head))
		for _, fc := range c.Fields {
			lines = append(lines, truncate(fmt.Sprintf("    %s: %s → %s", fc.Field, show(fc.Old), show(fc.New)), f.width))
		}
	}
	f.histOffset = clamp(f.histOffset, 0, max(len(lines)-f.height+1, 0))
	if f.histOffset > 0 {
		lines = append(lines[:1], lines[1+f.histOffset:]...)
	}
	return strings.Join(lines, "\n")
}

func show(v string) string {
	if v == "" {
		return "∅"
	}
	return model.SanitizeLine(v)
}

func (f *form) conflictView() string {
	c := f.conflict
	opened := f.orig
	var lines []string
	lines = append(lines, f.st.Warning.Render(fmt.Sprintf("This record was changed since you opened it (now version %d, saved %s).",
		c.Version, c.Updated.Local().Format("2006-01-02 15:04"))))
	lines = append(lines, "", f.st.Bold.Render("Their changes (as opened → as stored):"))
	for _, fc := range model.Diff(&opened, c) {
		lines = append(lines, truncate(fmt.Sprintf("  %s: %s → %s", fc.Field, show(fc.Old), show(fc.New)), f.width))
	}
	lines = append(lines, "", f.st.Bold.Render("Your unsaved changes:"))
	o := opened
	o.Normalise()
	for _, fc := range model.Diff(&o, &f.draft) {
		lines = append(lines, truncate(fmt.Sprintf("  %s: %s → %s", fc.Field, show(fc.Old), show(fc.New)), f.width))
	}
	lines = append(lines, "", f.st.Key.Render("r")+" reload theirs (drop yours)   "+f.st.Key.Render("k")+" keep mine (save on top as a new change)   "+f.st.Key.Render("esc")+" back to editing")
	return strings.Join(lines, "\n")
}
