package model_test

import (
	"fmt"
	"strings"
	"testing"

	"charter/model"
	"charter/store/dataset"
)

// matched lists "alliance|Qorder|respondent" of every embedded return the
// query keeps, compiled with the dataset's names register.
func matched(t *testing.T, query string) []string {
	t.Helper()
	a, reg, err := dataset.AuditAndNames()
	if err != nil {
		t.Fatal(err)
	}
	qs := map[string]*model.Question{}
	for i := range a.Questions {
		q := &a.Questions[i]
		qs[q.Region+"\x00"+q.ID] = q
	}
	q, err := model.ParseQuery(query)
	if err != nil {
		t.Fatalf("%q: %v", query, err)
	}
	m, err := q.ForReturnsIn(reg)
	if err != nil {
		t.Fatalf("%q: %v", query, err)
	}
	var out []string
	for i := range a.Returns {
		r := &a.Returns[i]
		qq := qs[r.Region+"\x00"+r.QuestionID]
		if m.Match(r, qq, nil, model.ReturnHaystack(r, qq, nil)) {
			out = append(out, fmt.Sprintf("%s|Q%d|%s", r.Alliance, qq.Order, r.Respondent))
		}
	}
	return out
}

func TestReturnFiltersThroughKindsAndTheRegister(t *testing.T) {
	civic := func(who string) []string {
		var out []string
		for i := 1; i <= 7; i++ {
			out = append(out, fmt.Sprintf("Civic Society|Q%d|%s", i, who))
		}
		return out
	}
	tests := []struct {
		query string
		want  []string
	}{
		// The five questions of Corporate's PRISONS IN THE REGION part
		// (source lines under that sub-heading: Q10 to Q14).
		{"alliance:corporate kind:prison", []string{"Corporate|Q10|ROM", "Corporate|Q11|ROM", "Corporate|Q12|ROM", "Corporate|Q13|ROM", "Corporate|Q14|ROM"}},
		// kind:rom reaches the ROM-level part (Q1 to Q9), the prisons'
		// part none of it.
		{"alliance:corporate kind:rom", []string{"Corporate|Q1|ROM", "Corporate|Q2|ROM", "Corporate|Q3|ROM", "Corporate|Q4|ROM", "Corporate|Q5|ROM", "Corporate|Q6|ROM", "Corporate|Q7|ROM", "Corporate|Q8|ROM", "Corporate|Q9|ROM"}},
		// PROBATION AREAS: Q15 to Q18.
		{"alliance:corporate kind:probation", []string{"Corporate|Q15|ROM", "Corporate|Q16|ROM", "Corporate|Q17|ROM", "Corporate|Q18|ROM"}},
		// Featherstone's own 7 Civic returns, Corporate Q9 (the Chai Ltd
		// link, a register reference) and Q13 (the Streetworks initiative
		// at Featherstone).
		{"prison:featherstone", append(civic("Featherstone"), "Corporate|Q9|ROM", "Corporate|Q13|ROM")},
		// The matrix spelling finds what the canonical one finds: the 7
		// Civic returns, the Faith return naming it and Corporate's
		// "Blakenhurst, Brockhill and Hewell Grange are working together".
		{"prison:hewll", append(civic("Hewell Grange")[:7:7], "Faith & VCS|Q1|All West Midlands prisons", "Corporate|Q11|ROM")},
		{"prison:hewell", append(civic("Hewell Grange")[:7:7], "Faith & VCS|Q1|All West Midlands prisons", "Corporate|Q11|ROM")},
		// prison: is prisons only: a probation area's name finds nothing.
		{"prison:staffordshire", nil},
	}
	for _, tt := range tests {
		got := matched(t, tt.query)
		if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
			t.Errorf("%s:\n got  %q\n want %q", tt.query, got, tt.want)
		}
	}
	// Both spellings find the very same returns.
	if a, b := matched(t, "prison:hewll"), matched(t, "prison:hewell"); strings.Join(a, ",") != strings.Join(b, ",") {
		t.Errorf("prison:hewll %v and prison:hewell %v differ", a, b)
	}
}

