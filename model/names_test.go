package model

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func testRegister(t testing.TB) *NameRegister {
	t.Helper()
	reg, err := NewNameRegister([]NameEntry{
		{Region: "R", Name: "Birmingham", Kind: NamePrison, Variants: []string{"HMP Birmingham", "Birmingham prison"},
			Except: []string{"Birmingham City Council", "crime in Birmingham"}},
		{Region: "R", Name: "Hewell Grange", Kind: NamePrison, Variants: []string{"Hewll Grange"}},
		{Region: "R", Name: "Stafford", Kind: NamePrison},
		{Region: "R", Name: "Staffordshire", Kind: NameProbationArea, Except: []string{"North Staffordshire"}},
		{Region: "R", Name: "Stoke Heath", Kind: NamePrison},
		{Region: "R", Name: "West Midlands", Kind: NameProbationArea, Variants: []string{"West Mids", "West Mids PA"}},
		{Region: "R", Name: "Stonham", Kind: NameOrganisation, Variants: []string{"Stanhom"}},
		{Region: "S", Name: "Durham", Kind: NamePrison, Variants: []string{"HMP Durham"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

func TestNewNameRegisterRefuses(t *testing.T) {
	tests := []struct {
		name    string
		entries []NameEntry
		want    string
	}{
		{"no region", []NameEntry{{Name: "A", Kind: NamePrison}}, "names register entry 1: needs a region and a name"},
		{"no kind", []NameEntry{{Region: "R", Name: "A"}}, `names register A: kind "" is not Prison, Probation area or Organisation`},
		{"punctuation only", []NameEntry{{Region: "R", Name: "A", Kind: NamePrison, Variants: []string{"--"}}}, `names register A: variant "--" has no letters or digits`},
		{"listed twice", []NameEntry{{Region: "R", Name: "A b", Kind: NamePrison, Variants: []string{"a-B"}}}, `names register A b: "a-B" is listed twice`},
		{"two entries", []NameEntry{{Region: "R", Name: "A", Kind: NamePrison}, {Region: "R", Name: "B", Kind: NamePrison, Variants: []string{"a"}}},
			`names register: "a" names both A and B in R`},
		{"useless exception", []NameEntry{{Region: "R", Name: "Stafford", Kind: NamePrison, Except: []string{"Staffordshire Police"}}},
			`names register Stafford: exception "Staffordshire Police" contains none of its names`},
	}
	for _, tt := range tests {
		_, err := NewNameRegister(tt.entries)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: %v, want %s", tt.name, err, tt.want)
		}
	}
	// One name in two regions is allowed.
	if _, err := NewNameRegister([]NameEntry{{Region: "R", Name: "A", Kind: NamePrison}, {Region: "S", Name: "A", Kind: NamePrison}}); err != nil {
		t.Errorf("same name in two regions: %v", err)
	}
}

func TestLookup(t *testing.T) {
	reg := testRegister(t)
	tests := []struct{ in, want string }{
		{"Hewell Grange", "Hewell Grange"},
		{"hewll grange", "Hewell Grange"},
		{"HEWELL-GRANGE", "Hewell Grange"},
		{"  Hewell   Grange. ", "Hewell Grange"},
		{"HMP Birmingham", "Birmingham"},
		{"birmingham PRISON", "Birmingham"},
		{"HMP Hewell Grange", "Hewell Grange"},
		{"HMYOI Stoke Heath", "Stoke Heath"},
		{"Stafford prison", "Stafford"},
		{"West Midlands Probation", "West Midlands"},
		{"West Midlands Probation Area", "West Midlands"},
		{"west mids pa", "West Midlands"},
		{"West Mids PA", "West Midlands"},
		{"stanhom", "Stonham"},
		{"Durham", "Durham"},
		{"Staffordshire", "Staffordshire"},
		{"Stafford", "Stafford"},
		{"Hewell", ""},
		{"HMP", ""},
		{"prison", ""},
		{"", ""},
		{"Staffordshire prison", ""},
		{"Stafford probation area", ""},
		{"HMP West Midlands", ""},
		{"HMP Stonham", ""},
	}
	for _, tt := range tests {
		e, ok := reg.Lookup(tt.in)
		got := ""
		if ok {
			got = e.Name
		}
		if got != tt.want {
			t.Errorf("Lookup(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	var nilReg *NameRegister
	if _, ok := nilReg.Lookup("x"); ok {
		t.Error("nil register found a name")
	}
}

func TestForRespondentAndFind(t *testing.T) {
	reg := testRegister(t)
	if e := reg.ForRespondent("R", "HEWELL GRANGE"); e == nil || e.Name != "Hewell Grange" {
		t.Errorf("ForRespondent: %+v", e)
	}
	if e := reg.ForRespondent("S", "Hewell Grange"); e != nil {
		t.Errorf("ForRespondent in the wrong region: %+v", e)
	}
	if e := reg.ForRespondent("R", "HMP Hewell Grange"); e != nil {
		t.Errorf("ForRespondent drops prefixes: %+v", e)
	}
	find := func(s string) string {
		var n []string
		for _, e := range reg.Find(s) {
			n = append(n, e.Name)
		}
		return strings.Join(n, ",")
	}
	tests := []struct{ in, want string }{
		{"hewell", "Hewell Grange"},
		{"hewll", "Hewell Grange"},
		{"stafford", "Stafford,Staffordshire"},
		{"mids", "West Midlands"},
		{"hmp", "Birmingham,Durham"},
		{"", ""},
		{"zzz", ""},
	}
	for _, tt := range tests {
		if got := find(tt.in); got != tt.want {
			t.Errorf("Find(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := reg.Find("stafford", NamePrison); len(got) != 1 || got[0].Name != "Stafford" {
		t.Errorf("Find(stafford, Prison) = %v", got)
	}
	if got := reg.Find("stafford", NameOrganisation); len(got) != 0 {
		t.Errorf("Find(stafford, Organisation) = %v", got)
	}
}

func TestReturnConcerns(t *testing.T) {
	reg, err := NewNameRegister([]NameEntry{
		{Region: "R", Name: "Featherstone", Kind: NamePrison, References: []NameReference{{QuestionID: "q9", Respondent: "ROM", Phrase: "Chai", Because: "b"}}},
		{Region: "R", Name: "Stafford", Kind: NamePrison},
		{Region: "S", Name: "Featherstone", Kind: NamePrison},
	})
	if err != nil {
		t.Fatal(err)
	}
	feath := reg.Find("feather", NamePrison)[:1] // region R only
	tests := []struct {
		name string
		r    Return
		want bool
	}{
		{"own return", Return{Section: Section{Region: "R"}, QuestionID: "q1", Respondent: "FEATHERSTONE", Answer: "Na"}, true},
		{"own return elsewhere", Return{Section: Section{Region: "S"}, QuestionID: "q1", Respondent: "Featherstone", Answer: "Na"}, false},
		{"named", Return{Section: Section{Region: "R"}, QuestionID: "q13", Respondent: "ROM", Answer: "Streetworks initiative at Featherstone."}, true},
		{"named elsewhere", Return{Section: Section{Region: "S"}, QuestionID: "q13", Respondent: "ROM", Answer: "Streetworks at Featherstone."}, false},
		{"referenced", Return{Section: Section{Region: "R"}, QuestionID: "q9", Respondent: "ROM", Answer: "Chai Ltd"}, true},
		{"reference is per return", Return{Section: Section{Region: "R"}, QuestionID: "q9", Respondent: "Stafford", Answer: "Chai Ltd"}, false},
		{"another prison", Return{Section: Section{Region: "R"}, QuestionID: "q1", Respondent: "Stafford", Answer: "Featherstones"}, false},
	}
	for _, tt := range tests {
		if got := reg.ReturnConcerns(&tt.r, feath); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
	if reg.ReturnConcerns(&tests[0].r, nil) {
		t.Error("no entries concern nothing")
	}
}

func TestSuggest(t *testing.T) {
	reg := testRegister(t)
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"featherstone", 3, ""},
		{"hewel", 3, "Hewell Grange"},
		{"Hewel Grange", 1, "Hewell Grange"},
		{"grange", 3, "Hewell Grange"},
		{"staford", 2, "Stafford,Staffordshire"},
		{"Birmingam", 3, "Birmingham"},
		{"west mid", 3, "West Midlands"},
		{"stanhum", 3, "Stonham"},
		{"x", 0, ""},
		{"", 3, ""},
	}
	for _, tt := range tests {
		if got := strings.Join(reg.Suggest(tt.in, tt.n), ","); got != tt.want {
			t.Errorf("Suggest(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
	if got := reg.Suggest("stafford", 1); len(got) != 1 || got[0] != "Stafford" {
		t.Errorf("Suggest keeps n: %v", got)
	}
}

func TestMentions(t *testing.T) {
	reg := testRegister(t)
	type m struct{ name, text, sentence string }
	tests := []struct {
		name, text string
		want       []m
	}{
		{"whole word only", "Staffordshire and Stafford.", []m{{"Staffordshire", "Staffordshire", "Staffordshire and Stafford."}, {"Stafford", "Stafford", "Staffordshire and Stafford."}}},
		{"inside a longer word", "Staffordshires Staffords", nil},
		{"possessive", "Stafford's staff.", []m{{"Stafford", "Stafford", "Stafford's staff."}}},
		{"longest wins", "Prison Link to HMP Birmingham. Next.", []m{{"Birmingham", "HMP Birmingham", "Prison Link to HMP Birmingham."}}},
		{"variant", "the Hewll Grange row", []m{{"Hewell Grange", "Hewll Grange", "the Hewll Grange row"}}},
		{"case", "HEWELL GRANGE Na", []m{{"Hewell Grange", "HEWELL GRANGE", "HEWELL GRANGE Na"}}},
		{"line break inside a name", "Hewell\nGrange", []m{{"Hewell Grange", "Hewell\nGrange", "Hewell\nGrange"}}},
		{"hyphen inside a name", "Stoke-Heath", []m{{"Stoke Heath", "Stoke-Heath", "Stoke-Heath"}}},
		{"comma splits names", "Stoke, Heath", nil},
		{"exception", "Birmingham City Council trains staff. Crime in Birmingham falls.", nil},
		{"exception is per place", "Birmingham City Council and Birmingham prison.", []m{{"Birmingham", "Birmingham prison", "Birmingham City Council and Birmingham prison."}}},
		{"exception for one entry only", "North Staffordshire and Stafford", []m{{"Stafford", "Stafford", "North Staffordshire and Stafford"}}},
		{"sentences", "One. Two e.g. West Mids PA here? Three.", []m{{"West Midlands", "West Mids PA", "Two e.g. West Mids PA here?"}}},
		{"paragraphs", "First para.\n\nWest Mids did it\nnext line", []m{{"West Midlands", "West Mids", "West Mids did it"}}},
		{"two regions", "HMP Durham and Stonham", []m{{"Durham", "HMP Durham", "HMP Durham and Stonham"}, {"Stonham", "Stonham", "HMP Durham and Stonham"}}},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		var got []m
		for _, x := range reg.Mentions(tt.text) {
			got = append(got, m{x.Name, x.Text, x.Sentence})
			if tt.text[x.Start:x.End] != x.Text {
				t.Errorf("%s: span [%d,%d) is %q, Text %q", tt.name, x.Start, x.End, tt.text[x.Start:x.End], x.Text)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%s: %q\n got %v\nwant %v", tt.name, tt.text, got, tt.want)
		}
	}
}

func TestMentionsIn(t *testing.T) {
	reg, err := NewNameRegister([]NameEntry{
		{Region: "R", Name: "Featherstone", Kind: NamePrison, Except: []string{"Featherstone Road"}},
		{Region: "S", Name: "Featherstone", Kind: NamePrison},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ region, text, want string }{
		{"R", "at Featherstone", "R"},
		{"S", "at Featherstone", "S"},
		{"T", "at Featherstone", ""},
		{"", "at Featherstone", "R"},
		{"R", "Featherstone Road", ""},
		{"S", "Featherstone Road", "S"}, // R's exception is R's alone
	} {
		var got []string
		for _, m := range reg.MentionsIn(tt.region, tt.text) {
			got = append(got, m.Region)
		}
		if strings.Join(got, ",") != tt.want {
			t.Errorf("MentionsIn(%q, %q) = %v, want %s", tt.region, tt.text, got, tt.want)
		}
	}
}

func TestSentenceAroundClipsLongSentences(t *testing.T) {
	long := strings.Repeat("word ", 100) + "Stafford " + strings.Repeat("more ", 100) + "end."
	i := strings.Index(long, "Stafford")
	s := SentenceAround(long, i, i+len("Stafford"))
	if len(s) > MaxMentionSentence+2*len("…") || !strings.Contains(s, "Stafford") || !strings.HasPrefix(s, "…word") || !strings.HasSuffix(s, "more…") {
		t.Errorf("clipped sentence (%d bytes): %q", len(s), s)
	}
	if got := SentenceAround("One two. Three.", 0, 8); got != "One two." {
		t.Errorf("a span that ends its sentence: %q", got)
	}
	if SentenceAround("abc", 2, 1) != "" || SentenceAround("abc", -1, 1) != "" || SentenceAround("abc", 0, 4) != "" {
		t.Error("bad spans must give an empty sentence")
	}
}

func TestUnknownNameError(t *testing.T) {
	err := error(&UnknownNameError{Name: "Hewel", Suggestions: []string{"Hewell Grange"}})
	if !errors.Is(err, ErrNotFound) {
		t.Error("UnknownNameError is not ErrNotFound")
	}
	if err.Error() != "Hewel is not an establishment or area in the names register; nearest: Hewell Grange" {
		t.Errorf("message: %s", err)
	}
}

// FuzzMentions: whatever the text, mentions are in order, do not overlap,
// their spans hold their Text, their Text looks up to their entry, and
// their sentence holds their Text.
func FuzzMentions(f *testing.F) {
	for _, s := range []string{"Prison Link to HMP Birmingham.", "Hewll  Grange's and Stafford-shire", "Birmingham City Council, Birmingham",
		"West Mids PA. West Mids\nPA", "é Stafford\xff Staffordshire", "HMP HMP Durham", "e.g. Stoke-\nHeath!?"} {
		f.Add(s)
	}
	reg := testRegister(f)
	f.Fuzz(func(t *testing.T, text string) {
		prev := 0
		for _, m := range reg.Mentions(text) {
			if m.Start < prev || m.End <= m.Start || m.End > len(text) {
				t.Fatalf("span [%d,%d) after %d in %q", m.Start, m.End, prev, text)
			}
			prev = m.End
			if text[m.Start:m.End] != m.Text {
				t.Fatalf("Text %q but span holds %q", m.Text, text[m.Start:m.End])
			}
			if e, ok := reg.Lookup(m.Text); !ok || e.Name != m.Name {
				t.Fatalf("mention %q of %s looks up to %+v", m.Text, m.Name, e)
			}
			if !strings.Contains(m.Sentence, m.Text) {
				t.Fatalf("sentence %q lacks %q", m.Sentence, m.Text)
			}
			if utf8.ValidString(text) && !utf8.ValidString(m.Sentence) {
				t.Fatalf("sentence %q cut inside a character", m.Sentence)
			}
		}
	})
}
