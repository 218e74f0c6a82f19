package model

import (
	"fmt"
	"strings"
	"time"
	"unicode"
)

// Alliance is one of the three Reducing Re-offending Alliances.
type Alliance string

const (
	AllianceCorporate Alliance = "Corporate"
	AllianceCivic     Alliance = "Civic Society"
	AllianceFaithVCS  Alliance = "Faith & VCS"
)

// Alliances lists the alliances in the order the audit report presents
// West Midlands' returns.
func Alliances() []Alliance {
	return []Alliance{AllianceCivic, AllianceFaithVCS, AllianceCorporate}
}

// Strand divides the Faith & VCS alliance; other alliances have none ("").
type Strand string

const (
	StrandNone  Strand = ""
	StrandFaith Strand = "Faith"
	StrandVCS   Strand = "VCS"
)

// RespondentKind is the kind of body that sent a return.
type RespondentKind string

const (
	KindROM          RespondentKind = "ROM"
	KindPrison       RespondentKind = "Prison"
	KindProbation    RespondentKind = "Probation"
	KindAreaChaplain RespondentKind = "Area Chaplain"
	// KindCombined is one assessment of the ROM office, the region's
	// prisons and its probation areas together: the source labels every
	// Corporate answer "ROMS PRISONS/PROBATION". Which of the three a
	// question is about is its QuestionGroup.
	KindCombined RespondentKind = "ROM/Prisons/Probation (combined)"
	// KindRegion is for region-wide text that no one respondent sent.
	KindRegion RespondentKind = "Region"
)

// RespondentKinds lists the kinds in the order screens offer them.
func RespondentKinds() []RespondentKind {
	return []RespondentKind{KindROM, KindPrison, KindProbation, KindAreaChaplain, KindCombined, KindRegion}
}

// kindSpellings are other spellings ParseRespondentKind accepts, keyed by
// their folded form (see foldKind).
var kindSpellings = map[string]RespondentKind{
	"combined":                  KindCombined,
	"roms prisons probation":    KindCombined,
	"rom prisons probation":     KindCombined,
	"rom prison probation":      KindCombined,
	"rom prisons and probation": KindCombined,
	"prisons":                   KindPrison,
	"probation area":            KindProbation,
	"probation areas":           KindProbation,
	"rom office":                KindROM,
	"chaplain":                  KindAreaChaplain,
}

// foldKind lower-cases a kind and turns every run of punctuation and
// spaces into one space: "ROMS PRISONS/PROBATION" → "roms prisons probation".
func foldKind(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		} else {
			space = true
		}
	}
	return b.String()
}

// ParseAlliance reads an alliance name as the interchange format writes it,
// ignoring case.
func ParseAlliance(s string) (Alliance, error) {
	for _, a := range Alliances() {
		if strings.EqualFold(strings.TrimSpace(s), string(a)) {
			return a, nil
		}
	}
	return "", fmt.Errorf("%s is not an alliance (Corporate, Civic Society or Faith & VCS)", quoteIfOdd(s))
}

// ParseStrand reads a strand: empty, Faith or VCS.
func ParseStrand(s string) (Strand, error) {
	for _, st := range []Strand{StrandNone, StrandFaith, StrandVCS} {
		if strings.EqualFold(strings.TrimSpace(s), string(st)) {
			return st, nil
		}
	}
	return "", fmt.Errorf("%s is not a strand (empty, Faith or VCS)", quoteIfOdd(s))
}

// ParseRespondentKind reads a respondent kind, ignoring case, spaces and
// punctuation. Besides each kind's own text it accepts "Combined" and the
// source's label "ROMS PRISONS/PROBATION" for KindCombined.
func ParseRespondentKind(s string) (RespondentKind, error) {
	f := foldKind(s)
	for _, k := range RespondentKinds() {
		if f == foldKind(string(k)) {
			return k, nil
		}
	}
	if k, ok := kindSpellings[f]; ok {
		return k, nil
	}
	return "", fmt.Errorf("%s is not a respondent kind (ROM, Prison, Probation, Area Chaplain, Combined or Region)", quoteIfOdd(s))
}

// Section is one part of a region's audit: an alliance (and strand) as
// answered by one kind of respondent. Questions and returns belong to one.
type Section struct {
	Region   string         `json:"region"`
	Alliance Alliance       `json:"alliance"`
	Strand   Strand         `json:"strand"`
	Kind     RespondentKind `json:"respondent_kind"`
}

