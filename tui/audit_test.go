package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"charter/model"
)

func sectionName(h *harness) string {
	s, _ := h.app.screens[1].(*auditScreen).section()
	return allianceGroup(s) + " · " + string(s.Kind)
}

func TestAuditChoosesEveryAllianceAndKind(t *testing.T) {
	h := newHarness(t, openStore(t, true))
	h.keys("2")
	want := []struct{ key, section string }{
		{"", "Civic Society · ROM"},
		{"t", "Civic Society · Prison"},
		{"t", "Civic Society · Probation"},
		{"a", "Faith & VCS · VCS · ROM"},
		{"t", "Faith & VCS · VCS · Prison"},
		{"t", "Faith & VCS · VCS · Probation"},
		{"a", "Faith & VCS · Faith · ROM"},
		{"t", "Faith & VCS · Faith · Prison"},
		{"t", "Faith & VCS · Faith · Probation"},
		{"t", "Faith & VCS · Faith · Area Chaplain"},
		{"a", "Corporate · ROM"},
		{"a", "Civic Society · ROM"},
	}
	for _, w := range want {
		if w.key != "" {
			h.keys(w.key)
		}
		if got := sectionName(h); got != w.section {
			t.Fatalf("after %q: %s, want %s", w.key, got, w.section)
		}
		h.mustSee(w.section)
	}
	// The section with no questions says where its data is.
	h.keys("a", "t")
	h.mustSee("This section has no questions in the source.", "press m", "Coverage tab")
	h.keys("m")
	h.mustSee("REGIONAL COMMENTS & THEMES FOR PRISONS RETURNS", "21 different VCS organisations")
}

func TestBenchmarkBesideAnswers(t *testing.T) {
	h := newHarness(t, openStore(t, true))
	h.keys("2", "t") // Civic Society · Prison
	h.mustSee("UNPAID WORK PRISON RESETTLEMENT ESTATE", "4/14")
	h.keys("j", "j", "enter") // Q3
	h.mustSee("Q3 EXAMPLES OF COLLABORATIVE WORK", "OPTIMAL ANSWER:", "Representation on LCJBs",
		"Birmingham — not answered", "Brinsford — answered", "Links between W Mids Mediation")
	golden.RequireEqual(t, []byte(h.screen()))
	h.keys("G")
	h.mustSee("Werrington — no return", "(no return: this establishment sent nothing)")
	// Wide terminals put the benchmark beside the returns.
	h.send(winSize(140, 30))
	for _, line := range strings.Split(h.screen(), "\n") {
		if strings.Contains(line, "OPTIMAL ANSWER:") && !strings.Contains(line, "│") {
			t.Errorf("benchmark not beside the returns at 140 columns: %q", line)
		}
	}
}

func TestRateCommentFlagAndHistory(t *testing.T) {
	db := openStore(t, true)
	h := newHarness(t, db)
	h.keys("2", "/")
	h.typeText("prison:featherstone")
	h.keys("enter")
	h.mustSee("Returns matching the filter (7)")
	h.keys("j", "j") // Q3, the one Featherstone answered
	h.keys("r", "r", "p", "c")
	h.typeText("Alley gates: a good local example")
	h.keys("enter")
	key := model.ReturnKey{Region: "West Midlands", QuestionID: "civic-prison-3", Respondent: "Featherstone"}
	a, err := db.Audit()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range a.Returns {
		if r.Key() == key {
			if r.Annotation.Rating != model.RatingPartly || !r.Annotation.GoodPractice || r.Annotation.Comment != "Alley gates: a good local example" {
				t.Fatalf("annotation %+v", r.Annotation)
			}
			if r.Answer != "Prison produce alley gates for local communities" {
				t.Fatalf("source text changed: %q", r.Answer)
			}
		}
	}
	hist, _ := db.ReturnHistory(key)
	if len(hist) != 4 || hist[0].By != "tester" {
		t.Fatalf("history %+v", hist)
	}
	h.keys("enter")
	h.mustSee("Featherstone — answered  [partly] ★ good practice ✎", "comment (tester): Alley gates")
	h.keys("h")
	h.mustSee("Annotation history", "rating: meets → partly", "good_practice: no → yes")
	golden.RequireEqual(t, []byte(h.screen()))
}

