package signatories

import (
	tea "charm.land/bubbletea/v2"

	"charter/tui/common"
)

// openNext answers the form's "save and next": it opens the row after the
// saved record in the table's view, in the table's order and under its
// filter. The saved record stays in view (pinned by the cursor) even when
// it no longer matches, so the next row is the one the reviewer saw below
// it.
func (s *Screen) openNext(msg nextMsg) tea.Cmd {
	if !s.formOwns(msg.Gen) || s.form.orig.ID != msg.id {
		return nil
	}
	if s.form.unsaved() {
		return common.Status("not moved on: this record has changes not saved", true)
	}
	t := s.table
	next := t.idx.Find(s.after)
	s.after = 0
	if next < 0 {
		// Nothing was saved (or the row below went): the row below the
		// record where it now stands.
		next = t.idx.Find(msg.id) + 1
		if next == 0 {
			next = t.list.Cursor()
		}
	}
	if next >= t.idx.Len() {
		s.form = nil
		return common.Status("that was the last row of the view", false)
	}
	t.list.SetCursor(next)
	t.prepare()
	r := t.idx.At(next)
	s.form = newForm(s.opts, s.st, *r.Sig, s.width, s.height)
	return s.form.init()
}

// rowAfter is the record below a save-and-next's record in the table's
// view as it stands before the save is applied (0: none, or not a
// save-and-next).
func (s *Screen) rowAfter(msg savedMsg) uint64 {
	if !s.form.nextAfter || msg.err != nil {
		return 0
	}
	i := s.table.idx.Find(msg.id)
	if i < 0 || i+1 >= s.table.idx.Len() {
		return 0
	}
	return s.table.idx.At(i + 1).ID()
}
