package model

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func TestNormaliseOrgName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Acme Ltd", "acme"},
		{"ACME Limited", "acme"},
		{"Acme Ltd.", "acme"},
		{"Acme PLC", "acme"},
		{"Acme p.l.c.", "acme"},
		{"Acme (UK) Limited", "acme"},
		{"Acme UK Ltd", "acme"},
		{"Acme Community Interest Company", "acme"},
		{"Acme CIC", "acme"},
		{"Acme LLP", "acme"},
		{"Acme Holdings Ltd Ltd", "acme holdings"},
		{"The Acme Trust", "acme trust"},
		{"Smith & Sons", "smith and sons"},
		{"Smith and Sons", "smith and sons"},
		{"Smith+Sons", "smith and sons"},
		{"O'Neill's Bakery", "oneills bakery"},
		{"O’Neill’s Bakery", "oneills bakery"},
		{"  Brindley-Wharf   Printing ", "brindley wharf printing"},
		{"Limited", "limited"}, // nothing but a legal form keeps it
		{"The", "the"},
		{"Café Nero Ltd", "café nero"},
		{"UK Power", "uk power"}, // "uk" goes only after a legal form
		{"", ""},
	}
	for _, tt := range tests {
		if got := NormaliseOrgName(tt.in); got != tt.want {
			t.Errorf("NormaliseOrgName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLikelySame(t *testing.T) {
	org := func(name, email, area, region string) *Signatory {
		return &Signatory{Organisation: name, Email: email, LocalArea: area, Region: region}
	}
	wm := "West Midlands"
	tests := []struct {
		name   string
		a, b   *Signatory
		same   bool
		reason string
	}{
		{"legal suffix and case", org("Acme Ltd", "", "Dudley", wm), org("ACME Limited", "", "Walsall", wm), true, `the same name once case, punctuation, "&" and legal forms are set aside ("acme")`},
		{"ampersand", org("Smith & Sons", "", "", wm), org("Smith and Sons Ltd", "", "", wm), true, `("smith and sons")`},
		{"punctuation", org("Brindley-Wharf Printing", "", "", wm), org("Brindley Wharf Printing.", "", "", wm), true, `("brindley wharf printing")`},
		{"other region", org("Acme Ltd", "", "", wm), org("Acme plc", "", "", "Yorkshire"), true, `though in "West Midlands" and Yorkshire`},
		{"rename, same domain and area", org("Acme Kitchens", "jo@acme.co.uk", "Dudley", wm), org("Acme Home", "sam@ACME.co.uk", "dudley", wm), true, "the same email domain (acme.co.uk) and local area (Dudley): perhaps renamed"},
		{"longer name is another organisation", org("Acme", "", "Dudley", wm), org("Acme Kitchens", "", "Dudley", wm), false, ""},
		{"same domain, other area", org("Acme Kitchens", "jo@acme.co.uk", "Dudley", wm), org("Acme Home", "sam@acme.co.uk", "Walsall", wm), false, ""},
		{"free mail, same area", org("Jo's Cafe", "jo@gmail.com", "Dudley", wm), org("Sam's Garage", "sam@gmail.com", "Dudley", wm), false, ""},
		{"no email", org("Alpha", "", "Dudley", wm), org("Beta", "", "Dudley", wm), false, ""},
		{"same domain, no area", org("Alpha", "a@x.org", "", wm), org("Beta", "b@x.org", "", wm), false, ""},
		{"words in another order", org("Dudley Printing", "", "", wm), org("Printing Dudley", "", "", wm), false, ""},
	}
	for _, tt := range tests {
		same, reason := LikelySame(tt.a, tt.b)
		if same != tt.same || (tt.reason != "" && !strings.Contains(reason, tt.reason)) || (!tt.same && reason != "") {
			t.Errorf("%s: LikelySame = %v %q, want %v %q", tt.name, same, reason, tt.same, tt.reason)
		}
		if s2, r2 := LikelySame(tt.b, tt.a); s2 != same || (same && r2 == "") {
			t.Errorf("%s: not symmetric", tt.name)
		}
		shared := false
		for _, ka := range LikelySameKeys(tt.a) {
			for _, kb := range LikelySameKeys(tt.b) {
				shared = shared || ka == kb
			}
		}
		if shared != same {
			t.Errorf("%s: LikelySameKeys shared %v, LikelySame %v", tt.name, shared, same)
		}
	}
}

func TestEmailDomain(t *testing.T) {
	for in, want := range map[string]string{"a@Example.ORG": "example.org", "nobody": "", "a@": "", "x@y@z.com": "z.com"} {
		if got := EmailDomain(in); got != want {
			t.Errorf("EmailDomain(%q) = %q, want %q", in, got, want)
		}
	}
}

// checkKeys fails unless the in-place name, key and import keys are the
// ones the general functions give.
func checkKeys(t *testing.T, name, region, email, area string) {
	t.Helper()
	if got, want := NormaliseOrgName(name), normaliseOrgName(name); got != want {
		t.Fatalf("NormaliseOrgName(%q) = %q, the general path %q", name, got, want)
	}
	if got, want := string(AppendOrgKey([]byte("x"), region, name)), "x"+OrgKey(region, name); got != want {
		t.Fatalf("AppendOrgKey(%q, %q) = %q, want %q", region, name, got, want)
	}
	s := &Signatory{Organisation: name, Region: region, Email: email, LocalArea: area}
	var ks keyScratch
	buf, ends := ks.appendImportKeys([]byte("x"), nil, s)
	var got []string
	from := 1
	for _, e := range ends {
		got = append(got, string(buf[from:e]))
		from = e
	}
	if from != len(buf) || strings.Join(got, "|") != strings.Join(importKeys(s), "|") {
		t.Fatalf("%+v: keys %q (%d of %d bytes), want %q", s, got, from, len(buf), importKeys(s))
	}
}

func TestKeysInPlaceAgree(t *testing.T) {
	words := []string{"Acme", "acme", "The", "the", "Ltd", "ltd.", "Limited", "PLC", "p.l.c.", "UK", "uk", "(UK)",
		"Community", "Interest", "Company", "C.I.C", "LLP", "Inc", "&", "+", "O'Neill", "O’Neill", "Café", "Smith-Jones",
		"", " ", "  ", ",", "\t", "1st", "\xff", "ÀB", "İ", "lp", "cio"}
	emails := []string{"", "jo@acme.co.uk", "Jo@ACME.co.uk", "sam@gmail.com", "x@example.org", "y@shop.test", "z@", "<a@B.example>", "q@Ünï.com"}
	areas := []string{"", " ", "Dudley", "dudley ", "Ünna", "WALSALL"}
	regions := []string{"West Midlands", " west midlands ", "Île", ""}
	rnd := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		var b strings.Builder
		for k := range rnd.IntN(6) {
			if k > 0 && rnd.IntN(3) > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(words[rnd.IntN(len(words))])
		}
		checkKeys(t, b.String(), regions[rnd.IntN(len(regions))], emails[rnd.IntN(len(emails))], areas[rnd.IntN(len(areas))])
	}
}

func FuzzKeysInPlaceAgree(f *testing.F) {
	f.Add("The Acme (UK) Ltd", "West Midlands", "jo@Acme.co.uk", "Dudley")
	f.Add("O’Neill & Sons p.l.c.", "Île", "x@example.org", " ")
	f.Fuzz(checkKeys)
}