// Name is how screens title the section, e.g. "Faith & VCS (VCS) · Probation".
func (s Section) Name() string {
	a := string(s.Alliance)
	if s.Strand != StrandNone {
		a += " (" + string(s.Strand) + ")"
	}
	return a + " · " + string(s.Kind)
}

// Respondent is a body that sent (or did not send) returns for a section.
type Respondent struct {
	Region string         `json:"region"`
	Kind   RespondentKind `json:"kind"`
	// Name is the establishment or area as the source names it.
	Name string `json:"name"`
	// Normalised is the correct spelling where the source misspells the
	// name (e.g. "Hewll Grange" → "Hewell Grange"); empty otherwise.
	Normalised string `json:"normalised,omitempty"`
}

// Question is one question of a section, with the benchmark a reviewer
// holds each answer against.
type Question struct {
	Section
	// ID is stable within its region, e.g. "civic-prison-3".
	ID    string `json:"id"`
	Order int    `json:"order"`
	Title string `json:"title"`
	// Group is the part of a combined assessment the question belongs to
	// (KindCombined sections only): ROM level, prisons or probation areas.
	Group QuestionGroup `json:"group,omitempty"`
	// Prompt is the question as put to respondents, where the source gives it.
	Prompt string `json:"prompt"`
	// BenchmarkLabel is what the source calls the benchmark: "OPTIMAL
	// ANSWER" (Civic Society) or "PARTNERSHIP UNIT INDICATORS" (Corporate).
	BenchmarkLabel string `json:"benchmark_label"`
	Benchmark      string `json:"benchmark"`
}

// ReturnStatus says whether a respondent answered a question.
type ReturnStatus string

const (
	StatusAnswered    ReturnStatus = "answered"
	StatusNotAnswered ReturnStatus = "not_answered" // the source says Na/NA
	StatusNoReturn    ReturnStatus = "no_return"    // nothing was sent
)

// ReturnStatuses lists the statuses in display order.
func ReturnStatuses() []ReturnStatus {
	return []ReturnStatus{StatusAnswered, StatusNotAnswered, StatusNoReturn}
}

// ParseReturnStatus reads a status, ignoring case.
func ParseReturnStatus(s string) (ReturnStatus, error) {
	for _, st := range ReturnStatuses() {
		if strings.EqualFold(strings.TrimSpace(s), string(st)) {
			return st, nil
		}
	}
	return "", fmt.Errorf("%s is not a return status (answered, not_answered or no_return)", quoteIfOdd(s))
}

// ReturnKey identifies one return: a respondent's reply to a question.
type ReturnKey struct {
	Region     string `json:"region"`
	QuestionID string `json:"question_id"`
	Respondent string `json:"respondent"`
}

// String joins the three names with "/" for logs and messages. It is not
// an identifier: names may contain "/", so two returns can share a string
// (the store keys annotations with each name's length).
func (k ReturnKey) String() string { return k.Region + "/" + k.QuestionID + "/" + k.Respondent }

// Return is one respondent's reply to one question, exactly as the source
// gives it, with the reviewers' annotation kept beside it. The source text
// never changes; only the annotation does.
type Return struct {
	Section
	QuestionID string       `json:"question_id"`
	Respondent string       `json:"respondent"`
	Status     ReturnStatus `json:"status"`
	// Answer is the source text verbatim; for not_answered it is what the
	// source wrote (e.g. "Na"), for no_return it is empty.
	Answer     string     `json:"answer"`
	Annotation Annotation `json:"annotation"`
}

// Key identifies the return.
func (r *Return) Key() ReturnKey {
	return ReturnKey{Region: r.Region, QuestionID: r.QuestionID, Respondent: r.Respondent}
}

// Rating is a reviewer's view of an answer against its benchmark.
type Rating string

const (
	RatingNone   Rating = ""
	RatingMeets  Rating = "meets"
	RatingPartly Rating = "partly"
	RatingNotMet Rating = "not_met"
)

// Ratings lists the ratings a reviewer can give, in the order `r` cycles them.
func Ratings() []Rating { return []Rating{RatingMeets, RatingPartly, RatingNotMet, RatingNone} }

// Label is how a rating reads on screen.
func (r Rating) Label() string {
	switch r {
	case RatingMeets:
		return "meets"
	case RatingPartly:
		return "partly"
	case RatingNotMet:
		return "not met"
	}
	return "unrated"
}

