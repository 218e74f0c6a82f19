package signatories

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"charter/model"
	"charter/tui/common"
	"charter/tui/rowindex"
	"charter/tui/tuitest"
)

// Every commitment is reached and toggled with one key from any field,
// a text field included (the key types nothing there), and ctrl+g goes to
// the commitments in one key.
func TestCommitmentsReachedAndToggledInOneKeyEach(t *testing.T) {
	db := openStore(t)
	seedSigs(t, db, mkSig("Zero Commitments Ltd", "Dudley", 0, model.StatusPending, true))
	h := newHarness(t, db)
	openOrg(h, "zero")
	f := h.s.form
	if f.focused().field != model.FieldOrganisation {
		t.Fatalf("the form opened on %q", f.focused().label)
	}
	wantBadge := []string{"Bronze", "Bronze", "Silver", "Gold", "Gold", "Gold", "Gold", "Gold"}
	for c := model.Commitment(0); c < model.NumCommitments; c++ {
		h.keys(fmt.Sprintf("alt+%d", c+1))
		if !f.commits.Has(c) || f.commits.Count() != int(c)+1 {
			t.Fatalf("alt+%d: commitments %v", c+1, f.commits)
		}
		if f.focused().field != model.FieldOrganisation || f.text(model.FieldOrganisation) != "Zero Commitments Ltd" {
			t.Fatalf("alt+%d moved the focus or typed: %q on %q", c+1, f.text(model.FieldOrganisation), f.focused().label)
		}
		h.mustSee(" "+wantBadge[c]+" ", fmt.Sprintf("%d [x] %s", c+1, c.Label()))
	}
	// alt+N again takes it back.
	h.keys("alt+8", "alt+1")
	if f.commits.Has(model.BanTheBox) || f.commits.Has(model.GuaranteedInterviews) || f.commits.Count() != 6 {
		t.Fatalf("toggling back: %v", f.commits)
	}
	// One key to the commitments, one back; there digits toggle too.
	h.keys("ctrl+g")
	if it := f.focused(); it.kind != itemCommitment || it.commitment != model.GuaranteedInterviews {
		t.Fatalf("ctrl+g focused %q", it.label)
	}
	h.keys("1")
	if !f.commits.Has(model.GuaranteedInterviews) {
		t.Fatal("1 on a commitment did not toggle the first commitment")
	}
	h.keys("ctrl+g")
	if f.focused().field != model.FieldOrganisation {
		t.Fatalf("ctrl+g from a commitment went to %q", f.focused().label)
	}
	// In a text field a digit is typed, not toggled.
	before := f.commits
	h.keys("end", "1")
	if f.commits != before || !strings.HasSuffix(f.text(model.FieldOrganisation), "1") {
		t.Fatalf("1 in a text field: commitments %v, text %q", f.commits, f.text(model.FieldOrganisation))
	}
}

// e records what was seen behind a commitment, with the reviewer and the
// day; the header shows the evidenced tier beside the declared one; E
// clears it; the store keeps it and the history says so.
func TestEvidenceMarkedAndCleared(t *testing.T) {
	db := openStore(t)
	seedSigs(t, db, mkSig("Walsall Bakery", "Walsall", 3, model.StatusPending, true))
	h := newHarness(t, db)
	openOrg(h, "walsall")
	h.mustSee(" Silver ", "evidenced No tier")
	focusCommitment(h, model.GuaranteedInterviews)
	h.keys("e")
	h.mustSee("Evidence for “Guaranteed interviews”")
	h.keys("enter")
	h.mustSee("needs a note saying what was seen and where")
	h.typeText("interview guarantee in recruitment policy p.4")
	h.keys("enter")
	h.mustSee("1 [✓] Guaranteed interviews", "✓ seen: interview guarantee in", "recruitment policy p.4 (by", "tester, 2026-11-22)", "evidenced Bronze")
	// The vacancy statement likewise.
	focusField(h, model.FieldVacancyStatement)
	h.keys("e")
	h.typeText("Indeed advert 14 Nov")
	h.keys("enter")
	h.mustSee("‹ yes — seen ›", "✓ statement seen: Indeed")
	h.keys("ctrl+s")
	h.mustSee("saved Walsall Bakery (version 2")
	id := idOf(t, db, "Walsall Bakery")
	s := stored(t, db, id)
	ev, ok := s.EvidenceFor(model.GuaranteedInterviews)
	if !ok || ev.Note != "interview guarantee in recruitment policy p.4" || ev.By != "tester" || !ev.On.Equal(common.DateOnly(testNow)) {
		t.Fatalf("stored evidence %+v %v", ev, ok)
	}
	if s.VacancyEvidence.Note != "Indeed advert 14 Nov" || s.EvidencedTier() != model.TierBronze || s.DeclaredTier() != model.TierSilver {
		t.Fatalf("stored %+v", s)
	}
	hist, _ := db.SignatoryHistory(id)
	last := hist[len(hist)-1]
	var fields []string
	for _, fc := range last.Fields {
		fields = append(fields, fc.Field)
	}
	if !strings.Contains(strings.Join(fields, ","), model.FieldEvidence) || !strings.Contains(strings.Join(fields, ","), model.FieldVacancyEvidence) {
		t.Fatalf("history of the save names %v", fields)
	}
	// E clears it.
	focusCommitment(h, model.GuaranteedInterviews)
	h.keys("E")
	h.mustSee("1 [x] Guaranteed interviews", "evidenced No tier")
	h.keys("ctrl+s")
	if s := stored(t, db, id); len(s.Evidence) != 0 || s.VacancyEvidence.Note == "" {
		t.Fatalf("after clearing: %+v", s)
	}
}

