package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestEndToEndServeWithOpenSSH starts `charter serve`, connects with the
// OpenSSH client inside tmux, sees the workbench, rates nothing and quits.
func TestEndToEndServeWithOpenSSH(t *testing.T) {
	bin := buildBinary(t)
	if _, err := exec.LookPath("ssh"); err != nil {
		if os.Getenv("CHARTER_REQUIRE_E2E") != "" {
			t.Fatal("the OpenSSH client is required (CHARTER_REQUIRE_E2E is set) but not installed")
		}
		t.Skip("ssh not installed")
	}
	if _, err := exec.LookPath("ssh-keygen"); err != nil {
		t.Skip("ssh-keygen not installed")
	}
	dir := t.TempDir()
	key := filepath.Join(dir, "id_ed25519")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "e2e-reviewer@pcc", "-f", key).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v %s", err, out)
	}
	pub, _ := os.ReadFile(key + ".pub")
	keys := filepath.Join(dir, "authorized_keys")
	os.WriteFile(keys, append([]byte("not a key line\n"), pub...), 0o600)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, port, _ := net.SplitHostPort(addr)

	db := filepath.Join(dir, "serve.db")
	srv := exec.Command(bin, "--db", db, "serve", "--listen", addr, "--authorized-keys", keys)
	var logs strings.Builder
	srv.Stderr = &logs
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { srv.Process.Kill(); srv.Wait() }()
	for i := 0; i < 200; i++ {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			break
		}
		time.Sleep(25 * time.Millisecond)
	}

	sshCmd := fmt.Sprintf("ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR -i %s -p %s 127.0.0.1", key, port)
	tm := startTerm(t, "", sshCmd)
	tm.waitFor("reviewer: e2e-reviewer@pcc", "Organisation▲", "40 signatories")
	tm.keys("3")
	tm.waitFor("Civic Society · ROM", "answered")
	tm.keys("q")
	tm.waitExit()

	// SIGTERM shuts the server down cleanly.
	srv.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- srv.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("server exit: %v\n%s", err, logs.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("server did not stop\n%s", logs.String())
	}
	for _, want := range []string{"line 1:", "login reviewer=e2e-reviewer@pcc", "logout", "stopped"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("server log lacks %q:\n%s", want, logs.String())
		}
	}
}
