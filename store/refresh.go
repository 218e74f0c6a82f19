package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"charter/model"
	"charter/store/dataset"
)

// DatasetVersion is the revision of the embedded West Midlands audit this
// build carries:
//
//  1. the returns as first transcribed: Corporate filed under kind ROM
//     with no question groups, and Corporate's SPECIFIC PROJECTS ("None
//     specified") stored as answered;
//  2. Corporate as the source prints it, one combined assessment of the
//     ROM office, the prisons and the probation areas (kind Combined, a
//     group per question), and SPECIFIC PROJECTS not answered (79
//     answered, 62 not answered, 28 no return).
//
// A file records in its meta bucket (keyDataset) the revision it has been
// brought to, so the refresh below runs once per file.
const DatasetVersion = 2

// keyDataset holds the DatasetVersion a file has been brought to;
// keyDatasetRefresh the record of a refresh that changed the region.
var (
	keyDataset        = []byte("dataset_version")
	keyDatasetRefresh = []byte("dataset_refresh")
)

// datasetRefresh is what a refresh did, kept in meta/dataset_refresh.
type datasetRefresh struct {
	From  int       `json:"from"`
	To    int       `json:"to"`
	At    time.Time `json:"at"`
	Notes []string  `json:"notes"`
}

// DatasetRefresh lists what bringing the stored West Midlands region up
// to the embedded dataset did to this file (empty if it never changed
// it): one line for the step, then one for each return whose status
// changed. The record stays in the file.
func (db *DB) DatasetRefresh() ([]string, error) {
	var rec datasetRefresh
	err := db.bolt.View(func(tx *bolt.Tx) error {
		_, err := getJSON(tx.Bucket(bucketMeta), keyDatasetRefresh, &rec)
		return err
	})
	return rec.Notes, err
}

// DatasetRegion is the region the embedded dataset holds.
const DatasetRegion = "West Midlands"

// refreshedOnOpen holds, for an open DB whose Open refreshed the region,
// the notes of the refresh until RefreshedOnOpen hands them out (a DB
// has no field for them; an entry is made at most once per file).
var refreshedOnOpen sync.Map // *DB → []string

// RefreshedOnOpen returns, once, what bringing the West Midlands region up
// to the embedded dataset did during this Open (nil if it did nothing),
// for the caller to tell the user. DatasetRefresh keeps the record.
func (db *DB) RefreshedOnOpen() []string {
	v, ok := refreshedOnOpen.LoadAndDelete(db)
	if !ok {
		return nil
	}
	return v.([]string)
}

// prepareAndRefresh lays out or upgrades the file (prepare) and, opened
// read-write, brings a seeded West Midlands region up to the embedded
// dataset (refreshDataset).
func (db *DB) prepareAndRefresh(opt Options) error {
	if err := db.prepare(opt); err != nil {
		return err
	}
	if opt.ReadOnly {
		return nil
	}
	if err := db.refreshDataset(); err != nil {
		return fmt.Errorf("database %s: bringing the West Midlands audit up to the embedded dataset: %w (the file is unchanged)", db.path, err)
	}
	return nil
}

// storedDatasetVersion reads keyDataset; 0 when the file has none.
func storedDatasetVersion(tx *bolt.Tx) (int, error) {
	v := tx.Bucket(bucketMeta).Get(keyDataset)
	if v == nil {
		return 0, nil
	}
	n, err := strconv.Atoi(string(v))
	if err != nil || n < 1 {
		return 0, fmt.Errorf("meta/%s is %q, not a dataset version", keyDataset, v)
	}
	return n, nil
}

// refreshDataset replaces the stored West Midlands region with the
// embedded one when the file has not been brought to DatasetVersion yet
// and the stored region is the embedded dataset in an earlier revision
// (see sameSourceText). A region the user imported themselves differs in
// its text and is never touched. Annotations are keyed by region, question
// id and respondent, which no revision changes, so every annotation and
// its history stays with its return. The version is recorded whatever the
// outcome, in the same transaction, so this runs once per file.
func (db *DB) refreshDataset() error {
	current := false
	if err := db.bolt.View(func(tx *bolt.Tx) error {
		n, err := storedDatasetVersion(tx)
		current = n >= DatasetVersion
		return err
	}); err != nil {
		return err
	}
	if current {
		return nil
	}
	emb, err := dataset.Audit()
	if err != nil {
		return err
	}
	embRegion := split(emb)[DatasetRegion]
	if embRegion == nil {
		return fmt.Errorf("the embedded dataset has no %s region", DatasetRegion)
	}
	return db.update(func(tx *bolt.Tx) error {
		from, err := storedDatasetVersion(tx)
		if err != nil || from >= DatasetVersion {
			return err
		}
		var stored regionAudit
		ok, err := getJSON(tx.Bucket(bucketAudit), []byte(DatasetRegion), &stored)
		if err != nil {
			return err
		}
		if ok && sameSourceText(&stored, embRegion) == "" {
			before, err := json.Marshal(&stored)
			if err != nil {
				return err
			}
			after, err := json.Marshal(embRegion)
			if err != nil {
				return err
			}
			if !bytes.Equal(before, after) {
				rec := datasetRefresh{From: from, To: DatasetVersion, At: db.now().UTC(), Notes: refreshNotes(tx, &stored, embRegion)}
				tx.OnCommit(func() { refreshedOnOpen.Store(db, rec.Notes) })
				if err := putAudit(tx, model.RegionOf(emb, DatasetRegion), true); err != nil {
					return err
				}
				if err := putJSON(tx.Bucket(bucketMeta), keyDatasetRefresh, rec); err != nil {
					return err
				}
			}
		}
		return tx.Bucket(bucketMeta).Put(keyDataset, []byte(strconv.Itoa(DatasetVersion)))
	})
}

