package coverage

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"charter/model"
	"charter/tui/auditdata"
	"charter/tui/common"
	"charter/tui/tuitest"
)

func TestCoverageGridTotalsAgainstTheSource(t *testing.T) {
	s := newScreen(t, openStore(t), 80, 21)
	press(s, "t") // Civic Society · Prison
	// Counted by hand from the source: answered per question 4 1 3 4 7 1 0.
	mustSee(t, s, "Civic Society · Prison   (West Midlands)   10 of 14 prisons returned",
		"answered            4  1  3  4  7  1  0   20/98",
		"Hewell Grange       ✓  ✓  ✓  ✓  ✓  –  –   5/7",
		"Long Lartin         ✓  –  –  ✓  ✓  ✓  –   4/7",
		"Brockhill           ✗  ✗  ✗  ✗  ✗  ✗  ✗   0/7",
		"No return: Brockhill, Shrewsbury, Swinfen Hall, Werrington")
	checkFits(t, s)
	golden.RequireEqual(t, []byte(frame(s)))
	press(s, "t") // Probation: 3 3 4 4 2 4 3 1
	mustSee(t, s, "4 of 4 probation areas returned",
		"answered            3  3  4  4  2  4  3  1   24/32",
		"Staffordshire       –  –  ✓  ✓  –  ✓  –  –   3/8",
		"Every respondent of this section sent a return.")
}

// The root leaves the tab about 20 lines of an 80×24 terminal; whatever it
// leaves, every respondent of Civic Society · Prison can be reached, and
// when all fit none is hidden.
func TestEveryRespondentReachableAt80x24(t *testing.T) {
	names := []string{"Birmingham", "Blakenhurst", "Brinsford", "Dovegate", "Drake Hall", "Featherstone",
		"Hewell Grange", "Long Lartin", "Stafford", "Stoke Heath", "Brockhill", "Shrewsbury", "Swinfen Hall", "Werrington"}
	db := openStore(t)
	for _, col := range []int{0, 2} { // Q3's title takes two lines at 80 columns
		for h := 12; h <= 24; h++ {
			s := newScreen(t, db, 80, h)
			press(s, "t")
			for i := 0; i < col; i++ {
				press(s, "l")
			}
			chrome := 7 + col/2
			seen := map[string]bool{}
			for i := 0; i < len(names); i++ {
				f := frame(s)
				for _, n := range names {
					if strings.Contains(f, "\n"+n+" ") {
						seen[n] = true
					}
				}
				checkFits(t, s)
				press(s, "j")
			}
			for _, n := range names {
				if !seen[n] {
					t.Errorf("Q%d, height %d: %s never shown", col+1, h, n)
				}
			}
			press(s, "g")
			lines := strings.Split(frame(s), "\n")
			hidden := strings.Contains(frame(s), "more below")
			switch {
			case h >= chrome+len(names) && hidden:
				t.Errorf("Q%d, height %d: rows hidden though all fit:\n%s", col+1, h, frame(s))
			case h < chrome+len(names) && !hidden:
				t.Errorf("Q%d, height %d: rows hidden without a mark:\n%s", col+1, h, frame(s))
			case h < chrome+len(names) && len(lines) != h:
				t.Errorf("Q%d, height %d: rows hidden while %d lines stay empty", col+1, h, h-len(lines))
			}
		}
	}
}

func TestCursorShowsTheSelectedReturn(t *testing.T) {
	db := openStore(t)
	key := model.ReturnKey{Region: "West Midlands", QuestionID: "civic-prison-3", Respondent: "Featherstone"}
	if _, err := db.Annotate(key, 0, "sam", func(a *model.Annotation) {
		a.Rating, a.GoodPractice, a.Comment = model.RatingPartly, true, "Alley gates"
	}); err != nil {
		t.Fatal(err)
	}
	s := newScreen(t, db, 80, 21)
	press(s, "t")
	mustSee(t, s, "▸ Birmingham · Q1: answered — Birmingham CC contracting with NACRO")
	press(s, "right", "l", "j", "j", "j", "j", "j")
	mustSee(t, s, "Q3 EXAMPLES OF COLLABORATIVE WORK",
		"Featherstone        –  –  P  –  –  –  –   1/7",
		"▸ Featherstone · Q3: answered [partly] ★ good practice ✎ — Prison produce alley…",
		"M/P/N rated meets/partly/not met")
	s.SetSize(120, 21)
	mustSee(t, s, "▸ Featherstone · Q3: answered [partly] ★ good practice ✎ — Prison produce alley gates for local communities")
	s.SetSize(80, 21)
	press(s, "up", "up", "up", "up", "up")
	mustSee(t, s, "▸ Birmingham · Q3: not answered — the source says “")
	press(s, "G")
	mustSee(t, s, "▸ Werrington · Q3: no return — this establishment sent nothing")
	press(s, "h", "left")
	mustSee(t, s, "▸ Werrington · Q1:")
	// One more step left is the names column: enter there is the dossier.
	press(s, "left")
	mustSee(t, s, "Respondents — enter: everything the audit holds about the one selected", "▸ Werrington: enter opens its dossier")
	press(s, "left") // nowhere further
	mustSee(t, s, "▸ Werrington: enter opens its dossier")
	press(s, "right")
	mustSee(t, s, "▸ Werrington · Q1:")
	// A new section starts at its first cell.
	press(s, "t")
	mustSee(t, s, "▸ West Midlands · Q1:")
}

