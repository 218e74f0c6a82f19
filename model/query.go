package model

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The filter language (product brief): words match case-insensitively
// anywhere in the record and all must match; key:value narrows by field;
// values with spaces are quoted; an unknown key is an error.

// Filter keys.
const (
	KeyRegion     = "region"
	KeyArea       = "area"
	KeyTier       = "tier"
	KeySector     = "sector"
	KeyStatus     = "status"
	KeyAlliance   = "alliance"
	KeyKind       = "kind"
	KeyPrison     = "prison"
	KeyRespondent = "respondent"
	KeyRating     = "rating"
)

// SignatoryKeys are the keys that apply to signatories.
func SignatoryKeys() []string {
	return []string{KeyRegion, KeyArea, KeyTier, KeySector, KeyStatus}
}

// AuditKeys are the keys that apply to audit returns.
func AuditKeys() []string {
	return []string{KeyRegion, KeyAlliance, KeyKind, KeyPrison, KeyRespondent, KeyStatus, KeyRating}
}

func allKeys() []string {
	seen := map[string]bool{}
	var out []string
	for _, k := range append(SignatoryKeys(), AuditKeys()...) {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// Term is one key:value of a query, both lower-cased.
type Term struct {
	Key   string
	Value string
	Pos   int // byte offset of the key in the query, for error messages
}

// Query is a parsed filter: free words and key:value terms, lower-cased.
type Query struct {
	Words []string
	Terms []Term
}

// Empty reports whether the query selects everything.
func (q Query) Empty() bool { return len(q.Words) == 0 && len(q.Terms) == 0 }

// QueryError says where a query went wrong. Col counts characters from 1.
type QueryError struct {
	Col int
	Msg string
}

func (e *QueryError) Error() string { return fmt.Sprintf("column %d: %s", e.Col, e.Msg) }

// Is makes errors.Is(err, ErrInvalid) true.
func (e *QueryError) Is(target error) bool { return target == ErrInvalid }

// MaxQuery bounds the length of a query.
const MaxQuery = 1000

// ParseQuery reads a filter query. Keys are checked against every key the
// language knows; ForSignatories and ForReturns then check that each key
// applies to what is being filtered and that enumerated values exist.
func ParseQuery(s string) (Query, error) {
	var q Query
	if !utf8.ValidString(s) {
		return q, &QueryError{Col: 1, Msg: "the query is not valid UTF-8"}
	}
	if len(s) > MaxQuery {
		return q, &QueryError{Col: 1, Msg: fmt.Sprintf("the query is longer than %d bytes", MaxQuery)}
	}
	col := func(off int) int { return utf8.RuneCountInString(s[:off]) + 1 }
	i := 0
	for i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			i += w
			continue
		}
		start := i
		if r == '"' {
			val, next, ok := readQuoted(s, i)
			if !ok {
				return Query{}, &QueryError{Col: col(start), Msg: "the quote opened here is not closed"}
			}
			q.Words = append(q.Words, strings.Fields(strings.ToLower(val))...)
			i = next
			continue
		}
		// A bare token runs to the next space; a colon in it makes a term.
		j := i
		for j < len(s) {
			r, w := utf8.DecodeRuneInString(s[j:])
			if unicode.IsSpace(r) || r == ':' || r == '"' {
				break
			}
			j += w
		}
		if j < len(s) && s[j] == ':' {
			key := strings.ToLower(s[i:j])
			if key == "" {
				return Query{}, &QueryError{Col: col(start), Msg: "a colon needs a key before it, e.g. tier:gold"}
			}
			if !knownKey(key) {
				return Query{}, &QueryError{Col: col(start), Msg: fmt.Sprintf("unknown key %q (keys: %s)", key, strings.Join(allKeys(), ", "))}
			}
			j++ // the colon
			var val string
			if j < len(s) && s[j] == '"' {
				v, next, ok := readQuoted(s, j)
				if !ok {
					return Query{}, &QueryError{Col: col(j), Msg: "the quote opened here is not closed"}
				}
				val, j = v, next
			} else {
				k := j
				for k < len(s) {
					r, w := utf8.DecodeRuneInString(s[k:])
					if unicode.IsSpace(r) {
						break
					}
					k += w
				}
				val, j = s[j:k], k
			}
			val = strings.ToLower(strings.Join(strings.Fields(val), " "))
			if val == "" {
				return Query{}, &QueryError{Col: col(start), Msg: fmt.Sprintf("%s: needs a value, e.g. %s", key, exampleFor(key))}
			}
			q.Terms = append(q.Terms, Term{Key: key, Value: val, Pos: start})
			i = j
			continue
		}
		// A plain word; a quote inside it just ends the word.
		if j == i {
			j += w
		}
		q.Words = append(q.Words, strings.ToLower(s[i:j]))
		i = j
	}
	return q, nil
}

