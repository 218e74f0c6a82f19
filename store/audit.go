package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"

	"charter/model"
)

var _ model.AuditService = (*DB)(nil)

// regionAudit is one region's source data as stored: the text exactly as
// the dataset or an import gave it, annotations kept elsewhere.
type regionAudit struct {
	Respondents []model.Respondent      `json:"respondents"`
	Questions   []model.Question        `json:"questions"`
	Returns     []model.Return          `json:"returns"`
	Comments    []model.RegionalComment `json:"comments"`
	Pathways    []model.PathwayMatrix   `json:"pathways"`
	Summaries   []model.Summary         `json:"summaries"`
}

func (ra *regionAudit) hasReturn(k model.ReturnKey) bool {
	for i := range ra.Returns {
		if ra.Returns[i].QuestionID == k.QuestionID && ra.Returns[i].Respondent == k.Respondent {
			return true
		}
	}
	return false
}

// split divides audit data by region, in the order the regions are listed.
func split(a *model.Audit) map[string]*regionAudit {
	out := map[string]*regionAudit{}
	get := func(r string) *regionAudit {
		if out[r] == nil {
			out[r] = &regionAudit{}
		}
		return out[r]
	}
	for _, r := range a.Regions {
		get(r)
	}
	for _, x := range a.Respondents {
		get(x.Region).Respondents = append(get(x.Region).Respondents, x)
	}
	for _, x := range a.Questions {
		get(x.Region).Questions = append(get(x.Region).Questions, x)
	}
	for _, x := range a.Returns {
		x.Annotation = model.Annotation{}
		get(x.Region).Returns = append(get(x.Region).Returns, x)
	}
	for _, x := range a.Comments {
		get(x.Region).Comments = append(get(x.Region).Comments, x)
	}
	for _, x := range a.Pathways {
		get(x.Region).Pathways = append(get(x.Region).Pathways, x)
	}
	for _, x := range a.Summaries {
		get(x.Region).Summaries = append(get(x.Region).Summaries, x)
	}
	return out
}

// validateAudit checks that every return names a question and respondent
// of its region and section, once.
func validateAudit(a *model.Audit) error {
	questions := map[string]model.Question{}
	for _, q := range a.Questions {
		questions[q.Region+"\x00"+q.ID] = q
	}
	respondents := map[string]bool{}
	for _, r := range a.Respondents {
		respondents[r.Region+"\x00"+string(r.Kind)+"\x00"+r.Name] = true
	}
	seen := map[model.ReturnKey]bool{}
	for _, r := range a.Returns {
		q, ok := questions[r.Region+"\x00"+r.QuestionID]
		if !ok {
			return fmt.Errorf("return of %s: question %q is not in the data: %w", keyText(r.Key()), r.QuestionID, model.ErrInvalid)
		}
		if q.Section != r.Section {
			return fmt.Errorf("return of %s: its section differs from its question's: %w", keyText(r.Key()), model.ErrInvalid)
		}
		if !respondents[r.Region+"\x00"+string(r.Kind)+"\x00"+r.Respondent] {
			return fmt.Errorf("return of %s: respondent %q (%s) is not in the data: %w", keyText(r.Key()), r.Respondent, r.Kind, model.ErrInvalid)
		}
		if seen[r.Key()] {
			return fmt.Errorf("the return of %s appears twice: %w", keyText(r.Key()), model.ErrInvalid)
		}
		seen[r.Key()] = true
	}
	return nil
}

func regionList(tx *bolt.Tx) ([]string, error) {
	var regions []string
	_, err := getJSON(tx.Bucket(bucketMeta), keyRegions, &regions)
	return regions, err
}

