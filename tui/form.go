package tui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"charter/model"
)

// itemKind says how a form item is edited.
type itemKind int

const (
	itemText       itemKind = iota // a text input
	itemChoice                     // left/right/space cycle through values
	itemCommitment                 // space toggles
)

// formItem is one line of the form.
type formItem struct {
	kind       itemKind
	field      string // model field name (text and choice items)
	label      string
	commitment model.Commitment
}

func formItems() []formItem {
	items := []formItem{
		{kind: itemText, field: model.FieldOrganisation, label: "Organisation"},
		{kind: itemText, field: model.FieldContactName, label: "Contact"},
		{kind: itemText, field: model.FieldEmail, label: "Email"},
		{kind: itemChoice, field: model.FieldSector, label: "Sector"},
		{kind: itemText, field: model.FieldRegion, label: "Region"},
		{kind: itemText, field: model.FieldLocalArea, label: "Local area"},
		{kind: itemText, field: model.FieldEmployees, label: "Employees"},
		{kind: itemText, field: model.FieldSignedBy, label: "Signed by"},
		{kind: itemText, field: model.FieldSignedOn, label: "Signed on"},
		{kind: itemChoice, field: model.FieldVacancyStatement, label: "Vacancy stmt"},
		{kind: itemChoice, field: model.FieldReviewStatus, label: "Review"},
		{kind: itemText, field: model.FieldNotes, label: "Notes"},
	}
	for _, c := range model.AllCommitments() {
		items = append(items, formItem{kind: itemCommitment, commitment: c, label: c.Label()})
	}
	return items
}

func charLimit(field string) int {
	switch field {
	case model.FieldOrganisation:
		return model.MaxOrganisation
	case model.FieldContactName, model.FieldSignedBy:
		return model.MaxName
	case model.FieldEmail:
		return model.MaxEmail
	case model.FieldRegion, model.FieldLocalArea:
		return model.MaxPlace
	case model.FieldEmployees:
		return 9
	case model.FieldSignedOn:
		return 10
	case model.FieldNotes:
		return model.MaxNotes
	}
	return 200
}

type formKeys struct {
	Next, Prev, Toggle, Save, Cancel, History key.Binding
}

func newFormKeys() formKeys {
	return formKeys{
		Next:    key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab/↓", "next field")),
		Prev:    key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab/↑", "previous")),
		Toggle:  key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "toggle/cycle")),
		Save:    key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "save")),
		Cancel:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close")),
		History: key.NewBinding(key.WithKeys("ctrl+h"), key.WithHelp("ctrl+h", "history")),
	}
}

func (k formKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Toggle, k.Save, k.History, k.Cancel}
}

func (k formKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Next, k.Prev, k.Toggle}, {k.Save, k.History, k.Cancel}}
}

// Messages of the form.
type (
	savedMsg struct {
		s       model.Signatory
		created bool
	}
	saveErrMsg  struct{ err error }
	historyMsg  struct{ changes []model.Change }
	conflictMsg struct{ stored model.Signatory }
)

// form edits one signatory. The draft is rebuilt from the inputs on every
// change, so the tier badge, the hint and the validation messages always
// describe what is on screen, before anything is saved.
type form struct {
	opts *Options
	st   *Styles
	keys formKeys

	width, height int
	orig          model.Signatory // as opened (or as last saved)
	items         []formItem
	inputs        map[string]*textinput.Model
	sector        model.Sector
	vacancy       bool
	status        model.ReviewStatus
	commits       model.CommitmentSet
	focus, offset int

	draft   model.Signatory
	errs    map[string]string
	touched bool

	confirmDiscard bool
	saving         bool
	showHistory    bool
	history        []model.Change
	histOffset     int
	conflict       *model.Signatory // the stored record, when a save hit a newer version
	notice         string           // e.g. "changed by sam"
}

func newForm(o *Options, st *Styles, s model.Signatory, w, h int) *form {
	f := &form{opts: o, st: st, keys: newFormKeys(), items: formItems(), inputs: map[string]*textinput.Model{}}
	for _, it := range f.items {
		if it.kind != itemText {
			continue
		}
		ti := textinput.New()
		ti.Prompt = ""
		ti.CharLimit = charLimit(it.field)
		ti.SetStyles(inputStyles(st.Dark))
		if it.field == model.FieldLocalArea {
			ti.SetSuggestions(model.LocalAreas())
			ti.ShowSuggestions = true
		}
		f.inputs[it.field] = &ti
	}
	f.load(s)
	f.setSize(w, h)
	return f
}

// setValues puts a record's values into the inputs without changing
// which version the form edits.
func (f *form) setValues(s model.Signatory) {
	for field, ti := range f.inputs {
		ti.SetValue(s.Field(field))
	}
	f.sector, f.vacancy, f.status, f.commits = s.Sector, s.VacancyStatement, s.ReviewStatus, s.Commitments
	f.rebuild()
}

