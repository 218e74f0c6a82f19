package server

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"
)

type ctxKey string

const (
	ctxPreAuth  ctxKey = "charter.preauth"
	ctxChannels ctxKey = "charter.channels"
)

// Bounds on what one logged-in connection may ask for. The SSH layer
// keeps every environment variable a client sends, and starts a goroutine
// per channel, with no limit of its own.
const (
	maxChannelsPerConn = 4
	maxEnvPerSession   = 64
	maxEnvBytes        = 16 << 10
)

// sessionChannel accepts a session channel within the per-connection
// limits, and hands it to the SSH layer's own session handling.
func (s *Server) sessionChannel(srv *ssh.Server, conn *gossh.ServerConn, nc gossh.NewChannel, ctx ssh.Context) {
	if n, ok := ctx.Value(ctxChannels).(*atomic.Int32); ok {
		if n.Add(1) > maxChannelsPerConn {
			n.Add(-1)
			nc.Reject(gossh.ResourceShortage, "too many sessions on one connection")
			return
		}
		// A connection lives as long as it has a session: once its last
		// one ends (a moment later, so the client reads the end), it is
		// closed rather than left open with nothing to do.
		defer func() {
			if n.Add(-1) == 0 {
				time.AfterFunc(time.Second, func() {
					if n.Load() == 0 {
						conn.Close()
					}
				})
			}
		}()
	}
	ssh.DefaultSessionHandler(srv, conn, limitedChannel{nc}, ctx)
}

// limitedChannel passes a channel's requests on, refusing environment
// variables beyond maxEnvPerSession or maxEnvBytes in all.
type limitedChannel struct{ gossh.NewChannel }

func (lc limitedChannel) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, reqs, err := lc.NewChannel.Accept()
	if err != nil {
		return ch, reqs, err
	}
	out := make(chan *gossh.Request)
	go func() {
		defer close(out)
		env, size := 0, 0
		for r := range reqs {
			if r.Type == "env" {
				env, size = env+1, size+len(r.Payload)
				if env > maxEnvPerSession || size > maxEnvBytes {
					r.Reply(false, nil)
					continue
				}
			}
			out <- r
		}
	}()
	return ch, out, nil
}

// preAuthConn is a connection that has not yet started a session. It
// holds one of the MaxUnauthenticated places until it does, or closes; if
// it has not started one by the login timeout, it is closed.
type preAuthConn struct {
	net.Conn
	s     *Server
	once  sync.Once
	timer *time.Timer
}

// admitConn runs for every new TCP connection, before the SSH handshake.
func (s *Server) admitConn(ctx ssh.Context, c net.Conn) net.Conn {
	if n := s.unauth.Add(1); n > int64(s.cfg.MaxUnauthenticated) {
		s.unauth.Add(-1)
		// One line a second at most: a flood must not flood the log.
		now := time.Now().UnixNano()
		if last := s.lastCrowd.Load(); now-last > int64(time.Second) && s.lastCrowd.CompareAndSwap(last, now) {
			s.log.Warn("refused connection: too many not yet logged in", "max", s.cfg.MaxUnauthenticated, "remote", c.RemoteAddr())
		}
		return nil
	}
	pa := &preAuthConn{Conn: c, s: s}
	pa.timer = time.AfterFunc(s.cfg.LoginTimeout, func() {
		pa.once.Do(func() {
			s.unauth.Add(-1)
			s.log.Warn("closed connection: no session within the login timeout", "timeout", s.cfg.LoginTimeout, "remote", c.RemoteAddr())
			c.Close()
		})
	})
	ctx.SetValue(ctxPreAuth, pa)
	ctx.SetValue(ctxChannels, new(atomic.Int32))
	return pa
}

// loggedIn frees the connection's place: it has a session.
func (pa *preAuthConn) loggedIn() {
	pa.once.Do(func() {
		pa.timer.Stop()
		pa.s.unauth.Add(-1)
	})
}

func (pa *preAuthConn) Close() error {
	pa.once.Do(func() {
		pa.timer.Stop()
		pa.s.unauth.Add(-1)
	})
	return pa.Conn.Close()
}

// loadHostKey reads the server's private key, creating an Ed25519 one
// (mode 0600) if there is none. Like sshd, it refuses a key that group or
// others may read: a host key anyone can read is anyone's to impersonate
// the server with.
func loadHostKey(path string) (gossh.Signer, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("host key: %w", err)
	}
	if _, err := os.Lstat(path); errors.Is(err, os.ErrNotExist) {
		if err := createHostKey(path); err != nil {
			return nil, fmt.Errorf("host key %s: %w", path, err)
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("host key: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("host key: %w", err)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("host key %s is readable by others (mode %04o); it must be private: chmod 600 %s", path, perm, path)
	}
	data := make([]byte, min(fi.Size(), 1<<20))
	if _, err := f.ReadAt(data, 0); err != nil {
		return nil, fmt.Errorf("host key: %w", err)
	}
	signer, err := gossh.ParsePrivateKey(data)
	if err != nil {
		return nil, fmt.Errorf("host key %s: %w", path, err)
	}
	return signer, nil
}

func createHostKey(path string) error {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	block, err := gossh.MarshalPrivateKey(priv, "charter serve host key")
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(pem.EncodeToMemory(block)); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}

// startWatch re-reads the authorized-keys file every keysPoll and ends the
// sessions of keys it no longer admits (removed, expired, the file gone)
// within about a second after that.
func (s *Server) startWatch() {
	s.mu.Lock()
	if s.watchDone == nil || s.closing {
		s.mu.Unlock()
		return
	}
	done := s.watchDone
	s.watchDone = nil
	s.mu.Unlock()
	go func() {
		defer close(done)
		t := time.NewTicker(s.cfg.keysPoll)
		defer t.Stop()
		for {
			select {
			case <-s.stopWatch:
				return
			case <-t.C:
			}
			s.revokeStale()
		}
	}()
}

func (s *Server) stopWatching() {
	s.closeOnce.Do(func() { close(s.stopWatch) })
}

// revokeStale checks every open session against the file as it is now.
func (s *Server) revokeStale() {
	table := s.keys.current()
	now := time.Now()
	s.mu.Lock()
	open := make([]*session, 0, len(s.sessions))
	for sess := range s.sessions {
		open = append(open, sess)
	}
	s.mu.Unlock()
	for _, sess := range open {
		if sess.revoked.Load() {
			continue
		}
		g, why := table.authorize(sess.key, sess.ip, now)
		if why == "" && g.readOnly == sess.readOnly && g.name == sess.name {
			continue
		}
		if why == "" {
			why = "the key's line changed (name or read-only)"
		}
		// Writes stop at once; the screen says why, then the session ends.
		sess.revoked.Store(true)
		s.log.Warn("session ended: key no longer authorised", "reviewer", sess.name, "why", why, "remote", sess.remote)
		s.end(sess, "Your key is no longer authorised on this server: this session ends.")
	}
}
