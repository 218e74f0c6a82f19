package signatories

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"charter/model"
	"charter/tui/common"
)

// The record's life beyond its fields: evidence behind each commitment and
// the vacancy statement, withdrawal and restore, the question before a
// record is verified without support, and "save and next".

// askKind says what a one-line question at the foot of the form is for.
type askKind int

const (
	askEvidence askKind = iota + 1 // the focused commitment's evidence note
	askVacancy                     // where the vacancy statement was seen
	askWithdraw                    // why the record is withdrawn
	askVerify                      // why it is verified without support
)

// ask is a one-line question the reviewer answers with enter (or leaves
// with esc). What it holds is neutralised as it is typed or pasted.
type ask struct {
	kind       askKind
	commitment model.Commitment
	input      textinput.Model
	warnings   []string // askVerify: what the record lacks
	next       bool     // askVerify: save and move to the next row
	problem    string   // why the last answer was refused
}

func (f *form) newAsk(kind askKind, limit int) *ask {
	ti := textinput.New()
	ti.Prompt = ""
	ti.CharLimit = limit
	ti.SetStyles(common.InputStyles(f.st.Dark))
	ti.SetWidth(max(f.width-4, 10))
	ti.Focus()
	return &ask{kind: kind, input: ti}
}

// question is the text of the question, one line per part.
func (a *ask) question() string {
	switch a.kind {
	case askEvidence:
		return "Evidence for “" + a.commitment.Label() + "” — what was seen, and where:"
	case askVacancy:
		return "Vacancy statement seen — where (an advert, the careers page):"
	case askWithdraw:
		return "Withdraw this signatory — the reason:"
	case askVerify:
		return "Verify although " + strings.Join(a.warnings, " and ") + "? Say why (kept in the notes):"
	}
	return ""
}

// lifeKeys are the keys of the record's life; which work depends on the
// focused item and the record.
type lifeKeys struct {
	Commitments key.Binding   // jump to the commitments
	Toggles     []key.Binding // alt+1 … alt+8: toggle commitment N from anywhere
	Digits      key.Binding   // 1 … 8 off the text fields
	Evidence    key.Binding   // mark the focused commitment or statement evidenced
	ClearEv     key.Binding   // clear its evidence
	Withdraw    key.Binding   // withdraw, or restore a withdrawn record
	SaveNext    key.Binding   // save and open the next row of the table's view
	Answer      key.Binding   // enter on a question
	Cancel      key.Binding   // esc on a question
}

func newLifeKeys() lifeKeys {
	k := lifeKeys{
		Commitments: key.NewBinding(key.WithKeys("ctrl+g"), key.WithHelp("ctrl+g", "go to commitments")),
		Digits:      key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7", "8"), key.WithHelp("1…8", "toggle commitment N")),
		Evidence:    key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "mark evidenced")),
		ClearEv:     key.NewBinding(key.WithKeys("E"), key.WithHelp("E", "clear evidence")),
		Withdraw:    key.NewBinding(key.WithKeys("ctrl+x"), key.WithHelp("ctrl+x", "withdraw")),
		SaveNext:    key.NewBinding(key.WithKeys("alt+s"), key.WithHelp("alt+s", "save and next")),
		Answer:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "confirm")),
		Cancel:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
	for c := range model.NumCommitments {
		help := ""
		if c == 0 {
			help = "alt+1…8"
		}
		b := key.NewBinding(key.WithKeys(fmt.Sprintf("alt+%d", c+1)), key.WithHelp(help, "toggle commitment N"))
		k.Toggles = append(k.Toggles, b)
	}
	return k
}

// digitCommitment is the commitment a key 1…8 or alt+1…alt+8 names.
func digitCommitment(msg tea.KeyPressMsg) (model.Commitment, bool) {
	s := strings.TrimPrefix(msg.String(), "alt+")
	if len(s) != 1 || s[0] < '1' || s[0] > '8' {
		return 0, false
	}
	return model.Commitment(s[0] - '1'), true
}

