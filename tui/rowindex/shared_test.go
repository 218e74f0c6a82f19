package rowindex

import (
	"fmt"
	"math/rand"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"charter/model"
)

// memStore is a signatory service in memory that counts its reads; gate,
// if set, holds each page until a value is sent on it.
type memStore struct {
	model.SignatoryService
	mu     sync.Mutex
	recs   map[uint64]model.Signatory
	reads  atomic.Int64
	pages  atomic.Int64
	gate   chan struct{}
	failAt int // the page (from 1) that fails; 0: none
}

func newMemStore(list []model.Signatory) *memStore {
	m := &memStore{recs: map[uint64]model.Signatory{}}
	for _, s := range list {
		m.recs[s.ID] = s
	}
	return m
}

func (m *memStore) Signatory(id uint64) (model.Signatory, error) {
	m.reads.Add(1)
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.recs[id]
	if !ok {
		return s, fmt.Errorf("signatory %d: %w", id, model.ErrNotFound)
	}
	return s, nil
}

func (m *memStore) SignatoryPage(after uint64, limit int) ([]model.Signatory, error) {
	n := m.pages.Add(1)
	if m.gate != nil {
		<-m.gate
	}
	if int(n) == m.failAt {
		return nil, fmt.Errorf("disk on fire")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var ids []uint64
	for id := range m.recs {
		if id > after {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	var out []model.Signatory
	for _, id := range ids[:min(limit, len(ids))] {
		out = append(out, m.recs[id])
	}
	return out, nil
}

func (m *memStore) TierCounts() (model.TierCounts, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var c model.TierCounts
	for _, s := range m.recs {
		c.Add(&s, 1)
	}
	return c, nil
}

func (m *memStore) set(s model.Signatory) {
	m.mu.Lock()
	m.recs[s.ID] = s
	m.mu.Unlock()
}

// waitLoaded syncs x until its snapshot is the whole load.
func waitLoaded(t *testing.T, x *Index) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !x.Snapshot().Loaded {
		x.SyncTo(x.Shared().Next(x.Snapshot()), 0)
		if time.Now().After(deadline) {
			t.Fatal("the load never ended")
		}
	}
}

// A query set before the first page arrives applies to every page as it
// comes, and the order after each page is the order of a fresh sort of
// what has arrived: in the order the load sorts each page in (organisation
// from A) and in another.
func TestQueryTypedWhileLoadingAppliesToEveryPage(t *testing.T) {
	for _, sort := range []struct {
		col  Column
		desc bool
	}{{ColOrganisation, false}, {ColArea, true}} {
		t.Run(sort.col.Title(), func(t *testing.T) { queryWhileLoading(t, sort.col, sort.desc) })
	}
}

func queryWhileLoading(t *testing.T, col Column, desc bool) {
	list := generate(30_000)
	for i := range list {
		if i%13 == 0 {
			list[i].ReviewStatus = model.StatusWithdrawn
		}
	}
	svc := newMemStore(list)
	svc.gate = make(chan struct{})
	sh := NewShared(svc)
	x := NewIndex(sh)
	if err := x.SetQuery("area:dud printing 01"); err != nil {
		t.Fatal(err)
	}
	x.SetSort(col, desc)
	sh.Start()
	arrived := map[uint64]model.Signatory{}
	pages := 0
	for !x.Snapshot().Loaded {
		svc.gate <- struct{}{} // one page, then wait for it to show
		for before := x.Total(); x.Total() == before && !x.Snapshot().Loaded; {
			x.SyncTo(sh.Next(x.Snapshot()), 0)
		}
		for len(arrived) < x.Total() {
			arrived[list[len(arrived)].ID] = list[len(arrived)]
		}
		pages++
		check(t, x, arrived, fmt.Sprintf("page %d", pages))
	}
	if pages < 4 || x.Total() != len(list) {
		t.Fatalf("%d pages, %d rows", pages, x.Total())
	}
	// The sort and the query still change afterwards.
	x.SetSort(ColSignedOn, false)
	x.SetQuery("printing 02")
	check(t, x, arrived, "after")
}

// Many indexes share one set of rows: a change is read from the store
// once, however many tables hear of it, and each table moves on to it
// with its own sort, filter and pin.
func TestOneCopyManyViews(t *testing.T) {
	list := generate(5_000)
	recs := map[uint64]model.Signatory{}
	for _, s := range list {
		recs[s.ID] = s
	}
	svc := newMemStore(list)
	sh := NewShared(svc)
	sh.Start()
	queries := []string{"", "printing 01", "tier:gold", "area:dud -status:verified"}
	var xs []*Index
	for i, q := range queries {
		x := NewIndex(sh)
		x.SetSort(Column(i*2), i%2 == 1)
		if err := x.SetQuery(q); err != nil {
			t.Fatal(err)
		}
		waitLoaded(t, x)
		check(t, x, recs, "loaded "+q)
		xs = append(xs, x)
	}
	rnd := rand.New(rand.NewSource(2))
	for seq := uint64(1); seq <= 200; seq++ {
		s := recs[uint64(rnd.Intn(5_000)+1)]
		s.Version++
		s.Commitments = model.CommitmentSet(rnd.Intn(256))
		s.Organisation = fmt.Sprintf("Changed %d Printing", rnd.Intn(100))
		recs[s.ID] = s
		svc.set(s)
		before := svc.reads.Load()
		for _, x := range xs { // every session hears of the change
			sh.Changed(seq, s.ID)
			x.Sync(0)
		}
		if got := svc.reads.Load() - before; got != 1 {
			t.Fatalf("change %d read %d times, want once", seq, got)
		}
		if seq%20 == 0 {
			for _, x := range xs {
				check(t, x, recs, fmt.Sprintf("change %d", seq))
			}
		}
	}
	// One index far behind catches up in one step.
	late := NewIndex(sh)
	late.Sync(0)
	check(t, late, recs, "late")
	// Every index reads the same row values: nothing was copied.
	for _, x := range xs {
		if x.Get(7) != xs[0].Get(7) {
			t.Fatal("two views hold different rows for one record")
		}
	}
}

// A change heard during the load is read again when it ends, so the load
// cannot bring back the old version; a failed page ends the load with its
// error.
func TestChangeDuringLoadAndFailedPage(t *testing.T) {
	list := generate(10_000)
	svc := newMemStore(list)
	svc.gate = make(chan struct{})
	sh := NewShared(svc)
	x := NewIndex(sh)
	sh.Start()
	svc.gate <- struct{}{} // first page
	x.SyncTo(sh.Next(x.Snapshot()), 0)
	s := list[9_000]
	s.Version, s.Organisation = 2, "Late Change Ltd"
	svc.set(s)
	sh.Changed(1, s.ID)
	done := make(chan struct{})
	defer close(done)
	go func() {
		for {
			select {
			case svc.gate <- struct{}{}:
			case <-done:
				return
			}
		}
	}()
	waitLoaded(t, x)
	// The re-read follows the load's last page.
	for end := time.Now().Add(5 * time.Second); x.Get(s.ID).Sig.Version != 2 && time.Now().Before(end); {
		time.Sleep(time.Millisecond)
		x.Sync(0)
	}
	if r := x.Get(s.ID); r == nil || r.Sig.Organisation != "Late Change Ltd" {
		t.Fatalf("the change made during the load was lost: %+v", r)
	}
	bad := newMemStore(list)
	bad.failAt = 3
	sh2 := NewShared(bad)
	y := NewIndex(sh2)
	sh2.Start()
	waitLoaded(t, y)
	if y.Snapshot().Err == nil || y.Total() != 200+4_096 {
		t.Fatalf("err %v, %d rows (want the two pages before the failure)", y.Snapshot().Err, y.Total())
	}
}

// Deleting and adding records, through the shared rows, keeps every view
// right; a record added among existing IDs lays the slots out again.
func TestDeleteAndInsertThroughShared(t *testing.T) {
	list := generate(300)
	recs := map[uint64]model.Signatory{}
	for _, s := range list {
		if s.ID%10 == 5 {
			continue // gaps to insert into
		}
		recs[s.ID] = s
	}
	sh := NewShared(nil)
	var all []model.Signatory
	for _, s := range recs {
		all = append(all, s)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	sh.Set(all)
	a, b := NewIndex(sh), NewIndex(sh)
	b.SetSort(ColSignedOn, true)
	b.SetQuery("tier:gold,silver")
	a.Sync(0)
	b.Sync(0)
	for i, id := range []uint64{3, 15, 400, 401, 25} {
		if i%2 == 0 {
			delete(recs, id)
			sh.Put(id, nil)
		} else {
			s := mkSig(id, fmt.Sprint("Inserted ", id), "Walsall", 7, model.StatusPending, true)
			recs[id] = s
			sh.Put(id, &s)
		}
		a.Sync(0)
		b.Sync(0)
		check(t, a, recs, fmt.Sprint("a ", id))
		check(t, b, recs, fmt.Sprint("b ", id))
	}
}

// TestWaitGivesUpWhenDone: Wait returns the next snapshot when one is
// published, and nil when done is closed first.
func TestWaitGivesUpWhenDone(t *testing.T) {
	sh := NewShared(nil)
	first := sh.Current()
	done := make(chan struct{})
	got := make(chan *Snapshot)
	go func() { got <- sh.Wait(first, done) }()
	sh.Set([]model.Signatory{{ID: 1, Organisation: "A", Version: 1}})
	if s := <-got; s == nil || s.Live() != 1 {
		t.Fatalf("after a publish Wait gave %v", s)
	}
	go func() { got <- sh.Wait(sh.Current(), done) }()
	close(done)
	if s := <-got; s != nil {
		t.Fatalf("after done Wait gave %v", s)
	}
}

// TestFirstFrameHoldsTheLoadUntilShown: with FirstFrame set, the first
// load reads its first page and then waits until a table shows it (and a
// frame more); without Shown it goes on once the wait is over.
func TestFirstFrameHoldsTheLoadUntilShown(t *testing.T) {
	svc := newMemStore(generate(5_000))
	sh := NewShared(svc)
	sh.FirstFrame(time.Millisecond, time.Minute)
	sh.Start()
	s := sh.Current()
	for s.Live() == 0 {
		s = sh.Next(s)
	}
	time.Sleep(30 * time.Millisecond)
	if n := svc.pages.Load(); n != 1 || sh.Current().Live() != 200 {
		t.Fatalf("before the first page was shown: %d pages read, %d rows", n, sh.Current().Live())
	}
	sh.Shown()
	sh.Shown() // a second table, or the same one again: no harm
	for !s.Loaded {
		s = sh.Next(s)
	}
	if s.Live() != 5_000 {
		t.Fatalf("%d rows after the load", s.Live())
	}

	sh = NewShared(newMemStore(generate(500)))
	sh.FirstFrame(time.Millisecond, 20*time.Millisecond)
	sh.Start()
	for s = sh.Current(); !s.Loaded; s = sh.Next(s) {
	}
	if s.Live() != 500 {
		t.Fatalf("never shown: %d rows after the load", s.Live())
	}
}

// TestWaitUntil: it returns the snapshot that satisfies the condition as
// soon as it is published, and the newest one when the time runs out.
func TestWaitUntil(t *testing.T) {
	sh := NewShared(nil)
	go sh.Set([]model.Signatory{{ID: 1, Organisation: "A", Version: 1}})
	if s := sh.WaitUntil(func(s *Snapshot) bool { return s.Live() == 1 }, time.Minute); s.Live() != 1 {
		t.Fatalf("%d rows", s.Live())
	}
	if s := sh.WaitUntil(func(s *Snapshot) bool { return s.Live() == 2 }, 10*time.Millisecond); s.Live() != 1 {
		t.Fatalf("after the wait: %d rows", s.Live())
	}
}
