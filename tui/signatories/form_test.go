package signatories

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"charter/model"
	"charter/tui/common"
	"charter/tui/tuitest"
)

func TestToggleAcrossEveryTierBoundary(t *testing.T) {
	db := openStore(t)
	seedSigs(t, db, mkSig("Zero Commitments Ltd", "Dudley", 0, model.StatusPending, true))
	h := newHarness(t, db)
	openOrg(h, "zero")
	h.mustSee("No tier", "1 more commitment for Bronze")
	if h.s.Unsaved() {
		t.Fatal("opening a record marked it unsaved")
	}
	steps := []struct {
		c     model.Commitment
		badge string
		hint  string
	}{
		{model.GuaranteedInterviews, "Bronze", "2 more commitments for Silver"},
		{model.EntryLevelJobs, "Bronze", "1 more commitment for Silver"},
		{model.WorkExperience, "Silver", "1 more commitment for Gold"},
		{model.WorkplaceMentor, "Gold", "Top tier reached"},
		{model.Training, "Gold", "Top tier reached"},
	}
	for _, st := range steps {
		focusCommitment(h, st.c)
		h.keys("space")
		h.mustSee(" "+st.badge+" ", st.hint)
	}
	golden.RequireEqual(t, []byte(h.screen()))
	back := []struct {
		c     model.Commitment
		badge string
	}{{model.Training, "Gold"}, {model.WorkplaceMentor, "Silver"}, {model.WorkExperience, "Bronze"}, {model.EntryLevelJobs, "Bronze"}, {model.GuaranteedInterviews, "No tier"}}
	for _, st := range back {
		focusCommitment(h, st.c)
		h.keys("space")
		h.mustSee(" " + st.badge + " ")
	}
	if h.s.Unsaved() {
		t.Fatal("toggled back to the stored state, still unsaved")
	}
	if s := stored(t, db, 1); s.Version != 1 || s.Commitments != 0 {
		t.Fatalf("toggling wrote to the store: %+v", s)
	}
}

func TestSaveWritesOneVersionWithHistory(t *testing.T) {
	db := openStore(t)
	seedSigs(t, db, sampleRows()...)
	h := newHarness(t, db)
	openOrg(h, "walsall bakery")
	focusCommitment(h, model.BanTheBox)
	h.keys("space")
	focusCommitment(h, model.Training)
	h.keys("space")
	h.mustSee(" Silver ")
	h.keys("ctrl+s")
	h.mustSee("saved Walsall Bakery (version 2, Silver)")
	id := idOf(t, db, "Walsall Bakery")
	saved := stored(t, db, id)
	if saved.Version != 2 || saved.Tier() != model.TierSilver {
		t.Fatalf("stored %+v", saved)
	}
	hist, _ := db.SignatoryHistory(id)
	if len(hist) != 2 || hist[1].By != "tester" || hist[1].TierBefore != model.TierBronze || hist[1].TierAfter != model.TierSilver {
		t.Fatalf("history %+v", hist)
	}
	if len(hist[1].Fields) != 1 || hist[1].Fields[0].Field != model.FieldCommitments {
		t.Fatalf("history names more than the commitments: %+v", hist[1].Fields)
	}
	h.keys("esc")
	if h.s.form != nil {
		t.Fatal("form still open after esc with nothing unsaved")
	}
	h.mustSee("Bronze 0  Silver 1")
	h.keys("esc")
	h.mustSee("Silver 2")
	// The history view shows who changed what.
	openOrg(h, "walsall bakery")
	h.keys("ctrl+r")
	h.mustSee("History of Walsall Bakery", "tester", "Bronze → Silver", "commitments:")
	golden.RequireEqual(t, []byte(h.screen()))
	h.keys("esc")
	h.mustSee("Signatory #")
}