// evidenceTarget reports what e and E act on where the focus is: a
// commitment, or the vacancy statement.
func (f *form) evidenceTarget() (commitment bool, vacancy bool) {
	it := f.focused()
	return it.kind == itemCommitment, it.kind == itemChoice && it.field == model.FieldVacancyStatement
}

// hasEvidence reports whether the focused target has evidence recorded.
func (f *form) hasEvidence() bool {
	c, v := f.evidenceTarget()
	switch {
	case c:
		_, ok := f.draft.EvidenceFor(f.focused().commitment)
		return ok
	case v:
		return !f.vacEv.IsZero()
	}
	return false
}

// toggleCommitment declares or undeclares c; evidence for a commitment no
// longer declared is kept but no longer counts.
func (f *form) toggleCommitment(c model.Commitment) tea.Cmd {
	if f.opts.ReadOnly {
		return common.Status("read-only session: this record can be read but not changed", true)
	}
	f.commits = f.commits.Toggle(c)
	f.showErrs = true
	f.rebuild()
	return nil
}

// jumpToCommitments puts the focus on the first commitment (or, from a
// commitment, on the first field again).
func (f *form) jumpToCommitments() tea.Cmd {
	for i, it := range f.items {
		if it.kind == itemCommitment {
			if f.focused().kind == itemCommitment {
				f.focus = 0
				f.fields.SetCursor(0)
			} else {
				f.focus = i
			}
			return f.focusCmd()
		}
	}
	return nil
}

// scratch is the record's life as the form holds it, for the model's
// rules to act on.
func (f *form) scratch() model.Signatory {
	s := f.draft
	s.Commitments, s.VacancyStatement, s.ReviewStatus = f.commits, f.vacancy, f.status
	s.Evidence, s.VacancyEvidence, s.Withdrawal = f.evidence, f.vacEv, f.withdrawal
	return s
}

// takeScratch keeps what a rule did to the scratch record.
func (f *form) takeScratch(s model.Signatory) {
	f.commits, f.vacancy, f.status = s.Commitments, s.VacancyStatement, s.ReviewStatus
	f.evidence, f.vacEv, f.withdrawal = s.Evidence, s.VacancyEvidence, s.Withdrawal
	f.showErrs = true
	f.rebuild()
}

// startEvidence asks for the focused target's evidence note.
func (f *form) startEvidence() tea.Cmd {
	c, v := f.evidenceTarget()
	switch {
	case c:
		f.asking = f.newAsk(askEvidence, model.MaxEvidenceNote)
		f.asking.commitment = f.focused().commitment
		if ev, ok := f.draft.EvidenceFor(f.asking.commitment); ok {
			f.asking.input.SetValue(model.SanitizeLine(ev.Note))
		}
	case v:
		f.asking = f.newAsk(askVacancy, model.MaxEvidenceNote)
		f.asking.input.SetValue(model.SanitizeLine(f.vacEv.Note))
	default:
		return nil
	}
	f.asking.input.CursorEnd()
	return textinput.Blink
}

// clearEvidence returns the focused target to merely declared.
func (f *form) clearEvidence() tea.Cmd {
	s := f.scratch()
	c, v := f.evidenceTarget()
	switch {
	case c:
		s.ClearEvidence(f.focused().commitment)
	case v:
		s.ClearVacancyEvidence()
	default:
		return nil
	}
	f.takeScratch(s)
	return common.Status("evidence cleared (save to keep)", false)
}

// withdrawOrRestore asks why a record is withdrawn, or restores a
// withdrawn one to the status it had.
func (f *form) withdrawOrRestore() tea.Cmd {
	if f.status == model.StatusWithdrawn {
		r, err := model.Restore(f.scratch())
		if err != nil {
			return common.Status("not restored: "+fieldErrText(err), true)
		}
		f.takeScratch(r)
		return common.Status("restored to "+string(r.ReviewStatus)+" (save to keep)", false)
	}
	if f.orig.ID == 0 {
		return common.Status("a new record cannot be withdrawn: esc drops it", true)
	}
	f.asking = f.newAsk(askWithdraw, model.MaxWithdrawalReason)
	return textinput.Blink
}

