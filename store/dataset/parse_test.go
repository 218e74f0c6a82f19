package dataset

import (
	"strings"
	"testing"

	"charter/model"
)

const head = "Record: region\nName: R\n\nRecord: respondent\nRegion: R\nKind: Prison\nName: Featherstone\n\n" +
	"Record: question\nRegion: R\nAlliance: Civic Society\nKind: Prison\nId: q1\nTitle: T\n\n"

// names is head with one return, for the register's records to follow.
const names = head + "Record: return\nRegion: R\nQuestion: q1\nRespondent: Featherstone\nStatus: answered\nAnswer: Featherstone and HMP F.\n\n"

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
		{"bad kind", "Record: region\nName: R\n\nRecord: respondent\nRegion: R\nKind: Castle\nName: X\n", `line 6: respondent: Castle is not a respondent kind (ROM, Prison, Probation, Area Chaplain, Combined or Region)`},
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
		{"combined without group", "Record: region\nName: R\n\nRecord: question\nRegion: R\nAlliance: Corporate\nKind: Combined\nId: q\nTitle: T\n",
			"line 7: question: a question of kind ROM/Prisons/Probation (combined) needs a Group (rom, prisons or probation)"},
		{"group outside combined", "Record: region\nName: R\n\nRecord: question\nRegion: R\nAlliance: Corporate\nKind: ROM\nGroup: prisons\nId: q\nTitle: T\n",
			"line 8: question: only questions of kind Combined have a group; this one is ROM"},
		{"bad group", "Record: region\nName: R\n\nRecord: question\nRegion: R\nAlliance: Corporate\nKind: ROMS PRISONS/PROBATION\nGroup: chaplains\nId: q\nTitle: T\n",
			"line 8: question: chaplains is not a question group (empty, rom, prisons or probation)"},
		{"bad name kind", names + "Record: name\nRegion: R\nKind: Castle\nName: Featherstone\n", "line 25: name: Castle is not a name kind (Prison, Probation area or Organisation)"},
		{"name twice", names + "Record: name\nRegion: R\nKind: Prison\nName: Featherstone\n\nRecord: name\nRegion: R\nKind: Prison\nName: FEATHERSTONE\n",
			`line 31: name: "FEATHERSTONE" is already in the names register`},
		{"variant shared", names + "Record: name\nRegion: R\nKind: Prison\nName: Featherstone\nVariants:\n HMP F\n\nRecord: name\nRegion: R\nKind: Prison\nName: Fosse\nVariants:\n hmp-f\n",
			`line 33: name: names register: "hmp-f" names both Featherstone and Fosse in R`},
		{"empty variant", names + "Record: name\nRegion: R\nKind: Prison\nName: Featherstone\nVariants:\n HMP F\n .\n", "line 29: variants: an empty item in the list"},
		{"useless exception", names + "Record: name\nRegion: R\nKind: Prison\nName: Featherstone\nExcept:\n Stafford Road\n",
			`line 26: name: names register Featherstone: exception "Stafford Road" contains none of its names`},
		{"variant not printed", names + "Record: name\nRegion: R\nKind: Prison\nName: Featherstone\nVariants:\n Fetherstone\n",
			`line 28: name: "Fetherstone" (Featherstone) is not printed anywhere in the text of R`},
		{"reference to unknown name", names + "Record: reference\nRegion: R\nName: Fosse\nQuestion: q1\nRespondent: Featherstone\nPhrase: a\nBecause: b\n",
			`line 25: reference: "Fosse" is not in the names register (a name record must come first)`},
		{"reference phrase not in answer", names + "Record: name\nRegion: R\nKind: Prison\nName: Featherstone\n\nRecord: reference\nRegion: R\nName: Featherstone\nQuestion: q1\nRespondent: Featherstone\nPhrase: alley\nBecause: b\n",
			`line 33: reference: the answer of "Featherstone" to q1 does not contain "alley"`},
		{"reference to no return", names + "Record: name\nRegion: R\nKind: Prison\nName: Featherstone\n\nRecord: reference\nRegion: R\nName: Featherstone\nQuestion: q2\nRespondent: Featherstone\nPhrase: a\nBecause: b\n",
			`line 32: reference: no return from "Featherstone" to "q2" precedes this reference`},
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
	f.Add(names + "Record: name\nRegion: R\nKind: Prison\nName: Featherstone\nVariants:\n HMP F\n\n" +
		"Record: reference\nRegion: R\nName: Featherstone\nQuestion: q1\nRespondent: Featherstone\nPhrase: and\nBecause: b\n")
	f.Add(string(westMidlands[len(westMidlands)-3000:]))
	f.Fuzz(func(t *testing.T, in string) {
		a, reg, err := ParseAll(strings.NewReader(in))
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
		qs := map[string]model.Question{}
		for _, q := range a.Questions {
			qs[q.Region+"/"+q.ID] = q
			if (q.Kind == model.KindCombined) != (q.Group != model.GroupNone) {
				t.Fatalf("question %s: kind %s with group %q", q.ID, q.Kind, q.Group)
			}
		}
		// Every accepted spelling finds its entry, and every reference
		// points at a return whose answer holds its phrase.
		for _, e := range reg.Entries() {
			for _, n := range e.Names() {
				if x, ok := reg.Lookup(n); !ok || model.FoldName(x.Name) != model.FoldName(e.Name) && x.Region == e.Region {
					t.Fatalf("%q does not find %s", n, e.Name)
				}
			}
			for _, ref := range e.References {
				found := false
				for _, r := range a.Returns {
					if r.Region == e.Region && r.QuestionID == ref.QuestionID && r.Respondent == ref.Respondent && strings.Contains(r.Answer, ref.Phrase) {
						found = true
					}
				}
				if !found {
					t.Fatalf("reference %+v has no return holding its phrase", ref)
				}
			}
		}
	})
}
