package rowindex

import (
	"runtime"
	"slices"
	"sort"
	"sync"
	"time"

	"charter/model"
)

// Index is one table's view of a Shared's rows: their order, the filter
// in force and what it lets through, and the tier counts of that. It
// holds no rows of its own, only slot numbers into the snapshot it last
// synced to. Its methods are for one goroutine (the screen's Update).
type Index struct {
	sh   *Shared
	snap *Snapshot
	// next and over are set while Sync moves from snap to next one
	// changed slot at a time: slots in over already read from next.
	next *Snapshot
	over map[int32]bool

	col  Column
	desc bool

	// order is the slot of every row, in sort order.
	order []int32
	// keys are order's sort keys while a load is still bringing pages,
	// so each page merges in instead of sorting everything again.
	keys []sortKey

	query   string
	matcher *model.SignatoryMatcher // nil: everything matches
	// bits has a bit per slot: the row matches the query.
	bits []uint64
	// view holds positions in order of the rows in view, ascending.
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
	recent     map[string]result
	recentSize int
}

type result struct {
	view  []int32
	bits  []uint64
	tiers model.TierCounts
}

// recentQueries is how many query results the cache keeps, and
// recentRows how many row positions in all (a server holds one cache per
// session).
const (
	recentQueries = 16
	recentRows    = 1 << 19
)

// parallelFrom is the row count from which a scan or a sort is split
// across CPUs: the matcher only reads.
const parallelFrom = 20_000

// New is an empty index of its own rows, sorted by organisation, with the
// empty query in force (which leaves withdrawn records out).
func New() *Index { return NewIndex(NewShared(nil)) }

// NewIndex is an index of a Shared's rows; Sync brings it up to date.
func NewIndex(sh *Shared) *Index {
	x := &Index{sh: sh, snap: &Snapshot{}}
	x.SetQuery("")
	return x
}

// Shared is where the rows come from.
func (x *Index) Shared() *Shared { return x.sh }

// Snapshot is the version of the rows the index shows.
func (x *Index) Snapshot() *Snapshot { return x.snap }

// Set replaces every row with the given records, keeping the sort and the
// filter in force.
func (x *Index) Set(recs []model.Signatory) {
	x.sh.Set(recs)
	x.Sync(0)
}

// Total is the number of rows, in view or not.
func (x *Index) Total() int { return len(x.order) }

// Len is the number of rows in view.
func (x *Index) Len() int { return len(x.view) }

// At is the i-th row in view.
func (x *Index) At(i int) *Row { return x.row(x.order[x.view[i]]) }

// Get is the row of a record, in view or not (nil: none).
func (x *Index) Get(id uint64) *Row { return x.snap.Get(id) }

// row is the row in slot p as the index now stands.
func (x *Index) row(p int32) *Row {
	if x.fromNext(p) {
		return x.next.Row(int(p))
	}
	return x.snap.Row(int(p))
}

func (x *Index) hayAt(p int32) string {
	if x.fromNext(p) {
		return x.next.hay(int(p))
	}
	return x.snap.hay(int(p))
}

// fromNext reports whether slot p is read from the snapshot Sync is moving
// to: a slot already brought in, or one that snap does not have.
func (x *Index) fromNext(p int32) bool {
	return x.over != nil && (int(p) >= x.snap.Len() || x.over[p])
}

// Find is the position in view of a record's row, or -1.
func (x *Index) Find(id uint64) int {
	r := x.Get(id)
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
		if p := x.snap.Slot(r.ID()); p >= 0 {
			hay = x.snap.hay(p)
		}
	}
	return x.matcher.Match(r.Sig, hay)
}

func (x *Index) matchSlot(p int32) bool {
	return x.matcher == nil || x.matcher.Match(x.row(p).Sig, x.hayAt(p))
}

// Pinned is the record kept in view though it no longer matches (0: none).
func (x *Index) Pinned() uint64 { return x.pinned }

