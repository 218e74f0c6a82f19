package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
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
// recount, every record's history, and every annotation's return. It runs
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
	_ = tx.Bucket(bucketSig).ForEach(func(k, v []byte) error {
		id := binary.BigEndian.Uint64(k)
		var s model.Signatory
		if err := json.Unmarshal(v, &s); err != nil {
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
	_ = tx.Bucket(bucketAnn).ForEach(func(k, v []byte) error {
		var sa storedAnnotation
		if err := json.Unmarshal(v, &sa); err != nil {
			add("annotation %s cannot be read: %v", k, err)
			return nil
		}
		if !bytes.Equal(k, annKey(sa.Key)) {
			add("annotation stored under %s says it is for %s", k, sa.Key)
		}
		if ra := data[sa.Key.Region]; ra == nil || !ra.hasReturn(sa.Key) {
			add("annotation %s is for a return that does not exist", sa.Key)
		}
		return nil
	})
	return faults
}
