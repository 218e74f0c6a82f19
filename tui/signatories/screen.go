// Package signatories is tab 1: the signatory table (its filter, sort and
// tier summary) and the form it opens, with the form's history and
// conflict views. Each is a component of its own; the Screen routes
// between them. It imports the shared package and the row index beneath
// it, never another screen.
package signatories

import (
	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"charter/model"
	"charter/tui/common"
)

// Screen is the signatories tab.
type Screen struct {
	opts  *common.Options
	st    *common.Styles
	table *table
	form  *form // nil while the table shows
	// after is the row below a record being saved with save-and-next,
	// taken before the save can move it in the table's order (next.go).
	after uint64

	width, height int
}

var (
	_ common.Screen     = (*Screen)(nil)
	_ common.Summarizer = (*Screen)(nil)
)

// New builds the screen; Init starts its first load.
func New(o *common.Options, st *common.Styles) *Screen {
	s := &Screen{opts: o, st: st, table: newTable(o, st)}
	s.SetSize(80, 21)
	return s
}

// Init loads the first page of records, then the rest.
func (s *Screen) Init() tea.Cmd { return s.table.init() }

func (s *Screen) SetSize(w, h int) {
	s.width, s.height = w, h
	s.table.setSize(w, h)
	if s.form != nil {
		s.form.setSize(w, h)
	}
}

func (s *Screen) SetStyles(st *common.Styles) {
	s.st = st
	s.table.setStyles(st)
	if s.form != nil {
		s.form.setStyles(st)
	}
}

func (s *Screen) Keys() help.KeyMap {
	if s.form != nil {
		return s.form.keyMap()
	}
	return s.table.keyMap()
}

// Capturing: the filter bar while it is open, the form while it is open
// (it answers ? itself outside its text fields).
func (s *Screen) Capturing() bool {
	return s.table.filter.Focused() || (s.form != nil && s.form.capturing())
}

// Unsaved reports edits in an open form.
func (s *Screen) Unsaved() bool { return s.form != nil && s.form.unsaved() }

// Summary is the record count and the filter, for the status bar.
func (s *Screen) Summary() string { return s.table.summary() }

// formOwns reports whether a result is for the form open now.
func (s *Screen) formOwns(gen uint64) bool { return s.form != nil && s.form.gen == gen }

func (s *Screen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case common.ChangedMsg:
		switch msg.Kind {
		case model.EventSignatory:
			cmd := s.table.reloadOne(msg.Seq, msg.ID)
			if s.form != nil && s.form.orig.ID == msg.ID && s.opts.Signatories != nil {
				// The open form hears of its record's change.
				cmd = tea.Batch(cmd, loadRecord(s.opts.Signatories, s.table.gen, msg.ID))
			}
			return cmd
		case model.EventImport:
			return s.table.reloadAll()
		}
		return nil
	case common.ResyncMsg:
		cmd := s.table.reloadAll()
		if s.form != nil && s.form.orig.ID != 0 && s.opts.Signatories != nil {
			cmd = tea.Batch(cmd, loadRecord(s.opts.Signatories, s.table.gen, s.form.orig.ID))
		}
		return cmd
	case recordMsg:
		cmd := s.table.update(msg)
		if s.form != nil && msg.err == nil && msg.id == s.form.orig.ID && msg.id != 0 {
			s.form.recordChanged(msg.rec)
		}
		return cmd
	case savedMsg:
		// Only the form that asked hears of its save. A save that lands
		// after its form was closed, or another opened, changes nothing
		// here: what it committed arrives as a change event, like any
		// other session's.
		if !s.formOwns(msg.Gen) || msg.id != s.form.orig.ID {
			return nil
		}
		s.after = s.rowAfter(msg)
		cmd, _ := s.form.update(msg)
		if msg.err != nil {
			return cmd
		}
		rec := msg.rec
		s.table.apply(rec.ID, &rec)
		s.table.selectID(rec.ID)
		s.table.prepare()
		return tea.Batch(cmd, loadCounts(s.opts.Signatories, s.table.gen))
	case historyMsg:
		if !s.formOwns(msg.Gen) || msg.id != s.form.orig.ID {
			return nil
		}
		cmd, _ := s.form.update(msg)
		return cmd
	case nextMsg:
		return s.openNext(msg)
	case periodMsg:
		return s.table.setPeriod(msg)
	case rowsMsg, countsMsg:
		return s.table.update(msg)
	case tea.KeyPressMsg:
		if s.form != nil {
			return s.formUpdate(msg)
		}
		if !s.table.filter.Focused() {
			if cmd, ok := s.tableKey(msg); ok {
				return cmd
			}
		}
		return s.table.update(msg)
	case tea.PasteMsg:
		if s.form != nil {
			return s.formUpdate(msg)
		}
		return s.table.update(msg)
	}
	if s.form != nil {
		return s.formUpdate(msg)
	}
	return nil
}

func (s *Screen) formUpdate(msg tea.Msg) tea.Cmd {
	cmd, closed := s.form.update(msg)
	if closed {
		s.form = nil
	}
	return cmd
}

// tableKey opens a form: the selected record, or a new one.
func (s *Screen) tableKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := s.table.keys
	switch {
	case keyMatches(msg, k.Open):
		r := s.table.selected()
		if r == nil {
			return nil, true
		}
		s.form = newForm(s.opts, s.st, *r.Sig, s.width, s.height)
		return s.form.init(), true
	case keyMatches(msg, k.New):
		if s.opts.ReadOnly {
			return common.Status("read-only session: new signatories cannot be added", true), true
		}
		s.form = newForm(s.opts, s.st, model.Signatory{Region: "West Midlands", ReviewStatus: model.StatusPending,
			SignedOn: common.DateOnly(s.opts.Time())}, s.width, s.height)
		return s.form.init(), true
	}
	return nil, false
}

func (s *Screen) View() string {
	if s.form != nil {
		return s.form.view()
	}
	return s.table.view()
}