// readQuoted reads a "…" value starting at s[i] == '"'. It returns the
// text inside, the offset after the closing quote, and whether one was found.
func readQuoted(s string, i int) (string, int, bool) {
	end := strings.IndexByte(s[i+1:], '"')
	if end < 0 {
		return "", 0, false
	}
	return s[i+1 : i+1+end], i + 1 + end + 1, true
}

func knownKey(k string) bool {
	for _, a := range allKeys() {
		if a == k {
			return true
		}
	}
	return false
}

func exampleFor(key string) string {
	switch key {
	case KeyTier:
		return "tier:gold"
	case KeyStatus:
		return "status:pending"
	case KeyRegion:
		return `region:"west midlands"`
	case KeyArea:
		return "area:dudley"
	case KeySector:
		return "sector:private"
	case KeyAlliance:
		return "alliance:civic"
	case KeyKind:
		return "kind:probation"
	case KeyPrison:
		return "prison:featherstone"
	case KeyRespondent:
		return `respondent:"west mercia"`
	case KeyRating:
		return "rating:partly"
	}
	return key + ":value"
}

// checkKeys refuses terms whose key does not apply to what is filtered.
func (q Query) checkKeys(what string, allowed []string) error {
	for _, t := range q.Terms {
		ok := false
		for _, a := range allowed {
			if t.Key == a {
				ok = true
			}
		}
		if !ok {
			return &QueryError{Col: t.Pos + 1, Msg: fmt.Sprintf("%s: does not apply to %s (keys: %s)", t.Key, what, strings.Join(allowed, ", "))}
		}
	}
	return nil
}

