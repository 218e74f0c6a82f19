package audit

import (
	"regexp"
	"strings"
	"testing"

	"charter/model"
	"charter/tui/common"
	"charter/tui/tuitest"
)

// evil text: escape sequences (CSI, OSC, DCS), C0 and C1 controls, and
// bidirectional overrides.
const (
	evilRegion = "Evil\x1b]0;pwned\x07 North\u202e"
	evilQID    = "q\x1b[31m1\u009b2J"
	evilResp   = "Bad\x1b[2J\x1b[H Prison\x08\u2066"
	evilResp2  = "Other\u009d0;x\u009c\r Gaol"
	evilAnswer = "Line one \x1b[1mbold\x1b[0m\nline two \x1bP+q\x1b\\ DCS \x07bell \u202egnp.exe\u202c"
)

func importHostile(t *testing.T) *harnessStore {
	t.Helper()
	db := openStore(t)
	sec := model.Section{Region: evilRegion, Alliance: model.AllianceCivic, Kind: model.KindPrison}
	a := &model.Audit{
		Regions: []string{evilRegion},
		Respondents: []model.Respondent{
			{Region: evilRegion, Kind: model.KindPrison, Name: evilResp, Normalised: "Norm\x1b[5m"},
			{Region: evilRegion, Kind: model.KindPrison, Name: evilResp2},
		},
		Questions: []model.Question{{Section: sec, ID: evilQID, Order: 1, Title: "TITLE \x1b[31mRED\x1b[0m",
			Prompt: "prompt\x1b]8;;http://x\x1b\\link", BenchmarkLabel: "LABEL\u0085", Benchmark: "bench \x1b[2J\nmore\u202e"}},
		Returns: []model.Return{
			{Section: sec, QuestionID: evilQID, Respondent: evilResp, Status: model.StatusAnswered, Answer: evilAnswer},
			{Section: sec, QuestionID: evilQID, Respondent: evilResp2, Status: model.StatusNotAnswered, Answer: "N\x1b[8ma"},
		},
		Comments: []model.RegionalComment{{Section: sec, Heading: "HEAD\x1b[7m", Respondent: evilResp, Text: "comment \x1b]52;c;AAAA\x07 text"}},
	}
	if _, err := db.ImportAudit(a, model.ImportOptions{}, "x"); err != nil {
		t.Fatal(err)
	}
	k := model.ReturnKey{Region: evilRegion, QuestionID: evilQID, Respondent: evilResp}
	if _, err := db.Annotate(k, 0, "x\x1b[31m", func(a *model.Annotation) {
		a.Comment = "see \x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\ and \x1b[1mbold"
		a.GoodPractice = true
	}); err != nil {
		t.Fatal(err)
	}
	return &harnessStore{db: db, key: k}
}

type harnessStore struct {
	db  model.AuditService
	key model.ReturnKey
}

// Nothing of an imported region's names, ids, answers, comments or
// annotations reaches any frame of any pane as a control character.
func TestHostileImportNeverReachesTheTerminal(t *testing.T) {
	hs := importHostile(t)
	h := newHarness(t, hs.db, func(o *common.Options) { o.Reviewer = "rev\x1b[31m" })
	var raws []string
	grab := func() { raws = append(raws, h.s.View()) }
	for i := 0; i < 40 && !strings.Contains(h.screen(), "Evil North"); i++ {
		h.keys("]")
	}
	h.mustSee("Evil North", "TITLE RED")
	grab()
	h.keys("enter")
	h.mustSee("Bad Prison (Norm)", "Line one bold", "line two  DCS bell gnp.exe", "comment (x): see link and bold", "LABEL:")
	grab()
	h.keys("b")
	grab()
	h.keys("r", "h")
	grab()
	h.keys("esc", "c", "type:more")
	grab()
	h.keys("enter", "esc", "m")
	h.mustSee("HEAD — on the return of Bad Prison", "comment  text")
	grab()
	h.keys("esc", "P")
	grab()
	h.keys("esc", "/", "type:gaol")
	h.mustSee("Other Gaol")
	grab()
	h.keys("enter", "enter")
	grab()
	h.keys("D") // a dossier of a name the register does not know
	h.mustSee("Dossier: Other Gaol", "No name is near it.")
	grab()
	h.d.Send(common.OpenDossierMsg{Name: "Fea\x1b[31mther\u202estone\x07"})
	grab()
	h.d.Send(common.OpenDossierMsg{Name: "Featherstone"})
	h.mustSee("Dossier: Featherstone")
	grab()
	h.s.SetSize(140, 30)
	grab()
	for _, m := range h.r.status {
		raws = append(raws, m.Text)
	}
	sgr := regexp.MustCompile(`\x1b\[[0-9;:]*m`)
	for i, raw := range raws {
		if strings.ContainsAny(tuitest.Plain(raw), "\x1b\x07\x08\r\u009b\u009d\u009c\u0085\u202e\u202c\u2066") {
			t.Fatalf("frame %d carries a control character from the data:\n%q", i, tuitest.Plain(raw))
		}
		for _, r := range sgr.ReplaceAllString(raw, "") {
			if r == 0x1b || (r < 0x20 && r != '\n') || (r >= 0x80 && r < 0xa0) {
				t.Fatalf("raw frame %d carries %U:\n%q", i, r, raw)
			}
		}
	}
	// The writes were addressed with the raw key, not the text shown.
	a := annotation(t, hs.db, hs.key)
	if a.Rating != model.RatingMeets || !strings.HasSuffix(a.Comment, "more") {
		t.Fatalf("annotation of the raw key: %+v", a)
	}
}
