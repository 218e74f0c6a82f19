package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"runtime"
	"sync"

	bolt "go.etcd.io/bbolt"

	"charter/model"
)

var _ model.SignatoryService = (*DB)(nil)

// Signatory returns one record.
func (db *DB) Signatory(id uint64) (model.Signatory, error) {
	var s model.Signatory
	err := db.bolt.View(func(tx *bolt.Tx) error {
		ok, err := getSignatory(tx.Bucket(bucketSig), id, &s)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("signatory %d: %w", id, model.ErrNotFound)
		}
		return nil
	})
	return s, err
}

// SignatoryPage returns up to limit records after the given ID.
func (db *DB) SignatoryPage(after uint64, limit int) ([]model.Signatory, error) {
	if limit <= 0 {
		return []model.Signatory{}, nil
	}
	var out []model.Signatory
	buf, half := pageBufs.Get().(*pageBuf), pageBufs.Get().(*pageBuf)
	defer pageBufs.Put(buf)
	defer pageBufs.Put(half)
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSig)
		ids, vals := buf.ids[:0], buf.vals[:0]
		defer func() {
			clear(vals) // nothing of the mapping outlives the transaction
			buf.ids, buf.vals = ids[:0], vals[:0]
		}()
		first := after + 1
		if end := first + uint64(limit); limit >= pageSplitFrom && runtime.GOMAXPROCS(0) > 1 && end > first {
			// A large page is walked in two halves of its ID range side by
			// side (walking waits on the file's pages); IDs are nearly
			// always dense, and where they are not, the rest of the page
			// is walked after.
			mid := first + uint64(limit/2)
			done := make(chan struct{})
			go func() {
				defer close(done)
				half.ids, half.vals = walkIDs(b.Cursor(), mid, end, limit, half.ids[:0], half.vals[:0])
			}()
			ids, vals = walkIDs(b.Cursor(), first, mid, limit, ids, vals)
			<-done
			ids, vals = append(ids, half.ids...), append(vals, half.vals...)
			clear(half.vals)
			if len(vals) < limit {
				ids, vals = walkIDs(b.Cursor(), end, 0, limit, ids, vals)
			}
		} else {
			ids, vals = walkIDs(b.Cursor(), first, 0, limit, ids, vals)
		}
		var err error
		out, err = decodeAll(ids, vals)
		// The pages just read are not needed again soon: a load reads
		// each once. Left mapped they would stay in the resident set.
		var pages mappedSpan
		for _, v := range vals {
			pages.add(v)
		}
		pages.drop()
		return err
	})
	return out, err
}

// walkIDs appends the IDs and stored values of the records from ID from,
// below ID below (0: no bound), until vals holds limit.
func walkIDs(c *bolt.Cursor, from, below uint64, limit int, ids []uint64, vals [][]byte) ([]uint64, [][]byte) {
	for k, v := c.Seek(itob(from)); k != nil && len(vals) < limit; k, v = c.Next() {
		id := btoi(k)
		if below != 0 && id >= below {
			break
		}
		ids, vals = append(ids, id), append(vals, v)
		yieldEvery(len(vals))
	}
	return ids, vals
}

// pageBuf holds the keys and values a page read lists before decoding
// them; a load reads page after page, and keeps one set of lists instead
// of leaving one behind for every page.
type pageBuf struct {
	ids  []uint64
	vals [][]byte
}

var pageBufs = sync.Pool{New: func() any { return &pageBuf{} }}

// Signatories returns every record in ID order, decoded in parallel (see
// loadAll).
func (db *DB) Signatories() ([]model.Signatory, error) {
	var out []model.Signatory
	defer db.releaseMapped()
	err := db.bolt.View(func(tx *bolt.Tx) error {
		// The aggregate counts every record (withdrawn ones apart), so the
		// list can be allocated while the records are counted.
		var tiers model.TierCounts
		if _, err := getJSON(tx.Bucket(bucketMeta), keyTiers, &tiers); err != nil {
			return err
		}
		var err error
		out, err = loadAll(tx.Bucket(bucketSig), max(tiers.Total+tiers.Withdrawn, 0))
		return err
	})
	return out, err
}

