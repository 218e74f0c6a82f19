package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"charter/model"
)

// maxFaults bounds the faults one check reports.
const maxFaults = 50

// CheckError lists every fault a check found.
type CheckError struct{ Faults []string }

func (e *CheckError) Error() string {
	return fmt.Sprintf("%d fault(s):\n  %s", len(e.Faults), strings.Join(e.Faults, "\n  "))
}

// Check verifies the open database: bbolt's own page check, the schema,
// the organisation index against the records, the tier aggregate against a
// recount, every record's history, and every annotation's key, return and
// history. It runs
// in a write transaction (rolled back), where bbolt's check is safe
// alongside other writers.
func (db *DB) Check() error {
	var faults []string
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		faults = checkTx(tx)
		return errRollback
	})
	if err != nil && !errors.Is(err, errRollback) {
		return err
	}
	if len(faults) > 0 {
		return &CheckError{Faults: faults}
	}
	return nil
}

var errRollback = errors.New("rollback")

// CheckFile opens a database file read-only (e.g. a backup) and checks it.
func CheckFile(path string) error {
	bdb, err := bolt.Open(path, 0o400, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		if strings.Contains(err.Error(), "timeout") {
			return &InUseError{Path: path}
		}
		return &CheckError{Faults: []string{fmt.Sprintf("cannot open %s: %v", path, err)}}
	}
	defer bdb.Close()
	var faults []string
	err = bdb.View(func(tx *bolt.Tx) error {
		faults = checkTx(tx)
		return nil
	})
	if err != nil {
		faults = append(faults, err.Error())
	}
	if len(faults) > 0 {
		return &CheckError{Faults: faults}
	}
	return nil
}

func checkTx(tx *bolt.Tx) (faults []string) {
	add := func(format string, args ...any) bool {
		if len(faults) < maxFaults {
			faults = append(faults, fmt.Sprintf(format, args...))
		}
		return len(faults) < maxFaults
	}
	defer func() {
		// A corrupt page can make bbolt panic while walking; that is a
		// fault to report, not a crash.
		if r := recover(); r != nil {
			faults = append(faults, fmt.Sprintf("the file is damaged: %v", r))
		}
	}()
	for err := range tx.Check() {
		if !add("page check: %v", err) {
			return
		}
	}
	if len(faults) > 0 {
		return
	}
	for _, name := range allBuckets() {
		if tx.Bucket(name) == nil {
			add("bucket %s is missing", name)
		}
	}
	if len(faults) > 0 {
		return
	}
	meta := tx.Bucket(bucketMeta)
	if n, err := strconv.Atoi(string(meta.Get(keySchema))); err != nil || n < 1 || n > SchemaVersion {
		add("schema version %q is not one this charter understands (1–%d)", meta.Get(keySchema), SchemaVersion)
	}

	// Records, index and aggregate.
	var recount model.TierCounts
	index := map[string]uint64{}
	_ = tx.Bucket(bucketSigOrg).ForEach(func(k, v []byte) error {
		index[string(k)] = btoi(v)
		return nil
	})
	hist := tx.Bucket(bucketSigHistory)
	seenKeys := map[string]bool{}
	schema, _ := strconv.Atoi(string(meta.Get(keySchema)))
	var dec sigDecoder
	_ = tx.Bucket(bucketSig).ForEach(func(k, v []byte) error {
		if len(k) != 8 {
			add("signatory key %x is not an 8-byte ID", k)
			return nil
		}
		id := binary.BigEndian.Uint64(k)
		var s model.Signatory
		if err := checkRecordForm(v, schema); err != nil {
			add("signatory %d %v", id, err)
			return nil
		}
		if err := dec.decodeSignatory(v, &s); err != nil {
			add("signatory %d cannot be read: %v", id, err)
			return nil
		}
		if s.ID != id {
			add("signatory stored under %d says it is %d", id, s.ID)
		}
		key := model.OrgKey(s.Region, s.Organisation)
		if index[key] != id {
			add("signatory %d (%s) is missing from the organisation index", id, s.Organisation)
		}
		seenKeys[key] = true
		for v := uint64(1); v <= s.Version; v++ {
			if hist.Get(historyKey(id, v)) == nil {
				add("signatory %d has no history entry for version %d", id, v)
				break
			}
		}
		recount.Add(&s, 1)
		return nil
	})
	for key, id := range index {
		if !seenKeys[key] {
			add("the organisation index points %q at signatory %d, which does not hold it", strings.ReplaceAll(key, "\x00", "/"), id)
		}
	}
	var stored model.TierCounts
	if _, err := getJSON(meta, keyTiers, &stored); err != nil {
		add("tier counts cannot be read: %v", err)
	} else if stored != recount {
		add("stored tier counts %+v differ from a recount %+v", stored, recount)
	}

	// Audit regions and annotations.
	regions, err := regionList(tx)
	if err != nil {
		add("region list cannot be read: %v", err)
	}
	data := map[string]*regionAudit{}
	for _, r := range regions {
		var ra regionAudit
		ok, err := getJSON(tx.Bucket(bucketAudit), []byte(r), &ra)
		if err != nil || !ok {
			add("region %s is listed but its data is missing or unreadable", r)
			continue
		}
		data[r] = &ra
	}
	exists := map[model.ReturnKey]bool{}
	for _, ra := range data {
		for i := range ra.Returns {
			exists[ra.Returns[i].Key()] = true
		}
	}
	if schema == 1 {
		checkAnnotationsV1(tx, exists, add)
	} else {
		checkAnnotations(tx, exists, add)
	}
	return faults
}

