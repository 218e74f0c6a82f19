// Package server serves charter's workbench to reviewers over SSH: public
// keys from an OpenSSH authorized-keys file (with its from= and
// expiry-time= rules), one workbench per session over one shared store,
// read-only observers, write logging and revocation at the service, and
// the limits that keep a hostile client from crashing or exhausting the
// process. It imports the root tui package; tui never imports it.
package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/log/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"

	"charter/model"
	"charter/tui"
	"charter/tui/rowindex"
)

// Config is what `charter serve` needs.
type Config struct {
	// Addr is the address to listen on, e.g. 127.0.0.1:2323.
	Addr string
	// AuthorizedKeys is the OpenSSH authorized-keys file naming the
	// reviewers (the key's comment) and observers (ReadOnlyOption).
	AuthorizedKeys string
	// HostKey is the server's private key file, created (0600) if missing;
	// one readable by group or others is refused.
	HostKey string
	// MaxSessions bounds concurrent sessions; 0 means 50.
	MaxSessions int
	// IdleTimeout ends a session nobody has typed in; 0 means 30 minutes.
	IdleTimeout time.Duration
	// LoginTimeout closes a connection that has not logged in by then; 0
	// means 20 seconds.
	LoginTimeout time.Duration
	// MaxUnauthenticated bounds connections not yet logged in; further
	// ones are closed at once. 0 means 32.
	MaxUnauthenticated int
	// MaxWidth and MaxHeight bound the screen a session is drawn on,
	// whatever window the client reports; 0 means 500×200.
	MaxWidth, MaxHeight int

	Signatories model.SignatoryService
	Audit       model.AuditService
	Events      model.EventService
	DBPath      string
	Logger      *log.Logger

	// wrapModel, if set (by tests), wraps each session's model.
	wrapModel func(tea.Model) tea.Model
	// onReserve, if set (by tests), sees the number of session slots
	// taken each time one is taken.
	onReserve func(active int)
	// keysPoll is how often the authorized-keys file is re-read for
	// revocations; 0 means 250 ms.
	keysPoll time.Duration
}

// Server is charter's SSH server.
type Server struct {
	cfg  Config
	srv  *ssh.Server
	keys *authorizedKeys
	log  *log.Logger

	unauth    atomic.Int64
	lastCrowd atomic.Int64 // when "too many connections" was last logged (unix ns)

	// rows is the one copy of the signatory rows every session's table
	// reads: loaded once, changed copy-on-write once per change.
	rows *rowindex.Shared

	mu       sync.Mutex
	sessions map[*session]struct{}
	active   int  // reserved session slots, counted before a session starts
	closing  bool // Shutdown has begun: no new sessions, no new writes
	handlers sync.WaitGroup

	wmu       sync.Mutex
	inflight  int
	drained   chan struct{} // closed when closing and no write is in flight
	stopWatch chan struct{}
	watchDone chan struct{}
	closeOnce sync.Once
}

// errRefused marks the writes the server itself refuses (a revoked key,
// a shutdown), as against errors from the store.
var errRefused = errors.New("refused by the server")

type refusal string

func (r refusal) Error() string        { return string(r) }
func (r refusal) Is(target error) bool { return target == errRefused }

const (
	errRevoked  = refusal("this session's key is no longer authorised: not saved")
	errStopping = refusal("the server is shutting down: not saved")
)

