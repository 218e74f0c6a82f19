package store

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"

	"charter/model"
)

// migrationRecord is kept in the meta bucket (keyMigration) by the
// migration from schema 1: when it ran, what it decided, and every piece of
// schema-1 annotation data it could not give to exactly one return, so
// nothing is dropped.
type migrationRecord struct {
	From      int           `json:"from"`
	To        int           `json:"to"`
	At        time.Time     `json:"at"`
	Notes     []string      `json:"notes"`
	Unclaimed []unclaimedV1 `json:"unclaimed,omitempty"`
}

// unclaimedV1 is schema-1 annotation data that belongs to no single return.
type unclaimedV1 struct {
	Why        string                   `json:"why"`
	Key        string                   `json:"v1_key,omitempty"`
	Annotation *storedAnnotation        `json:"annotation,omitempty"`
	History    []model.AnnotationChange `json:"history,omitempty"`
	// RawKey and Raw hold a record that could not be read at all.
	RawKey []byte `json:"raw_key,omitempty"`
	Raw    []byte `json:"raw,omitempty"`
}

// v1Entry is one schema-1 history entry with the place its key gave it.
type v1Entry struct {
	version uint64
	n       int
	change  model.AnnotationChange
}

func changesOf(h []v1Entry) []model.AnnotationChange {
	out := make([]model.AnnotationChange, len(h))
	for i, e := range h {
		out[i] = e.change
	}
	return out
}

