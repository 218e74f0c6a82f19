package signatories

import (
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"charter/model"
	"charter/tui/common"
)

// itemKind says how a form item is edited.
type itemKind int

const (
	itemText       itemKind = iota // a one-line text input
	itemNotes                      // the multi-line notes
	itemChoice                     // space/←/→ cycle through values
	itemCommitment                 // space toggles
)

type formItem struct {
	kind       itemKind
	field      string // model field name (text, notes and choice items)
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
		{kind: itemNotes, field: model.FieldNotes, label: "Notes"},
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
	}
	return 200
}

// form edits one signatory.
//
// What is stored is what is edited: the widgets hold the record's values
// neutralised for display, and a text field counts as changed only while
// its widget holds something other than what it was loaded with. The
// record to save is the stored record with only the changed fields set
// from the widgets, so a value no widget can hold (a tab, a newline in a
// one-line field, a bidi mark) survives every save that does not touch
// its field.
type form struct {
	opts *common.Options
	st   *common.Styles
	keys formKeys
	help help.Model

	// gen names this opening of the form: results for another are dropped.
	gen uint64

	width, height int
	orig          model.Signatory // as stored (a new record: its defaults)
	items         []formItem
	inputs        map[string]*textinput.Model
	notes         textarea.Model
	base          map[string]string // each text widget's value as loaded
	sector        model.Sector
	vacancy       bool
	status        model.ReviewStatus
	commits       model.CommitmentSet
	evidence      []model.CommitmentEvidence
	vacEv         model.Evidence
	withdrawal    model.Withdrawal
	focus         int
	fields        common.List // scrolls the field lines

	draft    model.Signatory
	errs     map[string]string
	showErrs bool

	saving    bool
	nextAfter bool // the save on its way was save-and-next
	verifyOK  bool // the reviewer said why it is verified without support
	asking    *ask // a one-line question at the foot, or nil
	life      lifeKeys
	confirm   bool // "discard your changes?"
	showHelp  bool
	notice    string

	history  *historyView // non-nil while shown
	changes  []model.Change
	histErr  string
	conflict *conflictView // non-nil while a save hit a newer version
}

func newForm(o *common.Options, st *common.Styles, s model.Signatory, w, h int) *form {
	f := &form{opts: o, st: st, keys: newFormKeys(), life: newLifeKeys(), help: newHelp(st), gen: common.NextGen(),
		items: formItems(), inputs: map[string]*textinput.Model{}, base: map[string]string{}}
	for _, it := range f.items {
		if it.kind != itemText {
			continue
		}
		ti := textinput.New()
		ti.Prompt = ""
		ti.CharLimit = charLimit(it.field)
		ti.SetStyles(common.InputStyles(st.Dark))
		if it.field == model.FieldLocalArea {
			ti.SetSuggestions(model.LocalAreas())
			ti.ShowSuggestions = true
		}
		f.inputs[it.field] = &ti
	}
	f.notes = textarea.New()
	f.notes.ShowLineNumbers = false
	f.notes.Prompt = "  │ "
	f.notes.CharLimit = model.MaxNotes
	f.notes.MaxHeight = 0
	f.notes.SetStyles(common.TextAreaStyles(st.Dark))
	f.load(s)
	f.setSize(w, h)
	return f
}

func newHelp(st *common.Styles) help.Model {
	h := help.New()
	h.Styles = help.DefaultStyles(st.Dark)
	return h
}

// display is a field's value as a widget may hold it: neutralised, on one
// line except for the notes.
func display(field, v string) string {
	return model.Sanitize(v, field == model.FieldNotes)
}

// text is a text field's widget value.
func (f *form) text(field string) string {
	if field == model.FieldNotes {
		return f.notes.Value()
	}
	return f.inputs[field].Value()
}

func (f *form) setText(field, v string) {
	if field == model.FieldNotes {
		f.notes.SetValue(v)
		return
	}
	f.inputs[field].SetValue(v)
}

// textFields lists the fields edited as text.
func (f *form) textFields() []string {
	var out []string
	for _, it := range f.items {
		if it.kind == itemText || it.kind == itemNotes {
			out = append(out, it.field)
		}
	}
	return out
}

// touched reports whether the reviewer changed a text field.
func (f *form) touched(field string) bool { return f.text(field) != f.base[field] }

// loadText puts a stored value into a widget and takes what the widget
// holds as the field's untouched value.
func (f *form) loadText(field, v string) {
	f.setText(field, display(field, v))
	f.base[field] = f.text(field)
}

