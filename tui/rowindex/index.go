package rowindex

import (
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"charter/model"
)

// Index is one table's view of the rows: their order, the filter in force
// and what it lets through, and the tier counts of that. Its methods are
// for one goroutine (the screen's Update).
type Index struct {
	byID map[uint64]*Row

	col  Column
	desc bool

	// sorted is every row in sort order; hay is their search text in the
	// same order, packed into one block so a scan reads memory in
	// sequence instead of chasing 100,000 separate strings.
	sorted []*Row
	hay    []string

	query   string
	matcher *model.SignatoryMatcher // nil: everything matches
	// view holds positions in sorted of the rows in view, ascending.
	view  []int32
	tiers model.TierCounts
	// pinned is a row kept in view though it no longer matches (0: none).
	pinned uint64

	// ctx is what a query needs beyond its text (today, the review
	// period), set by SetContext.
	ctx model.FilterContext

	// recent remembers the results of recent queries, so deleting a
	// character returns to an earlier result at once. Any change to the
	// rows or their order empties it. Cached slices are never changed in
	// place.
	recent map[string]result
}

type result struct {
	view  []int32
	tiers model.TierCounts
}

// recentQueries is how many query results the cache keeps.
const recentQueries = 16

// parallelFrom is the row count from which a scan is split across CPUs:
// the matcher only reads.
const parallelFrom = 20_000

// New is an empty index sorted by organisation, with the empty query in
// force (which leaves withdrawn records out).
func New() *Index {
	x := &Index{byID: map[uint64]*Row{}}
	x.SetQuery("")
	return x
}

// Set replaces every row with the given records, keeping the sort and the
// filter in force.
func (x *Index) Set(recs []model.Signatory) {
	rows, hays := newRows(recs)
	x.byID = make(map[uint64]*Row, len(rows))
	for _, r := range rows {
		x.byID[r.ID()] = r
	}
	x.sorted, x.hay = rows, hays
	x.resort()
}

// Total is the number of rows, in view or not.
func (x *Index) Total() int { return len(x.sorted) }

// Len is the number of rows in view.
func (x *Index) Len() int { return len(x.view) }

// At is the i-th row in view.
func (x *Index) At(i int) *Row { return x.sorted[x.view[i]] }

// Get is the row of a record, in view or not (nil: none).
func (x *Index) Get(id uint64) *Row { return x.byID[id] }

// Find is the position in view of a record's row, or -1.
func (x *Index) Find(id uint64) int {
	r := x.byID[id]
	if r == nil {
		return -1
	}
	return x.findPos(x.position(r))
}

// Tiers counts the rows in view by tier.
func (x *Index) Tiers() model.TierCounts { return x.tiers }

// Query is the query in force.
func (x *Index) Query() string { return x.query }

// Sort is the sort column and direction.
func (x *Index) Sort() (Column, bool) { return x.col, x.desc }

// Matches reports whether a row passes the filter in force (a pinned row
// is in view without matching).
func (x *Index) Matches(r *Row) bool {
	if x.matcher == nil {
		return true
	}
	hay := r.hay
	if hay == "" {
		hay = x.hay[x.position(r)]
	}
	return x.matcher.Match(&r.Sig, hay)
}

// Pinned is the record kept in view though it no longer matches (0: none).
func (x *Index) Pinned() uint64 { return x.pinned }

// SetSort orders the rows by col, descending if desc.
func (x *Index) SetSort(col Column, desc bool) {
	if col < 0 || col >= NumColumns {
		col = ColOrganisation
	}
	if col == x.col && desc == x.desc && x.sorted != nil {
		return
	}
	x.col, x.desc = col, desc
	x.resort()
}

func (x *Index) compare(a, b *Row) int {
	if x.desc {
		return compare(x.col, b, a)
	}
	return compare(x.col, a, b)
}

func (x *Index) less(a, b *Row) bool { return x.compare(a, b) < 0 }

// position is r's place in sorted (r must be there).
func (x *Index) position(r *Row) int {
	i := sort.Search(len(x.sorted), func(i int) bool { return !x.less(x.sorted[i], r) })
	return i
}

func (x *Index) resort() {
	x.pinned = 0
	// Sort positions, so each row's search text moves with it.
	perm := make([]int32, len(x.sorted))
	for i := range perm {
		perm[i] = int32(i)
	}
	rows := x.sorted
	slices.SortFunc(perm, func(a, b int32) int { return x.compare(rows[a], rows[b]) })
	sorted := make([]*Row, len(rows))
	for i, p := range perm {
		sorted[i] = rows[p]
	}
	x.sorted = sorted
	x.pack(perm)
	x.recent = nil
	x.refilter()
}

