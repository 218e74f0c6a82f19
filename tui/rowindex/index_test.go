package rowindex

import (
	"fmt"
	"math/rand"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"charter/model"
)

func mkSig(id uint64, org, area string, n int, status model.ReviewStatus, vacancy bool) model.Signatory {
	s := model.Signatory{ID: id, Version: 1, Organisation: org, Sector: model.SectorPrivate, Region: "West Midlands",
		LocalArea: area, SignedOn: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(id%50)),
		ReviewStatus: status, VacancyStatement: vacancy, ContactName: "Ann Example", SignedBy: "Ann Example"}
	for i := 0; i < n; i++ {
		s.Commitments = s.Commitments.With(model.Commitment(i))
	}
	return s
}

// generate makes n records the way the benchmarks of the table always
// have: organisation names in scrambled order, every area, tier and status.
func generate(n int) []model.Signatory {
	rows := make([]model.Signatory, n)
	areas := model.LocalAreas()
	for i := range rows {
		rows[i] = mkSig(uint64(i+1), fmt.Sprintf("Organisation %06d Printing", (i*7919)%100_000), areas[i%len(areas)],
			i%9, model.ReviewStatuses()[i%3], i%4 != 0)
	}
	return rows
}

// reference is what the index must show: every record that matches the
// query, in the sort order, and their tier counts, computed the slow way.
func reference(t *testing.T, recs map[uint64]model.Signatory, q string, col Column, desc bool) ([]uint64, model.TierCounts) {
	t.Helper()
	parsed, err := model.ParseQuery(q)
	if err != nil {
		t.Fatal(err)
	}
	m, err := parsed.ForSignatories()
	if err != nil {
		t.Fatal(err)
	}
	var rows []*Row
	for _, s := range recs {
		r := NewRow(s)
		if m.Match(r.Sig, r.hay) {
			rows = append(rows, r)
		}
	}
	sort.Slice(rows, func(i, j int) bool {
		if desc {
			return less(col, rows[j], rows[i])
		}
		return less(col, rows[i], rows[j])
	})
	var ids []uint64
	var c model.TierCounts
	for _, r := range rows {
		ids = append(ids, r.ID())
		c.Add(r.Sig, 1)
	}
	return ids, c
}

func viewIDs(x *Index) []uint64 {
	var ids []uint64
	for i := 0; i < x.Len(); i++ {
		ids = append(ids, x.At(i).ID())
	}
	return ids
}

func check(t *testing.T, x *Index, recs map[uint64]model.Signatory, step string) {
	t.Helper()
	col, desc := x.Sort()
	want, wc := reference(t, recs, x.Query(), col, desc)
	got := viewIDs(x)
	if !slices.Equal(got, want) {
		t.Fatalf("%s: query %q sort %v/%v:\n got %v\nwant %v", step, x.Query(), col, desc, got, want)
	}
	if x.Tiers() != wc {
		t.Fatalf("%s: tiers %+v, want %+v", step, x.Tiers(), wc)
	}
	if x.Total() != len(recs) {
		t.Fatalf("%s: total %d, want %d", step, x.Total(), len(recs))
	}
}

