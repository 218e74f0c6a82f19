package tui

import (
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"charter/model"
	"charter/tui/tuitest"
)

// Hostile records and an imported region whose names, ids and answers
// carry escape sequences, C0/C1 controls and bidi overrides are drawn
// through the whole workbench — every tab, the open form with a field
// focused, the filter, the help — and no control character from the data
// reaches a frame: with the styles' own SGR sequences removed, a frame has
// no ESC, no C0 but newline, no C1 and no bidi control.
func TestHostileDataNeverReachesAnyFrame(t *testing.T) {
	db := openStore(t)
	evil := []string{
		"\x1b]0;pwned\x07Evil Title Ltd",
		"Red \x1b[31mAlert\x1b[0m Ltd",
		"Clear\x1b[2J\x1b[HScreen plc",
		"Bidi \u202egnp.exe\u202c Ltd",
		"C1 \u009b31m csi \u009d0;x\u009c Ltd",
	}
	for _, name := range evil {
		s := model.Signatory{Organisation: name, ContactName: "Ann\x1b[5m Other", Email: "a@example.org", Sector: model.SectorPrivate,
			Region: "West Midlands", LocalArea: "Dudley\u202e", SignedBy: "Sig\x07ner",
			SignedOn: time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC), ReviewStatus: model.StatusPending,
			Notes: "note \x1bP+q\x1b\\ with DCS\nsecond line \u2066"}
		if err := db.CreateSignatory(&s, "seed"); err != nil {
			t.Fatal(err)
		}
	}
	region := "Evil\x1b]0;x\x07 North\u202e"
	sec := model.Section{Region: region, Alliance: model.AllianceCivic, Kind: model.KindPrison}
	a := &model.Audit{
		Regions:     []string{region},
		Respondents: []model.Respondent{{Region: region, Kind: model.KindPrison, Name: "Bad\x1b[2J Prison\u2066"}},
		Questions:   []model.Question{{Section: sec, ID: "q\x1b[31m1\u009b", Order: 1, Title: "TITLE \x1b[31mRED", Benchmark: "bench \x1b[2J"}},
		Returns: []model.Return{{Section: sec, QuestionID: "q\x1b[31m1\u009b", Respondent: "Bad\x1b[2J Prison\u2066",
			Status: model.StatusAnswered, Answer: "answer \x1b]52;c;AAAA\x07 text"}},
	}
	if _, err := db.ImportAudit(a, model.ImportOptions{}, "x"); err != nil {
		t.Fatal(err)
	}
	app := New(Options{Signatories: db, Audit: db, Reviewer: "rev\x1b[31m", DBPath: "/tmp/\x1b[2Jx.db", Now: func() time.Time { return testNow }})
	d := &tuitest.Driver{U: &tuitest.Model{M: app}}
	d.Send(tea.WindowSizeMsg{Width: 120, Height: 40})
	for _, m := range tuitest.Run(app.Init()) {
		d.Send(m)
	}
	var frames []string
	grab := func() { frames = append(frames, app.View().Content) }
	grab()
	d.Keys("/", "type:ltd")
	grab()
	d.Keys("enter", "enter") // keep the filter, open the first record
	grab()
	d.Keys("tab") // the contact field has focus
	grab()
	d.Keys("ctrl+r") // history
	grab()
	d.Keys("esc", "esc", "2", "/", "type:north")
	grab()
	d.Keys("enter", "enter")
	grab()
	d.Keys("3")
	for i := 0; i < 12; i++ {
		d.Keys("]")
		grab()
	}
	d.Keys("?")
	grab()
	sgr := regexp.MustCompile(`\x1b\[[0-9;:]*m`)
	for i, f := range frames {
		plain := sgr.ReplaceAllString(f, "")
		for _, r := range plain {
			if r == 0x1b || (r < 0x20 && r != '\n') || (r >= 0x80 && r < 0xa0) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
				t.Fatalf("frame %d carries %U:\n%s", i, r, tuitest.Plain(f))
			}
		}
	}
	all := tuitest.Plain(strings.Join(frames, "\n"))
	for _, want := range []string{"Evil Title Ltd", "Red Alert Ltd", "Evil North", "Bad Prison"} {
		if !strings.Contains(all, want) {
			t.Errorf("%q (neutralised) never appeared", want)
		}
	}
}
