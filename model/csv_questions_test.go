package model

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

const qHeader = "region,question_id,alliance,strand,respondent_kind,question_group,question,prompt,benchmark_label,benchmark\n"

func readQuestionsAll(in string) ([]QuestionLine, []string, error) {
	var issues []string
	qs, err := ReadQuestions(strings.NewReader(in), func(is RowIssue) { issues = append(issues, is.Error()) })
	return qs, issues, err
}

func TestReadQuestionsRules(t *testing.T) {
	for _, tt := range []struct{ name, row, want string }{
		{"region", ",q1,Civic Society,,Prison,,T,,,", "line 2, region: is required"},
		{"id", "R,,Civic Society,,Prison,,T,,,", "line 2, question_id: is required"},
		{"title", "R,q1,Civic Society,,Prison,,,,,", "line 2, question: is required"},
		{"alliance", "R,q1,Civic,,Prison,,T,,,", "line 2, alliance: Civic is not an alliance (Corporate, Civic Society or Faith & VCS)"},
		{"strand missing", "R,q1,Faith & VCS,,Prison,,T,,,", "line 2, strand: Faith & VCS needs a strand (Faith or VCS); other alliances have none"},
		{"kind", "R,q1,Corporate,,Castle,,T,,,", "line 2, respondent_kind: Castle is not a respondent kind (ROM, Prison, Probation, Area Chaplain, Combined or Region)"},
		{"group unknown", "R,q1,Corporate,,Combined,courts,T,,,", "line 2, question_group: courts is not a question group (empty, rom, prisons or probation)"},
		{"group outside combined", "R,q1,Corporate,,Prison,prisons,T,,,", "line 2, question_group: only a combined assessment (respondent_kind ROM/Prisons/Probation (combined)) has question groups"},
		{"label without benchmark", "R,q1,Civic Society,,Prison,,T,,OPTIMAL ANSWER,", "line 2, benchmark: is empty but benchmark_label is \"OPTIMAL ANSWER\""},
		{"fields", "R,q1", "line 2: has 2 fields; the header has 10"},
		{"benchmark too long", "R,q1,Civic Society,,Prison,,T,,L," + strings.Repeat("b", MaxBenchmark+1), "line 2, benchmark: is 20001 characters long; at most 20000 are allowed"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			qs, issues, err := readQuestionsAll(qHeader + tt.row + "\n")
			if err != nil || qs != nil || len(issues) != 1 || issues[0] != tt.want {
				t.Fatalf("got %v %q %v, want %s", qs, issues, err, tt.want)
			}
		})
	}
	// A question twice in one region; the same id in two regions is fine.
	_, issues, _ := readQuestionsAll(qHeader + "R,q1,Corporate,,ROM,,T,,,\nS,q1,Corporate,,ROM,,T,,,\nR,q1,Corporate,,ROM,,T,,,\n")
	if want := `line 4, question_id: q1 of region R appears again (first on line 2)`; strings.Join(issues, "|") != want {
		t.Errorf("got %q", issues)
	}
	for _, in := range []string{"", "  \n", "region,question_id\n"} {
		if _, _, err := readQuestionsAll(in); err == nil {
			t.Errorf("%q: no error", in)
		}
	}
	if _, _, err := readQuestionsAll("region,question_id\n"); !strings.Contains(err.Error(), "alliance, strand, respondent_kind") {
		t.Errorf("header error %v", err)
	}
	if _, _, err := readQuestionsAll(qHeader); err == nil || err.Error() != "the questions file has no questions" {
		t.Errorf("no rows: %v", err)
	}
}

