package model

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

func TestParseQuery(t *testing.T) {
	q, err := ParseQuery(`tier:gold area:Dudley status:pending Printing region:"West  Midlands" "two words"`)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(q.Words, ",") != "printing,two,words" {
		t.Errorf("words %q", q.Words)
	}
	var terms []string
	for _, tm := range q.Terms {
		terms = append(terms, tm.Key+"="+strings.Join(tm.Values, "|"))
	}
	if got := strings.Join(terms, ","); got != "tier=gold,area=dudley,status=pending,region=west midlands" {
		t.Errorf("terms %s", got)
	}
}

const sigKeys = "region, area, tier, evidenced, sector, status, vacancy, next, signed, due, reviewer"

func TestParseQueryErrors(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{`tier:`, `column 1: tier: needs a value, e.g. tier:gold`},
		{`ok region:"west`, `column 11: the quote opened here is not closed`},
		{`"open`, `column 1: the quote opened here is not closed`},
		{`:gold`, `column 1: a colon needs a key before it, e.g. tier:gold`},
		{"bad\xff", `column 1: the query is not valid UTF-8`},
		{`printing -`, `column 10: a - needs a word or key:value right after it, e.g. -status:verified`},
		{`- tier:gold`, `column 1: a - needs a word or key:value right after it, e.g. -status:verified`},
		{`-""`, `column 1: a - needs a word or key:value right after it, e.g. -status:verified`},
		{`tier:,`, `column 1: tier: needs a value, e.g. tier:gold`},
		{`-due:""`, `column 1: due: needs a value, e.g. due:overdue`},
		{`area:dud"ley"`, `column 9: a quote may only open a value, e.g. area:dudley`},
		{`région:"x,y" tier:gold,"sil`, `column 24: the quote opened here is not closed`},
	}
	for _, tt := range tests {
		_, err := ParseQuery(tt.in)
		if err == nil || err.Error() != tt.want {
			t.Errorf("ParseQuery(%q) = %v, want %q", tt.in, err, tt.want)
		}
		if err != nil && !errors.Is(err, ErrInvalid) {
			t.Errorf("%q: error is not ErrInvalid", tt.in)
		}
	}
}

func sampleSignatories() []Signatory {
	d := func(s string) time.Time { t, _ := time.Parse(DateLayout, s); return t }
	mk := func(org, area string, sec Sector, st ReviewStatus, cs ...Commitment) Signatory {
		s := Signatory{Organisation: org, Region: "West Midlands", LocalArea: area, Sector: sec, ReviewStatus: st, SignedOn: d("2024-01-01")}
		for _, c := range cs {
			s.Commitments = s.Commitments.With(c)
		}
		return s
	}
	return []Signatory{
		mk("Dudley Printing Works", "Dudley", SectorPrivate, StatusPending, Training, BanTheBox, WorkExperience, WorkplaceMentor),
		mk("Walsall Bakery", "Walsall", SectorSocialEnterprise, StatusVerified, Training),
		mk("Dudley Council", "Dudley", SectorPublic, StatusNeedsInfo),
		mk("Coventry Printers", "Coventry", SectorPrivate, StatusPending, Training, BanTheBox, EntryLevelJobs, PracticalSupport),
	}
}

func filterNames(t *testing.T, query string) []string {
	t.Helper()
	q, err := ParseQuery(query)
	if err != nil {
		t.Fatalf("%q: %v", query, err)
	}
	m, err := q.ForSignatories()
	if err != nil {
		t.Fatalf("%q: %v", query, err)
	}
	var out []string
	for _, s := range sampleSignatories() {
		if m.Match(&s, SignatoryHaystack(&s)) {
			out = append(out, s.Organisation)
		}
	}
	return out
}

func TestSignatoryFilter(t *testing.T) {
	tests := []struct{ q, want string }{
		{``, "Dudley Printing Works,Walsall Bakery,Dudley Council,Coventry Printers"},
		{`tier:gold area:dudley status:pending printing`, "Dudley Printing Works"},
		{`print`, "Dudley Printing Works,Coventry Printers"},
		{`tier:g`, "Dudley Printing Works,Coventry Printers"},
		{`tier:none`, "Dudley Council"},
		{`sector:social`, "Walsall Bakery"},
		{`status:needs_info`, "Dudley Council"},
		{`status:"needs info"`, "Dudley Council"},
		{`area:DUDLEY council`, "Dudley Council"},
		{`region:"west midlands" bakery`, "Walsall Bakery"},
		{`ban_the_box`, "Dudley Printing Works,Coventry Printers"},
		{`nothing-matches-this`, ""},
	}
	for _, tt := range tests {
		if got := strings.Join(filterNames(t, tt.q), ","); got != tt.want {
			t.Errorf("%q: got %q want %q", tt.q, got, tt.want)
		}
	}
}