// Hostile text in an evidence note (typed, pasted or stored by another
// client) never reaches a frame: the note is neutralised in the question,
// the commitment pane and the header.
func TestHostileEvidenceNeverReachesAFrame(t *testing.T) {
	db := openStore(t)
	bad := mkSig("Evil Evidence Ltd", "Dudley", 2, model.StatusPending, true)
	bad.Evidence = []model.CommitmentEvidence{{Commitment: model.GuaranteedInterviews,
		Evidence: model.Evidence{Note: "policy\x1b]8;;http://x\x07link\u202e", By: "sam\x1b[2J", On: testNow}}}
	seedSigs(t, db, bad)
	h := newHarness(t, db)
	openOrg(h, "evil")
	focusCommitment(h, model.GuaranteedInterviews)
	frames := []string{h.s.View()}
	h.keys("e")
	h.send(tea.PasteMsg{Content: "\x1b[31mred\x1b[0m\u2066 advert"})
	frames = append(frames, h.s.View())
	h.keys("enter")
	frames = append(frames, h.s.View())
	for i, v := range frames {
		plain := tuitest.Plain(v)
		for _, c := range []string{"\x1b]8", "\x1b[2J", "\x07", "\u202e", "\u2066", "[31m"} {
			if strings.Contains(plain, c) || strings.Contains(v, c) {
				t.Fatalf("frame %d holds %q:\n%s", i, c, plain)
			}
		}
	}
	if ev, _ := h.s.form.draft.EvidenceFor(model.GuaranteedInterviews); strings.ContainsAny(ev.Note, "\x1b\u2066") {
		t.Fatalf("the draft took a control: %q", ev.Note)
	}
	// A withdrawal reason and vacancy evidence stored by another client.
	w, err := model.Withdraw(mkSig("Evil Withdrawn Ltd", "Dudley", 1, model.StatusVerified, true), "gone away", "sam", testNow)
	if err != nil {
		t.Fatal(err)
	}
	w.Withdrawal.Reason = "gone\x1b[2J\u202e away" // as another client might store it
	w.VacancyEvidence = model.Evidence{Note: "advert\x1b]8;;x\x07", By: "sam", On: testNow}
	seedSigs(t, db, w)
	h = newHarness(t, db)
	h.keys("/")
	h.typeText("status:withdrawn")
	h.keys("enter", "enter")
	if h.s.form == nil || h.s.form.status != model.StatusWithdrawn {
		t.Fatalf("no withdrawn form:\n%s", h.screen())
	}
	frames = []string{h.s.View()}
	if !strings.Contains(tuitest.Plain(frames[0]), "Withdrawn: gone") {
		t.Fatalf("the reason is not shown:\n%s", tuitest.Plain(frames[0]))
	}
	focusField(h, model.FieldVacancyStatement)
	if !strings.Contains(tuitest.Plain(h.s.View()), "statement seen: advert") {
		t.Fatalf("the statement's evidence is not shown:\n%s", tuitest.Plain(h.s.View()))
	}
	frames = append(frames, h.s.View())
	h.keys("ctrl+r")
	frames = append(frames, h.s.View())
	for i, v := range frames {
		for _, c := range []string{"\x1b[2J", "\x1b]8", "\x07", "\u202e"} {
			if strings.Contains(v, c) {
				t.Fatalf("withdrawn frame %d holds %q:\n%s", i, c, tuitest.Plain(v))
			}
		}
	}
}

