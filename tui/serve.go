package tui

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/log/v2"
	"charm.land/wish/v2"
	"charm.land/wish/v2/activeterm"
	bm "charm.land/wish/v2/bubbletea"
	"charm.land/wish/v2/recover"
	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"

	"charter/model"
)

// ServeConfig is what `charter serve` needs.
type ServeConfig struct {
	// Addr is the address to listen on, e.g. 127.0.0.1:2323.
	Addr string
	// AuthorizedKeys is the OpenSSH authorized-keys file naming the
	// reviewers (the key's comment) and observers (ReadOnlyOption).
	AuthorizedKeys string
	// HostKey is the server's private key file, created (0600) if missing.
	HostKey string
	// MaxSessions bounds concurrent sessions; 0 means 50.
	MaxSessions int
	// IdleTimeout ends a session nobody has typed in; 0 means 30 minutes.
	IdleTimeout time.Duration

	Signatories model.SignatoryService
	Audit       model.AuditService
	Events      model.EventService
	DBPath      string
	Logger      *log.Logger

	// wrapModel, if set (by tests), wraps each session's model.
	wrapModel func(tea.Model) tea.Model
}

// Server serves the workbench to reviewers over SSH: one TUI per session
// over one shared store.
type Server struct {
	cfg  ServeConfig
	srv  *ssh.Server
	keys *authorizedKeys
	log  *log.Logger

	mu       sync.Mutex
	sessions map[ssh.Session]*App
}

type ctxKey string

const (
	ctxReviewer ctxKey = "charter.reviewer"
	ctxReadOnly ctxKey = "charter.readonly"
)

// NewServer prepares a server; Serve or ListenAndServe starts it.
func NewServer(cfg ServeConfig) (*Server, error) {
	if cfg.MaxSessions <= 0 {
		cfg.MaxSessions = 50
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = 30 * time.Minute
	}
	if cfg.Logger == nil {
		cfg.Logger = log.NewWithOptions(os.Stderr, log.Options{ReportTimestamp: true, Prefix: "charter serve"})
	}
	s := &Server{cfg: cfg, log: cfg.Logger, sessions: map[ssh.Session]*App{}}
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
	if err := os.MkdirAll(filepath.Dir(cfg.HostKey), 0o700); err != nil {
		return nil, fmt.Errorf("host key: %w", err)
	}
	srv, err := wish.NewServer(
		wish.WithAddress(cfg.Addr),
		wish.WithHostKeyPath(cfg.HostKey),
		wish.WithIdleTimeout(cfg.IdleTimeout),
		// Public keys only. Setting the other two handlers (to refuse)
		// matters: with no handler at all the SSH layer lets anyone in.
		wish.WithPublicKeyAuth(s.checkKey),
		wish.WithPasswordAuth(func(ctx ssh.Context, _ string) bool {
			s.log.Warn("refused password login", "user", ctx.User(), "remote", ctx.RemoteAddr())
			return false
		}),
		wish.WithKeyboardInteractiveAuth(func(ctx ssh.Context, _ gossh.KeyboardInteractiveChallenge) bool {
			s.log.Warn("refused keyboard-interactive login", "user", ctx.User(), "remote", ctx.RemoteAddr())
			return false
		}),
		wish.WithMiddleware(
			// Listed innermost first: the program runs inside the
			// cleanup, which runs when the program has ended.
			bm.Middleware(s.newSession),
			s.cleanup,
			activeterm.Middleware(),
			s.limit,
			recover.Middleware(),
		),
	)
	if err != nil {
		return nil, fmt.Errorf("ssh server: %w", err)
	}
	s.srv = srv
	return s, nil
}

// checkKey authenticates a key against the authorized-keys file.
func (s *Server) checkKey(ctx ssh.Context, key ssh.PublicKey) bool {
	rk, ok := s.keys.lookup(key)
	if !ok {
		s.log.Warn("refused unknown key", "fingerprint", gossh.FingerprintSHA256(key), "user", ctx.User(), "remote", ctx.RemoteAddr())
		return false
	}
	// The last key offered is the one that authenticated (x/crypto keeps
	// one cached key since the CVE-2024-45337 fix), so this is safe.
	ctx.SetValue(ctxReviewer, rk.name)
	ctx.SetValue(ctxReadOnly, rk.readOnly)
	return true
}

// limit refuses sessions beyond the maximum.
func (s *Server) limit(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		s.mu.Lock()
		n := len(s.sessions)
		s.mu.Unlock()
		if n >= s.cfg.MaxSessions {
			s.log.Warn("refused session: server full", "max", s.cfg.MaxSessions, "remote", sess.RemoteAddr())
			wish.Fatalln(sess, fmt.Sprintf("charter: the server is full (%d sessions); try again later", s.cfg.MaxSessions))
			return
		}
		next(sess)
	}
}

// newSession builds one reviewer's workbench.
func (s *Server) newSession(sess ssh.Session) (tea.Model, []tea.ProgramOption) {
	who, _ := sess.Context().Value(ctxReviewer).(string)
	ro, _ := sess.Context().Value(ctxReadOnly).(bool)
	if who == "" {
		return nil, nil
	}
	opts := Options{
		Signatories: s.cfg.Signatories,
		Audit:       s.cfg.Audit,
		Events:      s.cfg.Events,
		Reviewer:    who,
		ReadOnly:    ro,
		DBPath:      s.cfg.DBPath,
	}
	if ro {
		opts.Signatories = model.ReadOnlySignatories{Next: s.cfg.Signatories}
		opts.Audit = model.ReadOnlyAudit{Next: s.cfg.Audit}
	}
	app := New(opts)
	app.logWrite = func(what string, kv ...any) {
		s.log.Info(what, append([]any{"reviewer", who}, kv...)...)
	}
	s.mu.Lock()
	s.sessions[sess] = app
	s.mu.Unlock()
	s.log.Info("login", "reviewer", who, "read_only", ro, "fingerprint", gossh.FingerprintSHA256(sess.PublicKey()), "remote", sess.RemoteAddr())
	if s.cfg.wrapModel != nil {
		return s.cfg.wrapModel(app), nil
	}
	return app, nil
}

// cleanup runs when a session's program has ended (the connection's
// context is not cancelled then, so it cannot be relied on).
func (s *Server) cleanup(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		next(sess)
		s.mu.Lock()
		app := s.sessions[sess]
		delete(s.sessions, sess)
		s.mu.Unlock()
		if app != nil {
			app.Close()
			s.log.Info("logout", "reviewer", app.opts.Reviewer, "remote", sess.RemoteAddr())
		}
	}
}

// Sessions is the number of open sessions.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}

// ListenAndServe listens on the configured address.
func (s *Server) ListenAndServe() error {
	s.log.Info("listening", "addr", s.cfg.Addr, "host_key", s.cfg.HostKey, "authorized_keys", s.cfg.AuthorizedKeys)
	err := s.srv.ListenAndServe()
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// Serve accepts connections on ln (tests use 127.0.0.1:0).
func (s *Server) Serve(ln net.Listener) error {
	err := s.srv.Serve(ln)
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown stops accepting, asks every session's program to finish (so
// saves in flight complete), and waits until ctx ends.
func (s *Server) Shutdown(ctx context.Context) error {
	s.log.Info("shutting down", "sessions", s.Sessions())
	err := s.srv.Shutdown(ctx)
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}
