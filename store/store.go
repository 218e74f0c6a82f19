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

// SchemaVersion is the layout this build writes. It reads every older
// one: a file opened read-write is migrated on open, one opened read-only
// is read in its own layout. The versions are described in doc.go.
const SchemaVersion = 3

// Bucket names.
var (
	bucketMeta       = []byte("meta")
	bucketSig        = []byte("signatories")
	bucketSigOrg     = []byte("signatories_by_org")
	bucketSigHistory = []byte("signatory_history")
	bucketAudit      = []byte("audit_regions")
	bucketAnn        = []byte("annotations")
	bucketAnnHistory = []byte("annotation_history")

	keySchema    = []byte("schema")
	keyTiers     = []byte("tier_counts")
	keyRegions   = []byte("regions")
	keyMigration = []byte("migration_1_to_2")
)

func allBuckets() [][]byte {
	return [][]byte{bucketMeta, bucketSig, bucketSigOrg, bucketSigHistory, bucketAudit, bucketAnn, bucketAnnHistory}
}

// initialMmap is the mapping reserved up front for a read-write open.
const initialMmap = 1 << 30

// Growth steps of the file. bbolt extends a file whose mapping is larger
// than its AllocSize by the space a commit needs plus AllocSize; with the
// 1 GB mapping that is every growth, and bbolt's default AllocSize (16 MB)
// made a new database of 40 records and 169 returns a 16.9 MB file. The
// step is an eighth of the file as opened, within these bounds, so a new
// file starts near its contents and a large one still grows in few steps.
// A single transaction grows the file once whatever the step, so an import
// is as fast with a small step as with a large one.
const (
	minGrowStep = 64 << 10
	maxGrowStep = 16 << 20
)

func growStep(fileSize int64) int {
	return int(min(max(fileSize/8, minGrowStep), maxGrowStep))
}

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
	// MustExist makes Open fail, creating nothing (neither the file nor
	// its directory), when the file is missing or has never been laid out;
	// the error matches os.ErrNotExist. Commands that only read set it.
	MustExist bool
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
	// schema is the layout of the file: SchemaVersion, or an older one in
	// a file opened read-only.
	schema int
	// migration lists what this Open's migration did, for the caller to
	// show; it is kept in the file too (see doc.go).
	migration []string

	// writeMu makes a write and the publishing of its event one step, so
	// that events are numbered and delivered in commit order (bbolt runs
	// commit handlers after releasing its own lock).
	writeMu sync.Mutex

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

// NotExistError is returned with Options.MustExist when there is no
// database at Path. It matches os.ErrNotExist.
type NotExistError struct {
	Path string
	// Empty is set when the file exists but holds no database yet.
	Empty bool
}

func (e *NotExistError) Error() string {
	if e.Empty {
		return fmt.Sprintf("database %s is empty: no charter database has been created in it", e.Path)
	}
	return fmt.Sprintf("database %s does not exist", e.Path)
}

// Unwrap makes errors.Is(err, os.ErrNotExist) true.
func (e *NotExistError) Unwrap() error { return os.ErrNotExist }

// Open opens (and, if new, creates and seeds) the database at path.
func Open(path string, opt Options) (*DB, error) {
	if opt.Timeout <= 0 {
		opt.Timeout = time.Second
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.MustExist || opt.ReadOnly {
		fi, err := os.Stat(path)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil, &NotExistError{Path: path}
			}
			return nil, fmt.Errorf("database %s: %w", path, err)
		}
		if fi.Size() == 0 && opt.MustExist {
			// bbolt would write its first pages into it.
			return nil, &NotExistError{Path: path, Empty: true}
		}
	} else if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
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
	if opt.MustExist {
		// Never create the file, even if it vanishes after the check above.
		bopt.OpenFile = func(name string, flag int, perm os.FileMode) (*os.File, error) {
			return os.OpenFile(name, flag&^os.O_CREATE, perm)
		}
	}
	bdb, err := bolt.Open(path, 0o600, bopt)
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, &InUseError{Path: path}
	}
	if opt.MustExist && errors.Is(err, os.ErrNotExist) {
		return nil, &NotExistError{Path: path}
	}
	if err != nil {
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	if !opt.ReadOnly {
		if fi, err := os.Stat(path); err == nil {
			bdb.AllocSize = growStep(fi.Size())
		}
	}
	db := &DB{bolt: bdb, path: path, now: opt.Now, hub: newHub(), schema: SchemaVersion}
	if err := db.prepareAndRefresh(opt); err != nil {
		bdb.Close()
		return nil, err
	}
	if !opt.ReadOnly {
		db.control = startControl(db)
	}
	return db, nil
}

// prepare checks the schema of an existing file (migrating an older one
// opened read-write), or lays out (and seeds) a new one.
func (db *DB) prepare(opt Options) error {
	var fresh bool
	stored := 0
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
		var err error
		stored, err = checkSchema(db.path, meta.Get(keySchema))
		return err
	})
	if err != nil {
		return err
	}
	if !fresh {
		return db.upgrade(stored, opt)
	}
	if opt.MustExist {
		return &NotExistError{Path: db.path, Empty: true}
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

// upgrade brings a file of an older schema to this one, in one write
// transaction: all of it, or (on any error) nothing. A file opened
// read-only keeps its layout and is read in it.
func (db *DB) upgrade(stored int, opt Options) error {
	db.schema = stored
	if stored == SchemaVersion || opt.ReadOnly {
		return nil
	}
	var notes []string
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		var err error
		notes, err = migrate(tx, stored, db.now().UTC())
		return err
	})
	if err != nil {
		return fmt.Errorf("database %s: migrating from schema version %d to %d: %w (the file is unchanged)", db.path, stored, SchemaVersion, err)
	}
	db.schema, db.migration = SchemaVersion, notes
	return nil
}

// Migration lists what migrating the file on this Open did (empty when
// the file was already current): one line for the step, then one for each
// annotation that needed a decision.
func (db *DB) Migration() []string { return db.migration }

// Schema is the layout of the open file.
func (db *DB) Schema() int { return db.schema }

// checkSchema reads the stored schema version and refuses one this build
// does not know.
func checkSchema(path string, v []byte) (int, error) {
	n, err := strconv.Atoi(string(v))
	if err != nil || n < 1 {
		return 0, fmt.Errorf("database %s has an unreadable schema version %q: %w", path, v, model.ErrSchema)
	}
	if n > SchemaVersion {
		return 0, fmt.Errorf("database %s has schema version %d; this charter understands up to %d — use a newer charter: %w",
			path, n, SchemaVersion, model.ErrSchema)
	}
	return n, nil
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

// update runs one write transaction that may publish events: writes and
// their events are serialised so that event numbers follow commit order.
func (db *DB) update(fn func(*bolt.Tx) error) error {
	db.writeMu.Lock()
	defer db.writeMu.Unlock()
	return db.bolt.Update(fn)
}

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
