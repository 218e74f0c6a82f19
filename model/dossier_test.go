package model

import (
	"errors"
	"strings"
	"testing"
)

// A small region: prison P answers one Civic question; a combined
// Corporate question in the prisons group names P; a comment and the
// summary name it; the matrix has its row and names an organisation.
func dossierFixture(t *testing.T) (*Audit, *NameRegister) {
	t.Helper()
	civic := Section{Region: "R", Alliance: AllianceCivic, Kind: KindPrison}
	corp := Section{Region: "R", Alliance: AllianceCorporate, Kind: KindCombined}
	other := Section{Region: "S", Alliance: AllianceCivic, Kind: KindPrison}
	a := &Audit{
		Regions: []string{"R", "S"},
		Questions: []Question{
			{Section: civic, ID: "c1", Order: 1, Title: "Q ONE"},
			{Section: corp, ID: "k1", Order: 1, Title: "PRISONS IN THE REGION", Group: GroupPrisons, Prompt: "Which prisons?"},
			{Section: corp, ID: "k2", Order: 2, Title: "PROBATION AREAS", Group: GroupProbation, Prompt: "Which areas?"},
			{Section: other, ID: "o1", Order: 1, Title: "ELSEWHERE"},
		},
		Returns: []Return{
			{Section: civic, QuestionID: "c1", Respondent: "Pike Hall", Status: StatusAnswered, Answer: "Pike Hall *works* | with [us].",
				Annotation: Annotation{Rating: RatingPartly, GoodPractice: true, Comment: "good\x1b[31m start"}},
			{Section: civic, QuestionID: "c1", Respondent: "Quarry", Status: StatusNoReturn},
			{Section: corp, QuestionID: "k1", Respondent: "ROM", Status: StatusAnswered, Answer: "Quarry sent nothing. HMP Pike Hall works with Acme."},
			{Section: corp, QuestionID: "k2", Respondent: "ROM", Status: StatusAnswered, Answer: "Pike Hall is not an area, but is named."},
			{Section: other, QuestionID: "o1", Respondent: "Pike Hall", Status: StatusAnswered, Answer: "Another region's Pike Hall."},
		},
		Comments:  []RegionalComment{{Section: civic, Heading: "REGIONAL COMMENTS", Text: "Pike Hall and Quarry differ."}},
		Summaries: []Summary{{Region: "R", Alliance: AllianceCorporate, Title: "R – Summary", Paragraphs: []string{"Nothing.", "Pike Hall leads."}}},
		Pathways: []PathwayMatrix{{Section: civic, Title: "MATRIX", Rows: []PathwayRow{
			{Establishment: "Pyke Hall", Marks: [NumPathways]bool{true, false, true}},
			{Establishment: "Quarry"}},
			Organisations: [NumPathways]string{"Acme Ltd", "", "", "", "", "", ""}}},
	}
	reg, err := NewNameRegister([]NameEntry{
		{Region: "R", Name: "Pike Hall", Kind: NamePrison, Variants: []string{"Pyke Hall", "HMP Pike Hall"}},
		{Region: "R", Name: "Quarry", Kind: NamePrison},
		{Region: "R", Name: "Acme", Kind: NameOrganisation, References: []NameReference{{QuestionID: "k2", Respondent: "ROM", Phrase: "not an area", Because: "a test"}}},
		{Region: "S", Name: "Pike Hall", Kind: NamePrison},
	})
	if err != nil {
		t.Fatal(err)
	}
	return a, reg
}

