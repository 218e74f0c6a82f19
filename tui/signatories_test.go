package tui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"charter/model"

	tea "charm.land/bubbletea/v2"
)

func sampleRows() []model.Signatory {
	return []model.Signatory{
		mkSig("Dudley Printing Works", "Dudley", 4, model.StatusPending, true),
		mkSig("Walsall Bakery", "Walsall", 1, model.StatusVerified, true),
		mkSig("Dudley Council Depot", "Dudley", 0, model.StatusNeedsInfo, false),
		mkSig("Coventry Printers", "Coventry", 3, model.StatusPending, true),
		mkSig("Aston Joinery", "Birmingham", 2, model.StatusVerified, false),
	}
}

func TestTableShowsRecordsAndTierSummary(t *testing.T) {
	db := openStore(t, false)
	seedSigs(t, db, sampleRows()...)
	h := newHarness(t, db)
	h.mustSee("Organisation▲", "Aston Joinery", "Walsall Bakery", "5 signatories",
		"No tier 1", "Bronze 2", "Silver 1", "Gold 1", "3 one from next tier", "2 no vacancy stmt")
	if got := strings.Join(h.tableOrgs(), ","); got != "Aston Joinery,Coventry Printers,Dudley Council Depot,Dudley Printing Works,Walsall Bakery" {
		t.Errorf("order %s", got)
	}
	golden.RequireEqual(t, []byte(h.screen()))
}

func TestFilterByAreaAndTier(t *testing.T) {
	db := openStore(t, false)
	seedSigs(t, db, sampleRows()...)
	h := newHarness(t, db)
	h.keys("/")
	h.typeText("area:dudley")
	if got := strings.Join(h.tableOrgs(), ","); got != "Dudley Council Depot,Dudley Printing Works" {
		t.Fatalf("area filter: %s", got)
	}
	h.mustSee("No tier 1", "Gold 1")
	h.typeText(" tier:gold")
	if got := strings.Join(h.tableOrgs(), ","); got != "Dudley Printing Works" {
		t.Fatalf("area+tier: %s", got)
	}
	h.keys("enter")
	h.mustSee("Filter: area:dudley tier:gold", "1 shown")
	// A malformed query shows its error and keeps the rows.
	h.keys("/")
	h.typeText(` "unclosed`)
	h.mustSee("the quote opened here is not closed")
	if got := strings.Join(h.tableOrgs(), ","); got != "Dudley Printing Works" {
		t.Fatalf("rows lost on a bad query: %s", got)
	}
	h.keys("esc", "/")
	h.typeText("area:dudley ")
	h.send(tea.PasteMsg{Content: "colour:red"})
	h.mustSee(`unknown key "colour"`)
	if got := strings.Join(h.tableOrgs(), ","); got != "Dudley Council Depot,Dudley Printing Works" {
		t.Fatalf("rows lost on an unknown key: %s", got)
	}
	golden.RequireEqual(t, []byte(h.screen()))
	h.keys("esc")
	if len(h.tableOrgs()) != 5 {
		t.Fatalf("esc did not clear: %v", h.tableOrgs())
	}
	// The product brief's example query.
	h.keys("/")
	h.typeText("tier:gold area:dudley status:pending printing")
	h.keys("enter")
	if got := strings.Join(h.tableOrgs(), ","); got != "Dudley Printing Works" {
		t.Fatalf("brief's query: %s", got)
	}
}

func TestSortCyclesColumnsAndDirection(t *testing.T) {
	db := openStore(t, false)
	seedSigs(t, db, sampleRows()...)
	h := newHarness(t, db)
	h.keys("s") // area
	h.mustSee("Area▲")
	if got := h.tableOrgs()[0]; got != "Aston Joinery" {
		t.Errorf("by area first: %s", got)
	}
	h.keys("S")
	h.mustSee("Area▼")
	if got := h.tableOrgs()[0]; got != "Walsall Bakery" {
		t.Errorf("by area descending first: %s", got)
	}
	h.keys("s", "s", "S") // tier, descending
	h.mustSee("Tier▼")
	if got := h.tableOrgs()[0]; got != "Dudley Printing Works" {
		t.Errorf("gold first: %s", got)
	}
}

func TestNavigationKeys(t *testing.T) {
	db := openStore(t, false)
	var rows []model.Signatory
	for i := 0; i < 60; i++ {
		rows = append(rows, mkSig(fmt.Sprintf("Org %02d", i), "Dudley", i%5, model.StatusPending, true))
	}
	seedSigs(t, db, rows...)
	h := newHarness(t, db)
	h.keys("j", "j", "down")
	if h.app.sig.cursor != 3 {
		t.Fatalf("cursor %d", h.app.sig.cursor)
	}
	h.keys("G")
	h.mustSee("Org 59")
	h.mustNotSee("Org 00")
	h.keys("g")
	h.mustSee("Org 00")
	h.keys("pgdown")
	if h.app.sig.cursor != h.app.sig.tableHeight() {
		t.Fatalf("page down to %d", h.app.sig.cursor)
	}
}

func TestNoVacancyStatementStandsOut(t *testing.T) {
	db := openStore(t, false)
	seedSigs(t, db, sampleRows()...)
	h := newHarness(t, db)
	for _, line := range strings.Split(h.screen(), "\n") {
		if strings.Contains(line, "Aston Joinery") && !strings.Contains(line, "NO!") {
			t.Errorf("no mark on %q", line)
		}
		if strings.Contains(line, "Dudley Council Depot") && !strings.HasPrefix(line, "!") {
			t.Errorf("no leading mark on %q", line)
		}
	}
}

func TestTabsHelpAndQuit(t *testing.T) {
	db := openStore(t, true)
	h := newHarness(t, db)
	h.keys("2")
	h.mustSee("Civic Society · ROM", "GOVERNANCE ARRANGEMENTS")
	h.keys("tab")
	h.mustSee("answered", "Every respondent of this section sent a return.")
	h.keys("shift+tab", "shift+tab")
	h.mustSee("Organisation▲")
	h.keys("?")
	h.mustSee("Keys — Signatories", "sort column", "Everywhere (outside text fields)")
	golden.RequireEqual(t, []byte(h.screen()))
	h.keys("esc")
	h.mustNotSee("Everywhere (outside text fields)")
	_, cmd := h.app.Update(keyMsg("q"))
	if cmd == nil {
		t.Fatal("q did not quit")
	}
}

func TestResizeFollows(t *testing.T) {
	db := openStore(t, false)
	seedSigs(t, db, sampleRows()...)
	h := newHarness(t, db)
	h.send(winSize(120, 40))
	lines := strings.Split(h.screen(), "\n")
	if len(lines) != 40 {
		t.Fatalf("%d lines at height 40", len(lines))
	}
	for _, l := range lines {
		if w := displayWidth(l); w > 120 {
			t.Fatalf("line %d wide", w)
		}
	}
	h.send(winSize(80, 24))
	for _, l := range strings.Split(h.screen(), "\n") {
		if w := displayWidth(l); w > 80 {
			t.Fatalf("line %d wide at 80: %q", w, l)
		}
	}
}