func TestSignatoryFilterRefusesWrongKeysAndValues(t *testing.T) {
	tests := []struct{ q, want string }{
		{`alliance:civic`, "column 1: alliance: does not apply to signatories (keys: " + sigKeys + ")"},
		{`colour:red`, `column 1: unknown key "colour" (keys: ` + sigKeys + ")"},
		{`x tier:platinum`, "column 8: platinum is not a tier (none, bronze, silver, gold)"},
		{`ünï tier:gold,platinum`, "column 15: platinum is not a tier (none, bronze, silver, gold)"},
		{`status:answered`, "column 8: answered is not a review status (pending, verified, needs_info, withdrawn)"},
		{`a -vacancy:maybe`, "column 12: maybe is not a vacancy-statement value (yes, no, evidenced)"},
		{`next:0`, "column 6: 0 is not a number of commitments to the next tier (1 to 8), e.g. next:1"},
		{`next:one`, "column 6: one is not a number of commitments to the next tier (1 to 8), e.g. next:1"},
		{`signed:2024-13`, "column 8: signed: 2024-13 is not a date (YYYY, YYYY-MM or YYYY-MM-DD, after <, <=, > or >= to compare)"},
		{`signed:>=24`, "column 8: signed: 24 is not a date (YYYY, YYYY-MM or YYYY-MM-DD, after <, <=, > or >= to compare)"},
		{`signed:2024,2023-02-30`, "column 13: signed: 2023-02-30 is not a date (YYYY, YYYY-MM or YYYY-MM-DD, after <, <=, > or >= to compare)"},
		{`due:late`, "column 5: late is not a review state (overdue, soon, current)"},
		{`evidenced:tin`, "column 11: tin is not a tier (none, bronze, silver, gold)"},
	}
	for _, tt := range tests {
		q, err := ParseQuery(tt.q)
		if err != nil {
			t.Fatal(err)
		}
		_, err = q.ForSignatories()
		if err == nil || err.Error() != tt.want {
			t.Errorf("%q: got %v want %q", tt.q, err, tt.want)
		}
	}
}

func TestReturnFilter(t *testing.T) {
	rets := []struct {
		r    Return
		resp Respondent
	}{
		{Return{Section: Section{"West Midlands", AllianceCivic, StrandNone, KindPrison}, QuestionID: "q1", Respondent: "Featherstone", Status: StatusNotAnswered, Answer: "Na"}, Respondent{Name: "Featherstone"}},
		{Return{Section: Section{"West Midlands", AllianceCivic, StrandNone, KindPrison}, QuestionID: "q2", Respondent: "Featherstone", Status: StatusAnswered, Answer: "Prison produce alley gates for local communities", Annotation: Annotation{Rating: RatingPartly}}, Respondent{Name: "Featherstone"}},
		{Return{Section: Section{"West Midlands", AllianceCivic, StrandNone, KindPrison}, QuestionID: "q1", Respondent: "Werrington", Status: StatusNoReturn}, Respondent{Name: "Werrington"}},
		{Return{Section: Section{"West Midlands", AllianceFaithVCS, StrandFaith, KindProbation}, QuestionID: "f1", Respondent: "West Mercia", Status: StatusAnswered, Answer: "inter-faith alliance"}, Respondent{Name: "West Mercia"}},
		{Return{Section: Section{"West Midlands", AllianceFaithVCS, StrandVCS, KindPrison}, QuestionID: "p", Respondent: "Hewll Grange", Status: StatusAnswered, Answer: "x"}, Respondent{Name: "Hewll Grange", Normalised: "Hewell Grange"}},
	}
	tests := []struct {
		q    string
		want int
	}{
		{`prison:featherstone`, 2},
		{`prison:featherstone,werrington`, 3},
		{`-prison:featherstone`, 3},
		{`status:no_return,not_answered`, 2},
		{`-status:answered`, 2},
		{`-rating:unrated`, 1},
		{`rating:partly,none`, 5},
		{`-alley`, 4},
		{`-"alley gates"`, 4},
		{`-"alley communities"`, 4},
		{`-"alley zebra"`, 5},
		{`status:no_return`, 1},
		{`status:no`, 2}, // a prefix of not_answered and no_return
		{`status:no_`, 1},
		{`rating:partly`, 1},
		{`rating:unrated`, 4},
		{`respondent:"west mercia"`, 1},
		{`alliance:civic`, 3},
		{`alliance:faith kind:probation`, 1},
		{`alliance:vcs`, 2},
		{`prison:hewell`, 1},
		{`region:"west midlands" alley gates`, 1},
		{`kind:probation`, 1},
	}
	for _, tt := range tests {
		q, err := ParseQuery(tt.q)
		if err != nil {
			t.Fatal(err)
		}
		m, err := q.ForReturns()
		if err != nil {
			t.Fatalf("%q: %v", tt.q, err)
		}
		n := 0
		for i := range rets {
			r, resp := rets[i].r, rets[i].resp
			if m.Match(&r, nil, &resp, ReturnHaystack(&r, nil, &resp)) {
				n++
			}
		}
		if n != tt.want {
			t.Errorf("%q matched %d, want %d", tt.q, n, tt.want)
		}
	}
	q, _ := ParseQuery("tier:gold")
	if _, err := q.ForReturns(); err == nil || err.Error() != "column 1: tier: does not apply to audit returns (keys: region, alliance, kind, prison, respondent, status, rating)" {
		t.Errorf("tier: on returns: %v", err)
	}
}

