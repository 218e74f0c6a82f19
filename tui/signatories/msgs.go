package signatories

import (
	"errors"

	tea "charm.land/bubbletea/v2"

	"charter/model"
	"charter/tui/common"
)

// Every result of this screen's commands names its owner: the screen and
// the generation of the component that asked (the list's load, or one
// opening of the form). A result for a generation that has moved on is
// dropped; what a late save committed still reaches the table (and other
// sessions) as a re-read record.
type (
	// pageMsg is the first page of records and the tier aggregate.
	pageMsg struct {
		common.Owner
		rows   []model.Signatory
		counts model.TierCounts
		err    error
	}
	// allMsg is every record.
	allMsg struct {
		common.Owner
		rows []model.Signatory
		err  error
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
	// freedMsg says the garbage of a full load was returned.
	freedMsg struct{ common.Owner }
)

func owner(gen uint64) common.Owner {
	return common.Owner{Screen: common.ScreenSignatories, Gen: gen}
}

// firstPage is how many records show before the rest have loaded.
const firstPage = 200

func loadFirst(svc model.SignatoryService, gen uint64) tea.Cmd {
	return func() tea.Msg {
		rows, err := svc.SignatoryPage(0, firstPage)
		if err != nil {
			return pageMsg{Owner: owner(gen), err: err}
		}
		c, err := svc.TierCounts()
		return pageMsg{Owner: owner(gen), rows: rows, counts: c, err: err}
	}
}

func loadAll(svc model.SignatoryService, gen uint64) tea.Cmd {
	return func() tea.Msg {
		rows, err := svc.Signatories()
		return allMsg{Owner: owner(gen), rows: rows, err: err}
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