// New prepares a server; Serve or ListenAndServe starts it.
func New(cfg Config) (*Server, error) {
	if cfg.MaxSessions <= 0 {
		cfg.MaxSessions = 50
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = 30 * time.Minute
	}
	if cfg.LoginTimeout <= 0 {
		cfg.LoginTimeout = 20 * time.Second
	}
	if cfg.MaxUnauthenticated <= 0 {
		cfg.MaxUnauthenticated = 32
	}
	if cfg.MaxWidth <= 0 {
		cfg.MaxWidth = 500
	}
	if cfg.MaxHeight <= 0 {
		cfg.MaxHeight = 200
	}
	if cfg.keysPoll <= 0 {
		cfg.keysPoll = 250 * time.Millisecond
	}
	if cfg.Logger == nil {
		cfg.Logger = log.NewWithOptions(os.Stderr, log.Options{ReportTimestamp: true, Prefix: "charter serve"})
	}
	s := &Server{cfg: cfg, log: cfg.Logger, sessions: map[*session]struct{}{},
		stopWatch: make(chan struct{}), watchDone: make(chan struct{})}
	if cfg.Signatories != nil {
		// Reads go straight to the store: every session may read, and
		// each session's writes still pass its own decorators.
		s.rows = rowindex.NewShared(cfg.Signatories)
		s.rows.Start()
	}
	keys, err := newAuthorizedKeys(cfg.AuthorizedKeys, func(warn bool, msg string, kv ...any) {
		if warn {
			s.log.Warn(msg, kv...)
		} else {
			s.log.Info(msg, kv...)
		}
	})
	if err != nil {
		return nil, err
	}
	s.keys = keys
	signer, err := loadHostKey(cfg.HostKey)
	if err != nil {
		return nil, err
	}
	s.srv = &ssh.Server{
		Addr:        cfg.Addr,
		HostSigners: []ssh.Signer{signer},
		Handler:     s.handle,
		// Public keys only. Setting the other two handlers (to refuse)
		// matters: with no handler at all the SSH layer lets anyone in.
		PublicKeyHandler: s.checkKey,
		PasswordHandler: func(ctx ssh.Context, _ string) bool {
			s.log.Warn("refused password login", "user", ctx.User(), "remote", ctx.RemoteAddr())
			return false
		},
		KeyboardInteractiveHandler: func(ctx ssh.Context, _ gossh.KeyboardInteractiveChallenge) bool {
			s.log.Warn("refused keyboard-interactive login", "user", ctx.User(), "remote", ctx.RemoteAddr())
			return false
		},
		ConnCallback:    s.admitConn,
		ChannelHandlers: map[string]ssh.ChannelHandler{"session": s.sessionChannel},
		// A backstop only: sessions end on the idle timeout by input (see
		// handle), since output alone would keep a connection busy.
		IdleTimeout: cfg.IdleTimeout + time.Minute,
	}
	return s, nil
}

// checkKey authenticates a key against the authorized-keys file as it is
// now, with the from= and expiry-time= rules of the line that holds it.
func (s *Server) checkKey(ctx ssh.Context, key ssh.PublicKey) bool {
	g, why := s.keys.current().authorize(key, remoteIP(ctx.RemoteAddr()), time.Now())
	if why != "" {
		s.log.Warn("refused key", "fingerprint", gossh.FingerprintSHA256(key), "user", ctx.User(), "remote", ctx.RemoteAddr(), "why", why)
		return false
	}
	s.log.Debug("key accepted", "reviewer", g.name, "line", g.line, "remote", ctx.RemoteAddr())
	return true
}

// session is one reviewer's open workbench.
type session struct {
	name      string
	readOnly  bool
	key       gossh.PublicKey
	ip        netip.Addr
	remote    net.Addr
	prog      *tea.Program
	revoked   atomic.Bool
	lastInput atomic.Int64 // unix ns of the last key, paste or mouse event
	ending    atomic.Bool
	finished  chan struct{} // closed when the program has ended
	closeConn func()        // closes the session's SSH connection
}

// reserve takes a session slot, or says why there is none. Counting the
// slot before the session starts is what keeps a burst of connections
// within the limit.
func (s *Server) reserve() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closing:
		return "the server is shutting down"
	case s.active >= s.cfg.MaxSessions:
		return fmt.Sprintf("the server is full (%d sessions); try again later", s.cfg.MaxSessions)
	}
	s.active++
	s.handlers.Add(1)
	if s.cfg.onReserve != nil {
		s.cfg.onReserve(s.active)
	}
	return ""
}

