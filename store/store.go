// Package store keeps charter's data in one bbolt file: signatories with
// their history and tier aggregate, the audit data of every region, the
// reviewers' annotations with their history, and the schema version. Every
// write is one transaction; change events are published only after commit.
// It implements the service interfaces of package model and imports
// nothing of charter's but model and the embedded dataset.
package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"charter/model"
	"charter/store/dataset"
)

// SchemaVersion is the layout this build reads and writes.
const SchemaVersion = 1

// Bucket names.
var (
	bucketMeta       = []byte("meta")
	bucketSig        = []byte("signatories")
	bucketSigOrg     = []byte("signatories_by_org")
	bucketSigHistory = []byte("signatory_history")
	bucketAudit      = []byte("audit_regions")
	bucketAnn        = []byte("annotations")
	bucketAnnHistory = []byte("annotation_history")

	keySchema  = []byte("schema")
	keyTiers   = []byte("tier_counts")
	keyRegions = []byte("regions")
)

func allBuckets() [][]byte {
	return [][]byte{bucketMeta, bucketSig, bucketSigOrg, bucketSigHistory, bucketAudit, bucketAnn, bucketAnnHistory}
}

// initialMmap is the mapping reserved up front for a read-write open.
const initialMmap = 1 << 30

// Options steer Open.
type Options struct {
	// Timeout is how long to wait for another process to let go of the
	// file; 0 means one second.
	Timeout time.Duration
	// NoSeed makes a new file start empty instead of holding the embedded
	// West Midlands audit and sample signatories.
	NoSeed bool
	// ReadOnly opens with a shared lock and refuses writes.
	ReadOnly bool
	// Now is the clock for history entries; nil means time.Now.
	Now func() time.Time
}

// DB is an open charter database.
type DB struct {
	bolt    *bolt.DB
	path    string
	now     func() time.Time
	hub     *hub
	seeded  bool
	control *controlServer

	// importHook, when set by tests, runs after every batch of an import
	// inside its transaction; an error from it aborts the import as a
	// crash half-way would.
	importHook func(done int) error

	closeOnce sync.Once
}

// InUseError is returned when another process holds the database.
type InUseError struct{ Path string }

func (e *InUseError) Error() string {
	return fmt.Sprintf("database %s is in use by another process", e.Path)
}

// Is makes errors.Is(err, model.ErrInUse) true.
func (e *InUseError) Is(target error) bool { return target == model.ErrInUse }

// Open opens (and, if new, creates and seeds) the database at path.
func Open(path string, opt Options) (*DB, error) {
	if opt.Timeout <= 0 {
		opt.Timeout = time.Second
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if !opt.ReadOnly {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("database %s: %w", path, err)
		}
	} else if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	bopt := &bolt.Options{Timeout: opt.Timeout, ReadOnly: opt.ReadOnly}
	if !opt.ReadOnly {
		// A large address-space reservation (not memory: pages are only
		// touched as the file grows) spares bbolt remapping as the file
		// grows. Each remap copies every dirty node of the open write
		// transaction and waits for open readers, which made a 100,000-row
		// import quadratic and let a long read stall writers.
		bopt.InitialMmapSize = initialMmap
	}
	bdb, err := bolt.Open(path, 0o600, bopt)
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, &InUseError{Path: path}
	}
	if err != nil {
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	db := &DB{bolt: bdb, path: path, now: opt.Now, hub: newHub()}
	if err := db.prepare(opt); err != nil {
		bdb.Close()
		return nil, err
	}
	if !opt.ReadOnly {
		db.control = startControl(db)
	}
	return db, nil
}

// prepare checks the schema of an existing file, or lays out (and seeds) a
// new one.
func (db *DB) prepare(opt Options) error {
	var fresh bool
	err := db.bolt.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			empty := true
			_ = tx.ForEach(func([]byte, *bolt.Bucket) error { empty = false; return nil })
			if !empty {
				return fmt.Errorf("database %s is not a charter database (it has no schema record)", db.path)
			}
			fresh = true
			return nil
		}
		return checkSchema(db.path, meta.Get(keySchema))
	})
	if err != nil || !fresh {
		return err
	}
	if opt.ReadOnly {
		return fmt.Errorf("database %s is empty; open it once read-write to create it", db.path)
	}
	return db.bolt.Update(func(tx *bolt.Tx) error {
		for _, b := range allBuckets() {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return fmt.Errorf("create bucket %s: %w", b, err)
			}
		}
		if err := tx.Bucket(bucketMeta).Put(keySchema, []byte(strconv.Itoa(SchemaVersion))); err != nil {
			return err
		}
		if err := putJSON(tx.Bucket(bucketMeta), keyTiers, model.TierCounts{}); err != nil {
			return err
		}
		if opt.NoSeed {
			return nil
		}
		if err := db.seed(tx); err != nil {
			return fmt.Errorf("seed %s: %w", db.path, err)
		}
		db.seeded = true
		return nil
	})
}

func checkSchema(path string, v []byte) error {
	n, err := strconv.Atoi(string(v))
	if err != nil {
		return fmt.Errorf("database %s has an unreadable schema version %q: %w", path, v, model.ErrSchema)
	}
	if n > SchemaVersion {
		return fmt.Errorf("database %s has schema version %d; this charter understands up to %d — use a newer charter: %w",
			path, n, SchemaVersion, model.ErrSchema)
	}
	return nil
}

// seed writes the embedded dataset into a new file, inside its first
// transaction.
func (db *DB) seed(tx *bolt.Tx) error {
	a, err := dataset.Audit()
	if err != nil {
		return err
	}
	if err := putAudit(tx, a, true); err != nil {
		return err
	}
	sigs, err := dataset.Signatories()
	if err != nil {
		return err
	}
	_, err = db.importSignatories(tx, sigs, model.ImportOptions{}, "charter")
	return err
}

// Seeded reports whether this Open created the file and seeded it.
func (db *DB) Seeded() bool { return db.seeded }

// Path is the database file.
func (db *DB) Path() string { return db.path }

// Close stops the backup socket and closes the file.
func (db *DB) Close() error {
	var err error
	db.closeOnce.Do(func() {
		if db.control != nil {
			db.control.stop()
		}
		db.hub.close()
		err = db.bolt.Close()
	})
	return err
}

// Subscribe implements model.EventService.
func (db *DB) Subscribe() (<-chan model.Event, func()) { return db.hub.subscribe() }

func itob(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

func putJSON(b *bolt.Bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", key, err)
	}
	return b.Put(key, data)
}

func getJSON(b *bolt.Bucket, key []byte, v any) (bool, error) {
	data := b.Get(key)
	if data == nil {
		return false, nil
	}
	if err := json.Unmarshal(data, v); err != nil {
		return true, fmt.Errorf("decode %s: %w", key, err)
	}
	return true, nil
}
