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
	"github.com/spf13/cobra"

	"charter/tui/server"
)

func newServeCmd(e *env, g *globals) *cobra.Command {
	var listen, keys, hostKey string
	var maxSessions int
	var idle, login time.Duration
	cmd := &cobra.Command{
		Use:   "serve --authorized-keys FILE",
		Short: "Serve the workbench to the group over SSH",
		Long: `Serve the workbench over SSH: each reviewer logs in with a public key listed
in the authorized-keys file (named by the key's comment) and gets their own
workbench on the one shared database, with every edit recorded under their
name and everyone's screen following. Prefix a key's line with
charter-readonly for a read-only observer. The file is re-read when it changes. Creates and
seeds the database if there is none.`,
		Example: `
charter serve --authorized-keys team_keys --listen 0.0.0.0:2323
ssh -p 2323 workbench-host
`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 0 {
				return usagef(cmd, "serve takes no arguments")
			}
			if keys == "" {
				return usagef(cmd, "serve needs --authorized-keys FILE (public keys are the only way in)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runServe(e, g, server.Config{Addr: listen, AuthorizedKeys: keys, HostKey: hostKey,
				MaxSessions: maxSessions, IdleTimeout: idle, LoginTimeout: login})
		},
	}
	g.dbFlag(cmd)
	f := cmd.Flags()
	f.StringVar(&listen, "listen", "127.0.0.1:2323", "address to listen on")
	f.StringVar(&keys, "authorized-keys", "", "OpenSSH authorized-keys file: one reviewer per key, named by the key's comment")
	f.StringVar(&hostKey, "host-key", "", "server's private key file, created (mode 0600) on first start (default: ssh_host_ed25519 beside the database)")
	f.IntVar(&maxSessions, "max-sessions", 50, "most sessions at once")
	f.DurationVar(&idle, "idle-timeout", 30*time.Minute, "end sessions idle this long")
	f.DurationVar(&login, "login-timeout", 20*time.Second, "close connections that have not logged in by then")
	_ = cmd.MarkFlagFilename("authorized-keys")
	_ = cmd.MarkFlagFilename("host-key")
	return cmd
}

func runServe(e *env, g *globals, cfg server.Config) error {
	if cfg.HostKey == "" {
		cfg.HostKey = filepath.Join(filepath.Dir(g.path()), "ssh_host_ed25519")
	}
	logger := log.NewWithOptions(e.stderr, log.Options{ReportTimestamp: true, Prefix: "charter serve"})
	db, err := g.open()
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetWarn(func(msg string) { logger.Warn(msg) })
	cfg.Signatories, cfg.Audit, cfg.Events, cfg.DBPath, cfg.Logger = db, db, db, db.Path(), logger
	srv, err := server.New(cfg)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	done := make(chan error, 1)
	go func() { done <- srv.ListenAndServe() }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("serve: %w", err)
		}
		return nil
	case <-ctx.Done():
	}
	// Let sessions finish what they are saving, then close the database.
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		logger.Warn("shutdown", "err", err)
	}
	logger.Info("stopped")
	return nil
}
