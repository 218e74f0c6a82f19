package dataset

import (
	"strings"
	"testing"

	"charter/model"
)

func mustNames(t *testing.T) (*model.Audit, *model.NameRegister) {
	t.Helper()
	a, reg, err := AuditAndNames()
	if err != nil {
		t.Fatal(err)
	}
	return a, reg
}

// Every spelling of every establishment, area and organisation in the
// source, counted by hand from ../shared/seeds/alliances-audit-west-midlands.txt
// (lines 358–1006): the name as a reviewer writes it, then each other way
// the source prints it.
var registerByHand = []struct {
	name     string
	kind     model.NameKind
	variants []string
}{
	{"Birmingham", model.NamePrison, []string{"HMP Birmingham", "Birmingham prison"}}, // lines 758, 818
	{"Blakenhurst", model.NamePrison, []string{"HMP Blakenhurst"}},                    // line 782
	{"Brinsford", model.NamePrison, nil},
	{"Brockhill", model.NamePrison, nil},
	{"Dovegate", model.NamePrison, nil},
	{"Drake Hall", model.NamePrison, nil},
	{"Featherstone", model.NamePrison, nil},
	{"Hewell Grange", model.NamePrison, []string{"Hewll Grange"}}, // line 746, the matrix
	{"Long Lartin", model.NamePrison, nil},
	{"Shrewsbury", model.NamePrison, []string{"HMP Shrewsbury"}}, // line 782
	{"Stafford", model.NamePrison, nil},
	{"Stoke Heath", model.NamePrison, nil},
	{"Swinfen Hall", model.NamePrison, nil},
	{"Werrington", model.NamePrison, nil},
	{"Staffordshire", model.NameProbationArea, nil},
	{"Warwickshire", model.NameProbationArea, nil},
	{"West Mercia", model.NameProbationArea, []string{"West Mercia Prob"}},            // line 465
	{"West Midlands", model.NameProbationArea, []string{"West Mids", "West Mids PA"}}, // lines 760, 774
	{"Stonham", model.NameOrganisation, []string{"Stanhom"}},                          // line 752
}

func TestRegisterAgainstHandCount(t *testing.T) {
	_, reg := mustNames(t)
	entries := reg.Entries()
	if len(entries) != len(registerByHand) {
		t.Fatalf("%d entries, want %d", len(entries), len(registerByHand))
	}
	kinds := map[model.NameKind]int{}
	variants, excepts := 0, 0
	for i, e := range entries {
		w := registerByHand[i]
		if e.Name != w.name || e.Kind != w.kind || strings.Join(e.Variants, "|") != strings.Join(w.variants, "|") || e.Region != "West Midlands" {
			t.Errorf("entry %d: %s %s %q, want %s %s %q", i+1, e.Name, e.Kind, e.Variants, w.name, w.kind, w.variants)
		}
		kinds[e.Kind]++
		variants += len(e.Variants)
		excepts += len(e.Except)
	}
	if kinds[model.NamePrison] != 14 || kinds[model.NameProbationArea] != 4 || kinds[model.NameOrganisation] != 1 || variants != 9 || excepts != 18 {
		t.Errorf("kinds %v, %d variants, %d exceptions; want 14 prisons, 4 areas, 1 organisation, 9, 18", kinds, variants, excepts)
	}
}

func TestEveryVariantFindsItsEstablishment(t *testing.T) {
	_, reg := mustNames(t)
	for _, w := range registerByHand {
		for _, v := range append([]string{w.name}, w.variants...) {
			for _, spelling := range []string{v, strings.ToUpper(v), strings.ToLower(v), " " + v + ".", strings.ReplaceAll(v, " ", "-")} {
				e, ok := reg.Lookup(spelling)
				if !ok || e.Name != w.name {
					t.Errorf("Lookup(%q) = %v, %v; want %s", spelling, e, ok, w.name)
				}
			}
			// In running text, too.
			ms := reg.Mentions("We read that " + v + " did well.")
			if len(ms) != 1 || ms[0].Name != w.name || ms[0].Text != v {
				t.Errorf("Mentions of %q: %+v", v, ms)
			}
		}
	}
}

