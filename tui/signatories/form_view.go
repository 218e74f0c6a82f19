package signatories

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"

	"charter/model"
	"charter/tui/common"
)

const formLabelWidth = 15

// panes splits the width between the fields and the commitments.
func (f *form) panes() (left, right int) {
	if f.width < 70 {
		return f.width, f.width
	}
	right = max(f.width*3/8, 32)
	return f.width - right - 1, right
}

func (f *form) valueWidth() int {
	left, _ := f.panes()
	return common.Clamp(left-formLabelWidth-8, 14, 48)
}

// notesHeight is how many lines the notes get: the title, notice and
// footer lines, the fields and the notes' label come first.
func (f *form) notesHeight() int { return common.Clamp(f.height-3-f.numFields()-1, 2, 4) }

// fieldRows is how many field lines fit above the notes.
func (f *form) fieldRows() int { return max(f.height-3-1-f.notesHeight(), 3) }

// scrolling reports whether the fields need more lines than they have;
// then two of them mark what is above and below.
func (f *form) scrolling() bool { return f.numFields() > f.fieldRows() }

func (f *form) setSize(w, h int) {
	f.width, f.height = w, h
	vw := f.valueWidth()
	for _, ti := range f.inputs {
		ti.SetWidth(max(vw-1, 8))
	}
	left, _ := f.panes()
	f.notes.SetWidth(max(left-2, 10))
	f.notes.SetHeight(f.notesHeight())
	if f.scrolling() {
		f.fields.SetHeight(max(f.fieldRows()-2, 1))
	} else {
		f.fields.SetHeight(f.fieldRows())
	}
	f.fields.SetLen(f.numFields())
	if f.focus < f.numFields() {
		f.fields.SetCursor(f.focus)
	}
	if f.history != nil {
		f.history.setSize(w, h)
	}
	if f.conflict != nil {
		f.conflict.setSize(w, h)
	}
}

func (f *form) setStyles(st *common.Styles) {
	f.st = st
	for _, ti := range f.inputs {
		ti.SetStyles(common.InputStyles(st.Dark))
	}
	f.notes.SetStyles(common.TextAreaStyles(st.Dark))
	f.help = newHelp(st)
}

func (f *form) view() string {
	switch {
	case f.history != nil:
		return f.history.view()
	case f.conflict != nil:
		return f.conflict.view()
	case f.showHelp:
		h := f.help
		h.ShowAll = true
		h.SetWidth(f.width)
		keys, l := f.keys, f.life
		return f.st.Title.Render("Keys — signatory form") + "\n" + h.FullHelpView([][]key.Binding{
			{keys.Next, keys.Prev, keys.Down, keys.Up, l.Commitments, keys.Toggle, keys.CycleOn, keys.CycleBack},
			{l.Toggles[0], l.Digits, l.Evidence, l.ClearEv, l.Withdraw},
			{keys.Save, l.SaveNext, keys.History, keys.Close, keys.Help},
		}) + "\n\n" + f.st.Muted.Render(common.Wrap("Text fields take every key as typing: ↑↓ and tab move between fields, ? shows this on a choice or a commitment. alt+1 … alt+8 toggle the charter's commitments in order from any field; ctrl+g goes to them and back. e on a commitment or the vacancy statement records what was seen (with your name and today's date). Saving a record as verified without commitments or a vacancy statement asks why and adds the answer to the notes. Paste works in every text field. In the notes, enter starts a new line and ↑↓ move within them.", max(f.width-2, 20))) +
			"\n" + f.st.Key.Render("? or esc closes this help")
	}
	var b strings.Builder
	b.WriteString(f.titleLine())
	b.WriteByte('\n')
	if f.notice != "" {
		b.WriteString(f.st.Warning.Render(common.Truncate(f.notice, f.width)))
	}
	b.WriteByte('\n')

	foot := f.footLines()
	body := f.height - 2 - len(foot)
	lw, rw := f.panes()
	fields := f.fieldLines()
	// The room below the notes shows every message whole; the notes'
	// box gives up lines for them while it does not have the keyboard.
	errs := f.errorLines(lw)
	nb := f.notesHeight()
	if f.focused().kind != itemNotes || f.opts.ReadOnly {
		nb = common.Clamp(body-len(fields)-1-len(errs), 1, nb)
	}
	left := append(fields, f.notesLines(nb)...)
	if room := body - len(left); len(errs) > room && room > 0 {
		errs = append(errs[:room-1], f.st.Subtle.Render("  … the footer shows the focused field's message"))
	} else if room <= 0 {
		errs = nil
	}
	left = append(left, errs...)
	right := f.commitmentLines()
	rows := max(len(left), len(right))
	if f.width < 70 {
		// One pane: the commitments replace the fields while one of
		// them has the focus.
		if it := f.focused(); it.kind == itemCommitment {
			left = right
			// The focused commitment's line is its number plus the
			// heading; keep it in the rows there are.
			if at, avail := int(it.commitment)+1, body; at >= avail && avail > 0 {
				left = left[at-avail+1:]
			}
		}
		right = nil
		rows = len(left)
	}
	for i := 0; i < rows && i < body; i++ {
		l, r := "", ""
		if i < len(left) {
			l = left[i]
		}
		if i < len(right) {
			r = right[i]
		}
		if right != nil {
			b.WriteString(common.Pad(l, lw) + " " + common.Truncate(r, rw))
		} else {
			b.WriteString(common.Truncate(l, f.width))
		}
		b.WriteByte('\n')
	}
	for i := rows; i < body; i++ {
		b.WriteByte('\n')
	}
	b.WriteString(strings.Join(foot, "\n"))
	return b.String()
}

