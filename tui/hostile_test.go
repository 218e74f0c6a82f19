package tui

import (
	"regexp"
	"strings"
	"testing"

	"charter/model"
)

// Records whose fields hold escape sequences and control characters are
// drawn through the real screens, and no ESC byte from the data may reach
// the output: the only ESCs in a frame are the ones the styles put there,
// and with colour stripped there must be none.
func TestHostileDataNeverReachesTheTerminal(t *testing.T) {
	db := openStore(t, true)
	evil := []string{
		"\x1b]0;pwned\x07Evil Title Ltd",
		"Red \x1b[31mAlert\x1b[0m Ltd",
		"Clear\x1b[2J\x1b[HScreen plc",
		"Bidi \u202egnp.exe\u202c Ltd",
		"Bell\x07 and \x08backspace\r Ltd",
		"C1 \u009b31m csi \u009d0;x\u009c Ltd",
	}
	var rows []model.Signatory
	for i, name := range evil {
		s := mkSig(name, "Dudley\x1b[5m", i%5, model.StatusPending, i%2 == 0)
		s.Notes = "note \x1bP+q\x1b\\ with DCS"
		rows = append(rows, s)
	}
	seedSigs(t, db, rows...)
	for _, key := range []model.ReturnKey{{Region: "West Midlands", QuestionID: "civic-prison-3", Respondent: "Featherstone"}} {
		if _, err := db.Annotate(key, 0, "x\x1b[31m", func(a *model.Annotation) {
			a.Comment = "see \x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\ and \x1b[1mbold"
			a.GoodPractice = true
		}); err != nil {
			t.Fatal(err)
		}
	}
	h := newHarness(t, db, func(o *Options) { o.Reviewer = "rev\x1b[31m"; o.DBPath = "/tmp/\x1b[2Jx.db" })
	frames, raws := []string{}, []string{}
	grab := func() { frames = append(frames, h.screen()); raws = append(raws, h.raw()) }
	grab()
	h.keys("/")
	h.typeText("ltd")
	grab()
	h.keys("enter", "enter")
	grab()
	h.keys("ctrl+h")
	grab()
	h.keys("esc", "esc", "2", "P")
	grab()
	h.keys("enter")
	grab()
	h.keys("3", "t")
	grab()
	for i, f := range frames {
		if strings.ContainsAny(f, "\x1b\x07\x08\r\u009b\u009d\u202e") {
			t.Fatalf("frame %d carries a control character from the data:\n%q", i, f)
		}
	}
	h.mustSee("Evil Title Ltd")
	// With styles, a frame's only escape sequences are colour and
	// attribute settings (SGR); once those are removed no ESC or other
	// control character may remain.
	sgr := regexp.MustCompile(`\x1b\[[0-9;:]*m`)
	for i, raw := range raws {
		plain := sgr.ReplaceAllString(raw, "")
		for _, r := range plain {
			if r == 0x1b || (r < 0x20 && r != '\n') || (r >= 0x80 && r < 0xa0) {
				t.Fatalf("raw frame %d carries %U:\n%q", i, r, plain)
			}
		}
	}
	// The data's own colour codes were removed, not passed on: the name
	// appears in the raw frame with nothing inside it.
	if !strings.Contains(raws[1], "Red Alert Ltd") || !strings.Contains(raws[1], "Evil Title Ltd") {
		t.Fatalf("sanitised name missing from the raw frame")
	}
}
