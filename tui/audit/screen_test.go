package audit

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"charter/model"
	"charter/tui/common"
	"charter/tui/tuitest"
)

func TestChoosesEveryAllianceAndKind(t *testing.T) {
	h := newHarness(t, openStore(t))
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
		{"a", "Corporate · "},
		{"a", "Civic Society · ROM"},
	}
	for _, w := range want {
		if w.key != "" {
			h.keys(w.key)
		}
		if got := h.sectionName(); got != w.section && !(strings.HasSuffix(w.section, " · ") && strings.HasPrefix(got, w.section)) {
			t.Fatalf("after %q: %s, want %s", w.key, got, w.section)
		}
		h.mustSee(w.section)
	}
	// The section with no questions says where its data is.
	h.keys("a", "t")
	h.mustSee("This section has no questions in the source.", "press m", "Coverage tab")
	h.keys("m")
	h.mustSee("REGIONAL COMMENTS & THEMES FOR PRISONS RETURNS")
	for i := 0; i < 30 && !strings.Contains(h.screen(), "21 different VCS organisations"); i++ {
		h.keys("pgdown")
	}
	h.mustSee("21 different VCS organisations")
	h.keys("esc")
	h.mustSee("This section has no questions in the source.")
}

func TestQuestionsWithAnsweredCounts(t *testing.T) {
	h := newHarness(t, openStore(t))
	h.keys("t") // Civic Society · Prison
	h.mustSee("UNPAID WORK PRISON RESETTLEMENT ESTATE", "4/14", "answered", "rated")
	golden.RequireEqual(t, []byte(h.screen()))
}

func TestBenchmarkAboveAndBesideReturns(t *testing.T) {
	h := newHarness(t, openStore(t))
	h.keys("t", "j", "j", "enter") // Civic Society · Prison, Q3
	h.mustSee("Q3 EXAMPLES OF COLLABORATIVE WORK", "OPTIMAL ANSWER:", "Representation on LCJBs",
		"Birmingham — not answered", "Brinsford — answered", "Links between W Mids Mediation", "↓")
	golden.RequireEqual(t, []byte(h.screen()))
	h.keys("G")
	h.mustSee("Werrington — no return", "(no return: this establishment sent nothing)", "return 14 of 14")
	// Wide terminals put the benchmark beside the returns.
	h.s.SetSize(140, 30)
	seen := false
	for _, line := range strings.Split(h.screen(), "\n") {
		if strings.Contains(line, "OPTIMAL ANSWER:") {
			seen = true
			if !strings.Contains(line, "│") {
				t.Errorf("benchmark not beside the returns at 140 columns: %q", line)
			}
		}
	}
	if !seen {
		t.Fatalf("no benchmark at 140 columns:\n%s", h.screen())
	}
	h.keys("esc")
	h.mustSee("UNPAID WORK PRISON RESETTLEMENT ESTATE")
}

func TestRateCommentFlagAndHistory(t *testing.T) {
	db := openStore(t)
	h := newHarness(t, db)
	h.keys("/", "type:prison:featherstone", "enter")
	h.mustSee("Returns matching the filter (9)")
	h.keys("j", "j") // Q3, the one Featherstone answered
	h.keys("r", "r", "p", "c", "type:Alley gates: a good local example", "enter")
	k := wm("civic-prison-3", "Featherstone")
	a := annotation(t, db, k)
	if a.Rating != model.RatingPartly || !a.GoodPractice || a.Comment != "Alley gates: a good local example" {
		t.Fatalf("annotation %+v", a)
	}
	hist, _ := db.ReturnHistory(k)
	if len(hist) != 4 || hist[0].By != "tester" {
		t.Fatalf("history %+v", hist)
	}
	if errs := h.r.errors(); len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
	h.mustSee("▶ Featherstone  Civic · Prison  Q3 EXAMPLES OF COLLABO… answered     [partly]★✎")
	h.keys("enter")
	h.mustSee("Featherstone — answered  [partly] ★ good practice ✎", "comment (tester): Alley gates")
	h.keys("h")
	h.mustSee("Annotation history", "rating: meets → partly", "good_practice: no → yes")
	golden.RequireEqual(t, []byte(h.screen()))
	h.keys("esc")
	h.mustSee("▶ Featherstone — answered")
	h.keys("esc")
	h.mustSee("Returns matching the filter (9)")
	// On Corporate's return, whose respondent the register does not
	// know, D opens the establishment the filter names.
	h.keys("G", "D")
	h.mustSee("Dossier: Featherstone")
}

