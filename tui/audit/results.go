package audit

import (
	"charter/model"
	"charter/tui/auditdata"
	"charter/tui/common"
)

// results are the returns of every region that match the filter.
type results struct {
	retList
	m *model.ReturnMatcher
}

func newResults(st *common.Styles, k keys) *results { return &results{retList: newRetList(st, k)} }

// SetQuery applies a parsed query afresh.
func (r *results) SetQuery(d *auditdata.Data, m *model.ReturnMatcher) {
	r.m = m
	r.words = m.Words()
	r.SetTest(d, func(t *auditdata.ReturnText) bool { return d.Matches(m, t) })
}

// Refresh re-runs the query over new data (the test closes over the data
// it was made with, so it is rebuilt).
func (r *results) Refresh(d *auditdata.Data) {
	if r.m == nil || d == nil {
		return
	}
	m := r.m
	r.test = func(t *auditdata.ReturnText) bool { return d.Matches(m, t) }
	r.retList.Refresh(d)
}

func (r *results) View(h int) string {
	return r.retList.View("Returns matching the filter", "No return matches.", h)
}

// goodList is every return flagged as good practice, across alliances.
type goodList struct{ retList }

func newGoodList(st *common.Styles, k keys) *goodList { return &goodList{newRetList(st, k)} }

func (g *goodList) Open(d *auditdata.Data) {
	g.SetTest(d, func(t *auditdata.ReturnText) bool { return t.Ret.Annotation.GoodPractice })
}

func (g *goodList) View(h int) string {
	return g.retList.View("Good practice across all alliances", "Nothing flagged yet: press p on a return to flag it as good practice.", h)
}
