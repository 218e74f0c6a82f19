package model

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// Filter keys.
const (
	KeyRegion     = "region"
	KeyArea       = "area"
	KeyTier       = "tier"
	KeyEvidenced  = "evidenced"
	KeySector     = "sector"
	KeyStatus     = "status"
	KeyVacancy    = "vacancy"
	KeyNext       = "next"
	KeySigned     = "signed"
	KeyDue        = "due"
	KeyReviewer   = "reviewer"
	KeyAlliance   = "alliance"
	KeyKind       = "kind"
	KeyPrison     = "prison"
	KeyRespondent = "respondent"
	KeyRating     = "rating"
)

// SignatoryKeys are the keys that apply to signatories, in the order the
// help lists them.
func SignatoryKeys() []string {
	return []string{KeyRegion, KeyArea, KeyTier, KeyEvidenced, KeySector, KeyStatus,
		KeyVacancy, KeyNext, KeySigned, KeyDue, KeyReviewer}
}

// AuditKeys are the keys that apply to audit returns.
func AuditKeys() []string {
	return []string{KeyRegion, KeyAlliance, KeyKind, KeyPrison, KeyRespondent, KeyStatus, KeyRating}
}

// Term is one key:value… of a query. Values are the alternatives (any one
// may match), lower-cased with runs of space made one.
type Term struct {
	Key    string
	Values []string
	// Neg is set for a term written with a leading "-": it keeps the
	// records the term without "-" would not.
	Neg bool
	// Col is the column (characters from 1) where the term starts, its
	// "-" included; ValueCols is the column of each value.
	Col       int
	ValueCols []int
}

// Query is a parsed filter. Words must all occur in a record; a record
// holding every word of any Not group is left out; every term must hold.
type Query struct {
	Words []string
	Not   [][]string
	Terms []Term
}

// Empty reports whether the query has nothing in it. (An empty signatory
// query still leaves withdrawn records out: see SignatoryMatcher.All.)
func (q Query) Empty() bool { return len(q.Words) == 0 && len(q.Not) == 0 && len(q.Terms) == 0 }

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