func TestGoodPracticeViewAndStatusFilter(t *testing.T) {
	db := openStore(t, true)
	for _, k := range []model.ReturnKey{
		{Region: "West Midlands", QuestionID: "civic-prison-1", Respondent: "Hewell Grange"},
		{Region: "West Midlands", QuestionID: "corporate-rom-2", Respondent: "ROM"},
	} {
		if _, err := db.Annotate(k, 0, "sam", func(a *model.Annotation) { a.GoodPractice = true }); err != nil {
			t.Fatal(err)
		}
	}
	h := newHarness(t, db)
	h.keys("2", "P")
	h.mustSee("Good practice across all alliances (2)", "Hewell Grange", "Corporate · ROM", "CONSULTATION EVENTS")
	h.keys("j", "enter")
	h.mustSee("Corporate · ROM", "Q2 CONSULTATION EVENTS", "PARTNERSHIP UNIT INDICATORS:", "★ good practice")
	h.keys("esc", "esc", "/")
	h.typeText("status:no_return")
	h.mustSee("Returns matching the filter (28)", "Brockhill")
	h.keys("esc", "/")
	h.typeText(`respondent:"west mercia" kind:probation alliance:civic`)
	h.mustSee("Returns matching the filter (8)")
}

func TestCoverageGridTotalsAgainstTheSource(t *testing.T) {
	h := newHarness(t, openStore(t, true))
	h.keys("3", "t") // Civic Society · Prison
	// Counted by hand from the source: answered per question 4 1 3 4 7 1 0.
	h.mustSee("answered            4  1  3  4  7  1  0",
		"Hewell Grange       ✓  ✓  ✓  ✓  ✓  –  –   5/7",
		"Long Lartin         ✓  –  –  ✓  ✓  ✓  –   4/7",
		"Brockhill           ✗  ✗  ✗  ✗  ✗  ✗  ✗   0/7",
		"No return: Brockhill, Shrewsbury, Swinfen Hall, Werrington")
	golden.RequireEqual(t, []byte(h.screen()))
	h.keys("t") // Probation: 3 3 4 4 2 4 3 1
	h.mustSee("answered            3  3  4  4  2  4  3  1", "Staffordshire       –  –  ✓  ✓  –  ✓  –  –   3/8")
}

func TestPathwayMatrixRowsAgainstTheSource(t *testing.T) {
	h := newHarness(t, openStore(t, true))
	h.keys("3", "v")
	h.mustSee(
		"Featherstone    X   X   ·   X   X   X   X",
		"Werrington      ·   ·   ·   X   ·   X   X",
		"Hewll Grange    X   X   X   X   X   X   X   = Hewell Grange",
		"Employers working on each pathway:")
	golden.RequireEqual(t, []byte(h.screen()))
	h.keys("G")
	h.mustSee("Pathway 7: Geese Theatre, SOVA/ YSS (mentoring)")
}

// A return longer than the screen can be read to its end with pgdn.
func TestLongAnswerScrollsByPage(t *testing.T) {
	h := newHarness(t, openStore(t, true))
	h.keys("2", "a", "t", "t") // Faith & VCS · VCS · Probation
	h.mustSee("INDIVIDUAL PROBATION AREAS")
	h.keys("enter", "j", "j") // West Mercia's long answer
	h.mustSee("▶ West Mercia — answered")
	h.mustNotSee("partnership with Youth Support Services")
	for i := 0; i < 6; i++ {
		h.keys("pgdown")
	}
	h.mustSee("partnership with Youth Support Services")
}
