package audit

import (
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"charter/model"
	"charter/store"
	"charter/tui/common"
	"charter/tui/tuitest"
)

var testNow = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// The screen's area at 80×24: the root takes a header line, the key hints
// and the status bar.
const testW, testH = 80, 21

func openStore(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "t.db"), store.Options{Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// fakeAudit is a function-field double of model.AuditService: each field
// left nil falls through to Next.
type fakeAudit struct {
	Next       model.AuditService
	AuditFn    func() (*model.Audit, error)
	AnnotateFn func(k model.ReturnKey, v uint64, by string, edit func(*model.Annotation)) (model.Annotation, error)
	HistoryFn  func(k model.ReturnKey) ([]model.AnnotationChange, error)

	mu    sync.Mutex
	calls []annCall
}

type annCall struct {
	Key     model.ReturnKey
	Version uint64
}

func (f *fakeAudit) Audit() (*model.Audit, error) {
	if f.AuditFn != nil {
		return f.AuditFn()
	}
	return f.Next.Audit()
}

func (f *fakeAudit) Annotate(k model.ReturnKey, v uint64, by string, edit func(*model.Annotation)) (model.Annotation, error) {
	f.mu.Lock()
	f.calls = append(f.calls, annCall{k, v})
	f.mu.Unlock()
	if f.AnnotateFn != nil {
		return f.AnnotateFn(k, v, by, edit)
	}
	return f.Next.Annotate(k, v, by, edit)
}

func (f *fakeAudit) ReturnHistory(k model.ReturnKey) ([]model.AnnotationChange, error) {
	if f.HistoryFn != nil {
		return f.HistoryFn(k)
	}
	return f.Next.ReturnHistory(k)
}

// rec sits between the driver and the screen and keeps the status lines.
// With events set, each write the store answers is followed by its change
// event, as the root delivers the store's events to every screen.
type rec struct {
	s      *Screen
	status []common.StatusMsg
	events bool
}

func (r *rec) Update(msg tea.Msg) tea.Cmd {
	if m, ok := msg.(common.StatusMsg); ok {
		r.status = append(r.status, m)
		return nil
	}
	cmd := r.s.Update(msg)
	if m, ok := msg.(annotatedMsg); ok && r.events && m.err == nil {
		ev := common.ChangedMsg{Event: model.Event{Kind: model.EventAnnotation, Key: m.key}}
		return tea.Batch(cmd, func() tea.Msg { return ev })
	}
	return cmd
}

func (r *rec) errors() []string {
	var out []string
	for _, m := range r.status {
		if m.Err {
			out = append(out, m.Text)
		}
	}
	return out
}

type harness struct {
	t *testing.T
	s *Screen
	r *rec
	d *tuitest.Driver
}

func newHarness(t *testing.T, svc model.AuditService, mut ...func(*common.Options)) *harness {
	t.Helper()
	o := &common.Options{Audit: svc, Reviewer: "tester", Now: func() time.Time { return testNow }}
	for _, m := range mut {
		m(o)
	}
	s := New(o, common.NewStyles(true))
	s.SetSize(testW, testH)
	r := &rec{s: s}
	h := &harness{t: t, s: s, r: r, d: &tuitest.Driver{U: r}}
	for _, m := range tuitest.Run(s.Init()) {
		h.d.Send(m)
	}
	return h
}

func (h *harness) keys(ks ...string) { h.d.Keys(ks...) }

func (h *harness) screen() string { return tuitest.Plain(h.s.View()) }

func (h *harness) mustSee(want ...string) {
	h.t.Helper()
	s := h.screen()
	for _, w := range want {
		if !strings.Contains(s, w) {
			h.t.Fatalf("screen lacks %q:\n%s", w, s)
		}
	}
}

func (h *harness) mustNotSee(want ...string) {
	h.t.Helper()
	s := h.screen()
	for _, w := range want {
		if strings.Contains(s, w) {
			h.t.Fatalf("screen shows %q:\n%s", w, s)
		}
	}
}

func (h *harness) sectionName() string {
	sec, _ := h.s.section()
	return string(sec.Alliance) + strand(sec) + " · " + string(sec.Kind)
}

func strand(sec model.Section) string {
	if sec.Strand != model.StrandNone {
		return " · " + string(sec.Strand)
	}
	return ""
}

// annotation reads a return's annotation from the store.
func annotation(t *testing.T, svc model.AuditService, k model.ReturnKey) model.Annotation {
	t.Helper()
	a, err := svc.Audit()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range a.Returns {
		if r.Key() == k {
			return r.Annotation
		}
	}
	t.Fatalf("no return %v", k)
	return model.Annotation{}
}

func wm(q, resp string) model.ReturnKey {
	return model.ReturnKey{Region: "West Midlands", QuestionID: q, Respondent: resp}
}