// load puts a record's values into the inputs.
func (f *form) load(s model.Signatory) {
	f.orig = s
	for field, ti := range f.inputs {
		ti.SetValue(s.Field(field))
	}
	f.sector, f.vacancy, f.status, f.commits = s.Sector, s.VacancyStatement, s.ReviewStatus, s.Commitments
	if f.status == "" {
		f.status = model.StatusPending
	}
	f.conflict, f.notice = nil, ""
	f.rebuild()
}

func (f *form) init() tea.Cmd {
	if f.opts.ReadOnly {
		return setStatus("read-only session: this record can be read but not changed", false)
	}
	return f.focusCmd()
}

func (f *form) loadHistory() tea.Cmd {
	id, svc := f.orig.ID, f.opts.Signatories
	if id == 0 || svc == nil {
		return nil
	}
	return func() tea.Msg {
		h, err := svc.SignatoryHistory(id)
		if err != nil {
			return loadErrMsg{err}
		}
		return historyMsg{h}
	}
}

func (f *form) setSize(w, h int) {
	f.width, f.height = w, h
	for _, ti := range f.inputs {
		ti.SetWidth(max(f.valueWidth()-1, 8))
	}
	f.scrollToFocus()
}

func (f *form) setStyles(st *Styles) {
	f.st = st
	for _, ti := range f.inputs {
		ti.SetStyles(inputStyles(st.Dark))
	}
}

func (f *form) keyMap() help.KeyMap { return f.keys }

// The form owns every key until it is closed with esc, so an unsaved
// edit is never lost to a stray q.
func (f *form) capturing() bool { return true }

// rebuild makes the draft from the inputs and validates it.
func (f *form) rebuild() {
	d := f.orig
	errs := map[string]string{}
	text := func(field string) string { return f.inputs[field].Value() }
	d.Organisation, d.ContactName, d.Email = text(model.FieldOrganisation), text(model.FieldContactName), text(model.FieldEmail)
	d.Region, d.LocalArea, d.SignedBy, d.Notes = text(model.FieldRegion), text(model.FieldLocalArea), text(model.FieldSignedBy), text(model.FieldNotes)
	d.Sector, d.VacancyStatement, d.ReviewStatus, d.Commitments = f.sector, f.vacancy, f.status, f.commits
	d.Employees = nil
	if v := strings.TrimSpace(text(model.FieldEmployees)); v != "" {
		if n, err := strconv.Atoi(v); err != nil {
			errs[model.FieldEmployees] = fmt.Sprintf("%s is not a whole number", v)
		} else {
			d.Employees = &n
		}
	}
	d.SignedOn = time.Time{}
	if v := strings.TrimSpace(text(model.FieldSignedOn)); v != "" {
		if t, err := time.Parse(model.DateLayout, v); err != nil {
			errs[model.FieldSignedOn] = v + " is not a date (YYYY-MM-DD)"
		} else {
			d.SignedOn = t
		}
	}
	d.Normalise()
	for _, fe := range model.FieldErrors(d.Validate(f.opts.now())) {
		if _, ok := errs[fe.Field]; !ok {
			errs[fe.Field] = fe.Msg
		}
	}
	f.draft, f.errs = d, errs
}

// dirty reports unsaved changes.
func (f *form) dirty() bool {
	o := f.orig
	o.Normalise()
	return len(model.Diff(&o, &f.draft)) > 0
}

func (f *form) focused() formItem { return f.items[f.focus] }

func (f *form) focusCmd() tea.Cmd {
	var cmd tea.Cmd
	for field, ti := range f.inputs {
		if it := f.focused(); it.kind == itemText && it.field == field && !f.opts.ReadOnly {
			cmd = ti.Focus()
		} else {
			ti.Blur()
		}
	}
	return cmd
}

// update handles a message; closed is true when the form should go away.
func (f *form) update(msg tea.Msg) (cmd tea.Cmd, closed bool) {
	switch msg := msg.(type) {
	case historyMsg:
		f.history = msg.changes
		return nil, false
	case savedMsg:
		f.saving = false
		f.load(msg.s)
		verb := "saved"
		if msg.created {
			verb = "created"
		}
		return tea.Batch(setStatus(fmt.Sprintf("%s %s (version %d, %s)", verb, model.SanitizeLine(msg.s.Organisation), msg.s.Version, msg.s.Tier().Label()), false), f.loadHistory()), false
	case saveErrMsg:
		f.saving = false
		if fe := model.FieldErrors(msg.err); len(fe) > 0 {
			for _, e := range fe {
				f.errs[e.Field] = e.Msg
			}
			f.touched = true
			return setStatus("not saved: "+fe[0].Field+": "+fe[0].Msg, true), false
		}
		if errors.Is(msg.err, model.ErrReadOnly) {
			return setStatus("read-only session: not saved", true), false
		}
		return setStatus("not saved: "+msg.err.Error(), true), false
	case conflictMsg:
		f.saving = false
		stored := msg.stored
		f.conflict = &stored
		return setStatus("not saved: the record changed since you opened it — r reload, k keep mine", true), false
	case tea.KeyPressMsg:
		return f.key(msg)
	}
	// Cursor blinks and the like go to the focused input.
	if it := f.focused(); it.kind == itemText {
		ti := f.inputs[it.field]
		var c tea.Cmd
		*ti, c = ti.Update(msg)
		return c, false
	}
	return nil, false
}

