package signatories

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"charter/model"
	"charter/tui/common"
	"charter/tui/rowindex"
)

// The Due column shows each record's review state against the reviewer's
// day, sorts most overdue first, the status bar counts the due rows of the
// view, and a review done in the form moves a record to current.
func TestDueColumnSortAndSummaryCount(t *testing.T) {
	db := openStore(t)
	day := func(s string) time.Time {
		d, _ := time.Parse(model.DateLayout, s)
		return d
	}
	current := mkSig("Carpentry Co", "Dudley", 3, model.StatusVerified, true)
	current.LastReviewedOn, current.LastReviewedBy = day("2026-06-01"), "sam"
	soon := mkSig("Soon Signs", "Dudley", 3, model.StatusVerified, true)
	soon.LastReviewedOn, soon.LastReviewedBy = day("2025-12-10"), "sam"     // due 2026-12-10: within 30 days of 2026-11-22
	late := mkSig("Late Lettering", "Dudley", 3, model.StatusPending, true) // never reviewed, signed 2024-01-02
	seedSigs(t, db, current, soon, late)
	h := newHarness(t, db)
	cell := func(org string) string {
		t.Helper()
		for _, l := range strings.Split(h.screen(), "\n") {
			if strings.Contains(l, org) && strings.Contains(l, "Dudley") {
				f := strings.Fields(l)
				return f[len(f)-1]
			}
		}
		t.Fatalf("no row for %s:\n%s", org, h.screen())
		return ""
	}
	if got := []string{cell("Carpentry Co"), cell("Soon Signs"), cell("Late Lettering")}; strings.Join(got, ",") != "current,soon,overdue" {
		t.Fatalf("Due cells %v:\n%s", got, h.screen())
	}
	h.mustSee("Signed on  Due", "│ 3 signatories · 2 due (1 overdue)")
	for i := 0; i < int(rowindex.NumColumns); i++ {
		if col, _ := h.s.table.idx.Sort(); col == rowindex.ColDue {
			break
		}
		h.keys("s")
	}
	h.mustSee("sorted by due", "Due▲")
	if got := strings.Join(h.tableOrgs(), ","); got != "Late Lettering,Soon Signs,Carpentry Co" {
		t.Fatalf("by due: %s", got)
	}
	h.keys("S")
	if got := strings.Join(h.tableOrgs(), ","); got != "Carpentry Co,Soon Signs,Late Lettering" {
		t.Fatalf("by due, reversed: %s", got)
	}
	h.keys("/")
	h.typeText("due:overdue")
	h.keys("enter")
	h.mustSee("3 signatories · 1 shown · filter: due:overdue · 1 due (1 overdue)")
	// Verify the overdue record: its review is today, so it is current,
	// and it stays in view (marked) until the cursor moves.
	h.keys("enter")
	focusField(h, model.FieldReviewStatus)
	h.keys("space", "ctrl+s", "esc")
	if h.s.form != nil {
		t.Fatalf("the form stayed open:\n%s", h.screen())
	}
	if cell("Late Lettering") != "current" {
		t.Fatalf("after the review:\n%s", h.screen())
	}
	h.mustSee("· 0 due")
	s := stored(t, db, idOf(t, db, "Late Lettering"))
	if !s.LastReviewedOn.Equal(day("2026-11-22")) || s.LastReviewedBy != "tester" {
		t.Fatalf("stored review %v by %q", s.LastReviewedOn, s.LastReviewedBy)
	}
}

// settings is a review period setting double.
type settings struct {
	period model.ReviewPeriod
	err    error
}

func (s *settings) ReviewPeriod() (model.ReviewPeriod, error) { return s.period, s.err }
func (s *settings) SetReviewPeriod(p model.ReviewPeriod, _ string) error {
	s.period = p
	return nil
}

// The table reads the database's review period: the Due cells, the count
// and a due: filter typed before it arrived all follow it; a late answer
// for an earlier read is dropped.
func TestDueFollowsTheDatabasesReviewPeriod(t *testing.T) {
	db := openStore(t)
	if err := db.SetReviewPeriod(36, "admin"); err != nil {
		t.Fatal(err)
	}
	late := mkSig("Late Lettering", "Dudley", 3, model.StatusPending, true) // signed 2024-01-02
	seedSigs(t, db, late)
	h := newHarnessHold(t, db, func(msg tea.Msg) bool { _, ok := msg.(periodMsg); return ok },
		func(o *common.Options) { o.Settings = db })
	h.keys("/")
	h.typeText("due:overdue")
	h.keys("enter")
	h.mustSee("1 shown · filter: due:overdue · 1 due (1 overdue)")
	h.d.Release(func(msg tea.Msg) bool { _, ok := msg.(periodMsg); return ok }) // 36 months from 2024-01-02 is 2027-01-02: current
	h.mustNotSee("Late Lettering")
	h.mustSee("0 shown · filter: due:overdue · 0 due")
	h.keys("esc")
	h.mustSee("Late Lettering", "current")
	// An answer for a read that is no longer the latest changes nothing.
	h.send(periodMsg{Owner: owner(h.s.table.due.periodGen + 1000), period: 1})
	h.mustSee("current")
}
