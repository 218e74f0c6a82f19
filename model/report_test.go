package model

import (
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