// footLines are the last lines: the footer, or an open question with its
// answer and, when one was refused, why.
func (f *form) footLines() []string {
	a := f.asking
	if a == nil {
		return []string{f.footer()}
	}
	var out []string
	for _, l := range common.WrapLines(a.question(), max(f.width, 20)) {
		out = append(out, f.st.Warning.Render(l))
	}
	out = append(out, "› "+a.input.View())
	if a.problem != "" {
		out = append(out, f.st.Error.Render(common.Truncate("✗ "+model.SanitizeLine(a.problem), f.width)))
	}
	out = append(out, f.st.Subtle.Render(common.Truncate("enter confirm · esc cancel", f.width)))
	return out
}

// errorLines are the messages of the fields that need attention, whole
// and aligned under the values, in at most room lines.
func (f *form) errorLines(width int) []string {
	if !f.showErrs || len(f.errs) == 0 {
		return nil
	}
	var out []string
	indent := strings.Repeat(" ", 2)
	for _, it := range f.items {
		msg, ok := f.errs[it.field]
		if !ok || it.field == "" {
			continue
		}
		head := "✗ " + common.Pad(it.label, formLabelWidth-2)
		for i, l := range common.WrapLines(model.SanitizeLine(msg), max(width-formLabelWidth-2, 12)) {
			if i > 0 {
				head = strings.Repeat(" ", formLabelWidth)
			}
			out = append(out, f.st.Error.Render(indent+head+l))
		}
	}
	return out
}

