package signatories

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"charter/model"
	"charter/store"
	"charter/tui/common"
	"charter/tui/rowindex"
	"charter/tui/tuitest"
)

func TestTableShowsRecordsAndTierSummary(t *testing.T) {
	db := openStore(t)
	seedSigs(t, db, sampleRows()...)
	h := newHarness(t, db)
	h.mustSee("Organisation▲", "Aston Joinery", "Walsall Bakery", "5 signatories",
		"No tier 1", "Bronze 2", "Silver 1", "Gold 1", "3 one from next tier", "2 no vacancy stmt")
	if got := strings.Join(h.tableOrgs(), ","); got != "Aston Joinery,Coventry Printers,Dudley Council Depot,Dudley Printing Works,Walsall Bakery" {
		t.Errorf("order %s", got)
	}
	for _, line := range strings.Split(h.screen(), "\n") {
		if strings.Contains(line, "Aston Joinery") && !strings.Contains(line, "NO!") {
			t.Errorf("no mark on %q", line)
		}
		if strings.Contains(line, "Dudley Council Depot") && !strings.HasPrefix(line, " !") {
			t.Errorf("no leading mark on %q", line)
		}
	}
	golden.RequireEqual(t, []byte(h.screen()))
}

func TestFilterByAreaAndTier(t *testing.T) {
	db := openStore(t)
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
	h.mustSee("Filter: area:dudley tier:gold", "1 shown", "filter kept: 1 match")
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
	// esc on the table clears a kept filter.
	h.keys("esc")
	if len(h.tableOrgs()) != 5 {
		t.Fatalf("esc did not clear the kept filter: %v", h.tableOrgs())
	}
}

func TestSortCyclesColumnsAndDirection(t *testing.T) {
	db := openStore(t)
	seedSigs(t, db, sampleRows()...)
	h := newHarness(t, db)
	h.keys("s") // area
	h.mustSee("Area▲", "sorted by area")
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
	db := openStore(t)
	var rows []model.Signatory
	for i := 0; i < 60; i++ {
		rows = append(rows, mkSig(fmt.Sprintf("Org %02d", i), "Dudley", i%5, model.StatusPending, true))
	}
	seedSigs(t, db, rows...)
	h := newHarness(t, db)
	h.keys("j", "j", "down")
	if h.s.table.list.Cursor() != 3 {
		t.Fatalf("cursor %d", h.s.table.list.Cursor())
	}
	h.keys("G")
	h.mustSee("Org 59", "↑ 42 more")
	h.mustNotSee("Org 00")
	h.keys("g")
	h.mustSee("Org 00", "↓ 42 more")
	h.keys("pgdown")
	if got, want := h.s.table.list.Cursor(), h.s.table.bodyHeight()-1; got != want {
		t.Fatalf("page down to %d, want %d", got, want)
	}
}

// gatedScreen is a screen on db whose page reads each wait for a value on
// the gate it returns.
func gatedScreen(t *testing.T, db *store.DB) (*Screen, chan struct{}) {
	gate := make(chan struct{})
	svc := wrap(db)
	svc.SignatoryPageFn = func(after uint64, limit int) ([]model.Signatory, error) {
		<-gate
		return db.SignatoryPage(after, limit)
	}
	o := &common.Options{Signatories: svc, Reviewer: "tester", Now: func() time.Time { return testNow }}
	s := New(o, common.NewStyles(true))
	s.SetSize(80, 21)
	return s, gate
}

// deliver hands the screen the rows as they stand once cond holds.
func deliver(t *testing.T, s *Screen, cond func(*rowindex.Snapshot) bool) {
	t.Helper()
	sh := s.table.idx.Shared()
	snap := sh.Current()
	for end := time.Now().Add(5 * time.Second); !cond(snap); snap = sh.Current() {
		if time.Now().After(end) {
			t.Fatal("the rows never arrived")
		}
		time.Sleep(time.Millisecond)
	}
	s.Update(rowsMsg{Owner: owner(s.table.gen), snap: snap})
}

// The first page shows before the rest, with the load's progress in the
// status bar; a query typed while the rest are loading applies to them as
// they arrive, and keys work meanwhile.
func TestPagesShowAsTheyArriveAndAQueryAppliesToThem(t *testing.T) {
	db := openStore(t)
	var rows []model.Signatory
	for i := 0; i < 250; i++ {
		rows = append(rows, mkSig(fmt.Sprintf("Org %03d", i), "Dudley", i%5, model.StatusPending, true))
	}
	seedSigs(t, db, rows...)
	s, gate := gatedScreen(t, db)
	s.Init()
	gate <- struct{}{}
	deliver(t, s, func(sn *rowindex.Snapshot) bool { return sn.Live() == 200 })
	if !strings.Contains(s.View(), "Org 000") || !strings.Contains(s.Summary(), "250 signatories (loading: 80%, 200 in)") {
		t.Fatalf("first page:\n%s\n%s", s.View(), s.Summary())
	}
	d := &tuitest.Driver{U: &host{s: s}}
	d.Keys("/", "type:org 24", "enter", "j")
	// Org 024 and Org 124 are in; Org 240–249 are not yet.
	if s.table.idx.Len() != 2 || !strings.Contains(s.Summary(), "2 shown · filter: org 24") {
		t.Fatalf("before the rest: %d shown, %q", s.table.idx.Len(), s.Summary())
	}
	gate <- struct{}{}
	deliver(t, s, func(sn *rowindex.Snapshot) bool { return sn.Loaded })
	if got := s.table.idx.Len(); got != 13 {
		t.Fatalf("org 24 after the load: %d rows, want Org 024, 124, 224 and 240–249\n%s", got, tuitest.Plain(s.View()))
	}
	view := tuitest.Plain(s.View())
	if !strings.Contains(view, "Org 124") || !strings.Contains(view, "Org 249") || strings.Contains(view, "Org 000") {
		t.Fatalf("after the load:\n%s", view)
	}
	if got := s.Summary(); got != "250 signatories · 13 shown · filter: org 24 · 13 due (13 overdue)" {
		t.Fatalf("summary %q", got)
	}
}