// load shows a record as stored, dropping any edits.
func (f *form) load(s model.Signatory) {
	if s.ReviewStatus == "" && s.ID == 0 {
		s.ReviewStatus = model.StatusPending
	}
	f.orig = s
	for _, field := range f.textFields() {
		f.loadText(field, s.Field(field))
	}
	f.sector, f.vacancy, f.status, f.commits = s.Sector, s.VacancyStatement, s.ReviewStatus, s.Commitments
	f.evidence, f.vacEv, f.withdrawal = s.Evidence, s.VacancyEvidence, s.Withdrawal
	f.conflict, f.notice, f.asking, f.verifyOK = nil, "", nil, false
	f.showErrs = s.ID != 0
	f.rebuild()
}

func (f *form) init() tea.Cmd {
	var cmds []tea.Cmd
	if f.opts.ReadOnly {
		cmds = append(cmds, common.Status("read-only session: this record can be read but not changed", false))
	} else {
		cmds = append(cmds, f.focusCmd())
	}
	if f.orig.ID != 0 && f.opts.Signatories != nil {
		cmds = append(cmds, loadHistory(f.opts.Signatories, f.gen, f.orig.ID))
	}
	return tea.Batch(cmds...)
}

// rebuild makes the record to save from the stored record and the fields
// the reviewer changed, and validates it.
func (f *form) rebuild() {
	d := f.orig
	errs := map[string]string{}
	for _, field := range f.textFields() {
		if !f.touched(field) {
			continue
		}
		v := strings.TrimSpace(f.text(field))
		switch field {
		case model.FieldOrganisation:
			d.Organisation = v
		case model.FieldContactName:
			d.ContactName = v
		case model.FieldEmail:
			d.Email = v
		case model.FieldRegion:
			d.Region = v
		case model.FieldLocalArea:
			d.LocalArea = v
		case model.FieldSignedBy:
			d.SignedBy = v
		case model.FieldNotes:
			d.Notes = v
		case model.FieldEmployees:
			d.Employees = nil
			if v != "" {
				if n, err := strconv.Atoi(v); err != nil {
					errs[field] = v + " is not a whole number"
				} else {
					d.Employees = &n
				}
			}
		case model.FieldSignedOn:
			d.SignedOn = time.Time{}
			if v != "" {
				if t, err := time.Parse(model.DateLayout, v); err != nil {
					errs[field] = v + " is not a date (YYYY-MM-DD)"
				} else {
					d.SignedOn = t
				}
			}
		}
	}
	if f.sector != f.orig.Sector {
		d.Sector = f.sector
	}
	if f.vacancy != f.orig.VacancyStatement {
		d.VacancyStatement = f.vacancy
	}
	if f.status != f.orig.ReviewStatus {
		d.ReviewStatus = f.status
	}
	d.Commitments = f.commits
	d.Evidence, d.VacancyEvidence, d.Withdrawal = f.evidence, f.vacEv, f.withdrawal
	check := d
	check.Normalise()
	for _, fe := range model.FieldErrors(check.Validate(f.opts.Time())) {
		if _, ok := errs[fe.Field]; !ok {
			errs[fe.Field] = fe.Msg
		}
	}
	f.draft, f.errs = d, errs
}

// dirty reports changes that saving would store.
func (f *form) dirty() bool {
	return len(model.Diff(&f.orig, &f.draft)) > 0 || len(f.errs) > 0 && f.anyTouched()
}

func (f *form) anyTouched() bool {
	for _, field := range f.textFields() {
		if f.touched(field) {
			return true
		}
	}
	return false
}

func (f *form) focused() formItem { return f.items[f.focus] }

// onText reports whether a text field has the keyboard.
func (f *form) onText() bool {
	k := f.focused().kind
	return (k == itemText || k == itemNotes) && !f.opts.ReadOnly
}

// capturing: the form keeps every key while it is open (tab moves between
// its fields, q is a letter in them), and answers ? itself when the
// focused item is not a text field.
func (f *form) capturing() bool { return true }

func (f *form) unsaved() bool { return !f.opts.ReadOnly && f.dirty() }

func (f *form) focusCmd() tea.Cmd {
	var cmd tea.Cmd
	it := f.focused()
	for field, ti := range f.inputs {
		if it.kind == itemText && it.field == field && !f.opts.ReadOnly {
			cmd = ti.Focus()
		} else {
			ti.Blur()
		}
	}
	if it.kind == itemNotes && !f.opts.ReadOnly {
		cmd = f.notes.Focus()
	} else {
		f.notes.Blur()
	}
	return cmd
}

// numFields is the number of field lines (everything but the notes and
// the commitments).
func (f *form) numFields() int {
	n := 0
	for _, it := range f.items {
		if it.kind == itemText || it.kind == itemChoice {
			n++
		}
	}
	return n
}

