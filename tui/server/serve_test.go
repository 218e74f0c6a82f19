package server

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/log/v2"
	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"

	"charter/model"
	"charter/store"
)

var testNow = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// openStore opens a fresh database in a temporary directory.
func openStore(t testing.TB, seed bool) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "t.db"), store.Options{NoSeed: !seed, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

type testKey struct {
	signer gossh.Signer
	line   string // authorized-keys line without options
}

func newTestKey(t testing.TB, comment string) testKey {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	line := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(signer.PublicKey()))) + " " + comment
	return testKey{signer: signer, line: line}
}

type testServer struct {
	srv  *Server
	keys string
	addr string
	dir  string
	logs *syncWriter
}

func startServer(t testing.TB, db *store.DB, keysFile string, mutate ...func(*Config)) *testServer {
	t.Helper()
	dir := filepath.Dir(keysFile)
	logs := &syncWriter{w: &bytes.Buffer{}}
	cfg := Config{Addr: "127.0.0.1:0", AuthorizedKeys: keysFile, HostKey: filepath.Join(dir, "host_ed25519"),
		Signatories: db, Audit: db, Events: db, DBPath: db.Path(), Logger: log.New(logs)}
	for _, m := range mutate {
		m(&cfg)
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	// Wait until it accepts: shutting down a server that has not yet
	// reached its accept loop races inside the SSH library.
	for i := 0; i < 200; i++ {
		if c, err := net.Dial("tcp", ln.Addr().String()); err == nil {
			c.Close()
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	})
	return &testServer{srv: srv, keys: keysFile, addr: ln.Addr().String(), dir: dir, logs: logs}
}

type syncWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

func (s *syncWriter) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.String()
}

