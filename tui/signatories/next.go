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
	i := t.idx.Find(msg.id)
	if i < 0 {
		i = t.list.Cursor() - 1
	}
	if i+1 >= t.idx.Len() {
		s.form = nil
		return common.Status("that was the last row of the view", false)
	}
	t.list.SetCursor(i + 1)
	t.prepare()
	r := t.idx.At(i + 1)
	s.form = newForm(s.opts, s.st, r.Sig, s.width, s.height)
	return s.form.init()
}