// migrate1to2 re-keys every annotation and history entry from schema 1's
// "/"-joined text to schema 2's length-prefixed names, inside the caller's
// write transaction. The decisions (see doc.go):
//
//   - An annotation goes to the return its stored record names (the record
//     carries the full key of the return it was last written for), with
//     every history entry filed under its schema-1 key. When that key was
//     shared by several returns, the history cannot be told apart by
//     return, so all of it stays with the annotation; the other returns
//     start unannotated, and a note names them.
//   - History left without an annotation (schema 1 deleted annotations on
//     re-import but kept their history, and matched regions by prefix, so
//     importing "Test" deleted the annotations of "Test/North"): if its key
//     names exactly one existing return that has no annotation, the
//     annotation is rebuilt from the history (the newest value of each
//     field, the newest version, by and at). Otherwise it is kept, unclaimed,
//     in the migration record.
//   - A record that cannot be read is kept, raw, in the migration record.
//
// It returns one note for the step and one per decision.
func migrate1to2(tx *bolt.Tx, now time.Time) ([]string, error) {
	regions, err := regionList(tx)
	if err != nil {
		return nil, err
	}
	exists := map[model.ReturnKey]bool{}
	byV1 := map[string][]model.ReturnKey{}
	for _, r := range regions {
		var ra regionAudit
		if _, err := getJSON(tx.Bucket(bucketAudit), []byte(r), &ra); err != nil {
			return nil, fmt.Errorf("region %q: %w", r, err)
		}
		for i := range ra.Returns {
			k := ra.Returns[i].Key()
			exists[k] = true
			byV1[v1AnnKey(k)] = append(byV1[v1AnnKey(k)], k)
		}
	}
	rec := migrationRecord{From: 1, To: 2, At: now}
	var notes []string
	note := func(format string, args ...any) { notes = append(notes, fmt.Sprintf(format, args...)) }

	// History, grouped by schema-1 key; a bucket scan is in key order, so
	// each group is already in version and change order.
	histories := map[string][]v1Entry{}
	err = tx.Bucket(bucketAnnHistory).ForEach(func(k, v []byte) error {
		key, version, n, ok := splitV1HistoryKey(k)
		var ch model.AnnotationChange
		if !ok || json.Unmarshal(v, &ch) != nil {
			rec.Unclaimed = append(rec.Unclaimed, unclaimedV1{Why: "a history entry that cannot be read",
				RawKey: append([]byte(nil), k...), Raw: append([]byte(nil), v...)})
			note("a history entry under %q cannot be read; it is kept as it was in the migration record", k)
			return nil
		}
		histories[key] = append(histories[key], v1Entry{version, n, ch})
		return nil
	})
	if err != nil {
		return nil, err
	}

	anns := map[model.ReturnKey]storedAnnotation{}
	hists := map[model.ReturnKey][]v1Entry{}
	err = tx.Bucket(bucketAnn).ForEach(func(k, v []byte) error {
		text := string(k)
		h := histories[text]
		delete(histories, text)
		var sa storedAnnotation
		if err := json.Unmarshal(v, &sa); err != nil {
			rec.Unclaimed = append(rec.Unclaimed, unclaimedV1{Why: "an annotation that cannot be read", Key: text,
				Raw: append([]byte(nil), v...), History: changesOf(h)})
			note("the annotation under %q cannot be read; it and its %d history entries are kept in the migration record", text, len(h))
			return nil
		}
		target := sa.Key
		if _, taken := anns[target]; taken {
			rec.Unclaimed = append(rec.Unclaimed, unclaimedV1{Why: "a second annotation for the same return", Key: text,
				Annotation: &sa, History: changesOf(h)})
			note("the annotation under %q is a second one for %s; it is kept in the migration record", text, keyText(target))
			return nil
		}
		if v1AnnKey(target) != text {
			note("the annotation under %q names %s; it moves to that return", text, keyText(target))
		}
		if !exists[target] {
			note("the annotation of %s is for a return not in the data; it is carried across as it was (charter check reports it)", keyText(target))
		}
		if shared := byV1[text]; len(shared) > 1 {
			var others []string
			for _, o := range shared {
				if o != target {
					others = append(others, keyText(o))
				}
			}
			note("schema 1 gave %s the same key %q as %v: the annotation (version %d) and all %d history entries under that key stay with %s, the return its record names (the last one written through the key); the others start unannotated",
				keyText(target), text, others, sa.Version, len(h), keyText(target))
		}
		anns[target] = sa
		hists[target] = h
		return nil
	})
	if err != nil {
		return nil, err
	}

	// History whose annotation schema 1 deleted.
	left := make([]string, 0, len(histories))
	for text := range histories {
		left = append(left, text)
	}
	sort.Strings(left)
	rebuilt := 0
	for _, text := range left {
		h := histories[text]
		cands := byV1[text]
		if len(cands) == 1 {
			if _, taken := anns[cands[0]]; !taken {
				k := cands[0]
				anns[k] = storedAnnotation{Key: k, Annotation: rebuildAnnotation(h)}
				hists[k] = h
				rebuilt++
				note("the annotation of %s had been deleted by an import while its history stayed; it is rebuilt from its %d history entries (version %d)",
					keyText(k), len(h), anns[k].Version)
				continue
			}
		}
		why := "no return has this key any more"
		switch {
		case len(cands) > 1:
			why = "the key is shared by " + strconv.Itoa(len(cands)) + " returns"
		case len(cands) == 1:
			why = "its return has an annotation stored under another key"
		}
		rec.Unclaimed = append(rec.Unclaimed, unclaimedV1{Why: why, Key: text, History: changesOf(h)})
		note("%d history entries under %q have no annotation and %s; they are kept in the migration record", len(h), text, why)
	}

	// Rewrite both buckets under the new keys.
	for _, name := range [][]byte{bucketAnn, bucketAnnHistory} {
		if err := tx.DeleteBucket(name); err != nil {
			return nil, fmt.Errorf("clear bucket %s: %w", name, err)
		}
		if _, err := tx.CreateBucket(name); err != nil {
			return nil, fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	ann, hist := tx.Bucket(bucketAnn), tx.Bucket(bucketAnnHistory)
	entries := 0
	for k, sa := range anns {
		if err := putJSON(ann, annKey(k), sa); err != nil {
			return nil, err
		}
		for _, e := range hists[k] {
			if err := putJSON(hist, annHistoryKey(k, e.version, e.n), e.change); err != nil {
				return nil, err
			}
			entries++
		}
	}
	summary := fmt.Sprintf("schema 1 → 2: %d annotations and %d history entries re-keyed by length-prefixed names", len(anns), entries)
	if rebuilt > 0 {
		summary += fmt.Sprintf(" (%d rebuilt from history)", rebuilt)
	}
	if len(rec.Unclaimed) > 0 {
		summary += fmt.Sprintf("; %d unclaimed pieces kept in meta/%s", len(rec.Unclaimed), keyMigration)
	}
	notes = append([]string{summary}, notes...)
	rec.Notes = notes
	meta := tx.Bucket(bucketMeta)
	if err := putJSON(meta, keyMigration, rec); err != nil {
		return nil, err
	}
	if err := meta.Put(keySchema, []byte("2")); err != nil {
		return nil, err
	}
	return notes, nil
}

// rebuildAnnotation replays history entries (in order) onto an empty
// annotation.
func rebuildAnnotation(h []v1Entry) model.Annotation {
	var a model.Annotation
	for _, e := range h {
		switch e.change.Field {
		case "rating":
			a.Rating = model.Rating(e.change.New)
		case "comment":
			a.Comment = e.change.New
		case "good_practice":
			a.GoodPractice = e.change.New == "yes"
		}
		a.Version, a.By, a.At = e.version, e.change.By, e.change.At
	}
	return a
}

// migrate brings a file from schema from to SchemaVersion inside the
// caller's write transaction, one step after another, and returns the
// notes of every step.
func migrate(tx *bolt.Tx, from int, now time.Time) ([]string, error) {
	var notes []string
	for v := from; v < SchemaVersion; v++ {
		var step []string
		var err error
		switch v {
		case 1:
			step, err = migrate1to2(tx, now)
		case 2:
			step, err = migrate2to3(tx)
		default:
			err = fmt.Errorf("no migration from schema %d", v)
		}
		if err != nil {
			return nil, err
		}
		notes = append(notes, step...)
	}
	return notes, nil
}

// migrateBatch is how many records migrate2to3 re-encodes between
// cursor walks: bbolt's cursors may not walk a bucket while it changes.
const migrateBatch = 4096

// migrate2to3 re-encodes every signatory from JSON into the binary record
// form, inside the caller's write transaction. Nothing else changes: the
// organisation index, history and tier aggregate already describe the
// same records. A record that cannot be read stops the migration (the file
// stays as it was) with an error naming it.
func migrate2to3(tx *bolt.Tx) ([]string, error) {
	b := tx.Bucket(bucketSig)
	type put struct {
		key, val []byte
	}
	batch := make([]put, 0, migrateBatch)
	var block []byte
	var d sigDecoder
	total, converted := 0, 0
	next := []byte{}
	for next != nil {
		batch = batch[:0]
		c := b.Cursor()
		k, v := c.Seek(next)
		for ; k != nil && len(batch) < migrateBatch; k, v = c.Next() {
			total++
			if len(v) == 0 || v[0] != '{' {
				// Already binary (a file written by this build whose
				// schema record was restored): it must still read.
				var s model.Signatory
				if err := d.decodeBinary(v, &s); err != nil {
					return nil, decodeError(k, err)
				}
				continue
			}
			var s model.Signatory
			if err := json.Unmarshal(v, &s); err != nil {
				return nil, decodeError(k, err)
			}
			if cap(block)-len(block) < 4096 {
				block = make([]byte, 0, 1<<20)
			}
			start := len(block)
			block = encodeSignatory(block, &s)
			batch = append(batch, put{append([]byte(nil), k...), block[start:len(block):len(block)]})
		}
		next = nil
		if k != nil {
			next = append([]byte(nil), k...)
		}
		for _, p := range batch {
			if err := b.Put(p.key, p.val); err != nil {
				return nil, err
			}
			converted++
		}
	}
	if err := tx.Bucket(bucketMeta).Put(keySchema, []byte("3")); err != nil {
		return nil, err
	}
	return []string{fmt.Sprintf("schema 2 → 3: %d of %d signatories re-encoded from JSON into the binary record form", converted, total)}, nil
}
