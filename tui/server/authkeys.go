package server

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"net/netip"
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

// keyLine is one usable (or refused) line of the authorized-keys file.
type keyLine struct {
	line     int
	key      gossh.PublicKey
	name     string // the key's comment, or its fingerprint when it has none
	readOnly bool
	from     []string  // from= patterns; nil when the line has none
	expiry   time.Time // expiry-time=; zero when none
	refused  string    // why this line can never admit anyone; "" when usable
}

// Options that charter honours, and options that ask for nothing charter
// offers (it never forwards ports, agents or X11 and runs no rc files),
// so they hold by themselves. Every other option — restrict, command=,
// no-pty, permitopen=, permitlisten=, principals=, tunnel=, environment=,
// cert-authority, … — can only be honoured by refusing the key.
var permissive = map[string]bool{
	"no-port-forwarding":  true,
	"no-agent-forwarding": true,
	"no-x11-forwarding":   true,
	"no-user-rc":          true,
	"port-forwarding":     true,
	"agent-forwarding":    true,
	"x11-forwarding":      true,
	"user-rc":             true,
	"pty":                 true,
}

// parseAuthorizedKeys reads the OpenSSH format line by line. A line that
// does not parse is reported and skipped: it never locks anyone else out.
// A line with an option charter cannot honour is kept, refused, and
// reported with its line number and option.
func parseAuthorizedKeys(data []byte) (lines []keyLine, problems []string) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		pub, comment, options, _, err := gossh.ParseAuthorizedKey([]byte(text))
		if err != nil {
			problems = append(problems, fmt.Sprintf("line %d: %v", n, err))
			continue
		}
		kl := keyLine{line: n, key: pub, name: strings.TrimSpace(comment)}
		if kl.name == "" {
			kl.name = gossh.FingerprintSHA256(pub)
		}
		for _, o := range options {
			if why := kl.applyOption(o); why != "" && kl.refused == "" {
				kl.refused = why
			}
		}
		if kl.refused != "" {
			problems = append(problems, fmt.Sprintf("line %d: key %s refused: %s", n, kl.name, kl.refused))
		}
		lines = append(lines, kl)
	}
	if err := sc.Err(); err != nil {
		problems = append(problems, fmt.Sprintf("after the last line read: %v", err))
	}
	return lines, problems
}

// applyOption takes in one option; it returns why the key must be refused
// because of it, or "".
func (kl *keyLine) applyOption(opt string) string {
	name, value, hasValue := strings.Cut(opt, "=")
	name = strings.ToLower(strings.TrimSpace(name))
	if hasValue {
		v, ok := unquote(value)
		if !ok {
			return fmt.Sprintf("option %s= has a badly quoted value", name)
		}
		value = v
	}
	switch {
	case name == ReadOnlyOption && !hasValue:
		kl.readOnly = true
	case name == "from" && hasValue:
		pats := strings.Split(value, ",")
		for i, p := range pats {
			p = strings.TrimSpace(p)
			pats[i] = p
			bare := strings.TrimPrefix(p, "!")
			if bare == "" {
				return "option from= has an empty pattern"
			}
			if strings.Contains(bare, "/") {
				if _, err := netip.ParsePrefix(bare); err != nil {
					return fmt.Sprintf("option from= has an invalid address/masklen %q", bare)
				}
			}
		}
		kl.from = append(kl.from, pats...)
	case name == "expiry-time" && hasValue:
		t, err := parseExpiry(value)
		if err != nil {
			return fmt.Sprintf("option expiry-time=%q: %v", value, err)
		}
		if kl.expiry.IsZero() || t.Before(kl.expiry) {
			kl.expiry = t
		}
	case permissive[name] && !hasValue:
	default:
		shown := name
		if hasValue {
			shown += "="
		}
		return fmt.Sprintf("option %s cannot be honoured by charter, so the key is refused (remove the option, or the line)", shown)
	}
	return ""
}

// unquote removes the double quotes around an option's value, with the
// backslash-escaped quotes sshd allows inside.
func unquote(v string) (string, bool) {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return v, !strings.Contains(v, `"`)
	}
	v = v[1 : len(v)-1]
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == '\\' && i+1 < len(v) && v[i+1] == '"' {
			i++
		} else if v[i] == '"' {
			return "", false
		}
		b.WriteByte(v[i])
	}
	return b.String(), true
}

// parseExpiry reads sshd's YYYYMMDD[HHMM[SS]] in the system's time zone,
// or in UTC with a trailing Z.
func parseExpiry(v string) (time.Time, error) {
	loc := time.Local
	if strings.HasSuffix(v, "Z") || strings.HasSuffix(v, "z") {
		loc, v = time.UTC, v[:len(v)-1]
	}
	layouts := map[int]string{8: "20060102", 12: "200601021504", 14: "20060102150405"}
	layout, ok := layouts[len(v)]
	if !ok {
		return time.Time{}, fmt.Errorf("want YYYYMMDD, YYYYMMDDHHMM or YYYYMMDDHHMMSS (Z for UTC)")
	}
	return time.ParseInLocation(layout, v, loc)
}