// waitLog waits until the server's log holds every text.
func (ts *testServer) waitLog(t testing.TB, texts ...string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		all := true
		for _, x := range texts {
			all = all && strings.Contains(ts.logs.String(), x)
		}
		if all {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("log lacks %q:\n%s", texts, ts.logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func writeKeys(t testing.TB, lines ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "authorized_keys")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// sshSession is a reviewer's terminal over a real SSH connection.
type sshSession struct {
	t      testing.TB
	client *gossh.Client
	sess   *gossh.Session
	in     interface{ Write([]byte) (int, error) }
	mu     sync.Mutex
	out    bytes.Buffer
	// tap, if set, also receives the output (the load test times it).
	tap interface{ Write([]byte) (int, error) }
}

func (s *sshSession) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tap != nil {
		s.tap.Write(p)
		return len(p), nil
	}
	return s.out.Write(p)
}

func dial(addr string, auth ...gossh.AuthMethod) (*gossh.Client, error) {
	return gossh.Dial("tcp", addr, &gossh.ClientConfig{User: "reviewer", Auth: auth,
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second})
}

func connect(t testing.TB, ts *testServer, k testKey) *sshSession {
	t.Helper()
	return connectSized(t, ts, k, 80, 24)
}

func connectSized(t testing.TB, ts *testServer, k testKey, w, h int) *sshSession {
	t.Helper()
	client, err := dial(ts.addr, gossh.PublicKeys(k.signer))
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	s := &sshSession{t: t, client: client, sess: sess}
	if err := sess.RequestPty("xterm-256color", h, w, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	in, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	s.in = in
	sess.Stdout = s
	sess.Stderr = s
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sess.Close(); client.Close() })
	return s
}

// waitFor waits until the session's output (escape sequences removed)
// holds every text, and returns the time it took.
func (s *sshSession) waitFor(texts ...string) time.Duration {
	s.t.Helper()
	start := time.Now()
	deadline := start.Add(10 * time.Second)
	for {
		s.mu.Lock()
		plain := ansi.Strip(s.out.String())
		s.mu.Unlock()
		ok := true
		for _, x := range texts {
			if !strings.Contains(plain, x) {
				ok = false
			}
		}
		if ok {
			return time.Since(start)
		}
		if time.Now().After(deadline) {
			tail := plain
			if len(tail) > 3000 {
				tail = tail[len(tail)-3000:]
			}
			s.t.Fatalf("never saw %q; output ends:\n%s", texts, tail)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// clear forgets the output so far, so the next wait sees only new frames.
func (s *sshSession) clear() {
	s.mu.Lock()
	s.out.Reset()
	s.mu.Unlock()
}

func (s *sshSession) send(keys ...string) {
	for _, k := range keys {
		if _, err := s.in.Write([]byte(k)); err != nil {
			s.t.Fatal(err)
		}
		// A person's keys arrive apart; ESC followed at once by a key
		// would read as alt+key.
		if k == kEsc {
			time.Sleep(150 * time.Millisecond)
		} else {
			time.Sleep(15 * time.Millisecond)
		}
	}
}

const (
	kEnter = "\r"
	kTab   = "\t"
	kCtrlS = "\x13"
	kEsc   = "\x1b"
)

// openCobalt filters to Cobalt Kettle Café, opens it and focuses the first
// commitment it lacks (entry-level jobs).
func (s *sshSession) openCobalt() {
	s.send("/", "cobalt", kEnter)
	s.waitFor("1 shown")
	s.send(kEnter)
	s.waitFor("Signatory #2")
	for i := 0; i < 13; i++ {
		s.send(kTab)
	}
	// Frames are cell differences: wait for the charter's wording of the
	// focused commitment, which only its focus draws.
	s.waitFor("skills gaps")
}

func TestServeAuthentication(t *testing.T) {
	db := openStore(t, true)
	priya := newTestKey(t, "priya@pcc")
	stranger := newTestKey(t, "stranger@example")
	ts := startServer(t, db, writeKeys(t, priya.line))

	s := connect(t, ts, priya)
	s.waitFor("1 Signatories", "reviewer: priya@pcc", "Organisation")

	if _, err := dial(ts.addr, gossh.PublicKeys(stranger.signer)); err == nil {
		t.Fatal("an unknown key got in")
	}
	if _, err := dial(ts.addr, gossh.Password("hunter2")); err == nil {
		t.Fatal("a password got in")
	}
	ki := gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) { return []string{"x"}, nil })
	if _, err := dial(ts.addr, ki); err == nil {
		t.Fatal("keyboard-interactive got in")
	}
	if _, err := dial(ts.addr); err == nil {
		t.Fatal("no authentication got in")
	}
	for _, want := range []string{"login reviewer=priya@pcc", "the key is not in the authorized-keys file", "refused password login", "refused keyboard-interactive login"} {
		if !strings.Contains(ts.logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, ts.logs.String())
		}
	}
}

func TestServeReadOnlyKeyCannotSave(t *testing.T) {
	db := openStore(t, true)
	sam := newTestKey(t, "sam@pcc")
	ts := startServer(t, db, writeKeys(t, ReadOnlyOption+" "+sam.line))
	s := connect(t, ts, sam)
	s.waitFor("reviewer: sam@pcc (read-only)")
	s.openCobalt()
	s.send(" ", kCtrlS)
	s.waitFor("read-only session: not saved")
	s.send(kEsc)
	s.send("2", "/", "prison:featherstone", kEnter, "j", "j", "r")
	s.waitFor("read-only session: not saved")
	rec, _ := db.Signatory(2)
	if rec.Version != 1 {
		t.Fatalf("read-only session changed the record: %+v", rec)
	}
	a, _ := db.Audit()
	for _, r := range a.Returns {
		if r.Annotation.Version != 0 {
			t.Fatalf("read-only session annotated %s", r.Key())
		}
	}
}

func TestServeTwoReviewersLiveUpdateAndConflict(t *testing.T) {
	db := openStore(t, true)
	priya, sam := newTestKey(t, "priya@pcc"), newTestKey(t, "sam@pcc")
	ts := startServer(t, db, writeKeys(t, priya.line, sam.line))
	p := connect(t, ts, priya)
	s := connect(t, ts, sam)
	p.waitFor("Organisation")
	s.waitFor("Organisation")

	// Sam watches the table; Priya's save shows there.
	s.send("/", "cobalt", kEnter)
	s.waitFor("1 shown")
	p.openCobalt()
	s.clear()
	p.send(" ", kCtrlS)
	p.waitFor("saved Cobalt Kettle Café (version 2, Silver)")
	s.waitFor("Silver")

	// Both open it; Sam edits; Priya saves first; Sam's save shows the conflict.
	s.send(kEnter) // the filter still shows only Cobalt
	s.waitFor("Signatory #2")
	for i := 0; i < 13; i++ {
		s.send(kTab)
	}
	s.waitFor("skills gaps")
	p.send(kEsc)
	p.waitFor("Organisation▲")
	p.clear()
	p.send(kEnter)
	// Frames are sent as cell differences: wait for text the table lacked.
	p.waitFor("alt+N toggles")
	for i := 0; i < 16; i++ { // to Training
		p.send(kTab)
	}
	p.waitFor("Providing training")
	s.send(" ") // Sam removes entry-level jobs (unsaved)
	p.send(" ", kCtrlS)
	waitVersion(t, db, 2, 3)
	s.waitFor("changed in another session")
	s.send(kCtrlS)
	s.waitFor("This record was changed since you opened it", "keep mine")
	s.send("k")
	waitVersion(t, db, 2, 4)

	final, _ := db.Signatory(2)
	if final.Version != 4 || final.Commitments.Has(model.EntryLevelJobs) || !final.Commitments.Has(model.Training) {
		t.Fatalf("final record %+v", final)
	}
	hist, _ := db.SignatoryHistory(2)
	var by []string
	for _, h := range hist {
		by = append(by, h.By)
	}
	if strings.Join(by, ",") != "charter,priya@pcc,priya@pcc,sam@pcc" {
		t.Fatalf("history by %v", by)
	}
	if !strings.Contains(ts.logs.String(), "write: signatory saved") {
		t.Error("writes not logged")
	}
}

// waitVersion waits until a record reaches a version in the store (screen
// text arrives as cell differences, so the store is the surer witness).
func waitVersion(t testing.TB, db *store.DB, id, version uint64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s, err := db.Signatory(id)
		if err == nil && s.Version >= version {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("signatory %d never reached version %d (at %d)", id, version, s.Version)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestServeKeysFileBadLineAndReload(t *testing.T) {
	db := openStore(t, true)
	priya, late := newTestKey(t, "priya@pcc"), newTestKey(t, "late@pcc")
	keys := writeKeys(t, "this line is not a key", priya.line)
	ts := startServer(t, db, keys)
	s := connect(t, ts, priya) // a bad first line locks nobody out
	s.waitFor("reviewer: priya@pcc")
	if !strings.Contains(ts.logs.String(), "line 1:") {
		t.Errorf("bad line not reported by number:\n%s", ts.logs.String())
	}
	if _, err := dial(ts.addr, gossh.PublicKeys(late.signer)); err == nil {
		t.Fatal("a key not yet listed got in")
	}
	// Editing the file lets the new reviewer in without a restart.
	time.Sleep(10 * time.Millisecond)
	os.WriteFile(keys, []byte(priya.line+"\n"+late.line+"\n"), 0o600)
	s2 := connect(t, ts, late)
	s2.waitFor("reviewer: late@pcc")
}

func TestServeHostKeyAndSessionLimit(t *testing.T) {
	db := openStore(t, true)
	priya := newTestKey(t, "priya@pcc")
	keys := writeKeys(t, priya.line)
	ts := startServer(t, db, keys, func(c *Config) { c.MaxSessions = 1 })
	st, err := os.Stat(filepath.Join(ts.dir, "host_ed25519"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("host key: %v %v", err, st.Mode())
	}
	before, _ := os.ReadFile(filepath.Join(ts.dir, "host_ed25519"))
	first := connect(t, ts, priya)
	first.waitFor("Organisation")
	second := connect(t, ts, priya)
	second.waitFor("the server is full (1 sessions)")
	// A second server on the same files reuses the host key.
	if _, err := New(Config{Addr: "127.0.0.1:0", AuthorizedKeys: keys, HostKey: filepath.Join(ts.dir, "host_ed25519"),
		Signatories: db, Audit: db, Logger: log.New(&syncWriter{w: &bytes.Buffer{}})}); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(filepath.Join(ts.dir, "host_ed25519"))
	if !bytes.Equal(before, after) {
		t.Fatal("host key was replaced")
	}
}

// panicky is a session model that panics on "!", standing in for any bug
// in a screen.
type panicky struct{ tea.Model }

func (p panicky) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && k.String() == "!" {
		panic("a bug in one session")
	}
	m, cmd := p.Model.Update(msg)
	return panicky{m}, cmd
}

func TestServePanicInOneSessionLeavesOthers(t *testing.T) {
	db := openStore(t, true)
	k := newTestKey(t, "priya@pcc")
	ts := startServer(t, db, writeKeys(t, k.line), func(c *Config) {
		c.wrapModel = func(m tea.Model) tea.Model { return panicky{m} }
	})
	a := connect(t, ts, k)
	b := connect(t, ts, k)
	a.waitFor("Organisation")
	b.waitFor("Organisation")
	a.send("!")
	// The server is still up: the other session works and new ones start.
	b.clear()
	b.send("2")
	b.waitFor("GOVERNANCE ARRANGEMENTS")
	c := connect(t, ts, k)
	c.waitFor("Organisation")
	deadline := time.Now().Add(5 * time.Second)
	for ts.srv.Sessions() != 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := ts.srv.Sessions(); n != 2 {
		t.Fatalf("%d sessions after one panicked, want 2", n)
	}
}
