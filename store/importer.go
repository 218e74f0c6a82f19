package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

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
		return db.importSignatories(tx, rows, opt, by)
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
	var res model.ImportResult
	sig, org, hist := tx.Bucket(bucketSig), tx.Bucket(bucketSigOrg), tx.Bucket(bucketSigHistory)
	// New records get ascending keys, so appends fill pages tightly.
	sig.FillPercent, hist.FillPercent = 0.9, 0.9
	meta := tx.Bucket(bucketMeta)
	var tiers model.TierCounts
	if _, err := getJSON(meta, keyTiers, &tiers); err != nil {
		return res, err
	}
	now := db.now().UTC()

	// First pass: find clashes, with the store and within the file.
	clash := &ImportClashError{}
	existing := make([]uint64, len(rows))
	keys := make([]string, len(rows))
	seen := make(map[string]int, len(rows))
	for i := range rows {
		s := &rows[i]
		s.Normalise()
		key := model.OrgKey(s.Region, s.Organisation)
		keys[i] = key
		if j, dup := seen[key]; dup {
			clash.Total++
			if len(clash.Rows) < maxReported {
				clash.Rows = append(clash.Rows, fmt.Sprintf("%s (%s) appears twice in the file (rows %d and %d)",
					model.SanitizeLine(s.Organisation), model.SanitizeLine(s.Region), j+1, i+1))
			}
			continue
		}
		seen[key] = i
		if v := org.Get([]byte(key)); v != nil {
			existing[i] = btoi(v)
			if !opt.Update {
				clash.Total++
				if len(clash.Rows) < maxReported {
					clash.Rows = append(clash.Rows, fmt.Sprintf("%s (%s)", model.SanitizeLine(s.Organisation), model.SanitizeLine(s.Region)))
				}
			}
		}
	}
	if clash.Total > 0 {
		return res, clash
	}

	type indexEntry struct {
		key []byte
		id  uint64
	}
	index := make([]indexEntry, 0, len(rows))
	// bbolt keeps every key and value until commit, so they are carved
	// out of large shared blocks rather than allocated one by one.
	var block []byte
	room := func(n int) {
		if cap(block)-len(block) < n {
			block = make([]byte, 0, max(n, 1<<20))
		}
	}
	carve := func(n int) []byte {
		room(n)
		start := len(block)
		block = block[:start+n]
		return block[start : start+n : start+n]
	}
	// The first history entries of imported records differ only in the
	// tier, so each tier's entry is encoded once and shared.
	firstEntry := map[model.Tier][]byte{}
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
		} else {
			id, err := sig.NextSequence()
			if err != nil {
				return res, err
			}
			s.ID, s.Version, s.Created, s.Updated = id, 1, now, now
			room(4096) // for most records; a longer one grows the block
			start := len(block)
			block = encodeSignatory(block, s)
			data := block[start:len(block):len(block)]
			key := carve(8 + 16)
			binary.BigEndian.PutUint64(key, id)
			hkey := key[8:]
			binary.BigEndian.PutUint64(hkey, id)
			binary.BigEndian.PutUint64(hkey[8:], 1)
			if err := sig.Put(key[:8:8], data); err != nil {
				return res, err
			}
			// An imported record's first entry names who, when and the
			// tier, but not every field: the values are the record's own
			// version 1 (later entries hold each change's old and new
			// values, so any version can be rebuilt). Listing all thirteen
			// fields again would double what a 100,000-row import holds in
			// memory and on disk.
			change, ok := firstEntry[s.Tier()]
			if !ok {
				change, err = json.Marshal(model.Change{Version: 1, At: now, By: by, Action: model.ActionImport,
					TierBefore: model.TierNone, TierAfter: s.Tier()})
				if err != nil {
					return res, err
				}
				firstEntry[s.Tier()] = change
			}
			if err := hist.Put(hkey, change); err != nil {
				return res, err
			}
			index = append(index, indexEntry{append(carve(len(keys[i]))[:0], keys[i]...), id})
			tiers.Add(s, 1)
			res.Created++
		}
		if done := i + 1; done%importBatch == 0 || done == len(rows) {
			if opt.Progress != nil {
				opt.Progress(done, len(rows))
			}
			if db.importHook != nil {
				if err := db.importHook(done); err != nil {
					return res, err
				}
			}
		}
	}
	// Index keys are organisation names, in no useful order; bbolt inserts
	// random keys very slowly in one big transaction, sorted ones fast.
	sort.Slice(index, func(i, j int) bool { return bytes.Compare(index[i].key, index[j].key) < 0 })
	for _, e := range index {
		if err := org.Put(e.key, itob(e.id)); err != nil {
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
