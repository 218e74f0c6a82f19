package server

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/log/v2"
	gossh "golang.org/x/crypto/ssh"

	"charter/model"
	"charter/store"
)

// sizeSpy records the largest window its model was given.
type sizeSpy struct {
	tea.Model
	maxW, maxH *atomic.Int64
}

func (s sizeSpy) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if m, ok := msg.(tea.WindowSizeMsg); ok {
		if int64(m.Width) > s.maxW.Load() {
			s.maxW.Store(int64(m.Width))
		}
		if int64(m.Height) > s.maxH.Load() {
			s.maxH.Store(int64(m.Height))
		}
	}
	m, cmd := s.Model.Update(msg)
	return sizeSpy{m, s.maxW, s.maxH}, cmd
}

// peakRSS is the process's peak resident set (VmHWM), in bytes.
func peakRSS(t *testing.T) int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc")
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	t.Skip("no VmHWM")
	return 0
}

func TestServeHugeWindowIsClamped(t *testing.T) {
	db := openStore(t, true)
	sam := newTestKey(t, "sam@pcc")
	var maxW, maxH atomic.Int64
	ts := startServer(t, db, writeKeys(t, ReadOnlyOption+" "+sam.line), func(c *Config) {
		c.wrapModel = func(m tea.Model) tea.Model { return sizeSpy{m, &maxW, &maxH} }
	})
	before := peakRSS(t)
	// A read-only key asks for a 20000×5000 window, then resizes to the
	// same again and larger.
	s := connectSized(t, ts, sam, 20000, 5000)
	s.waitFor("reviewer: sam@pcc")
	for _, wh := range [][2]int{{30000, 8000}, {20000, 5000}, {100, 30}, {65535, 65535}} {
		if err := s.sess.WindowChange(wh[1], wh[0]); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(500 * time.Millisecond)
	s.send("2")
	s.waitFor("GOVERNANCE ARRANGEMENTS")
	if maxW.Load() > 500 || maxH.Load() > 200 || maxW.Load() < 500 || maxH.Load() < 200 {
		t.Fatalf("the model was given up to %d×%d, want exactly the 500×200 clamp", maxW.Load(), maxH.Load())
	}
	// The server still serves, and a new session starts.
	s2 := connect(t, ts, sam)
	s2.waitFor("reviewer: sam@pcc")
	runtime.GC()
	after := peakRSS(t)
	t.Logf("peak RSS %d MB before, %d MB after", before>>20, after>>20)
	// Unclamped, a 5000×2000 window took the server past 2 GB and this
	// one would exhaust it; the clamp keeps the growth to the session
	// itself (about 30 MB, several times that under the race detector).
	if after-before > 300<<20 {
		t.Fatalf("peak RSS grew by %d MB", (after-before)>>20)
	}
}

func TestServeFromOption(t *testing.T) {
	db := openStore(t, true)
	near, far, some := newTestKey(t, "near@pcc"), newTestKey(t, "far@pcc"), newTestKey(t, "neg@pcc")
	ts := startServer(t, db, writeKeys(t,
		`from="10.0.0.0/8,127.0.0.0/8" `+near.line,
		`from="10.9.9.9" `+far.line,
		`from="*,!127.0.0.1" `+some.line,
	))
	s := connect(t, ts, near)
	s.waitFor("reviewer: near@pcc")
	if _, err := dial(ts.addr, gossh.PublicKeys(far.signer)); err == nil {
		t.Fatal(`from="10.9.9.9" admitted 127.0.0.1`)
	}
	if _, err := dial(ts.addr, gossh.PublicKeys(some.signer)); err == nil {
		t.Fatal(`from="*,!127.0.0.1" admitted 127.0.0.1`)
	}
	ts.waitLog(t, `line 2: from=\"10.9.9.9\" does not admit 127.0.0.1`, `line 3: from=\"*,!127.0.0.1\" does not admit 127.0.0.1`)
}

func TestServeExpiredKeyRefused(t *testing.T) {
	db := openStore(t, true)
	old, current := newTestKey(t, "old@pcc"), newTestKey(t, "current@pcc")
	ts := startServer(t, db, writeKeys(t,
		`expiry-time="20200101" `+old.line,
		`expiry-time="20991231Z" `+current.line,
	))
	if _, err := dial(ts.addr, gossh.PublicKeys(old.signer)); err == nil {
		t.Fatal("an expired key got in")
	}
	connect(t, ts, current).waitFor("reviewer: current@pcc")
	ts.waitLog(t, "line 1: the key expired at 2020-01-01")
}

func TestServeRefusedOptionKey(t *testing.T) {
	db := openStore(t, true)
	k, r := newTestKey(t, "cmd@pcc"), newTestKey(t, "restricted@pcc")
	ts := startServer(t, db, writeKeys(t, `command="/bin/false",no-pty `+k.line, `restrict `+r.line))
	for _, key := range []testKey{k, r} {
		if _, err := dial(ts.addr, gossh.PublicKeys(key.signer)); err == nil {
			t.Fatal("a key with an option charter cannot honour got in")
		}
	}
	ts.waitLog(t, "line 1: key cmd@pcc refused: option command= cannot be honoured",
		"line 2: key restricted@pcc refused: option restrict cannot be honoured")
}

// waitClosed waits until the SSH session ends, and returns how long it
// took.
func (s *sshSession) waitClosed(within time.Duration) time.Duration {
	s.t.Helper()
	start := time.Now()
	done := make(chan struct{})
	go func() { s.sess.Wait(); close(done) }()
	select {
	case <-done:
		return time.Since(start)
	case <-time.After(within):
		s.t.Fatalf("session still open after %v", within)
		return 0
	}
}

func TestServeRemovingKeyEndsItsSession(t *testing.T) {
	db := openStore(t, true)
	priya, sam := newTestKey(t, "priya@pcc"), newTestKey(t, "sam@pcc")
	keys := writeKeys(t, priya.line, sam.line)
	ts := startServer(t, db, keys)
	p, s := connect(t, ts, priya), connect(t, ts, sam)
	p.waitFor("reviewer: priya@pcc")
	s.waitFor("reviewer: sam@pcc")

	removed := time.Now()
	if err := os.WriteFile(keys, []byte(priya.line+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s.waitFor("no longer authorised")
	s.waitClosed(2*time.Second - time.Since(removed))
	if took := time.Since(removed); took > 2*time.Second {
		t.Fatalf("revoked session ended after %v", took)
	}
	// Priya's session goes on.
	p.clear()
	p.send("2")
	p.waitFor("GOVERNANCE ARRANGEMENTS")
	ts.waitLog(t, "session ended: key no longer authorised reviewer=sam@pcc")
	if _, err := dial(ts.addr, gossh.PublicKeys(sam.signer)); err == nil {
		t.Fatal("a removed key got in")
	}
}

func TestServeMissingKeysFileAdmitsNoOneAndEndsSessions(t *testing.T) {
	db := openStore(t, true)
	priya := newTestKey(t, "priya@pcc")
	keys := writeKeys(t, priya.line)
	ts := startServer(t, db, keys)
	p := connect(t, ts, priya)
	p.waitFor("reviewer: priya@pcc")
	moved := time.Now()
	if err := os.Rename(keys, keys+".away"); err != nil {
		t.Fatal(err)
	}
	p.waitFor("no longer authorised")
	p.waitClosed(2*time.Second - time.Since(moved))
	if _, err := dial(ts.addr, gossh.PublicKeys(priya.signer)); err == nil {
		t.Fatal("a key got in with the file gone")
	}
	ts.waitLog(t, "authorized keys unreadable; admitting no one")
	// Back again, it admits again.
	os.Rename(keys+".away", keys)
	connect(t, ts, priya).waitFor("reviewer: priya@pcc")
}

func TestServeRevokedSessionCannotSave(t *testing.T) {
	db := openStore(t, true)
	srv, err := New(Config{Addr: "127.0.0.1:0", AuthorizedKeys: writeKeys(t, newTestKey(t, "x@pcc").line),
		HostKey: filepath.Join(t.TempDir(), "hk"), Signatories: db, Audit: db, Logger: log.New(io.Discard)})
	if err != nil {
		t.Fatal(err)
	}
	me := &session{name: "x@pcc"}
	sigs := srv.signatories(me)
	rec, _ := db.Signatory(2)
	me.revoked.Store(true)
	if err := sigs.UpdateSignatory(&rec, "x@pcc"); err == nil {
		t.Fatal("a revoked session saved")
	}
	if now, _ := db.Signatory(2); now.Version != rec.Version {
		t.Fatal("the store changed")
	}
}

func TestServeLoginDeadlineAndUnauthenticatedCap(t *testing.T) {
	db := openStore(t, true)
	ts := startServer(t, db, writeKeys(t, newTestKey(t, "x@pcc").line), func(c *Config) {
		c.LoginTimeout = 500 * time.Millisecond
		c.MaxUnauthenticated = 5
	})
	var conns []net.Conn
	for i := 0; i < 12; i++ {
		c, err := net.Dial("tcp", ts.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns = append(conns, c)
	}
	start := time.Now()
	closedAt := make([]time.Duration, len(conns))
	var wg sync.WaitGroup
	for i, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			_, err := io.Copy(io.Discard, c)
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				closedAt[i] = -1
				return
			}
			closedAt[i] = time.Since(start)
		}()
	}
	wg.Wait()
	early, atDeadline := 0, 0
	for i, d := range closedAt {
		switch {
		case d < 0:
			t.Errorf("connection %d still open after 5 s", i)
		case d < 300*time.Millisecond:
			early++
		case d < 2*time.Second:
			atDeadline++
		}
	}
	if early < 7 || atDeadline > 5 || early+atDeadline != len(conns) {
		t.Fatalf("%d closed at once, %d at the deadline; want 7 beyond the cap of 5 at once: %v", early, atDeadline, closedAt)
	}
	ts.waitLog(t, "closed connection: no session within the login timeout", "refused connection: too many not yet logged in")
	// The places are free again: a reviewer logs in.
	connect(t, ts, newTestKeyIn(t, ts, "late@pcc")).waitFor("reviewer: late@pcc")
}

// newTestKeyIn makes a key and adds it to the server's file.
func newTestKeyIn(t *testing.T, ts *testServer, comment string) testKey {
	k := newTestKey(t, comment)
	f, err := os.OpenFile(ts.keys, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(k.line + "\n")
	f.Close()
	return k
}

func TestServeBurstNeverExceedsSessionLimit(t *testing.T) {
	db := openStore(t, true)
	k := newTestKey(t, "burst@pcc")
	var peak atomic.Int64
	const limit = 5
	ts := startServer(t, db, writeKeys(t, k.line), func(c *Config) {
		c.MaxSessions = limit
		c.MaxUnauthenticated = 200
		c.onReserve = func(n int) {
			for {
				p := peak.Load()
				if int64(n) <= p || peak.CompareAndSwap(p, int64(n)) {
					return
				}
			}
		}
	})
	var wg sync.WaitGroup
	var full, in atomic.Int64
	start := make(chan struct{})
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			client, err := dial(ts.addr, gossh.PublicKeys(k.signer))
			if err != nil {
				return
			}
			defer client.Close()
			sess, err := client.NewSession()
			if err != nil {
				return
			}
			defer sess.Close()
			var out syncWriter
			out.w = &bytes.Buffer{}
			sess.Stdout, sess.Stderr = &out, &out
			sess.RequestPty("xterm", 24, 80, gossh.TerminalModes{})
			if sess.Shell() != nil {
				return
			}
			deadline := time.Now().Add(10 * time.Second)
			for time.Now().Before(deadline) {
				o := out.String()
				if strings.Contains(o, "the server is full") {
					full.Add(1)
					return
				}
				if strings.Contains(o, "reviewer") {
					in.Add(1)
					time.Sleep(time.Second)
					return
				}
				time.Sleep(20 * time.Millisecond)
			}
		}()
	}
	close(start)
	wg.Wait()
	t.Logf("%d sessions got in, %d were told the server is full; at most %d at once", in.Load(), full.Load(), peak.Load())
	if peak.Load() > limit {
		t.Fatalf("%d sessions at once, limit %d", peak.Load(), limit)
	}
	if in.Load() == 0 || full.Load() == 0 {
		t.Fatalf("the burst did not reach the limit: %d in, %d full", in.Load(), full.Load())
	}
}

