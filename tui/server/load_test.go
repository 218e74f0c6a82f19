package server

import (
	"fmt"
	"os"
	"sort"
	"sync"
	"testing"
	"time"
)

// timedOutput records when each chunk of a session's output arrived.
type timedOutput struct {
	mu    sync.Mutex
	times []time.Time
}

func (o *timedOutput) Write(p []byte) (int, error) {
	o.mu.Lock()
	o.times = append(o.times, time.Now())
	o.mu.Unlock()
	return len(p), nil
}

// firstAfter is the first arrival after t (zero if none).
func (o *timedOutput) firstAfter(t time.Time) time.Time {
	o.mu.Lock()
	defer o.mu.Unlock()
	i := sort.Search(len(o.times), func(i int) bool { return o.times[i].After(t) })
	if i == len(o.times) {
		return time.Time{}
	}
	return o.times[i]
}

func percentiles(ds []time.Duration) string {
	if len(ds) == 0 {
		return "no samples"
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	p := func(q float64) time.Duration { return ds[int(q*float64(len(ds)-1))] }
	return fmt.Sprintf("n=%d p50=%v p95=%v max=%v", len(ds), p(0.5).Round(100*time.Microsecond), p(0.95).Round(100*time.Microsecond), ds[len(ds)-1].Round(100*time.Microsecond))
}

// TestLoadFiftySessions drives 50 real SSH sessions on loopback: 10 save a
// signatory once a second through their forms, one measures keystroke to
// frame, and the rest watch the table. It reports how long a keystroke
// takes to come back as a frame and how long a save takes to reach the
// other sessions' screens. It runs only with CHARTER_LOAD=1 (it takes
// about 30 s):
//
//	CHARTER_LOAD=1 go test -run TestLoadFiftySessions -v ./tui/server/
func TestLoadFiftySessions(t *testing.T) {
	if os.Getenv("CHARTER_LOAD") == "" {
		t.Skip("load test: set CHARTER_LOAD=1 to run it")
	}
	const sessions, savers, seconds = 50, 10, 10
	db := openStore(t, true)
	k := newTestKey(t, "load@pcc")
	ts := startServer(t, db, writeKeys(t, k.line), func(c *Config) { c.MaxSessions = 60 })
	sigs, _ := db.Signatories()

	var all []*sshSession
	for i := 0; i < sessions; i++ {
		s := connect(t, ts, k)
		all = append(all, s)
	}
	for _, s := range all {
		s.waitFor("Organisation")
	}
	// Savers open one record each, focused on a commitment.
	for i := 0; i < savers; i++ {
		s := all[i]
		s.send("/", sigs[i].Organisation, kEnter)
		s.waitFor("1 shown")
		s.send(kEnter)
		s.waitFor(fmt.Sprintf("Signatory #%d", sigs[i].ID))
		for j := 0; j < 12; j++ {
			s.send(kTab)
		}
	}
	prober := all[savers]
	prober.send("3")
	prober.waitFor("Civic Society · ROM")
	watchers := all[savers+1:]
	// From here on the sessions' output goes to timestamped recorders.
	outs := make([]*timedOutput, len(watchers))
	for i, w := range watchers {
		outs[i] = &timedOutput{}
		w.mu.Lock()
		w.tap = outs[i]
		w.mu.Unlock()
	}
	probe := &timedOutput{}
	prober.mu.Lock()
	prober.tap = probe
	prober.mu.Unlock()

	events, cancel := db.Subscribe()
	defer cancel()
	var commits []time.Time
	var cmu sync.Mutex
	go func() {
		for range events {
			cmu.Lock()
			commits = append(commits, time.Now())
			cmu.Unlock()
		}
	}()

	stop := time.Now().Add(seconds * time.Second)
	var wg sync.WaitGroup
	for i := 0; i < savers; i++ {
		wg.Add(1)
		go func(s *sshSession, offset time.Duration) {
			defer wg.Done()
			time.Sleep(offset)
			for time.Now().Before(stop) {
				s.in.Write([]byte(" "))
				s.in.Write([]byte(kCtrlS))
				time.Sleep(time.Second)
			}
		}(all[i], time.Duration(i)*100*time.Millisecond)
	}
	var keyLat []time.Duration
	for i := 0; time.Now().Before(stop); i++ {
		key := "l" // next question column, then back: every press changes the frame
		if i%2 == 1 {
			key = "h"
		}
		sent := time.Now()
		prober.in.Write([]byte(key))
		deadline := sent.Add(2 * time.Second)
		for {
			if at := probe.firstAfter(sent); !at.IsZero() {
				keyLat = append(keyLat, at.Sub(sent))
				break
			}
			if time.Now().After(deadline) {
				t.Errorf("a keystroke got no frame within 2 s")
				break
			}
			time.Sleep(200 * time.Microsecond)
		}
		time.Sleep(100 * time.Millisecond)
	}
	wg.Wait()
	time.Sleep(500 * time.Millisecond)

	var prop []time.Duration
	cmu.Lock()
	for _, c := range commits {
		for _, o := range outs {
			if at := o.firstAfter(c); !at.IsZero() && at.Sub(c) < time.Second {
				prop = append(prop, at.Sub(c))
			}
		}
	}
	n := len(commits)
	cmu.Unlock()
	t.Logf("%d sessions, %d saving once a second for %d s: %d saves committed", sessions, savers, seconds, n)
	t.Logf("keystroke → frame: %s", percentiles(keyLat))
	t.Logf("save → other sessions' screens: %s", percentiles(prop))
	if n < savers*(seconds-1) {
		t.Errorf("only %d saves committed", n)
	}
}