// Verifying a record that declares nothing, or has no vacancy statement,
// asks why first; esc saves nothing; the answer goes into the notes (and
// so into the history) with the reviewer, the day and what it lacked.
func TestUnsupportedVerifyAsksAndRecordsWhy(t *testing.T) {
	db := openStore(t)
	seedSigs(t, db, mkSig("Dudley Council Depot", "Dudley", 0, model.StatusPending, false))
	h := newHarness(t, db)
	openOrg(h, "depot")
	h.mustSee("! no vacancy stmt")
	h.mustNotSee("Top tier reached")
	focusField(h, model.FieldReviewStatus)
	h.keys("space") // pending → verified
	if h.s.form.status != model.StatusVerified {
		t.Fatalf("status %s", h.s.form.status)
	}
	h.keys("ctrl+s")
	h.mustSee("Verify although it declares no commitments and it has no vacancy statement?")
	id := idOf(t, db, "Dudley Council Depot")
	if s := stored(t, db, id); s.Version != 1 {
		t.Fatalf("asked, yet saved: %+v", s)
	}
	h.keys("esc")
	h.mustNotSee("Verify although")
	h.keys("ctrl+s")
	h.keys("enter")
	h.mustSee("say why it is verified without them")
	h.typeText("council confirmed by letter")
	h.keys("enter")
	h.mustSee("saved Dudley Council Depot (version 2")
	s := stored(t, db, id)
	want := "2026-11-22: verified by tester although it declares no commitments and it has no vacancy statement — council confirmed by letter"
	if s.ReviewStatus != model.StatusVerified || !strings.Contains(s.Notes, want) {
		t.Fatalf("stored %s, notes %q", s.ReviewStatus, s.Notes)
	}
	if !s.LastReviewedOn.Equal(common.DateOnly(testNow)) || s.LastReviewedBy != "tester" {
		t.Fatalf("last review %v by %q", s.LastReviewedOn, s.LastReviewedBy)
	}
	hist, _ := db.SignatoryHistory(id)
	found := false
	for _, fc := range hist[len(hist)-1].Fields {
		found = found || fc.Field == model.FieldNotes && strings.Contains(fc.New, "council confirmed by letter")
	}
	if !found {
		t.Fatalf("the history does not keep why: %+v", hist[len(hist)-1])
	}
	// The history view shows the note whole, wrapped.
	h.keys("ctrl+r")
	if joined := strings.Join(strings.Fields(h.screen()), " "); !strings.Contains(joined, "although it declares no commitments and it has no vacancy statement — council confirmed by letter") {
		t.Fatalf("the history view cuts the reason:\n%s", h.screen())
	}
	h.keys("esc")
	// A Gold record without the statement: the warning, never "top tier
	// reached".
	gold := mkSig("Gold No Statement Ltd", "Dudley", 5, model.StatusPending, false)
	seedSigs(t, db, gold)
	h = newHarness(t, db)
	openOrg(h, "gold no statement")
	h.mustSee(" Gold ", "! no vacancy stmt", "5 of 8", "evidenced No tier")
	h.mustNotSee("Top tier reached")
	// A record with commitments and a statement is verified without a word.
	seedSigs(t, db, mkSig("Coventry Printers", "Coventry", 3, model.StatusPending, true))
	h = newHarness(t, db)
	openOrg(h, "coventry")
	focusField(h, model.FieldReviewStatus)
	h.keys("space", "ctrl+s")
	h.mustNotSee("Verify although")
	h.mustSee("saved Coventry Printers (version 2")
}