func TestServeIdleTimeout(t *testing.T) {
	db := openStore(t, true)
	k := newTestKey(t, "idle@pcc")
	ts := startServer(t, db, writeKeys(t, k.line), func(c *Config) { c.IdleTimeout = 2 * time.Second })
	idle, busy := connect(t, ts, k), connect(t, ts, k)
	idle.waitFor("reviewer: idle@pcc")
	busy.waitFor("reviewer: idle@pcc")
	stop := time.After(4 * time.Second)
	go func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(200 * time.Millisecond):
				busy.in.Write([]byte("j"))
			}
		}
	}()
	idle.waitFor("No keys for 2s")
	d := idle.waitClosed(3 * time.Second)
	t.Logf("idle session closed %v after its notice", d)
	<-stop
	// The busy one was typing, so it is still open.
	busy.clear()
	busy.send("2")
	busy.waitFor("GOVERNANCE ARRANGEMENTS")
	ts.waitLog(t, "idle timeout reviewer=idle@pcc")
}

// slowSignatories makes every save take a while, so a shutdown finds it
// under way.
type slowSignatories struct {
	model.SignatoryService
	started chan struct{}
}

func (s slowSignatories) UpdateSignatory(r *model.Signatory, by string) error {
	close(s.started)
	time.Sleep(800 * time.Millisecond)
	return s.SignatoryService.UpdateSignatory(r, by)
}

