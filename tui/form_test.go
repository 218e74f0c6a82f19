package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"charter/model"
)

// openFirst filters the table to one organisation and opens it.
func openOrg(h *harness, org string) {
	h.keys("/")
	h.typeText(org)
	h.keys("enter", "enter")
}

// focusCommitment moves the form's focus to a commitment.
func focusCommitment(h *harness, c model.Commitment) {
	f := h.app.sig.form
	for i := 0; i < 40 && !(f.focused().kind == itemCommitment && f.focused().commitment == c); i++ {
		h.keys("tab")
	}
}

func TestToggleAcrossEveryTierBoundary(t *testing.T) {
	db := openStore(t, false)
	seedSigs(t, db, mkSig("Zero Commitments Ltd", "Dudley", 0, model.StatusPending, true))
	h := newHarness(t, db)
	openOrg(h, "zero")
	if h.app.sig.form == nil {
		t.Fatal("form did not open")
	}
	h.mustSee("No tier", "1 more commitment for Bronze")
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
	// And back down, the badge following every toggle.
	back := []struct {
		c     model.Commitment
		badge string
	}{{model.Training, "Gold"}, {model.WorkplaceMentor, "Silver"}, {model.WorkExperience, "Bronze"}, {model.EntryLevelJobs, "Bronze"}, {model.GuaranteedInterviews, "No tier"}}
	for _, st := range back {
		focusCommitment(h, st.c)
		h.keys("space")
		h.mustSee(" " + st.badge + " ")
	}
	// Nothing was saved by toggling.
	s, _ := db.Signatory(1)
	if s.Version != 1 || s.Commitments != 0 {
		t.Fatalf("toggling wrote to the store: %+v", s)
	}
}

func TestSaveWritesOneVersionWithHistory(t *testing.T) {
	db := openStore(t, false)
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
	var saved model.Signatory
	all, _ := db.Signatories()
	for _, s := range all {
		if s.Organisation == "Walsall Bakery" {
			saved = s
		}
	}
	if saved.Version != 2 || saved.Tier() != model.TierSilver {
		t.Fatalf("stored %+v", saved)
	}
	hist, _ := db.SignatoryHistory(saved.ID)
	if len(hist) != 2 || hist[1].By != "tester" || hist[1].TierBefore != model.TierBronze || hist[1].TierAfter != model.TierSilver {
		t.Fatalf("history %+v", hist)
	}
	// The table and the summary show the new state once the form closes.
	h.keys("esc")
	if h.app.sig.form != nil {
		t.Fatal("form still open after esc with nothing unsaved")
	}
	h.mustSee("Bronze 0  Silver 1")
	h.keys("esc")
	h.mustSee("Silver 2")
	for _, line := range strings.Split(h.screen(), "\n") {
		if strings.Contains(line, "Walsall Bakery") && !strings.Contains(line, "Silver") {
			t.Errorf("row not updated: %q", line)
		}
	}
	// The history view shows who changed what.
	openOrg(h, "walsall bakery")
	h.keys("ctrl+h")
	h.mustSee("History of Walsall Bakery", "tester", "Bronze → Silver", "commitments:")
	golden.RequireEqual(t, []byte(h.screen()))
}

func TestValidationBesideFieldAndNoSave(t *testing.T) {
	db := openStore(t, false)
	seedSigs(t, db, sampleRows()...)
	h := newHarness(t, db)
	openOrg(h, "coventry")
	// Focus "Signed on" and type a future date.
	for h.app.sig.form.focused().field != model.FieldSignedOn {
		h.keys("tab")
	}
	for i := 0; i < 10; i++ {
		h.keys("backspace")
	}
	h.typeText("2027-01-04")
	h.mustSee("2027-01-04", "✗ is in the future", "Signed on: 2027-01-04 is in the future")
	h.keys("ctrl+s")
	h.mustSee("not saved: Signed on 2027-01-04 is in the future")
	s, _ := db.Signatory(4)
	if s.Version != 1 {
		t.Fatalf("an invalid form was saved: %+v", s)
	}
	golden.RequireEqual(t, []byte(h.screen()))
}

func TestDiscardAsksFirst(t *testing.T) {
	db := openStore(t, false)
	seedSigs(t, db, sampleRows()...)
	h := newHarness(t, db)
	openOrg(h, "aston")
	focusCommitment(h, model.BanTheBox)
	h.keys("space", "esc")
	h.mustSee("Discard your changes? y discard · n keep editing")
	h.keys("n")
	if h.app.sig.form == nil || !h.app.sig.form.dirty() {
		t.Fatal("n should keep the edit")
	}
	h.keys("esc", "y")
	if h.app.sig.form != nil {
		t.Fatal("y should close the form")
	}
	h.mustSee("changes discarded")
	s, _ := db.Signatory(5)
	if s.Version != 1 {
		t.Fatal("discard wrote")
	}
}

func TestNewSignatory(t *testing.T) {
	db := openStore(t, false)
	h := newHarness(t, db)
	h.mustSee("No signatories yet")
	h.keys("n")
	h.mustSee("New signatory")
	h.typeText("Fresh Start Cafe")
	h.keys("ctrl+s")
	h.mustSee("not saved: Sector is required")
	for h.app.sig.form.focused().field != model.FieldSector {
		h.keys("tab")
	}
	h.keys("space")
	focusCommitment(h, model.Training)
	h.keys("space", "ctrl+s")
	h.mustSee("created Fresh Start Cafe (version 1, Bronze)")
	h.keys("esc")
	h.mustSee("Fresh Start Cafe", "1 signatory")
}

func TestConflictShowsBothSidesAndKeepMine(t *testing.T) {
	db := openStore(t, false)
	seedSigs(t, db, sampleRows()...)
	h := newHarness(t, db)
	openOrg(h, "walsall bakery")
	// Another reviewer saves first.
	other, _ := db.Signatory(2)
	other.Notes = "checked by phone"
	if err := db.UpdateSignatory(&other, "sam"); err != nil {
		t.Fatal(err)
	}
	focusCommitment(h, model.BanTheBox)
	h.keys("space", "ctrl+s")
	h.mustSee("This record was changed since you opened it", "notes: ∅ → checked by phone", "commitments:", "keep mine")
	golden.RequireEqual(t, []byte(h.screen()))
	h.keys("k")
	s, _ := db.Signatory(2)
	if s.Version != 3 || s.Notes != "checked by phone" || !s.Commitments.Has(model.BanTheBox) {
		t.Fatalf("keep mine: %+v", s)
	}
	hist, _ := db.SignatoryHistory(2)
	if len(hist) != 3 || hist[1].By != "sam" || hist[2].By != "tester" {
		t.Fatalf("history %+v", hist)
	}
}

func TestReadOnlySessionCannotSave(t *testing.T) {
	db := openStore(t, false)
	seedSigs(t, db, sampleRows()...)
	h := newHarness(t, db, func(o *Options) { o.ReadOnly = true })
	h.mustSee("(read-only)")
	h.keys("n")
	h.mustSee("read-only session")
	openOrg(h, "aston")
	focusCommitment(h, model.BanTheBox)
	h.keys("space", "ctrl+s")
	h.mustSee("read-only session: not saved")
	if s, _ := db.Signatory(5); s.Version != 1 {
		t.Fatal("read-only session wrote")
	}
}
