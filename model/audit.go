package model

import (
	"fmt"
	"strings"
	"time"
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
	// KindRegion is for region-wide text that no one respondent sent.
	KindRegion RespondentKind = "Region"
)

// RespondentKinds lists the kinds in the order screens offer them.
func RespondentKinds() []RespondentKind {
	return []RespondentKind{KindROM, KindPrison, KindProbation, KindAreaChaplain, KindRegion}
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

// ParseRespondentKind reads a respondent kind, ignoring case.
func ParseRespondentKind(s string) (RespondentKind, error) {
	for _, k := range RespondentKinds() {
		if strings.EqualFold(strings.TrimSpace(s), string(k)) {
			return k, nil
		}
	}
	return "", fmt.Errorf("%s is not a respondent kind (ROM, Prison, Probation, Area Chaplain or Region)", quoteIfOdd(s))
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