func TestServeShutdownEndsSessionsAfterSaves(t *testing.T) {
	db := openStore(t, true)
	k := newTestKey(t, "priya@pcc")
	started := make(chan struct{})
	ts := startServer(t, db, writeKeys(t, k.line), func(c *Config) {
		c.Signatories = slowSignatories{SignatoryService: db, started: started}
	})
	saver, watcher := connect(t, ts, k), connect(t, ts, k)
	watcher.waitFor("reviewer: priya@pcc")
	saver.openCobalt()
	saver.send(" ", kCtrlS)
	<-started
	begin := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := ts.srv.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	took := time.Since(begin)
	// The save under way finished before Shutdown returned.
	if rec, _ := db.Signatory(2); rec.Version != 2 {
		t.Fatalf("the save in flight was lost: version %d", rec.Version)
	}
	watcher.waitFor("shutting down")
	saver.waitClosed(time.Second)
	watcher.waitClosed(time.Second)
	if n := ts.srv.Sessions(); n != 0 {
		t.Fatalf("%d sessions after shutdown", n)
	}
	if took > 4*time.Second {
		t.Fatalf("shutdown took %v", took)
	}
	if _, err := dial(ts.addr); err == nil {
		t.Fatal("still accepting after shutdown")
	}
	// Nothing of the server uses the database now: it closes cleanly.
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if rep, err := store.CheckPath(db.Path(), 10*time.Second); err != nil || rep.ViaHolder {
		t.Fatalf("the database after shutdown: %+v %v", rep, err)
	}
	t.Logf("shutdown with a save in flight took %v", took)
}