// CountSignatories is the number of records, from the aggregate.
func (db *DB) CountSignatories() (int, error) {
	c, err := db.TierCounts()
	return c.Total, err
}

// TierCounts returns the aggregate kept up to date on every write.
func (db *DB) TierCounts() (model.TierCounts, error) {
	var c model.TierCounts
	err := db.bolt.View(func(tx *bolt.Tx) error {
		_, err := getJSON(tx.Bucket(bucketMeta), keyTiers, &c)
		return err
	})
	return c, err
}

// SignatoryHistory lists a record's changes, oldest first.
func (db *DB) SignatoryHistory(id uint64) ([]model.Change, error) {
	var out []model.Change
	err := db.bolt.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketSigHistory).Cursor()
		prefix := itob(id)
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var ch model.Change
			if err := json.Unmarshal(v, &ch); err != nil {
				return fmt.Errorf("decode history of %d: %w", id, err)
			}
			out = append(out, ch)
		}
		return nil
	})
	return out, err
}

func historyKey(id, version uint64) []byte { return append(itob(id), itob(version)...) }

// CreateSignatory validates and stores a new record.
func (db *DB) CreateSignatory(s *model.Signatory, by string) error {
	s.Normalise()
	model.Reviewed(nil, s, by, db.now())
	if err := s.Validate(db.now()); err != nil {
		return fmt.Errorf("store: create %q: %w", s.Organisation, err)
	}
	rec := *s
	err := db.update(func(tx *bolt.Tx) error {
		err := withTiers(tx, func(tiers *model.TierCounts) error {
			return db.insert(tx, &rec, by, model.ActionCreate, tiers)
		})
		if err != nil {
			return err
		}
		db.publishOnCommit(tx, model.Event{Kind: model.EventSignatory, ID: rec.ID, Version: rec.Version, By: by, At: rec.Updated})
		return nil
	})
	if err != nil {
		return err
	}
	*s = rec
	return nil
}

// insert writes a new record with its index entry and first history entry.
func (db *DB) insert(tx *bolt.Tx, s *model.Signatory, by, action string, tiers *model.TierCounts) error {
	org := tx.Bucket(bucketSigOrg)
	okey := []byte(model.OrgKey(s.Region, s.Organisation))
	if org.Get(okey) != nil {
		return existsError(s)
	}
	b := tx.Bucket(bucketSig)
	id, err := b.NextSequence()
	if err != nil {
		return err
	}
	now := db.now().UTC()
	s.ID, s.Version, s.Created, s.Updated = id, 1, now, now
	if err := putSignatory(b, s); err != nil {
		return err
	}
	if err := org.Put(okey, itob(id)); err != nil {
		return err
	}
	tiers.Add(s, 1)
	return putJSON(tx.Bucket(bucketSigHistory), historyKey(id, 1), model.Change{
		Version: 1, At: now, By: by, Action: action, Fields: model.Diff(nil, s),
		TierBefore: model.TierNone, TierAfter: s.Tier(),
	})
}

// existsErr is a duplicate organisation: a field error on organisation
// (so forms show it beside the field) that also matches model.ErrExists.
type existsErr struct{ *model.ValidationError }

func (e existsErr) Is(target error) bool {
	return target == model.ErrExists || target == model.ErrInvalid
}
func (e existsErr) Unwrap() error { return e.ValidationError }

func existsError(s *model.Signatory) error {
	return existsErr{&model.ValidationError{Fields: []model.FieldError{{Field: model.FieldOrganisation,
		Msg: fmt.Sprintf("%s has already signed up in %s", model.SanitizeLine(s.Organisation), model.SanitizeLine(s.Region))}}}}
}

