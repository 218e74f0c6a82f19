package model

import (
	"fmt"
	"strings"
	"unicode"
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