// ParseQuery reads a filter query.
//
// # Filter language
//
// A query is words and terms separated by spaces. Case never matters.
//
//   - A word matches records that contain it anywhere (organisation,
//     contact, email, sector, region, area, signed by, notes, tier, status,
//     commitments, reviewer, evidence notes, withdrawal reason); every
//     word must match. "two words" in quotes are two words.
//   - key:value narrows by one field: tier:gold. Quote a value with spaces:
//     region:"west midlands".
//   - Commas join alternatives, any of which may match: tier:gold,silver,
//     area:dudley,walsall, region:"west midlands","black country". An
//     empty alternative (tier:gold, while typing) is ignored.
//   - A leading - negates a word or term: -printing, -"ban the box"
//     (records holding all three words are left out), -status:verified,
//     -tier:none,bronze (neither). To search for text that starts with
//     "-", quote it: "-x".
//   - Enumerated values may be shortened to any prefix: tier:g, status:need.
//
// Keys for signatories:
//
//	region:TEXT       region contains TEXT
//	area:TEXT         local area contains TEXT
//	tier:TIER         declared tier: none, bronze, silver, gold
//	evidenced:TIER    evidenced tier (commitments seen in practice)
//	sector:SECTOR     private, public, voluntary, social_enterprise
//	status:STATUS     pending, verified, needs_info, withdrawn
//	vacancy:V         vacancy statement: yes, no, evidenced
//	next:N            N commitments short of the next tier (next:1 is
//	                  the summary bar's "one from next tier")
//	signed:DATE       signed in DATE: 2024, 2024-06 or 2024-06-30; with
//	                  <, <=, >, >= before DATE to compare: signed:<2024-01-01
//	                  (before 2024), signed:>=2023-06 (June 2023 or later),
//	                  signed:<=2024 (up to the end of 2024)
//	due:STATE         review state: overdue (past the due date), soon
//	                  (due today or within 30 days), current; the due
//	                  date is the review period (12 months unless the
//	                  database says otherwise) after the last review,
//	                  or after signing for a record never reviewed
//	reviewer:TEXT     the last reviewer's name contains TEXT
//
// Withdrawn signatories are left out unless a status term asks for them
// (status:withdrawn, status:verified,withdrawn); a negated status term
// (-status:verified) does not bring them back.
//
// Keys for audit returns: region:, alliance:, kind:, prison:, respondent:
// (names contain TEXT), status: (answered, not_answered, no_return),
// rating: (meets, partly, not_met, unrated; none and clear mean unrated).
//
// An unknown key, a value that is not one of a key's values, an unclosed
// quote, or a key without a value is an error giving the column where the
// problem starts; the error lists only the keys of the screen in use.
//
// ParseQuery checks the syntax; ForSignatories and ForReturns check the
// keys and values for what is filtered.
func ParseQuery(s string) (Query, error) {
	var q Query
	if !utf8.ValidString(s) {
		return q, &QueryError{Col: 1, Msg: "the query is not valid UTF-8"}
	}
	if len(s) > MaxQuery {
		return q, &QueryError{Col: 1, Msg: fmt.Sprintf("the query is longer than %d bytes", MaxQuery)}
	}
	col := func(off int) int { return utf8.RuneCountInString(s[:off]) + 1 }
	isSpace := func(off int) bool {
		r, _ := utf8.DecodeRuneInString(s[off:])
		return unicode.IsSpace(r)
	}
	i := 0
	for i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			i += w
			continue
		}
		start := i
		neg := false
		if r == '-' {
			if i+1 >= len(s) || isSpace(i+1) {
				return Query{}, &QueryError{Col: col(start), Msg: "a - needs a word or key:value right after it, e.g. -status:verified"}
			}
			neg = true
			i++
			r, w = utf8.DecodeRuneInString(s[i:])
		}
		if r == '"' {
			val, next, ok := readQuoted(s, i)
			if !ok {
				return Query{}, &QueryError{Col: col(i), Msg: "the quote opened here is not closed"}
			}
			words := strings.Fields(strings.ToLower(val))
			if neg {
				if len(words) == 0 {
					return Query{}, &QueryError{Col: col(start), Msg: "a - needs a word or key:value right after it, e.g. -status:verified"}
				}
				q.Not = append(q.Not, words)
			} else {
				q.Words = append(q.Words, words...)
			}
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
			t := Term{Key: key, Neg: neg, Col: col(start)}
			j++ // the colon
			for {
				vstart := j
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
						if unicode.IsSpace(r) || r == ',' {
							break
						}
						if r == '"' {
							return Query{}, &QueryError{Col: col(k), Msg: fmt.Sprintf("a quote may only open a value, e.g. %s", exampleFor(key))}
						}
						k += w
					}
					val, j = s[j:k], k
				}
				if v := normaliseValue(val); v != "" {
					t.Values = append(t.Values, v)
					t.ValueCols = append(t.ValueCols, col(vstart))
				}
				if j < len(s) && s[j] == ',' {
					j++
					continue
				}
				break
			}
			if len(t.Values) == 0 {
				return Query{}, &QueryError{Col: col(start), Msg: fmt.Sprintf("%s: needs a value, e.g. %s", key, exampleFor(key))}
			}
			q.Terms = append(q.Terms, t)
			i = j
			continue
		}
		// A plain word; a quote inside it just ends the word.
		if j == i {
			j += w
		}
		word := strings.ToLower(s[i:j])
		if neg {
			q.Not = append(q.Not, []string{word})
		} else {
			q.Words = append(q.Words, word)
		}
		i = j
	}
	return q, nil
}

