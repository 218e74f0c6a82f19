package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"runtime"
	"sync"

	bolt "go.etcd.io/bbolt"

	"charter/model"
)

// parallelFrom is the number of records from which decodeAll splits the
// work between goroutines; below it, starting them costs more than it saves.
const parallelFrom = 2048

// decodeAll decodes stored records (keys[i] holding vals[i], both still in
// the read transaction's pages) into a new slice, splitting the list
// between as many goroutines as there are processors. The result shares
// no memory with the pages.
func decodeAll(keys, vals [][]byte) ([]model.Signatory, error) {
	out := make([]model.Signatory, len(vals))
	workers := min(runtime.GOMAXPROCS(0), max(len(vals)/(parallelFrom/2), 1))
	if workers <= 1 {
		var d sigDecoder
		for i, v := range vals {
			if err := d.decodeSignatory(v, &out[i]); err != nil {
				return nil, decodeError(keys[i], err)
			}
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
			var d sigDecoder
			for i := lo; i < hi; i++ {
				if err := d.decodeSignatory(vals[i], &out[i]); err != nil {
					errs[w] = decodeError(keys[i], err)
					return
				}
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

// putSignatory stores s under its ID in the file's record form: binary
// from schema 3, JSON before.
func (db *DB) putSignatory(b *bolt.Bucket, s *model.Signatory) error {
	data, err := db.encodeRecord(nil, s)
	if err != nil {
		return err
	}
	return b.Put(itob(s.ID), data)
}

// encodeRecord appends s in the file's record form to dst.
func (db *DB) encodeRecord(dst []byte, s *model.Signatory) ([]byte, error) {
	if db.schema >= binarySchema {
		return encodeSignatory(dst, s), nil
	}
	data, err := json.Marshal(s)
	if err != nil {
		return dst, fmt.Errorf("encode signatory %d: %w", s.ID, err)
	}
	return append(dst, data...), nil
}

// binarySchema is the first schema that stores signatories in binary.
const binarySchema = 3