func fieldErrText(err error) string {
	if fe := model.FieldErrors(err); len(fe) > 0 {
		return model.SanitizeLine(fe[0].Msg)
	}
	return model.SanitizeLine(err.Error())
}

// askKey handles a key while a question is open.
func (f *form) askKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, f.life.Cancel):
		f.asking = nil
		return nil
	case key.Matches(msg, f.life.Answer):
		return f.answer()
	}
	return f.askEdit(msg)
}

// askEdit passes a key or paste to the question's input, neutralised.
func (f *form) askEdit(msg tea.Msg) tea.Cmd {
	a := f.asking
	if p, ok := msg.(tea.PasteMsg); ok {
		p.Content = model.SanitizeLine(p.Content)
		msg = p
	}
	var cmd tea.Cmd
	a.input, cmd = a.input.Update(msg)
	if v := a.input.Value(); model.SanitizeLine(v) != v {
		a.input.SetValue(model.SanitizeLine(v))
	}
	a.problem = ""
	return cmd
}

// answer applies the reviewer's answer through the model's rules.
func (f *form) answer() tea.Cmd {
	a := f.asking
	text := strings.TrimSpace(a.input.Value())
	now := f.opts.Time()
	s := f.scratch()
	switch a.kind {
	case askEvidence, askVacancy:
		if a.kind == askEvidence {
			s.SetEvidence(a.commitment, text, f.opts.Reviewer, now)
		} else {
			s.SetVacancyEvidence(text, f.opts.Reviewer, now)
		}
		field := model.FieldVacancyEvidence
		if a.kind == askEvidence {
			field = model.EvidenceField(a.commitment)
		}
		check := s
		check.Normalise()
		for _, fe := range model.FieldErrors(check.Validate(now)) {
			if fe.Field == field {
				a.problem = fe.Msg
				return nil
			}
		}
		f.asking = nil
		f.takeScratch(s)
		return common.Status("marked evidenced (save to keep)", false)
	case askWithdraw:
		w, err := model.Withdraw(s, text, f.opts.Reviewer, now)
		if err != nil {
			a.problem = fieldErrText(err)
			return nil
		}
		f.asking = nil
		f.takeScratch(w)
		return common.Status("withdrawn (save to keep; ctrl+x restores)", false)
	case askVerify:
		if text == "" {
			a.problem = "say why it is verified without them"
			return nil
		}
		line := fmt.Sprintf("%s: verified by %s although %s — %s", now.Format(model.DateLayout),
			model.SanitizeLine(f.opts.Reviewer), strings.Join(a.warnings, " and "), text)
		notes := f.notes.Value()
		if strings.TrimSpace(notes) != "" {
			notes = strings.TrimRight(notes, "\n") + "\n"
		}
		f.notes.SetValue(display(model.FieldNotes, notes+line))
		f.asking = nil
		f.verifyOK = true
		f.showErrs = true
		f.rebuild()
		return f.saveThen(a.next)
	}
	return nil
}

// needsVerifyAsk is what the record lacks if the save would mark it
// verified without support, and the reviewer has not said why yet.
func (f *form) needsVerifyAsk() []string {
	if f.verifyOK || f.draft.ReviewStatus != model.StatusVerified || f.orig.ReviewStatus == model.StatusVerified {
		return nil
	}
	return model.VerifyWarnings(&f.draft)
}

// nextMsg asks the screen to open the row after id in the table's view
// (its order and filter as they stand).
type nextMsg struct {
	common.Owner
	id uint64
}

func (f *form) askNext() tea.Cmd {
	gen, id := f.gen, f.orig.ID
	return func() tea.Msg { return nextMsg{Owner: owner(gen), id: id} }
}
