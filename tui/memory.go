package tui

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"

	"charter/tui/rowindex"
)

// The workbench on a terminal of its own is the only thing in its process,
// so it sets how the process spends memory (the SSH server, which holds
// one copy of the rows for every session, keeps the runtime's defaults):
//
//   - While the first load brings every record in, the collector stays
//     off unless the heap nears loadLimit. Nearly all that a load makes is
//     kept (the records and their search text), so collecting while the
//     heap grows from nothing would only mark the same records again and
//     again, on the processor the load needs.
//   - Once every record is in, the garbage is collected and given back at
//     once, and from then on the collector keeps the process within
//     restLimit of what the rows take: a sort or a filter makes a few
//     megabytes of garbage, and without a limit the heap would grow to
//     twice the rows before the collector ran.
//   - When no message has come for idleTrim, what the last burst of work
//     left is collected and given back.
//
// Both limits are soft: the runtime never fails an allocation over them;
// it collects more often instead.

// loadLimit bounds the heap during the first load of n records: well above
// what they take (about 700 bytes each with their search text), so the
// collector runs only if something goes unexpectedly wrong.
func loadLimit(n int) int64 { return 96<<20 + int64(n)*1536 }

// restLimit is the memory limit once live bytes are in use after a full
// collection: an eighth more, and at least 16 MB, for the work of a
// session (a sort of 100,000 rows makes about 4 MB of garbage).
func restLimit(live uint64) int64 { return int64(live + max(live/8, 16<<20)) }

// idleTrim is how long the workbench waits without a message before it
// gives back the garbage of what was done: at rest it holds the rows and
// little else.
const idleTrim = 500 * time.Millisecond

// trimFrom is the garbage worth a collection when the workbench is idle.
const trimFrom = 4 << 20

// memoryPolicy applies that policy to the rows sh loads.
type memoryPolicy struct {
	gcPercent int
	limit     int64
	idle      *time.Timer
	loaded    atomic.Bool
	live      atomic.Uint64 // bytes in use after the last full collection
	done      chan struct{}
	ended     chan struct{}
}

// manageMemory applies the policy to the rows sh loads, about n records,
// until stop is called, which puts the runtime's settings back. Each later
// full load (after an import) sets the limit again. filter is to see every
// message the program handles: the idle time runs from the last.
func manageMemory(sh *rowindex.Shared, n int) *memoryPolicy {
	p := &memoryPolicy{done: make(chan struct{}), ended: make(chan struct{})}
	p.gcPercent = debug.SetGCPercent(-1)
	p.limit = debug.SetMemoryLimit(loadLimit(n))
	p.idle = time.AfterFunc(time.Hour, p.trim)
	p.idle.Stop()
	go p.watch(sh)
	go p.warm(sh, warmSize(n))
	return p
}

// warmSize is how much of the heap to take in before a load of n
// records: about what their records, rows and search text take, within
// bounds.
func warmSize(n int) int {
	size := min(n*700, 1<<30)
	if size < 8<<20 {
		return 0 // too little to be worth it
	}
	return size
}

// warm takes size bytes of memory into the heap in 2 MB pieces and gives
// them back to it, once the first frame is drawn (the table shows the
// first page, and a frame more). Every page of memory a fresh process
// first touches costs a fault: on a virtual machine some 10–20 µs for a
// 4 KB page, and a 2 MB one for little more. The load then finds its
// memory already in the heap instead of faulting it in 4 KB at a time
// (100,000 records: every record in 145 ms rather than 210).
func (p *memoryPolicy) warm(sh *rowindex.Shared, size int) {
	if size == 0 {
		return
	}
	select {
	case <-sh.FirstShown():
	case <-time.After(100 * time.Millisecond):
	case <-p.done:
		return
	}
	select {
	case <-time.After(10 * time.Millisecond): // the frame
	case <-p.done:
		return
	}
	rowindex.WarmHeap(size)
}

func (p *memoryPolicy) watch(sh *rowindex.Shared) {
	defer close(p.ended)
	s := sh.Current()
	epoch := uint64(0)
	for {
		if s = sh.Wait(s, p.done); s == nil {
			return
		}
		if !s.Loaded || s.Epoch == epoch {
			continue
		}
		epoch = s.Epoch
		debug.SetGCPercent(p.gcPercent)
		live := collect()
		p.live.Store(live)
		debug.SetMemoryLimit(restLimit(live))
		p.loaded.Store(true)
	}
}

// collect collects, gives the garbage back and returns the bytes in use.
func collect() uint64 {
	debug.FreeOSMemory()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc + m.StackInuse + m.GCSys
}

// filter is a tea.WithFilter: every message restarts the idle time.
func (p *memoryPolicy) filter(_ tea.Model, msg tea.Msg) tea.Msg {
	p.idle.Reset(idleTrim)
	return msg
}

// trim gives back what the last burst of work left, once the rows are in
// and if it is worth a collection.
func (p *memoryPolicy) trim() {
	if !p.loaded.Load() {
		return
	}
	// The heap the process holds: objects, live or not, the free room
	// among them, and free pages not yet given back.
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/unused:bytes"},
		{Name: "/memory/classes/heap/free:bytes"}}
	metrics.Read(s)
	if s[0].Value.Uint64()+s[1].Value.Uint64()+s[2].Value.Uint64() < p.live.Load()+trimFrom {
		return
	}
	p.live.Store(collect())
}

// stop ends the policy and puts the runtime's settings back.
func (p *memoryPolicy) stop() {
	p.idle.Stop()
	close(p.done)
	<-p.ended
	debug.SetGCPercent(p.gcPercent)
	debug.SetMemoryLimit(p.limit)
}