func (s *Server) release(sess *session) {
	s.mu.Lock()
	s.active--
	if sess != nil {
		delete(s.sessions, sess)
	}
	s.mu.Unlock()
	s.handlers.Done()
}

// handle runs one SSH session: the workbench, in a program whose window
// is clamped and whose services are this session's.
func (s *Server) handle(ss ssh.Session) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("session failed", "remote", ss.RemoteAddr(), "panic", r)
		}
	}()
	if pa, ok := ss.Context().Value(ctxPreAuth).(*preAuthConn); ok {
		pa.loggedIn()
	}
	pty, windows, ok := ss.Pty()
	if !ok {
		fmt.Fprintln(ss.Stderr(), "charter: the workbench needs a terminal; connect with ssh -t")
		ss.Exit(1)
		return
	}
	// Keep reading window changes from the start: the SSH layer blocks the
	// connection's requests until each one is taken.
	sizes := make(chan ssh.Window, 1)
	go func() {
		for w := range windows {
			select {
			case sizes <- w:
			default:
				select { // keep only the newest size
				case <-sizes:
				default:
				}
				sizes <- w
			}
		}
	}()
	if why := s.reserve(); why != "" {
		s.log.Warn("refused session", "why", why, "remote", ss.RemoteAddr())
		fmt.Fprintf(ss.Stderr(), "charter: %s\r\n", why)
		ss.Exit(1)
		return
	}
	var me *session
	defer func() { s.release(me) }()

	// Identity comes from the key the session authenticated with, looked
	// up again now: the file may have changed since the handshake.
	key := ss.PublicKey()
	if key == nil {
		ss.Exit(1)
		return
	}
	ip := remoteIP(ss.RemoteAddr())
	g, why := s.keys.current().authorize(key, ip, time.Now())
	if why != "" {
		s.log.Warn("refused session", "why", why, "fingerprint", gossh.FingerprintSHA256(key), "remote", ss.RemoteAddr())
		fmt.Fprintf(ss.Stderr(), "charter: your key is not authorised\r\n")
		ss.Exit(1)
		return
	}
	me = &session{name: g.name, readOnly: g.readOnly, key: key, ip: ip, remote: ss.RemoteAddr(),
		finished: make(chan struct{}), closeConn: func() { closeConn(ss) }}
	me.lastInput.Store(time.Now().UnixNano())

	app := tui.New(tui.Options{
		Signatories: s.signatories(me),
		Audit:       s.audit(me),
		Events:      s.cfg.Events,
		Reviewer:    me.name,
		ReadOnly:    me.readOnly,
		DBPath:      s.cfg.DBPath,

		SignatoryRows: s.rows,
	})
	defer app.Close()
	var m tea.Model = app
	if s.cfg.wrapModel != nil {
		m = s.cfg.wrapModel(m)
	}
	w, h := s.clamp(pty.Window.Width, pty.Window.Height)
	env := append(ss.Environ(), "TERM="+pty.Term)
	me.prog = tea.NewProgram(m,
		tea.WithInput(ss),
		tea.WithOutput(ss),
		tea.WithEnvironment(env),
		tea.WithColorProfile(colorprofile.Env(env)),
		tea.WithWindowSize(w, h),
		tea.WithoutSignalHandler(),
		tea.WithFilter(s.filter(me)),
	)

	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		return
	}
	s.sessions[me] = struct{}{}
	s.mu.Unlock()
	s.log.Info("login", "reviewer", me.name, "read_only", me.readOnly, "line", g.line,
		"fingerprint", gossh.FingerprintSHA256(key), "remote", ss.RemoteAddr())

	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case <-ss.Context().Done():
				me.prog.Kill()
				return
			case win := <-sizes:
				w, h := s.clamp(win.Width, win.Height)
				me.prog.Send(tea.WindowSizeMsg{Width: w, Height: h})
			}
		}
	}()
	go s.watchIdle(me, done)
	_, err := me.prog.Run()
	close(me.finished)
	close(done)
	go me.prog.Kill()
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		s.log.Error("session ended with an error", "reviewer", me.name, "err", err)
	}
	s.log.Info("logout", "reviewer", me.name, "remote", ss.RemoteAddr())
	ss.Exit(0)
}

