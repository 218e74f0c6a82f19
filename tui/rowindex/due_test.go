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

// FuzzDueCounts: whatever the records and the changes made to them, the
// cached due counts equal a count made with model.DueStateOf, record by
// record, over the rows in view; and the Due order puts every withdrawn
// record after the rest and never a later review base before an earlier.
func FuzzDueCounts(f *testing.F) {
	f.Add([]byte{0, 10, 200, 3, 7, 90, 255, 1, 1, 1}, uint8(12))
	f.Add([]byte{5, 5, 5, 5, 5, 5}, uint8(1))
	f.Add([]byte{255, 0, 128, 64, 32, 16, 8, 4, 2, 1, 0, 255}, uint8(120))
	f.Fuzz(func(t *testing.T, data []byte, months uint8) {
		if len(data) > 3000 {
			data = data[:3000]
		}
		today := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
		period := model.ReviewPeriod(int(months)%int(model.MaxReviewPeriod) + 1)
		statuses := model.AllReviewStatuses()
		var recs []model.Signatory
		for i := 0; i+1 < len(data); i += 2 {
			s := mkSig(uint64(i/2+1), "Org", "Dudley", int(data[i]%9), statuses[int(data[i])%len(statuses)], true)
			s.SignedOn = today.AddDate(0, 0, -int(data[i+1])*9)
			if data[i]&16 != 0 {
				s.LastReviewedOn = today.AddDate(0, 0, -int(data[i+1])*3)
			}
			recs = append(recs, s)
		}
		x := New()
		x.SetContext(today, period)
		x.Set(recs)
		cache := &DueCache{}
		check := func(step string) {
			t.Helper()
			var wo, ws int
			for i := 0; i < x.Len(); i++ {
				switch model.DueStateOf(x.At(i).Sig, period, today) {
				case model.DueOverdue:
					wo++
				case model.DueSoon:
					ws++
				}
			}
			if o, s := x.DueCounts(x.DueClock(), cache); o != wo || s != ws {
				t.Fatalf("%s: counts %d, %d; by the rule %d, %d", step, o, s, wo, ws)
			}
		}
		check("loaded")
		// Change every third record's review, in place.
		for i := 0; i < len(recs); i += 3 {
			r := *x.Get(recs[i].ID).Sig
			r.Version++
			r.LastReviewedOn = today.AddDate(0, 0, -int(data[i])*2)
			x.Apply(r.ID, &r, 0)
		}
		check("changed")
		x.SetQuery("status:pending,verified,needs_info,withdrawn")
		x.SetSort(ColDue, false)
		check("all statuses")
		for i := 1; i < x.Len(); i++ {
			a, b := x.At(i-1).Sig, x.At(i).Sig
			if a.Withdrawn() && !b.Withdrawn() {
				t.Fatalf("withdrawn %d sorts before %d", a.ID, b.ID)
			}
			if a.Withdrawn() == b.Withdrawn() && model.ReviewBase(a).After(model.ReviewBase(b)) {
				t.Fatalf("base %v sorts before %v", model.ReviewBase(a), model.ReviewBase(b))
			}
		}
	})
}