// Every operation, in random order, leaves the index showing exactly what
// filtering and sorting all the records afresh would show.
func TestIndexAgreesWithAFreshSortAndFilter(t *testing.T) {
	rnd := rand.New(rand.NewSource(1))
	recs := map[uint64]model.Signatory{}
	var list []model.Signatory
	for _, s := range generate(300) {
		// Names alike in their first 24 bytes and apart after them, and
		// one with a NUL, test the sort keys' limits.
		s.Organisation = []string{"Dudley Printing", "Aston Joinery", "walsall bakery", "Édith Café", "Coventry Printers",
			"Coventry Printers and Binders", "coventry printers and binders", "Nul\x00", "Nul"}[s.ID%9] + fmt.Sprint(" ", s.ID%7)
		recs[s.ID] = s
		list = append(list, s)
	}
	x := New()
	x.Set(list)
	check(t, x, recs, "set")
	queries := []string{"", "print", "printing", "printing 3", "area:dud", "area:dudley tier:g", "tier:gold,silver",
		"-status:verified", "café", "status:pending bakery", "tier:bronze area:wal", "sector:private"}
	next := uint64(1000)
	for step := 0; step < 600; step++ {
		switch op := rnd.Intn(10); {
		case op < 2:
			if err := x.SetQuery(queries[rnd.Intn(len(queries))]); err != nil {
				if _, perr := model.ParseQuery(x.Query()); perr == nil {
					continue // a term the language does not know: rows unchanged
				}
			}
		case op < 3:
			x.SetSort(Column(rnd.Intn(int(NumColumns))), rnd.Intn(2) == 0)
		case op < 7: // replace
			ids := keys(recs)
			s := recs[ids[rnd.Intn(len(ids))]]
			s.Version++
			s.Commitments = model.CommitmentSet(rnd.Intn(256))
			s.ReviewStatus = model.ReviewStatuses()[rnd.Intn(3)]
			s.LocalArea = model.LocalAreas()[rnd.Intn(7)]
			if rnd.Intn(3) == 0 {
				s.Organisation = "Renamed Printing " + fmt.Sprint(rnd.Intn(50))
			}
			recs[s.ID] = s
			keep := uint64(0)
			if rnd.Intn(2) == 0 {
				keep = s.ID // the reviewer's row: kept in view if it leaves
			}
			if !x.Apply(s.ID, &s, keep) {
				t.Fatal("a newer version was not applied")
			}
			if p := x.Pinned(); p != 0 {
				if p != s.ID || x.Find(p) < 0 || x.Matches(x.Get(p)) {
					t.Fatalf("step %d: pinned %d, changed %d", step, p, s.ID)
				}
				// Other rows move while one is pinned.
				for _, id := range keys(recs)[:3] {
					if id == p {
						continue
					}
					o := recs[id]
					o.Version++
					o.Commitments = model.CommitmentSet(rnd.Intn(256))
					o.Organisation = "Moved " + fmt.Sprint(rnd.Intn(50))
					recs[id] = o
					x.Apply(id, &o, 0)
				}
				if x.Pinned() != p || x.Find(p) < 0 {
					t.Fatalf("step %d: the pin was lost", step)
				}
				x.Unpin()
			}
		case op < 8: // delete
			ids := keys(recs)
			id := ids[rnd.Intn(len(ids))]
			delete(recs, id)
			x.Apply(id, nil, 0)
		case op < 9: // insert
			next++
			s := mkSig(next, "New Printing "+fmt.Sprint(next%11), "Dudley", rnd.Intn(9), model.StatusPending, rnd.Intn(2) == 0)
			recs[s.ID] = s
			x.Apply(s.ID, &s, 0)
		default: // a stale version changes nothing
			ids := keys(recs)
			s := recs[ids[rnd.Intn(len(ids))]]
			old := s
			old.Organisation = "Stale"
			if x.Apply(s.ID, &old, 0) {
				t.Fatal("an old version was applied")
			}
		}
		check(t, x, recs, fmt.Sprintf("step %d", step))
	}
}

func keys(m map[uint64]model.Signatory) []uint64 {
	var out []uint64
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestNarrowingWideningAndTheCache(t *testing.T) {
	recs := map[uint64]model.Signatory{}
	var list []model.Signatory
	for _, s := range generate(25_000) { // above parallelFrom: the split scan
		recs[s.ID] = s
		list = append(list, s)
	}
	x := New()
	x.Set(list)
	for _, q := range []string{"o", "or", "organisation 0", "organisation 01", "organisation 012", "organisation 01", "organisation 0", "area:dud", "area:dudley tier:gold", ""} {
		if err := x.SetQuery(q); err != nil {
			t.Fatal(err)
		}
		check(t, x, recs, q)
	}
	// A bad query leaves the rows as they were.
	before := viewIDs(x)
	if err := x.SetQuery(`colour:red`); err == nil || !strings.Contains(err.Error(), `unknown key "colour"`) {
		t.Fatalf("error %v", err)
	}
	if !slices.Equal(before, viewIDs(x)) {
		t.Fatal("a bad query changed the rows")
	}
}

func TestCellsAreNeutralised(t *testing.T) {
	s := mkSig(1, "Red \x1b[31mAlert\x1b[0m\u202e Ltd\tTab", "Dud\x07ley\nNorth", 3, model.StatusNeedsInfo, false)
	r := NewRow(s)
	if r.Cell(ColOrganisation) != "Red Alert Ltd Tab" || r.Cell(ColArea) != "Dudley North" {
		t.Fatalf("cells %q %q", r.Cell(ColOrganisation), r.Cell(ColArea))
	}
	if r.Sig.Organisation != s.Organisation {
		t.Fatal("the record itself was changed")
	}
	for c, want := range map[Column]string{ColTier: "Silver", ColVacancy: "NO!", ColStatus: "need info", ColCount: "3",
		ColSector: "private", ColSignedOn: s.SignedOn.Format(model.DateLayout), ColDue: ""} {
		if got := r.Cell(c); got != want {
			t.Errorf("%s: %q, want %q", c.Title(), got, want)
		}
	}
}

// A record changed so that it leaves the filter stays in view while it is
// the one the reviewer is on, until unpinned or the query changes.
func TestPinKeepsTheSelectedRowInView(t *testing.T) {
	list := []model.Signatory{
		mkSig(1, "Alpha", "Dudley", 1, model.StatusPending, true),
		mkSig(2, "Beta", "Dudley", 1, model.StatusPending, true),
		mkSig(3, "Gamma", "Dudley", 1, model.StatusPending, true),
	}
	x := New()
	x.Set(list)
	if err := x.SetQuery("status:pending"); err != nil {
		t.Fatal(err)
	}
	b := list[1]
	b.Version, b.ReviewStatus = 2, model.StatusVerified
	x.Apply(2, &b, 2)
	if got := viewIDs(x); !slices.Equal(got, []uint64{1, 2, 3}) || x.Pinned() != 2 {
		t.Fatalf("view %v pinned %d", got, x.Pinned())
	}
	if x.Matches(x.At(1)) || x.Tiers().Total != 3 {
		t.Fatal("the pinned row should be marked as not matching and counted while in view")
	}
	x.Unpin()
	if got := viewIDs(x); !slices.Equal(got, []uint64{1, 3}) || x.Tiers().Total != 2 {
		t.Fatalf("after unpin: %v %+v", got, x.Tiers())
	}
	// Another record leaving the filter just goes.
	c := list[2]
	c.Version, c.ReviewStatus = 2, model.StatusVerified
	x.Apply(3, &c, 1)
	if got := viewIDs(x); !slices.Equal(got, []uint64{1}) || x.Pinned() != 0 {
		t.Fatalf("view %v pinned %d", got, x.Pinned())
	}
	if x.Find(1) != 0 || x.Find(3) != -1 || x.Get(3).Sig.ReviewStatus != model.StatusVerified {
		t.Fatal("find/get")
	}
}

func BenchmarkSetQuery100k(b *testing.B) {
	x := New()
	x.Set(generate(100_000))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		x.SetQuery([]string{"area:dud printing 01", "area:dud printing 012"}[i%2])
	}
}