// ParseRating reads a rating; empty, "clear" and "none" mean no rating.
func ParseRating(s string) (Rating, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "clear", "none", "unrated":
		return RatingNone, nil
	case "meets":
		return RatingMeets, nil
	case "partly":
		return RatingPartly, nil
	case "not_met", "not met", "notmet":
		return RatingNotMet, nil
	}
	return "", fmt.Errorf("%s is not a rating (meets, partly, not_met or empty)", quoteIfOdd(s))
}

// MaxComment bounds a reviewer's comment.
const MaxComment = 2000

// Annotation is the reviewers' view of a return, stored apart from the
// source text.
type Annotation struct {
	Rating       Rating    `json:"rating"`
	Comment      string    `json:"comment"`
	GoodPractice bool      `json:"good_practice"`
	By           string    `json:"by"`
	At           time.Time `json:"at"`
	// Version counts saved changes; 0 means never annotated.
	Version uint64 `json:"version"`
}

// IsZero reports whether no reviewer has said anything about the return.
func (a Annotation) IsZero() bool {
	return a.Rating == RatingNone && a.Comment == "" && !a.GoodPractice
}

// AnnotationChange is one entry in a return's history.
type AnnotationChange struct {
	Version uint64    `json:"version"`
	At      time.Time `json:"at"`
	By      string    `json:"by"`
	Field   string    `json:"field"` // rating, comment or good_practice
	Old     string    `json:"old"`
	New     string    `json:"new"`
}

// RegionalComment is the audit reviewers' own comment on a section (or on
// one respondent's return within it), as the source gives it.
type RegionalComment struct {
	Section
	// Heading is the source's heading, e.g. "REGIONAL COMMENTS".
	Heading string `json:"heading"`
	// Respondent is set when the comment is about one respondent's return.
	Respondent string `json:"respondent,omitempty"`
	Text       string `json:"text"`
}

// NumPathways is how many resettlement pathways the matrix has.
const NumPathways = 7

// PathwayMatrix is the source's table of establishments against the seven
// resettlement pathways, marking which establishment has organisations
// working on which pathway, and naming those organisations per pathway.
type PathwayMatrix struct {
	Section
	Title string       `json:"title"`
	Rows  []PathwayRow `json:"rows"`
	// OrganisationsLabel is the source's label for the organisations row.
	OrganisationsLabel string `json:"organisations_label"`
	// Organisations[i] is the source's text for pathway i+1.
	Organisations [NumPathways]string `json:"organisations"`
}

// PathwayRow is one establishment's row of the matrix.
type PathwayRow struct {
	Establishment string `json:"establishment"` // as the source spells it
	Normalised    string `json:"normalised,omitempty"`
	// Marks[i] is true where the source has an X under pathway i+1.
	Marks [NumPathways]bool `json:"marks"`
}

// KPI is one figure from a summary report.
type KPI struct {
	Subject string `json:"subject"` // e.g. "Prisons"
	Measure string `json:"measure"` // e.g. "ETE KPI target"
	Figure  string `json:"figure"`  // e.g. "+12%"
	Text    string `json:"text"`    // the source sentence it comes from
}

// Summary is a region's summary report with its KPI figures.
type Summary struct {
	Region     string   `json:"region"`
	Alliance   Alliance `json:"alliance"`
	Title      string   `json:"title"`
	Paragraphs []string `json:"paragraphs"`
	KPIs       []KPI    `json:"kpis"`
}

// Audit is every region's audit data: what the embedded dataset holds and
// what an import of another region adds.
type Audit struct {
	Regions     []string          `json:"regions"`
	Respondents []Respondent      `json:"respondents"`
	Questions   []Question        `json:"questions"`
	Returns     []Return          `json:"returns"`
	Comments    []RegionalComment `json:"comments"`
	Pathways    []PathwayMatrix   `json:"pathways"`
	Summaries   []Summary         `json:"summaries"`
}

// DisplayName gives the name a filter and a screen should use for a
// respondent: the normalised spelling where there is one.
func (r Respondent) DisplayName() string {
	if r.Normalised != "" {
		return r.Normalised
	}
	return r.Name
}

// QuestionGroup is the part of a combined assessment (KindCombined) a
// question belongs to. The source prints the groups as the sub-headings
// "PRISONS IN THE REGION" and "PROBATION AREAS"; the questions before
// them are about the ROM office itself.
type QuestionGroup string

const (
	GroupNone      QuestionGroup = ""
	GroupROM       QuestionGroup = "rom"
	GroupPrisons   QuestionGroup = "prisons"
	GroupProbation QuestionGroup = "probation"
)

