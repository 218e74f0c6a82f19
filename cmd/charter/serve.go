package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"charm.land/log/v2"

	"charter/tui"
)

func runServe(e *env, g *globals, args []string) int {
	fs := subFlags(e, g, "serve", "serve --authorized-keys FILE [--listen ADDR] [--host-key FILE] [--max-sessions N] [--idle-timeout D]")
	listen := fs.String("listen", "127.0.0.1:2323", "`address` to listen on")
	keys := fs.String("authorized-keys", "", "OpenSSH authorized-keys `file`: one reviewer per key, named by the key's comment; prefix a line with "+tui.ReadOnlyOption+" for a read-only observer")
	hostKey := fs.String("host-key", "", "server's private key `file`, created (mode 0600) on first start (default: ssh_host_ed25519 beside the database)")
	maxSessions := fs.Int("max-sessions", 50, "most sessions at once")
	idle := fs.Duration("idle-timeout", 30*time.Minute, "end sessions idle this long")
	if code, done := parseSub(fs, e, args); done {
		return code
	}
	if *keys == "" {
		return usageError(e, "serve needs --authorized-keys FILE (public keys are the only way in)")
	}
	if fs.NArg() != 0 {
		return usageError(e, "serve takes no arguments")
	}
	if *hostKey == "" {
		*hostKey = filepath.Join(filepath.Dir(g.db), "ssh_host_ed25519")
	}
	logger := log.NewWithOptions(e.stderr, log.Options{ReportTimestamp: true, Prefix: "charter serve"})
	db, err := g.open(false)
	if err != nil {
		return fail(e, err)
	}
	defer db.Close()
	srv, err := tui.NewServer(tui.ServeConfig{
		Addr: *listen, AuthorizedKeys: *keys, HostKey: *hostKey, MaxSessions: *maxSessions, IdleTimeout: *idle,
		Signatories: db, Audit: db, Events: db, DBPath: db.Path(), Logger: logger,
	})
	if err != nil {
		return fail(e, err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	done := make(chan error, 1)
	go func() { done <- srv.ListenAndServe() }()
	select {
	case err := <-done:
		if err != nil {
			return fail(e, fmt.Errorf("serve: %w", err))
		}
		return exitOK
	case <-ctx.Done():
	}
	// Let sessions finish what they are saving, then close the database.
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		logger.Warn("shutdown", "err", err)
	}
	logger.Info("stopped")
	return exitOK
}
