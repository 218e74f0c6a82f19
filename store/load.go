package store

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"runtime"
	"sync"
	"unsafe"

	bolt "go.etcd.io/bbolt"

	"charter/model"
)

// parallelFrom is the number of records from which a full load splits
// the work between goroutines; below it, starting them costs more than it
// saves.
const parallelFrom = 2048

// pageSplitFrom is the number of records from which decodeAll (a page)
// splits the work: the first pages of the workbench's load are read while
// it draws its first frame, and on two processors the other one is the
// screen's.
const pageSplitFrom = 8192

// decodeAll decodes stored records (vals[i], still in the read
// transaction's pages, stored under ID ids[i]) into a new slice, splitting the list
// between as many goroutines as there are processors. The result shares
// no memory with the pages.
func decodeAll(ids []uint64, vals [][]byte) ([]model.Signatory, error) {
	out := makeRecords(len(vals))
	workers := min(runtime.GOMAXPROCS(0), max(len(vals)/(parallelFrom/2), 1))
	if len(vals) < pageSplitFrom {
		workers = 1
	}
	if workers <= 1 {
		d := sigDecoder{bulk: len(vals) > 1}
		for i, v := range vals {
			if err := d.decodeSignatory(v, &out[i]); err != nil {
				return nil, decodeError(itob(ids[i]), err)
			}
			yieldEvery(i)
		}
		return out, nil
	}
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := len(vals)*w/workers, len(vals)*(w+1)/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := sigDecoder{bulk: true}
			for i := lo; i < hi; i++ {
				if err := d.decodeSignatory(vals[i], &out[i]); err != nil {
					errs[w] = decodeError(itob(ids[i]), err)
					return
				}
				yieldEvery(i)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// yieldEvery lets other goroutines run every 256 records a decoder
// takes. A load keeps every processor busy; without a pause the goroutine
// that draws the screen or answers a key would wait for the scheduler to
// stop one of them, which it does after 10 ms. A pause with nothing else
// to run returns at once.
func yieldEvery(i int) {
	if i&255 == 255 {
		runtime.Gosched()
	}
}

func decodeError(key []byte, err error) error {
	if len(key) == 8 {
		return fmt.Errorf("decode signatory %d: %w", binary.BigEndian.Uint64(key), err)
	}
	return fmt.Errorf("decode signatory under key %x: %w", key, err)
}

// getSignatory reads one record; false when there is none.
func getSignatory(b *bolt.Bucket, id uint64, s *model.Signatory) (bool, error) {
	key := itob(id)
	data := b.Get(key)
	if data == nil {
		return false, nil
	}
	if err := decodeSignatory(data, s); err != nil {
		return true, decodeError(key, err)
	}
	return true, nil
}

// putSignatory stores s under its ID in the binary record form. Only a
// file opened read-write is written, and opening migrates it to this
// schema first.
func putSignatory(b *bolt.Bucket, s *model.Signatory) error {
	return b.Put(itob(s.ID), encodeSignatory(nil, s))
}

// loadAll decodes every record of the signatories bucket b, which holds
// about hint of them, in ID order. The ID range is split into one part per
// processor; each part is walked by its own cursor (a read-only
// transaction's cursors only read the mapped file, so they may run side
// by side), first to count its records while the list is allocated, then
// to decode them into their place in it.
func loadAll(b *bolt.Bucket, hint int) ([]model.Signatory, error) {
	c := b.Cursor()
	fk, _ := c.First()
	lk, _ := c.Last()
	if fk == nil {
		return []model.Signatory{}, nil
	}
	first, last := btoi(fk), btoi(lk)
	// IDs are unique, so the range bounds the count whatever the
	// aggregate says.
	if span := last - first; span < uint64(hint) {
		hint = int(span) + 1
	}
	workers := min(runtime.GOMAXPROCS(0), max(hint/(parallelFrom/2), 1))
	if workers <= 1 || last-first < uint64(workers) {
		ids, vals := make([]uint64, 0, hint), make([][]byte, 0, hint)
		for k, v := c.First(); k != nil; k, v = c.Next() {
			ids, vals = append(ids, btoi(k)), append(vals, v)
		}
		return decodeAll(ids, vals)
	}
	// Part w holds the IDs from bound[w] up to, not including, bound[w+1]
	// (the last part up to and including last).
	bound := make([]uint64, workers+1)
	for w := range workers {
		hi, lo := bits.Mul64(last-first, uint64(w))
		q, _ := bits.Div64(hi, lo, uint64(workers))
		bound[w] = first + q
	}
	walk := func(w int, each func(k, v []byte) bool) {
		c := b.Cursor()
		k, v := c.Seek(itob(bound[w]))
		for ; k != nil; k, v = c.Next() {
			if id := btoi(k); w < workers-1 && id >= bound[w+1] {
				return
			}
			if !each(k, v) {
				return
			}
		}
	}
	counts, sizes := make([]int, workers), make([]int, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			walk(w, func(_, v []byte) bool { counts[w]++; sizes[w] += len(v); return true })
		}()
	}
	out := makeRecords(hint)
	wg.Wait()
	total := 0
	offset := make([]int, workers)
	for w, n := range counts {
		offset[w] = total
		total += n
	}
	if total != hint {
		out = makeRecords(total)
	}
	errs := make([]error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := sigDecoder{bulk: true, textLeft: sizes[w]}
			i, end := offset[w], offset[w]+counts[w]
			var pages mappedSpan
			defer pages.drop()
			walk(w, func(k, v []byte) bool {
				d.textLeft -= len(v)
				pages.add(v)
				if i == end {
					errs[w] = fmt.Errorf("the records from ID %d changed while they were read", bound[w])
					return false
				}
				if err := d.decodeSignatory(v, &out[i]); err != nil {
					errs[w] = decodeError(k, err)
					return false
				}
				yieldEvery(i)
				i++
				return true
			})
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// makeRecords allocates the list a load decodes into, backed by huge
// pages where it is large enough to hold some.
func makeRecords(n int) []model.Signatory {
	out := make([]model.Signatory, n)
	if n > 0 {
		adviseHuge(unsafe.Pointer(&out[0]), uintptr(n)*unsafe.Sizeof(out[0]))
	}
	return out
}

// dropEvery is how many records a load decodes between giving back the
// pages it has read (see dropMapped).
const dropEvery = 4096

// mappedSpan follows the stretch of the database mapping that a part of a
// load has read since it last gave pages back. After a bulk import the
// pages of consecutive IDs lie side by side; where they do not (records
// rewritten later are moved by bbolt), the stretch would cover pages that
// other parts still need, so it is kept instead.
type mappedSpan struct {
	lo, hi uintptr
	bytes  int
	n      int
}

func (m *mappedSpan) add(v []byte) {
	if len(v) == 0 {
		return
	}
	a := uintptr(unsafe.Pointer(unsafe.SliceData(v)))
	if m.n == 0 || a < m.lo {
		m.lo = a
	}
	m.hi = max(m.hi, a+uintptr(len(v)))
	m.bytes += len(v)
	if m.n++; m.n == dropEvery {
		m.drop()
	}
}

func (m *mappedSpan) drop() {
	// Records fill about two thirds of a leaf page; a stretch much longer
	// than its records is not theirs alone.
	if m.n > 0 && m.hi-m.lo <= 3*uintptr(m.bytes) {
		dropMapped(m.lo, m.hi)
	}
	*m = mappedSpan{}
}
