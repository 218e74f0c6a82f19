package tui

import (
	tea "charm.land/bubbletea/v2"
	"math"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"

	"charter/model"
	"charter/tui/rowindex"
)

// gcPercent reads GOGC without changing it (setting it to read it would
// race with the policy's own changes).
func gcPercent() int {
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	metrics.Read(s)
	if v := s[0].Value.Uint64(); v <= math.MaxInt32 {
		return int(v)
	}
	return -1 // off
}

// TestMemoryPolicyFollowsTheLoad: while the first load runs the collector
// is off under the load's limit; once every record is in, GOGC is back
// and the limit is the rows' live size and a margin; stop puts the
// runtime's settings back as they were.
func TestMemoryPolicyFollowsTheLoad(t *testing.T) {
	before, beforeLimit := gcPercent(), debug.SetMemoryLimit(-1)
	sh := rowindex.NewShared(nil)
	p := manageMemory(sh, 50_000)
	if p := gcPercent(); p != -1 {
		t.Errorf("during the load GOGC is %d, want off", p)
	}
	if l := debug.SetMemoryLimit(-1); l != loadLimit(50_000) || l < 50_000*700 {
		t.Errorf("during the load the limit is %d, want %d", l, loadLimit(50_000))
	}
	recs := make([]model.Signatory, 2000)
	for i := range recs {
		recs[i] = model.Signatory{ID: uint64(i + 1), Organisation: "Org", Version: 1}
	}
	sh.Set(recs) // every record in: a loaded snapshot of a new epoch
	deadline := time.Now().Add(5 * time.Second)
	for gcPercent() == -1 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if p := gcPercent(); p != before {
		t.Fatalf("after the load GOGC is %d, want %d", p, before)
	}
	for debug.SetMemoryLimit(-1) == loadLimit(50_000) && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	l := debug.SetMemoryLimit(-1)
	if l == loadLimit(50_000) || l < 16<<20 || l == math.MaxInt64 {
		t.Errorf("after the load the limit is %d, want the live heap and a margin", l)
	}
	p.stop()
	if p, l := gcPercent(), debug.SetMemoryLimit(-1); p != before || l != beforeLimit {
		t.Errorf("after stop GOGC %d, limit %d; want %d, %d", p, l, before, beforeLimit)
	}
}

func TestRestLimitLeavesRoomForASession(t *testing.T) {
	for _, tt := range []struct {
		live uint64
		want int64
	}{
		{10 << 20, 26 << 20},   // small: 16 MB of room
		{200 << 20, 225 << 20}, // large: an eighth more
	} {
		if got := restLimit(tt.live); got != tt.want {
			t.Errorf("restLimit(%d MB) = %d MB, want %d MB", tt.live>>20, got>>20, tt.want>>20)
		}
	}
}

var sink []byte

// TestIdleTrimGivesBackGarbage: once the rows are in, a pause collects
// what the last burst of work left; before that it does nothing.
func TestIdleTrimGivesBackGarbage(t *testing.T) {
	p := &memoryPolicy{}
	heap := func() uint64 {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		metrics.Read(s)
		return s[0].Value.Uint64()
	}
	defer debug.SetGCPercent(debug.SetGCPercent(-1)) // no collection but ours
	for i := 0; i < 64; i++ {
		sink = make([]byte, 1<<20)
	}
	sink = nil
	before := heap()
	p.trim()
	if p.live.Load() != 0 || heap() < before {
		t.Fatal("trimmed before the rows were in")
	}
	p.loaded.Store(true)
	p.trim()
	if after := heap(); after > before-48<<20 || p.live.Load() == 0 {
		t.Errorf("heap %d MB before, %d MB after the trim (live %d MB)", before>>20, after>>20, p.live.Load()>>20)
	}
	live := p.live.Load()
	p.trim() // nothing new to give back: no collection
	if p.live.Load() != live {
		t.Error("collected again with nothing to give back")
	}
}

// TestOtherScreensLoadAfterTheRows: the audit tabs' loads wait for every
// signatory row, and go ahead without them when the rows never come.
func TestOtherScreensLoadAfterTheRows(t *testing.T) {
	defer func(was time.Duration) { rowsWait = was }(rowsWait)
	rowsWait = time.Minute
	sh := rowindex.NewShared(nil)
	a := &App{opts: &Options{SignatoryRows: sh}}
	seen := make(chan bool, 1)
	cmd := a.afterRows(func() tea.Msg { seen <- sh.Current().Loaded; return nil })
	go cmd()
	sh.Set([]model.Signatory{{ID: 1, Organisation: "A", Version: 1}, {ID: 2, Organisation: "B", Version: 1}})
	if loaded := <-seen; !loaded {
		t.Fatal("the later load ran before the rows were all in")
	}

	rowsWait = 10 * time.Millisecond
	a = &App{opts: &Options{SignatoryRows: rowindex.NewShared(nil)}}
	ran := false
	a.afterRows(func() tea.Msg { ran = true; return nil })()
	if !ran {
		t.Fatal("without rows the later load never ran")
	}
}

// TestWarmHeapLeavesMemoryForTheLoad: what rowindex.WarmHeap takes in stays in the
// heap, free for what comes next, rather than going back to the system.
func TestWarmHeapLeavesMemoryForTheLoad(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	free := func() uint64 {
		s := []metrics.Sample{{Name: "/memory/classes/heap/free:bytes"}}
		metrics.Read(s)
		return s[0].Value.Uint64()
	}
	before := free()
	rowindex.WarmHeap(64 << 20)
	if after := free(); after < before+48<<20 {
		t.Errorf("free in the heap: %d MB before, %d MB after warming 64 MB", before>>20, after>>20)
	}
	if warmSize(1_000) != 0 || warmSize(100_000) != 70_000_000 || warmSize(10_000_000) != 1<<30 {
		t.Errorf("warm sizes %d, %d, %d", warmSize(1_000), warmSize(100_000), warmSize(10_000_000))
	}
}
