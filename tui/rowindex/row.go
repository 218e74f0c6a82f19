// Package rowindex is the signatory table's data: every record as a row
// ready for display, in the order of a sort column, narrowed by a filter
// query, with the tier counts of what is in view. Records become view text
// here, once per record version: a row's cells are neutralised when the
// row is built and never again.
//
// It imports the model only: no Bubble Tea, no store, no styles. Rows are
// immutable once built (a changed record gets a new row), so a set of rows
// can be read by many views at once; the order, the filter and the cache
// of recent queries belong to one Index.
package rowindex

import (
	"runtime"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"charter/model"
)

// Column is one column of the table, and a sort key.
type Column int

const (
	ColOrganisation Column = iota
	ColArea
	ColSector
	ColTier
	ColCount
	ColVacancy
	ColStatus
	ColSignedOn
	// ColDue is the review state (see due.go): its cell is drawn against
	// the table's day, so a row leaves it empty.
	ColDue
	NumColumns
)

var columnTitles = [NumColumns]string{"Organisation", "Area", "Sector", "Tier", "#", "Vac", "Status", "Signed on", "Due"}

// Title is the column's heading.
func (c Column) Title() string {
	if c < 0 || c >= NumColumns {
		return ""
	}
	return columnTitles[c]
}

// Row is one record as the table shows it. Nothing in a Row changes after
// it is made, nor does the record it points to: a new version of the
// record gets a new Row.
type Row struct {
	// Sig is the record as stored. Rows made from a page of records point
	// into that page, so a load keeps the records it read and no copy.
	Sig *model.Signatory

	// hay is the lower-cased search text (model.SignatoryHaystack) of a
	// row made alone; rows made in bulk leave theirs to the index, which
	// keeps every row's search text packed in scan order.
	hay string
}

// NewRow prepares a record for the table.
func NewRow(s model.Signatory) *Row {
	r := &Row{Sig: &s}
	r.hay = model.SignatoryHaystack(r.Sig)
	return r
}

// newRows prepares many records at once: the rows in one allocation,
// pointing into recs (which nothing may change afterwards), and their
// search text in one block per part, returned beside them. Large batches
// are split between the CPUs; the first pages of a load, which come while
// the first frame is drawn, are not.
func newRows(recs []model.Signatory) ([]Row, []string) {
	slab := makeLarge[Row](len(recs), len(recs))
	hays := make([]string, len(recs))
	part := func(lo, hi int) {
		size := 0
		for i := lo; i < hi; i++ {
			size += model.SignatoryHaystackSize(&recs[i])
		}
		block := makeLarge[byte](0, size)
		ends := make([]int32, hi-lo)
		for i := lo; i < hi; i++ {
			r := &slab[i]
			r.Sig = &recs[i]
			block = model.AppendSignatoryHaystack(block, r.Sig)
			ends[i-lo] = int32(len(block))
			if i&255 == 255 {
				// Let the screen's goroutine in: see store's yieldEvery.
				runtime.Gosched()
			}
		}
		// One string for the whole block: every row's text is a slice of
		// it.
		text := unsafe.String(unsafe.SliceData(block), len(block))
		start := int32(0)
		for i, end := range ends {
			hays[lo+i] = text[start:end]
			start = end
		}
	}
	workers := runtime.GOMAXPROCS(0)
	if len(recs) < 8192 || workers < 2 {
		part(0, len(recs))
		return slab, hays
	}
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := len(recs)*w/workers, len(recs)*(w+1)/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			part(lo, hi)
		}()
	}
	wg.Wait()
	return slab, hays
}

var counts = [...]string{"0", "1", "2", "3", "4", "5", "6", "7", "8"}

