package signatories

import (
	"errors"
	"time"

	tea "charm.land/bubbletea/v2"

	"charter/model"
	"charter/tui/common"
	"charter/tui/rowindex"
)

// Every result of this screen's commands names its owner: the screen and
// the generation of the component that asked (the list's load, or one
// opening of the form). A result for a generation that has moved on is
// dropped; what a late save committed still reaches the table (and other
// sessions) as a re-read record.
type (
	// rowsMsg is a newer version of the shared rows: a page of the
	// load, a change, or a reload.
	rowsMsg struct {
		common.Owner
		snap *rowindex.Snapshot
	}
	// recordMsg is one re-read record (rec nil: it is gone).
	recordMsg struct {
		common.Owner
		id  uint64
		rec *model.Signatory
		err error
	}
	countsMsg struct {
		common.Owner
		counts model.TierCounts
		err    error
	}
	// savedMsg is the result of one save of the form: the record as
	// stored, or the error, and on a conflict the stored record.
	savedMsg struct {
		common.Owner
		id      uint64 // 0: a new record
		rec     model.Signatory
		created bool
		err     error
		stored  *model.Signatory
		sent    map[string]string // the text fields' values as sent
	}
	// historyMsg is a record's history.
	historyMsg struct {
		common.Owner
		id      uint64
		changes []model.Change
		err     error
	}
)

func owner(gen uint64) common.Owner {
	return common.Owner{Screen: common.ScreenSignatories, Gen: gen}
}

// nextRows waits for a version of the rows newer than after (at once if
// there is one).
func nextRows(sh *rowindex.Shared, gen uint64, after *rowindex.Snapshot) tea.Cmd {
	return func() tea.Msg { return rowsMsg{Owner: owner(gen), snap: sh.Next(after)} }
}

// changedRow has the shared rows re-read one record after the change
// event seq (once for every table that shares them) and hands back the
// rows as they then are.
func changedRow(sh *rowindex.Shared, gen, seq, id uint64) tea.Cmd {
	return func() tea.Msg {
		sh.Changed(seq, id)
		return rowsMsg{Owner: owner(gen), snap: sh.Current()}
	}
}

// reloadRows has the shared rows read again, unless another table asked
// since the moment asked, and hands back the next version.
func reloadRows(sh *rowindex.Shared, gen uint64, after *rowindex.Snapshot, asked time.Time) tea.Cmd {
	return func() tea.Msg {
		sh.Reload(asked)
		return rowsMsg{Owner: owner(gen), snap: sh.Next(after)}
	}
}

func loadRecord(svc model.SignatoryService, gen, id uint64) tea.Cmd {
	return func() tea.Msg {
		rec, err := svc.Signatory(id)
		if errors.Is(err, model.ErrNotFound) {
			return recordMsg{Owner: owner(gen), id: id}
		}
		if err != nil {
			return recordMsg{Owner: owner(gen), id: id, err: err}
		}
		return recordMsg{Owner: owner(gen), id: id, rec: &rec}
	}
}

func loadCounts(svc model.SignatoryService, gen uint64) tea.Cmd {
	return func() tea.Msg {
		c, err := svc.TierCounts()
		return countsMsg{Owner: owner(gen), counts: c, err: err}
	}
}

func loadHistory(svc model.SignatoryService, gen, id uint64) tea.Cmd {
	return func() tea.Msg {
		h, err := svc.SignatoryHistory(id)
		return historyMsg{Owner: owner(gen), id: id, changes: h, err: err}
	}
}

// save writes rec (a copy) and reports back to the form generation gen.
func save(svc model.SignatoryService, gen uint64, rec model.Signatory, by string, sent map[string]string) tea.Cmd {
	return func() tea.Msg {
		id := rec.ID
		var err error
		created := id == 0
		if created {
			err = svc.CreateSignatory(&rec, by)
		} else {
			err = svc.UpdateSignatory(&rec, by)
		}
		out := savedMsg{Owner: owner(gen), id: id, rec: rec, created: created, err: err, sent: sent}
		if errors.Is(err, model.ErrConflict) {
			stored, gerr := svc.Signatory(id)
			if gerr != nil {
				out.err = gerr
			} else {
				out.stored = &stored
			}
		}
		return out
	}
}