func TestDirectRatingKeys(t *testing.T) {
	db := openStore(t)
	h := newHarness(t, db)
	h.keys("t", "j", "j", "enter", "j", "j") // Brinsford on civic-prison-3
	k := wm("civic-prison-3", "Brinsford")
	for _, c := range []struct {
		key  string
		want model.Rating
	}{{"u", model.RatingPartly}, {"u", model.RatingPartly}, {"n", model.RatingNotMet}, {"y", model.RatingMeets}, {"x", model.RatingNone}} {
		h.keys(c.key)
		if got := annotation(t, db, k).Rating; got != c.want {
			t.Fatalf("after %s: %q, want %q", c.key, got, c.want)
		}
		if c.want != model.RatingNone {
			h.mustSee("Brinsford — answered  [" + c.want.Label() + "]")
		} else {
			h.mustSee("▶ Brinsford — answered\n")
		}
	}
}

func TestGoodPracticeListAndStatusFilter(t *testing.T) {
	db := openStore(t)
	for _, k := range []model.ReturnKey{wm("civic-prison-1", "Hewell Grange"), wm("corporate-rom-2", "ROM")} {
		if _, err := db.Annotate(k, 0, "sam", func(a *model.Annotation) { a.GoodPractice = true }); err != nil {
			t.Fatal(err)
		}
	}
	h := newHarness(t, db)
	h.keys("P")
	h.mustSee("Good practice across all alliances (2)", "Hewell Grange", "Corporate · ", "Q2 CONSULTATIO")
	h.keys("j", "enter")
	h.mustSee("Q2 CONSULTATION EVENTS", "PARTNERSHIP UNIT INDICATORS:", "★ good practice")
	h.keys("esc", "esc", "/", "type:status:no_return")
	h.mustSee("Returns matching the filter (28)", "Brockhill")
	h.keys("esc", "/", `type:respondent:"west mercia" kind:probation alliance:civic`)
	h.mustSee("Returns matching the filter (8)")
	h.keys("enter", "/", "type: colour:red")
	h.mustSee("✗", "unknown key \"colour\"", "Returns matching the filter")
	h.keys("enter") // kept with an error: the query in force is the last that parsed
	h.mustSee("Filter: respondent:\"west mercia\" kind:probation alliance:civic colour   (")
	if errs := h.r.errors(); len(errs) != 1 || !strings.Contains(errs[0], "unknown key") {
		t.Fatalf("errors %q", errs)
	}
	h.keys("esc")
	h.mustNotSee("Returns matching")
}

// Every line of every answer (and of the benchmark) can be brought on
// screen at 80×24: Corporate question 13 has the longest.
func TestEveryLineOfALongAnswerIsReachable(t *testing.T) {
	db := openStore(t)
	h := newHarness(t, db)
	h.keys("/", "type:alliance:corporate", "enter")
	a, _ := db.Audit()
	var want []string
	for _, r := range a.Returns {
		if r.QuestionID == "corporate-rom-13" {
			for _, l := range strings.Split(model.Sanitize(r.Answer, true), "\n") {
				want = append(want, strings.Fields(l)...)
			}
		}
	}
	var q model.Question
	for _, x := range a.Questions {
		if x.ID == "corporate-rom-13" {
			q = x
		}
	}
	h.keys("esc", "a", "a", "a") // Corporate
	if !strings.HasPrefix(h.sectionName(), "Corporate · ") {
		t.Fatalf("section %s", h.sectionName())
	}
	for i := 0; i < 12; i++ {
		h.keys("j")
	}
	h.mustSee("▶13  Prisons in the region · What are the employers pro")
	h.keys("enter", "b")
	seen := map[string]bool{}
	for _, f := range h.pages() {
		for _, w := range strings.Fields(f) {
			seen[w] = true
		}
	}
	for _, w := range append(want, strings.Fields(q.Benchmark+" "+q.Prompt)...) {
		if !seen[w] {
			t.Fatalf("%q never reached the screen", w)
		}
	}
}

// pages pages the reader from the top to the bottom and returns each frame.
func (h *harness) pages() []string {
	h.keys("g")
	for h.s.reader.text.Above() > 0 {
		h.keys("pgup")
	}
	frames := []string{h.screen()}
	for i := 0; i < 200 && h.s.reader.text.Below() > 0; i++ {
		if !strings.Contains(h.screen(), "↓") {
			h.t.Fatalf("text below but no mark:\n%s", h.screen())
		}
		h.keys("pgdown")
		frames = append(frames, h.screen())
	}
	return frames
}

