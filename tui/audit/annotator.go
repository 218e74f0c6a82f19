package audit

import (
	"errors"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"charter/model"
	"charter/tui/auditdata"
	"charter/tui/common"
)

// edit is one change a reviewer asked for: it sets a value (it never
// toggles or cycles), so applying it again, to the store's copy or to a
// re-read one, gives the same result the reviewer saw.
type edit struct {
	key   model.ReturnKey
	apply func(*model.Annotation)
}

// lane is the writes of one return: one in flight, the rest waiting to be
// sent with the version the one before produces.
type lane struct {
	base   model.Annotation // the store's annotation before the first write
	flight edit
	queue  []edit
}

// annotatedMsg is the store's answer to one write.
type annotatedMsg struct {
	common.Owner
	key model.ReturnKey
	ann model.Annotation
	err error
}

// annotator sends a screen's annotation writes: one per return at a time,
// each addressed to its own return and made against the version the
// previous write of that return produced, so a reviewer typing faster
// than the store answers never conflicts with herself. Writes to other
// returns go out at once.
type annotator struct {
	gen   uint64
	svc   model.AuditService
	by    string
	lanes map[model.ReturnKey]*lane
}

func newAnnotator(svc model.AuditService, by string) *annotator {
	return &annotator{gen: common.NextGen(), svc: svc, by: by, lanes: map[model.ReturnKey]*lane{}}
}

// Pending reports writes not yet answered.
func (a *annotator) Pending() bool { return len(a.lanes) > 0 }

// Edit shows e on d at once and sends it, or queues it behind the write
// of the same return that is in flight.
func (a *annotator) Edit(d *auditdata.Data, e edit) tea.Cmd {
	t := d.Row[e.key]
	if t == nil {
		return nil
	}
	before := t.Ret.Annotation
	shown := before
	e.apply(&shown)
	d.SetAnnotation(e.key, shown)
	if l := a.lanes[e.key]; l != nil {
		l.queue = append(l.queue, e)
		return nil
	}
	// With nothing in flight for this return, what is shown is what the
	// store last said, version and all.
	a.lanes[e.key] = &lane{base: before, flight: e}
	return a.send(e, before.Version)
}

func (a *annotator) send(e edit, version uint64) tea.Cmd {
	svc, by, gen := a.svc, a.by, a.gen
	return func() tea.Msg {
		ann, err := svc.Annotate(e.key, version, by, e.apply)
		return annotatedMsg{Owner: common.Owner{Screen: common.ScreenAudit, Gen: gen}, key: e.key, ann: ann, err: err}
	}
}

// Done takes the store's answer: it records the annotation the store
// holds, sends the next queued write of that return with the version the
// store produced, and keeps the queued edits on screen. A failed write
// drops the writes queued behind it (they were made against what failed)
// and shows the store's annotation as it was.
func (a *annotator) Done(d *auditdata.Data, m annotatedMsg) (cmd tea.Cmd, status string, isErr bool) {
	l := a.lanes[m.key]
	if l == nil {
		return nil, "", false
	}
	if m.err != nil {
		delete(a.lanes, m.key)
		if d != nil {
			if t := d.Row[m.key]; t != nil {
				d.SetAnnotation(m.key, l.base)
			}
		}
		lost := ""
		if n := len(l.queue); n > 0 {
			lost = fmt.Sprintf(" (%s not sent)", common.Plural(n, "later change", "later changes"))
		}
		who := model.SanitizeLine(m.key.Respondent)
		switch {
		case errors.Is(m.err, model.ErrReadOnly):
			return nil, "read-only session: not saved", true
		case errors.Is(m.err, model.ErrConflict):
			return nil, "someone else changed " + who + "'s return first; reloaded — try again" + lost, true
		}
		return nil, "not saved: " + who + ": " + model.SanitizeLine(m.err.Error()) + lost, true
	}
	l.base = m.ann
	if d != nil {
		d.SetAnnotation(m.key, a.overlay(m.ann, l.queue))
	}
	status = "saved: " + model.SanitizeLine(m.key.Respondent) + " · " + describe(a.overlay(m.ann, l.queue))
	if len(l.queue) == 0 {
		delete(a.lanes, m.key)
		return nil, status, false
	}
	l.flight, l.queue = l.queue[0], l.queue[1:]
	return a.send(l.flight, m.ann.Version), status, false
}

func (a *annotator) overlay(ann model.Annotation, es []edit) model.Annotation {
	for _, e := range es {
		e.apply(&ann)
	}
	return ann
}

// Overlay shows the writes not yet answered on freshly read data, so a
// re-read never makes the screen go back on what the reviewer did.
func (a *annotator) Overlay(d *auditdata.Data) {
	for k, l := range a.lanes {
		if t := d.Row[k]; t != nil {
			ann := t.Ret.Annotation
			l.flight.apply(&ann)
			d.SetAnnotation(k, a.overlay(ann, l.queue))
		}
	}
}

func describe(a model.Annotation) string {
	s := "rating " + a.Rating.Label()
	if a.GoodPractice {
		s += ", good practice"
	}
	if a.Comment != "" {
		s += ", commented"
	}
	return s
}
