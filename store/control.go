package store

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// The control socket lets `charter backup` copy a database that another
// charter process holds (bbolt's file lock keeps a second process out). It
// lives beside the database, is only reachable by the same user (mode
// 0600), and understands one request: "backup <absolute path>".

// maxSocketPath is below the kernel's limit for unix socket paths.
const maxSocketPath = 100

func socketPath(dbPath string) string { return dbPath + ".sock" }

type controlServer struct {
	ln   net.Listener
	path string
	wg   sync.WaitGroup
}

// startControl listens beside the database. It is best effort: without a
// socket, backups of a busy database fail with a clear message instead.
func startControl(db *DB) *controlServer {
	path := socketPath(db.path)
	if len(path) > maxSocketPath {
		return nil
	}
	// We hold the database's lock, so any socket left here is stale.
	os.Remove(path)
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil
	}
	os.Chmod(path, 0o600)
	cs := &controlServer{ln: ln, path: path}
	cs.wg.Add(1)
	go func() {
		defer cs.wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			cs.wg.Add(1)
			go func() {
				defer cs.wg.Done()
				serveControl(db, conn)
			}()
		}
	}()
	return cs
}

func (cs *controlServer) stop() {
	cs.ln.Close()
	cs.wg.Wait()
	os.Remove(cs.path)
}

func serveControl(db *DB, conn net.Conn) {
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Minute))
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return
	}
	cmd, arg, _ := strings.Cut(strings.TrimSpace(line), " ")
	if cmd != "backup" || !filepath.IsAbs(arg) {
		fmt.Fprintf(conn, "error unknown request\n")
		return
	}
	if err := db.Backup(arg); err != nil {
		fmt.Fprintf(conn, "error %s\n", strings.ReplaceAll(err.Error(), "\n", " "))
		return
	}
	fmt.Fprintf(conn, "ok\n")
}

func requestBackup(dbPath, dst string, timeout time.Duration) error {
	if timeout <= 0 {
		timeout = time.Minute
	}
	conn, err := net.DialTimeout("unix", socketPath(dbPath), time.Second)
	if err != nil {
		return fmt.Errorf("no charter process answers at %s: %w", socketPath(dbPath), err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(timeout))
	if _, err := fmt.Fprintf(conn, "backup %s\n", dst); err != nil {
		return err
	}
	reply, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return fmt.Errorf("no reply from the charter process: %w", err)
	}
	reply = strings.TrimSpace(reply)
	if reply == "ok" {
		return nil
	}
	return errors.New(strings.TrimPrefix(reply, "error "))
}
