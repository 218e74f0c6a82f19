package store

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"charter/model"
)

// Every way of reading the records gives the same list: the parallel load
// with any number of processors and whatever the aggregate says, pages of
// any size, and one record at a time; with a gap in the IDs that leaves
// one part of the ID range nearly empty.
func TestLoadAllAgreesWithPages(t *testing.T) {
	db := openTest(t, true)
	if _, err := db.ImportSignatories(benchRows(6000), model.ImportOptions{}, "importer"); err != nil {
		t.Fatal(err)
	}
	db.bolt.NoSync = true // 2,500 deletes, each its own transaction
	for id := uint64(100); id < 2600; id++ {
		s, err := db.Signatory(id)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteSignatory(id, s.Version, "bench"); err != nil {
			t.Fatal(err)
		}
	}
	var paged []model.Signatory
	for after := uint64(0); ; {
		page, err := db.SignatoryPage(after, 700)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		paged = append(paged, page...)
		after = page[len(page)-1].ID
	}
	if len(paged) != 6040-2500 {
		t.Fatalf("%d records in pages", len(paged))
	}
	for i := 1; i < len(paged); i++ {
		if paged[i].ID <= paged[i-1].ID {
			t.Fatalf("pages out of order at %d", i)
		}
	}
	one, err := db.Signatory(paged[3000].ID)
	if err != nil {
		t.Fatal(err)
	}
	sameRecords(t, "one record", []model.Signatory{one}, paged[3000:3001])

	all, err := db.Signatories()
	if err != nil {
		t.Fatal(err)
	}
	sameRecords(t, "Signatories", all, paged)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, procs := range []int{1, 2, 3, 8} {
		runtime.GOMAXPROCS(procs)
		for _, hint := range []int{len(paged), 10, 100_000, 1 << 50} {
			var got []model.Signatory
			err := db.bolt.View(func(tx *bolt.Tx) error {
				var err error
				got, err = loadAll(tx.Bucket(bucketSig), hint)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			sameRecords(t, fmt.Sprintf("%d processors, hint %d", procs, hint), got, paged)
		}
	}
	// A page bigger than what is left, and a page of nothing.
	if page, err := db.SignatoryPage(paged[len(paged)-2].ID, 100); err != nil || len(page) != 1 {
		t.Errorf("last page: %d, %v", len(page), err)
	}
	if page, err := db.SignatoryPage(0, 0); err != nil || len(page) != 0 || page == nil {
		t.Errorf("empty page: %v, %v", page, err)
	}
}

// A record that cannot be read fails the whole load, naming it, whichever
// part of the range it is in.
func TestLoadAllNamesABadRecord(t *testing.T) {
	db := openTest(t, false)
	if _, err := db.ImportSignatories(benchRows(5000), model.ImportOptions{}, "importer"); err != nil {
		t.Fatal(err)
	}
	for _, id := range []uint64{1, 2500, 5000} {
		var saved []byte
		db.bolt.Update(func(tx *bolt.Tx) error {
			b := tx.Bucket(bucketSig)
			saved = append([]byte(nil), b.Get(itob(id))...)
			return b.Put(itob(id), saved[:len(saved)-1])
		})
		_, err := db.Signatories()
		if err == nil || !strings.HasPrefix(err.Error(), fmt.Sprintf("decode signatory %d: byte ", id)) {
			t.Errorf("bad record %d: %v", id, err)
		}
		_, err = db.SignatoryPage(id-1, 10)
		if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("decode signatory %d", id)) {
			t.Errorf("bad record %d in a page: %v", id, err)
		}
		db.bolt.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketSig).Put(itob(id), saved) })
	}
	if all, err := db.Signatories(); err != nil || len(all) != 5000 {
		t.Errorf("restored: %d, %v", len(all), err)
	}
}

// TestLargePagesWalkHalvesInIDOrder: a page large enough to be walked in
// two halves of its ID range gives exactly the records a walk from the
// start would, in ID order, with IDs dense or not (every third record
// gone, and a run of 5,000 gone).
func TestLargePagesWalkHalvesInIDOrder(t *testing.T) {
	db := openTest(t, false)
	if _, err := db.ImportSignatories(genRows(30_000, "Page"), model.ImportOptions{}, "t"); err != nil {
		t.Fatal(err)
	}
	all, err := db.Signatories()
	if err != nil {
		t.Fatal(err)
	}
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSig)
		for i, s := range all {
			if i%3 == 0 || (i >= 10_000 && i < 15_000) {
				if err := b.Delete(itob(s.ID)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var want []uint64
	for i, s := range all {
		if !(i%3 == 0 || (i >= 10_000 && i < 15_000)) {
			want = append(want, s.ID)
		}
	}
	for _, size := range []int{8_192, 9_000, 20_000} {
		var got []uint64
		after := uint64(0)
		for {
			page, err := db.SignatoryPage(after, size)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range page {
				got = append(got, s.ID)
			}
			if len(page) < size {
				break
			}
			if len(page) != size {
				t.Fatalf("a page of %d records before the end, asked for %d", len(page), size)
			}
			after = page[len(page)-1].ID
		}
		if !slices.Equal(got, want) {
			t.Fatalf("pages of %d: %d records, want %d (first difference at %d)", size, len(got), len(want), firstDiff(got, want))
		}
	}
}

func firstDiff(a, b []uint64) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