func TestValidationBesideFieldAndNoSave(t *testing.T) {
	db := openStore(t)
	seedSigs(t, db, sampleRows()...)
	h := newHarness(t, db)
	openOrg(h, "coventry")
	focusField(h, model.FieldSignedOn)
	for i := 0; i < 10; i++ {
		h.keys("backspace")
	}
	h.typeText("2027-01-04")
	h.mustSee("2027-01-04", "✗ is in the future", "Signed on: 2027-01-04 is in the future")
	h.keys("ctrl+s")
	h.mustSee("not saved: Signed on 2027-01-04 is in the future")
	if s := stored(t, db, idOf(t, db, "Coventry Printers")); s.Version != 1 {
		t.Fatalf("an invalid form was saved: %+v", s)
	}
	golden.RequireEqual(t, []byte(h.screen()))
}

func TestDiscardAsksFirst(t *testing.T) {
	db := openStore(t)
	seedSigs(t, db, sampleRows()...)
	h := newHarness(t, db)
	openOrg(h, "aston")
	focusCommitment(h, model.BanTheBox)
	h.keys("space")
	if !h.s.Unsaved() {
		t.Fatal("an edit is not reported as unsaved (the root asks before ctrl+c on it)")
	}
	h.keys("esc")
	h.mustSee("Discard your changes? y discard · n keep editing")
	h.keys("n")
	if h.s.form == nil || !h.s.form.dirty() {
		t.Fatal("n should keep the edit")
	}
	h.keys("esc", "y")
	if h.s.form != nil {
		t.Fatal("y should close the form")
	}
	h.mustSee("changes discarded")
	if s := stored(t, db, idOf(t, db, "Aston Joinery")); s.Version != 1 {
		t.Fatal("discard wrote")
	}
}

func TestNewSignatory(t *testing.T) {
	db := openStore(t)
	h := newHarness(t, db)
	h.mustSee("No signatories yet")
	h.keys("n")
	h.mustSee("New signatory")
	h.typeText("Fresh Start Cafe")
	h.keys("ctrl+s")
	h.mustSee("not saved: Sector is required")
	focusField(h, model.FieldSector)
	h.keys("space")
	focusCommitment(h, model.Training)
	h.keys("space", "ctrl+s")
	h.mustSee("created Fresh Start Cafe (version 1, Bronze)")
	h.keys("esc")
	h.mustSee("Fresh Start Cafe", "1 signatory")
}

func TestConflictShowsBothSidesAndKeepMine(t *testing.T) {
	db := openStore(t)
	seedSigs(t, db, sampleRows()...)
	h := newHarness(t, db)
	id := idOf(t, db, "Walsall Bakery")
	openOrg(h, "walsall bakery")
	other := stored(t, db, id)
	other.Notes = "checked by phone"
	if err := db.UpdateSignatory(&other, "sam"); err != nil {
		t.Fatal(err)
	}
	focusCommitment(h, model.BanTheBox)
	h.keys("space", "ctrl+s")
	h.mustSee("This record was changed since you opened it", "notes: ∅ → checked by phone", "commitments:", "keep mine")
	golden.RequireEqual(t, []byte(h.screen()))
	h.keys("k")
	s := stored(t, db, id)
	if s.Version != 3 || s.Notes != "checked by phone" || !s.Commitments.Has(model.BanTheBox) {
		t.Fatalf("keep mine: %+v", s)
	}
	hist, _ := db.SignatoryHistory(id)
	if len(hist) != 3 || hist[1].By != "sam" || hist[2].By != "tester" || len(hist[2].Fields) != 1 {
		t.Fatalf("history %+v", hist)
	}
}

func TestReadOnlySessionCannotSave(t *testing.T) {
	db := openStore(t)
	seedSigs(t, db, sampleRows()...)
	h := newHarness(t, db, func(o *common.Options) { o.ReadOnly = true })
	h.keys("n")
	h.mustSee("read-only session")
	openOrg(h, "aston")
	focusCommitment(h, model.BanTheBox)
	h.keys("space", "ctrl+s")
	if s := stored(t, db, idOf(t, db, "Aston Joinery")); s.Version != 1 {
		t.Fatal("read-only session wrote")
	}
	if h.s.Unsaved() {
		t.Fatal("a read-only form has nothing to lose")
	}
}

