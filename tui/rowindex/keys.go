package rowindex

import (
	"encoding/binary"
	"runtime"
	"slices"
	"sync"
)

// sortKey is a row's sort key for one column, made so that comparing
// keys orders rows as compare does wherever the keys differ: text columns
// keep their first 24 bytes (folded as compareFold folds), numeric ones
// their value and the record's ID. Rows whose keys are equal are compared
// in full.
type sortKey struct {
	a, b, c uint64
	slot    int32
	// exact: the key holds the whole value (a text of at most 24 bytes,
	// none of them NUL). Two exact keys that are equal are equal values,
	// and the rows go by ID, which is the order of their slots.
	exact bool
}

// textKey packs the first 24 bytes of s, folded if fold, big-endian, so
// that the keys compare as the prefixes do (a shorter prefix pads with
// zero bytes, and sorts first as the shorter string does). exact reports
// that the key is all of s: a padding zero cannot then be mistaken for a
// NUL of the text.
func textKey(s string, foldCase bool) (a, b, c uint64, exact bool) {
	var buf [24]byte
	n := copy(buf[:], s)
	exact = n == len(s)
	for i := 0; i < n; i++ {
		if foldCase {
			buf[i] = fold(buf[i])
		}
		if buf[i] == 0 {
			exact = false
		}
	}
	return binary.BigEndian.Uint64(buf[0:]), binary.BigEndian.Uint64(buf[8:]), binary.BigEndian.Uint64(buf[16:]), exact
}

// keyOf is slot p's key for the sort column.
func (x *Index) keyOf(p int32) sortKey {
	r := x.row(p)
	s := r.Sig
	k := sortKey{slot: p}
	switch x.col {
	case ColOrganisation:
		k.a, k.b, k.c, k.exact = textKey(s.Organisation, true)
	case ColArea:
		k.a, k.b, k.c, k.exact = textKey(s.LocalArea, false)
	case ColSector:
		k.a, k.b, k.c, k.exact = textKey(string(s.Sector), false)
	case ColStatus:
		k.a, k.b, k.c, k.exact = textKey(string(s.ReviewStatus), false)
	case ColTier, ColCount:
		k.a, k.b = uint64(s.Commitments.Count()), s.ID
	case ColVacancy:
		if s.VacancyStatement {
			k.a = 1
		}
		k.b = s.ID
	case ColDue:
		k.a, k.b, k.c = dueKey(s)
	case ColSignedOn:
		// Seconds biased to stay positive, then nanoseconds and the ID.
		k.a, k.b, k.c = uint64(s.SignedOn.Unix()+1<<62), uint64(s.SignedOn.Nanosecond()), s.ID
	}
	return k
}

func (x *Index) makeKeys(slots []int32) []sortKey {
	keys := make([]sortKey, len(slots))
	for i, p := range slots {
		keys[i] = x.keyOf(p)
	}
	return keys
}

// cmpKeys orders two keys as x.compare orders their rows.
func (x *Index) cmpKeys(k, l sortKey) int {
	if x.desc {
		k, l = l, k
	}
	if c, ok := keyOrder(k, l); ok {
		return c
	}
	return compare(x.col, x.row(k.slot), x.row(l.slot))
}

// keyOrder orders two keys where the keys alone decide (ok).
func keyOrder(k, l sortKey) (c int, ok bool) {
	switch {
	case k.a != l.a:
		return cmpU(k.a, l.a), true
	case k.b != l.b:
		return cmpU(k.b, l.b), true
	case k.c != l.c:
		return cmpU(k.c, l.c), true
	case k.exact && l.exact:
		return int(k.slot - l.slot), true
	}
	return 0, false
}

func cmpU(a, b uint64) int {
	if a < b {
		return -1
	}
	return 1
}

// sortKeys sorts keys as the index orders their rows.
func (x *Index) sortKeys(keys []sortKey) { sortKeysBy(keys, x.cmpKeys) }

// sortKeysBy sorts keys by cmp, in two halves side by side when there are
// many and more than one CPU, then merged.
func sortKeysBy(keys []sortKey, cmp func(k, l sortKey) int) {
	if len(keys) < parallelFrom || runtime.GOMAXPROCS(0) < 2 {
		slices.SortFunc(keys, cmp)
		return
	}
	h := len(keys) / 2
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		slices.SortFunc(keys[:h], cmp)
	}()
	slices.SortFunc(keys[h:], cmp)
	wg.Wait()
	out := makeLarge[sortKey](0, len(keys))
	i, j := 0, h
	for i < h && j < len(keys) {
		if cmp(keys[j], keys[i]) < 0 {
			out = append(out, keys[j])
			j++
		} else {
			out = append(out, keys[i])
			i++
		}
	}
	out = append(out, keys[i:h]...)
	out = append(out, keys[j:]...)
	copy(keys, out)
}

// pageKeys are the keys of a page of new rows (in ID order) in the order
// every table starts in, by organisation from A: a load sorts each page
// once, beside the screens, rather than each table on its own goroutine.
// Their slots count from the page's first row.
func pageKeys(rows []Row) []sortKey {
	keys := makeLarge[sortKey](len(rows), len(rows))
	for i := range rows {
		r := &rows[i]
		k := sortKey{slot: int32(i)}
		k.a, k.b, k.c, k.exact = textKey(r.Sig.Organisation, true)
		keys[i] = k
	}
	sortKeysBy(keys, func(k, l sortKey) int {
		if c, ok := keyOrder(k, l); ok {
			return c
		}
		return compare(ColOrganisation, &rows[k.slot], &rows[l.slot])
	})
	return keys
}
