package auditdata

import (
	"regexp"
	"strings"
	"testing"

	"charter/model"
	"charter/tui/common"
)

func hostileAudit() *model.Audit {
	sec := model.Section{Region: "R\x1b[31m\u202e", Alliance: model.AllianceCivic, Kind: model.KindPrison}
	sec2 := model.Section{Region: "Plain", Alliance: model.AllianceCivic, Kind: model.KindPrison}
	return &model.Audit{
		Respondents: []model.Respondent{{Region: sec.Region, Kind: sec.Kind, Name: "N\x07ame", Normalised: "F\x1b]0;x\x07ixed"}},
		Questions: []model.Question{
			{Section: sec, ID: "q\u009b1", Order: 1, Title: "T\x1b[2Jitle", Prompt: "p1\np\x082", Benchmark: "b1\nb\u20662"},
			{Section: sec2, ID: "p1", Order: 1, Title: "Plain"},
		},
		Returns: []model.Return{{Section: sec, QuestionID: "q\u009b1", Respondent: "N\x07ame", Status: model.StatusAnswered,
			Answer: "a\x1b[1m1\na2\r", Annotation: model.Annotation{Comment: "c\x1bP+q\x1b\\1", By: "b\u009dx\u009cy"}}},
		Comments: []model.RegionalComment{{Section: sec, Heading: "H\x1b[7m", Respondent: "N\x07ame", Text: "t1\nt\x1b[8m2"}},
	}
}

func clean(t *testing.T, what, s string, multiline bool) {
	t.Helper()
	for _, r := range s {
		if r == 0x1b || (r < 0x20 && !(multiline && r == '\n')) || (r >= 0x80 && r < 0xa0) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
			t.Fatalf("%s carries %U: %q", what, r, s)
		}
	}
}

// Index neutralises every text a screen draws, keeping the raw key for
// writes and newlines where the text has lines.
func TestIndexNeutralisesText(t *testing.T) {
	a := hostileAudit()
	d := Index(a)
	r := d.Rows[0]
	if r.Key != a.Returns[0].Key() || d.Row[a.Returns[0].Key()] != r {
		t.Fatalf("raw key lost: %+v", r.Key)
	}
	for what, s := range map[string]string{"region": r.Region, "id": r.QuestionID, "respondent": r.Respondent, "name": r.Name,
		"section": r.Section, "comment": r.Note.Comment, "by": r.Note.By, "title": SectionTitle(a.Returns[0].Section)} {
		clean(t, what, s, false)
	}
	clean(t, "answer", r.Answer, true)
	if r.Answer != "a1\na2" || r.Respondent != "Name (Fixed)" {
		t.Fatalf("answer %q respondent %q", r.Answer, r.Respondent)
	}
	q := d.QText[&a.Questions[0]]
	for what, s := range map[string]string{"qid": q.ID, "qtitle": q.Title, "heading": q.Heading, "label": q.BenchmarkLabel} {
		clean(t, what, s, false)
	}
	if q.Prompt != "p1\np2" || q.Benchmark != "b1\nb2" || q.BenchmarkLabel != "BENCHMARK" {
		t.Fatalf("question text %+v", q)
	}
	c := d.CText[&a.Comments[0]]
	clean(t, "heading", c.Heading+c.Respondent, false)
	clean(t, "comment text", c.Text, true)
	d.SetAnnotation(r.Key, model.Annotation{Comment: "x\x1b[5my", By: "z"})
	if r.Note.Comment != "xy" || r.Ret.Annotation.Comment != "x\x1b[5my" {
		t.Fatalf("after SetAnnotation: %+v / %q", r.Note, r.Ret.Annotation.Comment)
	}
	for _, ch := range HistoryText([]model.AnnotationChange{{By: "b\x1b[1m", Field: "comment", Old: "", New: "n\u202e"}}) {
		clean(t, "history", ch.By+ch.Field+ch.Old+ch.New, false)
		if ch.Old != "∅" {
			t.Fatalf("old %q", ch.Old)
		}
	}
	if strings.Contains(SectionTitle(a.Returns[0].Section), "\x1b") {
		t.Fatal("section title")
	}
}