// normaliseValue is a value as terms keep it: lower-cased, with runs of
// space made one and none at either end.
func normaliseValue(v string) string {
	return strings.ToLower(strings.Join(strings.Fields(v), " "))
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

// String writes the query back in its normal form: words, then negated
// words, then terms, each value quoted where it must be. ParseQuery reads
// it back to the same query.
func (q Query) String() string {
	var parts []string
	quoteWord := func(w string) string {
		if strings.HasPrefix(w, "-") || strings.ContainsAny(w, `:"`) {
			return `"` + w + `"`
		}
		return w
	}
	for _, w := range q.Words {
		parts = append(parts, quoteWord(w))
	}
	for _, g := range q.Not {
		if len(g) == 1 {
			parts = append(parts, "-"+quoteWord(g[0]))
		} else {
			parts = append(parts, `-"`+strings.Join(g, " ")+`"`)
		}
	}
	for _, t := range q.Terms {
		vals := make([]string, len(t.Values))
		for i, v := range t.Values {
			if strings.ContainsAny(v, ` ,"`) || strings.IndexFunc(v, unicode.IsSpace) >= 0 {
				v = `"` + v + `"`
			}
			vals[i] = v
		}
		neg := ""
		if t.Neg {
			neg = "-"
		}
		parts = append(parts, neg+t.Key+":"+strings.Join(vals, ","))
	}
	return strings.Join(parts, " ")
}

func exampleFor(key string) string {
	switch key {
	case KeyTier:
		return "tier:gold"
	case KeyEvidenced:
		return "evidenced:gold"
	case KeyStatus:
		return "status:pending"
	case KeyRegion:
		return `region:"west midlands"`
	case KeyArea:
		return "area:dudley"
	case KeySector:
		return "sector:private"
	case KeyVacancy:
		return "vacancy:no"
	case KeyNext:
		return "next:1"
	case KeySigned:
		return "signed:<2024-01-01"
	case KeyDue:
		return "due:overdue"
	case KeyReviewer:
		return "reviewer:patel"
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

// checkKeys refuses terms whose key does not apply to what is filtered,
// naming only the keys that do.
func (q Query) checkKeys(what string, allowed []string) error {
	known := append(SignatoryKeys(), AuditKeys()...)
	for _, t := range q.Terms {
		if contains(allowed, t.Key) {
			continue
		}
		if contains(known, t.Key) {
			return &QueryError{Col: t.Col, Msg: fmt.Sprintf("%s: does not apply to %s (keys: %s)", t.Key, what, strings.Join(allowed, ", "))}
		}
		key := t.Key
		if utf8.RuneCountInString(key) > 40 {
			key = string([]rune(key)[:40]) + "…"
		}
		return &QueryError{Col: t.Col, Msg: fmt.Sprintf("unknown key %s (keys: %s)", strconv.Quote(key), strings.Join(allowed, ", "))}
	}
	return nil
}

// matchEnum resolves a term's values against the allowed values: for each
// value an exact match, or every allowed value it is a prefix of, so
// "tier:g" already works while the reviewer is still typing "gold". The
// result is a bit set over values.
func matchEnum(t Term, what string, values []string) (uint32, error) {
	var set uint32
	for n, v := range t.Values {
		v = strings.ReplaceAll(v, " ", "_")
		exact := -1
		for i, a := range values {
			if a == v {
				exact = i
			}
		}
		if exact >= 0 {
			set |= 1 << exact
			continue
		}
		found := false
		for i, a := range values {
			if strings.HasPrefix(a, v) {
				set |= 1 << i
				found = true
			}
		}
		if !found {
			return 0, &QueryError{Col: t.ValueCols[n], Msg: fmt.Sprintf("%s is not %s (%s)", quoteIfOdd(t.Values[n]), what, strings.Join(values, ", "))}
		}
	}
	return set, nil
}

func contains(list []string, v string) bool {
	for _, a := range list {
		if a == v {
			return true
		}
	}
	return false
}

func containsAny(s string, values []string) bool {
	for _, v := range values {
		if containsFold(s, v) {
			return true
		}
	}
	return false
}

// FilterContext is what a signatory query needs beyond its text.
type FilterContext struct {
	// Today is the reviewer's day, for due:. Zero means the current day.
	Today time.Time
	// ReviewPeriod is the database's review period; 0 means the default.
	ReviewPeriod ReviewPeriod
	// IncludeWithdrawn keeps withdrawn records even without a
	// status:withdrawn term (for exports and lookups by id).
	IncludeWithdrawn bool
}

// predKind says which field a compiled signatory term tests.
type predKind uint8

// The kinds are in the order Match tries them: the fields read first are
// the ones nearest the start of a Signatory (region and area, then tier,
// sector and status), so that a record ruled out early costs one cache
// line; computed tests come last.
const (
	predRegion predKind = iota
	predArea
	predTier
	predSector
	predStatus
	predVacancy
	predNext
	predSigned
	predReviewer
	predEvidenced
	predDue
)

// sigPred is one compiled term: the record passes when its test is not
// neg. The tests run in Match's switch, not through function values, so
// the loop over 100,000 records stays tight.
type sigPred struct {
	kind predKind
	neg  bool
	// mask: bit i set for the i-th allowed value (tiers and due states by
	// value, sectors and statuses by their index, vacancy yes/no/
	// evidenced as bits 0–2, next by count).
	mask uint32
	// vals are the substrings of text terms.
	vals []string
	// ranges are signed:'s day ranges [lo, hi).
	ranges [][2]int64
	// clock tells the review state for due:.
	clock DueClock
}

// SignatoryMatcher is a query compiled for signatories.
type SignatoryMatcher struct {
	preds []sigPred
	// words and not are the free words and the negated groups, each with
	// where it stands among the coded fields the search text leaves out.
	words         []*codedHits
	not           [][]*codedHits
	showWithdrawn bool
}

// ForSignatories compiles the query for the signatories table with today's
// date and the default review period.
func (q Query) ForSignatories() (*SignatoryMatcher, error) {
	return q.ForSignatoriesIn(FilterContext{})
}

// ParseSignatoryQuery parses and compiles a query for signatories.
func ParseSignatoryQuery(s string, c FilterContext) (*SignatoryMatcher, error) {
	q, err := ParseQuery(s)
	if err != nil {
		return nil, err
	}
	return q.ForSignatoriesIn(c)
}

// sectorIndex and statusIndex number a record's sector and status as
// Sectors and AllReviewStatuses do (-1 for none of them).
func sectorIndex(s Sector) int {
	switch s {
	case SectorPrivate:
		return 0
	case SectorPublic:
		return 1
	case SectorVoluntary:
		return 2
	case SectorSocialEnterprise:
		return 3
	}
	return -1
}

func statusIndex(s ReviewStatus) int {
	switch s {
	case StatusPending:
		return 0
	case StatusVerified:
		return 1
	case StatusNeedsInfo:
		return 2
	case StatusWithdrawn:
		return 3
	}
	return -1
}

// ForSignatoriesIn compiles the query for signatories in context c.
func (q Query) ForSignatoriesIn(c FilterContext) (*SignatoryMatcher, error) {
	if err := q.checkKeys("signatories", SignatoryKeys()); err != nil {
		return nil, err
	}
	m := &SignatoryMatcher{showWithdrawn: c.IncludeWithdrawn}
	for _, w := range q.Words {
		m.words = append(m.words, newCodedHits(w))
	}
	for _, g := range q.Not {
		hits := make([]*codedHits, len(g))
		for i, w := range g {
			hits[i] = newCodedHits(w)
		}
		m.not = append(m.not, hits)
	}
	names := func(n int, f func(i int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = f(i)
		}
		return out
	}
	tiers := AllTiers()
	tierNames := names(len(tiers), func(i int) string { return tiers[i].String() })
	sectors := Sectors()
	sectorNames := names(len(sectors), func(i int) string { return string(sectors[i]) })
	statuses := AllReviewStatuses()
	statusNames := names(len(statuses), func(i int) string { return string(statuses[i]) })
	vacancyNames := []string{"yes", "no", "evidenced"}
	dues := DueStates()
	dueNames := names(len(dues), func(i int) string { return dues[i].String() })

	for _, t := range q.Terms {
		p := sigPred{neg: t.Neg}
		var err error
		switch t.Key {
		case KeyRegion:
			p.kind, p.vals = predRegion, t.Values
		case KeyArea:
			p.kind, p.vals = predArea, t.Values
		case KeyReviewer:
			p.kind, p.vals = predReviewer, t.Values
		case KeyTier:
			p.kind = predTier
			p.mask, err = matchEnum(t, "a tier", tierNames) // bit i is Tier(i)
		case KeyEvidenced:
			p.kind = predEvidenced
			p.mask, err = matchEnum(t, "a tier", tierNames)
		case KeySector:
			p.kind = predSector
			p.mask, err = matchEnum(t, "a sector", sectorNames)
		case KeyStatus:
			p.kind = predStatus
			p.mask, err = matchEnum(t, "a review status", statusNames)
			if !t.Neg && p.mask&(1<<statusIndex(StatusWithdrawn)) != 0 {
				m.showWithdrawn = true
			}
		case KeyVacancy:
			p.kind = predVacancy
			p.mask, err = matchEnum(t, "a vacancy-statement value", vacancyNames)
		case KeyNext:
			p.kind = predNext
			for n, v := range t.Values {
				k, e := strconv.Atoi(v)
				if e != nil || k < 1 || k > NumCommitments {
					return nil, &QueryError{Col: t.ValueCols[n], Msg: fmt.Sprintf("%s is not a number of commitments to the next tier (1 to %d), e.g. next:1", quoteIfOdd(v), NumCommitments)}
				}
				p.mask |= 1 << k
			}
		case KeySigned:
			p.kind = predSigned
			for n, v := range t.Values {
				lo, hi, e := parseDateBound(v)
				if e != nil {
					return nil, &QueryError{Col: t.ValueCols[n], Msg: fmt.Sprintf("signed: %s", e)}
				}
				p.ranges = append(p.ranges, [2]int64{lo, hi})
			}
		case KeyDue:
			p.kind = predDue
			var set uint32
			set, err = matchEnum(t, "a review state", dueNames)
			for i, d := range dues {
				if set&(1<<i) != 0 {
					p.mask |= 1 << d
				}
			}
			today := c.Today
			if today.IsZero() {
				today = time.Now()
			}
			p.clock = NewDueClock(c.ReviewPeriod, today)
		}
		if err != nil {
			return nil, err
		}
		m.preds = append(m.preds, p)
	}
	sort.SliceStable(m.preds, func(i, j int) bool { return m.preds[i].kind < m.preds[j].kind })
	return m, nil
}

// test reports whether s satisfies the term, before negation.
func (p *sigPred) test(s *Signatory) bool {
	switch p.kind {
	case predRegion:
		return containsAny(s.Region, p.vals)
	case predArea:
		return containsAny(s.LocalArea, p.vals)
	case predReviewer:
		return containsAny(s.LastReviewedBy, p.vals)
	case predTier:
		return p.mask&(1<<tierByCount[s.Commitments.Count()]) != 0
	case predEvidenced:
		if len(s.Evidence) == 0 {
			return p.mask&1 != 0
		}
		return p.mask&(1<<s.EvidencedTier()) != 0
	case predSector:
		i := sectorIndex(s.Sector)
		return i >= 0 && p.mask&(1<<i) != 0
	case predStatus:
		i := statusIndex(s.ReviewStatus)
		return i >= 0 && p.mask&(1<<i) != 0
	case predVacancy:
		return (p.mask&1 != 0 && s.VacancyStatement) || (p.mask&2 != 0 && !s.VacancyStatement) ||
			(p.mask&4 != 0 && s.VacancyEvidenced())
	case predNext:
		return p.mask&(1<<moreByCount[s.Commitments.Count()]) != 0
	case predSigned:
		if s.SignedOn.IsZero() {
			return false
		}
		d := dayNumber(s.SignedOn)
		for _, r := range p.ranges {
			if d >= r[0] && d < r[1] {
				return true
			}
		}
		return false
	case predDue:
		return p.mask&(1<<p.clock.State(s)) != 0
	}
	return false
}

// moreByCount is how many commitments short of the next tier a record
// with n commitments is (0 at gold).
var moreByCount = func() (t [NumCommitments + 1]int) {
	for n := range t {
		_, more, ok := ToNextTier(n)
		if ok {
			t[n] = more
		}
	}
	return t
}()

// parseDateBound reads a signed: value, an optional comparison (<, <=, >,
// >=, =) and a date given to the year, month or day, and returns the days
// it covers as [lo, hi).
func parseDateBound(v string) (lo, hi int64, err error) {
	op := ""
	for _, o := range []string{"<=", ">=", "<", ">", "="} {
		if strings.HasPrefix(v, o) {
			op = o
			break
		}
	}
	date := strings.TrimSpace(v[len(op):])
	var from, to time.Time
	switch len(date) {
	case 4:
		y, e := strconv.Atoi(date)
		if e == nil && y >= 1000 {
			from = time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
			to = from.AddDate(1, 0, 0)
		}
	case 7:
		if t, e := time.Parse("2006-01", date); e == nil {
			from, to = t, t.AddDate(0, 1, 0)
		}
	case 10:
		if t, e := time.Parse(DateLayout, date); e == nil {
			from, to = t, t.AddDate(0, 0, 1)
		}
	}
	if from.IsZero() {
		return 0, 0, fmt.Errorf("%s is not a date (YYYY, YYYY-MM or YYYY-MM-DD, after <, <=, > or >= to compare)", quoteIfOdd(date))
	}
	const never, always = int64(-1 << 62), int64(1 << 62)
	a, b := dayNumber(from), dayNumber(to)
	switch op {
	case "<":
		return never, a, nil
	case "<=":
		return never, b, nil
	case ">":
		return b, always, nil
	case ">=":
		return a, always, nil
	}
	return a, b, nil
}

// All reports whether the matcher keeps every record, withdrawn ones
// included, so that a caller may skip it.
func (m *SignatoryMatcher) All() bool {
	return m.showWithdrawn && len(m.preds) == 0 && len(m.words) == 0 && len(m.not) == 0
}

// ShowsWithdrawn reports whether withdrawn records can match: the query
// has a status term that names withdrawn, or the context asked for them.
func (m *SignatoryMatcher) ShowsWithdrawn() bool { return m.showWithdrawn }

// SignatoryText is the lower-cased text of every field free words are
// matched against, joined with NUL: the free text fields, then sector,
// tier, review status and commitments in their interchange form, then
// the reviewer, evidence notes and withdrawal reason.
func SignatoryText(s *Signatory) string {
	parts := []string{s.Organisation, s.ContactName, s.Email, string(s.Sector), s.Region,
		s.LocalArea, s.SignedBy, s.Notes, s.Tier().String(), string(s.ReviewStatus),
		s.Commitments.String()}
	if s.LastReviewedBy != "" {
		parts = append(parts, s.LastReviewedBy)
	}
	for _, e := range s.Evidence {
		parts = append(parts, e.Note)
	}
	if s.VacancyEvidence.Note != "" {
		parts = append(parts, s.VacancyEvidence.Note)
	}
	if s.Withdrawal.Reason != "" {
		parts = append(parts, s.Withdrawal.Reason)
	}
	return strings.ToLower(strings.Join(parts, "\x00"))
}

// SignatoryHaystack is the search text a matcher reads for free words:
// SignatoryText without its coded fields (sector, tier, review status,
// commitments), which take few values and which a matcher looks up for
// each word once (codedHits) rather than in every record's text. A word
// is found in the haystack or the coded fields exactly when it is found
// in SignatoryText. Callers build it once per record version and keep it:
// it is about half the size of the whole text.
func SignatoryHaystack(s *Signatory) string {
	return string(AppendSignatoryHaystack(nil, s))
}

// AppendSignatoryHaystack appends SignatoryHaystack(s) to dst without
// making anything on the way: a load builds the search text of every
// record into a few large blocks.
func AppendSignatoryHaystack(dst []byte, s *Signatory) []byte {
	part := func(v string) {
		dst = appendLower(dst, v)
		dst = append(dst, 0)
	}
	part(s.Organisation)
	part(s.ContactName)
	part(s.Email)
	part(s.Region)
	part(s.LocalArea)
	part(s.SignedBy)
	dst = appendLower(dst, s.Notes)
	if s.LastReviewedBy != "" {
		dst = append(dst, 0)
		dst = appendLower(dst, s.LastReviewedBy)
	}
	for _, e := range s.Evidence {
		dst = append(dst, 0)
		dst = appendLower(dst, e.Note)
	}
	if s.VacancyEvidence.Note != "" {
		dst = append(dst, 0)
		dst = appendLower(dst, s.VacancyEvidence.Note)
	}
	if s.Withdrawal.Reason != "" {
		dst = append(dst, 0)
		dst = appendLower(dst, s.Withdrawal.Reason)
	}
	return dst
}

// SignatoryHaystackSize is the length of SignatoryHaystack(s) when its
// text is ASCII (lower-casing other text may change its length): what a
// block of search text is sized by.
func SignatoryHaystackSize(s *Signatory) int {
	n := len(s.Organisation) + len(s.ContactName) + len(s.Email) + len(s.Region) +
		len(s.LocalArea) + len(s.SignedBy) + len(s.Notes) + 6
	if s.LastReviewedBy != "" {
		n += len(s.LastReviewedBy) + 1
	}
	for _, e := range s.Evidence {
		n += len(e.Note) + 1
	}
	if s.VacancyEvidence.Note != "" {
		n += len(s.VacancyEvidence.Note) + 1
	}
	if s.Withdrawal.Reason != "" {
		n += len(s.Withdrawal.Reason) + 1
	}
	return n
}

// appendLower appends strings.ToLower(v): byte by byte while v is ASCII,
// through strings.ToLower for the rest (which also turns bytes that are
// not UTF-8 into U+FFFD, as it would for the whole).
func appendLower(dst []byte, v string) []byte {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c >= utf8.RuneSelf {
			return append(dst, strings.ToLower(v[i:])...)
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// Match reports whether s passes every word and term. hay must be
// SignatoryHaystack(s).
func (m *SignatoryMatcher) Match(s *Signatory, hay string) bool {
	// Field terms first: they usually rule most records out before the
	// free words are searched for in the whole text.
	for i := range m.preds {
		if m.preds[i].test(s) == m.preds[i].neg {
			return false
		}
	}
	for _, w := range m.words {
		if !w.in(s, hay) {
			return false
		}
	}
	if len(m.not) > 0 && m.excluded(s, hay) {
		return false
	}
	// Last, so that a record already ruled out is not read again.
	return m.showWithdrawn || s.ReviewStatus != StatusWithdrawn
}

// excluded reports whether s holds every word of some negated group.
func (m *SignatoryMatcher) excluded(s *Signatory, hay string) bool {
next:
	for _, g := range m.not {
		for _, w := range g {
			if !w.in(s, hay) {
				continue next
			}
		}
		return true
	}
	return false
}

// codedHits is one free word of a query, with where it occurs among the
// values of the coded fields (sector, tier, review status, commitments),
// worked out once for the query rather than searched for in every
// record's text.
type codedHits struct {
	word        string
	commitments [1 << NumCommitments]bool // by set: its text or its tier's name holds the word
	sectors     [4]bool                   // by sectorIndex
	statuses    [4]bool                   // by statusIndex
	// spans: the word holds a NUL, so it could run from one field into
	// the next; such a word is looked for in the whole text as it was
	// first defined (SignatoryText).
	spans bool
}

func newCodedHits(w string) *codedHits {
	h := &codedHits{word: w, spans: strings.IndexByte(w, 0) >= 0}
	sets := commitmentTexts()
	for set := range h.commitments {
		h.commitments[set] = strings.Contains(sets[set][0], w) || strings.Contains(sets[set][1], w)
	}
	for _, sec := range Sectors() {
		h.sectors[sectorIndex(sec)] = strings.Contains(string(sec), w)
	}
	for _, st := range AllReviewStatuses() {
		h.statuses[statusIndex(st)] = strings.Contains(string(st), w)
	}
	return h
}

// commitmentTexts is, for every set of commitments, its interchange
// text and its tier's name.
var commitmentTexts = sync.OnceValue(func() *[1 << NumCommitments][2]string {
	var t [1 << NumCommitments][2]string
	for set := range t {
		cs := CommitmentSet(set)
		t[set] = [2]string{cs.String(), cs.Tier().String()}
	}
	return &t
})

// in reports whether the word is in s: in its search text hay or in its
// coded fields.
func (h *codedHits) in(s *Signatory, hay string) bool {
	if strings.Contains(hay, h.word) {
		return true
	}
	if h.spans {
		return strings.Contains(SignatoryText(s), h.word)
	}
	if h.commitments[s.Commitments] {
		return true
	}
	if i := sectorIndex(s.Sector); i >= 0 {
		if h.sectors[i] {
			return true
		}
	} else if strings.Contains(strings.ToLower(string(s.Sector)), h.word) {
		return true
	}
	if i := statusIndex(s.ReviewStatus); i >= 0 {
		return h.statuses[i]
	}
	return strings.Contains(strings.ToLower(string(s.ReviewStatus)), h.word)
}

// excluded reports whether hay holds every word of some group.
func excluded(hay string, groups [][]string) bool {
next:
	for _, g := range groups {
		for _, w := range g {
			if !strings.Contains(hay, w) {
				continue next
			}
		}
		return true
	}
	return false
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

// retPred is one compiled term for returns: the return passes when
// test(r, q, names) != neg. q is the return's question (nil when unknown);
// names are the respondent's names, lower-cased.
type retPred struct {
	neg  bool
	test func(r *Return, q *Question, names []string) bool
}

// ReturnMatcher is a query compiled for audit returns.
type ReturnMatcher struct {
	words []string
	not   [][]string
	preds []retPred
	names bool // some term reads the respondent's names
}

// ParseReturnQuery parses and compiles a query for audit returns, without
// a names register.
func ParseReturnQuery(s string) (*ReturnMatcher, error) {
	q, err := ParseQuery(s)
	if err != nil {
		return nil, err
	}
	return q.ForReturns()
}

// ForReturns compiles the query for audit returns without a names
// register: prison: and respondent: then match the respondent's names
// only.
func (q Query) ForReturns() (*ReturnMatcher, error) { return q.ForReturnsIn(nil) }

// ForReturnsIn compiles the query for audit returns. kind: takes the kinds
// KindsMatching gives and reaches a combined assessment's part of that
// kind (ReachesKind), so kind:prison finds Corporate's prison group.
// prison: and respondent: find the register's entries whose names contain
// the value (prison: only prisons) and keep every return that concerns one
// (ReturnConcerns: its own, one naming it in any spelling, one a reference
// ties to it); a return whose respondent's own name contains the value
// passes too, so a region the register does not know is still found.
func (q Query) ForReturnsIn(reg *NameRegister) (*ReturnMatcher, error) {
	if err := q.checkKeys("audit returns", AuditKeys()); err != nil {
		return nil, err
	}
	m := &ReturnMatcher{words: q.Words, not: q.Not}
	var statusNames []string
	for _, s := range ReturnStatuses() {
		statusNames = append(statusNames, string(s))
	}
	ratingNames := []string{string(RatingMeets), string(RatingPartly), string(RatingNotMet), "unrated"}
	nameHas := func(names []string, vals []string) bool {
		for _, n := range names {
			for _, v := range vals {
				if n != "" && strings.Contains(n, v) {
					return true
				}
			}
		}
		return false
	}
	find := func(vals []string, kinds ...NameKind) []*NameEntry {
		var out []*NameEntry
		for _, v := range vals {
			out = append(out, reg.Find(v, kinds...)...)
		}
		return out
	}
	for _, t := range q.Terms {
		var test func(r *Return, q *Question, names []string) bool
		vals := t.Values
		switch t.Key {
		case KeyRegion:
			test = func(r *Return, _ *Question, _ []string) bool { return containsAny(r.Region, vals) }
		case KeyAlliance:
			test = func(r *Return, _ *Question, _ []string) bool {
				return containsAny(string(r.Alliance)+" "+string(r.Strand), vals)
			}
		case KeyKind:
			var kinds []RespondentKind
			for _, v := range vals {
				kinds = append(kinds, KindsMatching(v)...)
			}
			test = func(r *Return, q *Question, _ []string) bool {
				for _, k := range kinds {
					if ReachesKind(r, q, k) {
						return true
					}
				}
				return false
			}
		case KeyPrison:
			m.names = true
			entries := find(vals, NamePrison)
			test = func(r *Return, _ *Question, names []string) bool {
				return r.Kind == KindPrison && nameHas(names, vals) || reg.ReturnConcerns(r, entries)
			}
		case KeyRespondent:
			m.names = true
			entries := find(vals)
			test = func(r *Return, _ *Question, names []string) bool {
				return nameHas(names, vals) || reg.ReturnConcerns(r, entries)
			}
		case KeyStatus:
			set, err := matchEnum(t, "a return status", statusNames)
			if err != nil {
				return nil, err
			}
			test = func(r *Return, _ *Question, _ []string) bool {
				for i, n := range statusNames {
					if set&(1<<i) != 0 && string(r.Status) == n {
						return true
					}
				}
				return false
			}
		case KeyRating:
			tt := t
			tt.Values = make([]string, len(t.Values))
			for i, v := range t.Values {
				if v == "none" || v == "clear" {
					v = "unrated"
				}
				tt.Values[i] = v
			}
			set, err := matchEnum(tt, "a rating", ratingNames)
			if err != nil {
				return nil, err
			}
			test = func(r *Return, _ *Question, _ []string) bool {
				got := string(r.Annotation.Rating)
				if got == "" {
					got = "unrated"
				}
				for i, n := range ratingNames {
					if set&(1<<i) != 0 && got == n {
						return true
					}
				}
				return false
			}
		}
		m.preds = append(m.preds, retPred{neg: t.Neg, test: test})
	}
	return m, nil
}

// Words are the query's free words, lower-cased: what a screen shows the
// text around.
func (m *ReturnMatcher) Words() []string { return append([]string(nil), m.words...) }

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

// Match reports whether a return passes every word and term. q is the
// return's question and resp its respondent; either may be nil. hay must
// be ReturnHaystack of the same return.
func (m *ReturnMatcher) Match(r *Return, q *Question, resp *Respondent, hay string) bool {
	for _, w := range m.words {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	if excluded(hay, m.not) {
		return false
	}
	var names []string
	if m.names {
		names = []string{strings.ToLower(r.Respondent)}
		if resp != nil {
			names = append(names, strings.ToLower(resp.Name), strings.ToLower(resp.Normalised))
		}
	}
	for i := range m.preds {
		if m.preds[i].test(r, q, names) == m.preds[i].neg {
			return false
		}
	}
	return true
}

// Narrowing: a screen that has filtered its rows by one query may filter
// only those rows again for the next query when every record the next
// query keeps, the first kept too. Narrows says so conservatively (false
// when unsure), treating both queries in the same context.

// containsKeys are the keys whose values match as substrings. kind: is not
// one (its values name kinds by prefix or in full, so "prison" does not
// select fewer returns than "rison"): its terms narrow only when equal.
var containsKeys = []string{KeyRegion, KeyArea, KeyReviewer, KeyAlliance, KeyPrison, KeyRespondent}

// prefixKeys are the keys whose values name enumerated values by prefix.
// No enumerated value is a prefix of another (TestEnumValuesPrefixFree),
// so a longer value selects no more than a shorter one it begins with.
var prefixKeys = []string{KeyTier, KeyEvidenced, KeySector, KeyStatus, KeyVacancy, KeyDue}

// valueImplies reports whether every record that value u of key selects
// is also selected by value t.
func valueImplies(key, u, t string) bool {
	switch {
	case contains(containsKeys, key):
		return strings.Contains(u, t)
	case contains(prefixKeys, key):
		return strings.HasPrefix(strings.ReplaceAll(u, " ", "_"), strings.ReplaceAll(t, " ", "_"))
	}
	return u == t
}

// termImplies reports whether passing term u means passing term t.
func termImplies(u, t Term) bool {
	if u.Key != t.Key || u.Neg != t.Neg {
		return false
	}
	if !t.Neg {
		// Whatever u's alternatives select, one of t's selects too.
		for _, uv := range u.Values {
			ok := false
			for _, tv := range t.Values {
				if valueImplies(t.Key, uv, tv) {
					ok = true
					break
				}
			}
			if !ok {
				return false
			}
		}
		return true
	}
	// Negated: a record t shuts out is shut out by u.
	for _, tv := range t.Values {
		ok := false
		for _, uv := range u.Values {
			if valueImplies(t.Key, tv, uv) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// asksForWithdrawn reports whether a positive status term could select
// withdrawn records.
func (q Query) asksForWithdrawn() bool {
	for _, t := range q.Terms {
		if t.Key == KeyStatus && !t.Neg {
			for _, v := range t.Values {
				if strings.HasPrefix(string(StatusWithdrawn), strings.ReplaceAll(v, " ", "_")) {
					return true
				}
			}
		}
	}
	return false
}

// Narrows reports whether every record q keeps is also kept by prev, so
// that a screen may filter prev's rows instead of all of them. It is
// conservative: false means "filter everything again", never a wrong
// result. Typing more of a word or a field value narrows; typing a comma
// (another alternative), more of a negated word, or a status term that
// brings withdrawn records back does not.
func (q Query) Narrows(prev Query) bool {
	if q.asksForWithdrawn() != prev.asksForWithdrawn() {
		return false
	}
	for _, w := range prev.Words {
		ok := false
		for _, x := range q.Words {
			if strings.Contains(x, w) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	for _, g := range prev.Not {
		ok := false
		for _, h := range q.Not {
			if groupImplies(g, h) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	for _, t := range prev.Terms {
		ok := false
		for _, u := range q.Terms {
			if termImplies(u, t) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// groupImplies reports whether text holding every word of g holds every
// word of h: each of h's words lies inside one of g's.
func groupImplies(g, h []string) bool {
	for _, hw := range h {
		ok := false
		for _, gw := range g {
			if strings.Contains(gw, hw) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// QueryNarrows parses two query texts and reports whether next narrows
// prev (see Query.Narrows); false if either does not parse.
func QueryNarrows(prev, next string) bool {
	p, err := ParseQuery(prev)
	if err != nil {
		return false
	}
	n, err := ParseQuery(next)
	if err != nil {
		return false
	}
	return n.Narrows(p)
}
