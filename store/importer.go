package store

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"

	"charter/model"
)

var _ model.Importer = (*DB)(nil)

// errDryRun rolls back a dry run's transaction after it has counted.
var errDryRun = errors.New("dry run")

// importBatch is how often an import reports progress (and, in tests,
// may be made to fail as a crash would).
const importBatch = 1000

// maxReported bounds how many clashes an error lists by name.
const maxReported = 100

// ImportSignatories writes every row in one transaction: all or nothing.
func (db *DB) ImportSignatories(rows []model.Signatory, opt model.ImportOptions, by string) (model.ImportResult, error) {
	return db.importTx(opt, by, func(tx *bolt.Tx) (model.ImportResult, error) {
		return db.importRows(tx, &rows, opt, by)
	})
}

// importTx runs an import in one write transaction: a dry run rolls it
// back after counting, a real one publishes one event on commit, and any
// error leaves the database as it was.
func (db *DB) importTx(opt model.ImportOptions, by string, fn func(*bolt.Tx) (model.ImportResult, error)) (model.ImportResult, error) {
	var res model.ImportResult
	err := db.update(func(tx *bolt.Tx) error {
		var err error
		if res, err = fn(tx); err != nil {
			return err
		}
		if opt.DryRun {
			return errDryRun
		}
		db.publishOnCommit(tx, model.Event{Kind: model.EventImport, By: by, At: db.now().UTC()})
		return nil
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	if err != nil {
		return model.ImportResult{}, err
	}
	return res, nil
}

// ImportClashError lists the rows whose organisation already exists in
// their region (or appears twice in the file).
type ImportClashError struct {
	Rows  []string
	Total int
}

func (e *ImportClashError) Error() string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%d row(s) name an organisation that already exists in its region (use --update to change them):", e.Total)
	for _, r := range e.Rows {
		b.WriteString("\n  " + r)
	}
	if e.Total > len(e.Rows) {
		fmt.Fprintf(&b, "\n  … and %d more", e.Total-len(e.Rows))
	}
	return b.String()
}

// Is makes errors.Is(err, model.ErrExists) true.
func (e *ImportClashError) Is(target error) bool { return target == model.ErrExists }

func (db *DB) importSignatories(tx *bolt.Tx, rows []model.Signatory, opt model.ImportOptions, by string) (model.ImportResult, error) {
	return db.importRows(tx, &rows, opt, by)
}

// importRows writes the rows *src, taking them from there (it sets *src
// to nil): held by nothing but its own variable, they can be collected
// as soon as they are encoded, before bbolt's nodes and the commit need
// their memory. (Passed as a parameter, they stayed reachable until it
// returned.)
func (db *DB) importRows(tx *bolt.Tx, src *[]model.Signatory, opt model.ImportOptions, by string) (model.ImportResult, error) {
	rows := *src
	*src = nil
	var res model.ImportResult
	sig, org, hist := tx.Bucket(bucketSig), tx.Bucket(bucketSigOrg), tx.Bucket(bucketSigHistory)
	// New records get ascending keys, so appends fill pages tightly; the
	// index of new records is written in key order too (see below).
	sig.FillPercent, hist.FillPercent, org.FillPercent = 0.9, 0.9, 0.9
	meta := tx.Bucket(bucketMeta)
	var tiers model.TierCounts
	if _, err := getJSON(meta, keyTiers, &tiers); err != nil {
		return res, err
	}
	now := db.now().UTC()

	// First pass: every row's key (laid end to end in one block), and the
	// rows in key order, which finds the rows named twice in the file.
	keyBlock := make([]byte, 0, 40*len(rows))
	keyEnd := make([]int, len(rows))
	for i := range rows {
		s := &rows[i]
		s.Normalise()
		keyBlock = model.AppendOrgKey(keyBlock, s.Region, s.Organisation)
		keyEnd[i] = len(keyBlock)
	}
	key := func(i int) []byte {
		if i == 0 {
			return keyBlock[:keyEnd[0]:keyEnd[0]]
		}
		return keyBlock[keyEnd[i-1]:keyEnd[i]:keyEnd[i]]
	}
	byKey := make([]int32, len(rows))
	for i := range byKey {
		byKey[i] = int32(i)
	}
	slices.SortFunc(byKey, func(a, b int32) int {
		if c := bytes.Compare(key(int(a)), key(int(b))); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	// first[i] is the row that first names row i's organisation: i itself
	// but for a repeat.
	first := make([]int32, len(rows))
	for k, i := range byKey {
		first[i] = i
		if k > 0 && bytes.Equal(key(int(i)), key(int(byKey[k-1]))) {
			first[i] = first[byKey[k-1]]
		}
	}

	// Clashes, with the store and within the file, in row order.
	clash := &ImportClashError{}
	existing := make([]uint64, len(rows))
	for i := range rows {
		s := &rows[i]
		if j := int(first[i]); j != i {
			clash.Total++
			if len(clash.Rows) < maxReported {
				clash.Rows = append(clash.Rows, fmt.Sprintf("%s (%s) appears twice in the file (rows %d and %d)",
					model.SanitizeLine(s.Organisation), model.SanitizeLine(s.Region), j+1, i+1))
			}
			continue
		}
		if v := org.Get(key(i)); v != nil {
			existing[i] = btoi(v)
			if !opt.Update {
				clash.Total++
				if len(clash.Rows) < maxReported {
					clash.Rows = append(clash.Rows, fmt.Sprintf("%s (%s)", model.SanitizeLine(s.Organisation), model.SanitizeLine(s.Region)))
				}
			}
		}
	}
	first = nil
	if clash.Total > 0 {
		return res, clash
	}

	// Second pass: the updates are written, and each new record gets its
	// ID and is encoded. bbolt keeps every value until commit, so the
	// records and index values are carved out of large shared blocks
	// rather than allocated one by one. (It copies keys itself.)
	var block []byte
	room := func(n int) {
		if cap(block)-len(block) < n {
			block = make([]byte, 0, max(n, 1<<20))
		}
	}
	ids := make([]uint64, len(rows))    // of the new records
	values := make([][]byte, len(rows)) // the new records, encoded
	// The first history entries of imported records differ only in the
	// tier, so each tier's entry is encoded once and shared.
	firstEntry := make([][]byte, len(rows))
	entries := map[model.Tier][]byte{}
	for i := range rows {
		s := &rows[i]
		if id := existing[i]; id != 0 {
			var old model.Signatory
			if _, err := getSignatory(sig, id, &old); err != nil {
				return res, err
			}
			upd := *s
			upd.ID, upd.Version = old.ID, old.Version
			changed, err := db.replace(tx, &old, &upd, by, model.ActionImport, &tiers)
			if err != nil {
				return res, fmt.Errorf("import row %d: %w", i+1, err)
			}
			if changed {
				res.Updated++
			} else {
				res.Unchanged++
			}
			continue
		}
		id, err := sig.NextSequence()
		if err != nil {
			return res, err
		}
		s.ID, s.Version, s.Created, s.Updated = id, 1, now, now
		room(4096) // for most records; a longer one grows the block
		start := len(block)
		block = encodeSignatory(block, s)
		ids[i], values[i] = id, block[start:len(block):len(block)]
		// An imported record's first entry names who, when and the tier,
		// but not every field: the values are the record's own version 1
		// (later entries hold each change's old and new values, so any
		// version can be rebuilt). Listing all thirteen fields again would
		// double what a 100,000-row import holds in memory and on disk.
		change, ok := entries[s.Tier()]
		if !ok {
			change, err = json.Marshal(model.Change{Version: 1, At: now, By: by, Action: model.ActionImport,
				TierBefore: model.TierNone, TierAfter: s.Tier()})
			if err != nil {
				return res, err
			}
			entries[s.Tier()] = change
		}
		firstEntry[i] = change
		tiers.Add(s, 1)
		res.Created++
	}
	n := len(rows)
	// The rows are encoded: from here on only their keys, IDs and encoded
	// forms are needed, so the rows can go before bbolt's nodes and the
	// commit take their memory.
	rows = nil

	// Third pass: the new records and their first history entries, in
	// row order (their IDs ascend), ...
	var keyBuf [16]byte
	for i := range n {
		if id := ids[i]; id != 0 {
			binary.BigEndian.PutUint64(keyBuf[:8], id)
			binary.BigEndian.PutUint64(keyBuf[8:], 1)
			if err := sig.Put(keyBuf[:8], values[i]); err != nil {
				return res, err
			}
			if err := hist.Put(keyBuf[:16], firstEntry[i]); err != nil {
				return res, err
			}
			values[i], firstEntry[i] = nil, nil
		}
		if done := i + 1; done%importBatch == 0 || done == n {
			if opt.Progress != nil {
				opt.Progress(done, n)
			}
			if db.importHook != nil {
				if err := db.importHook(done); err != nil {
					return res, err
				}
			}
		}
	}
	// ... then their index entries in key order. Index keys are
	// organisation names, in no useful order; bbolt inserts random keys
	// very slowly in one big transaction, sorted ones fast.
	for _, i := range byKey {
		id := ids[i]
		if id == 0 {
			continue
		}
		room(8)
		start := len(block)
		block = binary.BigEndian.AppendUint64(block, id)
		if err := org.Put(key(int(i)), block[start:len(block):len(block)]); err != nil {
			return res, err
		}
	}
	return res, putJSON(meta, keyTiers, tiers)
}

func btoi(b []byte) uint64 {
	if len(b) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}