// matchEnum resolves a typed value against the allowed values: an exact
// match, or every value it is a prefix of, so "tier:g" already works while
// the reviewer is still typing "gold".
func matchEnum(t Term, what string, values []string) ([]string, error) {
	v := strings.ReplaceAll(t.Value, " ", "_")
	for _, a := range values {
		if a == v {
			return []string{a}, nil
		}
	}
	var out []string
	for _, a := range values {
		if strings.HasPrefix(a, v) {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return nil, &QueryError{Col: t.Pos + 1, Msg: fmt.Sprintf("%s is not a %s (%s)", quoteIfOdd(t.Value), what, strings.Join(values, ", "))}
	}
	return out, nil
}

func contains(list []string, v string) bool {
	for _, a := range list {
		if a == v {
			return true
		}
	}
	return false
}

// SignatoryMatcher is a query compiled for signatories.
type SignatoryMatcher struct {
	words   []string
	regions []string
	areas   []string
	tiers   [][]string
	sectors [][]string
	status  [][]string
}

// ForSignatories compiles the query for the signatories table.
func (q Query) ForSignatories() (*SignatoryMatcher, error) {
	if err := q.checkKeys("signatories", SignatoryKeys()); err != nil {
		return nil, err
	}
	m := &SignatoryMatcher{words: q.Words}
	var tierNames, sectorNames, statusNames []string
	for _, t := range AllTiers() {
		tierNames = append(tierNames, t.String())
	}
	for _, s := range Sectors() {
		sectorNames = append(sectorNames, string(s))
	}
	for _, s := range ReviewStatuses() {
		statusNames = append(statusNames, string(s))
	}
	for _, t := range q.Terms {
		switch t.Key {
		case KeyRegion:
			m.regions = append(m.regions, t.Value)
		case KeyArea:
			m.areas = append(m.areas, t.Value)
		case KeyTier:
			v, err := matchEnum(t, "tier", tierNames)
			if err != nil {
				return nil, err
			}
			m.tiers = append(m.tiers, v)
		case KeySector:
			v, err := matchEnum(t, "sector", sectorNames)
			if err != nil {
				return nil, err
			}
			m.sectors = append(m.sectors, v)
		case KeyStatus:
			v, err := matchEnum(t, "review status", statusNames)
			if err != nil {
				return nil, err
			}
			m.status = append(m.status, v)
		}
	}
	return m, nil
}

// SignatoryHaystack is the lower-cased text that free words are matched
// against. Callers build it once per record version and keep it.
func SignatoryHaystack(s *Signatory) string {
	parts := []string{s.Organisation, s.ContactName, s.Email, string(s.Sector), s.Region,
		s.LocalArea, s.SignedBy, s.Notes, s.Tier().String(), string(s.ReviewStatus),
		s.Commitments.String()}
	return strings.ToLower(strings.Join(parts, "\x00"))
}

// Match reports whether s passes every word and term. hay must be
// SignatoryHaystack(s).
func (m *SignatoryMatcher) Match(s *Signatory, hay string) bool {
	// Cheap field terms first: they usually rule most records out before
	// the free words are searched for in the whole text.
	for _, v := range m.regions {
		if !containsFold(s.Region, v) {
			return false
		}
	}
	for _, v := range m.areas {
		if !containsFold(s.LocalArea, v) {
			return false
		}
	}
	for _, v := range m.tiers {
		if !contains(v, s.Tier().String()) {
			return false
		}
	}
	for _, v := range m.sectors {
		if !contains(v, string(s.Sector)) {
			return false
		}
	}
	for _, v := range m.status {
		if !contains(v, string(s.ReviewStatus)) {
			return false
		}
	}
	for _, w := range m.words {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

// containsFold reports whether lower (already lower-cased) occurs in s,
// ignoring case. It runs on every record for every keystroke, so ASCII
// text (nearly all of it) is compared in place without allocating.
func containsFold(s, lower string) bool {
	if len(lower) == 0 {
		return true
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return strings.Contains(strings.ToLower(s), lower)
		}
	}
	n := len(lower)
outer:
	for i := 0; i+n <= len(s); i++ {
		for j := 0; j < n; j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != lower[j] {
				continue outer
			}
		}
		return true
	}
	return false
}

// ReturnMatcher is a query compiled for audit returns.
type ReturnMatcher struct {
	words       []string
	regions     []string
	alliances   []string
	kinds       []string
	prisons     []string
	respondents []string
	status      [][]string
	ratings     [][]string
}

// ForReturns compiles the query for audit returns.
func (q Query) ForReturns() (*ReturnMatcher, error) {
	if err := q.checkKeys("audit returns", AuditKeys()); err != nil {
		return nil, err
	}
	m := &ReturnMatcher{words: q.Words}
	var statusNames []string
	for _, s := range ReturnStatuses() {
		statusNames = append(statusNames, string(s))
	}
	ratingNames := []string{string(RatingMeets), string(RatingPartly), string(RatingNotMet), "unrated"}
	for _, t := range q.Terms {
		switch t.Key {
		case KeyRegion:
			m.regions = append(m.regions, t.Value)
		case KeyAlliance:
			m.alliances = append(m.alliances, t.Value)
		case KeyKind:
			m.kinds = append(m.kinds, t.Value)
		case KeyPrison:
			m.prisons = append(m.prisons, t.Value)
		case KeyRespondent:
			m.respondents = append(m.respondents, t.Value)
		case KeyStatus:
			v, err := matchEnum(t, "return status", statusNames)
			if err != nil {
				return nil, err
			}
			m.status = append(m.status, v)
		case KeyRating:
			tt := t
			if tt.Value == "none" || tt.Value == "clear" {
				tt.Value = "unrated"
			}
			v, err := matchEnum(tt, "rating", ratingNames)
			if err != nil {
				return nil, err
			}
			m.ratings = append(m.ratings, v)
		}
	}
	return m, nil
}

// ReturnHaystack is the lower-cased text that free words are matched
// against for a return: the answer, the question and its benchmark, the
// respondent's names and the reviewer's comment.
func ReturnHaystack(r *Return, q *Question, resp *Respondent) string {
	parts := []string{r.Answer, r.Respondent, r.Annotation.Comment, string(r.Alliance), string(r.Strand), string(r.Kind), r.Region}
	if q != nil {
		parts = append(parts, q.Title, q.Prompt, q.Benchmark)
	}
	if resp != nil {
		parts = append(parts, resp.Name, resp.Normalised)
	}
	return strings.ToLower(strings.Join(parts, "\x00"))
}

// Match reports whether a return passes every word and term. resp may be
// nil; hay must be ReturnHaystack of the same return.
func (m *ReturnMatcher) Match(r *Return, resp *Respondent, hay string) bool {
	for _, w := range m.words {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	names := []string{strings.ToLower(r.Respondent)}
	if resp != nil {
		names = append(names, strings.ToLower(resp.Name), strings.ToLower(resp.Normalised))
	}
	nameHas := func(v string) bool {
		for _, n := range names {
			if n != "" && strings.Contains(n, v) {
				return true
			}
		}
		return false
	}
	for _, v := range m.regions {
		if !containsFold(r.Region, v) {
			return false
		}
	}
	for _, v := range m.alliances {
		if !containsFold(string(r.Alliance)+" "+string(r.Strand), v) {
			return false
		}
	}
	for _, v := range m.kinds {
		if !containsFold(string(r.Kind), v) {
			return false
		}
	}
	for _, v := range m.prisons {
		if r.Kind != KindPrison || !nameHas(v) {
			return false
		}
	}
	for _, v := range m.respondents {
		if !nameHas(v) {
			return false
		}
	}
	for _, v := range m.status {
		if !contains(v, string(r.Status)) {
			return false
		}
	}
	for _, v := range m.ratings {
		got := string(r.Annotation.Rating)
		if got == "" {
			got = "unrated"
		}
		if !contains(v, got) {
			return false
		}
	}
	return true
}