// SetSort orders the rows by col, descending if desc.
func (x *Index) SetSort(col Column, desc bool) {
	if col < 0 || col >= NumColumns {
		col = ColOrganisation
	}
	if col == x.col && desc == x.desc {
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

// position is r's place in order (r must be there, or where it would go).
func (x *Index) position(r *Row) int {
	return sort.Search(len(x.order), func(i int) bool { return !x.less(x.row(x.order[i]), r) })
}

// resort orders every row afresh. Which rows match does not change with
// the order, so the view is listed again from the filter's bits; a pinned
// row leaves it, so then the rows are filtered again.
func (x *Index) resort() {
	pinned := x.pinned
	x.pinned = 0
	keys := x.makeKeys(x.order)
	x.sortKeys(keys)
	for i := range keys {
		x.order[i] = keys[i].slot
	}
	if x.snap.Loaded {
		x.keys = nil
	} else {
		x.keys = keys
	}
	x.recent, x.recentSize = nil, 0
	if pinned != 0 || x.bits == nil || len(x.bits) < (x.snap.Len()+63)/64 {
		x.refilter()
		return
	}
	view := make([]int32, 0, len(x.view))
	for i, p := range x.order {
		if x.bits[p>>6]&(1<<(p&63)) != 0 {
			view = append(view, int32(i))
		}
	}
	x.view = view
	x.remember()
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
	narrowing := x.matcher != nil && m != nil && x.pinned == 0 && x.bits != nil && model.QueryNarrows(x.query, q)
	x.query, x.matcher = q, m
	if x.pinned != 0 {
		x.pinned = 0
		x.recent, x.recentSize = nil, 0
	}
	if r, ok := x.recent[q]; ok {
		x.view, x.bits, x.tiers = r.view, r.bits, r.tiers
		return nil
	}
	if narrowing {
		x.narrow()
	} else {
		x.scan()
	}
	x.remember()
	return nil
}

// Refilter applies the query in force to every row again and drops any
// pinned row that no longer matches.
func (x *Index) Refilter() {
	x.pinned = 0
	x.recent, x.recentSize = nil, 0
	x.refilter()
}

func (x *Index) refilter() {
	x.scan()
	x.remember()
}

func (x *Index) remember() {
	if x.pinned != 0 {
		return
	}
	if x.recent == nil || len(x.recent) >= recentQueries || x.recentSize+len(x.view) > recentRows {
		x.recent, x.recentSize = map[string]result{}, 0
	}
	x.recent[x.query] = result{x.view, x.bits, x.tiers}
	x.recentSize += len(x.view)
}

// ForgetRecent empties the cache of recent queries.
func (x *Index) ForgetRecent() { x.recent, x.recentSize = nil, 0 }

// scan tests every slot (in slot order: the rows and their search text
// lie in memory in that order) and then lists the matching rows in sort
// order.
func (x *Index) scan() { x.scanOnly(nil) }

// scanOnly is scan restricted to the slots whose bit is set in only (nil:
// every slot).
func (x *Index) scanOnly(only []uint64) {
	n := x.snap.Len()
	bits := make([]uint64, (n+63)/64)
	part := func(lo, hi int) model.TierCounts {
		var c model.TierCounts
		m := x.matcher
		for p := lo; p < hi; p++ {
			if only != nil && only[p>>6]&(1<<(p&63)) == 0 {
				if only[p>>6]>>(p&63) == 0 {
					p |= 63 // nothing more in this word
				}
				continue
			}
			r := x.row(int32(p))
			if r == nil {
				continue
			}
			if m == nil || m.Match(r.Sig, x.hayAt(int32(p))) {
				bits[p>>6] |= 1 << (p & 63)
				c.Add(r.Sig, 1)
			}
		}
		return c
	}
	var c model.TierCounts
	workers := runtime.GOMAXPROCS(0)
	if n < parallelFrom || workers < 2 {
		c = part(0, n)
	} else {
		counts := make([]model.TierCounts, workers)
		var wg sync.WaitGroup
		// Parts end on a word of bits, so no two write the same word.
		chunk := ((n+workers-1)/workers + 63) &^ 63
		for w := 0; w < workers; w++ {
			lo, hi := min(w*chunk, n), min((w+1)*chunk, n)
			wg.Add(1)
			go func() {
				defer wg.Done()
				counts[w] = part(lo, hi)
			}()
		}
		wg.Wait()
		for _, k := range counts {
			c.Merge(k)
		}
	}
	x.bits = bits
	pinned := int32(-1)
	if x.pinned != 0 {
		pinned = int32(x.snap.Slot(x.pinned))
		if pinned >= 0 && bits[pinned>>6]&(1<<(pinned&63)) == 0 {
			c.Add(x.row(pinned).Sig, 1)
		}
	}
	view := make([]int32, 0, c.Total+c.Withdrawn+1)
	for i, p := range x.order {
		if bits[p>>6]&(1<<(p&63)) != 0 || p == pinned {
			view = append(view, int32(i))
		}
	}
	x.view, x.tiers = view, c
}

// narrow tests only the rows in view: in slot order while they are many,
// else in the order of the view.
func (x *Index) narrow() {
	if len(x.view) > len(x.order)/8 {
		x.scanOnly(x.bits)
		return
	}
	bits := slices.Clone(x.bits)
	view := make([]int32, 0, len(x.view))
	var c model.TierCounts
	for _, i := range x.view {
		p := x.order[i]
		r := x.row(p)
		if x.matcher.Match(r.Sig, x.hayAt(p)) {
			view = append(view, i)
			c.Add(r.Sig, 1)
		} else {
			bits[p>>6] &^= 1 << (p & 63)
		}
	}
	x.view, x.bits, x.tiers = view, bits, c
}

func (x *Index) setBit(p int32, on bool) {
	if int(p>>6) >= len(x.bits) {
		x.bits = append(x.bits, make([]uint64, int(p>>6)+1-len(x.bits))...)
	}
	if on {
		x.bits[p>>6] |= 1 << (p & 63)
	} else {
		x.bits[p>>6] &^= 1 << (p & 63)
	}
}

// Sync brings the index up to the Shared's newest snapshot (see SyncTo).
func (x *Index) Sync(keep uint64) bool { return x.SyncTo(x.sh.Current(), keep) }

// SyncTo moves the index on to snapshot s of its Shared. Rows changed in
// place move alone (only the rows between a row's old and new place
// shift); a page of a load in progress is sorted and merged in; a new
// epoch (or a snapshot too far ahead) is sorted and filtered afresh. If
// keep names a changed record whose new version no longer matches the
// filter, its row is pinned: it stays in view (Matches reports false)
// until Unpin, a new query or a new sort. SyncTo reports whether anything
// changed.
func (x *Index) SyncTo(s *Snapshot, keep uint64) bool {
	if s == nil || s == x.snap || s.Version <= x.snap.Version && s.Epoch == x.snap.Epoch {
		return false
	}
	if s.Epoch != x.snap.Epoch {
		x.rebuild(s)
		return true
	}
	changed, ok := x.sh.changes(x.snap.Version, s.Version)
	if !ok {
		x.rebuild(s)
		return true
	}
	// Copy the slices another holds (the cache) before changing them in
	// place.
	if x.recent != nil {
		x.view = slices.Clone(x.view)
		x.bits = slices.Clone(x.bits)
		x.recent, x.recentSize = nil, 0
	}
	x.bits = append(x.bits, make([]uint64, max((s.Len()+63)/64-len(x.bits), 0))...)
	added := s.Len() - x.snap.Len()
	x.next, x.over = s, map[int32]bool{}
	merged := added > 64
	if merged {
		x.merge(s, x.snap.Len(), s.Len())
	} else {
		for p := x.snap.Len(); p < s.Len(); p++ {
			changed = append(changed, int32(p))
		}
	}
	for _, p := range changed {
		if merged && int(p) >= x.snap.Len() {
			continue // a new slot the merge brought in
		}
		x.applySlot(p, keep)
	}
	x.snap, x.next, x.over = s, nil, nil
	if s.Loaded {
		x.keys = nil
	}
	return true
}

// rebuild lays out every row of s afresh.
func (x *Index) rebuild(s *Snapshot) {
	x.snap, x.pinned = s, 0
	x.bits = nil // the slots are laid out afresh: filter them again
	x.order = make([]int32, 0, s.Live())
	for p := 0; p < s.Len(); p++ {
		if s.Row(p) != nil {
			x.order = append(x.order, int32(p))
		}
	}
	x.resort()
}

// merge brings in the rows of slots lo..hi-1 of x.next (new slots, a page
// of a load): sorted among themselves (or in the order the load sorted
// them in, when that is this index's), then merged with the order.
func (x *Index) merge(s *Snapshot, lo, hi int) {
	slots := make([]int32, 0, hi-lo)
	for p := lo; p < hi; p++ {
		if s.Row(p) != nil {
			slots = append(slots, int32(p))
		}
	}
	var add []sortKey
	if x.col == ColOrganisation && !x.desc && s.pageFrom == lo && len(s.page) == len(slots) && len(slots) == hi-lo {
		add = s.page // read only
	} else {
		add = x.makeKeys(slots)
		x.sortKeys(add)
	}
	keys := x.keys
	if len(keys) != len(x.order) {
		keys = x.makeKeys(x.order)
	}
	// Merged in place from the end, in room kept for the whole load: a
	// load of a million records would otherwise leave a list of keys
	// behind for every page.
	n := len(keys) + len(add)
	if cap(keys) < n {
		grown := makeLarge[sortKey](len(keys), max(n, s.Expected))
		copy(grown, keys)
		keys = grown
	}
	keys = keys[:n]
	i, j := len(x.order)-1, len(add)-1
	for k := n - 1; j >= 0; k-- {
		if i >= 0 && x.cmpKeys(keys[i], add[j]) > 0 {
			keys[k] = keys[i]
			i--
		} else {
			keys[k] = add[j]
			j--
		}
	}
	order := x.order
	if cap(order) < n {
		order = makeLarge[int32](n, max(n, s.Expected))
	}
	order = order[:n]
	for k := range keys {
		order[k] = keys[k].slot
	}
	x.order, x.keys = order, keys
	// Filter the new rows, then list what is in view in the new order.
	m := x.matcher
	for _, p := range slots {
		r := x.row(p)
		if m == nil || m.Match(r.Sig, x.hayAt(p)) {
			x.setBit(p, true)
			x.tiers.Add(r.Sig, 1)
		}
	}
	pinned := int32(-1)
	if x.pinned != 0 {
		pinned = int32(x.snap.Slot(x.pinned))
	}
	view := make([]int32, 0, len(x.view)+len(slots))
	for k, p := range x.order {
		if x.bits[p>>6]&(1<<(p&63)) != 0 || p == pinned {
			view = append(view, int32(k))
		}
	}
	x.view = view
}

// applySlot moves the row of slot p from its version in snap to its
// version in next.
func (x *Index) applySlot(p int32, keep uint64) {
	if x.over[p] {
		return // already brought in (a slot changed twice)
	}
	var old *Row
	if int(p) < x.snap.Len() {
		old = x.snap.Row(int(p))
	}
	x.over[p] = true
	r := x.next.Row(int(p))
	switch {
	case old == nil && r == nil:
		return
	case old == nil:
		match := x.matchSlot(p)
		x.setBit(p, match)
		x.insert(x.position(r), p, match)
		return
	}
	// Find the old row's place while the order still holds it.
	x.over[p] = false
	pos := x.position(old)
	x.over[p] = true
	if r == nil {
		if x.pinned == old.ID() {
			x.pinned = 0
		}
		x.setBit(p, false)
		x.remove(pos, old)
		return
	}
	i := x.findPos(pos)
	wasInView := i >= 0
	if wasInView {
		x.tiers.Add(old.Sig, -1)
	}
	match := x.matchSlot(p)
	x.setBit(p, match)
	if !match && keep == r.ID() && wasInView {
		x.pinned = r.ID()
	}
	x.move(pos, p, r, match || x.pinned == r.ID())
}

// Apply puts one re-read record in place (s nil: the record is gone) in
// the Shared and brings the index up to date (see SyncTo). A version no
// newer than the row's is ignored. Apply reports whether anything changed.
func (x *Index) Apply(id uint64, s *model.Signatory, keep uint64) bool {
	if !x.sh.Put(id, s) {
		return false
	}
	return x.Sync(keep)
}

// ApplyRow is Apply with the row already built (nil: the record is gone).
func (x *Index) ApplyRow(id uint64, r *Row, keep uint64) bool {
	if !x.sh.PutRow(id, r) {
		return false
	}
	return x.Sync(keep)
}

// remove takes the row at position i out.
func (x *Index) remove(i int, r *Row) {
	x.order = slices.Delete(x.order, i, i+1)
	if x.keys != nil {
		x.keys = slices.Delete(x.keys, i, i+1)
	}
	j := x.lowerBound(i)
	if j < len(x.view) && x.view[j] == int32(i) {
		x.tiers.Add(r.Sig, -1)
		x.view = slices.Delete(x.view, j, j+1)
	}
	for k := j; k < len(x.view); k++ {
		x.view[k]--
	}
}

// insert puts slot p at position i, in view if inView.
func (x *Index) insert(i int, p int32, inView bool) {
	x.order = slices.Insert(x.order, i, p)
	if x.keys != nil {
		x.keys = slices.Insert(x.keys, i, x.keyOf(p))
	}
	j := x.lowerBound(i)
	for k := j; k < len(x.view); k++ {
		x.view[k]++
	}
	if inView {
		x.view = slices.Insert(x.view, j, int32(i))
		x.tiers.Add(x.row(p).Sig, 1)
	}
}

// move puts the row r of slot p, now at position i under its old
// version, where it sorts: only the rows between the two places shift by
// one.
func (x *Index) move(i int, p int32, r *Row, inView bool) {
	n := len(x.order)
	q := i
	switch {
	case i > 0 && x.less(r, x.row(x.order[i-1])):
		q = sort.Search(i, func(k int) bool { return !x.less(x.row(x.order[k]), r) })
		copy(x.order[q+1:i+1], x.order[q:i])
		if x.keys != nil {
			copy(x.keys[q+1:i+1], x.keys[q:i])
		}
	case i+1 < n && x.less(x.row(x.order[i+1]), r):
		q = i + 1 + sort.Search(n-i-1, func(k int) bool { return !x.less(x.row(x.order[i+1+k]), r) }) - 1
		copy(x.order[i:q], x.order[i+1:q+1])
		if x.keys != nil {
			copy(x.keys[i:q], x.keys[i+1:q+1])
		}
	}
	x.order[q] = p
	if x.keys != nil {
		x.keys[q] = x.keyOf(p)
	}
	// Take i out of view, shift the positions between i and q, put q in.
	if j := x.findPos(i); j >= 0 {
		x.view = slices.Delete(x.view, j, j+1)
	}
	lo, hi, d := q, i, int32(1) // moved up: rows q..i-1 go down one place
	if q > i {
		lo, hi, d = i+1, q+1, -1
	}
	for k := x.lowerBound(lo); k < len(x.view) && x.view[k] < int32(hi); k++ {
		x.view[k] += d
	}
	if inView {
		j := x.lowerBound(q)
		x.view = slices.Insert(x.view, j, int32(q))
		x.tiers.Add(r.Sig, 1)
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
	r := x.Get(id)
	if r == nil || x.Matches(r) {
		return
	}
	if i := x.findPos(x.position(r)); i >= 0 {
		view := make([]int32, 0, len(x.view)-1)
		view = append(view, x.view[:i]...)
		x.view = append(view, x.view[i+1:]...)
		x.tiers.Add(r.Sig, -1)
	}
	x.recent, x.recentSize = nil, 0
}

func (x *Index) findPos(p int) int {
	i := x.lowerBound(p)
	if i < len(x.view) && x.view[i] == int32(p) {
		return i
	}
	return -1
}