func TestHostKeyReadableByOthersRefused(t *testing.T) {
	dir := t.TempDir()
	hk := filepath.Join(dir, "host")
	keys := writeKeys(t, newTestKey(t, "x@pcc").line)
	cfg := Config{Addr: "127.0.0.1:0", AuthorizedKeys: keys, HostKey: hk, Logger: log.New(io.Discard)}
	if _, err := New(cfg); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(hk); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("new host key: %v %v", fi, err)
	}
	for _, mode := range []os.FileMode{0o640, 0o604, 0o644} {
		os.Chmod(hk, mode)
		_, err := New(cfg)
		if err == nil || !strings.Contains(err.Error(), "readable by others") {
			t.Errorf("mode %04o: got %v", mode, err)
		}
	}
}

func TestNewRefusesMissingKeysFile(t *testing.T) {
	_, err := New(Config{Addr: "127.0.0.1:0", AuthorizedKeys: filepath.Join(t.TempDir(), "none"),
		HostKey: filepath.Join(t.TempDir(), "hk"), Logger: log.New(io.Discard)})
	if err == nil || !strings.Contains(err.Error(), "authorized keys") {
		t.Fatalf("got %v", err)
	}
}

func TestServeBoundsWhatOneConnectionAsks(t *testing.T) {
	db := openStore(t, true)
	k := newTestKey(t, "many@pcc")
	ts := startServer(t, db, writeKeys(t, k.line))
	client, err := dial(ts.addr, gossh.PublicKeys(k.signer))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	var opened []*gossh.Session
	for i := 0; i < maxChannelsPerConn+2; i++ {
		sess, err := client.NewSession()
		if err != nil {
			if i < maxChannelsPerConn {
				t.Fatalf("session channel %d refused: %v", i+1, err)
			}
			continue
		}
		if i >= maxChannelsPerConn {
			t.Fatalf("session channel %d accepted beyond the limit of %d", i+1, maxChannelsPerConn)
		}
		opened = append(opened, sess)
	}
	refused := 0
	for i := 0; i < maxEnvPerSession+20; i++ {
		if err := opened[0].Setenv("V"+strconv.Itoa(i), "x"); err != nil {
			refused++
		}
	}
	if refused != 20 {
		t.Fatalf("%d environment variables refused, want the 20 beyond %d", refused, maxEnvPerSession)
	}
	// Large values run out of room sooner.
	accepted := 0
	for i := 0; i < 40; i++ {
		if opened[2].Setenv("BIG"+strconv.Itoa(i), strings.Repeat("x", 4000)) == nil {
			accepted++
		}
	}
	if accepted != maxEnvBytes/4000 {
		t.Fatalf("%d 4000-byte variables accepted, want %d", accepted, maxEnvBytes/4000)
	}
	// Closing a channel frees its place.
	opened[1].Close()
	deadline := time.Now().Add(2 * time.Second)
	for {
		if sess, err := client.NewSession(); err == nil {
			sess.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("a closed channel's place was not freed")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A client that stops reading blocks its session's output; it must not
// hold up a shutdown or a revocation.
func TestServeClientThatStopsReading(t *testing.T) {
	db := openStore(t, true)
	k, other := newTestKey(t, "stuck@pcc"), newTestKey(t, "fine@pcc")
	keys := writeKeys(t, k.line, other.line)
	ts := startServer(t, db, keys)
	stuck := func() (*gossh.Client, io.WriteCloser) {
		client, err := dial(ts.addr, gossh.PublicKeys(k.signer))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { client.Close() })
		sess, err := client.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		if err := sess.RequestPty("xterm-256color", 200, 500, gossh.TerminalModes{}); err != nil {
			t.Fatal(err)
		}
		if _, err := sess.StdoutPipe(); err != nil { // never read
			t.Fatal(err)
		}
		in, _ := sess.StdinPipe()
		if err := sess.Shell(); err != nil {
			t.Fatal(err)
		}
		// Whole-screen redraws until the SSH window is full.
		go func() {
			for i := 0; i < 3000; i++ {
				if _, err := in.Write([]byte("231")); err != nil {
					return
				}
				time.Sleep(time.Millisecond)
			}
		}()
		return client, in
	}
	c1, _ := stuck()
	fine := connect(t, ts, other)
	fine.waitFor("reviewer: fine@pcc")
	time.Sleep(2 * time.Second)

	// Revoking the stuck key ends its connection within 2 s.
	removed := time.Now()
	os.WriteFile(keys, []byte(other.line+"\n"), 0o600)
	closed := make(chan struct{})
	go func() { c1.Wait(); close(closed) }()
	ts.waitLog(t, "session ended: key no longer authorised reviewer=stuck@pcc")
	noticed := time.Since(removed)
	select {
	case <-closed:
	case <-time.After(3 * time.Second):
		t.Fatal("a client that stopped reading kept its revoked session")
	}
	took := time.Since(removed)
	t.Logf("stuck session revoked in %v (noticed after %v)", took, noticed)
	if took > 2*time.Second {
		t.Errorf("a client that stopped reading kept its revoked session for %v", took)
	}

	// And one stuck at shutdown does not hold it up.
	os.WriteFile(keys, []byte(k.line+"\n"+other.line+"\n"), 0o600)
	stuck()
	time.Sleep(2 * time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	begin := time.Now()
	if err := ts.srv.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if took := time.Since(begin); took > 3*time.Second {
		t.Fatalf("shutdown took %v", took)
	}
	if n := ts.srv.Sessions(); n != 0 {
		t.Fatalf("%d sessions after shutdown", n)
	}
}
