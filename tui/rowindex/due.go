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

// DueCounts counts the rows in view by review state: overdue and due
// soon. Each row's state is read once per clock from its row, so the
// first count reads every row; later counts read again only the chunks
// of rows a change replaced. cache may be nil (nothing kept).
func (x *Index) DueCounts(c model.DueClock, cache *DueCache) (overdue, soon int) {
	if cache == nil {
		cache = &DueCache{}
	}
	cache.refresh(x.snap, c)
	for _, v := range x.view {
		p := x.order[v]
		var st model.DueState
		if x.over != nil && x.over[p] {
			st = c.State(x.row(p).Sig)
		} else {
			st = cache.states[p>>chunkBits][p&(chunkSize-1)]
		}
		switch st {
		case model.DueOverdue:
			overdue++
		case model.DueSoon:
			soon++
		}
	}
	return overdue, soon
}

// DueCache keeps the review state of every row of a snapshot under one
// clock, a chunk at a time: a chunk is replaced, never changed, when a
// record changes, and a load only fills slots beyond the snapshot's end,
// so a chunk still in the newer snapshot with no more slots in use keeps
// its states.
type DueCache struct {
	clock  model.DueClock
	chunks []*chunk
	filled []int // slots of the chunk in use when its states were read
	states [][]model.DueState
}

func (d *DueCache) refresh(s *Snapshot, c model.DueClock) {
	if c != d.clock {
		d.clock, d.chunks, d.filled = c, nil, nil
	}
	for len(d.chunks) < len(s.chunks) {
		d.chunks, d.filled = append(d.chunks, nil), append(d.filled, 0)
	}
	for len(d.states) < len(s.chunks) {
		d.states = append(d.states, make([]model.DueState, chunkSize))
	}
	for i, ch := range s.chunks {
		filled := min(max(s.n-i*chunkSize, 0), chunkSize)
		if d.chunks[i] == ch && d.filled[i] == filled {
			continue
		}
		d.chunks[i], d.filled[i] = ch, filled
		st := d.states[i]
		// Only the slots in use are read: a load may be filling the
		// rest of the chunk at this moment.
		for j := range st {
			st[j] = model.DueNone
			if j < filled {
				if r := ch.rows[j]; r != nil {
					st[j] = c.State(r.Sig)
				}
			}
		}
	}
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
