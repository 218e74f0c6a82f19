package server

import (
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestFromPatterns(t *testing.T) {
	ip := netip.MustParseAddr
	cases := []struct {
		pats string
		addr string
		want bool
	}{
		{"10.9.9.9", "127.0.0.1", false},
		{"10.9.9.9", "10.9.9.9", true},
		{"127.0.0.1", "::ffff:127.0.0.1", true},
		{"127.0.0.*", "127.0.0.1", true},
		{"127.0.0.?", "127.0.0.1", true},
		{"127.0.0.?", "127.0.0.12", false},
		{"127.0.0.0/8", "127.200.1.1", true},
		{"10.0.0.0/8", "127.0.0.1", false},
		{"10.0.0.0/8,127.0.0.0/8", "127.0.0.1", true},
		{"*,!127.0.0.1", "127.0.0.1", false},
		{"*,!127.0.0.1", "127.0.0.2", true},
		{"!10.*,127.*", "127.0.0.1", true},
		{"!127.0.0.0/24,*", "127.0.0.9", false},
		{"!10.0.0.1", "127.0.0.1", false}, // only negations: nothing admits
		{"*.example.org", "127.0.0.1", false},
		{"2001:db8::/32", "2001:db8::1", true},
		{"2001:db8::/32", "127.0.0.1", false},
		{"fe80::*", "FE80::1", true},
	}
	for _, c := range cases {
		kl := keyLine{}
		if why := kl.applyOption(`from="` + c.pats + `"`); why != "" {
			t.Fatalf("from=%q refused: %s", c.pats, why)
		}
		if got := fromAllows(kl.from, ip(c.addr)); got != c.want {
			t.Errorf("from=%q for %s: got %v, want %v", c.pats, c.addr, got, c.want)
		}
	}
}

func TestExpiryTime(t *testing.T) {
	for v, want := range map[string]time.Time{
		"20200101":         time.Date(2020, 1, 1, 0, 0, 0, 0, time.Local),
		"202001021304":     time.Date(2020, 1, 2, 13, 4, 0, 0, time.Local),
		"20200102130405Z":  time.Date(2020, 1, 2, 13, 4, 5, 0, time.UTC),
		"20991231235959":   time.Date(2099, 12, 31, 23, 59, 59, 0, time.Local),
		"2020010213040":    {},
		"tomorrow":         {},
		"20201301":         {},
		"20200101120000ZZ": {},
	} {
		got, err := parseExpiry(v)
		if want.IsZero() {
			if err == nil {
				t.Errorf("%q accepted as %v", v, got)
			}
			continue
		}
		if err != nil || !got.Equal(want) {
			t.Errorf("%q: got %v %v, want %v", v, got, err, want)
		}
	}
}

func TestAuthorizedKeysOptions(t *testing.T) {
	k := newTestKey(t, "priya@pcc")
	lines := []string{
		`from="127.0.0.1" ` + k.line,
		`charter-readonly,no-port-forwarding,no-agent-forwarding,no-X11-forwarding,no-user-rc ` + k.line,
		`command="/bin/false",no-pty ` + k.line,
		`restrict ` + k.line,
		`permitopen="host:22" ` + k.line,
		`principals="a" ` + k.line,
		`tunnel="1" ` + k.line,
		`environment="A=b" ` + k.line,
		`cert-authority ` + k.line,
		`no-pty ` + k.line,
		`from="10.0.0.0/99" ` + k.line,
		`expiry-time="soon" ` + k.line,
		`some-new-option ` + k.line,
		`charter-readonly="yes" ` + k.line,
		`FROM="127.0.0.1" ` + k.line,
	}
	got, problems := parseAuthorizedKeys([]byte(strings.Join(lines, "\n")))
	if len(got) != len(lines) {
		t.Fatalf("%d lines kept of %d", len(got), len(lines))
	}
	usable := map[int]bool{1: true, 2: true, 15: true}
	for _, kl := range got {
		if usable[kl.line] != (kl.refused == "") {
			t.Errorf("line %d (%s): refused %q", kl.line, lines[kl.line-1][:20], kl.refused)
		}
	}
	if !got[1].readOnly || got[0].readOnly {
		t.Error("charter-readonly not read")
	}
	joined := strings.Join(problems, "\n")
	for _, want := range []string{"line 3: key priya@pcc refused: option command= cannot be honoured", "line 4: key priya@pcc refused: option restrict ",
		"line 5: key priya@pcc refused: option permitopen=", "line 10: key priya@pcc refused: option no-pty ", "line 11:", "line 12:", "line 13:", "line 14:"} {
		if !strings.Contains(joined, want) {
			t.Errorf("problems lack %q:\n%s", want, joined)
		}
	}
}

func TestAuthorizeFirstAdmittingLineWins(t *testing.T) {
	k := newTestKey(t, "priya@pcc")
	data := strings.Join([]string{
		`command="/bin/false" ` + k.line,
		`from="10.0.0.1" ` + k.line,
		`expiry-time="20200101" ` + k.line,
		`charter-readonly,from="127.0.0.0/8" ` + k.line,
	}, "\n")
	lines, _ := parseAuthorizedKeys([]byte(data))
	tab := &keyTable{byKey: map[string][]keyLine{}}
	for _, kl := range lines {
		tab.byKey[string(kl.key.Marshal())] = append(tab.byKey[string(kl.key.Marshal())], kl)
	}
	g, why := tab.authorize(k.signer.PublicKey(), netip.MustParseAddr("127.0.0.1"), time.Now())
	if why != "" || g.line != 4 || !g.readOnly {
		t.Fatalf("got %+v %q", g, why)
	}
	_, why = tab.authorize(k.signer.PublicKey(), netip.MustParseAddr("192.168.1.1"), time.Now())
	if why == "" {
		t.Fatal("admitted from an address no line allows")
	}
	if _, why := (&keyTable{failed: "gone"}).authorize(k.signer.PublicKey(), netip.MustParseAddr("127.0.0.1"), time.Now()); why != "gone" {
		t.Fatalf("an unreadable file admitted: %q", why)
	}
}