// ctrl+x withdraws with a reason (kept in history) and restores the
// status the record had; the counts leave the withdrawn record out.
func TestWithdrawAndRestoreWithHistory(t *testing.T) {
	db := openStore(t)
	seedSigs(t, db, sampleRows()...)
	h := newHarness(t, db)
	openOrg(h, "walsall bakery")
	h.keys("ctrl+x")
	h.mustSee("Withdraw this signatory — the reason:")
	h.keys("enter")
	h.mustSee("a withdrawal needs a reason")
	h.typeText("closed the Walsall shop")
	h.keys("enter")
	h.mustSee("withdrawn · evidenced", "Review       withdrawn 2026-11-22", "Withdrawn: closed the Walsall")
	h.keys("ctrl+s")
	h.mustSee("saved Walsall Bakery (version 2")
	id := idOf(t, db, "Walsall Bakery")
	s := stored(t, db, id)
	if !s.Withdrawn() || s.Withdrawal.Reason != "closed the Walsall shop" || s.Withdrawal.By != "tester" || s.Withdrawal.Prior != model.StatusVerified {
		t.Fatalf("stored %+v", s)
	}
	if c, _ := db.TierCounts(); c.Withdrawn != 1 || c.Total != 4 {
		t.Fatalf("counts %+v", c)
	}
	// The status cannot be cycled out of withdrawn; ctrl+x restores.
	focusField(h, model.FieldReviewStatus)
	h.keys("space")
	if h.s.form.status != model.StatusWithdrawn {
		t.Fatalf("cycled a withdrawn status to %s", h.s.form.status)
	}
	h.mustSee("ctrl+x restores")
	h.keys("ctrl+x", "ctrl+s")
	h.mustSee("saved Walsall Bakery (version 3")
	s = stored(t, db, id)
	if s.ReviewStatus != model.StatusVerified || !s.Withdrawal.IsZero() {
		t.Fatalf("restored %+v", s)
	}
	hist, _ := db.SignatoryHistory(id)
	if len(hist) != 3 {
		t.Fatalf("%d history entries", len(hist))
	}
	statusOf := func(ch model.Change) (string, string) {
		for _, fc := range ch.Fields {
			if fc.Field == model.FieldReviewStatus {
				return fc.Old, fc.New
			}
		}
		return "", ""
	}
	if o, n := statusOf(hist[1]); o != "verified" || n != "withdrawn" {
		t.Fatalf("withdrawal in history: %s → %s", o, n)
	}
	reason := false
	for _, fc := range hist[1].Fields {
		reason = reason || fc.Field == model.FieldWithdrawnReason && fc.New == "closed the Walsall shop"
	}
	if !reason {
		t.Fatalf("the reason is not in history: %+v", hist[1].Fields)
	}
	if o, n := statusOf(hist[2]); o != "withdrawn" || n != "verified" {
		t.Fatalf("restore in history: %s → %s", o, n)
	}
}

// alt+s saves and opens the next row of the table's view, in its order
// and under its filter, even when the save takes the record out of the
// filter.
func TestSaveAndNextFollowsTheFilteredView(t *testing.T) {
	db := openStore(t)
	seedSigs(t, db, sampleRows()...)
	h := newHarness(t, db)
	h.keys("/")
	h.typeText("status:pending")
	h.keys("enter")
	view := h.tableOrgs()
	if len(view) != 2 {
		t.Fatalf("pending view %v", view)
	}
	h.keys("enter")
	first := h.s.form.orig.Organisation
	if first != view[0] {
		t.Fatalf("opened %q, view %v", first, view)
	}
	// Verify it (it has commitments and a statement): it leaves the
	// filter, yet the next row is the one below it.
	focusField(h, model.FieldReviewStatus)
	h.keys("space", "alt+s")
	if h.s.form == nil || h.s.form.orig.Organisation != view[1] {
		t.Fatalf("after save and next the form shows %v; view was %v\n%s", h.s.form, view, h.screen())
	}
	if s := stored(t, db, idOf(t, db, first)); s.ReviewStatus != model.StatusVerified || s.Version != 2 {
		t.Fatalf("the first record was not saved: %+v", s)
	}
	// Nothing to save: alt+s only moves on; at the end of the view the
	// form closes and says so.
	h.keys("alt+s")
	if h.s.form != nil {
		t.Fatalf("the last row's save and next left a form open on %q", h.s.form.orig.Organisation)
	}
	h.mustSee("that was the last row of the view")
}