// putAudit stores the regions of a, replacing any it already holds when
// replace is set. Annotations of returns that no longer exist are removed
// with their history.
func putAudit(tx *bolt.Tx, a *model.Audit, replace bool) error {
	if err := validateAudit(a); err != nil {
		return err
	}
	regions, err := regionList(tx)
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, r := range regions {
		have[r] = true
	}
	b := tx.Bucket(bucketAudit)
	parts := split(a)
	for _, name := range a.Regions {
		ra := parts[name]
		if have[name] {
			if !replace {
				return fmt.Errorf("region %q is already in the database (use --update to replace it): %w", name, model.ErrExists)
			}
		} else {
			regions = append(regions, name)
			have[name] = true
		}
		if err := putJSON(b, []byte(name), ra); err != nil {
			return err
		}
		if err := dropOrphanAnnotations(tx, name, ra); err != nil {
			return err
		}
	}
	return putJSON(tx.Bucket(bucketMeta), keyRegions, regions)
}

// dropOrphanAnnotations removes, with their history, the annotations of
// region's returns that its new data no longer holds. It reads only keys
// of exactly that region: the region's encoded name is a prefix no other
// region's keys share.
func dropOrphanAnnotations(tx *bolt.Tx, region string, ra *regionAudit) error {
	keep := make(map[model.ReturnKey]bool, len(ra.Returns))
	for i := range ra.Returns {
		keep[ra.Returns[i].Key()] = true
	}
	prefix := regionPrefix(region)
	for _, b := range []*bolt.Bucket{tx.Bucket(bucketAnn), tx.Bucket(bucketAnnHistory)} {
		var stale [][]byte
		c := b.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			rk, _, err := splitAnnKey(k)
			if err != nil {
				return fmt.Errorf("annotation key %x: %v (run charter check)", k, err)
			}
			if rk.Region == region && !keep[rk] {
				stale = append(stale, append([]byte(nil), k...))
			}
		}
		for _, k := range stale {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
	}
	return nil
}

// storedAnnotation is an annotation with the key of its return, so that a
// scan of the bucket can tell which return each belongs to.
type storedAnnotation struct {
	Key model.ReturnKey `json:"key"`
	model.Annotation
}

// Audit returns every region's data with annotations filled in.
func (db *DB) Audit() (*model.Audit, error) {
	a := &model.Audit{}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		regions, err := regionList(tx)
		if err != nil {
			return err
		}
		anns := map[model.ReturnKey]model.Annotation{}
		err = tx.Bucket(bucketAnn).ForEach(func(k, v []byte) error {
			var sa storedAnnotation
			if err := json.Unmarshal(v, &sa); err != nil {
				return fmt.Errorf("decode annotation %q: %w", k, err)
			}
			anns[sa.Key] = sa.Annotation
			return nil
		})
		if err != nil {
			return err
		}
		b := tx.Bucket(bucketAudit)
		for _, name := range regions {
			var ra regionAudit
			if _, err := getJSON(b, []byte(name), &ra); err != nil {
				return err
			}
			a.Regions = append(a.Regions, name)
			a.Respondents = append(a.Respondents, ra.Respondents...)
			a.Questions = append(a.Questions, ra.Questions...)
			for _, r := range ra.Returns {
				r.Annotation = anns[r.Key()]
				a.Returns = append(a.Returns, r)
			}
			a.Comments = append(a.Comments, ra.Comments...)
			a.Pathways = append(a.Pathways, ra.Pathways...)
			a.Summaries = append(a.Summaries, ra.Summaries...)
		}
		return nil
	})
	return a, err
}