// Section only reads; Clamp and Select move the picker.
func TestPickerSectionDoesNotMove(t *testing.T) {
	d := Index(hostileAudit())
	var p Picker
	p.Step(d, 1)
	before := p
	small := Index(&model.Audit{Questions: hostileAudit().Questions[:1]})
	if s, ok := p.Section(small); !ok || s != small.Sections[0] {
		t.Fatalf("section %+v %v", s, ok)
	}
	if p != before {
		t.Fatalf("Section moved the picker")
	}
	p.Clamp(small)
	if p.cur != 0 {
		t.Fatalf("clamp: %d", p.cur)
	}
	if !p.Select(d, d.Sections[1]) || p.cur != 1 {
		t.Fatalf("select: %d", p.cur)
	}
	p.NextKind(small) // out of range before: must not panic
	p.NextAlliance(&Data{})
}

// A dossier's every text is neutralised, and its parts are all drawn.
func TestDossierLinesNeutraliseAndShowEveryPart(t *testing.T) {
	bad := "X\x1b]0;title\x07\u202eY\u009b2J\x08"
	sec := model.Section{Region: bad, Alliance: model.AllianceCivic, Kind: model.KindPrison}
	d := model.Dossier{Name: bad, Region: bad, Kind: model.NamePrison, Variants: []string{bad},
		Alliances: []model.DossierAlliance{{Alliance: model.AllianceCivic, Status: model.DossierReturned, Answered: 1},
			{Alliance: model.AllianceCorporate, Status: model.DossierNone, Through: []string{bad}}},
		Returns: []model.DossierReturn{{Section: sec, Order: 3, Question: bad, Status: model.StatusAnswered, Answer: bad + "\nline two",
			Rating: model.RatingPartly, GoodPractice: true, Comment: bad}},
		Mentions: []model.DossierMention{{Place: model.MentionPlace{Source: model.PlaceAnswer, Region: bad, Alliance: model.AllianceCorporate,
			QuestionID: bad, Question: bad, Respondent: bad}, Sentence: bad, Inferred: true, Because: bad}},
		Matrix: []model.DossierMatrixRow{{Section: sec, Title: bad, Establishment: bad,
			Pathways: []model.DossierPathway{{Number: 1, Name: "Accommodation", NameInferred: true, Marked: true}}}},
		PathwayNamesNote: model.PathwayNamesNote,
	}
	st := common.NewStyles(true)
	lines := DossierLines(st, d, 60)
	text := strings.Join(lines, "\n")
	clean(t, "dossier", stripSGR(text), true)
	plain := stripSGR(text)
	for _, want := range []string{"Dossier: X", "Civic Society: returned — 1 answered, 0 not answered",
		"Corporate: no returns of its own; answered for by X", "[partly] ★ good practice", "line two",
		"comment: X", "Mentions elsewhere (1)", "inferred, not named: X", "✓ 1 Accommodation*", "an inference"} {
		if !strings.Contains(plain, want) {
			t.Errorf("dossier lacks %q:\n%s", want, plain)
		}
	}
	for _, l := range lines {
		if common.Width(l) > 60 {
			t.Errorf("line wider than 60: %q", stripSGR(l))
		}
	}
	un := UnknownNameLines(st, bad, &model.UnknownNameError{Name: bad, Suggestions: []string{bad, "Featherstone"}}, 60)
	u := stripSGR(strings.Join(un, "\n"))
	clean(t, "unknown name", u, true)
	if !strings.Contains(u, "The nearest names:") || !strings.Contains(u, "  Featherstone") {
		t.Errorf("unknown name:\n%s", u)
	}
}

// stripSGR removes the styling the screens add (SGR only), so what the
// data carried is left to be checked.
func stripSGR(s string) string { return sgr.ReplaceAllString(s, "") }

var sgr = regexp.MustCompile(`\x1b\[[0-9;:]*m`)