// savesOf counts the writes that reach the store, by record.
func savesOf(h *harness) map[uint64]int {
	n := map[uint64]int{}
	up := h.svc.UpdateSignatoryFn
	h.svc.UpdateSignatoryFn = func(s *model.Signatory, by string) error {
		n[s.ID]++
		return up(s, by)
	}
	return n
}

// A save that completes after the form was closed changes nothing on
// screen: no form comes back, no status, and only its own record was
// written.
func TestSaveAfterClose(t *testing.T) {
	db := openStore(t)
	seedSigs(t, db, sampleRows()...)
	h := newHarness(t, db)
	writes := savesOf(h)
	a := idOf(t, db, "Aston Joinery")
	openOrg(h, "aston")
	focusCommitment(h, model.BanTheBox)
	h.d.Hold = tuitest.Of[savedMsg]
	h.keys("space", "ctrl+s")
	h.keys("esc") // the form is saving: its edit is still unsaved, so it asks
	h.keys("y")
	if h.s.form != nil {
		t.Fatal("form still open")
	}
	before := h.screen()
	h.d.Release(nil)
	if h.s.form != nil {
		t.Fatal("a late save opened a form")
	}
	if got := stored(t, db, a); got.Version != 2 || !got.Commitments.Has(model.BanTheBox) {
		t.Fatalf("stored %+v", got)
	}
	if len(writes) != 1 || writes[a] != 1 {
		t.Fatalf("writes %v", writes)
	}
	if h.screen() != before {
		t.Fatalf("a late save changed the screen:\n%s\n(before)\n%s", h.screen(), before)
	}
	// What it committed arrives as the change event.
	h.send(common.ChangedMsg{Event: model.Event{Kind: model.EventSignatory, ID: a, Version: 2}})
	if r := h.s.table.idx.Get(a); r.Sig.Version != 2 {
		t.Fatalf("table row at version %d", r.Sig.Version)
	}
}

// A save that completes after another record was opened does not touch the
// new form.
func TestSaveAfterOpeningAnotherRecord(t *testing.T) {
	db := openStore(t)
	seedSigs(t, db, sampleRows()...)
	h := newHarness(t, db)
	writes := savesOf(h)
	a, b := idOf(t, db, "Aston Joinery"), idOf(t, db, "Walsall Bakery")
	openOrg(h, "aston")
	focusCommitment(h, model.BanTheBox)
	h.d.Hold = tuitest.Of[savedMsg]
	h.keys("space", "ctrl+s", "esc", "y", "esc")
	openOrg(h, "walsall bakery")
	focusCommitment(h, model.Training)
	h.keys("space")
	formB := h.s.form
	h.d.Release(nil)
	if h.s.form != formB || h.s.form.orig.ID != b {
		t.Fatalf("the late save replaced the open form: %+v", h.s.form.orig)
	}
	if !h.s.form.commits.Has(model.Training) || h.s.form.commits.Has(model.BanTheBox) || !h.s.Unsaved() {
		t.Fatalf("the open form's edits changed: %v", h.s.form.commits)
	}
	h.mustSee("Signatory #" + itoa(b))
	if got := stored(t, db, b); got.Version != 1 {
		t.Fatalf("the other record was written: %+v", got)
	}
	if got := stored(t, db, a); got.Version != 2 || !got.Commitments.Has(model.BanTheBox) {
		t.Fatalf("the saved record: %+v", got)
	}
	if len(writes) != 1 || writes[a] != 1 {
		t.Fatalf("writes %v", writes)
	}
}