// checkAnnotations checks schema-2 annotations: every key decodes, names
// the return its record says, and that return exists; every history key
// decodes and belongs to an annotation, at a version the annotation has
// reached; every version of an annotation has its history.
func checkAnnotations(tx *bolt.Tx, exists map[model.ReturnKey]bool, add func(string, ...any) bool) {
	versions := map[string]uint64{} // annotation key → its version
	_ = tx.Bucket(bucketAnn).ForEach(func(k, v []byte) error {
		rk, err := decodeAnnKey(k)
		if err != nil {
			add("annotation key %q does not decode: %v", k, err)
			return nil
		}
		var sa storedAnnotation
		if err := json.Unmarshal(v, &sa); err != nil {
			add("annotation of %s cannot be read: %v", keyText(rk), err)
			return nil
		}
		if sa.Key != rk {
			add("annotation stored for %s says it is for %s: two returns would share it", keyText(rk), keyText(sa.Key))
		}
		if !exists[rk] {
			add("annotation of %s is for a return that does not exist", keyText(rk))
		}
		versions[string(k)] = sa.Version
		return nil
	})
	seen := map[string]map[uint64]bool{}
	reported := map[string]bool{}
	_ = tx.Bucket(bucketAnnHistory).ForEach(func(k, v []byte) error {
		rk, version, _, err := decodeAnnHistoryKey(k)
		if err != nil {
			add("annotation history key %q does not decode: %v", k, err)
			return nil
		}
		ak := string(annKey(rk))
		have, ok := versions[ak]
		switch {
		case !ok:
			if !reported[ak] {
				reported[ak] = true
				add("history of %s has no annotation", keyText(rk))
			}
			return nil
		case version == 0 || version > have:
			add("history of %s has an entry for version %d; its annotation is at version %d", keyText(rk), version, have)
		}
		var ch model.AnnotationChange
		if err := json.Unmarshal(v, &ch); err != nil {
			add("history of %s, version %d, cannot be read: %v", keyText(rk), version, err)
		} else if ch.Version != version {
			add("history of %s stored as version %d says it is version %d", keyText(rk), version, ch.Version)
		}
		if seen[ak] == nil {
			seen[ak] = map[uint64]bool{}
		}
		seen[ak][version] = true
		return nil
	})
	for ak, have := range versions {
		for v := uint64(1); v <= have; v++ {
			if !seen[ak][v] {
				rk, _ := decodeAnnKey([]byte(ak))
				add("annotation of %s has no history entry for version %d", keyText(rk), v)
				break
			}
		}
	}
}

// checkAnnotationsV1 checks a schema-1 file (an old backup, or one opened
// only read-only since): it reports the faults the migration will have to
// decide on, so they are known before it runs.
func checkAnnotationsV1(tx *bolt.Tx, exists map[model.ReturnKey]bool, add func(string, ...any) bool) {
	byV1 := map[string][]model.ReturnKey{}
	for k := range exists {
		byV1[v1AnnKey(k)] = append(byV1[v1AnnKey(k)], k)
	}
	have := map[string]bool{}
	_ = tx.Bucket(bucketAnn).ForEach(func(k, v []byte) error {
		have[string(k)] = true
		var sa storedAnnotation
		if err := json.Unmarshal(v, &sa); err != nil {
			add("annotation %q cannot be read: %v", k, err)
			return nil
		}
		if string(k) != v1AnnKey(sa.Key) {
			add("annotation stored under %q says it is for %s", k, keyText(sa.Key))
		}
		if !exists[sa.Key] {
			add("annotation of %s is for a return that does not exist", keyText(sa.Key))
		}
		if shared := byV1[string(k)]; len(shared) > 1 {
			sort.Slice(shared, func(i, j int) bool { return keyText(shared[i]) < keyText(shared[j]) })
			var names []string
			for _, o := range shared {
				names = append(names, keyText(o))
			}
			add("annotation key %q is shared by %d returns (%s); schema 1 cannot tell them apart", k, len(shared), strings.Join(names, "; "))
		}
		return nil
	})
	reported := map[string]bool{}
	_ = tx.Bucket(bucketAnnHistory).ForEach(func(k, v []byte) error {
		key, _, _, ok := splitV1HistoryKey(k)
		if !ok {
			add("annotation history key %q does not decode", k)
			return nil
		}
		if !have[key] && !reported[key] {
			reported[key] = true
			add("history under %q has no annotation", key)
		}
		return nil
	})
}

// checkRecordForm says what is wrong with a record stored in a form its
// file's schema does not use: JSON before schema 3, binary from it.
func checkRecordForm(v []byte, schema int) error {
	isJSON := len(v) > 0 && v[0] == '{'
	switch {
	case schema >= binarySchema && isJSON:
		return fmt.Errorf("is stored as JSON in a schema-%d file, which stores records in binary", schema)
	case schema < binarySchema && !isJSON:
		return fmt.Errorf("is not stored as JSON, as a schema-%d file stores records", schema)
	}
	return nil
}