// A save and next whose save fails stays on the record.
func TestSaveAndNextStaysWhenTheSaveFails(t *testing.T) {
	db := openStore(t)
	seedSigs(t, db, sampleRows()...)
	h := newHarness(t, db)
	h.svc.UpdateSignatoryFn = func(*model.Signatory, string) error { return fmt.Errorf("disk full") }
	h.keys("enter")
	id := h.s.form.orig.ID
	h.keys("alt+1", "alt+s")
	if h.s.form == nil || h.s.form.orig.ID != id {
		t.Fatal("a failed save moved on")
	}
	h.mustSee("not saved: disk full")
}

// Every new state of the form shows in help exactly the keys that work.
func TestLifeHelpMatchesKeys(t *testing.T) {
	svc := func() *service {
		rows := sampleRows()
		rows[1].Evidence = []model.CommitmentEvidence{{Commitment: model.GuaranteedInterviews, Evidence: model.Evidence{Note: "seen", By: "sam", On: testNow}}}
		rows[1].VacancyEvidence = model.Evidence{Note: "advert", By: "sam", On: testNow}
		w, _ := model.Withdraw(rows[3], "left", "sam", testNow)
		rows[3] = w
		return memService(rows, nil)
	}
	skip := []string{"ctrl+c"}
	toVacancy := []string{"enter"}
	for i := 0; i < 9; i++ {
		toVacancy = append(toVacancy, "tab")
	}
	open := func(q string, then ...string) []string {
		return append([]string{"/", "type:" + q, "enter", "enter"}, then...)
	}
	toVacancy = toVacancy[1:]
	cases := []struct {
		name string
		c    tuitest.HelpCheck
	}{
		{"evidenced commitment", tuitest.HelpCheck{Build: func() tuitest.Component { return screenIn(svc(), open("walsall", "ctrl+g")...) }, Skip: skip}},
		{"vacancy statement seen", tuitest.HelpCheck{Build: func() tuitest.Component { return screenIn(svc(), open("walsall", toVacancy...)...) }, Skip: skip}},
		{"withdrawn record", tuitest.HelpCheck{Build: func() tuitest.Component { return screenIn(svc(), open("status:withdrawn", "ctrl+g")...) }, Skip: skip}},
		{"evidence question", tuitest.HelpCheck{Build: func() tuitest.Component { return screenIn(svc(), open("walsall", "ctrl+g", "e")...) }, Skip: skip, Typing: true}},
		{"withdraw question", tuitest.HelpCheck{Build: func() tuitest.Component { return screenIn(svc(), open("walsall", "ctrl+x")...) }, Skip: skip, Typing: true}},
		{"read-only form on a commitment", tuitest.HelpCheck{Build: func() tuitest.Component {
			return screenWith(&common.Options{Signatories: svc(), ReadOnly: true, Now: func() time.Time { return testNow }}, open("walsall", "ctrl+g")...)
		}, Skip: skip}},
		{"verify question", tuitest.HelpCheck{Build: func() tuitest.Component {
			return screenIn(svc(), open("depot", append(append([]string{}, toVacancy...), "tab", "space", "space", "ctrl+s")...)...)
		}, Skip: skip, Typing: true}},
	}
	// Each state is the one named.
	state := map[string]func(*form) bool{
		"evidenced commitment":   func(f *form) bool { return f.focused().kind == itemCommitment && f.hasEvidence() },
		"vacancy statement seen": func(f *form) bool { return f.focused().field == model.FieldVacancyStatement && f.hasEvidence() },
		"withdrawn record":       func(f *form) bool { return f.status == model.StatusWithdrawn },
		"evidence question":      func(f *form) bool { return f.asking != nil && f.asking.kind == askEvidence },
		"withdraw question":      func(f *form) bool { return f.asking != nil && f.asking.kind == askWithdraw },
		"verify question":        func(f *form) bool { return f.asking != nil && f.asking.kind == askVerify },
		"read-only form on a commitment": func(f *form) bool {
			return f.opts.ReadOnly && f.focused().kind == itemCommitment && f.hasEvidence()
		},
	}
	for _, c := range cases {
		if s := c.c.Build().(*Screen); s.form == nil || !state[c.name](s.form) {
			t.Fatalf("%s: the build does not reach the state", c.name)
		}
		t.Run(c.name, func(t *testing.T) { tuitest.CheckHelp(t, c.name, c.c) })
	}
}

