package model

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func twoRegions() *Audit {
	r := Section{Region: "R", Alliance: AllianceCivic, Kind: KindPrison}
	s := Section{Region: "S", Alliance: AllianceCorporate, Kind: KindCombined}
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	return &Audit{
		Regions:     []string{"R", "S"},
		Respondents: []Respondent{{Region: "R", Kind: KindPrison, Name: "Pike"}, {Region: "S", Kind: KindCombined, Name: "ROM"}, {Region: "S", Kind: KindProbation, Name: "Tees PA"}},
		Questions:   []Question{{Section: r, ID: "r1", Order: 1, Title: "A", Benchmark: "B", BenchmarkLabel: "L"}, {Section: s, ID: "s1", Order: 1, Title: "PRISONS IN THE REGION", Group: GroupPrisons}},
		Returns: []Return{
			{Section: r, QuestionID: "r1", Respondent: "Pike", Status: StatusAnswered, Answer: "yes", Annotation: Annotation{Rating: RatingMeets, By: "priya", At: at, Version: 1}},
			{Section: s, QuestionID: "s1", Respondent: "ROM", Status: StatusAnswered, Answer: "Pike works"},
		},
		Comments:  []RegionalComment{{Section: r, Heading: "REGIONAL COMMENTS", Text: "fine"}},
		Pathways:  []PathwayMatrix{{Section: r, Title: "M", Rows: []PathwayRow{{Establishment: "Pike", Marks: [NumPathways]bool{true}}}}},
		Summaries: []Summary{{Region: "S", Alliance: AllianceCorporate, Title: "S summary", Paragraphs: []string{"p"}, KPIs: []KPI{{Subject: "Prisons", Measure: "ETE", Figure: "+1%"}}}},
	}
}