// A conflict that arrives after another record was opened is dropped; "k"
// in the new form can only ever rebase onto the record its own conflict
// came from.
func TestLateConflictThenKeepMine(t *testing.T) {
	db := openStore(t)
	seedSigs(t, db, sampleRows()...)
	h := newHarness(t, db)
	writes := savesOf(h)
	a, b := idOf(t, db, "Aston Joinery"), idOf(t, db, "Walsall Bakery")
	openOrg(h, "aston")
	other := stored(t, db, a)
	other.Notes = "changed by sam"
	if err := db.UpdateSignatory(&other, "sam"); err != nil {
		t.Fatal(err)
	}
	focusCommitment(h, model.BanTheBox)
	h.d.Hold = tuitest.Of[savedMsg]
	h.keys("space", "ctrl+s", "esc", "y", "esc")
	openOrg(h, "walsall bakery")
	focusCommitment(h, model.Training)
	h.keys("space")
	h.d.Release(nil) // the conflict for Aston Joinery
	if h.s.form.conflict != nil {
		t.Fatal("a conflict for another record opened in this form")
	}
	h.keys("k") // on a commitment: nothing
	if got := stored(t, db, b); got.Version != 1 {
		t.Fatalf("keep mine wrote into another record: %+v", got)
	}
	if got := stored(t, db, a); got.Version != 2 || got.Commitments.Has(model.BanTheBox) {
		t.Fatalf("keep mine wrote the old form's edits: %+v", got)
	}
	// Now a conflict on the open record, and keep mine: only it is written.
	h.d.Hold = nil
	ob := stored(t, db, b)
	ob.Notes = "sam was here"
	if err := db.UpdateSignatory(&ob, "sam"); err != nil {
		t.Fatal(err)
	}
	h.keys("ctrl+s")
	h.mustSee("This record was changed since you opened it")
	h.keys("k")
	got := stored(t, db, b)
	if got.Version != 3 || got.Notes != "sam was here" || !got.Commitments.Has(model.Training) {
		t.Fatalf("keep mine: %+v", got)
	}
	if writes[a] != 1 || writes[b] != 2 {
		t.Fatalf("writes %v", writes)
	}
}

func TestPasteThenSave(t *testing.T) {
	db := openStore(t)
	seedSigs(t, db, sampleRows()...)
	h := newHarness(t, db)
	id := idOf(t, db, "Coventry Printers")
	openOrg(h, "coventry")
	focusField(h, model.FieldContactName)
	h.keys("end", "ctrl+u") // clear the line
	h.send(tea.PasteMsg{Content: "Zoë \x1b[31mRed\x1b[0m Ådams\u202e"})
	focusField(h, model.FieldNotes)
	h.send(tea.PasteMsg{Content: "first line\nsecond line"})
	if !h.s.Unsaved() {
		t.Fatal("a paste is not an edit")
	}
	h.keys("ctrl+s")
	h.mustSee("saved Coventry Printers (version 2")
	got := stored(t, db, id)
	if got.ContactName != "Zoë Red Ådams" || got.Notes != "first line\nsecond line" {
		t.Fatalf("stored %q / %q", got.ContactName, got.Notes)
	}
	hist, _ := db.SignatoryHistory(id)
	if n := len(hist[len(hist)-1].Fields); n != 2 {
		t.Fatalf("history fields %+v", hist[len(hist)-1].Fields)
	}
	if h.s.Unsaved() {
		t.Fatal("still unsaved after saving")
	}
}

// The history read fails while edits wait in the form: the edits stay and
// are saved whole.
func TestFailingHistoryLoadKeepsQueuedEdits(t *testing.T) {
	db := openStore(t)
	seedSigs(t, db, sampleRows()...)
	h := newHarness(t, db)
	id := idOf(t, db, "Aston Joinery")
	h.svc.SignatoryHistoryFn = func(uint64) ([]model.Change, error) { return nil, errors.New("history unreadable") }
	h.d.Hold = tuitest.Of[historyMsg]
	openOrg(h, "aston")
	focusCommitment(h, model.BanTheBox)
	h.keys("space")
	h.keys("ctrl+r") // the history read is on its way
	h.keys("esc")
	focusField(h, model.FieldEmployees)
	h.typeText("42")
	h.d.Release(nil) // both reads fail now
	h.mustSee("could not read the history: history unreadable")
	if !h.s.Unsaved() || !h.s.form.commits.Has(model.BanTheBox) || h.s.form.text(model.FieldEmployees) != "42" {
		t.Fatal("the failed read lost the edits")
	}
	h.keys("ctrl+r")
	h.mustSee("Could not read the history: history unreadable")
	h.keys("esc", "ctrl+s")
	got := stored(t, db, id)
	if got.Version != 2 || !got.Commitments.Has(model.BanTheBox) || got.Employees == nil || *got.Employees != 42 {
		t.Fatalf("stored %+v", got)
	}
}