// UpdateSignatory stores a changed record if nobody else changed it first.
func (db *DB) UpdateSignatory(s *model.Signatory, by string) error {
	s.Normalise()
	if err := s.Validate(db.now()); err != nil {
		return fmt.Errorf("store: update %q: %w", s.Organisation, err)
	}
	rec := *s
	err := db.update(func(tx *bolt.Tx) error {
		var old model.Signatory
		ok, err := getSignatory(tx.Bucket(bucketSig), rec.ID, &old)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("store: update %d: %w", rec.ID, model.ErrNotFound)
		}
		if old.Version != rec.Version {
			return fmt.Errorf("store: update %q (version %d, stored %d): %w", old.Organisation, rec.Version, old.Version, model.ErrConflict)
		}
		// A status newly set to verified or needs_info is a review: its
		// day and reviewer go into the record, and so into the history
		// diff below. Imports do not come this way.
		model.Reviewed(&old, &rec, by, db.now())
		changed := false
		err = withTiers(tx, func(tiers *model.TierCounts) (err error) {
			changed, err = db.replace(tx, &old, &rec, by, model.ActionUpdate, tiers)
			return err
		})
		if err != nil || !changed {
			return err
		}
		db.publishOnCommit(tx, model.Event{Kind: model.EventSignatory, ID: rec.ID, Version: rec.Version, By: by, At: rec.Updated})
		return nil
	})
	if err != nil {
		return err
	}
	*s = rec
	return nil
}

// replace writes new over old (same ID) with a history entry; a record
// with no field changed is left alone and reports false.
func (db *DB) replace(tx *bolt.Tx, old, s *model.Signatory, by, action string, tiers *model.TierCounts) (bool, error) {
	fields := model.Diff(old, s)
	if len(fields) == 0 {
		*s = *old
		return false, nil
	}
	org := tx.Bucket(bucketSigOrg)
	oldKey := []byte(model.OrgKey(old.Region, old.Organisation))
	newKey := []byte(model.OrgKey(s.Region, s.Organisation))
	if !bytes.Equal(oldKey, newKey) {
		if org.Get(newKey) != nil {
			return false, existsError(s)
		}
		if err := org.Delete(oldKey); err != nil {
			return false, err
		}
		if err := org.Put(newKey, itob(s.ID)); err != nil {
			return false, err
		}
	}
	s.Created = old.Created
	s.Updated = db.now().UTC()
	s.Version = old.Version + 1
	if err := putSignatory(tx.Bucket(bucketSig), s); err != nil {
		return false, err
	}
	tiers.Add(old, -1)
	tiers.Add(s, 1)
	return true, putJSON(tx.Bucket(bucketSigHistory), historyKey(s.ID, s.Version), model.Change{
		Version: s.Version, At: s.Updated, By: by, Action: action, Fields: fields,
		TierBefore: old.Tier(), TierAfter: s.Tier(),
	})
}

// DeleteSignatory removes a record; its history stays, closed by a delete entry.
func (db *DB) DeleteSignatory(id, version uint64, by string) error {
	return db.update(func(tx *bolt.Tx) error {
		var old model.Signatory
		ok, err := getSignatory(tx.Bucket(bucketSig), id, &old)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("store: delete %d: %w", id, model.ErrNotFound)
		}
		if old.Version != version {
			return fmt.Errorf("store: delete %q (version %d, stored %d): %w", old.Organisation, version, old.Version, model.ErrConflict)
		}
		if err := withTiers(tx, func(tiers *model.TierCounts) error { tiers.Add(&old, -1); return nil }); err != nil {
			return err
		}
		if err := tx.Bucket(bucketSig).Delete(itob(id)); err != nil {
			return err
		}
		if err := tx.Bucket(bucketSigOrg).Delete([]byte(model.OrgKey(old.Region, old.Organisation))); err != nil {
			return err
		}
		now := db.now().UTC()
		if err := putJSON(tx.Bucket(bucketSigHistory), historyKey(id, old.Version+1), model.Change{
			Version: old.Version + 1, At: now, By: by, Action: model.ActionDelete, Fields: model.Diff(&old, nil),
			TierBefore: old.Tier(), TierAfter: model.TierNone,
		}); err != nil {
			return err
		}
		db.publishOnCommit(tx, model.Event{Kind: model.EventSignatory, ID: id, Version: old.Version + 1, Deleted: true, By: by, At: now})
		return nil
	})
}

// withTiers lets a write adjust the tier aggregate inside its transaction.
func withTiers(tx *bolt.Tx, fn func(*model.TierCounts) error) error {
	meta := tx.Bucket(bucketMeta)
	var tiers model.TierCounts
	if _, err := getJSON(meta, keyTiers, &tiers); err != nil {
		return err
	}
	if err := fn(&tiers); err != nil {
		return err
	}
	return putJSON(meta, keyTiers, tiers)
}
