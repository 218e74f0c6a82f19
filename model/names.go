package model

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// NameKind says what a names-register entry names.
type NameKind string

const (
	NamePrison        NameKind = "Prison"
	NameProbationArea NameKind = "Probation area"
	// NameOrganisation is a body the returns name that is neither an
	// establishment nor an area (e.g. Stonham, which the source also
	// spells "Stanhom").
	NameOrganisation NameKind = "Organisation"
)

// NameKinds lists the kinds in display order.
func NameKinds() []NameKind { return []NameKind{NamePrison, NameProbationArea, NameOrganisation} }

// ParseNameKind reads a name kind, ignoring case, spaces and punctuation.
func ParseNameKind(s string) (NameKind, error) {
	switch foldKind(s) {
	case "prison", "establishment":
		return NamePrison, nil
	case "probation area", "probation", "area":
		return NameProbationArea, nil
	case "organisation", "organization":
		return NameOrganisation, nil
	}
	return "", fmt.Errorf("%s is not a name kind (Prison, Probation area or Organisation)", quoteIfOdd(s))
}

// RespondentKind is the kind of respondent an entry of this kind answers
// as; empty for organisations, which send no returns.
func (k NameKind) RespondentKind() RespondentKind {
	switch k {
	case NamePrison:
		return KindPrison
	case NameProbationArea:
		return KindProbation
	}
	return ""
}

// NameEntry is one establishment, probation area or organisation of a
// region with every way the source writes it. The source's text is never
// changed; the register only says which words name what.
type NameEntry struct {
	Region string   `json:"region"`
	Name   string   `json:"name"` // the canonical spelling
	Kind   NameKind `json:"kind"`
	// Variants are the other spellings the source uses, exactly as printed
	// ("Hewll Grange", "HMP Birmingham", "West Mids PA").
	Variants []string `json:"variants,omitempty"`
	// Except lists phrases in which a spelling names something else
	// ("Birmingham City Council", "North Staffordshire"): a name found
	// inside one of them is not a mention.
	Except []string `json:"except,omitempty"`
	// References are passages that concern the entry without naming it.
	References []NameReference `json:"references,omitempty"`
}

// NameReference ties a passage of one return to an entry that it does not
// name. It is an editor's inference, so it always carries its reason.
type NameReference struct {
	QuestionID string `json:"question_id"`
	Respondent string `json:"respondent"`
	// Phrase is the passage, verbatim from the return's answer.
	Phrase string `json:"phrase"`
	// Because says why the passage concerns the entry.
	Because string `json:"because"`
}

// Names is the canonical name followed by the variants.
func (e *NameEntry) Names() []string {
	return append([]string{e.Name}, e.Variants...)
}

