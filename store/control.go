package store

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// The control socket lets `charter backup` and `charter check` reach a
// database that another charter process holds (bbolt's file lock keeps a
// second process out). It lives beside the database as DB.sock.
//
// Only the holder's own user may use it, and that is enforced three ways:
// the socket is bound inside a fresh 0700 directory, made 0600 there and
// only then renamed into place, so there is no moment at which it is
// reachable by others whatever the umask; every peer's uid is read from
// the kernel (SO_PEERCRED) and compared with ours; and the client checks
// the server's uid the same way before trusting a reply. Requests are
// limited to the two the command line sends, one JSON object per
// connection.

// maxSocketPath is below the kernel's limit for unix socket paths (108
// bytes with the terminating NUL on Linux).
const maxSocketPath = 104

// maxRequest bounds a request line; the longest legitimate one is a
// backup request naming a path.
const maxRequest = 8 << 10

// socketWatch is how often the holder checks that its socket is still
// there, recreating it when it was removed.
const socketWatch = 500 * time.Millisecond

func socketPath(dbPath string) string { return dbPath + ".sock" }

type controlRequest struct {
	Op    string `json:"op"` // "backup" or "check"
	Dst   string `json:"dst,omitempty"`
	Force bool   `json:"force,omitempty"`
}

type controlReply struct {
	OK     bool         `json:"ok"`
	Error  string       `json:"error,omitempty"`
	Size   int64        `json:"size,omitempty"`
	SHA256 string       `json:"sha256,omitempty"`
	Faults []string     `json:"faults,omitempty"`
	Report *CheckReport `json:"report,omitempty"`
}

type controlServer struct {
	db   *DB
	path string

	mu      sync.Mutex
	ln      *net.UnixListener
	info    os.FileInfo // the socket file we made, to notice it being removed or replaced
	warn    func(string)
	pending []string // warnings raised before anyone asked for them
	failed  string   // the last warning, so a persistent failure is told once
	closed  bool

	stopWatch chan struct{}
	wg        sync.WaitGroup
}

// startControl listens beside the database. It is best effort: without a
// socket, backups of a busy database fail with a clear message instead,
// and the reason is kept as a warning for SetWarn.
func startControl(db *DB) *controlServer {
	cs := &controlServer{db: db, path: socketPath(db.path), stopWatch: make(chan struct{})}
	cs.mu.Lock()
	err := cs.listenLocked()
	cs.mu.Unlock()
	if err != nil {
		cs.warnf("%v", err)
	}
	cs.wg.Add(1)
	go cs.watch()
	return cs
}

// SetWarn sets where the control socket reports trouble (it cannot be
// made, it was removed and is being recreated). Warnings raised before
// this call, such as a path too long at Open, are passed on at once.
func (db *DB) SetWarn(warn func(msg string)) {
	cs := db.control
	if cs == nil {
		return
	}
	cs.mu.Lock()
	cs.warn = warn
	pending := cs.pending
	cs.pending = nil
	cs.mu.Unlock()
	for _, m := range pending {
		warn(m)
	}
}

// ControlSocket is the path of the control socket while it listens, and ""
// when it could not be made.
func (db *DB) ControlSocket() string {
	cs := db.control
	if cs == nil {
		return ""
	}
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if cs.ln == nil {
		return ""
	}
	return cs.path
}

func (cs *controlServer) warnf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	cs.mu.Lock()
	if msg == cs.failed {
		cs.mu.Unlock()
		return
	}
	cs.failed = msg
	warn := cs.warn
	if warn == nil && len(cs.pending) < 8 {
		cs.pending = append(cs.pending, msg)
	}
	cs.mu.Unlock()
	if warn != nil {
		warn(msg)
	}
}

// listenLocked makes the socket and starts accepting on it; cs.mu is held.
func (cs *controlServer) listenLocked() error {
	ln, info, err := listenPrivate(cs.path)
	if err != nil {
		return fmt.Errorf("control socket %s: %v; `charter backup`, `check`, `export` and `report` cannot reach this database while it is open", cs.path, err)
	}
	cs.ln, cs.info, cs.failed = ln, info, ""
	cs.wg.Add(1)
	go cs.accept(ln)
	return nil
}

// listenPrivate binds a unix socket at path with no window in which
// another user could connect: it is bound inside a new 0700 directory
// beside path, made 0600, and then renamed to path.
func listenPrivate(path string) (*net.UnixListener, os.FileInfo, error) {
	if len(path) > maxSocketPath {
		return nil, nil, fmt.Errorf("the path is %d bytes, longer than the %d a unix socket allows; open the database from a shorter path", len(path), maxSocketPath)
	}
	dir, err := os.MkdirTemp(filepath.Dir(path), ".csock")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(dir)
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, nil, err
	}
	tmp := filepath.Join(dir, "s")
	if len(tmp) > maxSocketPath {
		return nil, nil, fmt.Errorf("the path %s is longer than the %d bytes a unix socket allows; open the database from a shorter path", tmp, maxSocketPath)
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: tmp, Net: "unix"})
	if err != nil {
		return nil, nil, err
	}
	// We remove the file ourselves, and only if it is still ours.
	ln.SetUnlinkOnClose(false)
	fail := func(err error) (*net.UnixListener, os.FileInfo, error) {
		ln.Close()
		return nil, nil, err
	}
	if err := os.Chmod(tmp, 0o600); err != nil {
		return fail(err)
	}
	// We hold the database's lock, so anything at path is stale (or not
	// ours to honour): replace it.
	if fi, err := os.Lstat(path); err == nil && fi.IsDir() {
		return fail(fmt.Errorf("%s is a directory", path))
	}
	if err := os.Rename(tmp, path); err != nil {
		return fail(err)
	}
	info, err := os.Lstat(path)
	if err != nil {
		return fail(err)
	}
	return ln, info, nil
}