// West Mercia's answer is longer than the screen: pgdn reads it to its end.
func TestLongAnswerScrollsByPage(t *testing.T) {
	h := newHarness(t, openStore(t))
	h.keys("a", "t", "t") // Faith & VCS · VCS · Probation
	h.mustSee("INDIVIDUAL PROBATION AREAS")
	h.keys("enter", "j", "j")
	h.mustSee("▶ West Mercia — answered")
	h.mustNotSee("partnership with Youth Support Services")
	for i := 0; i < 8 && !strings.Contains(h.screen(), "partnership with Youth Support Services"); i++ {
		h.keys("pgdown")
	}
	h.mustSee("partnership with Youth Support Services", "↑")
}

// The reading queue: a filtered list shows the selected return's answer,
// benchmark and annotation beside it (from 110 columns) or below it, and
// rates it in place.
func TestReadingQueue(t *testing.T) {
	db := openStore(t)
	h := newHarness(t, db)
	h.keys("/", "type:prison:featherstone", "enter", "j", "j") // Q3, the one Featherstone answered
	h.mustSee("Returns matching the filter (9)",
		"Prison produce alley gates for local communities", "OPTIMAL ANSWER:", "Representation on LCJBs")
	// Rated in place, with the marks whole in the row at 80 columns.
	h.keys("n", "p", "c", "type:Local and visible", "enter")
	k := wm("civic-prison-3", "Featherstone")
	if a := annotation(t, db, k); a.Rating != model.RatingNotMet || !a.GoodPractice || a.Comment != "Local and visible" {
		t.Fatalf("annotation %+v", a)
	}
	h.mustSee("answered     [not met]★✎", "Featherstone — answered  [not met] ★ good practice ✎", "comment (tester): Local and visible")
	if errs := h.r.errors(); len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
	t.Run("80x24", func(t *testing.T) { golden.RequireEqual(t, []byte(h.screen())) })
	// Every row's marks are whole: no row ends in a cut mark.
	for _, line := range strings.Split(h.screen(), "\n") {
		if strings.Contains(line, "[") && strings.HasSuffix(strings.TrimSpace(line), "…") {
			t.Errorf("a mark cut short: %q", line)
		}
	}

	// At 120×40 the return is beside the list.
	h.s.SetSize(120, 37)
	s := h.screen()
	beside := false
	for _, line := range strings.Split(s, "\n") {
		if strings.Contains(line, "Featherstone  Q3 EXAMPLES") && strings.Contains(line, "│") {
			beside = true
		}
	}
	if !beside || !strings.Contains(s, "Prison produce alley gates for local") || !strings.Contains(s, "OPTIMAL ANSWER:") {
		t.Fatalf("answer and benchmark not beside the list at 120 columns:\n%s", s)
	}
	t.Run("120x40", func(t *testing.T) { golden.RequireEqual(t, []byte(s)) })
	// Moving along the list shows the next return's text; rating works
	// there too.
	h.keys("j", "j", "j", "j", "j") // Corporate Q9 (the Chai Ltd link)
	h.mustSee("ROM — answered", "Chai")
	h.keys("y")
	if a := annotation(t, db, wm("corporate-rom-9", "ROM")); a.Rating != model.RatingMeets {
		t.Fatalf("Corporate Q9 rated %q in place, want meets", a.Rating)
	}
}

// A free-text filter shows, under each row, the words around the match.
func TestReadingQueueShowsTheWordsAroundAMatch(t *testing.T) {
	h := newHarness(t, openStore(t))
	h.keys("/", "type:alley gates", "enter")
	h.mustSee("Returns matching the filter (1)", "answer: Prison produce alley gates for local communities")
	h.keys("esc", "/", "type:streetworks", "enter")
	h.mustSee("answer: …", "Streetworks")
	for _, line := range strings.Split(h.screen(), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "answer:") && !strings.Contains(strings.ToLower(line), "streetworks") {
			t.Errorf("context line without the match: %q", line)
		}
	}
}

func shortHelp(s *Screen) string {
	var out []string
	for _, b := range s.Keys().ShortHelp() {
		out = append(out, b.Help().Key+" "+b.Help().Desc)
	}
	return strings.Join(out, " · ")
}