// Mention is one place a text names a register entry.
type Mention struct {
	Region string   `json:"region"`
	Name   string   `json:"name"` // the entry's canonical name
	Kind   NameKind `json:"kind"`
	// Text is the name as the text prints it: text[Start:End].
	Text  string `json:"text"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	// Sentence is the sentence around the name, verbatim, shortened with
	// "…" at a word boundary when longer than MaxMentionSentence bytes.
	Sentence string `json:"sentence"`
}

// MaxMentionSentence bounds Mention.Sentence.
const MaxMentionSentence = 320

// NameRegister answers which entry a name or a stretch of text means.
// Build one with NewNameRegister; it is read-only afterwards and safe for
// concurrent use.
type NameRegister struct {
	entries []NameEntry
	// exact maps a folded name or variant to the entries it names, in
	// register order (one per region at most).
	exact map[string][]int
	// byFirst maps the first word of every name and exception phrase to
	// the phrases starting with it.
	byFirst map[string][]phrase
}

// phrase is a name or an exception as a sequence of folded words.
type phrase struct {
	entry  int
	words  []string
	except bool
}

// NewNameRegister checks the entries and indexes them. Every entry needs a
// region, a name and a kind; no name or variant may stand for two entries
// of one region; every exception must contain one of its entry's names
// (otherwise it could never apply).
func NewNameRegister(entries []NameEntry) (*NameRegister, error) {
	reg := &NameRegister{entries: append([]NameEntry(nil), entries...), exact: map[string][]int{}, byFirst: map[string][]phrase{}}
	for i := range reg.entries {
		e := &reg.entries[i]
		if strings.TrimSpace(e.Region) == "" || strings.TrimSpace(e.Name) == "" {
			return nil, fmt.Errorf("names register entry %d: needs a region and a name", i+1)
		}
		if _, err := ParseNameKind(string(e.Kind)); err != nil || e.Kind == "" {
			return nil, fmt.Errorf("names register %s: kind %q is not Prison, Probation area or Organisation", e.Name, e.Kind)
		}
		seen := map[string]bool{}
		for _, n := range e.Names() {
			f := FoldName(n)
			if f == "" {
				return nil, fmt.Errorf("names register %s: variant %q has no letters or digits", e.Name, n)
			}
			if seen[f] {
				return nil, fmt.Errorf("names register %s: %q is listed twice", e.Name, n)
			}
			seen[f] = true
			for _, j := range reg.exact[f] {
				if reg.entries[j].Region == e.Region {
					return nil, fmt.Errorf("names register: %q names both %s and %s in %s", n, reg.entries[j].Name, e.Name, e.Region)
				}
			}
			reg.exact[f] = append(reg.exact[f], i)
			w := strings.Fields(f)
			reg.byFirst[w[0]] = append(reg.byFirst[w[0]], phrase{entry: i, words: w})
		}
		for _, x := range e.Except {
			f := FoldName(x)
			if f == "" {
				return nil, fmt.Errorf("names register %s: exception %q has no letters or digits", e.Name, x)
			}
			w := strings.Fields(f)
			contains := false
			for _, n := range e.Names() {
				if containsWords(w, strings.Fields(FoldName(n))) {
					contains = true
				}
			}
			if !contains {
				return nil, fmt.Errorf("names register %s: exception %q contains none of its names", e.Name, x)
			}
			reg.byFirst[w[0]] = append(reg.byFirst[w[0]], phrase{entry: i, words: w, except: true})
		}
	}
	return reg, nil
}

// containsWords reports whether needle occurs as consecutive words of hay.
func containsWords(hay, needle []string) bool {
	for i := 0; i+len(needle) <= len(hay); i++ {
		ok := true
		for j := range needle {
			if hay[i+j] != needle[j] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// Entries returns the entries in register order.
func (reg *NameRegister) Entries() []NameEntry {
	if reg == nil {
		return nil
	}
	return append([]NameEntry(nil), reg.entries...)
}

// FoldName is the form names are compared in: lower case, every run of
// characters other than letters and digits made one space, trimmed.
// "HEWELL GRANGE", "Hewell-Grange" and " hewell grange." fold alike.
func FoldName(s string) string { return foldKind(s) }

// Lookup finds the entry a name means: its canonical name or any variant,
// ignoring case and punctuation. Failing that, it tries again without a
// leading "HMP", "HMYOI" or "YOI" or a trailing "prison" (for prisons) and
// without a trailing "probation", "probation area", "probation service" or
// "PA" (for probation areas), so "HMP Featherstone" and "West Mercia
// Probation" are found but "Staffordshire prison" is not. Where regions share a name, the first entry in
// register order is returned.
func (reg *NameRegister) Lookup(name string) (*NameEntry, bool) {
	if reg == nil {
		return nil, false
	}
	f := FoldName(name)
	if ix := reg.exact[f]; len(ix) > 0 {
		return &reg.entries[ix[0]], true
	}
	// Drop the words that only say what kind of place it is, and accept
	// the result only for an entry of that kind.
	w := strings.Fields(f)
	var kind NameKind
	for len(w) > 1 && (w[0] == "hmp" || w[0] == "hmyoi" || w[0] == "yoi") {
		w, kind = w[1:], NamePrison
	}
	suffixes := []struct {
		words string
		kind  NameKind
	}{{"probation area", NameProbationArea}, {"probation service", NameProbationArea}, {"probation", NameProbationArea}, {"pa", NameProbationArea}, {"prison", NamePrison}}
	for _, sf := range suffixes {
		sw := strings.Fields(sf.words)
		if kind != "" && kind != sf.kind {
			continue
		}
		if len(w) > len(sw) && strings.Join(w[len(w)-len(sw):], " ") == sf.words {
			w, kind = w[:len(w)-len(sw)], sf.kind
			break
		}
	}
	if kind == "" {
		return nil, false
	}
	for _, i := range reg.exact[strings.Join(w, " ")] {
		if reg.entries[i].Kind == kind {
			return &reg.entries[i], true
		}
	}
	return nil, false
}

// ForRespondent finds the entry a respondent of a region is: its name
// equals (folded) the entry's name or a variant. No prefixes are dropped.
func (reg *NameRegister) ForRespondent(region, name string) *NameEntry {
	if reg == nil {
		return nil
	}
	for _, i := range reg.exact[FoldName(name)] {
		if reg.entries[i].Region == region {
			return &reg.entries[i]
		}
	}
	return nil
}

// Find returns every entry one of whose names contains part (folded), in
// register order: what a filter such as prison:hewell means. With kinds,
// only entries of those kinds. An empty part finds nothing.
func (reg *NameRegister) Find(part string, kinds ...NameKind) []*NameEntry {
	if reg == nil {
		return nil
	}
	f := FoldName(part)
	if f == "" {
		return nil
	}
	var out []*NameEntry
	for i := range reg.entries {
		if len(kinds) > 0 && !hasKind(kinds, reg.entries[i].Kind) {
			continue
		}
		for _, n := range reg.entries[i].Names() {
			if strings.Contains(FoldName(n), f) {
				out = append(out, &reg.entries[i])
				break
			}
		}
	}
	return out
}

func hasKind(kinds []NameKind, k NameKind) bool {
	for _, x := range kinds {
		if x == k {
			return true
		}
	}
	return false
}

// ReturnConcerns reports whether a return concerns one of entries: it is
// that entry's own return, its answer names one (any spelling, as
// Mentions finds it), or a reference of the register ties it to one. This
// is what prison: and respondent: filters keep, so prison:featherstone
// also finds Corporate's "Streetworks initiative at Featherstone".
func (reg *NameRegister) ReturnConcerns(r *Return, entries []*NameEntry) bool {
	if reg == nil || r == nil || len(entries) == 0 {
		return false
	}
	is := func(region, name string) bool {
		for _, e := range entries {
			if e.Region == region && e.Name == name {
				return true
			}
		}
		return false
	}
	if x := reg.ForRespondent(r.Region, r.Respondent); x != nil && is(x.Region, x.Name) {
		return true
	}
	for _, e := range entries {
		if e.Region != r.Region {
			continue
		}
		for _, ref := range e.References {
			if ref.QuestionID == r.QuestionID && ref.Respondent == r.Respondent {
				return true
			}
		}
	}
	for _, m := range reg.MentionsIn(r.Region, r.Answer) {
		if is(m.Region, m.Name) {
			return true
		}
	}
	return false
}

// Suggest returns up to n canonical names nearest to an unknown name, by
// edit distance to each name and variant (a name the query begins, or a
// word it begins with, counts as near), nearest first, ties in register
// order. Names much further away than the query is long are left out.
func (reg *NameRegister) Suggest(name string, n int) []string {
	if reg == nil || n <= 0 {
		return nil
	}
	q := FoldName(name)
	if q == "" {
		return nil
	}
	type cand struct {
		name string
		d    int
		i    int
	}
	var cands []cand
	seen := map[string]bool{}
	for i := range reg.entries {
		e := &reg.entries[i]
		if seen[e.Name] {
			continue
		}
		best := -1
		for _, v := range e.Names() {
			if d := nameDistance(q, FoldName(v)); best < 0 || d < best {
				best = d
			}
		}
		limit := utf8.RuneCountInString(q)/3 + 1
		if best <= limit {
			seen[e.Name] = true
			cands = append(cands, cand{e.Name, best, i})
		}
	}
	sort.SliceStable(cands, func(a, b int) bool { return cands[a].d < cands[b].d })
	var out []string
	for _, c := range cands {
		if len(out) == n {
			break
		}
		out = append(out, c.name)
	}
	return out
}

// nameDistance is the edit distance from q to name, or to the start of
// name or of any of its words (plus one), whichever is least: "hewel"
// is 1 from "hewell grange", "grange" 1 from it too.
func nameDistance(q, name string) int {
	qr := []rune(q)
	d := levenshtein(qr, []rune(name))
	words := strings.Fields(name)
	for i := range words {
		rest := []rune(strings.Join(words[i:], " "))
		if len(rest) > len(qr) {
			rest = rest[:len(qr)]
		}
		if p := levenshtein(qr, rest) + 1; p < d {
			d = p
		}
	}
	return d
}

func levenshtein(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// word is one word of a text: its folded form and byte span.
type word struct {
	folded     string
	start, end int
}

// splitWords cuts text into runs of letters and digits with their spans.
func splitWords(text string) []word {
	var out []word
	start := -1
	for i, r := range text {
		alnum := unicode.IsLetter(r) || unicode.IsDigit(r)
		switch {
		case alnum && start < 0:
			start = i
		case !alnum && start >= 0:
			out = append(out, word{strings.ToLower(text[start:i]), start, i})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, word{strings.ToLower(text[start:]), start, len(text)})
	}
	return out
}

// joins reports whether the bytes between two words of one name may only
// be spaces and hyphens (so "Stoke-on-Trent" and "Stoke on Trent" match,
// but "Blakenhurst, Brockhill" is two names).
func joins(gap string) bool {
	if gap == "" {
		return false
	}
	for _, r := range gap {
		if !unicode.IsSpace(r) && r != '-' && r != '‐' {
			return false
		}
	}
	return true
}

// matchAt reports how many words of ws, from i, spell p (0 if none).
func matchAt(text string, ws []word, i int, p []string) int {
	if i+len(p) > len(ws) {
		return 0
	}
	for j := range p {
		if ws[i+j].folded != p[j] {
			return 0
		}
		if j > 0 && !joins(text[ws[i+j-1].end:ws[i+j].start]) {
			return 0
		}
	}
	return len(p)
}

// Mentions finds every name of the register in a text as whole words,
// ignoring case: "Stafford" is not found in "Staffordshire", and
// "Featherstone's" is a mention of Featherstone. Where names overlap the
// longest wins ("HMP Birmingham" over "Birmingham"); a name inside one of
// its entry's exceptions ("Birmingham City Council") is not a mention.
// Mentions come in text order and do not overlap.
func (reg *NameRegister) Mentions(text string) []Mention { return reg.mentions(text, "") }

// MentionsIn is Mentions for a text of one region: only that region's
// entries are looked for.
func (reg *NameRegister) MentionsIn(region, text string) []Mention { return reg.mentions(text, region) }

func (reg *NameRegister) mentions(text, region string) []Mention {
	if reg == nil || text == "" {
		return nil
	}
	inRegion := func(entry int) bool { return region == "" || reg.entries[entry].Region == region }
	ws := splitWords(text)
	// Spans of exception phrases, per entry.
	type span struct{ entry, from, to int }
	var excepts []span
	for i := range ws {
		for _, p := range reg.byFirst[ws[i].folded] {
			if p.except && inRegion(p.entry) {
				if n := matchAt(text, ws, i, p.words); n > 0 {
					excepts = append(excepts, span{p.entry, i, i + n})
				}
			}
		}
	}
	excepted := func(entry, from, to int) bool {
		for _, s := range excepts {
			if s.entry == entry && s.from <= from && to <= s.to {
				return true
			}
		}
		return false
	}
	var out []Mention
	for i := 0; i < len(ws); {
		bestN, bestEntry := 0, -1
		for _, p := range reg.byFirst[ws[i].folded] {
			if p.except || !inRegion(p.entry) {
				continue
			}
			n := matchAt(text, ws, i, p.words)
			if n > bestN && !excepted(p.entry, i, i+n) {
				bestN, bestEntry = n, p.entry
			}
		}
		if bestN == 0 {
			i++
			continue
		}
		e := &reg.entries[bestEntry]
		start, end := ws[i].start, ws[i+bestN-1].end
		out = append(out, Mention{Region: e.Region, Name: e.Name, Kind: e.Kind, Text: text[start:end],
			Start: start, End: end, Sentence: SentenceAround(text, start, end)})
		i += bestN
	}
	return out
}

// SentenceAround returns the sentence of text that holds the bytes
// [start, end), verbatim: from after the previous full stop, question or
// exclamation mark followed by a space (or line break), to the next one
// (kept) or line break. A stop after a single letter ("e.g.") does not end
// a sentence. A sentence longer than MaxMentionSentence is cut at word
// boundaries around the span, with "…" where text was left out.
func SentenceAround(text string, start, end int) string {
	if start < 0 || end > len(text) || start > end {
		return ""
	}
	from := 0
	for i := start - 1; i >= 0; i-- {
		c := text[i]
		if c == '\n' {
			from = i + 1
			break
		}
		if (c == ' ' || c == '\t') && i > 0 && isStop(text, i-1) {
			from = i + 1
			break
		}
	}
	to := len(text)
	first := end
	if end > start && isStop(text, end-1) {
		first = end - 1 // the span ends its sentence
	}
	for i := first; i < len(text); i++ {
		c := text[i]
		if c == '\n' {
			to = i
			break
		}
		if isStop(text, i) && (i+1 == len(text) || text[i+1] == ' ' || text[i+1] == '\n' || text[i+1] == '\t') {
			to = i + 1
			break
		}
	}
	for from < start && (text[from] == ' ' || text[from] == '\t') {
		from++
	}
	for to > end && (text[to-1] == ' ' || text[to-1] == '\t') {
		to--
	}
	if to-from <= MaxMentionSentence {
		return text[from:to]
	}
	// Too long: keep a window around the span, cut at spaces.
	room := (MaxMentionSentence - (end - start)) / 2
	if room < 0 {
		room = 0
	}
	lo, hi := from, to
	if start-from > room {
		lo = start - room
		for lo < start && text[lo] != ' ' {
			lo++
		}
		for lo < start && text[lo] == ' ' {
			lo++
		}
	}
	if to-end > room {
		hi = end + room
		for hi > end && text[hi-1] != ' ' {
			hi--
		}
		for hi > end && text[hi-1] == ' ' {
			hi--
		}
	}
	s := text[lo:hi]
	if lo > from {
		s = "…" + s
	}
	if hi < to {
		s += "…"
	}
	return s
}

// isStop reports whether text[i] ends a sentence: '.', '!' or '?', but not
// a full stop straight after a single letter (as in "e.g.").
func isStop(text string, i int) bool {
	switch text[i] {
	case '!', '?':
		return true
	case '.':
		if i >= 1 && isASCIILetter(text[i-1]) && (i == 1 || !isASCIILetter(text[i-2])) {
			return false
		}
		return true
	}
	return false
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// UnknownNameError says a name is not in the register, with the nearest
// names. It matches ErrNotFound with errors.Is.
type UnknownNameError struct {
	Name        string
	Suggestions []string
}

func (e *UnknownNameError) Error() string {
	msg := fmt.Sprintf("%s is not an establishment or area in the names register", quoteIfOdd(e.Name))
	if len(e.Suggestions) > 0 {
		msg += "; nearest: " + strings.Join(e.Suggestions, ", ")
	}
	return msg
}

// Is makes errors.Is(err, ErrNotFound) true.
func (e *UnknownNameError) Is(target error) bool { return target == ErrNotFound }