func (f *form) titleLine() string {
	name := "New signatory"
	if f.orig.ID != 0 {
		name = fmt.Sprintf("Signatory #%d", f.orig.ID)
	}
	if f.unsaved() {
		name += " •"
	}
	n := f.commits.Count()
	tier := f.draft.DeclaredTier()
	ev := f.draft.EvidencedTier()
	badge := f.st.TierStyle(tier).Reverse(true).Render(" " + tier.Label() + " ")
	evText := f.st.Subtle.Render("evidenced ") + f.st.TierStyle(ev).Render(ev.Label())
	// Beside the tier: what the record lacks before its progress.
	var warn string
	switch {
	case f.status == model.StatusWithdrawn:
		warn = f.st.Warning.Render("withdrawn")
	case !f.vacancy:
		warn = f.st.Flagged.Render("! no vacancy stmt")
	}
	hint := f.st.Subtle.Render(fmt.Sprintf("%d of 8 · %s", n, model.NextTierHint(n)))
	short := f.st.Subtle.Render(model.NextTierHint(n))
	if _, _, ok := model.ToNextTier(n); !ok && !f.vacancy {
		// No "top tier reached" for a record whose vacancies do not
		// carry the statement: the warning beside the tier says why.
		hint, short = f.st.Subtle.Render(fmt.Sprintf("%d of 8", n)), ""
	}
	left := f.st.Title.Render(name)
	// The widest that fits: everything; without the progress; tiers alone.
	for _, parts := range [][]string{{badge, warn, hint, evText}, {badge, warn, short, evText}, {badge, warn, evText}, {badge, warn}} {
		var keep []string
		for _, p := range parts {
			if p != "" {
				keep = append(keep, p)
			}
		}
		right := strings.Join(keep, " · ")
		right = strings.Replace(right, badge+" · ", badge+" ", 1)
		if gap := f.width - common.Width(left) - common.Width(right); gap >= 1 {
			return left + strings.Repeat(" ", gap) + right
		}
	}
	return common.Truncate(left+" "+badge+" "+warn, f.width)
}

// fieldLines are the visible field lines. Unfocused values are drawn from
// the widgets, which hold only neutralised text.
func (f *form) fieldLines() []string {
	var out []string
	vw := f.valueWidth()
	lw, _ := f.panes()
	from, to := f.fields.Window()
	if f.scrolling() {
		out = append(out, f.st.Subtle.Render(moreMark("↑", f.fields.Above())))
	}
	n := 0
	for i, it := range f.items {
		if it.kind != itemText && it.kind != itemChoice {
			continue
		}
		pos := n
		n++
		if pos < from || pos >= to {
			continue
		}
		focused := i == f.focus
		label := common.Pad(it.label, formLabelWidth-2)
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
				value = ti.Value()
			}
		case itemChoice:
			value = f.choiceValue(it.field, focused)
		}
		msg, bad := f.errs[it.field]
		bad = bad && f.showErrs
		if bad {
			// Make room for the message beside the value; the message
			// need not repeat the value that stands right before it.
			raw := ""
			if ti := f.inputs[it.field]; ti != nil {
				raw = strings.TrimSpace(ti.Value())
			}
			msg = strings.TrimPrefix(msg, raw+" ")
			w := min(max(common.Width(raw)+2, 10), vw)
			value = common.Pad(common.Cut(value, w), w)
		} else {
			value = common.Pad(value, vw)
		}
		line := marker + label + value
		if bad {
			room := lw - common.Width(line) - 3
			if room > 3 {
				line += " " + f.st.Error.Render("✗ "+common.Truncate(model.SanitizeLine(msg), room))
			} else {
				line += " " + f.st.Error.Render("✗")
			}
		}
		out = append(out, line)
	}
	if f.scrolling() {
		out = append(out, f.st.Subtle.Render(moreMark("↓", f.fields.Below())))
	}
	return out
}

func moreMark(arrow string, n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("  %s %d more", arrow, n)
}

// notesLines are the notes' label and box: the textarea while it has the
// keyboard, else the notes' first lines.
func (f *form) notesLines(h int) []string {
	focused := f.focused().kind == itemNotes
	label := "Notes"
	marker := "  "
	if focused {
		marker = "▶ "
		label = f.st.FocusLabel.Render(label)
	} else {
		label = f.st.Label.Render(label)
	}
	lines := strings.Split(f.notes.Value(), "\n")
	head := marker + label
	if n := len(lines); n > 1 {
		head += f.st.Subtle.Render(fmt.Sprintf("  (%d lines)", n))
	}
	if msg, bad := f.errs[model.FieldNotes]; bad && f.showErrs {
		head += " " + f.st.Error.Render("✗ "+model.SanitizeLine(msg))
	}
	out := []string{head}
	lw, _ := f.panes()
	if focused && !f.opts.ReadOnly {
		return append(out, strings.Split(f.notes.View(), "\n")...)
	}
	var body []string
	for _, l := range lines {
		body = append(body, common.WrapLines(l, max(lw-4, 10))...)
	}
	for i := 0; i < h; i++ {
		switch {
		case i < len(body) && i == h-1 && len(body) > h:
			out = append(out, f.st.Subtle.Render("  │ …"))
		case i < len(body):
			out = append(out, "  │ "+body[i])
		default:
			out = append(out, f.st.Subtle.Render("  │"))
		}
	}
	return out
}