// clamp bounds a window to the largest screen a session is drawn on.
// Bubble Tea sizes its cell buffer from the WindowSizeMsg it is given (at
// start from WithWindowSize, later in its event loop after the filter),
// so clamping both bounds the memory one session can claim.
func (s *Server) clamp(w, h int) (int, int) {
	w, h = max(w, 1), max(h, 1)
	return min(w, s.cfg.MaxWidth), min(h, s.cfg.MaxHeight)
}

// filter runs on every message of a session's program: it clamps window
// sizes that reach it by any path, notes input for the idle timeout, and
// keeps a client from suspending the program.
func (s *Server) filter(me *session) func(tea.Model, tea.Msg) tea.Msg {
	return func(_ tea.Model, msg tea.Msg) tea.Msg {
		switch m := msg.(type) {
		case tea.WindowSizeMsg:
			m.Width, m.Height = s.clamp(m.Width, m.Height)
			return m
		case tea.KeyPressMsg, tea.PasteMsg, tea.MouseClickMsg, tea.MouseWheelMsg:
			me.lastInput.Store(time.Now().UnixNano())
		case tea.SuspendMsg:
			return tea.ResumeMsg{}
		}
		return msg
	}
}

// watchIdle ends a session nobody has typed in for the idle timeout.
func (s *Server) watchIdle(me *session, done <-chan struct{}) {
	tick := min(s.cfg.IdleTimeout/4, 10*time.Second)
	t := time.NewTicker(max(tick, 10*time.Millisecond))
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
		}
		if time.Since(time.Unix(0, me.lastInput.Load())) >= s.cfg.IdleTimeout {
			s.log.Info("idle timeout", "reviewer", me.name, "after", s.cfg.IdleTimeout, "remote", me.remote)
			s.end(me, fmt.Sprintf("No keys for %v: this session ends.", s.cfg.IdleTimeout))
			return
		}
	}
}

// end tells a session why it ends, gives the message a moment on screen,
// then ends the program and so the SSH session. If the program does not
// end (a client that stopped reading blocks its output), the connection
// is closed under it.
func (s *Server) end(me *session, notice string) {
	if me.ending.Swap(true) {
		return
	}
	go func() {
		sent := make(chan struct{})
		go func() { me.prog.Send(tui.NoticeMsg{Text: notice}); close(sent) }()
		select {
		case <-sent:
			time.Sleep(400 * time.Millisecond)
		case <-me.finished:
			return
		case <-time.After(600 * time.Millisecond):
		}
		go me.prog.Quit()
		select {
		case <-me.finished:
			return
		case <-time.After(300 * time.Millisecond):
		}
		go me.prog.Kill()
		me.closeConn()
	}()
}

// closeConn closes the SSH connection a session runs on.
func closeConn(ss ssh.Session) {
	if c, ok := ss.Context().Value(ssh.ContextKeyConn).(gossh.Conn); ok {
		c.Close()
		return
	}
	ss.Close()
}

// Sessions is the number of open sessions.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}

// ListenAndServe listens on the configured address.
func (s *Server) ListenAndServe() error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return err
	}
	return s.Serve(ln)
}

