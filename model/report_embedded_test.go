package model_test

import (
	"strings"
	"testing"
	"time"

	"charter/model"
	"charter/store/dataset"
)

var reportDay = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)

// embeddedReport is the report on the embedded dataset and sample
// signatories, as a fresh database holds them, with sigs in place of the
// samples when given.
func embeddedReport(t *testing.T, sigs []model.Signatory, opt model.ReportOptions) string {
	t.Helper()
	a, reg, err := dataset.AuditAndNames()
	if err != nil {
		t.Fatal(err)
	}
	if sigs == nil {
		if sigs, err = dataset.Signatories(); err != nil {
			t.Fatal(err)
		}
	}
	if opt.Names == nil {
		opt.Names = reg
	}
	return model.ReportWith(sigs, a, reportDay, opt)
}

func samples(t *testing.T) []model.Signatory {
	t.Helper()
	s, err := dataset.Signatories()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func contains(t *testing.T, report string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(report, w) {
			t.Errorf("report lacks %q", w)
		}
	}
}

// The opening summary, counted by hand from the source and the samples.
func TestReportOpeningSummaryOnTheEmbeddedData(t *testing.T) {
	r := embeddedReport(t, nil, model.ReportOptions{Samples: samples(t)})
	opening, _, ok := strings.Cut(r, "## Signatories")
	if !ok || !strings.HasPrefix(strings.SplitN(opening, "\n\n", 3)[2], "## Summary for the board") {
		t.Fatalf("the report does not open with the summary:\n%s", opening)
	}
	contains(t, opening,
		// 40 samples: 12 gold, 8 silver, 15 bronze, 5 none; 15 pending and 9 needing information.
		"- **Signatories:** 40 organisations have signed the charter: 12 gold, 8 silver, 15 bronze, 5 with no tier yet; 24 await review.",
		"- **All 40 signatories are the fictional samples that charter puts in a new database. They are not real sign-ups",
		// 169 rows: 79 answered, 62 Na or equivalent, 28 (4 prisons × 7 Civic questions) never sent.
		`- **Audit returns, West Midlands:** 169 returns to 48 questions: 79 answered, 62 not answered ("Na" or equivalent), 28 never sent.`,
		"- **Establishments that returned, West Midlands:** Civic Society 10 of 14 prisons; Civic Society 4 of 4 probation areas; Faith & VCS (VCS) 4 of 4 probation areas; Faith & VCS (Faith) 4 of 4 probation areas.",
		"- **Review, West Midlands:** 0 of 79 answered returns rated (0 meet the benchmark, 0 partly, 0 do not); 0 flagged as good practice.",
		"- **KPI figures, West Midlands – Summary Report:** Prisons ETE KPI target +12%; Probation Job Entries KPI -5%; Probation Sustained Employment KPI -12%.",
	)
}

// The fictional-samples line: all, some, or none of the signatories.
func TestReportSaysWhenSignatoriesAreTheSamples(t *testing.T) {
	s := samples(t)
	real := model.Signatory{Organisation: "Real Widgets Ltd", Region: "West Midlands", LocalArea: "Dudley", SignedOn: reportDay.AddDate(0, -1, 0)}
	for _, tc := range []struct {
		name string
		sigs []model.Signatory
		opt  model.ReportOptions
		want string
		n    int
	}{
		{"all samples", s, model.ReportOptions{Samples: s}, "**All 40 signatories are the fictional samples", 2},
		{"one real", append(append([]model.Signatory{}, s...), real), model.ReportOptions{Samples: s}, "**40 of the 41 signatories are the fictional samples", 2},
		{"no samples", []model.Signatory{real}, model.ReportOptions{Samples: s}, "", 0},
		{"not told", s, model.ReportOptions{}, "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := embeddedReport(t, tc.sigs, tc.opt)
			if got := strings.Count(r, "fictional samples that charter puts in a new database"); got != tc.n {
				t.Errorf("the samples line appears %d times, want %d", got, tc.n)
			}
			if tc.want != "" {
				contains(t, r, tc.want)
			}
		})
	}
}