func (f *form) choiceValue(field string, focused bool) string {
	var v string
	switch field {
	case model.FieldSector:
		v = model.SanitizeLine(string(f.sector))
		if v == "" {
			v = "(choose)"
		}
	case model.FieldReviewStatus:
		v = f.st.ReviewStyle(f.status).Render(model.SanitizeLine(string(f.status)))
		if f.status == model.StatusWithdrawn && !f.withdrawal.On.IsZero() {
			v += f.st.Subtle.Render(" " + f.withdrawal.On.Format(model.DateLayout))
		}
	case model.FieldVacancyStatement:
		if f.vacancy {
			v = "yes — references the charter"
			if !f.vacEv.IsZero() {
				v = "yes — seen"
			}
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
	out := []string{f.st.Bold.Render("Commitments") + f.st.Subtle.Render(" (alt+N toggles)")}
	for i, it := range f.items {
		if it.kind != itemCommitment {
			continue
		}
		box := "[ ]"
		if f.commits.Has(it.commitment) {
			box = "[x]"
		}
		if _, seen := f.draft.EvidenceFor(it.commitment); seen && f.commits.Has(it.commitment) {
			box = "[✓]"
		}
		line := fmt.Sprintf("%d %s %s", int(it.commitment)+1, box, it.label)
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
		if ev, ok := f.draft.EvidenceFor(it.commitment); ok {
			for _, l := range common.WrapLines("✓ seen: "+model.SanitizeLine(ev.String()), max(rw-2, 20)) {
				out = append(out, f.st.Label.Render(l))
			}
		} else if f.commits.Has(it.commitment) {
			out = append(out, f.st.Subtle.Render("declared; e marks it evidenced"))
		}
		for _, l := range common.WrapLines("“"+it.commitment.Info().Wording+"”", max(rw-2, 20)) {
			out = append(out, f.st.Muted.Render(l))
		}
	} else if it.kind == itemChoice && it.field == model.FieldVacancyStatement && !f.vacEv.IsZero() {
		for _, l := range common.WrapLines("✓ statement seen: "+model.SanitizeLine(f.vacEv.String()), max(rw-2, 20)) {
			out = append(out, f.st.Label.Render(l))
		}
	} else if f.status == model.StatusWithdrawn && f.withdrawal.Reason != "" {
		for _, l := range common.WrapLines("Withdrawn: "+model.SanitizeLine(f.withdrawal.Reason), max(rw-2, 20)) {
			out = append(out, f.st.Warning.Render(l))
		}
	} else {
		out = append(out, f.st.Subtle.Render("The charter's wording shows"), f.st.Subtle.Render("here for the focused commitment."))
	}
	return out
}

func (f *form) footer() string {
	switch {
	case f.confirm:
		return f.st.Warning.Render(common.Truncate("Discard your changes? y discard · n keep editing", f.width))
	case f.saving:
		return f.st.Subtle.Render("saving…")
	}
	it := f.focused()
	if msg, bad := f.errs[it.field]; bad && it.field != "" && f.showErrs {
		return f.st.Error.Render(common.Truncate(it.label+": "+model.SanitizeLine(msg), f.width))
	}
	if len(f.errs) > 0 && f.showErrs {
		return f.st.Error.Render(common.Truncate(common.Plural(len(f.errs), "field needs", "fields need")+" attention before saving", f.width))
	}
	hint := "ctrl+s save · esc close · ctrl+r history · tab/↑↓ move"
	switch {
	case f.focused().kind == itemNotes && !f.opts.ReadOnly:
		hint = "ctrl+s save · esc close · ctrl+r history · tab move · enter new line"
	case !f.onText():
		hint += " · ? keys"
	}
	return f.st.Subtle.Render(common.Truncate(hint, f.width))
}