// sameSourceText says why stored is not the embedded dataset emb in some
// revision, or "" when it is. It is when both hold, ignoring respondent
// kinds, question groups and return statuses (what revisions correct):
// the same questions (id, alliance, strand, title, prompt, benchmark label
// and benchmark), the same respondents by name, the same returns (question
// id and respondent) with the same answers, and the same regional
// comments, pathway matrices and summary text. An imported region has no
// prompts or benchmarks, or other answers, and so never matches unless it
// is a copy of the dataset's own text.
func sameSourceText(stored, emb *regionAudit) string {
	type qtext struct {
		alliance                    model.Alliance
		strand                      model.Strand
		title, prompt, label, bench string
	}
	qs := map[string]qtext{}
	for _, q := range emb.Questions {
		qs[q.ID] = qtext{q.Alliance, q.Strand, q.Title, q.Prompt, q.BenchmarkLabel, q.Benchmark}
	}
	if len(stored.Questions) != len(qs) {
		return fmt.Sprintf("it has %d questions, the dataset %d", len(stored.Questions), len(qs))
	}
	for _, q := range stored.Questions {
		want, ok := qs[q.ID]
		if !ok {
			return fmt.Sprintf("question %q is not the dataset's", q.ID)
		}
		if (qtext{q.Alliance, q.Strand, q.Title, q.Prompt, q.BenchmarkLabel, q.Benchmark}) != want {
			return fmt.Sprintf("question %q differs from the dataset's", q.ID)
		}
	}
	names := func(rs []model.Respondent) map[string]bool {
		m := map[string]bool{}
		for _, r := range rs {
			m[r.Name] = true
		}
		return m
	}
	sn, en := names(stored.Respondents), names(emb.Respondents)
	if len(sn) != len(en) {
		return fmt.Sprintf("it has %d respondents, the dataset %d", len(sn), len(en))
	}
	for n := range sn {
		if !en[n] {
			return fmt.Sprintf("respondent %q is not the dataset's", n)
		}
	}
	answers := map[model.ReturnKey]string{}
	for i := range emb.Returns {
		answers[emb.Returns[i].Key()] = emb.Returns[i].Answer
	}
	if len(stored.Returns) != len(answers) {
		return fmt.Sprintf("it has %d returns, the dataset %d", len(stored.Returns), len(answers))
	}
	for i := range stored.Returns {
		r := &stored.Returns[i]
		want, ok := answers[r.Key()]
		if !ok {
			return fmt.Sprintf("the return of %s is not the dataset's", keyText(r.Key()))
		}
		if r.Answer != want {
			return fmt.Sprintf("the answer of %s differs from the dataset's", keyText(r.Key()))
		}
	}
	if len(stored.Comments) != len(emb.Comments) {
		return fmt.Sprintf("it has %d regional comments, the dataset %d", len(stored.Comments), len(emb.Comments))
	}
	for i, c := range stored.Comments {
		e := emb.Comments[i]
		if c.Alliance != e.Alliance || c.Strand != e.Strand || c.Heading != e.Heading || c.Respondent != e.Respondent || c.Text != e.Text {
			return fmt.Sprintf("regional comment %d differs from the dataset's", i+1)
		}
	}
	if len(stored.Pathways) != len(emb.Pathways) {
		return fmt.Sprintf("it has %d pathway matrices, the dataset %d", len(stored.Pathways), len(emb.Pathways))
	}
	for i, m := range stored.Pathways {
		e := emb.Pathways[i]
		m.Section, e.Section = model.Section{}, model.Section{}
		a, _ := json.Marshal(m)
		b, _ := json.Marshal(e)
		if !bytes.Equal(a, b) {
			return fmt.Sprintf("pathway matrix %d differs from the dataset's", i+1)
		}
	}
	a, _ := json.Marshal(stored.Summaries)
	b, _ := json.Marshal(emb.Summaries)
	if !bytes.Equal(a, b) {
		return "its summary report differs from the dataset's"
	}
	return ""
}

// refreshNotes says what replacing stored by emb changes: how many
// questions change kind or group, each return whose status changes, and
// each annotation that now rates a return that is not answered.
func refreshNotes(tx *bolt.Tx, stored, emb *regionAudit) []string {
	old := map[string]model.Question{}
	for _, q := range stored.Questions {
		old[q.ID] = q
	}
	regrouped := 0
	for _, q := range emb.Questions {
		if o := old[q.ID]; o.Kind != q.Kind || o.Group != q.Group {
			regrouped++
		}
	}
	status := map[model.ReturnKey]model.ReturnStatus{}
	for i := range stored.Returns {
		status[stored.Returns[i].Key()] = stored.Returns[i].Status
	}
	var changed []string
	ann := tx.Bucket(bucketAnn)
	for i := range emb.Returns {
		r := &emb.Returns[i]
		was := status[r.Key()]
		if was == r.Status {
			continue
		}
		line := fmt.Sprintf("the return of %s is now %s (was %s)", keyText(r.Key()), r.Status, was)
		var sa storedAnnotation
		if ok, err := getJSON(ann, annKey(r.Key()), &sa); err == nil && ok && sa.Rating != model.RatingNone && r.Status != model.StatusAnswered {
			line += fmt.Sprintf("; its rating %q is kept, with its history", sa.Rating.Label())
		}
		changed = append(changed, line)
	}
	head := fmt.Sprintf("West Midlands audit brought up to dataset version %d: %d questions change respondent kind or group, %d returns change status; every annotation and its history is kept",
		DatasetVersion, regrouped, len(changed))
	return append([]string{head}, changed...)
}