// recordChanged hears that the record was re-read after someone saved it.
func (f *form) recordChanged(m recordMsg) {
	if m.id != f.orig.ID || m.s == nil || m.s.Version <= f.orig.Version || f.saving {
		return
	}
	if !f.dirty() {
		f.load(*m.s)
		f.notice = "reloaded: this record was changed in another session"
		return
	}
	f.notice = "changed in another session since you opened it — ctrl+s will show what changed"
}

func (f *form) key(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := msg.String()
	switch {
	case f.showHistory:
		switch k {
		case "esc", "ctrl+h", "q":
			f.showHistory = false
		case "up", "k":
			f.histOffset = max(f.histOffset-1, 0)
		case "down", "j":
			f.histOffset++
		}
		return nil, false
	case f.confirmDiscard:
		switch k {
		case "y", "Y":
			return setStatus("changes discarded", false), true
		case "n", "N", "esc":
			f.confirmDiscard = false
		}
		return nil, false
	case f.conflict != nil:
		switch k {
		case "r", "R":
			f.load(*f.conflict)
			return setStatus("reloaded the stored version; your changes were dropped", false), false
		case "k", "K":
			// Keep mine: my edits go on top of the stored version (their
			// other changes stay), saved as a new change in its history.
			opened, mine := f.orig, f.draft
			opened.Normalise()
			merged := model.Rebase(f.conflict, &opened, &mine)
			f.load(*f.conflict)
			f.setValues(merged)
			return f.save(), false
		case "esc":
			f.conflict = nil
		}
		return nil, false
	}
	switch k {
	case "esc":
		if f.dirty() && !f.opts.ReadOnly {
			f.confirmDiscard = true
			return nil, false
		}
		return nil, true
	case "ctrl+s":
		if f.opts.ReadOnly {
			return setStatus("read-only session: not saved", true), false
		}
		return f.save(), false
	case "ctrl+h":
		f.showHistory = true
		f.histOffset = 0
		return f.loadHistory(), false
	case "tab", "down":
		f.focus = (f.focus + 1) % len(f.items)
		f.scrollToFocus()
		return f.focusCmd(), false
	case "shift+tab", "up":
		f.focus = (f.focus + len(f.items) - 1) % len(f.items)
		f.scrollToFocus()
		return f.focusCmd(), false
	}
	if f.opts.ReadOnly {
		return nil, false
	}
	it := f.focused()
	switch it.kind {
	case itemCommitment:
		if k == "space" || k == "x" || k == "enter" {
			f.commits = f.commits.Toggle(it.commitment)
			f.touched = true
			f.rebuild()
		}
	case itemChoice:
		step := 0
		switch k {
		case "space", "right", "l", "enter":
			step = 1
		case "left", "h":
			step = -1
		}
		if step != 0 {
			f.cycle(it.field, step)
			f.touched = true
			f.rebuild()
		}
	case itemText:
		ti := f.inputs[it.field]
		var c tea.Cmd
		*ti, c = ti.Update(msg)
		f.touched = true
		f.rebuild()
		return c, false
	}
	return nil, false
}

func (f *form) cycle(field string, step int) {
	switch field {
	case model.FieldSector:
		opts := model.Sectors()
		f.sector = opts[cycleIndex(indexOf(opts, f.sector), step, len(opts))]
	case model.FieldReviewStatus:
		opts := model.ReviewStatuses()
		f.status = opts[cycleIndex(indexOf(opts, f.status), step, len(opts))]
	case model.FieldVacancyStatement:
		f.vacancy = !f.vacancy
	}
}

func indexOf[T comparable](list []T, v T) int {
	for i, x := range list {
		if x == v {
			return i
		}
	}
	return -1
}

func cycleIndex(i, step, n int) int {
	if i < 0 {
		return 0
	}
	return ((i+step)%n + n) % n
}

// save writes the draft in a Cmd; the result comes back as a message.
func (f *form) save() tea.Cmd {
	f.touched = true
	if len(f.errs) > 0 {
		for _, it := range f.items {
			if msg, ok := f.errs[it.field]; ok && it.field != "" {
				return setStatus(fmt.Sprintf("not saved: %s %s", it.label, msg), true)
			}
		}
	}
	if !f.dirty() && f.orig.ID != 0 {
		return setStatus("nothing to save", false)
	}
	f.saving = true
	rec, svc, by := f.draft, f.opts.Signatories, f.opts.Reviewer
	return func() tea.Msg {
		var err error
		created := rec.ID == 0
		if created {
			err = svc.CreateSignatory(&rec, by)
		} else {
			err = svc.UpdateSignatory(&rec, by)
		}
		if errors.Is(err, model.ErrConflict) {
			stored, gerr := svc.Signatory(rec.ID)
			if gerr != nil {
				return saveErrMsg{gerr}
			}
			return conflictMsg{stored}
		}
		if err != nil {
			return saveErrMsg{err}
		}
		return savedMsg{s: rec, created: created}
	}
}