func TestContainsFold(t *testing.T) {
	tests := []struct {
		s, sub string
		want   bool
	}{
		{"Dudley", "dud", true}, {"DUDLEY", "ley", true}, {"Dudley", "dux", false}, {"", "a", false},
		{"x", "", true}, {"West Midlands", "st mid", true}, {"Ünïcødé Town", "ünï", true}, {"Café", "fé", true}, {"ab", "abc", false},
	}
	for _, tt := range tests {
		if got := containsFold(tt.s, tt.sub); got != tt.want {
			t.Errorf("containsFold(%q, %q) = %v", tt.s, tt.sub, got)
		}
	}
}

func date(s string) time.Time {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

// cycleSignatories is a small register with review, evidence and
// withdrawal data; filterCycle's today is 2026-11-22, period 12 months.
func cycleSignatories() []Signatory {
	mk := func(org string, signed, reviewed, by string, st ReviewStatus, vac bool, cs ...Commitment) Signatory {
		s := Signatory{Organisation: org, Region: "West Midlands", LocalArea: "Dudley", Sector: SectorPrivate,
			ReviewStatus: st, SignedOn: date(signed), VacancyStatement: vac, LastReviewedBy: by}
		if reviewed != "" {
			s.LastReviewedOn = date(reviewed)
		}
		for _, c := range cs {
			s.Commitments = s.Commitments.With(c)
		}
		return s
	}
	a := mk("Alpha", "2023-01-10", "2025-11-22", "Priya Patel", StatusVerified, true, Training, BanTheBox, WorkExperience, WorkplaceMentor)
	a.SetEvidence(Training, "training plan seen", "Priya Patel", date("2025-11-22"))
	a.SetEvidence(BanTheBox, "application form has no convictions box", "Priya Patel", date("2025-11-22"))
	a.SetEvidence(WorkExperience, "placement letters", "Priya Patel", date("2025-11-22"))
	a.SetVacancyEvidence("indeed advert", "Priya Patel", date("2025-11-22"))
	b := mk("Bravo", "2024-06-30", "", "", StatusPending, false, Training, EntryLevelJobs)                               // due 2025-06-30: overdue
	c := mk("Charlie", "2025-12-01", "", "", StatusNeedsInfo, true, Training)                                            // due 2026-12-01: soon
	d := mk("Delta", "2022-03-01", "2026-10-01", "Sam Jones", StatusVerified, false, Training, EntryLevelJobs, Training) // current
	e := mk("Echo", "2023-06-01", "2024-01-01", "Sam Jones", StatusVerified, true, Training, EntryLevelJobs, WorkExperience)
	e, _ = Withdraw(e, "ceased trading", "Sam Jones", date("2026-01-05"))
	return []Signatory{a, b, c, d, e}
}

func filterCycle(t *testing.T, query string, ctx FilterContext) string {
	t.Helper()
	q, err := ParseQuery(query)
	if err != nil {
		t.Fatalf("%q: %v", query, err)
	}
	if ctx.Today.IsZero() {
		ctx.Today = date("2026-11-22")
	}
	m, err := q.ForSignatoriesIn(ctx)
	if err != nil {
		t.Fatalf("%q: %v", query, err)
	}
	var out []string
	for _, s := range cycleSignatories() {
		if m.Match(&s, SignatoryHaystack(&s)) {
			out = append(out, s.Organisation)
		}
	}
	return strings.Join(out, ",")
}

func TestSignatoryFilterExtended(t *testing.T) {
	tests := []struct{ q, want string }{
		{``, "Alpha,Bravo,Charlie,Delta"}, // withdrawn Echo hidden by default
		{`status:withdrawn`, "Echo"},
		{`status:w`, "Echo"},
		{`status:verified,withdrawn`, "Alpha,Delta,Echo"},
		{`-status:verified`, "Bravo,Charlie"}, // a negated status term does not bring withdrawn back
		{`-status:verified,pending`, "Charlie"},
		{`tier:gold,silver`, "Alpha"},
		{`tier:bronze,silver`, "Bravo,Charlie,Delta"},
		{`-tier:bronze`, "Alpha"},
		{`evidenced:silver`, "Alpha"},
		{`evidenced:none`, "Bravo,Charlie,Delta"},
		{`-evidenced:none`, "Alpha"},
		{`evidenced:silver status:withdrawn`, ""},
		{`vacancy:no`, "Bravo,Delta"},
		{`vacancy:yes`, "Alpha,Charlie"},
		{`vacancy:evidenced`, "Alpha"},
		{`-vacancy:evidenced`, "Bravo,Charlie,Delta"},
		{`next:1`, "Bravo,Delta"}, // two distinct commitments (Delta lists training twice): one from silver
		{`next:2`, "Charlie"},     // one commitment: two from silver
		{`next:1,2`, "Bravo,Charlie,Delta"},
		{`signed:2024`, "Bravo"},
		{`signed:<2024-01-01`, "Alpha,Delta"},
		{`signed:<2024`, "Alpha,Delta"},
		{`signed:<=2024`, "Alpha,Bravo,Delta"},
		{`signed:>2024-06-30`, "Charlie"},
		{`signed:>=2024-06-30`, "Bravo,Charlie"},
		{`signed:>=2023-01`, "Alpha,Bravo,Charlie"},
		{`signed:2023-01-10`, "Alpha"},
		{`signed:=2022`, "Delta"},
		{`signed:2022,2025`, "Charlie,Delta"},
		{`-signed:2022,2025`, "Alpha,Bravo"},
		{`due:overdue`, "Bravo"},
		{`due:soon`, "Alpha,Charlie"}, // Alpha is due today (reviewed 2025-11-22); Charlie on 2026-12-01
		{`due:current`, "Delta"},
		{`-due:current`, "Alpha,Bravo,Charlie"},
		{`due:o,s`, "Alpha,Bravo,Charlie"},
		{`reviewer:patel`, "Alpha"},
		{`reviewer:"sam jones"`, "Delta"},
		{`reviewer:sam status:withdrawn,verified`, "Delta,Echo"},
		{`-reviewer:patel`, "Bravo,Charlie,Delta"},
		{`-printing`, "Alpha,Bravo,Charlie,Delta"},
		{`-alpha`, "Bravo,Charlie,Delta"},
		{`-"training plan"`, "Bravo,Charlie,Delta"}, // evidence notes are searched
		{`-"training zebra"`, "Alpha,Bravo,Charlie,Delta"},
		{`"ceased trading"`, ""},
		{`"ceased trading" status:withdrawn`, "Echo"},
		{`area:dudley,walsall -tier:none`, "Alpha,Bravo,Charlie,Delta"},
		{`area:walsall,coventry`, ""},
	}
	for _, tt := range tests {
		if got := filterCycle(t, tt.q, FilterContext{}); got != tt.want {
			t.Errorf("%q: got %q want %q", tt.q, got, tt.want)
		}
	}
	if got := filterCycle(t, ``, FilterContext{IncludeWithdrawn: true}); got != "Alpha,Bravo,Charlie,Delta,Echo" {
		t.Errorf("IncludeWithdrawn: %q", got)
	}
	// With a 36-month period Bravo (signed 2024-06-30) is due 2027-06-30
	// and Alpha 2028-11-22: every record is current.
	if got := filterCycle(t, `due:current`, FilterContext{ReviewPeriod: 36}); got != "Alpha,Bravo,Charlie,Delta" {
		t.Errorf("36-month period: %q", got)
	}
}

func TestSignatoryMatcherAll(t *testing.T) {
	for _, tt := range []struct {
		q   string
		ctx FilterContext
		all bool
	}{
		{``, FilterContext{}, false}, // still hides withdrawn
		{``, FilterContext{IncludeWithdrawn: true}, true},
		{`status:withdrawn,pending,verified,needs_info`, FilterContext{}, false},
		{`x`, FilterContext{IncludeWithdrawn: true}, false},
	} {
		m, err := ParseSignatoryQuery(tt.q, tt.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if m.All() != tt.all {
			t.Errorf("%q %+v: All() = %v", tt.q, tt.ctx, m.All())
		}
	}
}

func TestQueryString(t *testing.T) {
	tests := []struct{ in, want string }{
		{`Printing  tier:Gold,SILVER`, `printing tier:gold,silver`},
		{`-status:verified -printing`, `-printing -status:verified`},
		{`region:"West  Midlands","Black Country"`, `region:"west midlands","black country"`},
		{`"tier:gold" "-x"`, `"tier:gold" "-x"`},
		{`-"ban the box"`, `-"ban the box"`},
		{`tier:gold, signed:<2024`, `tier:gold signed:<2024`},
		{`region:"a,b"`, `region:"a,b"`},
		{`--x`, `-"-x"`},
		{`ab"cd"`, `ab cd`},
		{`region:a:b`, `region:a:b`},
	}
	for _, tt := range tests {
		q, err := ParseQuery(tt.in)
		if err != nil {
			t.Fatalf("%q: %v", tt.in, err)
		}
		if got := q.String(); got != tt.want {
			t.Errorf("%q.String() = %q, want %q", tt.in, got, tt.want)
		}
		checkRoundTrip(t, q)
	}
}

// sameQuery compares two queries, columns aside.
func sameQuery(a, b Query) bool {
	if strings.Join(a.Words, "\x00") != strings.Join(b.Words, "\x00") || len(a.Not) != len(b.Not) || len(a.Terms) != len(b.Terms) {
		return false
	}
	for i := range a.Not {
		if strings.Join(a.Not[i], "\x00") != strings.Join(b.Not[i], "\x00") {
			return false
		}
	}
	for i := range a.Terms {
		x, y := a.Terms[i], b.Terms[i]
		if x.Key != y.Key || x.Neg != y.Neg || strings.Join(x.Values, "\x00") != strings.Join(y.Values, "\x00") {
			return false
		}
	}
	return true
}

func checkRoundTrip(t *testing.T, q Query) {
	t.Helper()
	text := q.String()
	again, err := ParseQuery(text)
	if err != nil {
		t.Fatalf("String() %q does not parse: %v", text, err)
	}
	if !sameQuery(q, again) {
		t.Fatalf("parse → String → parse changed the query: %q gave %+v, first %+v", text, again, q)
	}
	if again.String() != text {
		t.Fatalf("String() not stable: %q then %q", text, again.String())
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{`tier:gold area:dudley status:pending printing`, `region:"West Midlands"`, `"unclosed`, `a:b:c`,
		`prison:featherstone rating:partly`, "\x1b[31m", `status:"no return"`, `tier:gold,silver -status:verified`,
		`-"ban the box" signed:<2024-01-01`, `due:overdue,soon reviewer:"Priya P"`, `vacancy:no next:1 evidenced:g`,
		`region:"a,b",c -x --y`, `signed:>=2023-06,2024`, `İstanbul ÉCOLE`, `-status:w -`} {
		f.Add(s)
	}
	sigs := cycleSignatories()
	sigKeyList, auditKeyList := SignatoryKeys(), AuditKeys()
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseQuery(s)
		if err != nil {
			var qe *QueryError
			if !errors.As(err, &qe) || qe.Col < 1 || qe.Col > utf8.RuneCountInString(s)+1 {
				t.Fatalf("%q: error %v has no column inside the query", s, err)
			}
			return
		}
		// Values and words come out normalised.
		for _, w := range q.Words {
			if w == "" || w != strings.ToLower(w) || strings.IndexFunc(w, unicode.IsSpace) >= 0 {
				t.Fatalf("%q: word %q not normalised", s, w)
			}
		}
		for _, g := range q.Not {
			if len(g) == 0 {
				t.Fatalf("%q: empty negated group", s)
			}
		}
		for _, tm := range q.Terms {
			if tm.Key == "" || tm.Key != strings.ToLower(tm.Key) || len(tm.Values) == 0 || len(tm.Values) != len(tm.ValueCols) {
				t.Fatalf("%q: bad term %+v", s, tm)
			}
			for _, v := range tm.Values {
				if v == "" || v != normaliseValue(v) {
					t.Fatalf("%q: value %q not normalised", s, v)
				}
			}
		}
		checkRoundTrip(t, q)
		// What compiles for a screen uses only that screen's keys, and a
		// query that does not compile names only that screen's keys.
		ctx := FilterContext{Today: date("2026-11-22")}
		if m, err := q.ForSignatoriesIn(ctx); err == nil {
			for _, tm := range q.Terms {
				if !contains(sigKeyList, tm.Key) {
					t.Fatalf("%q: key %q compiled for signatories", s, tm.Key)
				}
			}
			// Negating a single term splits the visible records in two.
			if len(q.Terms) == 1 && len(q.Words) == 0 && len(q.Not) == 0 && q.Terms[0].Key != KeyStatus {
				neg := q
				neg.Terms = []Term{q.Terms[0]}
				neg.Terms[0].Neg = !neg.Terms[0].Neg
				mn, err := neg.ForSignatoriesIn(ctx)
				if err != nil {
					t.Fatalf("%q: negation does not compile: %v", s, err)
				}
				for i := range sigs {
					h := SignatoryHaystack(&sigs[i])
					if sigs[i].Withdrawn() {
						continue
					}
					if m.Match(&sigs[i], h) == mn.Match(&sigs[i], h) {
						t.Fatalf("%q: %s matched by both or neither of a term and its negation", s, sigs[i].Organisation)
					}
				}
			}
		} else if strings.Contains(err.Error(), "keys:") {
			for _, k := range auditKeyList {
				if !contains(sigKeyList, k) && strings.Contains(err.Error(), " "+k+",") || strings.HasSuffix(err.Error(), " "+k+")") && !contains(sigKeyList, k) {
					t.Fatalf("%q: signatory error lists audit key %q: %v", s, k, err)
				}
			}
		}
		// Typing on: when Narrows says the longer query narrows, it keeps
		// no record the shorter one did not.
		if m, err := q.ForSignatoriesIn(ctx); err == nil {
			for _, more := range []string{"a", ",", "1", "-", "s", ",v"} {
				nq, err := ParseQuery(s + more)
				if err != nil || !nq.Narrows(q) {
					continue
				}
				nm, err := nq.ForSignatoriesIn(ctx)
				if err != nil {
					continue
				}
				for i := range sigs {
					h := SignatoryHaystack(&sigs[i])
					if nm.Match(&sigs[i], h) && !m.Match(&sigs[i], h) {
						t.Fatalf("%q narrows %q by Narrows, yet keeps %s", s+more, s, sigs[i].Organisation)
					}
				}
			}
		}
		if m, err := q.ForReturns(); err == nil {
			for _, tm := range q.Terms {
				if !contains(auditKeyList, tm.Key) {
					t.Fatalf("%q: key %q compiled for returns", s, tm.Key)
				}
			}
			r := Return{Respondent: "x"}
			m.Match(&r, nil, nil, ReturnHaystack(&r, nil, nil))
		}
	})
}

func TestQueryNarrows(t *testing.T) {
	tests := []struct {
		prev, next string
		want       bool
	}{
		{``, `printing`, true},
		{`prin`, `print`, true},
		{`area:dud printing 01`, `area:dud printing 012`, true},
		{`area:dud`, `area:dudl`, true},
		{`tier:g`, `tier:go`, true},
		{`tier:gold`, `tier:gold,`, true}, // an empty alternative is nothing
		{`tier:gold`, `tier:gold,s`, false},
		{`tier:gold,silver`, `tier:gold`, true},
		{`-prin`, `-print`, false},
		{`-print`, `-prin`, true},
		{`-print`, `-print x`, true},
		{`-"ban the"`, `-"ban the box"`, false},
		{`-"ban the box"`, `-"ban the"`, true},
		{`-tier:gold`, `-tier:gold,silver`, true},
		{`-tier:gold,silver`, `-tier:gold`, false},
		{`-area:dudley`, `-area:dud`, true},
		{`-area:dud`, `-area:dudley`, false},
		{``, `status:w`, false}, // brings withdrawn records back
		{`status:w`, `status:withdrawn`, true},
		{`status:verified`, `status:verified,withdrawn`, false},
		{``, `-status:verified`, true},
		{`signed:<2024`, `signed:<2024-01`, false},
		{`signed:2024`, `signed:2024 tier:gold`, true},
		{`next:1`, `next:1,2`, false},
		{`rating:no`, `rating:none`, false}, // "none" is another word for unrated
		{`x`, `y`, false},
		{`x`, `"-x"`, true},
		{`bad"`, `bad"x`, false},
	}
	for _, tt := range tests {
		if got := QueryNarrows(tt.prev, tt.next); got != tt.want {
			t.Errorf("QueryNarrows(%q, %q) = %v, want %v", tt.prev, tt.next, got, tt.want)
		}
	}
}

// Whenever Narrows says yes, the next query keeps no record the first
// did not, over every pair of a set of queries and a register with every
// kind of record.
func TestQueryNarrowsIsSound(t *testing.T) {
	queries := []string{``, `d`, `du`, `dudley`, `-d`, `-du`, `area:d`, `area:dud`, `area:dudley,walsall`, `-area:dud`,
		`tier:g`, `tier:gold,silver`, `tier:gold,`, `-tier:none`, `-tier:none,bronze`, `status:w`, `status:verified,withdrawn`,
		`-status:verified`, `vacancy:no`, `vacancy:n`, `vacancy:e`, `next:1`, `next:1,2`, `signed:2024`, `signed:<2024`,
		`signed:<=2024`, `due:o`, `due:overdue,soon`, `-due:current`, `reviewer:p`, `reviewer:patel`, `-"training plan"`,
		`-training`, `evidenced:s`, `printing -alpha`, `-"a b"`, `-a`, `-al`}
	ctx := FilterContext{Today: date("2026-11-22")}
	sigs := append(cycleSignatories(), sampleSignatories()...)
	keep := map[string][]bool{}
	for _, q := range queries {
		m, err := ParseSignatoryQuery(q, ctx)
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		for i := range sigs {
			keep[q] = append(keep[q], m.Match(&sigs[i], SignatoryHaystack(&sigs[i])))
		}
	}
	yes := 0
	for _, p := range queries {
		for _, n := range queries {
			if !QueryNarrows(p, n) {
				continue
			}
			yes++
			for i := range sigs {
				if keep[n][i] && !keep[p][i] {
					t.Errorf("%q said to narrow %q, but keeps %s", n, p, sigs[i].Organisation)
				}
			}
		}
	}
	if yes < 80 {
		t.Errorf("only %d pairs narrow: the rule is too timid to be of use", yes)
	}
}

// Narrows relies on no enumerated value being a prefix of another.
func TestEnumValuesPrefixFree(t *testing.T) {
	var lists [][]string
	var l []string
	for _, x := range AllTiers() {
		l = append(l, x.String())
	}
	lists = append(lists, l, nil, nil, []string{"yes", "no", "evidenced"}, nil, nil)
	for _, x := range Sectors() {
		lists[1] = append(lists[1], string(x))
	}
	for _, x := range AllReviewStatuses() {
		lists[2] = append(lists[2], string(x))
	}
	for _, x := range DueStates() {
		lists[4] = append(lists[4], x.String())
	}
	for _, x := range ReturnStatuses() {
		lists[5] = append(lists[5], string(x))
	}
	for _, list := range lists {
		for _, a := range list {
			for _, b := range list {
				if a != b && strings.HasPrefix(b, a) {
					t.Errorf("%q is a prefix of %q", a, b)
				}
			}
		}
	}
}

func TestIndexesFollowTheLists(t *testing.T) {
	for i, st := range AllReviewStatuses() {
		if statusIndex(st) != i {
			t.Errorf("statusIndex(%s) = %d, want %d", st, statusIndex(st), i)
		}
	}
	for i, sec := range Sectors() {
		if sectorIndex(sec) != i {
			t.Errorf("sectorIndex(%s) = %d, want %d", sec, sectorIndex(sec), i)
		}
	}
	if statusIndex("done") != -1 || sectorIndex("charity") != -1 {
		t.Error("unknown values numbered")
	}
}
