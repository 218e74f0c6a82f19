package tui

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// ReadOnlyOption marks an observer in the authorized-keys file, in the
// place OpenSSH puts key options:
//
//	charter-readonly ssh-ed25519 AAAA… sam@pcc
const ReadOnlyOption = "charter-readonly"

// reviewerKey is one authorised key.
type reviewerKey struct {
	key      gossh.PublicKey
	name     string // the key's comment, or its fingerprint when it has none
	readOnly bool
}

// authorizedKeys holds the authorized-keys file, re-read whenever it
// changes. A line that does not parse is reported with its number and
// skipped: it never locks anyone else out.
type authorizedKeys struct {
	path string
	log  func(warn bool, msg string, kv ...any)

	mu      sync.Mutex
	modTime time.Time
	size    int64
	keys    map[string]reviewerKey // by marshalled key
}

func newAuthorizedKeys(path string, log func(bool, string, ...any)) (*authorizedKeys, error) {
	a := &authorizedKeys{path: path, log: log}
	if err := a.reload(); err != nil {
		return nil, err
	}
	return a, nil
}

// reload re-reads the file if it changed since the last read.
func (a *authorizedKeys) reload() error {
	st, err := os.Stat(a.path)
	if err != nil {
		return fmt.Errorf("authorized keys: %w", err)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.keys != nil && st.ModTime().Equal(a.modTime) && st.Size() == a.size {
		return nil
	}
	data, err := os.ReadFile(a.path)
	if err != nil {
		return fmt.Errorf("authorized keys: %w", err)
	}
	keys, problems := parseAuthorizedKeys(data)
	for _, p := range problems {
		a.log(true, "authorized keys: line skipped", "file", a.path, "problem", p)
	}
	a.keys, a.modTime, a.size = keys, st.ModTime(), st.Size()
	a.log(false, "authorized keys loaded", "file", a.path, "keys", len(keys))
	return nil
}

// lookup finds the reviewer a key belongs to, re-reading the file first if
// it changed.
func (a *authorizedKeys) lookup(k gossh.PublicKey) (reviewerKey, bool) {
	if err := a.reload(); err != nil {
		a.log(true, "authorized keys unreadable; keeping the last good copy", "err", err)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	rk, ok := a.keys[string(k.Marshal())]
	return rk, ok
}

// parseAuthorizedKeys reads the OpenSSH format line by line.
func parseAuthorizedKeys(data []byte) (map[string]reviewerKey, []string) {
	keys := map[string]reviewerKey{}
	var problems []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		pub, comment, options, _, err := gossh.ParseAuthorizedKey([]byte(line))
		if err != nil {
			problems = append(problems, fmt.Sprintf("line %d: %v", n, err))
			continue
		}
		rk := reviewerKey{key: pub, name: strings.TrimSpace(comment)}
		for _, o := range options {
			if strings.EqualFold(strings.TrimSpace(o), ReadOnlyOption) {
				rk.readOnly = true
			}
		}
		if rk.name == "" {
			rk.name = gossh.FingerprintSHA256(pub)
		}
		keys[string(pub.Marshal())] = rk
	}
	return keys, problems
}