func TestRegionOfAndFindRegion(t *testing.T) {
	a := twoRegions()
	r := RegionOf(a, "R")
	if len(r.Respondents) != 1 || len(r.Questions) != 1 || len(r.Returns) != 1 || len(r.Comments) != 1 || len(r.Pathways) != 1 || len(r.Summaries) != 0 {
		t.Errorf("R: %+v", r)
	}
	s := RegionOf(a, "S")
	if len(s.Respondents) != 2 || len(s.Returns) != 1 || len(s.Summaries) != 1 || len(s.Comments) != 0 {
		t.Errorf("S: %+v", s)
	}
	for in, want := range map[string]string{"": "R", " s ": "S", "r": "R"} {
		if got, err := FindRegion(a, in); got != want || err != nil {
			t.Errorf("FindRegion(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := FindRegion(a, "Wales"); !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "it holds R, S") {
		t.Errorf("unknown region: %v", err)
	}
	if _, err := FindRegion(&Audit{}, ""); !errors.Is(err, ErrNotFound) {
		t.Errorf("empty audit: %v", err)
	}
}

func TestRegionExport(t *testing.T) {
	a := twoRegions()
	hist := []AnnotationChange{{Version: 1, By: "priya", Field: "rating", New: "meets"}}
	calls := 0
	x, err := NewRegionExport(a, "R", func(k ReturnKey) ([]AnnotationChange, error) {
		calls++
		if k != (ReturnKey{"R", "r1", "Pike"}) {
			t.Errorf("history asked for %v", k)
		}
		return hist, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if calls != 1 || x.Format != RegionExportFormat || x.Region != "R" || len(x.Returns) != 1 || !reflect.DeepEqual(x.Returns[0].History, hist) ||
		x.Returns[0].Annotation.Rating != RatingMeets || x.PathwayNames[1] != "Education, training and employment" || x.Summaries == nil {
		t.Errorf("export %+v", x)
	}
	data, _ := json.Marshal(x)
	for _, want := range []string{`"format":"charter-region/1"`, `"benchmark":"B"`, `"history":[{"version":1`, `"summaries":[]`, `"pathway_names_note":"The source prints only pathway numbers`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("JSON lacks %s:\n%s", want, data)
		}
	}
	// Read back, its source data is the region's, without annotations.
	var back RegionExport
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	got := back.Audit()
	want := RegionOf(a, "R")
	want.Returns[0].Annotation = Annotation{}
	want.Summaries = []Summary{}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip:\n%+v\nwant\n%+v", got, want)
	}
	// A history that fails fails the export.
	if _, err := NewRegionExport(a, "R", func(ReturnKey) ([]AnnotationChange, error) { return nil, errors.New("disk") }); err == nil {
		t.Error("history error lost")
	}
}

func TestRegisterWithRespondents(t *testing.T) {
	a := twoRegions()
	reg, err := NewNameRegister([]NameEntry{{Region: "R", Name: "Pike", Kind: NamePrison, Variants: []string{"Pyke"}}})
	if err != nil {
		t.Fatal(err)
	}
	ext, err := RegisterWithRespondents(reg, a)
	if err != nil {
		t.Fatal(err)
	}
	// S's probation area is added; its combined ROM is not a place; R is
	// the register's own and keeps its entry.
	var names []string
	for _, e := range ext.Entries() {
		names = append(names, e.Region+"/"+e.Name+"/"+string(e.Kind))
	}
	if got := strings.Join(names, "|"); got != "R/Pike/Prison|S/Tees PA/Probation area" {
		t.Errorf("entries %s", got)
	}
	if e, ok := ext.Lookup("tees pa"); !ok || e.Region != "S" {
		t.Errorf("lookup %v %v", e, ok)
	}
	if same, _ := RegisterWithRespondents(reg, RegionOf(a, "R")); same != reg {
		t.Error("nothing to add should give the register back")
	}
}

func TestReadRegionExport(t *testing.T) {
	a := twoRegions()
	x, err := NewRegionExport(a, "R", nil)
	if err != nil {
		t.Fatal(err)
	}
	good, _ := json.Marshal(x)
	read := func(data []byte) (*Audit, []string, error) {
		var issues []string
		got, err := ReadRegionExport(strings.NewReader(string(data)), func(is RowIssue) { issues = append(issues, is.Error()) })
		return got, issues, err
	}
	got, issues, err := read(good)
	want := RegionOf(a, "R")
	want.Returns[0].Annotation = Annotation{}
	want.Summaries = []Summary{}
	if err != nil || len(issues) > 0 || !reflect.DeepEqual(got, want) {
		t.Fatalf("read back: %v %v\n%+v", issues, err, got)
	}
	for _, tc := range []struct {
		name string
		edit func(*RegionExport)
		want string
	}{
		{"other region", func(x *RegionExport) { x.Questions[0].Region = "S" }, `question 1: region S is not the file's region R`},
		{"alliance", func(x *RegionExport) { x.Returns[0].Alliance = "Civic" }, "return 1: Civic is not an alliance"},
		{"kind", func(x *RegionExport) { x.Questions[0].Kind = "prison" }, `question 1: respondent kind prison is not one of ROM, Prison`},
		{"status", func(x *RegionExport) { x.Returns[0].Status = "done" }, "return 1: status done is not answered, not_answered or no_return"},
		{"answered without text", func(x *RegionExport) { x.Returns[0].Answer = " " }, "return 1: an answered return needs its text"},
		{"no_return with text", func(x *RegionExport) { x.Returns[0].Status = StatusNoReturn }, "return 1: a no_return return has no answer"},
		{"group outside combined", func(x *RegionExport) { x.Questions[0].Group = GroupPrisons }, "question 1: only a combined assessment has question groups"},
		{"strand", func(x *RegionExport) { x.Comments[0].Strand = StrandFaith }, "comment 1: Faith & VCS needs a strand"},
		{"title", func(x *RegionExport) { x.Questions[0].Title = "" }, "question 1: title is required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var y RegionExport
			_ = json.Unmarshal(good, &y)
			tc.edit(&y)
			data, _ := json.Marshal(&y)
			got, issues, err := read(data)
			if got != nil || err != nil || len(issues) == 0 || !strings.HasPrefix(issues[0], tc.want) {
				t.Errorf("got %v %q %v, want %s", got != nil, issues, err, tc.want)
			}
		})
	}
	for in, want := range map[string]string{
		`{"format":"charter-region/9","region":"R"}`: `format is charter-region/9; this charter reads charter-region/1`,
		`{"format":"charter-region/1","region":" "}`: "names no usable region",
		`{"format":"charter-region/1","region":"R"}`: "the region file has no returns",
		`[1,2]`: "not a region export in JSON",
	} {
		if _, _, err := read([]byte(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %s", in, err, want)
		}
	}
}

// Whatever the input, a region file read gives either problems and no
// audit, or an audit of one region whose every record is in it and whose
// every return has a known status agreeing with its answer.
func FuzzReadRegionExport(f *testing.F) {
	x, _ := NewRegionExport(twoRegions(), "R", nil)
	good, _ := json.Marshal(x)
	f.Add(string(good))
	f.Add(`{"format":"charter-region/1","region":"R","returns":[{"region":"R","alliance":"Corporate","strand":"","respondent_kind":"Combined","status":"answered","answer":"x"}]}`)
	f.Add(`{"format":"charter-region/1","region":"R","returns":[{"region":"S","status":"no_return","answer":"x"}]}`)
	f.Fuzz(func(t *testing.T, in string) {
		var issues []RowIssue
		a, err := ReadRegionExport(strings.NewReader(in), func(is RowIssue) { issues = append(issues, is) })
		if a == nil {
			if err == nil && len(issues) == 0 {
				t.Fatal("no audit, no error and no problem")
			}
			return
		}
		if err != nil || len(issues) > 0 || len(a.Regions) != 1 || len(a.Returns) == 0 {
			t.Fatalf("audit with %v, %v, regions %v", err, issues, a.Regions)
		}
		for _, r := range a.Returns {
			if r.Region != a.Regions[0] || r.Annotation != (Annotation{}) {
				t.Fatalf("return %+v", r)
			}
			switch r.Status {
			case StatusAnswered:
				if strings.TrimSpace(r.Answer) == "" {
					t.Fatal("answered without text")
				}
			case StatusNoReturn:
				if r.Answer != "" {
					t.Fatal("no_return with text")
				}
			case StatusNotAnswered:
			default:
				t.Fatalf("status %q", r.Status)
			}
			if _, err := ParseAlliance(string(r.Alliance)); err != nil {
				t.Fatal(err)
			}
		}
		for _, q := range a.Questions {
			if q.Region != a.Regions[0] || (q.Group != GroupNone && q.Kind != KindCombined) {
				t.Fatalf("question %+v", q)
			}
		}
	})
}