// Annotate changes a return's annotation, never its source text.
func (db *DB) Annotate(key model.ReturnKey, version uint64, by string, edit func(*model.Annotation)) (model.Annotation, error) {
	var out model.Annotation
	err := db.update(func(tx *bolt.Tx) error {
		var ra regionAudit
		ok, err := getJSON(tx.Bucket(bucketAudit), []byte(key.Region), &ra)
		if err != nil {
			return err
		}
		if !ok || !ra.hasReturn(key) {
			return fmt.Errorf("store: annotate %s: %w", keyText(key), model.ErrNotFound)
		}
		ann := tx.Bucket(bucketAnn)
		var cur storedAnnotation
		if _, err := getJSON(ann, annKey(key), &cur); err != nil {
			return err
		}
		if cur.Version != version {
			return fmt.Errorf("store: annotate %s (version %d, stored %d): %w", keyText(key), version, cur.Version, model.ErrConflict)
		}
		next := cur.Annotation
		edit(&next)
		next.Comment = strings.TrimSpace(next.Comment)
		if err := validateAnnotation(next); err != nil {
			return fmt.Errorf("store: annotate %s: %w", keyText(key), err)
		}
		changes := annotationDiff(cur.Annotation, next)
		if len(changes) == 0 {
			out = cur.Annotation
			return nil
		}
		now := db.now().UTC()
		next.Version, next.By, next.At = cur.Version+1, by, now
		if err := putJSON(ann, annKey(key), storedAnnotation{Key: key, Annotation: next}); err != nil {
			return err
		}
		hist := tx.Bucket(bucketAnnHistory)
		for i, c := range changes {
			c.Version, c.At, c.By = next.Version, now, by
			if err := putJSON(hist, annHistoryKey(key, next.Version, i), c); err != nil {
				return err
			}
		}
		out = next
		db.publishOnCommit(tx, model.Event{Kind: model.EventAnnotation, Key: key, Version: next.Version, By: by, At: now})
		return nil
	})
	return out, err
}

func validateAnnotation(a model.Annotation) error {
	switch a.Rating {
	case model.RatingNone, model.RatingMeets, model.RatingPartly, model.RatingNotMet:
	default:
		return &model.ValidationError{Fields: []model.FieldError{{Field: "rating", Msg: fmt.Sprintf("%q is not a rating (meets, partly, not_met or empty)", a.Rating)}}}
	}
	if !utf8.ValidString(a.Comment) {
		return &model.ValidationError{Fields: []model.FieldError{{Field: "comment", Msg: "is not valid UTF-8"}}}
	}
	if n := utf8.RuneCountInString(a.Comment); n > model.MaxComment {
		return &model.ValidationError{Fields: []model.FieldError{{Field: "comment", Msg: fmt.Sprintf("is %d characters long; at most %d are allowed", n, model.MaxComment)}}}
	}
	return nil
}

func annotationDiff(old, new model.Annotation) []model.AnnotationChange {
	var out []model.AnnotationChange
	if old.Rating != new.Rating {
		out = append(out, model.AnnotationChange{Field: "rating", Old: string(old.Rating), New: string(new.Rating)})
	}
	if old.Comment != new.Comment {
		out = append(out, model.AnnotationChange{Field: "comment", Old: old.Comment, New: new.Comment})
	}
	if old.GoodPractice != new.GoodPractice {
		out = append(out, model.AnnotationChange{Field: "good_practice", Old: model.YesNo(old.GoodPractice), New: model.YesNo(new.GoodPractice)})
	}
	return out
}

// ReturnHistory lists a return's annotation changes, oldest first.
func (db *DB) ReturnHistory(key model.ReturnKey) ([]model.AnnotationChange, error) {
	var out []model.AnnotationChange
	err := db.bolt.View(func(tx *bolt.Tx) error {
		prefix := annKey(key)
		if db.schema < 2 {
			// A schema-1 file opened read-only is read in its own layout.
			prefix = v1HistoryPrefix(key)
		}
		c := tx.Bucket(bucketAnnHistory).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var ch model.AnnotationChange
			if err := json.Unmarshal(v, &ch); err != nil {
				return fmt.Errorf("decode history of %s: %w", keyText(key), err)
			}
			out = append(out, ch)
		}
		return nil
	})
	return out, err
}

// ImportAudit adds (or, with opt.Update, replaces) the regions in a.
func (db *DB) ImportAudit(a *model.Audit, opt model.ImportOptions, by string) (model.ImportResult, error) {
	return db.importTx(opt, by, func(tx *bolt.Tx) (model.ImportResult, error) {
		var res model.ImportResult
		regions, err := regionList(tx)
		if err != nil {
			return res, err
		}
		have := map[string]bool{}
		for _, r := range regions {
			have[r] = true
		}
		for _, r := range a.Returns {
			if have[r.Region] {
				res.Updated++
			} else {
				res.Created++
			}
		}
		return res, putAudit(tx, a, opt.Update)
	})
}