// pack lays the search text out in the new sort order (perm[i] is the
// old position of the row now at i).
func (x *Index) pack(perm []int32) {
	n := 0
	for _, h := range x.hay {
		n += len(h)
	}
	var b strings.Builder
	b.Grow(n)
	for _, p := range perm {
		b.WriteString(x.hay[p])
	}
	block := b.String()
	hay := make([]string, len(perm))
	off := 0
	for i, p := range perm {
		l := len(x.hay[p])
		hay[i] = block[off : off+l]
		off += l
	}
	x.hay = hay
}

// SetContext sets the day and review period that due: terms are read
// against (a zero period is the default). It applies from the next query.
func (x *Index) SetContext(today time.Time, period model.ReviewPeriod) {
	if period <= 0 {
		period = model.DefaultReviewPeriod
	}
	x.ctx = model.FilterContext{Today: today, ReviewPeriod: period}
}

// SetQuery parses and applies a filter query. A query that does not parse
// leaves the rows in view as they were and returns the reason.
func (x *Index) SetQuery(q string) error {
	parsed, err := model.ParseQuery(q)
	var m *model.SignatoryMatcher
	if err == nil {
		m, err = parsed.ForSignatoriesIn(x.ctx)
	}
	if err != nil {
		return err
	}
	if m.All() {
		m = nil
	}
	// A query that keeps no record the one in force leaves out (more of
	// a word or value, another term) needs only the rows in view checked.
	// Both matchers are set: the one in force was a query, not "all".
	narrowing := x.matcher != nil && m != nil && x.pinned == 0 && model.QueryNarrows(x.query, q)
	x.query, x.matcher = q, m
	if x.pinned != 0 {
		x.pinned = 0
		x.recent = nil
	}
	if r, ok := x.recent[q]; ok {
		x.view, x.tiers = r.view, r.tiers
		return nil
	}
	if narrowing {
		x.view, x.tiers = x.scan(x.view)
	} else {
		x.view, x.tiers = x.scan(nil)
	}
	x.remember()
	return nil
}

// Refilter applies the query in force to every row again and drops any
// pinned row that no longer matches.
func (x *Index) Refilter() {
	x.pinned = 0
	x.recent = nil
	x.refilter()
}

func (x *Index) refilter() {
	x.view, x.tiers = x.scan(nil)
	x.remember()
}

func (x *Index) remember() {
	if x.pinned != 0 {
		return
	}
	if x.recent == nil || len(x.recent) >= recentQueries {
		x.recent = map[string]result{}
	}
	x.recent[x.query] = result{x.view, x.tiers}
}

// ForgetRecent empties the cache of recent queries.
func (x *Index) ForgetRecent() { x.recent = nil }

// scan keeps the positions (of from, or of every row when from is nil)
// whose rows match, and counts their tiers.
func (x *Index) scan(from []int32) ([]int32, model.TierCounts) {
	n := len(x.sorted)
	if from != nil {
		n = len(from)
	}
	part := func(lo, hi int) ([]int32, model.TierCounts) {
		out := make([]int32, 0, hi-lo)
		var c model.TierCounts
		m := x.matcher
		for i := lo; i < hi; i++ {
			p := int32(i)
			if from != nil {
				p = from[i]
			}
			r := x.sorted[p]
			if m == nil || m.Match(&r.Sig, x.hay[p]) || (x.pinned != 0 && r.Sig.ID == x.pinned) {
				out = append(out, p)
				c.Add(&r.Sig, 1)
			}
		}
		return out, c
	}
	workers := runtime.NumCPU()
	if n < parallelFrom || workers < 2 {
		return part(0, n)
	}
	parts := make([][]int32, workers)
	counts := make([]model.TierCounts, workers)
	var wg sync.WaitGroup
	chunk := (n + workers - 1) / workers
	for w := 0; w < workers; w++ {
		lo, hi := min(w*chunk, n), min((w+1)*chunk, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			parts[w], counts[w] = part(lo, hi)
		}()
	}
	wg.Wait()
	total := 0
	for _, p := range parts {
		total += len(p)
	}
	out := make([]int32, 0, total)
	var c model.TierCounts
	for w, p := range parts {
		out = append(out, p...)
		c.Merge(counts[w])
	}
	return out, c
}

// Apply puts one re-read record in place (s nil: the record is gone),
// moving only its own row: the others are neither re-sorted nor
// re-filtered, and only the rows between its old and new place shift. A
// version no newer than the row's is ignored. If keep names the record
// and its new version no longer matches the filter, its row is pinned: it
// stays in view (Matches reports false) until Unpin, a new query or a new
// sort. Apply reports whether anything changed.
func (x *Index) Apply(id uint64, s *model.Signatory, keep uint64) bool {
	var r *Row
	if s != nil {
		if old := x.byID[id]; old != nil && s.Version <= old.Sig.Version {
			return false
		}
		r = NewRow(*s)
	}
	return x.ApplyRow(id, r, keep)
}