// watch recreates the socket when it disappears (or is replaced), so a
// long-running server stays reachable by backups.
func (cs *controlServer) watch() {
	defer cs.wg.Done()
	t := time.NewTicker(socketWatch)
	defer t.Stop()
	for {
		select {
		case <-cs.stopWatch:
			return
		case <-t.C:
		}
		cs.mu.Lock()
		if cs.closed {
			cs.mu.Unlock()
			return
		}
		var lost bool
		if cs.ln != nil {
			fi, err := os.Lstat(cs.path)
			if err == nil && os.SameFile(fi, cs.info) {
				cs.mu.Unlock()
				continue
			}
			cs.ln.Close()
			cs.ln, cs.info, lost = nil, nil, true
		}
		err := cs.listenLocked()
		cs.mu.Unlock()
		if lost {
			cs.warnf("control socket %s was removed or replaced; made it again", cs.path)
		}
		if err != nil {
			cs.warnf("%v", err)
		}
	}
}

func (cs *controlServer) accept(ln *net.UnixListener) {
	defer cs.wg.Done()
	uid := os.Getuid()
	for {
		conn, err := ln.AcceptUnix()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return
		}
		// The filesystem already keeps others out; this is the second
		// lock, and the one that holds even if the socket's directory or
		// mode were changed under us.
		if peer, err := peerUID(conn); err != nil || peer != uid {
			conn.Close()
			continue
		}
		cs.wg.Add(1)
		go func() {
			defer cs.wg.Done()
			cs.serve(conn)
		}()
	}
}

func (cs *controlServer) stop() {
	cs.mu.Lock()
	cs.closed = true
	ln, info := cs.ln, cs.info
	cs.ln = nil
	cs.mu.Unlock()
	close(cs.stopWatch)
	if ln != nil {
		ln.Close()
		// Remove the socket only if it is still the one we made.
		if fi, err := os.Lstat(cs.path); err == nil && os.SameFile(fi, info) {
			os.Remove(cs.path)
		}
	}
	cs.wg.Wait()
}

func (cs *controlServer) serve(conn net.Conn) {
	defer conn.Close()
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	line, err := bufio.NewReaderSize(io.LimitReader(conn, maxRequest), maxRequest).ReadBytes('\n')
	if err != nil {
		return
	}
	conn.SetReadDeadline(time.Time{})
	conn.SetWriteDeadline(time.Now().Add(30 * time.Minute))
	var req controlRequest
	reply := func(r controlReply) { json.NewEncoder(conn).Encode(r) }
	if err := json.Unmarshal(line, &req); err != nil {
		reply(controlReply{Error: "unreadable request"})
		return
	}
	switch req.Op {
	case "backup":
		if !filepath.IsAbs(req.Dst) || filepath.Clean(req.Dst) != req.Dst {
			reply(controlReply{Error: "the backup destination must be a clean absolute path"})
			return
		}
		size, sum, err := cs.db.backupTo(req.Dst, req.Force)
		if err != nil {
			reply(controlReply{Error: err.Error()})
			return
		}
		reply(controlReply{OK: true, Size: size, SHA256: sum})
	case "check":
		rep, faults, err := cs.db.checkLive()
		if err != nil {
			reply(controlReply{Error: err.Error()})
			return
		}
		reply(controlReply{OK: true, Report: &rep, Faults: faults})
	default:
		reply(controlReply{Error: "unknown request"})
	}
}

// ask sends one request to the process holding dbPath and reads its
// reply, after making sure the process answering runs as our own user.
func ask(dbPath string, req controlRequest, timeout time.Duration) (controlReply, error) {
	if timeout <= 0 {
		timeout = time.Minute
	}
	path := socketPath(dbPath)
	conn, err := net.DialTimeout("unix", path, time.Second)
	if err != nil {
		return controlReply{}, fmt.Errorf("no charter process answers at %s: %w", path, err)
	}
	defer conn.Close()
	uc, ok := conn.(*net.UnixConn)
	if !ok {
		return controlReply{}, fmt.Errorf("%s is not a unix socket", path)
	}
	if peer, err := peerUID(uc); err != nil {
		return controlReply{}, fmt.Errorf("%s: cannot tell who answers: %w", path, err)
	} else if peer != os.Getuid() {
		return controlReply{}, fmt.Errorf("%s is answered by another user (uid %d); not trusting it", path, peer)
	}
	conn.SetDeadline(time.Now().Add(timeout))
	data, _ := json.Marshal(req)
	if _, err := conn.Write(append(data, '\n')); err != nil {
		return controlReply{}, err
	}
	var rep controlReply
	if err := json.NewDecoder(io.LimitReader(conn, 1<<20)).Decode(&rep); err != nil {
		return controlReply{}, fmt.Errorf("no reply from the charter process: %w", err)
	}
	if !rep.OK {
		if rep.Error == "" {
			rep.Error = "refused"
		}
		return rep, errors.New(rep.Error)
	}
	return rep, nil
}
