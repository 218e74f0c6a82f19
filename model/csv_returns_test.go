package model

import (
	"bytes"
	"strings"
	"testing"
)

const retHeader = "region,alliance,strand,respondent_kind,respondent,question_id,question,status,answer,rating,good_practice,comment\n"

func TestReadReturnsRules(t *testing.T) {
	tests := []struct{ name, row, want string }{
		{"region", ",Civic Society,,Prison,Durham,q1,T,answered,x,,no,", "line 2, region: is required"},
		{"alliance", "R,Civic,,Prison,Durham,q1,T,answered,x,,no,", "line 2, alliance: Civic is not an alliance (Corporate, Civic Society or Faith & VCS)"},
		{"strand on civic", "R,Civic Society,VCS,Prison,Durham,q1,T,answered,x,,no,", "line 2, strand: Faith & VCS needs a strand (Faith or VCS); other alliances have none"},
		{"strand missing", "R,Faith & VCS,,Prison,Durham,q1,T,answered,x,,no,", "line 2, strand: Faith & VCS needs a strand (Faith or VCS); other alliances have none"},
		{"strand unknown", "R,Faith & VCS,Arts,Prison,Durham,q1,T,answered,x,,no,", "line 2, strand: Arts is not a strand (empty, Faith or VCS)"},
		{"kind", "R,Corporate,,Castle,Durham,q1,T,answered,x,,no,", "line 2, respondent_kind: Castle is not a respondent kind (ROM, Prison, Probation, Area Chaplain, Combined or Region)"},
		{"respondent", "R,Corporate,,ROM,,q1,T,answered,x,,no,", "line 2, respondent: is required"},
		{"question_id", "R,Corporate,,ROM,ROM,,T,answered,x,,no,", "line 2, question_id: is required"},
		{"question", "R,Corporate,,ROM,ROM,q1,,answered,x,,no,", "line 2, question: is required"},
		{"status", "R,Corporate,,ROM,ROM,q1,T,answerd,x,,no,", "line 2, status: answerd is not a return status (answered, not_answered or no_return)"},
		{"answered needs text", "R,Corporate,,ROM,ROM,q1,T,answered,,,no,", "line 2, answer: an answered return needs its text"},
		{"no_return has none", "R,Corporate,,ROM,ROM,q1,T,no_return,x,,no,", "line 2, answer: a no_return row has no answer"},
		{"rating", "R,Corporate,,ROM,ROM,q1,T,answered,x,great,no,", "line 2, rating: great is not a rating (meets, partly, not_met or empty)"},
		{"good_practice", "R,Corporate,,ROM,ROM,q1,T,answered,x,,maybe,", "line 2, good_practice: maybe must be yes or no"},
		{"fields", "R,Corporate", "line 2: has 2 fields; the header has 12"},
		{"one field", "R", "line 2: has 1 field; the header has 12"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, issues, err := ReadReturnsCSV(strings.NewReader(retHeader + tt.row + "\n"))
			if err != nil || a != nil || len(issues) != 1 || issues[0].Error() != tt.want {
				t.Fatalf("got %v %v %v, want %s", a, issues, err, tt.want)
			}
		})
	}
	// Two rows for one respondent and question; a question in two sections.
	in := retHeader + "R,Corporate,,ROM,ROM,q1,T,answered,x,,no,\nR,Corporate,,ROM,ROM,q1,T,answered,y,,no,\nR,Civic Society,,ROM,ROM,q1,T,answered,z,,no,\n"
	_, issues, _ := ReadReturnsCSV(strings.NewReader(in))
	var got []string
	for _, i := range issues {
		got = append(got, i.Error())
	}
	want := `line 3, respondent: ROM already answered q1 on line 2|line 4, question_id: q1 is Civic Society · ROM here but Corporate · ROM on line 2`
	if strings.Join(got, "|") != want {
		t.Errorf("got %s", strings.Join(got, "|"))
	}
	if _, _, err := ReadReturnsCSV(strings.NewReader("region,alliance\n")); err == nil || !strings.Contains(err.Error(), "lacks the required columns strand, respondent_kind") {
		t.Errorf("header: %v", err)
	}
}

func TestReturnsRoundTrip(t *testing.T) {
	in := retHeader + "North East,Faith & VCS,Faith,Probation,Durham,ne-1,\"PROBATION, AREAS\",answered,\"two\nlines\",,no,\n" +
		"North East,Faith & VCS,Faith,Probation,Tees,ne-1,\"PROBATION, AREAS\",no_return,,,no,\n"
	a, issues, err := ReadReturnsCSV(strings.NewReader(in))
	if err != nil || len(issues) > 0 {
		t.Fatal(err, issues)
	}
	if len(a.Regions) != 1 || len(a.Questions) != 1 || len(a.Respondents) != 2 || len(a.Returns) != 2 {
		t.Fatalf("%+v", a)
	}
	var b bytes.Buffer
	if err := WriteReturnsCSV(&b, a, false); err != nil {
		t.Fatal(err)
	}
	// The export adds the question_group column, empty here.
	want := strings.Replace(strings.ReplaceAll(in, ",no,\n", ",no,,\n"), "comment\n", "comment,question_group\n", 1)
	if b.String() != want {
		t.Errorf("round trip:\n%s\nwant\n%s", b.String(), want)
	}
}