// Without a register (an imported region) prison: and respondent: still
// match the respondent's own name, and kind: still reaches a combined
// assessment's part through its question.
func TestReturnFiltersWithoutRegister(t *testing.T) {
	sec := model.Section{Region: "Elsewhere", Alliance: model.AllianceCorporate, Kind: model.KindCombined}
	q := &model.Question{Section: sec, ID: "q1", Group: model.GroupPrisons}
	r := &model.Return{Section: model.Section{Region: "Elsewhere", Kind: model.KindPrison}, QuestionID: "q1", Respondent: "HMP Northgate"}
	c := &model.Return{Section: sec, QuestionID: "q1", Respondent: "ROM"}
	tests := []struct {
		query    string
		ret      *model.Return
		question *model.Question
		want     bool
	}{
		{"prison:northgate", r, q, true},
		{"respondent:northg", r, q, true},
		{"prison:southgate", r, q, false},
		{"kind:prison", c, q, true},
		{"kind:prison", c, nil, false}, // no question: its part is unknown
		{"kind:probation", c, q, false},
		{"-kind:prison", c, q, false},
		{"kind:combined", c, q, true},
	}
	for _, tt := range tests {
		pq, err := model.ParseQuery(tt.query)
		if err != nil {
			t.Fatal(err)
		}
		m, err := pq.ForReturns()
		if err != nil {
			t.Fatal(err)
		}
		if got := m.Match(tt.ret, tt.question, nil, model.ReturnHaystack(tt.ret, tt.question, nil)); got != tt.want {
			t.Errorf("%s on %s (question %v): %v, want %v", tt.query, tt.ret.Respondent, tt.question != nil, got, tt.want)
		}
	}
}

// kind: values name kinds by prefix, so a longer value does not always
// select fewer returns: Narrows must not claim it does.
func TestKindTermsNarrowOnlyWhenEqual(t *testing.T) {
	if model.QueryNarrows("kind:rison", "kind:prison") {
		t.Error(`kind:prison narrows kind:rison, yet "rison" names no kind and "prison" one`)
	}
	if !model.QueryNarrows("kind:prison", "kind:prison rating:meets") {
		t.Error("adding a term to the same kind: term must narrow")
	}
}

// Every spelling the register holds finds the establishment's or area's
// own returns; prison: keeps no more than respondent: with the same
// value; and a longer value keeps no more than a shorter one it contains
// (what Narrows relies on).
func TestEveryRegisterSpellingFindsItsOwnReturns(t *testing.T) {
	a, reg, err := dataset.AuditAndNames()
	if err != nil {
		t.Fatal(err)
	}
	qs := map[string]*model.Question{}
	for i := range a.Questions {
		qs[a.Questions[i].Region+"\x00"+a.Questions[i].ID] = &a.Questions[i]
	}
	keep := func(query string) map[int]bool {
		q, err := model.ParseQuery(query)
		if err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		m, err := q.ForReturnsIn(reg)
		if err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		out := map[int]bool{}
		for i := range a.Returns {
			r := &a.Returns[i]
			if m.Match(r, qs[r.Region+"\x00"+r.QuestionID], nil, model.ReturnHaystack(r, nil, nil)) {
				out[i] = true
			}
		}
		return out
	}
	subset := func(x, y map[int]bool) bool {
		for i := range x {
			if !y[i] {
				return false
			}
		}
		return true
	}
	checked := 0
	for _, e := range reg.Entries() {
		key := "respondent"
		if e.Kind == model.NamePrison {
			key = "prison"
		}
		for _, n := range e.Names() {
			v := model.FoldName(n)
			got := keep(key + `:"` + v + `"`)
			own := 0
			for i := range a.Returns {
				r := &a.Returns[i]
				if x := reg.ForRespondent(r.Region, r.Respondent); x != nil && x.Name == e.Name && x.Region == e.Region {
					own++
					if !got[i] {
						t.Errorf("%s:%q misses %s's own return to %s", key, v, e.Name, r.QuestionID)
					}
				}
			}
			if key == "prison" {
				if !subset(got, keep(`respondent:"`+v+`"`)) {
					t.Errorf("prison:%q keeps a return respondent:%q does not", v, v)
				}
			}
			if len(v) > 3 && !subset(got, keep(key+`:"`+v[:len(v)-2]+`"`)) {
				t.Errorf("%s:%q keeps a return %s:%q does not", key, v, key, v[:len(v)-2])
			}
			checked += own
		}
	}
	if checked == 0 {
		t.Fatal("no register entry has returns of its own")
	}
}
