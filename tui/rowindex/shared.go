package rowindex

import (
	"errors"
	"sort"
	"sync"
	"time"

	"charter/model"
)

// Shared holds the rows of every record once, for any number of tables:
// one lone workbench, or every session of a server. What it publishes is
// a Snapshot, which never changes; a change makes a new snapshot that
// shares everything but the chunk it touched (copy on write), so a
// session still reading the old one is never disturbed and a change is
// read from the store once per Shared, not once per session.
//
// Each Index keeps only its own view of a snapshot (sort order, filter
// result, cursor-related state) and moves on to a newer one with Sync.
type Shared struct {
	svc model.SignatoryService

	mu      sync.Mutex
	cur     *Snapshot
	wake    chan struct{} // closed and replaced on every publish
	started bool
	loading bool
	// log lists the slots changed in place, by the version that changed
	// them, so an Index can follow several versions at once.
	log []logEntry
	// logFrom: every in-place change of a version above it is in log.
	logFrom uint64
	// done holds the event numbers already re-read, so the sessions that
	// all hear of one change cause one read.
	done    map[uint64]struct{}
	maxDone uint64
	// pending are records changed while a load was under way: re-read
	// when it ends, as the load may have read them before the change.
	pending map[uint64]struct{}
	// reloaded is when the newest full load began.
	reloaded time.Time

	// frame and frameWait: see FirstFrame. shown is closed by Shown.
	frame, frameWait time.Duration
	shown            chan struct{}
	shownOnce        sync.Once
}

type logEntry struct {
	version uint64
	slot    int32
}

// logSize is how many in-place changes the log keeps; an Index further
// behind builds its view afresh.
const logSize = 4096

// chunkBits sizes the chunks that snapshots share: a change copies one
// chunk of 1,024 rows, not the whole list.
const (
	chunkBits = 10
	chunkSize = 1 << chunkBits
)

type chunk struct {
	rows [chunkSize]*Row
	hay  [chunkSize]string
	ids  [chunkSize]uint64
}

// Snapshot is one version of every row, by slot: slots are in ID order
// and a deleted record leaves an empty slot. Nothing in a snapshot
// changes once published.
type Snapshot struct {
	// Version counts the changes of the Shared it came from.
	Version uint64
	// Epoch changes when the slots are laid out afresh (a full reload):
	// an Index then builds its view again.
	Epoch uint64
	// Loaded is set once every record is in.
	Loaded bool
	// Expected is how many records the load will bring (for progress).
	Expected int
	// Err is the load's error, if it failed.
	Err error

	n      int // slots
	live   int // slots holding a row
	chunks []*chunk

	// page holds, for a snapshot a load published, the keys of the rows
	// it added (from slot pageFrom) in the order every table starts in
	// (see pageKeys). Nothing changes them.
	page     []sortKey
	pageFrom int
}

// Len is the number of slots (rows and empty slots of deleted records).
func (s *Snapshot) Len() int { return s.n }

// Live is the number of records.
func (s *Snapshot) Live() int { return s.live }

// Row is the row in slot p (nil: deleted).
func (s *Snapshot) Row(p int) *Row { return s.chunks[p>>chunkBits].rows[p&(chunkSize-1)] }

func (s *Snapshot) hay(p int) string { return s.chunks[p>>chunkBits].hay[p&(chunkSize-1)] }

func (s *Snapshot) id(p int) uint64 { return s.chunks[p>>chunkBits].ids[p&(chunkSize-1)] }

// Slot is the slot of a record, or -1.
func (s *Snapshot) Slot(id uint64) int {
	p := sort.Search(s.n, func(i int) bool { return s.id(i) >= id })
	if p < s.n && s.id(p) == id && s.Row(p) != nil {
		return p
	}
	return -1
}

// Get is the row of a record (nil: none).
func (s *Snapshot) Get(id uint64) *Row {
	if p := s.Slot(id); p >= 0 {
		return s.Row(p)
	}
	return nil
}

// NewShared makes an empty Shared that reads from svc (nil: rows come only
// from Set and Put).
func NewShared(svc model.SignatoryService) *Shared {
	return &Shared{svc: svc, cur: &Snapshot{}, wake: make(chan struct{}), done: map[uint64]struct{}{},
		shown: make(chan struct{})}
}

// Current is the newest snapshot.
func (sh *Shared) Current() *Snapshot {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.cur
}