// fromAllows applies sshd's from= rule to an address: some pattern must
// match it and no negated pattern may. A pattern is an address, an
// address/masklen, or a wildcard (* and ?) matched against the address
// written out. Host names are never looked up (as with sshd's default
// UseDNS no), so a name pattern matches nothing.
func fromAllows(patterns []string, ip netip.Addr) bool {
	ip = ip.Unmap()
	host := ip.String()
	allowed := false
	for _, p := range patterns {
		neg := strings.HasPrefix(p, "!")
		p = strings.TrimPrefix(p, "!")
		var m bool
		if strings.Contains(p, "/") {
			pre, err := netip.ParsePrefix(p)
			if err != nil {
				return false
			}
			m = pre.Contains(ip)
		} else if a, err := netip.ParseAddr(p); err == nil {
			m = a.Unmap() == ip
		} else {
			m = wildcard(strings.ToLower(p), strings.ToLower(host))
		}
		if m && neg {
			return false
		}
		allowed = allowed || m
	}
	return allowed
}

// wildcard matches s against a pattern where * is any run of characters
// and ? any one.
func wildcard(p, s string) bool {
	for len(p) > 0 {
		switch p[0] {
		case '*':
			for len(p) > 0 && p[0] == '*' {
				p = p[1:]
			}
			if p == "" {
				return true
			}
			for i := 0; i <= len(s); i++ {
				if wildcard(p, s[i:]) {
					return true
				}
			}
			return false
		case '?':
			if s == "" {
				return false
			}
		default:
			if s == "" || s[0] != p[0] {
				return false
			}
		}
		p, s = p[1:], s[1:]
	}
	return s == ""
}

// remoteIP is the address a connection came from.
func remoteIP(a net.Addr) netip.Addr {
	if ap, err := netip.ParseAddrPort(a.String()); err == nil {
		return ap.Addr().Unmap()
	}
	if ta, ok := a.(*net.TCPAddr); ok {
		if ip, ok := netip.AddrFromSlice(ta.IP); ok {
			return ip.Unmap()
		}
	}
	return netip.Addr{}
}

// grant is what an authorised key gets.
type grant struct {
	line     int
	name     string
	readOnly bool
}

// authorize decides whether key may log in (or stay logged in) from ip at
// now. As sshd does, every line holding the key is tried in order and the
// first that admits it wins; refused lines admit no one.
func (t *keyTable) authorize(key gossh.PublicKey, ip netip.Addr, now time.Time) (grant, string) {
	if t == nil || t.failed != "" {
		why := "the authorized-keys file cannot be read"
		if t != nil {
			why = t.failed
		}
		return grant{}, why
	}
	lines := t.byKey[string(key.Marshal())]
	if len(lines) == 0 {
		return grant{}, "the key is not in the authorized-keys file"
	}
	why := ""
	for _, kl := range lines {
		switch {
		case kl.refused != "":
			why = fmt.Sprintf("line %d: %s", kl.line, kl.refused)
		case !kl.expiry.IsZero() && now.After(kl.expiry):
			why = fmt.Sprintf("line %d: the key expired at %s", kl.line, kl.expiry.Format(time.RFC3339))
		case kl.from != nil && !fromAllows(kl.from, ip):
			why = fmt.Sprintf("line %d: from=%q does not admit %s", kl.line, strings.Join(kl.from, ","), ip)
		default:
			return grant{line: kl.line, name: kl.name, readOnly: kl.readOnly}, ""
		}
	}
	return grant{}, why
}

// keyTable is one reading of the file.
type keyTable struct {
	byKey  map[string][]keyLine
	failed string // set when the file could not be read: it admits no one
}

// authorizedKeys holds the authorized-keys file, re-read whenever it
// changes. A missing or unreadable file admits no one until it is back.
type authorizedKeys struct {
	path string
	log  func(warn bool, msg string, kv ...any)

	mu    sync.Mutex
	data  []byte
	table *keyTable
}

func newAuthorizedKeys(path string, log func(bool, string, ...any)) (*authorizedKeys, error) {
	a := &authorizedKeys{path: path, log: log}
	if _, err := os.ReadFile(path); err != nil {
		return nil, fmt.Errorf("authorized keys: %w", err)
	}
	a.current()
	return a, nil
}

// current re-reads the file and returns the table it holds now. The file
// is small and read whole each time: comparing its bytes catches every
// edit, even one that keeps the size and the modification time.
func (a *authorizedKeys) current() *keyTable {
	data, err := os.ReadFile(a.path)
	a.mu.Lock()
	defer a.mu.Unlock()
	if err != nil {
		msg := fmt.Sprintf("cannot read %s (%v): admitting no one until it is back", a.path, err)
		if a.table == nil || a.table.failed != msg {
			a.log(true, "authorized keys unreadable; admitting no one", "file", a.path, "err", err)
			a.table, a.data = &keyTable{failed: msg}, nil
		}
		return a.table
	}
	if a.table != nil && a.table.failed == "" && bytes.Equal(data, a.data) {
		return a.table
	}
	lines, problems := parseAuthorizedKeys(data)
	for _, p := range problems {
		a.log(true, "authorized keys: line not used", "file", a.path, "problem", p)
	}
	t := &keyTable{byKey: map[string][]keyLine{}}
	usable := 0
	for _, kl := range lines {
		k := string(kl.key.Marshal())
		t.byKey[k] = append(t.byKey[k], kl)
		if kl.refused == "" {
			usable++
		}
	}
	a.table, a.data = t, data
	a.log(false, "authorized keys loaded", "file", a.path, "keys", usable, "refused", len(lines)-usable)
	return t
}