// Serve accepts connections on ln (tests use 127.0.0.1:0).
func (s *Server) Serve(ln net.Listener) error {
	s.log.Info("listening", "addr", ln.Addr().String(), "host_key", s.cfg.HostKey, "authorized_keys", s.cfg.AuthorizedKeys,
		"max_sessions", s.cfg.MaxSessions, "idle_timeout", s.cfg.IdleTimeout, "login_timeout", s.cfg.LoginTimeout)
	s.startWatch()
	err := s.srv.Serve(ln)
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown tells every session the server is stopping, refuses new
// sessions and new writes, lets writes already under way finish, ends the
// sessions and closes every connection — all within ctx. When it returns
// nothing of the server uses the services any more (unless ctx ran out,
// which it reports), so the caller can close the database.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing = true
	open := make([]*session, 0, len(s.sessions))
	for sess := range s.sessions {
		open = append(open, sess)
	}
	s.mu.Unlock()
	s.stopWatching()
	s.log.Info("shutting down", "sessions", len(open))
	// Stop accepting; connections are closed below once sessions ended.
	go s.srv.Shutdown(ctx)

	for _, sess := range open {
		go sess.prog.Send(tui.NoticeMsg{Text: "The server is shutting down: this session ends now."})
	}
	var err error
	select {
	case <-s.drain():
	case <-ctx.Done():
		err = fmt.Errorf("writes still under way at shutdown: %w", ctx.Err())
	}
	// A moment for the notice to be drawn, then end every program.
	select {
	case <-time.After(300 * time.Millisecond):
	case <-ctx.Done():
	}
	for _, sess := range open {
		go sess.prog.Quit()
	}
	ended := make(chan struct{})
	go func() { s.handlers.Wait(); close(ended) }()
	select {
	case <-ended:
	case <-time.After(time.Second):
	case <-ctx.Done():
	}
	// Whatever has not ended by now is stuck (a client that stopped
	// reading blocks its program's output): closing the connections
	// unblocks it.
	for _, sess := range open {
		go sess.prog.Kill()
	}
	s.srv.Close()
	select {
	case <-ended:
	case <-ctx.Done():
		if err == nil {
			err = fmt.Errorf("sessions still open at shutdown: %w", ctx.Err())
		}
	}
	return err
}

// signatories is the signatory service one session sees: read-only for
// an observer, and every write gated (a revoked key or a shutdown refuses
// it) and logged with the reviewer's name.
func (s *Server) signatories(me *session) model.SignatoryService {
	var next model.SignatoryService = s.cfg.Signatories
	if me.readOnly {
		next = model.ReadOnlySignatories{Next: next}
	}
	return model.LoggedSignatories{Next: next, Gate: s.gate(me), Log: s.writeLog(me)}
}

func (s *Server) audit(me *session) model.AuditService {
	var next model.AuditService = s.cfg.Audit
	if me.readOnly {
		next = model.ReadOnlyAudit{Next: next}
	}
	return model.LoggedAudit{Next: next, Gate: s.gate(me), Log: s.writeLog(me)}
}

// gate admits a write unless the session's key was revoked or the server
// is stopping, and counts it as under way until its log call.
func (s *Server) gate(me *session) model.WriteGate {
	return func() error {
		if me.revoked.Load() {
			return errRevoked
		}
		s.wmu.Lock()
		defer s.wmu.Unlock()
		if s.drained != nil {
			return errStopping
		}
		s.inflight++
		return nil
	}
}

func (s *Server) writeLog(me *session) model.WriteLog {
	return func(what string, err error, kv ...any) {
		if !errors.Is(err, errRefused) {
			s.wmu.Lock()
			s.inflight--
			if s.inflight == 0 && s.drained != nil {
				close(s.drained)
			}
			s.wmu.Unlock()
		}
		kv = append([]any{"reviewer", me.name}, kv...)
		switch {
		case err == nil:
			s.log.Info(what, kv...)
		case errors.Is(err, model.ErrReadOnly):
			s.log.Info(what+" refused (read-only)", kv...)
		default:
			s.log.Warn(what+" failed", append(kv, "err", err)...)
		}
	}
}

// drain stops new writes and returns a channel closed once none is under
// way.
func (s *Server) drain() <-chan struct{} {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if s.drained == nil {
		s.drained = make(chan struct{})
		if s.inflight == 0 {
			close(s.drained)
		}
	}
	return s.drained
}
