package tui

import (
	"runtime"
	"runtime/debug"

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
//
// Both limits are soft: the runtime never fails an allocation over them;
// it collects more often instead.

// loadLimit bounds the heap during the first load of n records: well above
// what they take (about 700 bytes each with their search text), so the
// collector runs only if something goes unexpectedly wrong.
func loadLimit(n int) int64 { return 96<<20 + int64(n)*1536 }

// restLimit is the memory limit once live bytes are in use after a full
// collection: a quarter more, and at least 24 MB, for the work of a
// session.
func restLimit(live uint64) int64 { return int64(live + max(live/4, 24<<20)) }

// manageMemory applies that policy to the rows sh loads, about n records,
// until the returned stop is called; it puts the runtime's settings back
// then. Each later full load (after an import) sets the limit again.
func manageMemory(sh *rowindex.Shared, n int) (stop func()) {
	gcPercent := debug.SetGCPercent(-1)
	limit := debug.SetMemoryLimit(loadLimit(n))
	done, ended := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(ended)
		s := sh.Current()
		epoch := uint64(0)
		for {
			if s = sh.Wait(s, done); s == nil {
				return
			}
			if !s.Loaded || s.Epoch == epoch {
				continue
			}
			epoch = s.Epoch
			debug.SetGCPercent(gcPercent)
			debug.FreeOSMemory() // collects, then gives the garbage back
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			debug.SetMemoryLimit(restLimit(m.HeapAlloc + m.StackInuse + m.GCSys))
		}
	}()
	return func() {
		close(done)
		<-ended
		debug.SetGCPercent(gcPercent)
		debug.SetMemoryLimit(limit)
	}
}
