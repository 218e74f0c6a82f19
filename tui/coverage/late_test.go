package coverage

import (
	"errors"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"charter/model"
	"charter/tui/auditdata"
	"charter/tui/common"
	"charter/tui/tuitest"
)

// auditDouble is a model.AuditService whose methods the test supplies:
// slow, failing, or passing through to a real store.
type auditDouble struct {
	audit    func() (*model.Audit, error)
	annotate func(model.ReturnKey, uint64, string, func(*model.Annotation)) (model.Annotation, error)
	history  func(model.ReturnKey) ([]model.AnnotationChange, error)
}

func (d *auditDouble) Audit() (*model.Audit, error) { return d.audit() }
func (d *auditDouble) Annotate(k model.ReturnKey, v uint64, by string, edit func(*model.Annotation)) (model.Annotation, error) {
	return d.annotate(k, v, by, edit)
}
func (d *auditDouble) ReturnHistory(k model.ReturnKey) ([]model.AnnotationChange, error) {
	return d.history(k)
}

// relay stands in for the root and the audit tab around the coverage tab:
// on a change or a resync the audit tab re-reads the audit, and the root
// hands the result to this tab.
type relay struct {
	cov *Screen
	svc model.AuditService
}

func (r *relay) Update(msg tea.Msg) tea.Cmd {
	var reload tea.Cmd
	switch msg.(type) {
	case common.ChangedMsg, common.ResyncMsg:
		reload = auditdata.Load(r.svc)
	}
	if cmd := r.cov.Update(msg); cmd != nil {
		panic("the coverage tab issued a command")
	}
	return reload
}

// Keys pressed before the audit arrives do nothing and break nothing; the
// audit arriving then shows the first section.
func TestLoadArrivesAfterKeys(t *testing.T) {
	db := openStore(t)
	s := New(&common.Options{Audit: db}, common.NewStyles(false))
	s.SetSize(80, 20)
	d := tuitest.Driver{U: &relay{cov: s, svc: db}, Hold: tuitest.Of[auditdata.LoadedMsg]}
	d.Send(common.ResyncMsg{})
	if len(d.Held()) != 1 {
		t.Fatalf("held %d results", len(d.Held()))
	}
	d.Keys("t", "j", "l", "v", "G", "a", "]")
	mustSee(t, s, "Loading the audit…")
	if s.Summary() != "" {
		t.Fatalf("summary before the audit: %q", s.Summary())
	}
	d.Release(nil)
	mustSee(t, s, "Civic Society · ROM", "▸ ROM · Q1:")
}

// A second read (after a rating by someone else) keeps the section, the
// selected cell and the view, and shows the new rating.
func TestSecondLoadKeepsThePlace(t *testing.T) {
	db := openStore(t)
	s := newScreen(t, db, 80, 20)
	d := tuitest.Driver{U: &relay{cov: s, svc: db}, Hold: tuitest.Of[auditdata.LoadedMsg]}
	d.Keys("t", "l", "l", "j", "j", "j", "j", "j")
	mustSee(t, s, "Featherstone        –  –  ✓", "▸ Featherstone · Q3: answered")
	key := model.ReturnKey{Region: "West Midlands", QuestionID: "civic-prison-3", Respondent: "Featherstone"}
	if _, err := db.Annotate(key, 0, "sam", func(a *model.Annotation) { a.Rating = model.RatingMeets }); err != nil {
		t.Fatal(err)
	}
	d.Send(common.ChangedMsg{Event: model.Event{Kind: model.EventAnnotation, Key: key}})
	// The reader moves on before the new read arrives.
	d.Keys("j")
	mustSee(t, s, "▸ Hewell Grange · Q3: answered")
	d.Release(nil)
	mustSee(t, s, "Civic Society · Prison", "Featherstone        –  –  M", "▸ Hewell Grange · Q3: answered")
	// The same read delivered again changes nothing.
	before := frame(s)
	s.Update(loaded(t, db))
	if frame(s) != before {
		t.Fatalf("a repeated read changed the frame:\n%s", frame(s))
	}
	// On the matrix, a new read leaves the matrix where it was.
	d.Keys("v", "j", "j")
	atMatrix := frame(s)
	d.Send(common.ResyncMsg{})
	d.Release(nil)
	if frame(s) != atMatrix {
		t.Fatalf("a new read moved the matrix:\n%s", frame(s))
	}
}

// A read that fails before any succeeded says so; one that fails later
// keeps what was read and says that the re-read failed; the next good read
// clears it. The double is slow as well, as a busy disk is.
func TestFailingAndSlowReads(t *testing.T) {
	db := openStore(t)
	var fail atomic.Bool
	fail.Store(true)
	svc := &auditDouble{audit: func() (*model.Audit, error) {
		time.Sleep(20 * time.Millisecond)
		if fail.Load() {
			return nil, errors.New("database busy\x1b[2J")
		}
		return db.Audit()
	}}
	s := New(&common.Options{Audit: svc}, common.NewStyles(true))
	s.SetSize(80, 20)
	d := tuitest.Driver{U: &relay{cov: s, svc: svc}}
	d.Send(common.ResyncMsg{})
	mustSee(t, s, "Could not read the audit: database busy")
	fail.Store(false)
	d.Send(common.ResyncMsg{})
	d.Keys("t")
	mustSee(t, s, "Civic Society · Prison")
	mustNotSee(t, s, "Could not")
	fail.Store(true)
	d.Send(common.ResyncMsg{})
	mustSee(t, s, "Could not re-read the audit: database busy", "Civic Society · Prison")
	checkFits(t, s)
	fail.Store(false)
	d.Send(common.ChangedMsg{Event: model.Event{Kind: model.EventImport}})
	mustNotSee(t, s, "Could not")
	mustSee(t, s, "Civic Society · Prison")
	for _, f := range []string{s.View()} {
		if containsControl(f, true) {
			t.Fatalf("the error's escape reached the frame: %q", f)
		}
	}
}

// Reads delivered newest first: the tab shows whichever arrives last and
// never fails on the way, whatever section was chosen in between.
func TestReadsOutOfOrder(t *testing.T) {
	db := openStore(t)
	s := newScreen(t, db, 80, 20)
	d := tuitest.Driver{U: &relay{cov: s, svc: db}, Hold: tuitest.Of[auditdata.LoadedMsg]}
	d.Send(common.ResyncMsg{})
	d.Keys("a", "t")
	d.Send(common.ResyncMsg{})
	d.Keys("a", "a", "G", "l")
	d.ReleaseReversed()
	mustSee(t, s, "Corporate · ", "▸ ROM · Q2:")
}

// A database without audit data says so, and the matrix too.
func TestNoAuditData(t *testing.T) {
	s := New(&common.Options{}, common.NewStyles(true))
	s.SetSize(80, 20)
	s.Update(auditdata.LoadedMsg{Data: auditdata.Index(&model.Audit{})})
	press(s, "t", "j", "l", "]")
	mustSee(t, s, "The database holds no audit data")
	press(s, "v")
	mustSee(t, s, "No pathway matrix in the data.")
}
