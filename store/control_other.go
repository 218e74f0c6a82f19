//go:build !linux

package store

import (
	"errors"
	"net"
)

// peerUID cannot learn the peer's uid on this system, so the control
// socket refuses every connection rather than trust one it cannot check.
func peerUID(*net.UnixConn) (int, error) {
	return -1, errors.New("peer credentials are not available on this system")
}