// Everything the importer accepts survives open → toggle → save byte for
// byte, and history lists the one change.
func TestRoundTripKeepsEveryByte(t *testing.T) {
	db := openStore(t)
	n := 250
	orig := model.Signatory{
		Organisation: "Café Ünïcode 🍰 Ltd\tBranch",                // tab inside a one-line field
		ContactName:  "Zoë O\u0301Neill \u05e9\u05dc\u05d5\u05dd", // combining accent, Hebrew
		Email:        "zoe@example.org",
		Sector:       model.SectorSocialEnterprise,
		Region:       "West Midlands",
		LocalArea:    "مدينة Dudley", // Arabic
		Employees:    &n,
		SignedBy:     "J. Smith  (two spaces)",
		SignedOn:     testNow.AddDate(-1, 0, 0),
		Commitments:  model.CommitmentSet(0).With(model.Training),
		ReviewStatus: model.StatusNeedsInfo,
		Notes:        "line one\n\tindented with a tab\n\nafter a blank line 👩🏽‍🔧 e\u0301\n  trailing spaces  \n\u202eRTL override\u202c and \u200fRLM",
	}
	// Through the importer: written as interchange CSV, read back and
	// imported, so every value is one the importer accepts.
	var buf bytes.Buffer
	if err := model.WriteSignatoriesCSV(&buf, []model.Signatory{orig}, false); err != nil {
		t.Fatal(err)
	}
	r, err := model.NewSignatoryReader(&buf, testNow)
	if err != nil {
		t.Fatal(err)
	}
	rec, _, err := r.Read()
	if err != nil {
		t.Fatalf("the importer refuses the record: %v", err)
	}
	if d := model.Diff(&orig, &rec); len(d) > 0 {
		t.Fatalf("the importer changed the record: %+v", d)
	}
	seedSigs(t, db, rec)
	orig.ID = 1
	before := stored(t, db, orig.ID)
	if d := model.Diff(&orig, &before); len(d) > 0 {
		t.Fatalf("the store changed the record: %+v", d)
	}
	h := newHarness(t, db)
	h.keys("enter")
	if h.s.form == nil || h.s.form.orig.ID != orig.ID {
		t.Fatal("form did not open")
	}
	if h.s.Unsaved() {
		t.Fatalf("opening marked the record changed: %+v", model.Diff(&before, &h.s.form.draft))
	}
	// Walk through every field (focus them all) without typing.
	for i := 0; i < len(h.s.form.items); i++ {
		h.keys("tab")
	}
	if h.s.Unsaved() {
		t.Fatal("focusing the fields changed the record")
	}
	focusCommitment(h, model.BanTheBox)
	h.keys("space", "ctrl+s")
	after := stored(t, db, orig.ID)
	if after.Version != before.Version+1 {
		t.Fatalf("version %d → %d", before.Version, after.Version)
	}
	want := before
	want.Commitments = want.Commitments.With(model.BanTheBox)
	want.Version, want.Updated = after.Version, after.Updated
	if d := model.Diff(&want, &after); len(d) > 0 {
		t.Fatalf("fields changed beyond the toggle: %+v", d)
	}
	for _, f := range model.SignatoryFields() {
		if f != model.FieldCommitments && after.Field(f) != before.Field(f) {
			t.Errorf("%s: %q became %q", f, before.Field(f), after.Field(f))
		}
	}
	// The export shows every other field byte for byte.
	var exBefore, exAfter bytes.Buffer
	model.WriteSignatoriesCSV(&exBefore, []model.Signatory{before}, false)
	model.WriteSignatoriesCSV(&exAfter, []model.Signatory{after}, false)
	cb, _ := csv.NewReader(&exBefore).ReadAll()
	ca, _ := csv.NewReader(&exAfter).ReadAll()
	for i, name := range cb[0] {
		if name != model.FieldCommitments && name != "tier" && cb[1][i] != ca[1][i] {
			t.Errorf("export %s: %q became %q", name, cb[1][i], ca[1][i])
		}
	}
	hist, _ := db.SignatoryHistory(orig.ID)
	last := hist[len(hist)-1]
	if len(hist) != 2 || len(last.Fields) != 1 || last.Fields[0].Field != model.FieldCommitments {
		t.Fatalf("history %+v", hist)
	}
}