// View is pure in every new state: rendering twice gives the same frame.
func TestLifeViewsArePure(t *testing.T) {
	db := openStore(t)
	seedSigs(t, db, sampleRows()...)
	h := newHarness(t, db)
	openOrg(h, "aston")
	check := func(step string) {
		t.Helper()
		if a, b := h.s.View(), h.s.View(); a != b {
			t.Fatalf("%s: two renders differ", step)
		}
	}
	for _, step := range [][]string{{"ctrl+g"}, {"e"}, {"type:seen in policy"}, {"enter"}, {"ctrl+x"}, {"esc"}, {"alt+3"}, {"E"}} {
		h.keys(step...)
		check(strings.Join(step, " "))
	}
}

// Validation messages show whole, aligned under the values, in the room
// below the notes, at 80 columns (wrapped) and wider (on one line each).
func TestValidationMessagesWholeAndAligned(t *testing.T) {
	db := openStore(t)
	seedSigs(t, db, sampleRows()...)
	for _, width := range []int{80, 120} {
		h := newHarness(t, db)
		h.s.SetSize(width, 21)
		openOrg(h, "coventry")
		focusField(h, model.FieldEmail)
		h.typeText("not an address")
		focusField(h, model.FieldEmployees)
		h.typeText("lots")
		f := h.s.form
		msgs := []string{f.errs[model.FieldEmail], f.errs[model.FieldEmployees]}
		if msgs[0] == "" || msgs[1] == "" {
			t.Fatalf("no messages: %v", f.errs)
		}
		frame := tuitest.Plain(h.s.View())
		col := -1
		for _, l := range strings.Split(frame, "\n") {
			if i := strings.Index(l, "✗ Employees"); i >= 0 && i < 4 {
				col = i
			}
		}
		if col < 0 {
			t.Fatalf("%d: no line for Employees' message under the labels:\n%s", width, frame)
		}
		if width == 80 {
			golden.RequireEqual(t, []byte(frame))
		}
		joined := strings.Join(strings.Fields(frame), " ")
		for _, m := range msgs {
			if !strings.Contains(joined, strings.Join(strings.Fields(m), " ")) {
				t.Fatalf("%d columns: %q is not whole on screen:\n%s", width, m, frame)
			}
		}
		if width == 120 && !strings.Contains(frame, "✗ Email        "+msgs[0]) {
			t.Fatalf("at 120 columns the email's message is not on one line beside its label:\n%s", frame)
		}
	}
}

// Save and next opens the row that was below the record, even when the
// save moves the record in the table's order (sorted by status, verifying
// it moves it down past others).
func TestSaveAndNextWhenTheSaveMovesTheRow(t *testing.T) {
	db := openStore(t)
	seedSigs(t, db, sampleRows()...)
	h := newHarness(t, db)
	for i := 0; i < int(rowindex.NumColumns); i++ {
		if col, _ := h.s.table.idx.Sort(); col == rowindex.ColStatus {
			break
		}
		h.keys("s")
	}
	before := h.tableOrgs()
	// need_info, pending, pending, verified, verified: open the first pending.
	at := -1
	for i, org := range before {
		if stored(t, db, idOf(t, db, org)).ReviewStatus == model.StatusPending {
			at = i
			break
		}
	}
	if at < 0 || at+1 >= len(before) {
		t.Fatalf("order %v", before)
	}
	for h.s.table.list.Cursor() > at {
		h.keys("k")
	}
	for h.s.table.list.Cursor() < at {
		h.keys("j")
	}
	h.keys("enter")
	if h.s.form.orig.Organisation != before[at] {
		t.Fatalf("opened %q; wanted %q", h.s.form.orig.Organisation, before[at])
	}
	focusField(h, model.FieldReviewStatus)
	h.keys("space", "alt+s") // pending → verified: it sorts after the other pending one
	if h.s.form == nil || h.s.form.orig.Organisation != before[at+1] {
		got := "no form"
		if h.s.form != nil {
			got = h.s.form.orig.Organisation
		}
		t.Fatalf("after save and next: %s; the row below was %q (order %v, now %v)", got, before[at+1], before, h.tableOrgs())
	}
}