// A record changed while a reload is reading the store survives that
// reload even if the reload read the store before the change.
func TestRecordChangedDuringAReloadSurvivesIt(t *testing.T) {
	db := openStore(t)
	seedSigs(t, db, sampleRows()...)
	s, gate := gatedScreen(t, db)
	s.Init()
	gate <- struct{}{}
	deliver(t, s, func(sn *rowindex.Snapshot) bool { return sn.Loaded })
	loaded := s.table.idx.Snapshot()
	reload := s.Update(common.ResyncMsg{})
	done := make(chan struct{})
	go func() { tuitest.Run(reload); close(done) }() // waits on the gated page
	id := idOf(t, db, "Walsall Bakery")
	rec := stored(t, db, id)
	rec.Organisation = "Walsall Bakery and Cafe"
	if err := db.UpdateSignatory(&rec, "sam"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond) // the reload is under way
	tuitest.Run(s.Update(common.ChangedMsg{Event: model.Event{Seq: 1, Kind: model.EventSignatory, ID: id}}))
	gate <- struct{}{}
	deliver(t, s, func(sn *rowindex.Snapshot) bool {
		return sn.Epoch > loaded.Epoch && sn.Get(id) != nil && sn.Get(id).Sig.Version == rec.Version
	})
	if got := s.table.idx.Get(id).Sig.Organisation; got != "Walsall Bakery and Cafe" {
		t.Fatalf("after the reload: %q", got)
	}
	<-done
}

// ChangedMsg re-reads the one record and the tier counts; a record another
// session moved out of the filter stays on screen, marked, while the
// cursor is on it, and goes when the cursor moves.
func TestChangedRecordLeavingTheFilter(t *testing.T) {
	db := openStore(t)
	seedSigs(t, db, sampleRows()...)
	h := newHarness(t, db)
	h.keys("/")
	h.typeText("status:pending")
	h.keys("enter")
	if got := strings.Join(h.tableOrgs(), ","); got != "Coventry Printers,Dudley Printing Works" {
		t.Fatalf("pending: %s", got)
	}
	reads := 0
	h.svc.SignatoriesFn = func() ([]model.Signatory, error) { reads++; return db.Signatories() }
	id := idOf(t, db, "Coventry Printers")
	s := stored(t, db, id)
	s.ReviewStatus = model.StatusVerified
	if err := db.UpdateSignatory(&s, "sam"); err != nil {
		t.Fatal(err)
	}
	h.send(common.ChangedMsg{Event: model.Event{Kind: model.EventSignatory, ID: id, Version: s.Version}})
	if reads != 0 {
		t.Fatal("one changed record reloaded everything")
	}
	h.mustSee("≠ Coventry Printers", "Coventry Printers no longer matches the filter", "2 shown")
	if h.s.table.selectedID() != id {
		t.Fatal("the cursor left the changed record")
	}
	h.keys("j")
	if got := strings.Join(h.tableOrgs(), ","); got != "Dudley Printing Works" {
		t.Fatalf("after moving: %s", got)
	}
	h.mustSee("1 shown")
	// A record that is not selected just leaves.
	id2 := idOf(t, db, "Dudley Printing Works")
	h.keys("esc")
	h.keys("/")
	h.typeText("status:pending")
	h.keys("enter")
	d := stored(t, db, id2)
	d.ReviewStatus = model.StatusNeedsInfo
	// the selected row is Dudley Printing Works (the only one): it stays
	if err := db.UpdateSignatory(&d, "sam"); err != nil {
		t.Fatal(err)
	}
	h.send(common.ChangedMsg{Event: model.Event{Kind: model.EventSignatory, ID: id2}})
	h.mustSee("≠ Dudley Printing Works")
	// Deleting a record removes its row.
	d = stored(t, db, id2)
	if err := db.DeleteSignatory(id2, d.Version, "sam"); err != nil {
		t.Fatal(err)
	}
	h.send(common.ChangedMsg{Event: model.Event{Kind: model.EventSignatory, ID: id2, Deleted: true}})
	h.mustSee("No signatory matches the filter", "4 signatories")
}

func TestLoadErrorShowsInTheStatusBar(t *testing.T) {
	db := openStore(t)
	svc := wrap(db)
	svc.SignatoryPageFn = func(uint64, int) ([]model.Signatory, error) { return nil, errors.New("disk on fire") }
	s := New(&common.Options{Signatories: svc}, common.NewStyles(true))
	h := &host{s: s}
	d := &tuitest.Driver{U: h}
	for _, m := range tuitest.Run(s.Init()) {
		d.Send(m)
	}
	if !h.status.Err || !strings.Contains(h.status.Text, "disk on fire") {
		t.Fatalf("status %+v", h.status)
	}
}
