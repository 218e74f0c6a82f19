package dataset

import (
	"strings"
	"testing"

	"charter/model"
)

// The figures below were counted by hand from the source,
// ../shared/seeds/alliances-audit-west-midlands.txt, from "Civic Society
// Alliance - ROM" to the end. They are literals on purpose: the test checks
// the transcription against the source, not against itself.

func mustAudit(t *testing.T) *model.Audit {
	t.Helper()
	a, err := Audit()
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestEmbeddedCountsPerAllianceKindAndStatus(t *testing.T) {
	a := mustAudit(t)
	// 22 respondents: the ROM office appears twice, as ROM (its own
	// returns) and as the Corporate combined assessment's author.
	if len(a.Returns) != 169 || len(a.Questions) != 48 || len(a.Respondents) != 22 {
		t.Fatalf("returns %d questions %d respondents %d, want 169 48 22", len(a.Returns), len(a.Questions), len(a.Respondents))
	}
	byAlliance := map[model.Alliance]int{}
	byKind := map[model.RespondentKind]int{}
	byStatus := map[model.ReturnStatus]int{}
	for _, r := range a.Returns {
		byAlliance[r.Alliance]++
		byKind[r.Kind]++
		byStatus[r.Status]++
	}
	wantAlliance := map[model.Alliance]int{model.AllianceCivic: 139, model.AllianceFaithVCS: 12, model.AllianceCorporate: 18}
	wantKind := map[model.RespondentKind]int{model.KindROM: 11, model.KindCombined: 18, model.KindPrison: 99, model.KindProbation: 40, model.KindAreaChaplain: 1}
	// Corporate "SPECIFIC PROJECTS" says "None specified" (source line
	// 854): not answered, like Staffordshire's "Nothing in their return".
	wantStatus := map[model.ReturnStatus]int{model.StatusAnswered: 79, model.StatusNotAnswered: 62, model.StatusNoReturn: 28}
	for k, v := range wantAlliance {
		if byAlliance[k] != v {
			t.Errorf("alliance %s: %d returns, want %d", k, byAlliance[k], v)
		}
	}
	for k, v := range wantKind {
		if byKind[k] != v {
			t.Errorf("kind %s: %d returns, want %d", k, byKind[k], v)
		}
	}
	for k, v := range wantStatus {
		if byStatus[k] != v {
			t.Errorf("status %s: %d returns, want %d", k, byStatus[k], v)
		}
	}
}

func TestEmbeddedCountsPerSection(t *testing.T) {
	a := mustAudit(t)
	type counts struct{ questions, answered, notAnswered, noReturn int }
	got := map[string]*counts{}
	name := func(s model.Section) string { return s.Name() }
	for _, q := range a.Questions {
		if got[name(q.Section)] == nil {
			got[name(q.Section)] = &counts{}
		}
		got[name(q.Section)].questions++
	}
	for _, r := range a.Returns {
		c := got[name(r.Section)]
		switch r.Status {
		case model.StatusAnswered:
			c.answered++
		case model.StatusNotAnswered:
			c.notAnswered++
		case model.StatusNoReturn:
			c.noReturn++
		}
	}
	want := map[string]counts{
		"Civic Society · ROM":                          {9, 7, 2, 0},
		"Civic Society · Prison":                       {7, 20, 50, 28},
		"Civic Society · Probation":                    {8, 24, 8, 0},
		"Faith & VCS (VCS) · ROM":                      {1, 1, 0, 0},
		"Faith & VCS (VCS) · Probation":                {1, 4, 0, 0},
		"Faith & VCS (Faith) · ROM":                    {1, 1, 0, 0},
		"Faith & VCS (Faith) · Probation":              {1, 3, 1, 0},
		"Faith & VCS (Faith) · Prison":                 {1, 1, 0, 0},
		"Faith & VCS (Faith) · Area Chaplain":          {1, 1, 0, 0},
		"Corporate · ROM/Prisons/Probation (combined)": {18, 17, 1, 0},
	}
	if len(got) != len(want) {
		t.Errorf("%d sections, want %d", len(got), len(want))
	}
	for sec, w := range want {
		if g := got[sec]; g == nil || *g != w {
			t.Errorf("%s: got %+v want %+v", sec, g, w)
		}
	}
	// Answered per question of the civic prison section, in source order.
	perQ := map[string]int{}
	for _, r := range a.Returns {
		if r.Status == model.StatusAnswered {
			perQ[r.QuestionID]++
		}
	}
	for i, w := range []int{4, 1, 3, 4, 7, 1, 0} {
		id := "civic-prison-" + string(rune('1'+i))
		if perQ[id] != w {
			t.Errorf("%s answered by %d, want %d", id, perQ[id], w)
		}
	}
}

func TestEverySectionQuestionHasOneReturnPerRespondent(t *testing.T) {
	a := mustAudit(t)
	respondents := map[model.Section]map[string]bool{}
	perQuestion := map[string]map[string]int{}
	for _, r := range a.Returns {
		if respondents[r.Section] == nil {
			respondents[r.Section] = map[string]bool{}
		}
		respondents[r.Section][r.Respondent] = true
		if perQuestion[r.QuestionID] == nil {
			perQuestion[r.QuestionID] = map[string]int{}
		}
		perQuestion[r.QuestionID][r.Respondent]++
		switch r.Status {
		case model.StatusNoReturn:
			if r.Answer != "" {
				t.Errorf("%s: a no_return carries text", r.Key())
			}
		default:
			if strings.TrimSpace(r.Answer) == "" {
				t.Errorf("%s: %s with an empty answer", r.Key(), r.Status)
			}
		}
	}
	for _, q := range a.Questions {
		for resp := range respondents[q.Section] {
			if n := perQuestion[q.ID][resp]; n != 1 {
				t.Errorf("question %s has %d returns from %s, want 1", q.ID, n, resp)
			}
		}
	}
	if n := len(respondents[model.Section{Region: "West Midlands", Alliance: model.AllianceCivic, Kind: model.KindPrison}]); n != 14 {
		t.Errorf("civic prison section has %d respondents, want 14", n)
	}
}

func TestNoReturnPrisons(t *testing.T) {
	a := mustAudit(t)
	got := map[string]int{}
	for _, r := range a.Returns {
		if r.Status == model.StatusNoReturn {
			got[r.Respondent]++
		}
	}
	for _, p := range []string{"Brockhill", "Shrewsbury", "Swinfen Hall", "Werrington"} {
		if got[p] != 7 {
			t.Errorf("%s: %d no_return rows, want one per question (7)", p, got[p])
		}
	}
	if len(got) != 4 {
		t.Errorf("no_return respondents %v", got)
	}
}

func findReturn(t *testing.T, a *model.Audit, qid, resp string) model.Return {
	t.Helper()
	for _, r := range a.Returns {
		if r.QuestionID == qid && r.Respondent == resp {
			return r
		}
	}
	t.Fatalf("no return %s/%s", qid, resp)
	return model.Return{}
}

func TestExactText(t *testing.T) {
	a := mustAudit(t)
	tests := []struct{ qid, resp, want string }{
		{"civic-prison-1", "Hewell Grange", "Three of prison's ten current projects have links to LA/ Joint working with probation."},
		{"civic-prison-1", "Featherstone", "Na"},
		{"civic-probation-6", "West Mercia", "CLocal residents group meet/ meeting witj local MP/ Lay Advisers"},
		{"civic-probation-7", "Warwickshire", "Chief ~Officer is non-ex director of Warwickshire Race Equality Partnership."},
		{"civic-rom-2", "ROM", "Launched at 4th May\nConference – not a great deal of interest from LA"},
		{"corporate-rom-2", "ROM", "Employer engagement event held in June 06.\n\n" +
			"BiTC SiB event planned for three prisons, to be led by the MD of Enterprise Rentacar – this is excellent.\n\n" +
			"Cadbury Trebor Bassett have asked whether they can do a team challenge in a prison and the ROM is exploring the possibility of something similar in a Probation area.\n\n" +
			"Birmingham Employer Coalition held a Green Paper event which was not well attended, but have also held a well-attended event at Birmingham prison."},
		{"faith-probation-1", "Staffordshire", "Nothing in their return for this Alliance"},
		{"corporate-rom-18", "ROM", "West Mercia have identified a need to work more locally with employers to address the specific issues of rural areas."},
	}
	for _, tt := range tests {
		if got := findReturn(t, a, tt.qid, tt.resp).Answer; got != tt.want {
			t.Errorf("%s/%s:\n got %q\nwant %q", tt.qid, tt.resp, got, tt.want)
		}
	}
	if r := findReturn(t, a, "faith-prison-1", "All West Midlands prisons"); !strings.HasPrefix(r.Answer, "A small number of projects are carried out by Hewell Grange") ||
		!strings.HasSuffix(r.Answer, "particularly for short sentence prisoners.") {
		t.Errorf("faith prison return: %q", r.Answer)
	}
	var q13 model.Question
	for _, q := range a.Questions {
		if q.ID == "corporate-rom-13" {
			q13 = q
		}
	}
	if q13.Prompt != "What are the employers providing?\n\n- a) jobs\n- b) training\n- c) mentoring\n- d) resources/materials?\n\nGood practice examples please" ||
		q13.BenchmarkLabel != "PARTNERSHIP UNIT INDICATORS" ||
		!strings.HasPrefix(q13.Benchmark, "MUST BE SPECIFIC ANSWERS\n\nGOOD PRACTICE – HOW DO WE KNOW?") {
		t.Errorf("corporate-rom-13: %+v", q13)
	}
}

func TestPathwayMatrix(t *testing.T) {
	a := mustAudit(t)
	if len(a.Pathways) != 1 {
		t.Fatalf("%d matrices", len(a.Pathways))
	}
	m := a.Pathways[0]
	if len(m.Rows) != 11 {
		t.Fatalf("%d rows, want 11", len(m.Rows))
	}
	marks := func(r model.PathwayRow) string {
		var b strings.Builder
		for _, x := range r.Marks {
			if x {
				b.WriteByte('X')
			} else {
				b.WriteByte('.')
			}
		}
		return b.String()
	}
	want := map[string]string{
		"Birmingham":   "X.XX.XX",
		"Featherstone": "XX.XXXX",
		"Hewll Grange": "XXXXXXX",
		"Stafford":     "XX.X.XX",
		"Swinfen Hall": "X..XXXX",
		"Werrington":   "...X.XX",
	}
	for _, r := range m.Rows {
		if w, ok := want[r.Establishment]; ok && marks(r) != w {
			t.Errorf("%s: %s want %s", r.Establishment, marks(r), w)
		}
		if r.Establishment == "Hewll Grange" && r.Normalised != "Hewell Grange" {
			t.Errorf("Hewll Grange not normalised: %q", r.Normalised)
		}
	}
	if m.Organisations[4] != "CAB, Stanhom in assoc with LA" || m.OrganisationsLabel != "Employers" {
		t.Errorf("organisations: %q / %q", m.Organisations[4], m.OrganisationsLabel)
	}
}

func TestCommentsAndSummary(t *testing.T) {
	a := mustAudit(t)
	if len(a.Comments) != 6 {
		t.Errorf("%d comments, want 6", len(a.Comments))
	}
	if len(a.Summaries) != 1 || len(a.Summaries[0].KPIs) != 3 || len(a.Summaries[0].Paragraphs) != 8 {
		t.Fatalf("summaries: %+v", a.Summaries)
	}
	figures := []string{}
	for _, k := range a.Summaries[0].KPIs {
		figures = append(figures, k.Subject+" "+k.Measure+" "+k.Figure)
	}
	if got := strings.Join(figures, "; "); got != "Prisons ETE KPI target +12%; Probation Job Entries KPI -5%; Probation Sustained Employment KPI -12%" {
		t.Errorf("kpis: %s", got)
	}
}

func TestSampleSignatories(t *testing.T) {
	s, err := Signatories()
	if err != nil {
		t.Fatal(err)
	}
	if len(s) != 40 {
		t.Fatalf("%d samples, want 40", len(s))
	}
	areas, tiers, statuses := map[string]int{}, map[model.Tier]int{}, map[model.ReviewStatus]int{}
	two, noVacancy, oneFrom := 0, 0, 0
	for _, x := range s {
		areas[x.LocalArea]++
		tiers[x.Tier()]++
		statuses[x.ReviewStatus]++
		if x.Commitments.Count() == 2 {
			two++
		}
		if !x.VacancyStatement {
			noVacancy++
		}
		if model.OneFromNext(x.Commitments.Count()) {
			oneFrom++
		}
	}
	for _, area := range model.LocalAreas() {
		if areas[area] == 0 {
			t.Errorf("no sample in %s", area)
		}
	}
	for _, tier := range model.AllTiers() {
		if tiers[tier] == 0 {
			t.Errorf("no sample at tier %s", tier)
		}
	}
	for _, st := range model.ReviewStatuses() {
		if statuses[st] == 0 {
			t.Errorf("no sample with status %s", st)
		}
	}
	if two == 0 || noVacancy == 0 || oneFrom == 0 {
		t.Errorf("two-commitment %d, no vacancy statement %d, one from next %d", two, noVacancy, oneFrom)
	}
	// The product brief's example query finds a sample.
	q, _ := model.ParseQuery("tier:gold area:dudley status:pending printing")
	m, err := q.ForSignatories()
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for i := range s {
		if m.Match(&s[i], model.SignatoryHaystack(&s[i])) {
			found++
		}
	}
	if found != 1 {
		t.Errorf("example query found %d samples, want 1", found)
	}
}
