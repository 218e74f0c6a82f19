package signatories

import (
	"fmt"
	"testing"
	"time"

	"charter/model"
	"charter/tui/common"
	"charter/tui/tuitest"
)

// memService is a service double over records in memory: the help checks
// build a screen per key and need no database for it.
func memService(recs []model.Signatory, hist []model.Change) *service {
	for i := range recs {
		recs[i].ID, recs[i].Version = uint64(i+1), 1
	}
	counts := func() (model.TierCounts, error) {
		var c model.TierCounts
		for i := range recs {
			c.Add(&recs[i], 1)
		}
		return c, nil
	}
	return &service{
		SignatoryFn: func(id uint64) (model.Signatory, error) {
			if id == 0 || id > uint64(len(recs)) {
				return model.Signatory{}, model.ErrNotFound
			}
			return recs[id-1], nil
		},
		SignatoryPageFn: func(after uint64, limit int) ([]model.Signatory, error) {
			var out []model.Signatory
			for _, s := range recs {
				if s.ID > after && len(out) < limit {
					out = append(out, s)
				}
			}
			return out, nil
		},
		SignatoriesFn: func() ([]model.Signatory, error) { return recs, nil },
		CreateSignatoryFn: func(s *model.Signatory, by string) error {
			s.ID, s.Version = 99, 1
			return nil
		},
		UpdateSignatoryFn:  func(s *model.Signatory, by string) error { s.Version++; return nil },
		DeleteSignatoryFn:  func(id, v uint64, by string) error { return nil },
		SignatoryHistoryFn: func(uint64) ([]model.Change, error) { return hist, nil },
		TierCountsFn:       counts,
		CountSignatoriesFn: func() (int, error) { return len(recs), nil },
	}
}

// screenIn builds a screen over the sample records and brings it to a
// state with keys, every result delivered.
func screenIn(svc *service, keys ...string) tuitest.Component {
	return screenWith(&common.Options{Signatories: svc, Reviewer: "tester", Now: func() time.Time { return testNow }}, keys...)
}

func screenWith(o *common.Options, keys ...string) tuitest.Component {
	s := New(o, common.NewStyles(true))
	s.SetSize(80, 21)
	d := &tuitest.Driver{U: &host{s: s}}
	d.Send(startMsg{})
	d.Keys(keys...)
	return s
}

func TestHelpMatchesKeys(t *testing.T) {
	var hist []model.Change
	for v := 1; v <= 30; v++ {
		hist = append(hist, model.Change{Version: uint64(v), At: testNow, By: "sam", Action: model.ActionUpdate,
			Fields: []model.FieldChange{{Field: model.FieldNotes, Old: fmt.Sprint(v - 1), New: fmt.Sprint(v)}}})
	}
	svc := func() *service { return memService(sampleRows(), hist) }
	// The root keeps ctrl+c (it asks first if Unsaved), and tab, q, 1 2 3
	// and ? outside text fields and the form.
	root := tuitest.RootKeys
	toCommitment := []string{"enter"}
	for i := 0; i < 13; i++ {
		toCommitment = append(toCommitment, "tab")
	}
	cases := []struct {
		name string
		c    tuitest.HelpCheck
	}{
		{"table", tuitest.HelpCheck{Build: func() tuitest.Component { return screenIn(svc(), "j", "j") }, Skip: root}},
		{"filter bar", tuitest.HelpCheck{Build: func() tuitest.Component { return screenIn(svc(), "/") }, Skip: root, Typing: true}},
		{"table with a filter", tuitest.HelpCheck{Build: func() tuitest.Component { return screenIn(svc(), "/", "type:o", "enter", "j") }, Skip: root}},
		{"form on a text field", tuitest.HelpCheck{Build: func() tuitest.Component { return screenIn(svc(), "enter") }, Skip: []string{"ctrl+c"}, Typing: true}},
		{"form on the notes", tuitest.HelpCheck{Build: func() tuitest.Component {
			return screenIn(svc(), toCommitment[:12]...) // enter, then 11 tabs: the notes
		}, Skip: []string{"ctrl+c"}, Typing: true}},
		{"form on a choice", tuitest.HelpCheck{Build: func() tuitest.Component { return screenIn(svc(), "enter", "tab", "tab", "tab") }, Skip: []string{"ctrl+c"}}},
		{"form on a commitment", tuitest.HelpCheck{Build: func() tuitest.Component { return screenIn(svc(), toCommitment...) }, Skip: []string{"ctrl+c"}}},
		{"form's keys", tuitest.HelpCheck{Build: func() tuitest.Component { return screenIn(svc(), append(toCommitment, "?")...) }, Skip: []string{"ctrl+c"}}},
		{"discard question", tuitest.HelpCheck{Build: func() tuitest.Component { return screenIn(svc(), append(toCommitment, "space", "esc")...) }, Skip: []string{"ctrl+c"}}},
		{"read-only form on a text field", tuitest.HelpCheck{Build: func() tuitest.Component {
			return screenWith(&common.Options{Signatories: svc(), ReadOnly: true, Now: func() time.Time { return testNow }}, "enter", "tab")
		}, Skip: []string{"ctrl+c"}}},
		{"history", tuitest.HelpCheck{Build: func() tuitest.Component { return screenIn(svc(), "enter", "ctrl+r", "j") }, Skip: []string{"ctrl+c"}}},
		{"conflict", tuitest.HelpCheck{Build: func() tuitest.Component {
			s := svc()
			s.UpdateSignatoryFn = func(*model.Signatory, string) error { return model.ErrConflict }
			return screenIn(s, append(toCommitment, "space", "ctrl+s")...)
		}, Skip: []string{"ctrl+c"}, Idle: []string{"up", "down"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { tuitest.CheckHelp(t, c.name, c.c) })
	}
}