func TestBuildDossier(t *testing.T) {
	a, reg := dossierFixture(t)
	d, err := BuildDossier(a, reg, "pyke hall")
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "Pike Hall" || d.Region != "R" || len(d.Returns) != 1 || d.Returns[0].Rating != RatingPartly || !d.Returns[0].GoodPractice {
		t.Fatalf("dossier %+v", d)
	}
	var got []string
	for _, m := range d.Mentions {
		got = append(got, m.Place.Source+":"+m.Text+":"+m.Sentence)
	}
	want := []string{
		"answer:HMP Pike Hall:HMP Pike Hall works with Acme.", // the longest spelling; its own answer is not a mention
		"answer:Pike Hall:Pike Hall is not an area, but is named.",
		"comment:Pike Hall:Pike Hall and Quarry differ.",
		"summary:Pike Hall:Pike Hall leads.",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("mentions:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if d.Mentions[0].Place.Question != "Prisons in the region · Which prisons?" || d.Mentions[3].Place.Paragraph != 2 {
		t.Errorf("places %+v / %+v", d.Mentions[0].Place, d.Mentions[3].Place)
	}
	if len(d.Matrix) != 1 || d.Matrix[0].Establishment != "Pyke Hall" || !d.Matrix[0].Pathways[2].Marked || d.Matrix[0].Pathways[2].Name != "Health" {
		t.Errorf("matrix %+v", d.Matrix)
	}
	if len(d.Alliances) != 2 || d.Alliances[0].Status != DossierReturned || d.Alliances[0].Answered != 1 ||
		d.Alliances[1].Status != DossierNone || strings.Join(d.Alliances[1].Through, ";") != "ROM · "+string(KindCombined) {
		t.Errorf("alliances %+v", d.Alliances)
	}

	q, err := BuildDossier(a, reg, "Quarry")
	if err != nil || q.Alliances[0].Status != DossierNoReturn || q.Alliances[0].NoReturn != 1 || len(q.Mentions) != 2 {
		t.Errorf("Quarry: %v %+v", err, q)
	}
	acme, err := BuildDossier(a, reg, "acme")
	if err != nil || len(acme.Mentions) != 3 || acme.Mentions[0].Inferred || !acme.Mentions[1].Inferred || acme.Mentions[1].Because != "a test" ||
		acme.Mentions[1].Sentence != "Pike Hall is not an area, but is named." || acme.Mentions[2].Place.Source != PlaceMatrix {
		t.Errorf("Acme: %v %+v", err, acme.Mentions)
	}
	for _, al := range acme.Alliances {
		if al.Status != DossierNone || len(al.Through) != 0 {
			t.Errorf("an organisation is answered for by nobody: %+v", al)
		}
	}
}

func TestBuildDossierErrors(t *testing.T) {
	a, reg := dossierFixture(t)
	_, err := BuildDossier(a, reg, "Pike Hal")
	var un *UnknownNameError
	if !errors.As(err, &un) || !errors.Is(err, ErrNotFound) || strings.Join(un.Suggestions, ",") != "Pike Hall" {
		t.Errorf("unknown: %v", err)
	}
	if _, err := BuildDossier(nil, reg, "Quarry"); err == nil {
		t.Error("nil audit accepted")
	}
	if _, err := BuildDossier(a, nil, "Quarry"); err == nil {
		t.Error("nil register accepted")
	}
}

func TestDossierMarkdownEscapes(t *testing.T) {
	a, reg := dossierFixture(t)
	d, _ := BuildDossier(a, reg, "Pike Hall")
	md := d.Markdown()
	for _, want := range []string{
		"> Pike Hall \\*works\\* \\| with \\[us\\].\n",
		"— answered · partly · good practice\n",
		"Reviewer's comment: good start\n",
		"| 3 | Health | X |  |\n",
		PathwayNamesNote,
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}
	if strings.ContainsRune(md, 0x1b) {
		t.Error("an escape sequence reached the Markdown")
	}
}

func TestPathwayName(t *testing.T) {
	want := []string{"", "Accommodation", "Education, training and employment", "Health", "Drugs and alcohol",
		"Finance, benefit and debt", "Children and families", "Attitudes, thinking and behaviour", ""}
	for n := 0; n <= 8; n++ {
		if got := PathwayName(n); got != want[n] {
			t.Errorf("PathwayName(%d) = %q, want %q", n, got, want[n])
		}
	}
	if !strings.Contains(PathwayNamesNote, "inference") {
		t.Error("the note does not say the names are inferred")
	}
}