// Next waits for a snapshot other than after and returns it (at once if
// there is one already).
func (sh *Shared) Next(after *Snapshot) *Snapshot {
	sh.mu.Lock()
	for sh.cur == after {
		w := sh.wake
		sh.mu.Unlock()
		<-w
		sh.mu.Lock()
	}
	defer sh.mu.Unlock()
	return sh.cur
}

// Wait is Next that gives up when done is closed (nil then).
func (sh *Shared) Wait(after *Snapshot, done <-chan struct{}) *Snapshot {
	sh.mu.Lock()
	for sh.cur == after {
		w := sh.wake
		sh.mu.Unlock()
		select {
		case <-w:
		case <-done:
			return nil
		}
		sh.mu.Lock()
	}
	defer sh.mu.Unlock()
	return sh.cur
}

// WaitUntil is the newest snapshot once it satisfies ok, or after at most
// d, whichever comes first.
func (sh *Shared) WaitUntil(ok func(*Snapshot) bool, d time.Duration) *Snapshot {
	s := sh.Current()
	if ok(s) {
		return s
	}
	done := make(chan struct{})
	timer := time.AfterFunc(d, func() { close(done) })
	defer timer.Stop()
	for !ok(s) {
		next := sh.Wait(s, done)
		if next == nil {
			return sh.Current()
		}
		s = next
	}
	return s
}

// publish makes s the current snapshot and wakes every waiter. The lock
// is held.
func (sh *Shared) publish(s *Snapshot) {
	sh.cur = s
	close(sh.wake)
	sh.wake = make(chan struct{})
}

// FirstFrame has the first load wait, once its first page is in, until a
// table shows that page (Shown) and a frame has had time to be drawn, or
// at most wait in all. Drawing the first screen and reading the next
// pages both want a processor; on a small machine the screen comes first.
// Call it before Start.
func (sh *Shared) FirstFrame(frame, wait time.Duration) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.frame, sh.frameWait = frame, wait
}

// FirstShown is closed once a table has the first page in view.
func (sh *Shared) FirstShown() <-chan struct{} { return sh.shown }

// Shown says a table has the first page in view.
func (sh *Shared) Shown() { sh.shownOnce.Do(func() { close(sh.shown) }) }

// waitFirstFrame is the load's pause after its first page (see
// FirstFrame).
func (sh *Shared) waitFirstFrame() {
	sh.mu.Lock()
	frame, wait := sh.frame, sh.frameWait
	sh.mu.Unlock()
	if wait <= 0 {
		return
	}
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	select {
	case <-sh.shown:
	case <-deadline.C:
		return
	}
	select {
	case <-time.After(frame):
	case <-deadline.C:
	}
}

// Start begins the first load from the service, once; later calls do
// nothing. The load runs on its own goroutine and publishes a snapshot per
// page read.
func (sh *Shared) Start() {
	sh.mu.Lock()
	if sh.started || sh.svc == nil {
		sh.mu.Unlock()
		return
	}
	sh.started = true
	sh.mu.Unlock()
	go sh.load()
}

// Reload reads every record again (after an import, or missed events),
// unless a full load has begun since asked.
func (sh *Shared) Reload(asked time.Time) {
	sh.mu.Lock()
	if sh.svc == nil || sh.loading || sh.reloaded.After(asked) {
		sh.mu.Unlock()
		return
	}
	sh.started = true
	sh.mu.Unlock()
	go sh.load()
}

// pageSizes are the sizes of the pages a load reads, in turn: a small
// first page shows at once; later pages grow, so an Index merges each into
// its order a few times only; the last size repeats.
var pageSizes = []int{200, 4_096, 16_384, 65_536, 262_144}

