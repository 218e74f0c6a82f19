package rowindex

import (
	"testing"
	"time"

	"charter/model"
)

// The Due column orders by the day the review period runs from (most
// overdue first), withdrawn records last; DueCounts counts the view
// against the index's day and period, and agrees with due: filters.
func TestDueColumnOrderAndCounts(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.Parse(model.DateLayout, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	today := day("2026-11-22")
	recs := []model.Signatory{
		mkSig(1, "Reviewed Lately", "Dudley", 2, model.StatusVerified, true),  // reviewed 2026-06-01: current
		mkSig(2, "Due Soon", "Dudley", 2, model.StatusVerified, true),         // reviewed 2025-12-10: due 2026-12-10, soon
		mkSig(3, "Never Reviewed", "Dudley", 2, model.StatusPending, true),    // signed 2024-01-05: overdue
		mkSig(4, "Overdue By A Day", "Dudley", 2, model.StatusVerified, true), // reviewed 2025-11-21: due 2026-11-21, overdue
		mkSig(5, "Left", "Dudley", 2, model.StatusWithdrawn, true),            // withdrawn: out of the cycle
		mkSig(6, "Due Today", "Dudley", 2, model.StatusVerified, true),        // reviewed 2025-11-22: due today, soon
	}
	recs[0].LastReviewedOn = day("2026-06-01")
	recs[1].LastReviewedOn = day("2025-12-10")
	recs[2].SignedOn = day("2024-01-05")
	recs[3].LastReviewedOn = day("2025-11-21")
	recs[4].SignedOn = day("2020-01-01")
	recs[5].LastReviewedOn = day("2025-11-22")
	x := New()
	x.SetContext(today, 0)
	x.Set(recs)
	x.SetQuery("status:pending,verified,needs_info,withdrawn")
	x.SetSort(ColDue, false)
	var got []uint64
	for i := 0; i < x.Len(); i++ {
		got = append(got, x.At(i).ID())
	}
	want := []uint64{3, 4, 6, 2, 1, 5}
	if len(got) != len(want) {
		t.Fatalf("order %v; want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("order %v; want %v", got, want)
		}
	}
	clock := x.DueClock()
	cache := &DueCache{}
	words := map[uint64]string{1: "current", 2: "soon", 3: "overdue", 4: "overdue", 5: "—", 6: "soon"}
	for _, s := range recs {
		if w := DueWord(clock.State(&s)); w != words[s.ID] {
			t.Errorf("%s: %q; want %q", s.Organisation, w, words[s.ID])
		}
	}
	if o, s := x.DueCounts(clock, cache); o != 2 || s != 2 {
		t.Fatalf("counts with withdrawn in view: overdue %d, soon %d; want 2, 2", o, s)
	}
	// A change to one record reaches the count through the same cache.
	reviewed := recs[2]
	reviewed.Version++
	reviewed.ReviewStatus, reviewed.LastReviewedOn = model.StatusVerified, today
	x.Apply(reviewed.ID, &reviewed, 0)
	if o, s := x.DueCounts(clock, cache); o != 1 || s != 2 {
		t.Fatalf("after reviewing the one never reviewed: overdue %d, soon %d; want 1, 2", o, s)
	}
	reviewed.Version++
	reviewed.LastReviewedOn = day("2020-01-01")
	x.Apply(reviewed.ID, &reviewed, 0)
	if o, s := x.DueCounts(clock, cache); o != 2 || s != 2 {
		t.Fatalf("after moving it back: overdue %d, soon %d; want 2, 2", o, s)
	}
	// The counts agree with the filter's due: terms.
	for q, n := range map[string]int{"due:overdue": 2, "due:soon": 2, "due:current": 1} {
		if err := x.SetQuery(q); err != nil {
			t.Fatal(err)
		}
		if x.Len() != n {
			t.Errorf("%s: %d rows; want %d", q, x.Len(), n)
		}
	}
	// A longer period moves them all on.
	x.SetContext(today, 24)
	x.SetQuery("")
	if o, s := x.DueCounts(x.DueClock(), cache); o != 1 || s != 0 {
		t.Fatalf("24 months: overdue %d, soon %d; want 1 (never reviewed, signed 2024-01-05), 0", o, s)
	}
}

// BenchmarkDueCounts100k is the status bar's due count over a whole view
// of 100,000 rows, made once per change of the rows.
func BenchmarkDueCounts100k(b *testing.B) {
	x := New()
	x.SetContext(time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC), 0)
	x.Set(generate(100_000))
	clock := x.DueClock()
	cache := &DueCache{}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if o, s := x.DueCounts(clock, cache); o+s == 0 {
			b.Fatal("nothing due")
		}
	}
}