// Every respondent that is an establishment or area, and every matrix row,
// is in the register; the ROM office and the collective returns are not.
func TestRespondentsAndMatrixRowsResolve(t *testing.T) {
	a, reg := mustNames(t)
	for _, r := range a.Respondents {
		e := reg.ForRespondent(r.Region, r.Name)
		switch {
		case r.Kind == model.KindPrison && r.Name != "All West Midlands prisons", r.Kind == model.KindProbation:
			if e == nil || e.Kind.RespondentKind() != r.Kind {
				t.Errorf("respondent %s (%s) resolves to %+v", r.Name, r.Kind, e)
			}
		default:
			if e != nil {
				t.Errorf("respondent %s (%s) should not resolve, got %s", r.Name, r.Kind, e.Name)
			}
		}
	}
	for _, row := range a.Pathways[0].Rows {
		e, ok := reg.Lookup(row.Establishment)
		if !ok || e.Kind != model.NamePrison {
			t.Errorf("matrix row %s does not resolve", row.Establishment)
		}
	}
	if e, _ := reg.Lookup("Hewll Grange"); e == nil || e.Name != "Hewell Grange" {
		t.Errorf("Hewll Grange → %+v", e)
	}
}

// Mentions of each entry in other respondents' answers, the regional
// comments, the summary report and the matrix's organisations row,
// counted by hand from the source.
func TestMentionsAgainstHandCount(t *testing.T) {
	a, reg := mustNames(t)
	want := map[string]int{
		"Birmingham":    3, // HMP Birmingham (758), Birmingham prison (818), "sharing experience with Birmingham" (998)
		"Blakenhurst":   3, // 782, 892, 998
		"Brinsford":     1, // 892
		"Brockhill":     2, // 892, 998
		"Dovegate":      3, // 890, 892, 927
		"Featherstone":  1, // 925 "Streetworks initiative at Featherstone"
		"Hewell Grange": 3, // 782, 892, 998
		"Long Lartin":   2, // 904, 998
		"Shrewsbury":    3, // 782, 890, 998
		"Stafford":      2, // 890, 998
		"Stoke Heath":   2, // 782, 892
		"Swinfen Hall":  1, // 890
		"Werrington":    1, // 892
		"Staffordshire": 4, // 968 twice, 984, 1000 ("North Staffordshire", 782, is the county)
		"Warwickshire":  2, // 966, 982
		"West Mercia":   4, // "West Mercia Prob" 465, 760, 964, 988
		"West Midlands": 2, // "West Mids" 760, 980
		"Stonham":       3, // 726, and the matrix's "Stonham" and "Stanhom" (752)
	}
	got := map[string]int{}
	count := func(text string, own *model.NameEntry) {
		for _, m := range reg.Mentions(text) {
			if own == nil || own.Name != m.Name {
				got[m.Name]++
			}
		}
	}
	for _, r := range a.Returns {
		count(r.Answer, reg.ForRespondent(r.Region, r.Respondent))
	}
	for _, c := range a.Comments {
		count(c.Text, nil)
	}
	for _, p := range a.Summaries[0].Paragraphs {
		count(p, nil)
	}
	for _, o := range a.Pathways[0].Organisations {
		count(o, nil)
	}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s: %d mentions, want %d", name, got[name], w)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("unexpected mentions of %s: %d", name, got[name])
		}
	}
}