func (sh *Shared) load() {
	sh.mu.Lock()
	if sh.loading {
		sh.mu.Unlock()
		return
	}
	sh.loading = true
	sh.reloaded = time.Now()
	sh.pending = map[uint64]struct{}{}
	// The first load shows its pages as they come; a reload keeps the
	// rows in view until the new ones are all in.
	stream := sh.cur.Epoch == 0
	snap := &Snapshot{Version: sh.cur.Version, Epoch: sh.cur.Epoch + 1}
	if stream {
		snap.Version++
		sh.resetLog(snap.Version)
		sh.publish(snap)
	}
	sh.mu.Unlock()

	expected := 0
	if c, err := sh.svc.TierCounts(); err == nil {
		expected = c.Total + c.Withdrawn
	}
	// Pages are read on a goroutine of their own, one ahead of the rows
	// made from them: reading a page waits on the database's pages and
	// making rows sorts, and the two fill each other's gaps.
	type read struct {
		recs []model.Signatory
		err  error
		size int
	}
	reads := make(chan read, 1)
	go func() {
		defer close(reads)
		var after uint64
		for page := 0; ; page++ {
			if page == 1 && stream {
				sh.waitFirstFrame()
			}
			size := pageSizes[min(page, len(pageSizes)-1)]
			recs, err := sh.svc.SignatoryPage(after, size)
			reads <- read{recs, err, size}
			if err != nil || len(recs) < size {
				return
			}
			after = recs[len(recs)-1].ID
		}
	}()
	for r := range reads {
		recs, err, size := r.recs, r.err, r.size
		var rows []Row
		var hays []string
		var keys []sortKey
		if err == nil {
			rows, hays = newRows(recs)
			keys = pageKeys(rows)
		}
		sh.mu.Lock()
		if stream {
			snap = sh.cur
		}
		next := snap.appended(rows, hays)
		// The page's rows take the slots from snap's end.
		for i := range keys {
			keys[i].slot += int32(snap.n)
		}
		next.page, next.pageFrom = keys, snap.n
		next.Version = max(snap.Version, sh.cur.Version) + 1
		next.Err = err
		next.Loaded = err != nil || len(recs) < size
		next.Expected = max(expected, next.live)
		if !next.Loaded {
			if stream {
				sh.publish(next)
			}
			snap = next
			sh.mu.Unlock()
			continue
		}
		sh.loading = false
		pending := sh.pending
		sh.pending = nil
		if !stream {
			sh.resetLog(next.Version)
		}
		sh.publish(next)
		sh.mu.Unlock()
		for id := range pending {
			sh.reread(id)
		}
		return
	}
}

// appended is s with rows for recs (in ID order, after every ID in s)
// added in new slots. The last chunk of s is filled in place beyond its
// length: no snapshot reads those slots, and s's readers see only theirs.
func (s *Snapshot) appended(rows []Row, hays []string) *Snapshot {
	next := &Snapshot{Epoch: s.Epoch, Expected: s.Expected, Err: s.Err, n: s.n, live: s.live, chunks: s.chunks}
	for i := range rows {
		r := &rows[i]
		p := next.n
		if p>>chunkBits == len(next.chunks) {
			next.chunks = append(next.chunks, &chunk{})
		}
		c := next.chunks[p>>chunkBits]
		c.rows[p&(chunkSize-1)] = r
		c.hay[p&(chunkSize-1)] = hays[i]
		c.ids[p&(chunkSize-1)] = r.Sig.ID
		next.n++
		next.live++
	}
	return next
}

// Set replaces every row with recs (sorted by ID here), as a new epoch.
func (sh *Shared) Set(recs []model.Signatory) {
	recs = append([]model.Signatory(nil), recs...)
	sort.Slice(recs, func(i, j int) bool { return recs[i].ID < recs[j].ID })
	sh.mu.Lock()
	defer sh.mu.Unlock()
	s := (&Snapshot{Epoch: sh.cur.Epoch + 1}).appended(newRows(recs))
	s.Version, s.Loaded, s.Expected = sh.cur.Version+1, true, s.live
	sh.resetLog(s.Version)
	sh.publish(s)
}

// resetLog empties the log at a new epoch (its slots mean nothing now).
func (sh *Shared) resetLog(v uint64) { sh.log, sh.logFrom = sh.log[:0], v }

// Changed re-reads one record after the change event seq (0: always),
// unless another table of this Shared already did for that event.
func (sh *Shared) Changed(seq, id uint64) {
	sh.mu.Lock()
	if seq != 0 {
		if _, ok := sh.done[seq]; ok || (seq+logSize < sh.maxDone) {
			sh.mu.Unlock()
			return
		}
		sh.done[seq] = struct{}{}
		sh.maxDone = max(sh.maxDone, seq)
		if len(sh.done) > 2*logSize {
			for k := range sh.done {
				if k+logSize < sh.maxDone {
					delete(sh.done, k)
				}
			}
		}
	}
	if sh.loading {
		sh.pending[id] = struct{}{}
		sh.mu.Unlock()
		return
	}
	sh.mu.Unlock()
	sh.reread(id)
}