// benchFilter types query, then times keys that alternately add the rune
// and delete it again, so every step refilters. With uncached the recent
// query cache is emptied first; with widenOnly only deletions are timed.
// These are the index's half of the table's filter benchmarks.
func benchFilter(b *testing.B, query string, add rune, uncached, widenOnly bool) {
	x := New()
	x.Set(generate(100_000))
	for i := range query {
		x.SetQuery(query[:i+1]) // "area:" alone is an error, as typed
	}
	if err := x.SetQuery(query); err != nil {
		b.Fatal(err)
	}
	long := query + string(add)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if widenOnly {
			b.StopTimer()
			x.SetQuery(long)
			b.StartTimer()
		}
		q := query
		if !widenOnly && i%2 == 0 {
			q = long
		}
		if uncached {
			x.ForgetRecent()
		}
		x.SetQuery(q)
	}
}

func BenchmarkFilterKeystroke100k(b *testing.B) {
	benchFilter(b, "area:dud printing 01", '2', false, false)
}

func BenchmarkFilterWordKeystroke100k(b *testing.B) {
	benchFilter(b, "organisation 0", '1', false, false)
}

func BenchmarkFilterKeystrokeUncached100k(b *testing.B) {
	benchFilter(b, "organisation 0", '1', true, false)
}

func BenchmarkFilterWidenUncached100k(b *testing.B) {
	benchFilter(b, "organisation 0", '1', true, true)
}

// BenchmarkSort100k: one change of sort column over 100,000 rows.
func BenchmarkSort100k(b *testing.B) {
	x := New()
	x.Set(generate(100_000))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		x.SetSort(Column(i%int(NumColumns)), false)
	}
}

// BenchmarkApplyRecord100k: one re-read record put in place among
// 100,000, with a filter in force.
func BenchmarkApplyRecord100k(b *testing.B) {
	recs := generate(100_000)
	x := New()
	x.Set(recs)
	x.SetQuery("printing")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s := recs[(i*31)%len(recs)]
		s.Version += uint64(i + 1)
		s.Commitments = model.CommitmentSet(i % 256)
		x.Apply(s.ID, &s, 0)
	}
}