// Inside a question: the next and previous question without leaving, on
// the same respondent's return; the benchmark's state, named in the
// footer, stays while moving.
func TestNextQuestionAndTheBenchmarkKey(t *testing.T) {
	h := newHarness(t, openStore(t))
	h.keys("t", "j", "j", "enter", "j", "j", "j", "j", "j") // civic-prison-3, Featherstone
	h.mustSee("Q3 EXAMPLES OF COLLABORATIVE WORK", "▶ Featherstone — answered", "OPTIMAL ANSWER:")
	if got := shortHelp(h.s); !strings.Contains(got, "b whole benchmark") || !strings.Contains(got, "> next question") {
		t.Fatalf("footer: %s", got)
	}
	h.keys(">")
	h.mustSee("Q4 VICTIMS", "▶ Featherstone — not answered")
	h.keys("<", "<")
	h.mustSee("Q2 EXAMPLES OF PRISON", "▶ Featherstone — not answered")
	h.keys("<", "<") // round to the last question
	h.mustSee("Q7 ANY FURTHER COMMENTS", "▶ Featherstone")
	h.keys(".")
	h.mustSee("Q1 UNPAID WORK")
	// Hidden, and still hidden on the next question.
	h.keys("b", "b")
	h.mustSee("hidden — b: show it")
	h.mustNotSee("Community work projects generated")
	if got := shortHelp(h.s); !strings.Contains(got, "b show benchmark") {
		t.Fatalf("footer: %s", got)
	}
	h.keys(">")
	h.mustSee("Q2 EXAMPLES OF PRISON", "hidden — b: show it")
	h.keys("b")
	h.mustSee("OPTIMAL ANSWER:")
	h.keys("esc")
	h.mustSee("▶ 2  EXAMPLES OF PRISON") // the question list follows
}

// A return with nothing to measure is not rated; it can still be flagged
// and commented.
func TestRatingANoReturnIsRefused(t *testing.T) {
	db := openStore(t)
	h := newHarness(t, db)
	h.keys("t", "j", "j", "enter", "G") // Werrington sent no return
	h.mustSee("▶ Werrington — no return")
	for _, k := range []string{"y", "u", "n", "r"} {
		h.keys(k)
	}
	errs := h.r.errors()
	if len(errs) != 4 || !strings.Contains(errs[0], "not rated: Werrington sent no return for this question") {
		t.Fatalf("errors %q", errs)
	}
	h.keys("k", "k", "k", "k", "k", "k", "k", "k", "k", "k", "k", "k", "k") // Birmingham: "Na"
	h.keys("y")
	if errs := h.r.errors(); len(errs) != 5 || !strings.Contains(errs[4], "Birmingham did not answer this question") {
		t.Fatalf("errors %q", errs)
	}
	h.keys("G", "p", "c", "type:Chase up", "enter")
	a := annotation(t, db, wm("civic-prison-3", "Werrington"))
	if a.Rating != model.RatingNone || !a.GoodPractice || a.Comment != "Chase up" {
		t.Fatalf("Werrington %+v", a)
	}
	if a := annotation(t, db, wm("civic-prison-3", "Birmingham")); a.Rating != model.RatingNone {
		t.Fatalf("Birmingham rated %q", a.Rating)
	}
	h.mustSee("y meets: all the benchmark asks · u partly: some of it · n not met: none of it")
}

// Corporate Q13's answer is long: at 80×24 every line of it comes on
// screen with the page keys.
func TestEveryLineOfCorporateQ13IsReachable(t *testing.T) {
	h := newHarness(t, openStore(t))
	h.keys("a", "a", "a") // Corporate
	for i := 0; i < 20 && !strings.Contains(h.screen(), "▶13"); i++ {
		h.keys("j")
	}
	h.keys("enter")
	h.mustSee("Q13 Prisons in the region")
	seen := map[string]bool{}
	look := func() {
		for _, l := range strings.Split(h.screen(), "\n") {
			seen[strings.TrimSpace(l)] = true
		}
	}
	look()
	for i := 0; i < 40; i++ {
		h.keys("pgdown")
		look()
	}
	r := h.s.reader
	want := 0
	for _, row := range r.rows {
		for _, l := range answerLines(h.s.st, row, r.text.vp.Width()) {
			l = strings.TrimSpace(tuitest.Plain(l))
			if l == "" {
				continue
			}
			want++
			if !seen[l] {
				t.Errorf("never on screen: %q", l)
			}
		}
	}
	if want < 5 {
		t.Fatalf("only %d answer lines: not the long answer", want)
	}
}