// Cell is the record's value in column c as the table draws it,
// neutralised (no control, escape or bidi characters) and on one line.
// ColDue is drawn against the table's day, so its cell is empty here.
// Cells are made when drawn: a screen shows a few dozen rows.
func (r *Row) Cell(c Column) string {
	s := r.Sig
	switch c {
	case ColOrganisation:
		return model.SanitizeLine(s.Organisation)
	case ColArea:
		return model.SanitizeLine(s.LocalArea)
	case ColSector:
		return model.SanitizeLine(SectorWord(s.Sector))
	case ColTier:
		return TierWord(s.Tier())
	case ColCount:
		if n := s.Commitments.Count(); n < len(counts) {
			return counts[n]
		} else {
			return strconv.Itoa(n)
		}
	case ColVacancy:
		return VacancyWord(s.VacancyStatement)
	case ColStatus:
		return model.SanitizeLine(StatusWord(s.ReviewStatus))
	case ColSignedOn:
		return s.Field(model.FieldSignedOn)
	}
	return ""
}

// ID is the record's ID.
func (r *Row) ID() uint64 { return r.Sig.ID }

// TierWord is a tier as the table writes it.
func TierWord(t model.Tier) string {
	if t == model.TierNone {
		return "—"
	}
	return t.Label()
}

// VacancyWord marks a missing vacancy statement with a word, not only a
// colour.
func VacancyWord(ok bool) string {
	if ok {
		return "yes"
	}
	return "NO!"
}

// SectorWord is a sector short enough for its column.
func SectorWord(s model.Sector) string {
	switch s {
	case model.SectorSocialEnterprise:
		return "soc.ent"
	case model.SectorVoluntary:
		return "volunt."
	}
	return string(s)
}

// StatusWord is a review status short enough for its column.
func StatusWord(s model.ReviewStatus) string {
	if s == model.StatusNeedsInfo {
		return "need info"
	}
	return string(s)
}

// compare orders rows by a column; equal keys fall back to the ID, so the
// order is total and a row inserted alone lands where a full sort would
// put it.
func compare(col Column, a, b *Row) int {
	x, y := a.Sig, b.Sig
	c := 0
	switch col {
	case ColOrganisation:
		c = compareFold(x.Organisation, y.Organisation)
	case ColArea:
		c = strings.Compare(x.LocalArea, y.LocalArea)
	case ColSector:
		c = strings.Compare(string(x.Sector), string(y.Sector))
	case ColTier, ColCount:
		c = x.Commitments.Count() - y.Commitments.Count()
	case ColVacancy:
		switch {
		case x.VacancyStatement == y.VacancyStatement:
		case !x.VacancyStatement:
			c = -1
		default:
			c = 1
		}
	case ColStatus:
		c = strings.Compare(string(x.ReviewStatus), string(y.ReviewStatus))
	case ColSignedOn:
		c = x.SignedOn.Compare(y.SignedOn)
	case ColDue:
		c = compareDue(x, y)
	}
	if c != 0 {
		return c
	}
	switch {
	case x.ID < y.ID:
		return -1
	case x.ID > y.ID:
		return 1
	}
	return 0
}

func less(col Column, a, b *Row) bool { return compare(col, a, b) < 0 }

// compareFold compares without regard to the case of ASCII letters; any
// other byte compares as it is (so a sort key made of a folded prefix
// orders exactly as this does).
func compareFold(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		ca, cb := fold(a[i]), fold(b[i])
		if ca != cb {
			if ca < cb {
				return -1
			}
			return 1
		}
	}
	return len(a) - len(b)
}

func fold(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// makeLarge makes a list of n T, in huge pages when it is large enough to
// hold some.
func makeLarge[T any](n, capacity int) []T {
	s := make([]T, n, capacity)
	if capacity > 0 {
		var t T
		adviseHuge(unsafe.Pointer(unsafe.SliceData(s)), uintptr(capacity)*unsafe.Sizeof(t))
	}
	return s
}

// WarmHeap touches size bytes, asked for in huge pages, then drops them
// and collects, so that they are free in the heap, already faulted in, for
// a load that comes next (see adviseHuge).
func WarmHeap(size int) {
	b := makeLarge[byte](size, size)
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1
	}
	runtime.KeepAlive(b)
	b = nil
	runtime.GC()
}