// A JSON questions file is read like the CSV one; problems name the object.
func TestReadQuestionsJSON(t *testing.T) {
	in := `[{"region":"R","question_id":"q1","alliance":"Civic Society","strand":"","respondent_kind":"Prison","question":"T","benchmark_label":"L","benchmark":"B"},
	        {"region":"R","question_id":"q2","alliance":"Civic Society","strand":"","respondent_kind":"Prison","question":"U"}]`
	qs, issues, err := readQuestionsAll("\n " + in)
	if err != nil || len(issues) > 0 || len(qs) != 2 || qs[0].Benchmark != "B" || qs[1].Order != 2 || !qs[1].InJSON || qs[1].Line != 2 {
		t.Fatalf("%+v %v %v", qs, issues, err)
	}
	_, issues, _ = readQuestionsAll(`[{"region":"R","question_id":"q1","alliance":"Civic","strand":"","respondent_kind":"Prison","question":"T"},{"region":"R","question_id":3}]`)
	want := "question 1, alliance: Civic is not an alliance (Corporate, Civic Society or Faith & VCS)|question 2, alliance: is missing"
	if got := strings.Join(issues, "|"); !strings.HasPrefix(got, want) || !strings.Contains(got, "question 2, question_id: must be a string") {
		t.Errorf("got %s", got)
	}
	if _, _, err := readQuestionsAll(`[{"region":`); err == nil || !strings.Contains(err.Error(), "not a JSON array of objects") {
		t.Errorf("broken JSON: %v", err)
	}
}

func questionFixture() *Audit {
	corp := Section{Region: "North East", Alliance: AllianceCorporate, Kind: KindCombined}
	faith := Section{Region: "North East", Alliance: AllianceFaithVCS, Strand: StrandFaith, Kind: KindProbation}
	return &Audit{Regions: []string{"North East"}, Questions: []Question{
		{Section: corp, ID: "ne-1", Order: 1, Title: "PRISONS IN THE REGION", Group: GroupPrisons, Prompt: "Which prisons,\nand how?", BenchmarkLabel: "PARTNERSHIP UNIT INDICATORS", Benchmark: "=SUM(A1) \"quoted\""},
		{Section: corp, ID: "ne-2", Order: 2, Title: "SPECIFIC PROJECTS", Group: GroupROM},
		{Section: faith, ID: "ne-3", Order: 1, Title: "Faith, first", BenchmarkLabel: "OPTIMAL ANSWER", Benchmark: "All of it."},
	}}
}

func TestQuestionsRoundTrip(t *testing.T) {
	a := questionFixture()
	for _, format := range []string{"csv", "json"} {
		var b bytes.Buffer
		var err error
		if format == "csv" {
			err = WriteQuestionsCSV(&b, a, false)
		} else {
			err = json.NewEncoder(&b).Encode(QuestionsJSON(a))
		}
		if err != nil {
			t.Fatal(err)
		}
		qs, issues, err := readQuestionsAll(b.String())
		if err != nil || len(issues) > 0 {
			t.Fatalf("%s: %v %v", format, issues, err)
		}
		var got []Question
		for _, q := range qs {
			got = append(got, q.Question)
		}
		if !reflect.DeepEqual(got, a.Questions) {
			t.Errorf("%s round trip:\n%+v\nwant\n%+v", format, got, a.Questions)
		}
	}
	var b bytes.Buffer
	_ = WriteQuestionsCSV(&b, a, true)
	if !strings.Contains(b.String(), `"'=SUM(A1) ""quoted"""`) {
		t.Errorf("formula not defused:\n%s", b.String())
	}
}

