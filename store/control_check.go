package store

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// CheckReport describes a database file that was checked.
type CheckReport struct {
	Path string `json:"path"`
	// Schema is the schema version the file records (0 if unreadable).
	Schema      int `json:"schema"`
	Signatories int `json:"signatories"`
	Regions     int `json:"regions"`
	Returns     int `json:"returns"`
	Annotations int `json:"annotations"`
	// ViaHolder is true when another process held the file and checked it
	// on our behalf through its control socket.
	ViaHolder bool `json:"via_holder,omitempty"`
}

// CheckPath checks the database file at path whether or not another
// process holds it: a free file is opened read-only and checked here; a
// held one is checked by its holder, through the control socket, inside a
// write transaction that is rolled back (where bbolt's page check is safe
// alongside the holder's writers). Faults come back as a *CheckError,
// together with whatever the report could still count.
func CheckPath(path string, timeout time.Duration) (CheckReport, error) {
	if timeout <= 0 {
		timeout = time.Minute
	}
	rep := CheckReport{Path: path}
	bdb, err := bolt.Open(path, 0o400, &bolt.Options{ReadOnly: true, Timeout: 500 * time.Millisecond})
	if errors.Is(err, berrors.ErrTimeout) {
		reply, aerr := ask(path, controlRequest{Op: "check"}, timeout)
		if aerr != nil {
			return rep, fmt.Errorf("%w, and asking it for a check failed: %v", &InUseError{Path: path}, aerr)
		}
		if reply.Report != nil {
			rep = *reply.Report
		}
		rep.Path, rep.ViaHolder = path, true
		if len(reply.Faults) > 0 {
			return rep, &CheckError{Faults: reply.Faults}
		}
		return rep, nil
	}
	if err != nil {
		return rep, &CheckError{Faults: []string{fmt.Sprintf("cannot open %s: %v", path, err)}}
	}
	defer bdb.Close()
	var faults []string
	err = bdb.View(func(tx *bolt.Tx) error {
		faults = checkTx(tx)
		countTx(tx, &rep)
		return nil
	})
	if err != nil {
		faults = append(faults, err.Error())
	}
	if len(faults) > 0 {
		return rep, &CheckError{Faults: faults}
	}
	return rep, nil
}

// checkLive is the holder's side of a check request.
func (db *DB) checkLive() (CheckReport, []string, error) {
	rep := CheckReport{Path: db.path}
	var faults []string
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		faults = checkTx(tx)
		countTx(tx, &rep)
		return errRollback
	})
	if err != nil && !errors.Is(err, errRollback) {
		return rep, nil, err
	}
	return rep, faults, nil
}

// countTx fills in the schema version and record counts. It reads
// defensively: on a damaged file it counts what it can and leaves the
// faults to checkTx.
func countTx(tx *bolt.Tx, rep *CheckReport) {
	defer func() { _ = recover() }()
	if meta := tx.Bucket(bucketMeta); meta != nil {
		rep.Schema, _ = strconv.Atoi(string(meta.Get(keySchema)))
	}
	count := func(name []byte) int {
		b := tx.Bucket(name)
		if b == nil {
			return 0
		}
		n := 0
		c := b.Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			n++
		}
		return n
	}
	rep.Signatories = count(bucketSig)
	rep.Annotations = count(bucketAnn)
	regions, err := regionList(tx)
	if err != nil {
		return
	}
	rep.Regions = len(regions)
	audit := tx.Bucket(bucketAudit)
	if audit == nil {
		return
	}
	for _, r := range regions {
		var ra regionAudit
		if ok, err := getJSON(audit, []byte(r), &ra); ok && err == nil {
			rep.Returns += len(ra.Returns)
		}
	}
}
