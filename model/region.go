package model

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// RegionOf is the part of a that belongs to region: its respondents,
// questions, returns (with annotations), comments, matrices and summaries,
// in order. The slices are new; the values are copies.
func RegionOf(a *Audit, region string) *Audit {
	out := &Audit{Regions: []string{region}}
	for _, x := range a.Respondents {
		if x.Region == region {
			out.Respondents = append(out.Respondents, x)
		}
	}
	for _, x := range a.Questions {
		if x.Region == region {
			out.Questions = append(out.Questions, x)
		}
	}
	for _, x := range a.Returns {
		if x.Region == region {
			out.Returns = append(out.Returns, x)
		}
	}
	for _, x := range a.Comments {
		if x.Region == region {
			out.Comments = append(out.Comments, x)
		}
	}
	for _, x := range a.Pathways {
		if x.Region == region {
			out.Pathways = append(out.Pathways, x)
		}
	}
	for _, x := range a.Summaries {
		if x.Region == region {
			out.Summaries = append(out.Summaries, x)
		}
	}
	return out
}

// FindRegion resolves a region name as typed (ignoring case and
// surrounding spaces) to one of a's regions. An empty name means the only
// region, or the first when there are several. An unknown name is an
// error (matching ErrNotFound) listing the regions there are.
func FindRegion(a *Audit, name string) (string, error) {
	if len(a.Regions) == 0 {
		return "", &regionError{"the database holds no audit region"}
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return a.Regions[0], nil
	}
	for _, r := range a.Regions {
		if strings.EqualFold(r, name) {
			return r, nil
		}
	}
	return "", &regionError{fmt.Sprintf("%s is not a region of the database (it holds %s)", quoteIfOdd(name), strings.Join(a.Regions, ", "))}
}

// regionError is an unknown region; it matches ErrNotFound.
type regionError struct{ msg string }

func (e *regionError) Error() string        { return e.msg }
func (e *regionError) Is(target error) bool { return target == ErrNotFound }

// RegionExportFormat names the layout of RegionExport; a change that a
// reader of the old layout would misread changes it.
const RegionExportFormat = "charter-region/1"

// RegionExport is everything the database holds about one region, for
// `charter export region`: the questions with their benchmarks, the
// respondents, every return with its reviewers' annotation and history,
// the regional comments, the pathway matrices (with the inferred pathway
// names) and the summary reports with their KPI figures.
type RegionExport struct {
	Format      string            `json:"format"`
	Region      string            `json:"region"`
	Respondents []Respondent      `json:"respondents"`
	Questions   []Question        `json:"questions"`
	Returns     []RegionReturn    `json:"returns"`
	Comments    []RegionalComment `json:"comments"`
	Pathways    []PathwayMatrix   `json:"pathways"`
	// PathwayNames[i] is pathway i+1's name; see PathwayNamesNote.
	PathwayNames     [NumPathways]string `json:"pathway_names"`
	PathwayNamesNote string              `json:"pathway_names_note"`
	Summaries        []Summary           `json:"summaries"`
}

// RegionReturn is a return with its annotation's history, oldest first.
type RegionReturn struct {
	Return
	History []AnnotationChange `json:"history"`
}

// NewRegionExport gathers region's part of a. history gives a return's
// annotation history (nil: none is written).
func NewRegionExport(a *Audit, region string, history func(ReturnKey) ([]AnnotationChange, error)) (*RegionExport, error) {
	ra := RegionOf(a, region)
	x := &RegionExport{Format: RegionExportFormat, Region: region,
		Respondents: nonNil(ra.Respondents), Questions: nonNil(ra.Questions), Returns: make([]RegionReturn, 0, len(ra.Returns)),
		Comments: nonNil(ra.Comments), Pathways: nonNil(ra.Pathways), Summaries: nonNil(ra.Summaries),
		PathwayNames: pathwayNames, PathwayNamesNote: PathwayNamesNote}
	for _, r := range ra.Returns {
		rr := RegionReturn{Return: r, History: []AnnotationChange{}}
		if history != nil && r.Annotation.Version > 0 {
			h, err := history(r.Key())
			if err != nil {
				return nil, err
			}
			if h != nil {
				rr.History = h
			}
		}
		x.Returns = append(x.Returns, rr)
	}
	for i := range x.Summaries {
		x.Summaries[i].Paragraphs = nonNil(x.Summaries[i].Paragraphs)
		x.Summaries[i].KPIs = nonNil(x.Summaries[i].KPIs)
	}
	return x, nil
}