// A combined assessment's questions keep their group through export and
// import; a group elsewhere, an unknown group, or one question in two
// groups is a problem on its line.
func TestReturnsQuestionGroups(t *testing.T) {
	head := strings.TrimSuffix(retHeader, "\n") + ",question_group\n"
	in := head +
		"R,Corporate,,ROM/Prisons/Probation (combined),R,c-1,GOVERNANCE,answered,x,,no,,rom\n" +
		"R,Corporate,,ROM/Prisons/Probation (combined),R,c-2,ETE,answered,y,meets,yes,good,prisons\n"
	a, issues, err := ReadReturnsCSV(strings.NewReader(in))
	if err != nil || len(issues) > 0 {
		t.Fatal(err, issues)
	}
	if a.Questions[0].Group != GroupROM || a.Questions[1].Group != GroupPrisons {
		t.Fatalf("groups %q %q", a.Questions[0].Group, a.Questions[1].Group)
	}
	var b bytes.Buffer
	if err := WriteReturnsCSV(&b, a, false); err != nil {
		t.Fatal(err)
	}
	// Ratings and comments are not imported, so they come back empty.
	want := strings.Replace(in, "meets,yes,good,", ",no,,", 1)
	if b.String() != want {
		t.Errorf("round trip:\n%s\nwant\n%s", b.String(), want)
	}
	bad := head +
		"R,Civic Society,,Prison,P,q1,T,answered,x,,no,,prisons\n" +
		"R,Corporate,,Combined,R,c-1,T,answered,x,,no,,kitchens\n" +
		"R,Corporate,,Combined,R,c-2,T,answered,x,,no,,rom\n" +
		"R,Corporate,,Combined,S,c-2,T,answered,x,,no,,probation\n"
	_, issues, _ = ReadReturnsCSV(strings.NewReader(bad))
	var got []string
	for _, is := range issues {
		got = append(got, is.Error())
	}
	wantIssues := []string{
		"line 2, question_group: only a combined assessment (respondent_kind ROM/Prisons/Probation (combined)) has question groups",
		"line 3, question_group: kitchens is not a question group (empty, rom, prisons or probation)",
		"line 5, question_group: c-2 is in group probation here but rom on line 4",
	}
	if strings.Join(got, "\n") != strings.Join(wantIssues, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantIssues, "\n"))
	}
}

func FuzzReadReturns(f *testing.F) {
	f.Add(retHeader + "R,Corporate,,ROM,ROM,q1,T,answered,x,,no,\n")
	f.Add(retHeader + "R,Faith & VCS,Faith,Prison,P,q,\"a, b\",no_return,,,no,\n")
	f.Add(retHeader + "\"unterminated\n")
	f.Add("region\n")
	f.Fuzz(func(t *testing.T, in string) {
		a, issues, err := ReadReturnsCSV(strings.NewReader(in))
		if err != nil || len(issues) > 0 {
			if a != nil {
				t.Fatal("audit returned alongside problems")
			}
			return
		}
		seen := map[ReturnKey]bool{}
		for _, r := range a.Returns {
			if seen[r.Key()] {
				t.Fatal("duplicate return accepted")
			}
			seen[r.Key()] = true
			if r.Status == StatusAnswered && r.Answer == "" {
				t.Fatal("empty answer accepted")
			}
		}
	})
}

// ReadReturns hands on every problem; ReadReturnsCSV keeps the first 100
// and counts the rest in English.
func TestReadReturnsCountsEveryProblem(t *testing.T) {
	for _, n := range []int{101, 150} {
		in := retHeader + strings.Repeat("R,Corporate,,ROM,ROM,q1,T,answerd,x,,no,\n", n)
		count := 0
		a, err := ReadReturns(strings.NewReader(in), func(RowIssue) { count++ })
		if a != nil || err != nil || count != n {
			t.Errorf("%d bad rows: %v %v, %d problems", n, a, err, count)
		}
		_, issues, _ := ReadReturnsCSV(strings.NewReader(in))
		want := "and 1 more problem"
		if n == 150 {
			want = "and 50 more problems"
		}
		if len(issues) != 101 || issues[100].Error() != want {
			t.Errorf("%d bad rows: %d issues, last %q", n, len(issues), issues[len(issues)-1].Error())
		}
	}
}