// Words that merely contain a name, or phrases in which it names something
// else, are not mentions; the source's own sentences decide.
func TestNotMentions(t *testing.T) {
	_, reg := mustNames(t)
	tests := []struct{ text, want string }{
		{"Staffordshire have made presentations to Chambers of Commerce.", "Staffordshire"},
		{"Flowing from the North Staffordshire Community Chaplaincy Project volunteers at HMP Shrewsbury are administering", "Shrewsbury"},
		{"The links which Birmingham City Council (BCC) have with the Prison Service", ""},
		{"Birmingham Employer Coalition held a Green Paper event which was not well attended, but have also held a well-attended event at Birmingham prison.", "Birmingham"},
		{"9 PSOs are funded by Birmingham DIP/ local CDRPs", ""},
		{"Birmingham Post article on Employer Engagement Event.", ""},
		{"Regional Action West Midlands (RAWM) are no longer members", ""},
		{"The ROM attended West Midlands Faith Forum to talk about strategic engagement", ""},
		{"Links between W Mids Mediation, Aston and Handsworth Operational Groups", ""},
		{"at Stoke on Tern Church", ""},
		{"Under Stoke LAA collaboration", ""},
		{"community payback staff train new pcso recruits for Warwickshire Police", ""},
		{"West Mercia Probation Care Trust : Delivering Growing Out of Crime", "West Mercia"},
		{"Staffords and Featherstones", ""},
	}
	for _, tt := range tests {
		var names []string
		for _, m := range reg.Mentions(tt.text) {
			names = append(names, m.Name)
		}
		if got := strings.Join(names, ","); got != tt.want {
			t.Errorf("Mentions(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestFeatherstoneReference(t *testing.T) {
	_, reg := mustNames(t)
	e, _ := reg.Lookup("featherstone")
	if e == nil || len(e.References) != 1 {
		t.Fatalf("Featherstone references: %+v", e)
	}
	ref := e.References[0]
	if ref.QuestionID != "corporate-rom-9" || ref.Respondent != "ROM" || !strings.HasPrefix(ref.Phrase, "Chai Ltd (Severn Trent Water sub-contractors)") ||
		!strings.Contains(ref.Because, "Streetworks initiative at Featherstone") {
		t.Errorf("reference %+v", ref)
	}
}

// What prison: and respondent: filters keep through the register, counted
// by hand: the respondent's own returns, the returns naming it, and the
// returns a reference ties to it.
func TestReturnConcernsOverTheDataset(t *testing.T) {
	a, reg := mustNames(t)
	tests := []struct {
		value string
		kinds []model.NameKind
		want  []string // returns other than the entry's own
		own   int
	}{
		{"featherstone", []model.NameKind{model.NamePrison}, []string{"corporate-rom-9/ROM", "corporate-rom-13/ROM"}, 7},
		{"hewell", []model.NameKind{model.NamePrison}, []string{"faith-prison-1/All West Midlands prisons", "corporate-rom-11/ROM"}, 7},
		{"hewll", []model.NameKind{model.NamePrison}, []string{"faith-prison-1/All West Midlands prisons", "corporate-rom-11/ROM"}, 7},
		{"west mercia", nil, []string{"civic-prison-2/Hewell Grange", "corporate-rom-16/ROM", "corporate-rom-18/ROM"}, 10},
		{"drake", []model.NameKind{model.NamePrison}, nil, 7},
	}
	for _, tt := range tests {
		entries := reg.Find(tt.value, tt.kinds...)
		if len(entries) != 1 {
			t.Fatalf("%s finds %d entries", tt.value, len(entries))
		}
		var others []string
		own := 0
		for i := range a.Returns {
			r := &a.Returns[i]
			if !reg.ReturnConcerns(r, entries) {
				continue
			}
			if x := reg.ForRespondent(r.Region, r.Respondent); x != nil && x.Name == entries[0].Name {
				own++
			} else {
				others = append(others, r.QuestionID+"/"+r.Respondent)
			}
		}
		if own != tt.own || strings.Join(others, ";") != strings.Join(tt.want, ";") {
			t.Errorf("%s: %d own, others %q; want %d, %q", tt.value, own, others, tt.own, tt.want)
		}
	}
}
