package dataset

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"charter/model"
)

var update = flag.Bool("update", false, "rewrite the golden dossiers in testdata")

func dossier(t *testing.T, name string) model.Dossier {
	t.Helper()
	a, reg := mustNames(t)
	d, err := model.BuildDossier(a, reg, name)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func marks(p []model.DossierPathway) string {
	var b strings.Builder
	for _, x := range p {
		if x.Marked {
			b.WriteByte('X')
		} else {
			b.WriteByte('.')
		}
	}
	return b.String()
}

func places(d model.Dossier) []string {
	var out []string
	for _, m := range d.Mentions {
		p := m.Place.Source + " " + m.Place.QuestionID
		if m.Place.Source == model.PlaceSummary {
			p = fmt.Sprintf("summary %d", m.Place.Paragraph)
		}
		if m.Place.Source == model.PlaceComment {
			p = "comment " + m.Place.Heading
		}
		if m.Place.Source == model.PlaceMatrix {
			p = fmt.Sprintf("matrix %d", m.Place.Pathway)
		}
		if m.Inferred {
			p += " (inferred)"
		}
		out = append(out, p)
	}
	return out
}

func alliances(d model.Dossier) string {
	var out []string
	for _, al := range d.Alliances {
		out = append(out, fmt.Sprintf("%s: %s %d/%d/%d %v", al.Name(), al.Status, al.Answered, al.NotAnswered, al.NoReturn, al.Through))
	}
	return strings.Join(out, "\n")
}

// Featherstone, counted by hand from the source: its seven Civic Society
// returns (one answered, line 487; six "Na"); Corporate's "Streetworks
// initiative at Featherstone" (line 925) and the Chai Ltd course (line
// 874) that the register ties to it; its matrix row (line 745).
func TestDossierFeatherstone(t *testing.T) {
	d := dossier(t, "featherstone")
	if d.Name != "Featherstone" || d.Kind != model.NamePrison || d.Region != "West Midlands" {
		t.Errorf("header %s %s %s", d.Name, d.Kind, d.Region)
	}
	if len(d.Returns) != 7 {
		t.Fatalf("%d returns, want 7", len(d.Returns))
	}
	answered := 0
	for i, r := range d.Returns {
		if r.Alliance != model.AllianceCivic || r.Kind != model.KindPrison || r.QuestionID != fmt.Sprintf("civic-prison-%d", i+1) {
			t.Errorf("return %d: %s %s %s", i, r.Alliance, r.Kind, r.QuestionID)
		}
		if r.Status == model.StatusAnswered {
			answered++
			if r.Answer != "Prison produce alley gates for local communities" {
				t.Errorf("answered return %q", r.Answer)
			}
		}
	}
	if answered != 1 {
		t.Errorf("%d answered, want 1", answered)
	}
	if got := fmt.Sprint(places(d)); got != "[answer corporate-rom-9 (inferred) answer corporate-rom-13]" {
		t.Errorf("mentions %s", got)
	}
	chai, streetworks := d.Mentions[0], d.Mentions[1]
	if !strings.HasPrefix(chai.Sentence, "Chai Ltd (Severn Trent Water sub-contractors) running Streetworks course in prison") || chai.Because == "" || chai.Place.Respondent != "ROM" {
		t.Errorf("Chai Ltd mention %+v", chai)
	}
	if streetworks.Text != "Featherstone" || streetworks.Sentence != "Streetworks initiative at Featherstone (as detailed in ROM report), and Birmingham City Council are delivering training to resettlement workers in the region about their recruitment processes." ||
		streetworks.Place.Question != "Prisons in the region · What are the employers providing?" || streetworks.Place.Kind != model.KindCombined {
		t.Errorf("Streetworks mention %+v", streetworks)
	}
	if len(d.Matrix) != 1 || d.Matrix[0].Establishment != "Featherstone" || marks(d.Matrix[0].Pathways) != "XX.XXXX" {
		t.Fatalf("matrix %+v", d.Matrix)
	}
	p := d.Matrix[0].Pathways
	if p[1].Name != "Education, training and employment" || !p[1].NameInferred || p[4].Organisations != "CAB, Stanhom in assoc with LA" {
		t.Errorf("pathways %+v", p)
	}
	want := "Civic Society: returned 1/6/0 []\n" +
		"Faith & VCS (VCS): none 0/0/0 []\n" +
		"Faith & VCS (Faith): none 0/0/0 [All West Midlands prisons · Prison]\n" +
		"Corporate: none 0/0/0 [ROM · ROM/Prisons/Probation (combined)]"
	if got := alliances(d); got != want {
		t.Errorf("alliances:\n%s\nwant\n%s", got, want)
	}
}

// Hewell Grange: seven Civic Society returns (five answered), the Faith
// return naming it (line 782), Corporate's "Blakenhurst, Brockhill and
// Hewell Grange are working together" (892), the summary (998), and the
// matrix row the source spells "Hewll Grange" (746).
func TestDossierHewellGrange(t *testing.T) {
	for _, name := range []string{"Hewell Grange", "hewll grange", "HMP Hewell Grange"} {
		d := dossier(t, name)
		if d.Name != "Hewell Grange" || len(d.Returns) != 7 {
			t.Fatalf("%s: %s with %d returns", name, d.Name, len(d.Returns))
		}
		if got := fmt.Sprint(places(d)); got != "[answer faith-prison-1 answer corporate-rom-11 summary 4]" {
			t.Errorf("mentions %s", got)
		}
		if d.Mentions[1].Sentence != "Blakenhurst, Brockhill and Hewell Grange are working together." {
			t.Errorf("corporate mention %q", d.Mentions[1].Sentence)
		}
		if len(d.Matrix) != 1 || d.Matrix[0].Establishment != "Hewll Grange" || marks(d.Matrix[0].Pathways) != "XXXXXXX" {
			t.Errorf("matrix %+v", d.Matrix)
		}
		if d.Alliances[0].Status != model.DossierReturned || d.Alliances[0].Answered != 5 || d.Alliances[0].NotAnswered != 2 {
			t.Errorf("civic %+v", d.Alliances[0])
		}
	}
}

func TestDossierOthers(t *testing.T) {
	tests := []struct {
		name, want string
		returns    int
		mentions   string
		matrix     bool
	}{
		// Listed under NO RETURNS (lines 595–600).
		{"Brockhill", "Brockhill", 7, "[answer corporate-rom-11 summary 4]", false},
		{"HMP Birmingham", "Birmingham", 7, "[answer faith-rom-1 answer corporate-rom-2 summary 4]", true},
		{"West Mids PA", "West Midlands", 10, "[answer corporate-rom-17 comment REGIONAL COMMENTS]", false},
		{"west mercia probation", "West Mercia", 10, "[answer civic-prison-2 answer corporate-rom-16 answer corporate-rom-18 comment REGIONAL COMMENTS]", false},
		{"Stanhom", "Stonham", 0, "[answer vcs-probation-1 matrix 1 matrix 5]", false},
		{"Drake Hall", "Drake Hall", 7, "[]", true},
	}
	for _, tt := range tests {
		d := dossier(t, tt.name)
		if d.Name != tt.want || len(d.Returns) != tt.returns || fmt.Sprint(places(d)) != tt.mentions || (len(d.Matrix) == 1) != tt.matrix {
			t.Errorf("%s: %s, %d returns, mentions %v, %d matrix rows", tt.name, d.Name, len(d.Returns), places(d), len(d.Matrix))
		}
	}
	if got := alliances(dossier(t, "Brockhill")); !strings.HasPrefix(got, "Civic Society: no_return 0/0/7 []\n") {
		t.Errorf("Brockhill alliances:\n%s", got)
	}
	if got := alliances(dossier(t, "Stonham")); strings.Contains(got, "·") || strings.Count(got, ": none") != 4 {
		t.Errorf("Stonham alliances:\n%s", got)
	}
	if got := alliances(dossier(t, "Warwickshire")); !strings.Contains(got, "Corporate: none 0/0/0 [ROM · ROM/Prisons/Probation (combined)]") ||
		!strings.HasPrefix(got, "Civic Society: returned 7/1/0 []") {
		t.Errorf("Warwickshire alliances:\n%s", got)
	}
}

func TestDossierUnknownName(t *testing.T) {
	a, reg := mustNames(t)
	_, err := model.BuildDossier(a, reg, "Hewel")
	var un *model.UnknownNameError
	if !errors.As(err, &un) || !errors.Is(err, model.ErrNotFound) || len(un.Suggestions) == 0 || un.Suggestions[0] != "Hewell Grange" {
		t.Fatalf("unknown name: %v", err)
	}
	_, err = model.BuildDossier(a, reg, "Feathersone")
	if !errors.As(err, &un) || un.Suggestions[0] != "Featherstone" {
		t.Errorf("Feathersone: %v", err)
	}
	if _, err := model.BuildDossier(a, reg, "ROM"); !errors.As(err, &un) {
		t.Errorf("the ROM office has no dossier: %v", err)
	}
}

func TestDossierRenderings(t *testing.T) {
	for _, name := range []string{"Featherstone", "Hewell Grange"} {
		d := dossier(t, name)
		md := d.Markdown()
		slug := strings.ToLower(strings.ReplaceAll(name, " ", "-"))
		golden := "testdata/dossier-" + slug + ".md"
		if *update {
			if err := os.WriteFile(golden, []byte(md), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if md != string(want) {
			t.Errorf("%s: Markdown differs from %s (run with -update and read the diff)", name, golden)
		}
		raw, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		var back model.Dossier
		if err := json.Unmarshal(raw, &back); err != nil {
			t.Fatal(err)
		}
		if fmt.Sprintf("%+v", back) != fmt.Sprintf("%+v", d) {
			t.Errorf("%s: JSON does not round-trip", name)
		}
	}
	md := dossier(t, "Featherstone").Markdown()
	for _, want := range []string{
		"# Dossier: Featherstone\n",
		"| Civic Society | returned | 1 | 6 | 0 |\n",
		"| Corporate | none of its own; answered for by ROM · ROM/Prisons/Probation (combined) | 0 | 0 | 0 |\n",
		"1. **UNPAID WORK PRISON RESETTLEMENT ESTATE**",
		"> Prison produce alley gates for local communities\n",
		"  > Streetworks initiative at Featherstone (as detailed in ROM report), and Birmingham City Council",
		"- *Inferred* — Corporate",
		"| 1 | Accommodation | X | NACRO, Focus Future, De Paul Trust, St Basils, Stonham |\n",
		"| 3 | Health |  | SOVA, YSS, Focus Future |\n",
		model.PathwayNamesNote,
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Featherstone Markdown lacks %q", want)
		}
	}
	if n := strings.Count(md, "\n> ") + strings.Count(md, "\n   > "); n != 7 {
		t.Errorf("%d quoted answer lines, want 7", n)
	}
}
