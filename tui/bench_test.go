package tui

import (
	"fmt"
	"runtime"
	"testing"

	tea "charm.land/bubbletea/v2"

	"charter/model"
	"charter/store"
)

// bench100k builds a store of 100,000 generated signatories once per
// benchmark.
func bench100k(b *testing.B) *store.DB {
	b.Helper()
	db := openStore(b, false)
	rows := make([]model.Signatory, 100_000)
	areas := model.LocalAreas()
	for i := range rows {
		rows[i] = mkSig(fmt.Sprintf("Organisation %06d Printing", (i*7919)%100_000), areas[i%len(areas)], i%9, model.ReviewStatuses()[i%3], i%4 != 0)
	}
	if _, err := db.ImportSignatories(rows, model.ImportOptions{}, "bench"); err != nil {
		b.Fatal(err)
	}
	return db
}

// BenchmarkFirstScreen100k: from a new root model to the first frame with
// rows, before the rest of the records have loaded (target < 100 ms).
func BenchmarkFirstScreen100k(b *testing.B) {
	db := bench100k(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		app := New(Options{Signatories: db, Audit: db, Reviewer: "bench"})
		app.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		rows, _ := db.SignatoryPage(0, firstPage)
		counts, _ := db.TierCounts()
		app.Update(firstPageMsg{rows: rows, counts: counts})
		if v := app.View(); len(v.Content) == 0 {
			b.Fatal("empty frame")
		}
	}
}

func loadedHarness(b *testing.B) *harness {
	db := bench100k(b)
	h := newHarness(b, db)
	if len(h.app.sig.all) != 100_000 {
		b.Fatalf("%d loaded", len(h.app.sig.all))
	}
	return h
}

// benchFilter types query into the filter bar of a loaded table, then
// times keys that alternately type the rune add and delete it again (so every press
// really refilters). With uncached, the recent-query cache is emptied
// before each press; with widenOnly, only the deletions are timed.
func benchFilter(b *testing.B, query string, add rune, uncached, widenOnly bool) {
	h := loadedHarness(b)
	h.keys("/")
	h.typeText(query)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if widenOnly {
			b.StopTimer()
			h.app.Update(tea.KeyPressMsg{Code: add, Text: string(add)})
			b.StartTimer()
		}
		k := keyMsg("backspace")
		if !widenOnly && i%2 == 0 {
			k = tea.KeyPressMsg{Code: add, Text: string(add)}
		}
		if uncached {
			h.app.sig.recent = nil
		}
		h.app.Update(k)
		_ = h.app.View()
	}
}

// BenchmarkFilterKeystroke100k: one key typed in the filter bar with
// 100,000 records loaded, Update plus View (target < 16 ms).
func BenchmarkFilterKeystroke100k(b *testing.B) {
	benchFilter(b, "area:dud printing 01", '2', false, false)
}

// BenchmarkFilterWordKeystroke100k: free words matched against every
// record's text.
func BenchmarkFilterWordKeystroke100k(b *testing.B) {
	benchFilter(b, "organisation 0", '1', false, false)
}

// BenchmarkToggle100k: space on a commitment in an open form, Update plus
// View, with 100,000 records loaded (target < 2 ms).
func BenchmarkToggle100k(b *testing.B) {
	h := loadedHarness(b)
	h.keys("enter")
	for h.app.sig.form.focused().kind != itemCommitment {
		h.keys("tab")
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h.app.Update(keyMsg("space"))
		_ = h.app.View()
	}
}

// BenchmarkScroll100k: one step down the table (Update plus View).
func BenchmarkScroll100k(b *testing.B) {
	h := loadedHarness(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h.app.Update(keyMsg("j"))
		_ = h.app.View()
	}
}

// BenchmarkMemory100k reports the heap in use with 100,000 records loaded
// in the table (target: resident memory < 150 MB).
func BenchmarkMemory100k(b *testing.B) {
	for i := 0; i < b.N; i++ {
		h := loadedHarness(b)
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		b.ReportMetric(float64(m.HeapInuse)/(1<<20), "MB-heap")
		b.ReportMetric(float64(m.Sys)/(1<<20), "MB-sys")
		runtime.KeepAlive(h)
	}
}

// BenchmarkFilterKeystrokeUncached100k is a keystroke whose result is in
// no cache (deleting back to a recent query is cached).
func BenchmarkFilterKeystrokeUncached100k(b *testing.B) {
	benchFilter(b, "organisation 0", '1', true, false)
}

// BenchmarkFilterWidenUncached100k is only the worst keystroke: deleting a
// character so the query matches more, with nothing cached, so all
// 100,000 records are searched again.
func BenchmarkFilterWidenUncached100k(b *testing.B) {
	benchFilter(b, "organisation 0", '1', true, true)
}
