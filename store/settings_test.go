package store

import (
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"charter/model"
)

func TestReviewPeriodDefaultsSetsAndPersists(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	db, err := Open(path, Options{NoSeed: true, Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	if p, err := db.ReviewPeriod(); err != nil || p != 12 {
		t.Fatalf("a new database's review period = %d, %v; want the default 12", p, err)
	}
	for _, bad := range []model.ReviewPeriod{0, -1, 121} {
		err := db.SetReviewPeriod(bad, "ann")
		if !errors.Is(err, model.ErrInvalid) {
			t.Errorf("SetReviewPeriod(%d) = %v; want ErrInvalid", bad, err)
		}
	}
	if p, _ := db.ReviewPeriod(); p != 12 {
		t.Fatalf("a refused setting changed the period to %d", p)
	}
	for _, good := range []model.ReviewPeriod{1, 120, 6} {
		if err := db.SetReviewPeriod(good, "ann"); err != nil {
			t.Fatalf("SetReviewPeriod(%d): %v", good, err)
		}
		if p, err := db.ReviewPeriod(); err != nil || p != good {
			t.Fatalf("after setting %d, ReviewPeriod = %d, %v", good, p, err)
		}
	}
	if err := db.Check(); err != nil {
		t.Fatalf("check after setting the period: %v", err)
	}
	db.Close()
	db, err = Open(path, Options{NoSeed: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if p, err := db.ReviewPeriod(); err != nil || p != 6 {
		t.Fatalf("after reopening, ReviewPeriod = %d, %v; want 6", p, err)
	}
}

func TestReviewPeriodThroughDecorators(t *testing.T) {
	db := openTest(t, false)
	if err := (model.ReadOnlySettings{Next: db}).SetReviewPeriod(3, "obs"); !errors.Is(err, model.ErrReadOnly) {
		t.Fatalf("read-only SetReviewPeriod = %v", err)
	}
	var logged []string
	l := model.LoggedSettings{Next: db, Log: func(what string, err error, kv ...any) { logged = append(logged, what) }}
	if err := l.SetReviewPeriod(3, "ann"); err != nil {
		t.Fatal(err)
	}
	if p, _ := (model.ReadOnlySettings{Next: db}).ReviewPeriod(); p != 3 || len(logged) != 1 {
		t.Fatalf("period %d, logged %q", p, logged)
	}
}

func fieldChange(ch model.Change, field string) (model.FieldChange, bool) {
	for _, f := range ch.Fields {
		if f.Field == field {
			return f, true
		}
	}
	return model.FieldChange{}, false
}

func TestSaveStampsReviewWhenStatusBecomesVerifiedOrNeedsInfo(t *testing.T) {
	now := time.Date(2026, 5, 14, 16, 30, 0, 0, time.UTC)
	db, err := Open(filepath.Join(t.TempDir(), "t.db"), Options{NoSeed: true, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	// Created pending: no review.
	s := sample("Brindley Printing", 2)
	if err := db.CreateSignatory(&s, "ann"); err != nil {
		t.Fatal(err)
	}
	if !s.LastReviewedOn.IsZero() || s.LastReviewedBy != "" {
		t.Fatalf("a pending record was stamped reviewed: %v by %q", s.LastReviewedOn, s.LastReviewedBy)
	}
	// Created verified: stamped at once.
	v := sample("Lickey Hills Cafe", 1)
	v.ReviewStatus = model.StatusVerified
	if err := db.CreateSignatory(&v, "bob"); err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 5, 14, 0, 0, 0, 0, time.UTC)
	if !v.LastReviewedOn.Equal(day) || v.LastReviewedBy != "bob" {
		t.Fatalf("created verified: reviewed %v by %q", v.LastReviewedOn, v.LastReviewedBy)
	}

	steps := []struct {
		status  model.ReviewStatus
		by      string
		at      time.Time
		stamped bool
	}{
		{model.StatusNeedsInfo, "cat", time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC), true},
		{model.StatusNeedsInfo, "dan", time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC), false}, // same status: not a new review
		{model.StatusVerified, "eve", time.Date(2026, 7, 3, 23, 59, 0, 0, time.UTC), true},
		{model.StatusPending, "fay", time.Date(2026, 8, 4, 9, 0, 0, 0, time.UTC), false}, // pending keeps the last review
	}
	wantOn, wantBy := time.Time{}, ""
	for i, st := range steps {
		now = st.at
		s.ReviewStatus = st.status
		s.Notes = fmt.Sprintf("step %d", i) // every step changes something, so each has a history entry
		if err := db.UpdateSignatory(&s, st.by); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if st.stamped {
			wantOn, wantBy = time.Date(st.at.Year(), st.at.Month(), st.at.Day(), 0, 0, 0, 0, time.UTC), st.by
		}
		got, err := db.Signatory(s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.LastReviewedOn.Equal(wantOn) || got.LastReviewedBy != wantBy {
			t.Errorf("step %d (%s by %s): stored review %v by %q; want %v by %q", i, st.status, st.by, got.LastReviewedOn, got.LastReviewedBy, wantOn, wantBy)
		}
		hist, _ := db.SignatoryHistory(s.ID)
		last := hist[len(hist)-1]
		fc, ok := fieldChange(last, model.FieldLastReviewedOn)
		if ok != st.stamped || (ok && fc.New != wantOn.Format(model.DateLayout)) {
			t.Errorf("step %d: history of %s = %+v (present %v); want present %v", i, model.FieldLastReviewedOn, fc, ok, st.stamped)
		}
		if fb, ok := fieldChange(last, model.FieldLastReviewedBy); st.stamped && (!ok || fb.New != st.by) {
			t.Errorf("step %d: history of the reviewer = %+v", i, fb)
		}
	}
}

func TestImportDoesNotStampReview(t *testing.T) {
	db := openTest(t, false)
	s := sample("Brindley Printing", 2)
	s.ReviewStatus = model.StatusVerified
	if _, err := db.ImportSignatories([]model.Signatory{s}, model.ImportOptions{}, "import"); err != nil {
		t.Fatal(err)
	}
	all, _ := db.Signatories()
	if len(all) != 1 || !all[0].LastReviewedOn.IsZero() || all[0].LastReviewedBy != "" {
		t.Fatalf("an imported verified record was stamped reviewed: %+v", all)
	}
}

func TestWithdrawnRecordsLeaveTheAggregateAndCheckAgrees(t *testing.T) {
	db := openTest(t, false)
	gold := sample("Brindley Printing", 4)
	bronze := sample("Lickey Hills Cafe", 1)
	for _, s := range []*model.Signatory{&gold, &bronze} {
		if err := db.CreateSignatory(s, "ann"); err != nil {
			t.Fatal(err)
		}
	}
	counts := func() model.TierCounts {
		c, err := db.TierCounts()
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if c := counts(); c.Total != 2 || c.ByTier[model.TierGold] != 1 || c.Withdrawn != 0 {
		t.Fatalf("before: %+v", c)
	}
	w, err := model.Withdraw(gold, "left the region", "ann", fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.UpdateSignatory(&w, "ann"); err != nil {
		t.Fatal(err)
	}
	if c := counts(); c.Total != 1 || c.ByTier[model.TierGold] != 0 || c.ByTier[model.TierBronze] != 1 || c.Withdrawn != 1 {
		t.Fatalf("after withdrawing the gold record: %+v", c)
	}
	if n, _ := db.CountSignatories(); n != 1 {
		t.Fatalf("CountSignatories = %d; want 1 (withdrawn left out)", n)
	}
	if all, _ := db.Signatories(); len(all) != 2 {
		t.Fatalf("Signatories holds %d records; want both, the withdrawn one too", len(all))
	}
	if err := db.Check(); err != nil {
		t.Fatalf("check after a withdrawal: %v", err)
	}
	hist, _ := db.SignatoryHistory(w.ID)
	if fc, ok := fieldChange(hist[len(hist)-1], model.FieldReviewStatus); !ok || fc.New != "withdrawn" {
		t.Fatalf("history of the withdrawal: %+v", hist[len(hist)-1])
	}
	r, err := model.Restore(w)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.UpdateSignatory(&r, "bob"); err != nil {
		t.Fatal(err)
	}
	if c := counts(); c.Total != 2 || c.ByTier[model.TierGold] != 1 || c.Withdrawn != 0 {
		t.Fatalf("after restoring: %+v", c)
	}
	if err := db.Check(); err != nil {
		t.Fatalf("check after a restore: %v", err)
	}
	if err := db.DeleteSignatory(r.ID, r.Version, "ann"); err != nil {
		t.Fatal(err)
	}
	if c := counts(); c.Total != 1 || c.Withdrawn != 0 {
		t.Fatalf("after deleting: %+v", c)
	}
}