// Corporate · ROM has 18 questions: at 80 columns the last ones lie to the
// right, marked, and the cursor brings them into view.
func TestColumnsScrollWithTheCursor(t *testing.T) {
	s := newScreen(t, openStore(t), 80, 21)
	press(s, "a", "a", "a") // Corporate
	mustSee(t, s, "Corporate · ", "1  2  3", "17 →total")
	mustNotSee(t, s, " 18 ")
	for i := 0; i < 17; i++ {
		press(s, "l")
	}
	mustSee(t, s, "Q18 ", "ANY OTHER INFORMATION / EXAMPLES", "←", "18  total", "▸ ROM · Q18:")
	mustNotSee(t, s, "→total")
	checkFits(t, s)
	for i := 0; i < 17; i++ {
		press(s, "h")
	}
	mustSee(t, s, "▸ ROM · Q1:", "17 →total")
}

func TestSectionWithoutQuestionsPointsToTheMatrix(t *testing.T) {
	s := newScreen(t, openStore(t), 80, 21)
	press(s, "a", "t") // Faith & VCS · VCS · Prison
	mustSee(t, s, "Faith & VCS · VCS · Prison", "This section has no questions in the source.",
		"Press v for its prisons × pathways matrix.")
	press(s, "v")
	mustSee(t, s, "Pathway matrix", "Hewll Grange")
}

// Section keys walk every section with data and come back round.
func TestSectionKeysVisitEverySection(t *testing.T) {
	s := newScreen(t, openStore(t), 80, 21)
	want := []struct{ key, section string }{
		{"", "Civic Society · ROM"},
		{"t", "Civic Society · Prison"},
		{"t", "Civic Society · Probation"},
		{"a", "Faith & VCS · VCS · ROM"},
		{"]", "Faith & VCS · VCS · Prison"},
		{"[", "Faith & VCS · VCS · ROM"},
		{"a", "Faith & VCS · Faith · ROM"},
		{"a", "Corporate · "},
		{"a", "Civic Society · ROM"},
		{"[", "Corporate · "},
	}
	for _, w := range want {
		if w.key != "" {
			press(s, w.key)
		}
		if !strings.HasPrefix(frame(s), w.section) || !strings.Contains(firstLine(frame(s)), "   (West Midlands)") {
			t.Fatalf("after %q want %s:\n%s", w.key, w.section, frame(s))
		}
		if got := s.Summary(); !strings.HasPrefix(got, w.section) {
			t.Fatalf("summary %q after %q", got, w.key)
		}
	}
}

// The Corporate alliance's combined assessment: each question names the
// part it is about (ROM level, prisons, probation areas).
func TestCombinedAssessmentNamesTheGroup(t *testing.T) {
	sec := model.Section{Region: "North", Alliance: model.AllianceCorporate, Kind: model.KindCombined}
	a := &model.Audit{Regions: []string{"North"},
		Respondents: []model.Respondent{{Region: "North", Kind: model.KindCombined, Name: "ROM"}},
		Questions: []model.Question{
			{Section: sec, ID: "c1", Order: 1, Title: "PLANS", Group: model.GroupROM},
			{Section: sec, ID: "c2", Order: 2, Title: "PRISONS IN THE REGION", Prompt: "Employer links in each prison", Group: model.GroupPrisons},
		},
		Returns: []model.Return{
			{Section: sec, QuestionID: "c1", Respondent: "ROM", Status: model.StatusAnswered, Answer: "A plan"},
			{Section: sec, QuestionID: "c2", Respondent: "ROM", Status: model.StatusNotAnswered, Answer: "NA"},
		}}
	s := New(&common.Options{}, common.NewStyles(true))
	s.SetSize(80, 20)
	s.Update(auditdata.LoadedMsg{Data: auditdata.Index(a)})
	mustSee(t, s, "1 of 1 combined assessment returned", "Q1 ROM level · PLANS", "answered            1  0   1/2")
	press(s, "l")
	mustSee(t, s, "Q2 Prisons in the region · Employer links in each prison", "▸ ROM · Q2: not answered — the source says “NA”")
}

// enter on a cell asks the audit tab for that return; D asks for the
// dossier of the row's respondent by its register name.
func TestEnterOpensTheReturnAndDTheDossier(t *testing.T) {
	s := newScreen(t, openStore(t), 80, 21)
	press(s, "t", "l", "l") // Civic Society · Prison, Q3, Birmingham
	msgs := tuitest.Run(s.Update(common.Press("enter")))
	want := model.ReturnKey{Region: "West Midlands", QuestionID: "civic-prison-3", Respondent: "Birmingham"}
	if len(msgs) != 1 || msgs[0] != (common.OpenReturnMsg{Key: want}) {
		t.Fatalf("enter sent %#v, want %v", msgs, want)
	}
	press(s, "j", "j", "j", "j", "j", "j") // Hewell Grange
	msgs = tuitest.Run(s.Update(common.Press("D")))
	if len(msgs) != 1 || msgs[0] != (common.OpenDossierMsg{Name: "Hewell Grange"}) {
		t.Fatalf("D sent %#v", msgs)
	}
	var short []string
	for _, b := range s.Keys().ShortHelp() {
		short = append(short, b.Help().Key)
	}
	if got := strings.Join(short, " "); !strings.Contains(got, "enter") || !strings.Contains(got, "D") {
		t.Fatalf("footer keys %q", got)
	}
	// On the names column enter asks for the dossier too.
	press(s, "h", "h", "h")
	msgs = tuitest.Run(s.Update(common.Press("enter")))
	if len(msgs) != 1 || msgs[0] != (common.OpenDossierMsg{Name: "Hewell Grange"}) {
		t.Fatalf("enter on the name sent %#v", msgs)
	}
	// In the matrix neither key does anything.
	press(s, "v")
	if cmd := s.Update(common.Press("enter")); cmd != nil {
		t.Fatal("enter in the matrix sent something")
	}
}
