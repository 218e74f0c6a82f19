package server

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"charter/model"
	"charter/store"
)

// timedOutput records each chunk of a session's output with its time.
type timedOutput struct {
	mu     sync.Mutex
	times  []time.Time
	chunks [][]byte
}

func (o *timedOutput) Write(p []byte) (int, error) {
	o.mu.Lock()
	o.times = append(o.times, time.Now())
	o.chunks = append(o.chunks, append([]byte(nil), p...))
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

// shows is when text first stood in the output written after t (escape
// sequences removed), or zero if it never did within limit.
func (o *timedOutput) shows(t time.Time, text string, limit time.Duration) time.Time {
	o.mu.Lock()
	defer o.mu.Unlock()
	i := sort.Search(len(o.times), func(i int) bool { return o.times[i].After(t) })
	var b bytes.Buffer
	for ; i < len(o.times) && o.times[i].Sub(t) < limit; i++ {
		b.Write(o.chunks[i])
		if strings.Contains(ansi.Strip(b.String()), text) {
			return o.times[i]
		}
	}
	return time.Time{}
}

func percentiles(ds []time.Duration) string {
	if len(ds) == 0 {
		return "no samples"
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return fmt.Sprintf("n=%d p50=%v p95=%v max=%v", len(ds), pct(ds, 0.5).Round(100*time.Microsecond),
		pct(ds, 0.95).Round(100*time.Microsecond), ds[len(ds)-1].Round(100*time.Microsecond))
}

// pct is the q-quantile of sorted durations.
func pct(ds []time.Duration, q float64) time.Duration { return ds[int(q*float64(len(ds)-1))] }

// rssMB is this process's resident set now (VmRSS) and at its peak
// (VmHWM), in MB.
func rssMB(t testing.TB) (now, peak float64) {
	st, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc: resident memory cannot be read")
	}
	for _, line := range strings.Split(string(st), "\n") {
		var kb float64
		if strings.HasPrefix(line, "VmRSS:") {
			fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(line, "VmRSS:")), "%f", &kb)
			now = kb / 1024
		}
		if strings.HasPrefix(line, "VmHWM:") {
			fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(line, "VmHWM:")), "%f", &kb)
			peak = kb / 1024
		}
	}
	return now, peak
}

// seedLoad adds n generated signatories to db; the first savers are named
// "AAA i …" (short enough for the narrowest organisation column) so
// they sort to the top of every table.
func seedLoad(t testing.TB, db *store.DB, n, savers int) {
	t.Helper()
	sample, err := db.SignatoryPage(0, 1)
	if err != nil || len(sample) == 0 {
		t.Fatalf("no sample record: %v", err)
	}
	areas := model.LocalAreas()
	rows := make([]model.Signatory, n)
	for i := range rows {
		s := sample[0]
		s.ID, s.Version = 0, 0
		s.Evidence, s.Notes = nil, ""
		s.Organisation = fmt.Sprintf("Load %06d Printing", (i*7919)%n)
		if i < savers {
			s.Organisation = fmt.Sprintf("AAA%d %s", i, token(i, 0))
		}
		s.LocalArea = areas[i%len(areas)]
		s.Commitments = 0
		for c := 0; c < i%9; c++ {
			s.Commitments = s.Commitments.With(model.Commitment(c))
		}
		rows[i] = s
	}
	if _, err := db.ImportSignatories(rows, model.ImportOptions{}, "load"); err != nil {
		t.Fatalf("import: %v", err)
	}
}

// token is the k-th value saver i gives its record's name: six of one
// letter, the saver's two letters in turn, so that each save changes
// every cell of it (the renderer redraws only cells that change) and no
// two savers share a letter.
func token(i, k int) string { return strings.Repeat(string(rune('a'+2*i+k%2)), 6) }