// Control, escape and bidi characters in every field never reach a frame,
// whichever field has focus.
func TestHostileDataNeverReachesAFrame(t *testing.T) {
	db := openStore(t)
	evil := "\x1b]0;pwned\x07E\x1b[31mv\x1b[0mi\u202el\x07\x08\r\u009b31m\u200f"
	n := 3
	s := model.Signatory{Organisation: "Org " + evil, ContactName: "Contact " + evil, Email: "a@example.org",
		Sector: model.SectorPrivate, Region: "Region " + evil, LocalArea: "Area " + evil, Employees: &n,
		SignedBy: "Signer " + evil, SignedOn: testNow.AddDate(0, -1, 0), ReviewStatus: model.StatusPending,
		Notes: "Notes " + evil + "\nsecond " + evil}
	if err := db.CreateSignatory(&s, "seed\x1b[31m"); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, db)
	frames := []string{h.s.View()}
	h.keys("enter")
	for i := 0; i < len(h.s.form.items); i++ {
		frames = append(frames, h.s.View())
		h.keys("tab")
	}
	h.keys("ctrl+r")
	frames = append(frames, h.s.View())
	h.keys("esc")
	focusField(h, model.FieldOrganisation)
	h.send(tea.PasteMsg{Content: "\x1b[2J\u202epasted"})
	frames = append(frames, h.s.View())
	for i, f := range frames {
		plain := tuitest.Plain(f)
		for _, r := range plain {
			if r == 0x1b || (r < 0x20 && r != '\n') || (r >= 0x80 && r < 0xa0) || r == 0x202e || r == 0x200f {
				t.Fatalf("frame %d carries %U:\n%q", i, r, plain)
			}
		}
		// With styling left in, the only escapes are SGR.
		for _, seq := range []string{"\x1b]", "\x1b[2J", "\x07", "\u202e", "\u009b"} {
			if strings.Contains(f, seq) {
				t.Fatalf("raw frame %d carries %q", i, seq)
			}
		}
	}
	if got := stored(t, db, s.ID); got.Organisation != s.Organisation {
		t.Fatal("showing the record changed it")
	}
}

// View only draws: rendering twice leaves the screen as it was.
func TestViewIsPure(t *testing.T) {
	db := openStore(t)
	seedSigs(t, db, sampleRows()...)
	h := newHarness(t, db)
	check := func(step string) {
		t.Helper()
		before := snapshot(h.s)
		v1 := h.s.View()
		v2 := h.s.View()
		if v1 != v2 || snapshot(h.s) != before {
			t.Fatalf("%s: View changed the screen", step)
		}
	}
	check("table")
	h.keys("G", "/")
	h.typeText("dud")
	check("filtering")
	h.keys("enter", "enter")
	check("form")
	focusCommitment(h, model.Training)
	h.keys("space")
	check("form edited")
	h.keys("ctrl+r")
	check("history")
}

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }

// snapshot writes down the screen's state that View could change.
func snapshot(s *Screen) string {
	t := s.table
	out := fmt.Sprintf("list %+v idx %d/%d %q pin %d lines %q cache %d filter %v %q",
		t.list, t.idx.Len(), t.idx.Total(), t.idx.Query(), t.idx.Pinned(), t.lines, len(t.cache), t.filter.Focused(), t.filter.Value())
	if f := s.form; f != nil {
		out += fmt.Sprintf(" form gen %d focus %d fields %+v draft %+v errs %v show %v saving %v confirm %v help %v notice %q",
			f.gen, f.focus, f.fields, f.draft, f.errs, f.showErrs, f.saving, f.confirm, f.showHelp, f.notice)
		for _, field := range f.textFields() {
			out += fmt.Sprintf(" %s=%q/%q", field, f.text(field), f.base[field])
		}
		if f.history != nil {
			out += fmt.Sprintf(" history %d", f.history.vp.YOffset())
		}
	}
	return out
}

// At every size the frame fits, and the focused item is on screen.
func TestEverySizeFitsAndShowsTheFocus(t *testing.T) {
	db := openStore(t)
	seedSigs(t, db, sampleRows()...)
	for _, sz := range [][2]int{{40, 10}, {60, 15}, {80, 21}, {120, 40}, {200, 50}} {
		h := newHarness(t, db)
		h.s.SetSize(sz[0], sz[1])
		fits := func(step string) {
			t.Helper()
			v := h.s.View()
			lines := strings.Split(v, "\n")
			if len(lines) > sz[1] {
				t.Fatalf("%v %s: %d lines", sz, step, len(lines))
			}
			for _, l := range lines {
				if w := common.Width(l); w > sz[0] {
					t.Fatalf("%v %s: line %d wide: %q", sz, step, w, tuitest.Plain(l))
				}
			}
		}
		fits("table")
		h.keys("enter")
		for i := 0; i < len(h.s.form.items); i++ {
			fits(h.s.form.focused().label)
			it := h.s.form.focused()
			if !strings.Contains(tuitest.Plain(h.s.View()), "▶ ") || !strings.Contains(tuitest.Plain(h.s.View()), it.label) {
				t.Fatalf("%v: focused %s not on screen:\n%s", sz, it.label, tuitest.Plain(h.s.View()))
			}
			h.keys("tab")
		}
		h.keys("ctrl+r")
		fits("history")
	}
}

// Another session's save reaches an open form: an unedited form shows the
// new version, an edited one keeps the edits and says so, and saving
// then shows the conflict.
func TestOpenFormFollowsOtherSessions(t *testing.T) {
	db := openStore(t)
	seedSigs(t, db, sampleRows()...)
	h := newHarness(t, db)
	id := idOf(t, db, "Walsall Bakery")
	openOrg(h, "walsall bakery")
	other := stored(t, db, id)
	other.ContactName = "Sam Other"
	if err := db.UpdateSignatory(&other, "sam"); err != nil {
		t.Fatal(err)
	}
	h.send(common.ChangedMsg{Event: model.Event{Kind: model.EventSignatory, ID: id, Version: other.Version}})
	h.mustSee("Sam Other", "reloaded: this record was changed in another session")
	if h.s.Unsaved() || h.s.form.orig.Version != other.Version {
		t.Fatal("the reload left the form unsaved or on the old version")
	}
	focusCommitment(h, model.Training)
	h.keys("space")
	other = stored(t, db, id)
	other.Notes = "sam again"
	if err := db.UpdateSignatory(&other, "sam"); err != nil {
		t.Fatal(err)
	}
	h.send(common.ChangedMsg{Event: model.Event{Kind: model.EventSignatory, ID: id, Version: other.Version}})
	h.mustSee("changed in another session since you opened it")
	if !h.s.form.commits.Has(model.Training) {
		t.Fatal("the edit was lost")
	}
	h.keys("ctrl+s")
	h.mustSee("notes: ∅ → sam again")
	h.keys("r")
	if h.s.Unsaved() || h.s.form.orig.Notes != "sam again" {
		t.Fatal("reload theirs did not take the stored version")
	}
}