// ApplyRow is Apply with the row already built (nil: the record is gone),
// so rows made once can be applied to many indexes.
func (x *Index) ApplyRow(id uint64, r *Row, keep uint64) bool {
	old := x.byID[id]
	switch {
	case old == nil && r == nil:
		return false
	case old != nil && r != nil && r.Sig.Version <= old.Sig.Version:
		return false
	}
	// Nothing else holds the slices once the cache is gone, so they
	// change in place.
	x.recent = nil
	if r == nil {
		delete(x.byID, id)
		if x.pinned == id {
			x.pinned = 0
		}
		x.remove(x.position(old))
		return true
	}
	x.byID[id] = r
	if old == nil {
		p := x.position(r)
		x.insert(p, r, x.Matches(r))
		return true
	}
	p := x.position(old)
	i := x.findPos(p)
	wasInView := i >= 0
	if wasInView {
		x.tiers.Add(&old.Sig, -1)
	}
	match := x.Matches(r)
	if !match && keep == id && wasInView {
		x.pinned = id
	}
	x.move(p, r, match || x.pinned == id)
	return true
}

// remove takes the row at position p out.
func (x *Index) remove(p int) {
	r := x.sorted[p]
	n := len(x.sorted)
	copy(x.sorted[p:], x.sorted[p+1:])
	x.sorted[n-1] = nil
	x.sorted = x.sorted[:n-1]
	copy(x.hay[p:], x.hay[p+1:])
	x.hay = x.hay[:n-1]
	j := x.lowerBound(p)
	if j < len(x.view) && x.view[j] == int32(p) {
		x.tiers.Add(&r.Sig, -1)
		x.view = append(x.view[:j], x.view[j+1:]...)
	}
	for k := j; k < len(x.view); k++ {
		x.view[k]--
	}
}

// insert puts r at position p, in view if inView.
func (x *Index) insert(p int, r *Row, inView bool) {
	x.sorted = append(x.sorted, nil)
	copy(x.sorted[p+1:], x.sorted[p:])
	x.sorted[p] = r
	x.hay = append(x.hay, "")
	copy(x.hay[p+1:], x.hay[p:])
	x.hay[p] = r.hay
	j := x.lowerBound(p)
	for k := j; k < len(x.view); k++ {
		x.view[k]++
	}
	if inView {
		x.view = append(x.view, 0)
		copy(x.view[j+1:], x.view[j:])
		x.view[j] = int32(p)
		x.tiers.Add(&r.Sig, 1)
	}
}

// move replaces the row at position p with r, which may sort elsewhere:
// only the rows between the two places shift by one.
func (x *Index) move(p int, r *Row, inView bool) {
	n := len(x.sorted)
	q := p
	switch {
	case p > 0 && x.less(r, x.sorted[p-1]):
		q = sort.Search(p, func(i int) bool { return !x.less(x.sorted[i], r) })
		copy(x.sorted[q+1:p+1], x.sorted[q:p])
		copy(x.hay[q+1:p+1], x.hay[q:p])
	case p+1 < n && x.less(x.sorted[p+1], r):
		q = p + 1 + sort.Search(n-p-1, func(i int) bool { return !x.less(x.sorted[p+1+i], r) }) - 1
		copy(x.sorted[p:q], x.sorted[p+1:q+1])
		copy(x.hay[p:q], x.hay[p+1:q+1])
	}
	x.sorted[q], x.hay[q] = r, r.hay
	// Take p out of view, shift the positions between p and q, put q in.
	if j := x.findPos(p); j >= 0 {
		x.view = append(x.view[:j], x.view[j+1:]...)
	}
	lo, hi, d := q, p, int32(1) // moved up: rows q..p-1 go down one place
	if q > p {
		lo, hi, d = p+1, q+1, -1
	}
	for k := x.lowerBound(lo); k < len(x.view) && x.view[k] < int32(hi); k++ {
		x.view[k] += d
	}
	if inView {
		j := x.lowerBound(q)
		x.view = append(x.view, 0)
		copy(x.view[j+1:], x.view[j:])
		x.view[j] = int32(q)
		x.tiers.Add(&r.Sig, 1)
	}
}

func (x *Index) lowerBound(p int) int {
	return sort.Search(len(x.view), func(i int) bool { return x.view[i] >= int32(p) })
}

// Unpin drops the pinned row from view if it still does not match.
func (x *Index) Unpin() {
	id := x.pinned
	if id == 0 {
		return
	}
	x.pinned = 0
	r := x.byID[id]
	if r == nil || x.Matches(r) {
		return
	}
	if i := x.findPos(x.position(r)); i >= 0 {
		view := make([]int32, 0, len(x.view)-1)
		view = append(view, x.view[:i]...)
		x.view = append(view, x.view[i+1:]...)
		x.tiers.Add(&r.Sig, -1)
	}
	x.recent = nil
}

func (x *Index) findPos(p int) int {
	i := x.lowerBound(p)
	if i < len(x.view) && x.view[i] == int32(p) {
		return i
	}
	return -1
}
