package signatories

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"charter/model"
	"charter/store"
	"charter/tui/common"
	"charter/tui/tuitest"
)

var testNow = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// openStore opens a fresh database file in a temporary directory.
func openStore(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "t.db"), store.Options{NoSeed: true, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// service is a function-field double of model.SignatoryService: each
// method calls its field, which wrap points at a real store; a test
// replaces one to make it fail or watch it.
type service struct {
	SignatoryFn        func(id uint64) (model.Signatory, error)
	SignatoryPageFn    func(after uint64, limit int) ([]model.Signatory, error)
	SignatoriesFn      func() ([]model.Signatory, error)
	CreateSignatoryFn  func(s *model.Signatory, by string) error
	UpdateSignatoryFn  func(s *model.Signatory, by string) error
	DeleteSignatoryFn  func(id, version uint64, by string) error
	SignatoryHistoryFn func(id uint64) ([]model.Change, error)
	TierCountsFn       func() (model.TierCounts, error)
	CountSignatoriesFn func() (int, error)
}

var _ model.SignatoryService = (*service)(nil)

func wrap(db model.SignatoryService) *service {
	return &service{
		SignatoryFn:        db.Signatory,
		SignatoryPageFn:    db.SignatoryPage,
		SignatoriesFn:      db.Signatories,
		CreateSignatoryFn:  db.CreateSignatory,
		UpdateSignatoryFn:  db.UpdateSignatory,
		DeleteSignatoryFn:  db.DeleteSignatory,
		SignatoryHistoryFn: db.SignatoryHistory,
		TierCountsFn:       db.TierCounts,
		CountSignatoriesFn: db.CountSignatories,
	}
}

func (s *service) Signatory(id uint64) (model.Signatory, error) { return s.SignatoryFn(id) }
func (s *service) SignatoryPage(after uint64, limit int) ([]model.Signatory, error) {
	return s.SignatoryPageFn(after, limit)
}
func (s *service) Signatories() ([]model.Signatory, error) { return s.SignatoriesFn() }
func (s *service) CreateSignatory(x *model.Signatory, by string) error {
	return s.CreateSignatoryFn(x, by)
}
func (s *service) UpdateSignatory(x *model.Signatory, by string) error {
	return s.UpdateSignatoryFn(x, by)
}
func (s *service) DeleteSignatory(id, v uint64, by string) error {
	return s.DeleteSignatoryFn(id, v, by)
}
func (s *service) SignatoryHistory(id uint64) ([]model.Change, error) {
	return s.SignatoryHistoryFn(id)
}
func (s *service) TierCounts() (model.TierCounts, error) { return s.TierCountsFn() }
func (s *service) CountSignatories() (int, error)        { return s.CountSignatoriesFn() }

// host stands in for the root: it keeps the status line and passes
// everything else to the screen.
type host struct {
	s      *Screen
	status common.StatusMsg
}

// startMsg asks the host to start the screen, so the driver sees (and
// may hold) the first loads like any other result.
type startMsg struct{}

func (h *host) Update(msg tea.Msg) tea.Cmd {
	if _, ok := msg.(startMsg); ok {
		return h.s.Init()
	}
	if st, ok := msg.(common.StatusMsg); ok {
		h.status = st
		return nil
	}
	return h.s.Update(msg)
}

// harness drives a screen through tuitest.Driver.
type harness struct {
	t   testing.TB
	svc *service
	db  *store.DB
	s   *Screen
	h   *host
	d   *tuitest.Driver
}

func newHarness(t testing.TB, db *store.DB, mutate ...func(*common.Options)) *harness {
	t.Helper()
	return newHarnessHold(t, db, nil, mutate...)
}

// newHarnessHold starts a screen whose driver holds the results hold
// picks, from the first load on.
func newHarnessHold(t testing.TB, db *store.DB, hold func(tea.Msg) bool, mutate ...func(*common.Options)) *harness {
	t.Helper()
	svc := wrap(db)
	o := &common.Options{Signatories: svc, Reviewer: "tester", Now: func() time.Time { return testNow }}
	for _, m := range mutate {
		m(o)
	}
	s := New(o, common.NewStyles(true))
	s.SetSize(80, 21)
	h := &host{s: s}
	hr := &harness{t: t, svc: svc, db: db, s: s, h: h, d: &tuitest.Driver{U: h, Hold: hold}}
	hr.d.Send(startMsg{})
	return hr
}

func (h *harness) keys(ks ...string) { h.d.Keys(ks...) }

func (h *harness) typeText(s string) { h.d.Keys("type:" + s) }

func (h *harness) send(msg tea.Msg) { h.d.Send(msg) }

// screen is the frame as a person reads it, with the status line the root
// would draw under it.
func (h *harness) screen() string {
	st := h.h.status.Text
	if h.h.status.Err {
		st = "error: " + st
	}
	return tuitest.Plain(common.FitHeight(h.s.View(), 21, 80)) + "\n── " + model.SanitizeLine(st) + " │ " + h.s.Summary()
}

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

// tableOrgs lists the organisations in view, in order.
func (h *harness) tableOrgs() []string {
	var out []string
	for i := 0; i < h.s.table.idx.Len(); i++ {
		out = append(out, h.s.table.idx.At(i).Sig.Organisation)
	}
	return out
}

func mkSig(org, area string, n int, status model.ReviewStatus, vacancy bool) model.Signatory {
	s := model.Signatory{Organisation: org, Sector: model.SectorPrivate, Region: "West Midlands", LocalArea: area,
		SignedOn: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC), ReviewStatus: status, VacancyStatement: vacancy,
		ContactName: "Ann Example", SignedBy: "Ann Example"}
	for i := 0; i < n; i++ {
		s.Commitments = s.Commitments.With(model.Commitment(i))
	}
	return s
}

