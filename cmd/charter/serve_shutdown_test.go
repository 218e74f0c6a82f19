package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestServeSIGTERMWithSessionsOpen starts `charter serve`, opens two SSH
// sessions, and sends SIGTERM: both sessions are told and closed, the
// process exits 0 within its 10 s shutdown, and the database it closed
// passes a check.
func TestServeSIGTERMWithSessionsOpen(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	signer, _ := gossh.NewSignerFromKey(priv)
	keys := filepath.Join(dir, "authorized_keys")
	os.WriteFile(keys, append(bytes.TrimSpace(gossh.MarshalAuthorizedKey(signer.PublicKey())), []byte(" sig@pcc\n")...), 0o600)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	db := filepath.Join(dir, "serve.db")
	srv := exec.Command(bin, "--db", db, "serve", "--listen", addr, "--authorized-keys", keys)
	var logs lockedBuffer
	srv.Stderr = &logs
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { srv.Process.Kill(); srv.Wait() }()

	var outs []*lockedBuffer
	var waits []chan error
	for i := 0; i < 2; i++ {
		var client *gossh.Client
		for try := 0; try < 200; try++ {
			client, err = gossh.Dial("tcp", addr, &gossh.ClientConfig{User: "r", Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)},
				HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second})
			if err == nil {
				break
			}
			time.Sleep(25 * time.Millisecond)
		}
		if err != nil {
			t.Fatalf("dial: %v\n%s", err, logs.String())
		}
		defer client.Close()
		sess, err := client.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		out := &lockedBuffer{}
		sess.Stdout, sess.Stderr = out, out
		sess.RequestPty("xterm-256color", 24, 80, gossh.TerminalModes{})
		if err := sess.Shell(); err != nil {
			t.Fatal(err)
		}
		w := make(chan error, 1)
		go func() { w <- sess.Wait() }()
		outs, waits = append(outs, out), append(waits, w)
	}
	waitOut := func(out *lockedBuffer, text string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for !strings.Contains(ansi.Strip(out.String()), text) {
			if time.Now().After(deadline) {
				t.Fatalf("session never showed %q:\n%s", text, ansi.Strip(out.String()))
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	for _, out := range outs {
		waitOut(out, "reviewer: sig@pcc")
	}

	start := time.Now()
	srv.Process.Signal(syscall.SIGTERM)
	exited := make(chan error, 1)
	go func() { exited <- srv.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("server exit: %v\n%s", err, logs.String())
		}
	case <-time.After(12 * time.Second):
		t.Fatalf("server still running 12 s after SIGTERM\n%s", logs.String())
	}
	t.Logf("server exited %v after SIGTERM with 2 sessions open", time.Since(start).Round(time.Millisecond))
	for i, out := range outs {
		waitOut(out, "shutting down")
		select {
		case <-waits[i]:
		case <-time.After(2 * time.Second):
			t.Fatalf("session %d still open after the server exited", i)
		}
	}
	for _, want := range []string{"shutting down sessions=2", "logout reviewer=sig@pcc", "stopped"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}
	if out, err := exec.Command(bin, "--db", db, "check").CombinedOutput(); err != nil {
		t.Fatalf("check after shutdown: %v\n%s", err, out)
	}
}