// TestLoadFiftySessions drives 50 real SSH sessions on loopback against
// 100,000 signatories: 10 rename a signatory once a second through their
// forms, one measures keystroke to frame on the table, and the rest watch
// the table, where the ten renamed records sort to the top. Each save's
// new name is looked for, by content, on every watcher's screen. It
// reports keystroke → frame, save → other screens, and the process's
// resident memory with the shared rows loaded, one session, and all 50.
// It runs only with CHARTER_LOAD=1 (it takes about a minute):
//
//	CHARTER_LOAD=1 go test -run TestLoadFiftySessions -v -timeout 10m ./tui/server/
func TestLoadFiftySessions(t *testing.T) {
	if os.Getenv("CHARTER_LOAD") == "" {
		t.Skip("load test: set CHARTER_LOAD=1 to run it")
	}
	const records, sessions, savers, seconds = 100_000, 50, 10, 10
	db := openStore(t, true)
	seedLoad(t, db, records, savers)
	runtime.GC()
	debug.FreeOSMemory()
	k := newTestKey(t, "load@pcc")
	ts := startServer(t, db, writeKeys(t, k.line), func(c *Config) { c.MaxSessions = 60 })
	base, _ := rssMB(t)

	var all []*sshSession
	first := connect(t, ts, k)
	first.waitFor("AAA0 ", "signatories ")
	// Wait until the shared rows are all in, and the session shows them.
	deadline := time.Now().Add(30 * time.Second)
	for snap := ts.srv.rows.Current(); !snap.Loaded || snap.Live() != records+40; snap = ts.srv.rows.Current() {
		if time.Now().After(deadline) {
			t.Fatalf("the rows never all loaded: %d", snap.Live())
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // the session takes the last page in
	runtime.GC()
	debug.FreeOSMemory()
	one, _ := rssMB(t)
	all = append(all, first)
	for i := 1; i < sessions; i++ {
		all = append(all, connect(t, ts, k))
	}
	for _, s := range all {
		s.waitFor("AAA9 ")
	}
	runtime.GC()
	debug.FreeOSMemory()
	fifty, _ := rssMB(t)
	t.Logf("resident memory: %.0f MB before any session (server, store, shared rows loading), %.0f MB with one session and every row loaded, %.0f MB with %d sessions (%.1f MB per further session)",
		base, one, fifty, sessions, (fifty-one)/float64(sessions-1))

	// Savers open their record, focused on its name.
	sigs, _ := db.SignatoryPage(0, records+40)
	ids := map[uint64]int{}
	for i := 0; i < savers; i++ {
		name := fmt.Sprintf("AAA%d %s", i, token(i, 0))
		var id uint64
		for _, s := range sigs {
			if s.Organisation == name {
				id = s.ID
			}
		}
		ids[id] = i
		s := all[i]
		s.send("/", fmt.Sprintf("aaa%d", i), kEnter)
		s.waitFor("1 shown")
		s.send(kEnter)
		s.waitFor(fmt.Sprintf("Signatory #%d", id))
	}
	sigs = nil
	prober := all[savers]
	watchers := all[savers+1:]
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

	type commit struct {
		at  time.Time
		id  uint64
		ver uint64
	}
	events, cancel := db.Subscribe()
	defer cancel()
	var commits []commit
	var cmu sync.Mutex
	go func() {
		for e := range events {
			if e.Kind != model.EventSignatory {
				continue
			}
			at := time.Now()
			rec, err := db.Signatory(e.ID)
			cmu.Lock()
			if err == nil {
				commits = append(commits, commit{at, e.ID, rec.Version})
			}
			cmu.Unlock()
		}
	}()

	stop := time.Now().Add(seconds * time.Second)
	var wg sync.WaitGroup
	for i := 0; i < savers; i++ {
		wg.Add(1)
		go func(s *sshSession, i int, offset time.Duration) {
			defer wg.Done()
			time.Sleep(offset)
			for k := 1; time.Now().Before(stop); k++ {
				// End of the name, clear it, type the new one, save.
				s.in.Write([]byte("\x05\x15"))
				s.in.Write([]byte(fmt.Sprintf("AAA%d %s", i, token(i, k))))
				s.in.Write([]byte(kCtrlS))
				time.Sleep(time.Second)
			}
		}(all[i], i, time.Duration(i)*100*time.Millisecond)
	}
	var keyLat []time.Duration
	for i := 0; time.Now().Before(stop); i++ {
		key := "j" // down, then up: every press moves the cursor
		if i%2 == 1 {
			key = "k"
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
	time.Sleep(time.Second)
	end, _ := rssMB(t)
	runtime.GC()
	debug.FreeOSMemory()
	endGC, _ := rssMB(t)

	// Each save's new name, by content, on every watcher's screen. A
	// save's version says which name it wrote: version v is the saver's
	// (v-1)-th rename.
	var prop []time.Duration
	missing := 0
	cmu.Lock()
	for _, c := range commits {
		i, ok := ids[c.id]
		if !ok {
			continue
		}
		want := fmt.Sprintf("AAA%d %s", i, token(i, int(c.ver-1)))
		for _, o := range outs {
			if at := o.shows(c.at.Add(-50*time.Millisecond), token(i, int(c.ver-1)), 3*time.Second); !at.IsZero() {
				prop = append(prop, max(at.Sub(c.at), 0))
			} else {
				missing++
				if missing <= 3 {
					t.Errorf("%q never reached a watcher's screen", want)
				}
			}
		}
	}
	n := len(commits)
	cmu.Unlock()
	t.Logf("%d sessions on %d signatories, %d renaming one once a second for %d s: %d saves committed", sessions, records, savers, seconds, n)
	t.Logf("keystroke → frame: %s", percentiles(keyLat))
	t.Logf("save → each other session's screen showing the new name: %s; %d not seen", percentiles(prop), missing)
	t.Logf("resident memory at the end: %.0f MB (%.0f MB after a collection; the test's own record of every session's output included)", end, endGC)
	if n < savers*(seconds-1) {
		t.Errorf("only %d saves committed", n)
	}
	if len(keyLat) > 0 && pct(keyLat, 0.95) > 50*time.Millisecond {
		t.Errorf("keystroke → frame p95 %v, target 50 ms", pct(keyLat, 0.95))
	}
	if len(prop) > 0 && pct(prop, 0.95) > 100*time.Millisecond {
		t.Errorf("save → others p95 %v, target 100 ms", pct(prop, 0.95))
	}
	if one > 150 || (fifty-one)/float64(sessions-1) > 10 || fifty > 700 {
		t.Errorf("resident memory %.0f MB with one session (target 150), %.1f MB per further session (target 10), %.0f MB with 50 (target 700)",
			one, (fifty-one)/float64(sessions-1), fifty)
	}
}
