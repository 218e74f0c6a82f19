package model

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// legalSuffixes are the words of a company form, dropped from the end of
// a name when comparing: "Acme Ltd", "ACME Limited" and "Acme plc" are the
// same organisation for the purpose of finding duplicates. Longer forms
// come first.
var legalSuffixes = [][]string{
	{"community", "interest", "company"},
	{"limited", "liability", "partnership"},
	{"public", "limited", "company"},
	{"charitable", "incorporated", "organisation"},
	{"ltd"}, {"limited"}, {"plc"}, {"cic"}, {"cio"}, {"llp"}, {"lp"}, {"inc"}, {"llc"},
}

// NormaliseOrgName is an organisation's name as imports compare it: case
// folded, "&" read as "and", full stops and apostrophes dropped
// ("P.L.C." is "plc", "O'Neill" is "oneill"), other punctuation read as
// space, runs of space made one, a leading "the" and trailing legal forms
// (Ltd, Limited, PLC, CIC, CIO, LLP, LP, Inc, LLC and their long forms)
// dropped. A name that is nothing but a legal form keeps it.
func NormaliseOrgName(name string) string {
	var ks keyScratch
	if b, ok := ks.appendName(nil, name); ok {
		return string(b)
	}
	return normaliseOrgName(name)
}

// normaliseOrgName is NormaliseOrgName for any name, letters beyond
// ASCII included.
func normaliseOrgName(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch {
		case r == '&' || r == '+':
			b.WriteString(" and ")
		case r == '.' || r == '\'' || r == '’' || r == '‘':
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	words := strings.Fields(b.String())
	all := words
	if len(words) > 1 && words[0] == "the" {
		words = words[1:]
	}
	for changed := true; changed; {
		changed = false
		for _, suf := range legalSuffixes {
			n := len(suf)
			if len(words) > n && equalWords(words[len(words)-n:], suf) {
				words = words[:len(words)-n]
				changed = true
			}
		}
		// "Acme UK Ltd": a trailing "uk" left by the form goes too.
		if changed && len(words) > 1 && words[len(words)-1] == "uk" {
			words = words[:len(words)-1]
		}
	}
	if len(words) == 0 {
		words = all
	}
	return strings.Join(words, " ")
}

// keyScratch holds what building names and keys reuses from one record
// to the next.
type keyScratch struct {
	text  []byte
	words [][2]int // where each word of text starts and ends
}

// appendName appends NormaliseOrgName(name) to dst for a name in ASCII,
// working in place rather than through a list of strings; ok is false
// (and dst as it was) for any other name.
func (ks *keyScratch) appendName(dst []byte, name string) (out []byte, ok bool) {
	t := ks.text[:0]
	for i := 0; i < len(name); i++ {
		switch c := name[i]; {
		case c >= utf8.RuneSelf:
			ks.text = t
			return dst, false
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			t = append(t, c)
		case 'A' <= c && c <= 'Z':
			t = append(t, c+'a'-'A')
		case c == '&' || c == '+':
			t = append(t, " and "...)
		case c == '.' || c == '\'':
		default:
			t = append(t, ' ')
		}
	}
	w := ks.words[:0]
	for i := 0; i < len(t); {
		for i < len(t) && t[i] == ' ' {
			i++
		}
		if i == len(t) {
			break
		}
		j := i
		for j < len(t) && t[j] != ' ' {
			j++
		}
		w = append(w, [2]int{i, j})
		i = j
	}
	ks.text, ks.words = t, w
	word := func(k int) []byte { return t[w[k][0]:w[k][1]] }
	all := w
	if len(w) > 1 && string(word(0)) == "the" {
		w = w[1:]
	}
	for changed := true; changed; {
		changed = false
		for _, suf := range legalSuffixes {
			n := len(suf)
			if len(w) > n && ks.endsWith(w, suf) {
				w = w[:len(w)-n]
				changed = true
			}
		}
		// "Acme UK Ltd": a trailing "uk" left by the form goes too.
		if changed && len(w) > 1 && string(t[w[len(w)-1][0]:w[len(w)-1][1]]) == "uk" {
			w = w[:len(w)-1]
		}
	}
	if len(w) == 0 {
		w = all
	}
	for k, x := range w {
		if k > 0 {
			dst = append(dst, ' ')
		}
		dst = append(dst, t[x[0]:x[1]]...)
	}
	return dst, true
}

// endsWith reports whether the words w of ks.text end with suf.
func (ks *keyScratch) endsWith(w [][2]int, suf []string) bool {
	w = w[len(w)-len(suf):]
	for i, x := range w {
		if string(ks.text[x[0]:x[1]]) != suf[i] {
			return false
		}
	}
	return true
}

// appendImportKeys appends s's import keys (importKeys(s)) to dst, one
// after another, and the offset in dst where each ends to ends.
func (ks *keyScratch) appendImportKeys(dst []byte, ends []int, s *Signatory) ([]byte, []int) {
	start := len(dst)
	dst = append(dst, "name\x00"...)
	if b, ok := ks.appendName(dst, s.Organisation); ok {
		dst = b
	} else {
		dst = append(dst, normaliseOrgName(s.Organisation)...)
	}
	if len(dst) == start+len("name\x00") {
		dst = dst[:start] // no name: no name key
	} else {
		ends = append(ends, len(dst))
	}
	d := EmailDomain(s.Email)
	area := strings.TrimSpace(s.LocalArea)
	if d != "" && !freeMailDomains[d] && area != "" && !reservedDomain(d) {
		dst = append(dst, "domain\x00"...)
		dst = append(dst, d...)
		dst = append(dst, 0)
		dst = appendLower(dst, area)
		ends = append(ends, len(dst))
	}
	return dst, ends
}

// AppendOrgKey appends OrgKey(region, organisation) to dst; for names in
// ASCII without making any string on the way.
func AppendOrgKey(dst []byte, region, organisation string) []byte {
	dst = appendLower(dst, strings.TrimSpace(region))
	dst = append(dst, 0)
	return appendLower(dst, strings.TrimSpace(organisation))
}

func equalWords(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// freeMailDomains are shared address providers: two people using one of
// them are not thereby one organisation.
var freeMailDomains = map[string]bool{
	"gmail.com": true, "googlemail.com": true, "hotmail.com": true, "hotmail.co.uk": true,
	"outlook.com": true, "live.com": true, "live.co.uk": true, "yahoo.com": true,
	"yahoo.co.uk": true, "icloud.com": true, "me.com": true, "aol.com": true,
	"btinternet.com": true, "sky.com": true, "virginmedia.com": true, "protonmail.com": true,
	"proton.me": true, "msn.com": true, "talktalk.net": true, "mail.com": true,
}

// EmailDomain is the lower-cased domain of an address, or "".
func EmailDomain(email string) string {
	at := strings.LastIndexByte(email, '@')
	if at < 0 || at == len(email)-1 {
		return ""
	}
	return strings.ToLower(strings.TrimSpace(strings.TrimRight(email[at+1:], ">")))
}

// LikelySame reports whether two sign-ups are likely the same organisation
// (a duplicate, or a rename) and why:
//
//   - their names are equal after NormaliseOrgName, or
//   - they share an organisation's own email domain (not a free mail
//     provider) and the same local area.
//
// Nothing is merged on this: the reviewer decides.
func LikelySame(a, b *Signatory) (bool, string) {
	na, nb := NormaliseOrgName(a.Organisation), NormaliseOrgName(b.Organisation)
	if na != "" && na == nb {
		reason := fmt.Sprintf("the same name once case, punctuation, \"&\" and legal forms are set aside (%q)", na)
		if !strings.EqualFold(strings.TrimSpace(a.Region), strings.TrimSpace(b.Region)) {
			reason += fmt.Sprintf(", though in %s and %s", quoteIfOdd(a.Region), quoteIfOdd(b.Region))
		}
		return true, reason
	}
	da, db := EmailDomain(a.Email), EmailDomain(b.Email)
	areaA, areaB := strings.TrimSpace(a.LocalArea), strings.TrimSpace(b.LocalArea)
	if da != "" && da == db && !freeMailDomains[da] && areaA != "" && strings.ToLower(areaA) == strings.ToLower(areaB) {
		return true, fmt.Sprintf("the same email domain (%s) and local area (%s): perhaps renamed", quoteIfOdd(da), quoteIfOdd(areaA))
	}
	return false, ""
}

// LikelySameKeys are the keys under which an import can index records to
// find likely duplicates without comparing every pair: LikelySame(a, b)
// holds exactly when a and b share a key. A record has a name key and,
// with its own email domain and a local area, a domain key.
func LikelySameKeys(s *Signatory) []string {
	keys := make([]string, 0, 2)
	if n := NormaliseOrgName(s.Organisation); n != "" {
		keys = append(keys, "name\x00"+n)
	}
	d := EmailDomain(s.Email)
	area := strings.ToLower(strings.TrimSpace(s.LocalArea))
	if d != "" && !freeMailDomains[d] && area != "" {
		keys = append(keys, "domain\x00"+d+"\x00"+area)
	}
	return keys
}