func (f *form) moveFocus(d int) tea.Cmd {
	f.focus = (f.focus + d + len(f.items)) % len(f.items)
	if f.focus < f.numFields() {
		f.fields.SetCursor(f.focus)
	}
	return f.focusCmd()
}

// keyMap is what works where the reviewer is.
func (f *form) keyMap() help.KeyMap {
	switch {
	case f.history != nil:
		return f.history.keys
	case f.conflict != nil:
		return f.conflict.keys
	case f.asking != nil:
		return common.KeyMap{Short: []key.Binding{f.life.Answer, f.life.Cancel}, Full: [][]key.Binding{{f.life.Answer, f.life.Cancel}}}
	case f.confirm:
		return common.KeyMap{Short: []key.Binding{f.keys.Discard, f.keys.Keep},
			Full: [][]key.Binding{{f.keys.Discard, f.keys.Keep}}}
	case f.showHelp:
		return common.KeyMap{Short: []key.Binding{f.keys.CloseHelp}, Full: [][]key.Binding{{f.keys.CloseHelp}}}
	}
	k, l := f.liveKeys(), f.liveLifeKeys()
	return common.KeyMap{
		Short: []key.Binding{k.Toggle, k.CycleOn, l.Commitments, l.Evidence, k.Save, l.SaveNext, k.Close, k.Help},
		Full: [][]key.Binding{{k.Next, k.Prev, k.Down, k.Up, l.Commitments}, append([]key.Binding{k.Toggle, l.Digits}, l.Toggles...),
			{k.CycleOn, k.CycleBack, l.Evidence, l.ClearEv, l.Withdraw},
			{k.Save, l.SaveNext, k.History, k.Close, k.Help}},
	}
}

// liveLifeKeys are the keys of the record's life, enabled where they work.
func (f *form) liveLifeKeys() lifeKeys {
	l := f.life
	rw := !f.opts.ReadOnly
	l.Toggles = append([]key.Binding(nil), f.life.Toggles...)
	for i := range l.Toggles {
		l.Toggles[i].SetEnabled(rw)
	}
	l.Digits.SetEnabled(rw && !f.onText())
	c, v := f.evidenceTarget()
	l.Evidence.SetEnabled(rw && (c || v))
	l.ClearEv.SetEnabled(rw && (c || v) && f.hasEvidence())
	l.Withdraw.SetEnabled(rw && f.orig.ID != 0)
	if f.status == model.StatusWithdrawn {
		l.Withdraw.SetHelp("ctrl+x", "restore")
	}
	l.SaveNext.SetEnabled(rw && f.orig.ID != 0)
	return l
}

// liveKeys are the form's keys, enabled as they work on the focused item.
func (f *form) liveKeys() formKeys {
	k := f.keys
	it := f.focused()
	k.Toggle.SetEnabled(it.kind == itemCommitment && !f.opts.ReadOnly)
	k.CycleOn.SetEnabled(it.kind == itemChoice && !f.opts.ReadOnly)
	k.CycleBack.SetEnabled(it.kind == itemChoice && !f.opts.ReadOnly)
	k.Down.SetEnabled(it.kind != itemNotes || f.opts.ReadOnly)
	k.Up.SetEnabled(it.kind != itemNotes || f.opts.ReadOnly)
	k.Help.SetEnabled(!f.onText())
	k.History.SetEnabled(f.orig.ID != 0)
	k.Save.SetEnabled(true) // a read-only session is told why nothing is saved
	return k
}

// update handles a message for this opening of the form; closed is true
// when the form should go away.
func (f *form) update(msg tea.Msg) (cmd tea.Cmd, closed bool) {
	switch msg := msg.(type) {
	case historyMsg:
		// Only the history changes: the form and its edits stay as they are.
		if msg.err != nil {
			f.histErr = msg.err.Error()
		} else {
			f.changes, f.histErr = msg.changes, ""
		}
		if f.history != nil {
			f.history.set(f.changes, f.histErr)
		}
		if msg.err != nil {
			return common.Status("could not read the history: "+msg.err.Error(), true), false
		}
		return nil, false
	case savedMsg:
		return f.saved(msg), false
	case tea.KeyPressMsg:
		return f.key(msg)
	case tea.PasteMsg:
		if f.asking != nil && f.history == nil && f.conflict == nil {
			return f.askEdit(msg), false
		}
		if f.history == nil && f.conflict == nil && !f.confirm && !f.showHelp {
			return f.edit(msg), false
		}
		return nil, false
	}
	if f.asking != nil {
		return nil, false
	}
	if f.onText() && f.history == nil && f.conflict == nil {
		return f.edit(msg), false
	}
	return nil, false
}

