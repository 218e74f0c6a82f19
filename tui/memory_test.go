package tui

import (
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
	stop := manageMemory(sh, 50_000)
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
	if l == loadLimit(50_000) || l < 24<<20 || l == math.MaxInt64 {
		t.Errorf("after the load the limit is %d, want the live heap and a margin", l)
	}
	stop()
	if p, l := gcPercent(), debug.SetMemoryLimit(-1); p != before || l != beforeLimit {
		t.Errorf("after stop GOGC %d, limit %d; want %d, %d", p, l, before, beforeLimit)
	}
}

func TestRestLimitLeavesRoomForASession(t *testing.T) {
	for _, tt := range []struct {
		live uint64
		want int64
	}{
		{10 << 20, 34 << 20},   // small: 24 MB of room
		{200 << 20, 250 << 20}, // large: a quarter more
	} {
		if got := restLimit(tt.live); got != tt.want {
			t.Errorf("restLimit(%d MB) = %d MB, want %d MB", tt.live>>20, got>>20, tt.want>>20)
		}
	}
}