// Coverage by establishment, by hand from the source: Civic Society lists
// all 14 prisons, 4 with no return; every alliance has the 4 probation
// areas, Staffordshire answering nothing to Faith ("Nothing in their
// return for this Alliance"); Faith's prisons return is one for all of
// them; Corporate's is the combined assessment.
func TestReportCoverageByEstablishment(t *testing.T) {
	r := embeddedReport(t, nil, model.ReportOptions{})
	contains(t, r,
		"| West Midlands | Civic Society | prisons | 10 of 14 prisons returned |  | Brockhill, Shrewsbury, Swinfen Hall, Werrington |",
		"| West Midlands | Civic Society | probation areas | 4 of 4 probation areas returned |  |  |",
		"| West Midlands | Faith & VCS (VCS) | prisons | none of their own |  |  |",
		"| West Midlands | Faith & VCS (Faith) | prisons | none of their own; answered for by All West Midlands prisons |  |  |",
		"| West Midlands | Faith & VCS (Faith) | probation areas | 4 of 4 probation areas returned | Staffordshire |  |",
		"| West Midlands | Corporate | prisons | none of their own; answered for by ROM (combined assessment) |  |  |",
		"| West Midlands | Corporate | probation areas | none of their own; answered for by ROM (combined assessment) |  |  |",
		// Coverage by return stays.
		"| West Midlands | Civic Society | Prison | 98 | 20 (20%) | 50 (51%) | 28 (29%) |",
	)
	a, reg, _ := dataset.AuditAndNames()
	cover := model.CoverageByEstablishment(a, reg)
	if len(cover) != 8 {
		t.Fatalf("%d coverage rows, want 8 (4 alliances × prisons, probation areas)", len(cover))
	}
	civic := cover[0]
	if civic.Total != 14 || len(civic.Answered) != 10 || len(civic.NoReturn) != 4 || len(civic.NotListed) != 0 || civic.Summary() != "10 of 14 prisons returned" {
		t.Errorf("Civic Society prisons %+v", civic)
	}
}

// The regional comments (6 in the source), the matrix with inferred
// pathway names and the count of marks per pathway, counted by hand from
// the source's 11 rows, and the summary text with its KPI figures.
func TestReportCommentsMatrixAndSummary(t *testing.T) {
	r := embeddedReport(t, nil, model.ReportOptions{})
	contains(t, r,
		"### Regional comments (6)",
		"**Faith & VCS (VCS) · ROM — REGIONAL COMMENTS** (West Midlands)",
		"**Faith & VCS (Faith) · Prison — COMMENTS FOR PRISON**, on All West Midlands prisons (West Midlands)",
		"There would appear to be 21 different VCS organisations engaged.",
		"| Establishment | 1 Accommodation† | 2 Education, training and employment† | 3 Health† | 4 Drugs and alcohol† | 5 Finance, benefit and debt† | 6 Children and families† | 7 Attitudes, thinking and behaviour† |",
		"| Hewll Grange (Hewell Grange) | X | X | X | X | X | X | X |",
		"| Werrington |  |  |  | X |  | X | X |",
		"| **Establishments marked (of 11)** | 10 | 8 | 7 | 11 | 5 | 11 | 11 |",
		"- 5 Finance, benefit and debt†: CAB, Stanhom in assoc with LA",
		"† "+model.PathwayNamesNote,
		"### West Midlands – Summary Report",
		"- Probation, Job Entries KPI: **-5%**",
		"> Returns were received from all prisons, and from all four Probation Services.",
	)
	_, summary, _ := strings.Cut(r, "### West Midlands – Summary Report")
	if n := strings.Count(summary, "\n>\n") + 1; n != 8 {
		t.Errorf("summary has %d paragraphs, want the source's 8", n)
	}
}