func TestApplyQuestions(t *testing.T) {
	full := questionFixture()
	returnsOnly := func() *Audit {
		a := questionFixture()
		for i := range a.Questions {
			q := &a.Questions[i]
			q.Prompt, q.BenchmarkLabel, q.Benchmark = "", "", ""
		}
		// The returns file gave the questions in another order.
		a.Questions[0], a.Questions[2] = a.Questions[2], a.Questions[0]
		return a
	}
	lines := func(a *Audit) []QuestionLine {
		var out []QuestionLine
		for i, q := range a.Questions {
			out = append(out, QuestionLine{Question: q, Line: i + 2})
		}
		return out
	}
	a := returnsOnly()
	var issues []string
	if !ApplyQuestions(a, lines(full), func(is RowIssue) { issues = append(issues, is.Error()) }) || len(issues) > 0 {
		t.Fatal(issues)
	}
	if !reflect.DeepEqual(a.Questions, full.Questions) {
		t.Errorf("applied:\n%+v\nwant\n%+v", a.Questions, full.Questions)
	}
	for _, tt := range []struct {
		name string
		edit func(qs []QuestionLine) []QuestionLine
		want string
	}{
		{"title differs", func(qs []QuestionLine) []QuestionLine { qs[1].Title = "PROJECTS"; return qs },
			`line 3, question: ne-2 is titled PROJECTS here but "SPECIFIC PROJECTS" in the returns file`},
		{"section differs", func(qs []QuestionLine) []QuestionLine { qs[2].Kind = KindPrison; return qs },
			`line 4, question_id: ne-3 is Faith & VCS (Faith) · Prison here but Faith & VCS (Faith) · Probation in the returns file`},
		{"unknown question", func(qs []QuestionLine) []QuestionLine { qs[1].ID = "ne-9"; return qs },
			`line 3, question_id: ne-9 has no returns in the returns file|the questions file lacks question ne-2 of region "North East", which the returns file answers`},
		{"other region", func(qs []QuestionLine) []QuestionLine { qs[0].Region = "Wales"; return qs },
			`the questions file lacks question ne-1 of region "North East", which the returns file answers`},
		{"group differs", func(qs []QuestionLine) []QuestionLine { qs[0].Group = GroupProbation; return qs },
			`line 2, question_group: ne-1 is in group probation here but prisons in the returns file`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := returnsOnly()
			before := append([]Question(nil), a.Questions...)
			var issues []string
			ok := ApplyQuestions(a, tt.edit(lines(full)), func(is RowIssue) { issues = append(issues, is.Error()) })
			if ok || strings.Join(issues, "|") != tt.want {
				t.Errorf("ok=%v\n got %s\nwant %s", ok, strings.Join(issues, "|"), tt.want)
			}
			if !reflect.DeepEqual(a.Questions, before) {
				t.Error("a refused file changed the questions")
			}
		})
	}
	// Another region's rows are passed over.
	a = returnsOnly()
	more := append(lines(full), QuestionLine{Question: Question{Section: Section{Region: "Wales", Alliance: AllianceCivic, Kind: KindPrison}, ID: "w1", Title: "W"}, Line: 5})
	if !ApplyQuestions(a, more, func(is RowIssue) { t.Errorf("issue %v", is) }) || !reflect.DeepEqual(a.Questions, full.Questions) {
		t.Errorf("with another region's row: %+v", a.Questions)
	}
	// A returns file without question_group takes the questions file's.
	a = returnsOnly()
	for i := range a.Questions {
		a.Questions[i].Group = GroupNone
	}
	if !ApplyQuestions(a, lines(full), func(RowIssue) { t.Error("issue") }) || a.Questions[0].Group != GroupPrisons {
		t.Errorf("group not taken: %+v", a.Questions[0])
	}
}

// Whatever the input, a read either gives problems (and no questions) or
// questions that write out and read back the same.
func FuzzReadQuestions(f *testing.F) {
	var b bytes.Buffer
	_ = WriteQuestionsCSV(&b, questionFixture(), false)
	f.Add(b.String())
	f.Add(qHeader + "R,q1,Corporate,,Combined,prisons,T,\"a\nb\",L,B\n")
	f.Add(`[{"region":"R","question_id":"q1","alliance":"Corporate","strand":"","respondent_kind":"ROM","question":"T"}]`)
	f.Add(qHeader + "R,q1,\"Corporate\n")
	f.Fuzz(func(t *testing.T, in string) {
		var issues []RowIssue
		qs, err := ReadQuestions(strings.NewReader(in), func(is RowIssue) { issues = append(issues, is) })
		if len(issues) > 0 && qs != nil {
			t.Fatalf("questions despite problems %v", issues)
		}
		if err != nil || len(qs) == 0 {
			return
		}
		a := &Audit{}
		for _, q := range qs {
			a.Questions = append(a.Questions, q.Question)
		}
		var out bytes.Buffer
		if err := WriteQuestionsCSV(&out, a, false); err != nil {
			t.Fatal(err)
		}
		again, err := ReadQuestions(&out, func(is RowIssue) { t.Fatalf("re-read: %v", is) })
		if err != nil || len(again) != len(qs) {
			t.Fatalf("re-read: %d of %d, %v", len(again), len(qs), err)
		}
		for i := range qs {
			if again[i].Question != qs[i].Question {
				t.Fatalf("question %d: %+v became %+v", i, qs[i].Question, again[i].Question)
			}
		}
	})
}