// Typing on at the end of a query does not always narrow it: more of a
// negated word keeps more records, and so does another alternative after
// a comma. Each step must show what a fresh filter shows.
func TestTypingOnThatWidens(t *testing.T) {
	recs := map[uint64]model.Signatory{}
	var list []model.Signatory
	for i, org := range []string{"Print Works", "Printing Press", "Prince Bakery", "Dudley Joinery"} {
		s := mkSig(uint64(i+1), org, "Dudley", []int{8, 5, 2, 0}[i], model.StatusPending, true)
		recs[s.ID] = s
		list = append(list, s)
	}
	x := New()
	x.Set(list)
	for _, steps := range [][]string{
		{"-prin", "-print"},                        // 2 rows, then 3: "prince" is back
		{"tier:gold", "tier:gold,", "tier:gold,s"}, // 1, 1, then 2 (silver)
		{"print", "print -pre"},
	} {
		for _, q := range steps {
			if err := x.SetQuery(q); err != nil {
				t.Fatalf("%q: %v", q, err)
			}
			check(t, x, recs, q)
		}
	}
	if err := x.SetQuery("-prin"); err != nil {
		t.Fatal(err)
	}
	x.SetQuery("-print")
	if got := viewIDs(x); !slices.Equal(got, []uint64{4, 3}) {
		t.Fatalf("-print shows %v, want Dudley Joinery and Prince Bakery", got)
	}
	x.SetQuery("tier:gold,")
	x.SetQuery("tier:gold,s")
	if got := viewIDs(x); !slices.Equal(got, []uint64{1, 2}) {
		t.Fatalf("tier:gold,s shows %v, want the gold and the silver record", got)
	}
}

// Withdrawn records stay out of the default view and of the counts
// (except Withdrawn's own), and come back only when a status term asks.
func TestWithdrawnLeftOutUnlessAskedFor(t *testing.T) {
	list := generate(30_000) // above parallelFrom: counts made in parts
	for i := range list {
		if i%10 == 0 {
			list[i].ReviewStatus = model.StatusWithdrawn
		}
	}
	x := New()
	x.Set(list)
	if x.Len() != 27_000 || x.Tiers().Total != 27_000 {
		t.Fatalf("default view %d rows, total %d; want 27,000 (3,000 withdrawn left out)", x.Len(), x.Tiers().Total)
	}
	var want model.TierCounts
	for i := range list {
		if list[i].ReviewStatus != model.StatusWithdrawn {
			want.Add(&list[i], 1)
		}
	}
	if x.Tiers() != want {
		t.Fatalf("counts %+v, want %+v", x.Tiers(), want)
	}
	x.SetQuery("status:withdrawn")
	if x.Len() != 3000 || x.Tiers().Withdrawn != 3000 || x.Tiers().Total != 0 {
		t.Fatalf("status:withdrawn: %d rows, counts %+v", x.Len(), x.Tiers())
	}
	x.SetQuery("")
	if x.Len() != 27_000 {
		t.Fatalf("cleared: %d rows", x.Len())
	}
}

// due: terms are read against the index's day and review period.
func TestDueUsesTheContext(t *testing.T) {
	s := mkSig(1, "Alpha", "Dudley", 1, model.StatusVerified, true)
	s.SignedOn = time.Date(2024, 1, 10, 0, 0, 0, 0, time.UTC)
	x := New()
	x.Set([]model.Signatory{s})
	for _, c := range []struct {
		today  time.Time
		period model.ReviewPeriod
		want   int
	}{
		{time.Date(2025, 1, 11, 0, 0, 0, 0, time.UTC), 0, 1},  // 12 months and a day: overdue
		{time.Date(2025, 1, 9, 0, 0, 0, 0, time.UTC), 0, 0},   // the day before it falls due
		{time.Date(2025, 1, 11, 0, 0, 0, 0, time.UTC), 24, 0}, // a 24-month period
		{time.Date(2026, 1, 11, 0, 0, 0, 0, time.UTC), 24, 1},
	} {
		x.SetContext(c.today, c.period)
		x.ForgetRecent()
		x.SetQuery("")
		if err := x.SetQuery("due:overdue"); err != nil {
			t.Fatal(err)
		}
		if x.Len() != c.want {
			t.Errorf("today %s period %d: %d overdue, want %d", c.today.Format("2006-01-02"), c.period, x.Len(), c.want)
		}
	}
}

// The 1,000,000-record benchmarks run only with CHARTER_BENCH_1M=1:
//
//	CHARTER_BENCH_1M=1 go test -run '^$' -bench 1M -benchtime 5x ./tui/rowindex/
func skip1M(b *testing.B) {
	if os.Getenv("CHARTER_BENCH_1M") == "" {
		b.Skip("set CHARTER_BENCH_1M=1 to run the 1,000,000-record benchmarks")
	}
}

// BenchmarkFilterWidenUncached1M: the worst keystroke at 1,000,000 rows
// (target ≤ 50 ms).
func BenchmarkFilterWidenUncached1M(b *testing.B) {
	skip1M(b)
	x := New()
	x.Set(generate(1_000_000))
	x.SetQuery("organisation 0")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		x.SetQuery("organisation 01")
		x.ForgetRecent()
		b.StartTimer()
		x.SetQuery("organisation 0")
	}
}

// BenchmarkSort1M: one change of sort column over 1,000,000 rows.
func BenchmarkSort1M(b *testing.B) {
	skip1M(b)
	x := New()
	x.Set(generate(1_000_000))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		x.SetSort(Column((i+1)%int(NumColumns)), false)
	}
}
