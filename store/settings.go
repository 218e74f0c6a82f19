package store

import (
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"charter/model"
)

var _ model.SettingsService = (*DB)(nil)

// keyReviewPeriod holds the review period setting in the meta bucket:
// {"months":12,"by":"…","at":"…"}. A database without it uses
// model.DefaultReviewPeriod.
var keyReviewPeriod = []byte("review_period")

// reviewPeriodSetting is the stored form of the review period.
type reviewPeriodSetting struct {
	Months model.ReviewPeriod `json:"months"`
	By     string             `json:"by,omitempty"`
	At     time.Time          `json:"at,omitzero"`
}

// ReviewPeriod returns the database's review period, or the default when
// none was set. A stored value outside the allowed range is an error
// naming the setting, never silently replaced.
func (db *DB) ReviewPeriod() (model.ReviewPeriod, error) {
	p := model.DefaultReviewPeriod
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var set reviewPeriodSetting
		ok, err := getJSON(tx.Bucket(bucketMeta), keyReviewPeriod, &set)
		if err != nil || !ok {
			return err
		}
		if err := set.Months.Validate(); err != nil {
			return fmt.Errorf("store: the stored review period setting: %w", err)
		}
		p = set.Months
		return nil
	})
	return p, err
}

// SetReviewPeriod validates and stores the review period, with who set it
// and when.
func (db *DB) SetReviewPeriod(p model.ReviewPeriod, by string) error {
	if err := p.Validate(); err != nil {
		return fmt.Errorf("store: review period: %w: %w", model.ErrInvalid, err)
	}
	return db.update(func(tx *bolt.Tx) error {
		return putJSON(tx.Bucket(bucketMeta), keyReviewPeriod, reviewPeriodSetting{Months: p, By: by, At: db.now().UTC()})
	})
}
