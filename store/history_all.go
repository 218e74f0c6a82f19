package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"charter/model"
)

// AllSignatoryHistory gives the history of every record ever stored,
// deleted ones included, keyed by id, each oldest first: what
// model.RegisterAsAt rebuilds the register from.
func (db *DB) AllSignatoryHistory() (map[uint64][]model.Change, error) {
	out := map[uint64][]model.Change{}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSigHistory).ForEach(func(k, v []byte) error {
			if len(k) != 16 {
				return fmt.Errorf("history key %x is not an id and a version", k)
			}
			id := binary.BigEndian.Uint64(k[:8])
			var ch model.Change
			if err := json.Unmarshal(v, &ch); err != nil {
				return fmt.Errorf("decode history of %d: %w", id, err)
			}
			out[id] = append(out[id], ch)
			return nil
		})
	})
	return out, err
}
