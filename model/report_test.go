package model

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestReportFigures(t *testing.T) {
	today := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	sigs := []Signatory{}
	mk := func(org, area string, n int, st ReviewStatus, vac bool, signed string) Signatory {
		d, _ := time.Parse(DateLayout, signed)
		s := Signatory{Organisation: org, LocalArea: area, ReviewStatus: st, VacancyStatement: vac, SignedOn: d}
		for i := 0; i < n; i++ {
			s.Commitments = s.Commitments.With(Commitment(i))
		}
		return s
	}
	sigs = append(sigs,
		mk("Alpha | Pipes", "Dudley", 4, StatusVerified, false, "2025-11-22"),
		mk("Beta", "Dudley", 2, StatusPending, false, "2026-11-12"),
		mk("Gamma \x1b[31m", "Walsall", 0, StatusNeedsInfo, true, "2026-01-01"),
	)
	a := &Audit{Returns: []Return{
		{Section: Section{"West Midlands", AllianceCivic, StrandNone, KindPrison}, QuestionID: "q", Respondent: "Featherstone", Status: StatusAnswered, Answer: "alley *gates*",
			Annotation: Annotation{Rating: RatingPartly, GoodPractice: true, Comment: "good", By: "priya"}},
		{Section: Section{"West Midlands", AllianceCivic, StrandNone, KindPrison}, QuestionID: "q", Respondent: "Werrington", Status: StatusNoReturn},
		{Section: Section{"West Midlands", AllianceCivic, StrandNone, KindPrison}, QuestionID: "q", Respondent: "Stafford", Status: StatusNotAnswered, Answer: "Na"},
	}, Questions: []Question{{Section: Section{"West Midlands", AllianceCivic, StrandNone, KindPrison}, ID: "q", Order: 1, Title: "CIVIL RENEWAL"}}}
	r := Report(sigs, a, today)
	for _, want := range []string{
		"3 organisations have signed the charter.",
		"| Gold | 1 | ████████████████████ |",
		"| Bronze | 1 | ████████████████████ |",
		"| Dudley | 2 | 1 | 0 | 1 | 0 |",
		"### One commitment from the next tier (2)",
		"- Beta (Dudley) — Bronze with 2: 1 more commitment for Silver",
		"### Without the vacancy statement (2)",
		"| Gamma  | Walsall | needs_info | 2026-01-01 | 325 |",
		"| Beta | Dudley | pending | 2026-11-12 | 10 |",
		"| West Midlands | Civic Society | Prison | 3 | 1 (33%) | 1 (33%) | 1 (33%) |",
		"- Civic Society · Prison (West Midlands): Werrington",
		"1 of 1 answered returns rated: 0 meet the benchmark, 1 partly, 0 do not.",
		"- **Featherstone** — Civic Society · Prison, Q1 CIVIL RENEWAL — “good” (priya)",
		`  > alley \*gates\*`,
		`- Alpha \| Pipes (Dudley, Gold)`,
	} {
		if !strings.Contains(r, want) {
			t.Errorf("report lacks %q\n%s", want, r)
		}
	}
	if strings.Contains(r, "\x1b") {
		t.Error("control character in the report")
	}
}

// Coverage by establishment without a names register: every prison and
// probation respondent is an establishment; one listed nowhere in an
// alliance is "not listed" there; a combined assessment answers for the
// kind of its question's group.
func TestCoverageByEstablishmentRules(t *testing.T) {
	civic := Section{Region: "R", Alliance: AllianceCivic, Kind: KindPrison}
	civicP := Section{Region: "R", Alliance: AllianceCivic, Kind: KindProbation}
	corp := Section{Region: "R", Alliance: AllianceCorporate, Kind: KindCombined}
	a := &Audit{
		Regions: []string{"R"},
		Respondents: []Respondent{{Region: "R", Kind: KindPrison, Name: "A"}, {Region: "R", Kind: KindPrison, Name: "B"},
			{Region: "R", Kind: KindPrison, Name: "C"}, {Region: "R", Kind: KindPrison, Name: "D"}, {Region: "R", Kind: KindProbation, Name: "P"},
			{Region: "R", Kind: KindCombined, Name: "ROM"}},
		Questions: []Question{{Section: civic, ID: "c1", Order: 1, Title: "T"}, {Section: civic, ID: "c2", Order: 2, Title: "U"},
			{Section: civicP, ID: "p1", Order: 1, Title: "V"},
			{Section: corp, ID: "k1", Order: 1, Title: "PRISONS IN THE REGION", Group: GroupPrisons}},
		Returns: []Return{
			{Section: civic, QuestionID: "c1", Respondent: "A", Status: StatusNotAnswered, Answer: "Na"},
			{Section: civic, QuestionID: "c2", Respondent: "A", Status: StatusAnswered, Answer: "yes"},
			{Section: civic, QuestionID: "c1", Respondent: "B", Status: StatusNotAnswered, Answer: "Na"},
			{Section: civic, QuestionID: "c1", Respondent: "C", Status: StatusNoReturn},
			{Section: civicP, QuestionID: "p1", Respondent: "P", Status: StatusAnswered, Answer: "x"},
			{Section: corp, QuestionID: "k1", Respondent: "ROM", Status: StatusAnswered, Answer: "A and B"},
		},
		Comments: []RegionalComment{{Section: civic, Heading: "REGIONAL | <b>", Text: "one *two*\n\x1b[31mthree"}},
	}
	got := CoverageByEstablishment(a, nil)
	var lines []string
	for _, c := range got {
		lines = append(lines, fmt.Sprintf("%s %s: %s; answered %v, nothing %v, none %v, not listed %v, through %v",
			c.AllianceName(), c.Kind, c.Summary(), c.Answered, c.NothingAnswered, c.NoReturn, c.NotListed, c.Through))
	}
	want := []string{
		"Civic Society Prison: 2 of 4 prisons returned; answered [A], nothing [B], none [C], not listed [D], through []",
		"Civic Society Probation: 1 of 1 probation area returned; answered [P], nothing [], none [], not listed [], through []",
		"Corporate Prison: none of their own; answered for by ROM (combined assessment); answered [], nothing [], none [], not listed [], through [ROM (combined assessment)]",
		"Corporate Probation: none of their own; answered [], nothing [], none [], not listed [], through []",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	r := Report(nil, a, time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC))
	for _, w := range []string{
		"| R | Civic Society | prisons | 2 of 4 prisons returned | B | C, D |",
		`**Civic Society · Prison — REGIONAL \| &lt;b&gt;** (R)`,
		"> one \\*two\\*\n>\n> three\n",
		"- **Establishments that returned, R:** Civic Society 2 of 4 prisons; Civic Society 1 of 1 probation area.",
	} {
		if !strings.Contains(r, w) {
			t.Errorf("report lacks %q\n%s", w, r)
		}
	}
	if strings.Contains(r, "\x1b") {
		t.Error("control character in the report")
	}
}