// edit passes a message to the focused text widget, keeps what it holds
// neutralised, and rebuilds the record to save.
func (f *form) edit(msg tea.Msg) tea.Cmd {
	it := f.focused()
	if f.opts.ReadOnly || (it.kind != itemText && it.kind != itemNotes) {
		return nil
	}
	before := f.text(it.field)
	if p, ok := msg.(tea.PasteMsg); ok {
		// Neutralise a paste whole, before the widget drops the escape
		// bytes and keeps the rest of each sequence as text.
		p.Content = display(it.field, p.Content)
		msg = p
	}
	var cmd tea.Cmd
	if it.kind == itemNotes {
		f.notes, cmd = f.notes.Update(msg)
	} else {
		ti := f.inputs[it.field]
		*ti, cmd = ti.Update(msg)
	}
	v := f.text(it.field)
	if v == before {
		return cmd
	}
	// A paste can bring escape sequences or bidi controls; the widget
	// must never hold (or draw) them.
	if clean := display(it.field, v); clean != v {
		f.setText(it.field, clean)
	}
	f.showErrs = true
	f.rebuild()
	return cmd
}

func (f *form) key(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	switch {
	case f.history != nil:
		if f.history.update(msg) {
			f.history = nil
		}
		return nil, false
	case f.conflict != nil:
		return f.conflictKey(msg), false
	case f.asking != nil:
		return f.askKey(msg), false
	case f.confirm:
		switch {
		case key.Matches(msg, f.keys.Discard):
			return common.Status("changes discarded", false), true
		case key.Matches(msg, f.keys.Keep):
			f.confirm = false
		}
		return nil, false
	case f.showHelp:
		if key.Matches(msg, f.keys.CloseHelp) {
			f.showHelp = false
		}
		return nil, false
	}
	k, l := f.liveKeys(), f.liveLifeKeys()
	it := f.focused()
	for _, b := range l.Toggles {
		if key.Matches(msg, b) {
			c, _ := digitCommitment(msg)
			return f.toggleCommitment(c), false
		}
	}
	switch {
	case key.Matches(msg, l.Digits):
		c, _ := digitCommitment(msg)
		return f.toggleCommitment(c), false
	case key.Matches(msg, l.Commitments):
		return f.jumpToCommitments(), false
	case key.Matches(msg, l.Evidence):
		return f.startEvidence(), false
	case key.Matches(msg, l.ClearEv):
		return f.clearEvidence(), false
	case key.Matches(msg, l.Withdraw):
		return f.withdrawOrRestore(), false
	case key.Matches(msg, l.SaveNext):
		return f.saveThen(true), false
	case key.Matches(msg, k.Close):
		if f.unsaved() {
			f.confirm = true
			return nil, false
		}
		return nil, true
	case key.Matches(msg, k.Save):
		return f.save(), false
	case key.Matches(msg, k.History):
		f.history = newHistoryView(f.st, f.keys.History, f.orig.Organisation, f.width, f.height)
		f.history.set(f.changes, f.histErr)
		if f.opts.Signatories == nil {
			return nil, false
		}
		return loadHistory(f.opts.Signatories, f.gen, f.orig.ID), false
	case key.Matches(msg, k.Next):
		return f.moveFocus(1), false
	case key.Matches(msg, k.Prev):
		return f.moveFocus(-1), false
	case key.Matches(msg, k.Down):
		return f.moveFocus(1), false
	case key.Matches(msg, k.Up):
		return f.moveFocus(-1), false
	case key.Matches(msg, k.Help):
		f.showHelp = true
		return nil, false
	case key.Matches(msg, k.Toggle):
		f.commits = f.commits.Toggle(it.commitment)
		f.showErrs = true
		f.rebuild()
		return nil, false
	case key.Matches(msg, k.CycleOn):
		f.cycle(it.field, 1)
		return nil, false
	case key.Matches(msg, k.CycleBack):
		f.cycle(it.field, -1)
		return nil, false
	}
	if f.onText() {
		return f.edit(msg), false
	}
	return nil, false
}

func (f *form) cycle(field string, step int) {
	switch field {
	case model.FieldSector:
		opts := model.Sectors()
		f.sector = opts[cycleIndex(indexOf(opts, f.sector), step, len(opts))]
	case model.FieldReviewStatus:
		if f.status == model.StatusWithdrawn {
			f.notice = "withdrawn: ctrl+x restores the status it had"
			return
		}
		opts := model.ReviewStatuses()
		f.status = opts[cycleIndex(indexOf(opts, f.status), step, len(opts))]
	case model.FieldVacancyStatement:
		f.vacancy = !f.vacancy
	}
	f.showErrs = true
	f.rebuild()
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
