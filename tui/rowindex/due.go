package rowindex

import (
	"charter/model"
)

// The review state column. Whether a record is current, due soon or
// overdue depends on the day and the review period, so it is not a cell of
// the row: the table draws it with DueClock. Its order does not depend on
// the day: records sort by the date their review period runs from (the
// last review, else the signing date), so the most overdue come first,
// and withdrawn records, out of the cycle, last.

// DueClock tells the review state of rows on the index's day under its
// review period (SetContext).
func (x *Index) DueClock() model.DueClock {
	return model.NewDueClock(x.ctx.ReviewPeriod, x.ctx.Today)
}

// DueCounts counts the rows in view by review state: overdue and due soon.
func (x *Index) DueCounts(c model.DueClock) (overdue, soon int) {
	for i := range x.view {
		switch c.State(&x.row(x.order[x.view[i]]).Sig) {
		case model.DueOverdue:
			overdue++
		case model.DueSoon:
			soon++
		}
	}
	return overdue, soon
}

// DueWord is a review state as the table writes it: the filter's word
// (current, soon, overdue), or "—" for a withdrawn record.
func DueWord(d model.DueState) string {
	if d == model.DueNone {
		return "—"
	}
	return d.String()
}

// dueKey is the Due column's sort key: withdrawn after the rest, then
// the day the review period runs from, then the ID.
func dueKey(s *model.Signatory) (a, b, c uint64) {
	if s.Withdrawn() {
		a = 1
	}
	base := model.ReviewBase(s)
	return a, uint64(base.Unix() + 1<<62), s.ID
}

// compareDue orders two records as dueKey does (the ID apart).
func compareDue(x, y *model.Signatory) int {
	if wx, wy := x.Withdrawn(), y.Withdrawn(); wx != wy {
		if wx {
			return 1
		}
		return -1
	}
	return model.ReviewBase(x).Compare(model.ReviewBase(y))
}