// The dossier: reached from a filtered list with D (the selected return's
// respondent), everything about Featherstone, every line reachable at
// 80×24.
func TestDossierFromTheReadingQueue(t *testing.T) {
	h := newHarness(t, openStore(t))
	h.keys("/", "type:prison:featherstone", "enter", "j", "j") // Featherstone's Q3
	if !strings.Contains(fmt.Sprint(h.s.Keys().FullHelp()), "dossier of this respondent") {
		t.Fatal("D not in help")
	}
	h.keys("D")
	h.mustSee("Dossier: Featherstone", "Prison · West Midlands", "Returns by alliance")
	var all []string
	seen := map[string]bool{}
	look := func() {
		for _, l := range strings.Split(h.screen(), "\n") {
			if !seen[l] {
				seen[l] = true
				all = append(all, l)
			}
		}
	}
	look()
	for i := 0; i < 60; i++ {
		h.keys("pgdown")
		look()
	}
	text := strings.Join(all, "\n")
	for _, want := range []string{
		"Civic Society: returned — 1 answered, 6 not answered",
		"Prison produce alley gates for local communities",
		"Streetworks initiative at Featherstone",
		"Chai",
		"Pathway matrix",
		"an inference",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the dossier never shows %q:\n%s", want, text)
		}
	}
	// Every line of the dossier's text came on screen.
	lines := strings.Split(tuitest.Plain(h.s.dossier.text.vp.GetContent()), "\n")
	for _, l := range lines {
		if strings.TrimSpace(l) != "" && !strings.Contains(text, strings.TrimRight(l, " ")) {
			t.Errorf("never on screen: %q", l)
		}
	}
	h.keys("esc")
	h.mustSee("Returns matching the filter (9)")
	// On Corporate's return, whose respondent the register does not
	// know, D opens the establishment the filter names.
	h.keys("G", "D")
	h.mustSee("Dossier: Featherstone")
}

// Another tab asks for a dossier or a return: before the audit is read it
// waits, then opens it; an unknown name shows the nearest names.
func TestOpenDossierAndReturnFromAnotherTab(t *testing.T) {
	db := openStore(t)
	s := New(&common.Options{Audit: db, Reviewer: "tester"}, common.NewStyles(true))
	s.SetSize(testW, testH)
	r := &rec{s: s}
	d := &tuitest.Driver{U: r}
	h := &harness{t: t, s: s, r: r, d: d}
	load := s.Init()
	d.Send(common.OpenDossierMsg{Name: "Hewll Grange"}) // before the data
	for _, m := range tuitest.Run(load) {
		d.Send(m)
	}
	h.mustSee("Dossier: Hewell Grange", "The source also writes: “Hewll Grange”")
	d.Send(common.OpenDossierMsg{Name: "Featherstne"})
	h.mustSee("No establishment, area or organisation of the names register is called", "“Featherstne”", "The nearest names:", "  Featherstone")
	h.keys("esc") // a dossier opened over a dossier takes its place
	h.mustSee("GOVERNANCE ARRANGEMENTS")
	d.Send(common.OpenReturnMsg{Key: wm("corporate-rom-13", "ROM")})
	h.mustSee("▶ ROM — answered", "Streetworks initiative at Featherstone")
	h.keys("esc")
	h.mustSee("13  Prisons in the region")
	d.Send(common.OpenReturnMsg{Key: wm("nope", "Nobody")})
	if errs := r.errors(); len(errs) != 1 || !strings.Contains(errs[0], "not in the audit") {
		t.Fatalf("errors %q", errs)
	}
}

// The good-practice list is a reading queue too: the flagged return's
// answer and benchmark show beside it, and it is rated in place.
func TestGoodPracticeListShowsTheReturn(t *testing.T) {
	db := openStore(t)
	h := newHarness(t, db)
	h.keys("/", "type:prison:featherstone", "enter", "j", "j", "p", "esc", "P")
	h.mustSee("Good practice across all alliances (1)", "▶ Featherstone",
		"Prison produce alley gates for local communities", "OPTIMAL ANSWER:")
	h.keys("u")
	if a := annotation(t, db, wm("civic-prison-3", "Featherstone")); a.Rating != model.RatingPartly || !a.GoodPractice {
		t.Fatalf("annotation %+v", a)
	}
	h.mustSee("answered     [partly]★")
}
