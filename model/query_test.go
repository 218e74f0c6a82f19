package model

import (
	"errors"
	"strings"
	"testing"
	"time"
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
		terms = append(terms, tm.Key+"="+tm.Value)
	}
	if got := strings.Join(terms, ","); got != "tier=gold,area=dudley,status=pending,region=west midlands" {
		t.Errorf("terms %s", got)
	}
}

func TestParseQueryErrors(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{`colour:red`, `column 1: unknown key "colour" (keys: alliance, area, kind, prison, rating, region, respondent, sector, status, tier)`},
		{`tier:`, `column 1: tier: needs a value, e.g. tier:gold`},
		{`ok region:"west`, `column 11: the quote opened here is not closed`},
		{`"open`, `column 1: the quote opened here is not closed`},
		{`:gold`, `column 1: a colon needs a key before it, e.g. tier:gold`},
		{"bad\xff", `column 1: the query is not valid UTF-8`},
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
		{`alliance:civic`, "column 1: alliance: does not apply to signatories (keys: region, area, tier, sector, status)"},
		{`x tier:platinum`, "column 3: platinum is not a tier (none, bronze, silver, gold)"},
		{`status:answered`, "column 1: answered is not a review status (pending, verified, needs_info)"},
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
			if m.Match(&r, &resp, ReturnHaystack(&r, nil, &resp)) {
				n++
			}
		}
		if n != tt.want {
			t.Errorf("%q matched %d, want %d", tt.q, n, tt.want)
		}
	}
	q, _ := ParseQuery("tier:gold")
	if _, err := q.ForReturns(); err == nil || !strings.Contains(err.Error(), "does not apply to audit returns") {
		t.Errorf("tier: on returns: %v", err)
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{`tier:gold area:dudley status:pending printing`, `region:"West Midlands"`, `"unclosed`, `a:b:c`, `prison:featherstone rating:partly`, "\x1b[31m", `status:"no return"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseQuery(s)
		if err != nil {
			return
		}
		// Whatever parses compiles or fails cleanly for both screens.
		if m, err := q.ForSignatories(); err == nil {
			sig := sampleSignatories()[0]
			m.Match(&sig, SignatoryHaystack(&sig))
		}
		if m, err := q.ForReturns(); err == nil {
			r := Return{Respondent: "x"}
			m.Match(&r, nil, ReturnHaystack(&r, nil, nil))
		}
	})
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
