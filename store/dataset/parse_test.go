package dataset

import (
	"strings"
	"testing"
)

const head = "Record: region\nName: R\n\nRecord: respondent\nRegion: R\nKind: Prison\nName: Featherstone\n\n" +
	"Record: question\nRegion: R\nAlliance: Civic Society\nKind: Prison\nId: q1\nTitle: T\n\n"

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"no record field", "Name: x\n", "line 1: record has no Record: field"},
		{"unknown type", "Record: banana\n", `line 1: unknown record type "banana"`},
		{"unknown field", "Record: region\nName: R\nColour: red\n", "line 3: region: unknown field colour"},
		{"duplicate field", "Record: region\nName: R\nName: S\n", "line 3: field name appears twice in one record"},
		{"missing field", "Record: region\n", "line 1: region: field name is required"},
		{"not a field", "Record: region\nwhat is this\n", `line 2: expected "Field: value", got "what is this"`},
		{"stray continuation", " orphan\n", "line 1: a continuation line (starting with a space) must follow a field"},
		{"undeclared region", "Record: respondent\nRegion: Nowhere\nKind: ROM\nName: ROM\n", `line 2: respondent: region "Nowhere" is not declared`},
		{"bad kind", "Record: region\nName: R\n\nRecord: respondent\nRegion: R\nKind: Castle\nName: X\n", `line 6: respondent: Castle is not a respondent kind (ROM, Prison, Probation, Area Chaplain or Region)`},
		{"strand rule", "Record: region\nName: R\n\nRecord: question\nRegion: R\nAlliance: Faith & VCS\nKind: ROM\nId: q\nTitle: T\n", "line 4: question: Faith & VCS needs a strand (Faith or VCS) and other alliances none"},
		{"unknown question", head + "Record: return\nRegion: R\nQuestion: q9\nRespondent: Featherstone\nStatus: answered\nAnswer: a\n", `line 18: return: question "q9" is not declared`},
		{"unknown respondent", head + "Record: return\nRegion: R\nQuestion: q1\nRespondent: Nowhere\nStatus: answered\nAnswer: a\n", `line 19: return: respondent "Nowhere" is not declared as Prison`},
		{"bad status", head + "Record: return\nRegion: R\nQuestion: q1\nRespondent: Featherstone\nStatus: answerd\nAnswer: a\n", `line 20: return: answerd is not a return status (answered, not_answered or no_return)`},
		{"empty answer", head + "Record: return\nRegion: R\nQuestion: q1\nRespondent: Featherstone\nStatus: answered\n", "line 16: return: answered needs the source's text"},
		{"no_return with text", head + "Record: return\nRegion: R\nQuestion: q1\nRespondent: Featherstone\nStatus: no_return\nAnswer: x\n", "line 21: return: a no_return has no answer"},
		{"second return", head + "Record: return\nRegion: R\nQuestion: q1\nRespondent: Featherstone\nStatus: answered\nAnswer: a\n\n" +
			"Record: return\nRegion: R\nQuestion: q1\nRespondent: featherstone\nStatus: answered\nAnswer: b\n", `line 26: return: a second return from "Featherstone" to q1`},
		{"bad matrix cell", "Record: region\nName: R\n\nRecord: pathways\nRegion: R\nAlliance: Civic Society\nKind: Prison\nTitle: T\n" +
			"Pathway-1: a\nPathway-2: a\nPathway-3: a\nPathway-4: a\nPathway-5: a\nPathway-6: a\nPathway-7: a\nRows:\n Birmingham | X | Y |  |  |  |  | \n",
			"line 17: pathways: cell 2 of Birmingham must be X or empty, got \"Y\""},
		{"short matrix row", "Record: region\nName: R\n\nRecord: pathways\nRegion: R\nAlliance: Civic Society\nKind: Prison\nTitle: T\n" +
			"Pathway-1: a\nPathway-2: a\nPathway-3: a\nPathway-4: a\nPathway-5: a\nPathway-6: a\nPathway-7: a\nRows:\n Birmingham | X\n",
			"line 17: pathways: a row needs a name and 7 cells, got 1 cells"},
		{"kpi before summary", "Record: region\nName: R\n\nRecord: kpi\nRegion: R\nAlliance: Corporate\nSubject: s\nMeasure: m\nFigure: 1\nText: t\n", "line 6: kpi: no summary for Corporate precedes this kpi"},
		{"invalid utf8", "Record: region\nName: \xff\n", "line 2: not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tt.in))
			if err == nil || err.Error() != tt.want {
				t.Fatalf("got %v\nwant %s", err, tt.want)
			}
		})
	}
}

func TestParseContinuationLines(t *testing.T) {
	in := head + "# a comment\nRecord: return\nRegion: R\nQuestion: q1\nRespondent: Featherstone\nStatus: answered\n" +
		"Answer: first line\n second line\n .\n   indented third\n"
	a, err := Parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if got := a.Returns[0].Answer; got != "first line\nsecond line\n\n  indented third" {
		t.Errorf("answer %q", got)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(head)
	f.Add(head + "Record: return\nRegion: R\nQuestion: q1\nRespondent: Featherstone\nStatus: answered\nAnswer: a\n b\n .\n")
	f.Add(string(westMidlands[:4000]))
	f.Add("Record: pathways\nRows:\n a | X\n")
	f.Fuzz(func(t *testing.T, in string) {
		a, err := Parse(strings.NewReader(in))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "line ") {
				t.Fatalf("error without a line: %v", err)
			}
			return
		}
		for _, r := range a.Returns {
			if r.Status != "no_return" && strings.TrimSpace(r.Answer) == "" {
				t.Fatal("accepted an empty answer")
			}
		}
	})
}