// QuestionGroups lists the groups in source order (without GroupNone).
func QuestionGroups() []QuestionGroup {
	return []QuestionGroup{GroupROM, GroupPrisons, GroupProbation}
}

// Label is how screens name the group: "ROM level", "Prisons in the
// region", "Probation areas"; empty for GroupNone.
func (g QuestionGroup) Label() string {
	switch g {
	case GroupROM:
		return "ROM level"
	case GroupPrisons:
		return "Prisons in the region"
	case GroupProbation:
		return "Probation areas"
	}
	return ""
}

// Heading is the source's sub-heading for the group ("PRISONS IN THE
// REGION", "PROBATION AREAS"); the ROM level has none.
func (g QuestionGroup) Heading() string {
	switch g {
	case GroupPrisons:
		return "PRISONS IN THE REGION"
	case GroupProbation:
		return "PROBATION AREAS"
	}
	return ""
}

// Kind is the respondent kind the group stands for within a combined
// assessment; empty for GroupNone.
func (g QuestionGroup) Kind() RespondentKind {
	switch g {
	case GroupROM:
		return KindROM
	case GroupPrisons:
		return KindPrison
	case GroupProbation:
		return KindProbation
	}
	return ""
}

// ParseQuestionGroup reads a group, ignoring case, spaces and punctuation:
// empty or "none"; "rom" or "ROM level"; "prisons", "prison" or "PRISONS
// IN THE REGION"; "probation", "probation areas" or "PROBATION AREAS".
func ParseQuestionGroup(s string) (QuestionGroup, error) {
	switch foldKind(s) {
	case "", "none":
		return GroupNone, nil
	case "rom", "rom level", "roms":
		return GroupROM, nil
	case "prisons", "prison", "prisons in the region":
		return GroupPrisons, nil
	case "probation", "probation areas", "probation area":
		return GroupProbation, nil
	}
	return "", fmt.Errorf("%s is not a question group (empty, rom, prisons or probation)", quoteIfOdd(s))
}

// DisplayTitle is the title a screen shows: the group's label before the
// source's title, so that the five questions the source heads "PRISONS IN
// THE REGION" read apart. Where the title is only the group's sub-heading,
// the first line of the prompt stands in for it:
// "Prisons in the region · Which prisons are working with employers?".
// Questions outside a group show their title unchanged.
func (q *Question) DisplayTitle() string {
	if q.Group == GroupNone {
		return q.Title
	}
	title := q.Title
	if h := q.Group.Heading(); h != "" && strings.EqualFold(strings.TrimSpace(title), h) {
		first, _, _ := strings.Cut(strings.TrimSpace(q.Prompt), "\n")
		if first = strings.TrimSpace(first); first != "" {
			title = first
		}
	}
	return q.Group.Label() + " · " + title
}

// ReachesKind reports whether a return speaks for respondents of kind k:
// its own kind is k, or it is a combined assessment (KindCombined) and its
// question's group stands for k. So a filter for prisons finds the
// combined answers under "PRISONS IN THE REGION". q may be nil (then only
// the return's own kind counts).
func ReachesKind(r *Return, q *Question, k RespondentKind) bool {
	if r.Kind == k {
		return true
	}
	return r.Kind == KindCombined && q != nil && q.Group != GroupNone && q.Group.Kind() == k
}

// kindShort is the word a filter value is matched against for each kind.
var kindShort = map[RespondentKind]string{
	KindROM: "rom", KindPrison: "prison", KindProbation: "probation", KindAreaChaplain: "area chaplain",
	KindCombined: "combined", KindRegion: "region",
}

// KindsMatching resolves what a reviewer types after "kind:": the kinds
// whose short name ("rom", "prison", "probation", "area chaplain",
// "combined", "region") begins with it, or the one kind it spells in full
// (any spelling ParseRespondentKind accepts). "p" gives Prison and
// Probation; "rom" gives ROM only, not the combined kind whose text begins
// with "ROM". An empty value gives none.
func KindsMatching(v string) []RespondentKind {
	f := foldKind(v)
	if f == "" {
		return nil
	}
	if k, err := ParseRespondentKind(v); err == nil {
		return []RespondentKind{k}
	}
	var out []RespondentKind
	for _, k := range RespondentKinds() {
		if strings.HasPrefix(kindShort[k], f) {
			out = append(out, k)
		}
	}
	return out
}
