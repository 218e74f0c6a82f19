package signatories

import (
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"charter/model"
	"charter/tui/common"
)

// save writes the record built from the stored one and the reviewer's
// changes; the result comes back addressed to this opening of the form.
func (f *form) save() tea.Cmd { return f.saveThen(false) }

// saveThen saves; with next, a save that succeeds (or finds nothing to
// save) asks the screen to open the next row of the table's view.
func (f *form) saveThen(next bool) tea.Cmd {
	if f.opts.ReadOnly {
		return common.Status("read-only session: not saved", true)
	}
	f.showErrs = true
	if len(f.errs) > 0 {
		for _, it := range f.items {
			if msg, ok := f.errs[it.field]; ok && it.field != "" {
				return common.Status(fmt.Sprintf("not saved: %s %s", it.label, model.SanitizeLine(msg)), true)
			}
		}
	}
	if f.saving {
		return common.Status("still saving…", false)
	}
	if w := f.needsVerifyAsk(); len(w) > 0 {
		f.asking = f.newAsk(askVerify, 300)
		f.asking.warnings, f.asking.next = w, next
		return common.Status("verified without "+strings.Join(w, " and ")+"? say why, or esc", true)
	}
	if f.orig.ID != 0 && len(model.Diff(&f.orig, &f.draft)) == 0 {
		if next {
			return f.askNext()
		}
		return common.Status("nothing to save", false)
	}
	if f.opts.Signatories == nil {
		return nil
	}
	f.saving, f.nextAfter = true, next
	sent := map[string]string{}
	for _, field := range f.textFields() {
		sent[field] = f.text(field)
	}
	return save(f.opts.Signatories, f.gen, f.draft, f.opts.Reviewer, sent)
}

// saved takes the result of this form's save.
func (f *form) saved(msg savedMsg) tea.Cmd {
	next := f.nextAfter
	f.saving, f.nextAfter = false, false
	if msg.err == nil {
		rec := msg.rec
		// What was typed or chosen while the save was on its way stays
		// as a change on top of the saved record.
		keep := map[string]string{}
		for _, field := range f.textFields() {
			if f.text(field) != msg.sent[field] {
				keep[field] = f.text(field)
			}
		}
		sector, vacancy, status, commits := f.sector, f.vacancy, f.status, f.commits
		evidence, vacEv, withdrawal := f.evidence, f.vacEv, f.withdrawal
		f.load(rec)
		for field, v := range keep {
			f.setText(field, v)
		}
		f.sector, f.vacancy, f.status, f.commits = sector, vacancy, status, commits
		f.evidence, f.vacEv, f.withdrawal = evidence, vacEv, withdrawal
		f.rebuild()
		verb := "saved"
		if msg.created {
			verb = "created"
		}
		cmds := []tea.Cmd{common.Status(fmt.Sprintf("%s %s (version %d, %s)", verb, model.SanitizeLine(rec.Organisation), rec.Version, rec.Tier().Label()), false)}
		if f.opts.Signatories != nil {
			cmds = append(cmds, loadHistory(f.opts.Signatories, f.gen, rec.ID))
		}
		if next && !f.dirty() {
			cmds = append(cmds, f.askNext())
		}
		return tea.Batch(cmds...)
	}
	if msg.stored != nil && msg.stored.ID == f.orig.ID {
		f.conflict = newConflictView(f.st, *msg.stored, f.orig, f.draft, f.width, f.height)
		return common.Status("not saved: the record changed since you opened it — r reload, k keep mine", true)
	}
	if fe := model.FieldErrors(msg.err); len(fe) > 0 {
		for _, e := range fe {
			f.errs[e.Field] = e.Msg
		}
		f.showErrs = true
		return common.Status("not saved: "+fe[0].Field+": "+model.SanitizeLine(fe[0].Msg), true)
	}
	if errors.Is(msg.err, model.ErrReadOnly) {
		return common.Status("read-only session: not saved", true)
	}
	return common.Status("not saved: "+msg.err.Error(), true)
}

func (f *form) conflictKey(msg tea.KeyPressMsg) tea.Cmd {
	c := f.conflict
	switch {
	case key.Matches(msg, c.keys.Reload):
		f.load(c.stored)
		return common.Status("reloaded the stored version; your changes were dropped", false)
	case key.Matches(msg, c.keys.KeepMine):
		// My edits go on top of the stored version (their other changes
		// stay), saved as a new change in its history. The conflict came
		// to this opening of the form, for this record: it cannot rebase
		// onto another.
		if c.stored.ID != f.orig.ID {
			f.conflict = nil
			return nil
		}
		f.rebase(c.stored)
		return f.save()
	case key.Matches(msg, c.keys.Back):
		f.conflict = nil
		return nil
	}
	c.scroll(msg)
	return nil
}

// rebase makes stored the record being edited, keeping the reviewer's
// changes on top of it.
func (f *form) rebase(stored model.Signatory) {
	opened, mine := f.orig, f.draft
	merged := model.Rebase(&stored, &opened, &mine)
	changed := map[string]bool{}
	for _, fc := range model.Diff(&opened, &mine) {
		changed[fc.Field] = true
	}
	typed := map[string]string{}
	for _, field := range f.textFields() {
		if f.touched(field) {
			typed[field] = f.text(field)
		}
	}
	f.load(stored)
	for field, v := range typed {
		if changed[field] {
			f.setText(field, v)
		}
	}
	if changed[model.FieldSector] {
		f.sector = mine.Sector
	}
	if changed[model.FieldVacancyStatement] {
		f.vacancy = mine.VacancyStatement
	}
	if changed[model.FieldReviewStatus] {
		f.status = mine.ReviewStatus
	}
	f.commits = merged.Commitments
	f.evidence, f.vacEv = merged.Evidence, merged.VacancyEvidence
	if changed[model.FieldReviewStatus] || changed[model.FieldWithdrawnReason] || changed[model.FieldWithdrawnOn] {
		f.withdrawal = mine.Withdrawal
	}
	f.rebuild()
}

// recordChanged hears that the form's record was saved elsewhere.
func (f *form) recordChanged(rec *model.Signatory) {
	if rec == nil {
		f.notice = "this record was deleted in another session"
		return
	}
	if rec.Version <= f.orig.Version || f.saving {
		return
	}
	if !f.dirty() && f.asking == nil {
		focus := f.focus
		f.load(*rec)
		f.focus = focus
		f.focusCmd()
		f.notice = "reloaded: this record was changed in another session"
		return
	}
	f.notice = "changed in another session since you opened it — ctrl+s will show what changed"
}