// Audit is the export's source data as audit data: what an import of the
// region stores (annotations are not source data and are left out).
func (x *RegionExport) Audit() *Audit {
	a := &Audit{Regions: []string{x.Region}, Respondents: x.Respondents, Questions: x.Questions,
		Comments: x.Comments, Pathways: x.Pathways, Summaries: x.Summaries}
	for _, r := range x.Returns {
		r.Annotation = Annotation{}
		a.Returns = append(a.Returns, r.Return)
	}
	return a
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// RegisterWithRespondents is reg with an entry for every prison and
// probation-area respondent of a region reg knows nothing of (an imported
// region), so such a region's establishments have dossiers too: they are
// found by their name as the returns give it, without variants.
func RegisterWithRespondents(reg *NameRegister, a *Audit) (*NameRegister, error) {
	entries := reg.Entries()
	known := map[string]bool{}
	for _, e := range entries {
		known[e.Region] = true
	}
	added := map[string]bool{}
	n := len(entries)
	for _, r := range a.Respondents {
		if known[r.Region] {
			continue
		}
		var kind NameKind
		switch r.Kind {
		case KindPrison:
			kind = NamePrison
		case KindProbation:
			kind = NameProbationArea
		default:
			continue
		}
		name := r.DisplayName()
		key := r.Region + "\x00" + FoldName(name)
		if FoldName(name) == "" || added[key] {
			continue
		}
		added[key] = true
		entries = append(entries, NameEntry{Region: r.Region, Name: name, Kind: kind})
	}
	if len(entries) == n {
		return reg, nil
	}
	return NewNameRegister(entries)
}

// ReadRegionExport decodes a region export (docs/region-format.md) and
// checks its source data: the format, one region throughout, known
// alliances, strands, kinds, groups and statuses, valid UTF-8 within the
// import limits, and answers that agree with their status. Every problem
// is handed to issue, naming the record ("question 3", "return 17"); if
// there is any, the result is nil. Annotations and histories are the
// reviewers' notes on the exporting database and are not read.
func ReadRegionExport(r io.Reader, issue func(RowIssue)) (*Audit, error) {
	var x RegionExport
	dec := json.NewDecoder(io.LimitReader(r, 1<<30))
	if err := dec.Decode(&x); err != nil {
		return nil, fmt.Errorf("the region file is not a region export in JSON: %v", err)
	}
	if x.Format != RegionExportFormat {
		return nil, fmt.Errorf("the region file's format is %s; this charter reads %s", quoteIfOdd(x.Format), RegionExportFormat)
	}
	bad := 0
	add := func(what string, n int, format string, args ...any) {
		bad++
		issue(RowIssue{Msg: fmt.Sprintf("%s %d: %s", what, n, fmt.Sprintf(format, args...))})
	}
	textOK := func(what string, n int, field, v string, max int, required bool) {
		switch {
		case !utf8.ValidString(v):
			add(what, n, "%s is not valid UTF-8", field)
		case required && strings.TrimSpace(v) == "":
			add(what, n, "%s is required", field)
		case utf8.RuneCountInString(v) > max:
			add(what, n, "%s is %d characters long; at most %d are allowed", field, utf8.RuneCountInString(v), max)
		}
	}
	if strings.TrimSpace(x.Region) == "" || !utf8.ValidString(x.Region) || utf8.RuneCountInString(x.Region) > MaxPlace {
		return nil, fmt.Errorf("the region file names no usable region (%s)", quoteIfOdd(x.Region))
	}
	section := func(what string, n int, s Section) {
		if s.Region != x.Region {
			add(what, n, "region %s is not the file's region %s", quoteIfOdd(s.Region), quoteIfOdd(x.Region))
		}
		if _, err := ParseAlliance(string(s.Alliance)); err != nil || s.Alliance == "" {
			add(what, n, "%v", err)
		} else if (s.Alliance == AllianceFaithVCS) != (s.Strand != StrandNone) {
			add(what, n, "Faith & VCS needs a strand (Faith or VCS); other alliances have none")
		}
		if k, err := ParseRespondentKind(string(s.Kind)); err != nil || k != s.Kind {
			add(what, n, "respondent kind %s is not one of %s", quoteIfOdd(string(s.Kind)), kindList())
		}
		if _, err := ParseStrand(string(s.Strand)); err != nil {
			add(what, n, "%v", err)
		}
	}
	for i, p := range x.Respondents {
		if p.Region != x.Region {
			add("respondent", i+1, "region %s is not the file's region %s", quoteIfOdd(p.Region), quoteIfOdd(x.Region))
		}
		textOK("respondent", i+1, "name", p.Name, MaxNameField, true)
	}
	for i, q := range x.Questions {
		section("question", i+1, q.Section)
		textOK("question", i+1, "id", q.ID, MaxNameField, true)
		textOK("question", i+1, "title", q.Title, 1000, true)
		textOK("question", i+1, "prompt", q.Prompt, MaxBenchmark, false)
		textOK("question", i+1, "benchmark", q.Benchmark, MaxBenchmark, false)
		textOK("question", i+1, "benchmark_label", q.BenchmarkLabel, MaxNameField, false)
		if g, err := ParseQuestionGroup(string(q.Group)); err != nil || g != q.Group {
			add("question", i+1, "group %s is not one of rom, prisons, probation or empty", quoteIfOdd(string(q.Group)))
		} else if q.Group != GroupNone && q.Kind != KindCombined {
			add("question", i+1, "only a combined assessment has question groups")
		}
	}
	for i, r := range x.Returns {
		section("return", i+1, r.Section)
		textOK("return", i+1, "answer", r.Answer, MaxAnswer, false)
		switch r.Status {
		case StatusAnswered:
			if strings.TrimSpace(r.Answer) == "" {
				add("return", i+1, "an answered return needs its text")
			}
		case StatusNoReturn:
			if r.Answer != "" {
				add("return", i+1, "a no_return return has no answer")
			}
		case StatusNotAnswered:
		default:
			add("return", i+1, "status %s is not answered, not_answered or no_return", quoteIfOdd(string(r.Status)))
		}
	}
	for i, c := range x.Comments {
		section("comment", i+1, c.Section)
		textOK("comment", i+1, "text", c.Text, MaxAnswer, false)
	}
	for i, m := range x.Pathways {
		section("pathway matrix", i+1, m.Section)
	}
	for i, s := range x.Summaries {
		if s.Region != x.Region {
			add("summary", i+1, "region %s is not the file's region %s", quoteIfOdd(s.Region), quoteIfOdd(x.Region))
		}
	}
	if bad > 0 {
		return nil, nil
	}
	if len(x.Returns) == 0 {
		return nil, errors.New("the region file has no returns")
	}
	return x.Audit(), nil
}

func kindList() string {
	var ks []string
	for _, k := range RespondentKinds() {
		ks = append(ks, string(k))
	}
	return strings.Join(ks, ", ")
}
