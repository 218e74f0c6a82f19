package coverage

import (
	"regexp"
	"strings"
	"testing"

	"charter/model"
	"charter/tui/tuitest"
)

// containsControl reports a C0 or C1 control, ESC or bidi control in s;
// styled frames may keep their own SGR sequences.
func containsControl(s string, styled bool) bool {
	if styled {
		s = regexp.MustCompile(`\x1b\[[0-9;:]*m`).ReplaceAllString(s, "")
	}
	for _, r := range s {
		switch {
		case r == '\n':
		case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0:
			return true
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
			return true
		}
	}
	return false
}

// An imported region whose names carry escapes, C0 and C1 controls and
// bidi overrides: every frame of the grid and the matrix, with the cursor
// on every cell, is free of them.
func TestHostileImportNeverReachesAFrame(t *testing.T) {
	db := openStore(t)
	region := "Evil\x1b]0;pwned\x07 Region\u202e"
	sec := model.Section{Region: region, Alliance: model.AllianceCivic, Kind: model.KindPrison}
	names := []string{"Red \x1b[31mAlert\x1b[0m HMP", "C1 \u009b31m csi \u009d0;x\u009c HMP", "Bidi \u202egnp.exe\u202c HMP", "Bell\x07 and \x08bs\r HMP"}
	a := &model.Audit{Regions: []string{region}}
	for _, n := range names {
		a.Respondents = append(a.Respondents, model.Respondent{Region: region, Kind: model.KindPrison, Name: n, Normalised: n + "\x1b[5m"})
	}
	for qi, id := range []string{"q\x1b[31m1", "q\u009b2\u202e"} {
		a.Questions = append(a.Questions, model.Question{Section: sec, ID: id, Order: qi + 1,
			Title: "TITLE \x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\ " + id, Benchmark: "b\x1b[2J"})
		for ri, n := range names {
			st := []model.ReturnStatus{model.StatusAnswered, model.StatusNotAnswered, model.StatusNoReturn}[(qi+ri)%3]
			ans := "first \x1b[1mline\x1b[0m\u202e\nsecond"
			if st == model.StatusNoReturn {
				ans = ""
			}
			a.Returns = append(a.Returns, model.Return{Section: sec, QuestionID: id, Respondent: n, Status: st, Answer: ans})
		}
	}
	a.Pathways = []model.PathwayMatrix{{Section: model.Section{Region: region, Alliance: model.AllianceFaithVCS, Strand: model.StrandVCS, Kind: model.KindPrison},
		Title: "Matrix \x1b[2J\x1b[H title", OrganisationsLabel: "Orgs\x07\u202e",
		Rows:          []model.PathwayRow{{Establishment: names[0], Normalised: names[1], Marks: [model.NumPathways]bool{true}}},
		Organisations: [model.NumPathways]string{"NACRO \x1bP+q\x1b\\ DCS", "\u009dOSC\u009c"}}}
	if _, err := db.ImportAudit(a, model.ImportOptions{}, "x"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Annotate(model.ReturnKey{Region: region, QuestionID: "q\x1b[31m1", Respondent: names[0]}, 0, "x\x1b[31m",
		func(an *model.Annotation) {
			an.Rating, an.Comment, an.GoodPractice = model.RatingMeets, "c\x1b[31m", true
		}); err != nil {
		t.Fatal(err)
	}

	s := newScreen(t, db, 100, 20)
	var frames []string
	for i := 0; i < 40 && !strings.Contains(frame(s), "Evil Region"); i++ {
		press(s, "]")
	}
	mustSee(t, s, "Civic Society · Prison   (Evil Region)", "Red Alert HMP", "C1  csi  HMP", "Bidi gnp.exe HMP",
		"TITLE link q1", "4 of 4 prisons returned")
	for ri := 0; ri < len(names); ri++ {
		for qi := 0; qi < 2; qi++ {
			frames = append(frames, s.View())
			press(s, "l")
		}
		press(s, "h", "h") // back over Q1 to the names column
		frames = append(frames, s.View())
		press(s, "l", "j")
	}
	mustSee(t, s, "▸ Bell and bs HMP")
	press(s, "g")
	mustSee(t, s, "▸ Red Alert HMP · Q1: answered [meets] ★ good practice ✎ — first line")
	frames = append(frames, s.View())
	if sum := s.Summary(); containsControl(sum, false) {
		t.Fatalf("summary carries a control character: %q", sum)
	}
	press(s, "v")
	for i := 0; i < 40; i++ {
		frames = append(frames, s.View())
		press(s, "j")
	}
	all := ""
	for _, f := range frames {
		all += tuitest.Plain(f)
	}
	for _, want := range []string{"Matrix  title  (Evil Region, Faith & VCS · VCS · Prison)", "Red Alert HMP", "= C1  csi  HMP",
		"Orgs working on each pathway:", "Pathway 1: NACRO  DCS"} {
		if !strings.Contains(all, want) {
			t.Errorf("the matrix never showed %q", want)
		}
	}
	for i, f := range frames {
		if containsControl(f, true) {
			t.Fatalf("frame %d carries a control character from the data:\n%q", i, f)
		}
	}
}