func (sh *Shared) reread(id uint64) {
	if sh.svc == nil {
		return
	}
	// The read and the put happen under one lock, so two re-reads of one
	// record cannot land in the wrong order.
	sh.mu.Lock()
	defer sh.mu.Unlock()
	rec, err := sh.svc.Signatory(id)
	switch {
	case errors.Is(err, model.ErrNotFound):
		sh.putLocked(id, nil)
	case err == nil:
		sh.putLocked(id, NewRow(rec))
	}
}

// Put puts one record as stored (nil: deleted) in place, unless the
// rows already hold that version or a newer one; it reports whether
// anything changed.
func (sh *Shared) Put(id uint64, rec *model.Signatory) bool {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.loading {
		// The load may not have reached it: read it again at the end.
		sh.pending[id] = struct{}{}
		return false
	}
	if rec == nil {
		return sh.putLocked(id, nil)
	}
	if old := sh.cur.Get(id); old != nil && rec.Version <= old.Sig.Version {
		return false
	}
	return sh.putLocked(id, NewRow(*rec))
}

// PutRow is Put with the row already built.
func (sh *Shared) PutRow(id uint64, r *Row) bool {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.putLocked(id, r)
}

func (sh *Shared) putLocked(id uint64, r *Row) bool {
	cur := sh.cur
	p := sort.Search(cur.n, func(i int) bool { return cur.id(i) >= id })
	exists := p < cur.n && cur.id(p) == id
	old := (*Row)(nil)
	if exists {
		old = cur.Row(p)
	}
	switch {
	case old == nil && r == nil:
		return false
	case old != nil && r != nil && r.Sig.Version <= old.Sig.Version:
		return false
	}
	next := &Snapshot{Version: cur.Version + 1, Epoch: cur.Epoch, Loaded: cur.Loaded, Expected: cur.Expected,
		Err: cur.Err, n: cur.n, live: cur.live}
	if !exists && p < cur.n {
		// A new record among the existing IDs: the slots are laid out
		// again (rare: new records take the next ID).
		rows := make([]model.Signatory, 0, cur.live+1)
		for i := 0; i < cur.n; i++ {
			if i == p {
				rows = append(rows, *r.Sig)
			}
			if x := cur.Row(i); x != nil {
				rows = append(rows, *x.Sig)
			}
		}
		s := (&Snapshot{Epoch: cur.Epoch + 1}).appended(newRows(rows))
		s.Version, s.Loaded, s.Expected, s.Err = cur.Version+1, cur.Loaded, cur.Expected, cur.Err
		sh.resetLog(s.Version)
		sh.publish(s)
		return true
	}
	next.chunks = append([]*chunk(nil), cur.chunks...)
	if !exists {
		p = cur.n
		if p>>chunkBits == len(next.chunks) {
			next.chunks = append(next.chunks, &chunk{})
		} else {
			c := *next.chunks[p>>chunkBits]
			next.chunks[p>>chunkBits] = &c
		}
		next.n++
	} else {
		c := *next.chunks[p>>chunkBits]
		next.chunks[p>>chunkBits] = &c
	}
	c := next.chunks[p>>chunkBits]
	i := p & (chunkSize - 1)
	c.ids[i] = id
	c.rows[i] = r
	if r != nil {
		c.hay[i] = r.hay
	} else {
		c.hay[i] = ""
	}
	switch {
	case old == nil:
		next.live++
	case r == nil:
		next.live--
	}
	if len(sh.log) >= logSize {
		sh.logFrom = sh.log[len(sh.log)/2-1].version
		sh.log = append(sh.log[:0], sh.log[len(sh.log)/2:]...)
	}
	sh.log = append(sh.log, logEntry{version: next.Version, slot: int32(p)})
	sh.publish(next)
	return true
}

// changes lists the slots changed in place after version from up to and
// including version to, if the log still holds them all.
func (sh *Shared) changes(from, to uint64) ([]int32, bool) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if from < sh.logFrom {
		return nil, false
	}
	i := sort.Search(len(sh.log), func(i int) bool { return sh.log[i].version > from })
	var out []int32
	for ; i < len(sh.log) && sh.log[i].version <= to; i++ {
		out = append(out, sh.log[i].slot)
	}
	return out, true
}