func seedSigs(t testing.TB, db *store.DB, rows ...model.Signatory) {
	t.Helper()
	if _, err := db.ImportSignatories(rows, model.ImportOptions{}, "seed"); err != nil {
		t.Fatal(err)
	}
}

func sampleRows() []model.Signatory {
	return []model.Signatory{
		mkSig("Dudley Printing Works", "Dudley", 4, model.StatusPending, true),
		mkSig("Walsall Bakery", "Walsall", 1, model.StatusVerified, true),
		mkSig("Dudley Council Depot", "Dudley", 0, model.StatusNeedsInfo, false),
		mkSig("Coventry Printers", "Coventry", 3, model.StatusPending, true),
		mkSig("Aston Joinery", "Birmingham", 2, model.StatusVerified, false),
	}
}

// openOrg filters the table to one organisation and opens it.
func openOrg(h *harness, org string) {
	h.keys("/")
	h.typeText(org)
	h.keys("enter", "enter")
	if h.s.form == nil {
		h.t.Fatalf("no form for %q:\n%s", org, h.screen())
	}
}

// focusCommitment moves the form's focus to a commitment.
func focusCommitment(h *harness, c model.Commitment) {
	f := h.s.form
	for i := 0; i < 40 && !(f.focused().kind == itemCommitment && f.focused().commitment == c); i++ {
		h.keys("tab")
	}
}

// focusField moves the form's focus to a field.
func focusField(h *harness, field string) {
	f := h.s.form
	for i := 0; i < 40 && f.focused().field != field; i++ {
		h.keys("tab")
	}
	if f.focused().field != field {
		h.t.Fatalf("no field %s", field)
	}
}

func stored(t testing.TB, db *store.DB, id uint64) model.Signatory {
	t.Helper()
	s, err := db.Signatory(id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// idOf finds a seeded record by organisation.
func idOf(t testing.TB, db *store.DB, org string) uint64 {
	t.Helper()
	all, err := db.Signatories()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range all {
		if s.Organisation == org {
			return s.ID
		}
	}
	t.Fatalf("no %q", org)
	return 0
}
