package audit

import (
	"encoding/json"
	"testing"
	"time"

	"charter/model"
	"charter/tui/common"
	"charter/tui/tuitest"
)

// snapshot serves one read of the audit, copied afresh each time, so the
// help checks build hundreds of screens without re-reading the store.
func snapshot(t *testing.T, db model.AuditService) *fakeAudit {
	t.Helper()
	a, err := db.Audit()
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(a)
	return &fakeAudit{
		AuditFn: func() (*model.Audit, error) {
			var c model.Audit
			err := json.Unmarshal(raw, &c)
			return &c, err
		},
		AnnotateFn: func(k model.ReturnKey, v uint64, by string, e func(*model.Annotation)) (model.Annotation, error) {
			var a model.Annotation
			e(&a)
			a.Version = v + 1
			return a, nil
		},
		HistoryFn: func(model.ReturnKey) ([]model.AnnotationChange, error) {
			return []model.AnnotationChange{{Version: 1, At: testNow, By: "sam", Field: "rating", New: "meets"}}, nil
		},
	}
}

// Every state of the screen: each key its help shows acts, and no key it
// does not show does anything.
func TestHelpMatchesWhatKeysDo(t *testing.T) {
	db := openStore(t)
	if _, err := db.Annotate(wm("civic-prison-1", "Hewell Grange"), 0, "sam", func(a *model.Annotation) { a.GoodPractice = true }); err != nil {
		t.Fatal(err)
	}
	snap := snapshot(t, db)
	slow := &fakeAudit{AuditFn: func() (*model.Audit, error) { time.Sleep(time.Hour); return nil, nil }}
	states := []struct {
		name   string
		svc    model.AuditService
		ro     bool
		keys   []string
		idle   []string
		typing bool
		noInit bool
		open   string // a dossier another tab asks for
		editor string // the reviewer's own editor command
	}{
		{name: "loading", svc: slow, noInit: true},
		{name: "questions", keys: nil, idle: []string{"up", "k", "pgup", "ctrl+u", "g", "home"}},
		{name: "questions, bottom", keys: []string{"G"}, idle: []string{"down", "j", "pgdown", "ctrl+d", "G", "end"}},
		{name: "section without questions", keys: []string{"a", "t"}},
		{name: "reader", keys: []string{"t", "j", "j", "enter"}, idle: []string{"up", "k", "pgup", "ctrl+u", "g", "home"}},
		{name: "reader, read-only", ro: true, keys: []string{"t", "j", "j", "enter", "j"}, idle: []string{"pgup", "ctrl+u"}},
		{name: "reader, whole benchmark", keys: []string{"t", "j", "j", "enter", "b", "G"}, idle: []string{"down", "j", "G", "end", "pgdown", "ctrl+d"}},
		{name: "results", keys: []string{"/", "type:alliance:civic", "enter", "j"}, idle: []string{"pgup", "ctrl+u"}},
		{name: "reader, benchmark hidden", keys: []string{"t", "j", "j", "enter", "b", "b"}, idle: []string{"up", "k", "pgup", "ctrl+u", "g", "home"}},
		{name: "reader, no return", keys: []string{"t", "j", "j", "enter", "G"}, idle: []string{"down", "j", "G", "end", "pgdown", "ctrl+d"}},
		{name: "results, free words", keys: []string{"/", "type:prison", "enter", "j"}},
		{name: "results, long text", keys: []string{"/", "type:alliance:corporate", "enter", "G"}, idle: []string{"down", "j", "G", "end", "pgup", "ctrl+u"}},
		{name: "results, none", keys: []string{"/", "type:zzzzz", "enter"}},
		{name: "good practice", keys: []string{"P"}, idle: []string{"up", "k", "pgup", "ctrl+u", "g", "home", "down", "j", "pgdown", "ctrl+d", "G", "end"}},
		{name: "regional comments", keys: []string{"m"}, idle: []string{"up", "k", "pgup", "ctrl+u", "g", "home"}},
		{name: "history", keys: []string{"t", "enter", "h"}},
		{name: "dossier", keys: []string{"/", "type:prison:featherstone", "enter", "D"}, idle: []string{"up", "k", "pgup", "ctrl+u", "g", "home"}},
		{name: "dossier, unknown name", open: "Featherstne"},
		{name: "reader, after a change (undo)", keys: []string{"t", "enter", "y"}, idle: []string{"up", "k", "pgup", "ctrl+u", "g", "home", "y"}},
		{name: "history after a change", keys: []string{"t", "enter", "y", "h"}},
		{name: "comment editor", keys: []string{"t", "enter", "c"}, typing: true},
		{name: "comment editor, with $EDITOR", editor: "true", keys: []string{"t", "enter", "c"}, typing: true},
		{name: "filter bar", keys: []string{"/"}, typing: true},
	}
	for _, st := range states {
		st := st
		t.Run(st.name, func(t *testing.T) {
			svc := st.svc
			if svc == nil {
				svc = snap
			}
			tuitest.CheckHelp(t, st.name, tuitest.HelpCheck{
				Build: func() tuitest.Component {
					if st.noInit {
						s := New(&common.Options{Audit: svc}, common.NewStyles(true))
						s.SetSize(testW, testH)
						return s
					}
					h := newHarness(t, svc, func(o *common.Options) { o.ReadOnly = st.ro; o.Editor = st.editor })
					h.keys(st.keys...)
					if st.open != "" {
						h.d.Send(common.OpenDossierMsg{Name: st.open})
					}
					return h.s
				},
				Skip:   tuitest.RootKeys,
				Idle:   st.idle,
				Typing: st.typing,
			})
		})
	}
}
