package dataset

import (
	"fmt"
	"testing"

	"charter/model"
)

// The Corporate Alliance in the source (lines 794–988): eighteen questions,
// every answer labelled "ROMS PRISONS/PROBATION"; nine before the first
// sub-heading, five under "PRISONS IN THE REGION", and four under
// "PROBATION AREAS" (the last, "ANY OTHER INFORMATION / EXAMPLES", comes
// before any new heading and its answer is about West Mercia).
func TestCorporateKindAndGroupOnAll18(t *testing.T) {
	a := mustAudit(t)
	want := []struct {
		group   model.QuestionGroup
		display string
	}{
		{model.GroupROM, "ROM level · ROMS GOVERNANCE ARRANGEMENTS"},
		{model.GroupROM, "ROM level · CONSULTATION EVENTS / GROUP / INDIVIDUAL MEETINGS HELD AND PLANNED"},
		{model.GroupROM, "ROM level · PLANS"},
		{model.GroupROM, "ROM level · CHAMPIONS"},
		{model.GroupROM, "ROM level · STAFF TIME ALLOCATED"},
		{model.GroupROM, "ROM level · FUNDING"},
		{model.GroupROM, "ROM level · SPECIFIC PROJECTS"},
		{model.GroupROM, "ROM level · COMMUNICATION"},
		{model.GroupROM, "ROM level · ANY OTHER INFORMATION / EXAMPLES/COMMENTS RE PROGRESS AND RISKS / CHALLENGES"},
		{model.GroupPrisons, "Prisons in the region · Which prisons are working with employers?"},
		{model.GroupPrisons, "Prisons in the region · Can we have a list of these CURRENT employers for each prison as a 'snapshot'?"},
		{model.GroupPrisons, "Prisons in the region · Are these employers working with offenders"},
		{model.GroupPrisons, "Prisons in the region · What are the employers providing?"},
		{model.GroupPrisons, "Prisons in the region · Have any prisons promoted work with offenders to the media?"},
		{model.GroupProbation, "Probation areas · Can the probation areas/partners list employers with whom there is CURRENTLY contact."},
		{model.GroupProbation, "Probation areas · What are the employers providing?"},
		{model.GroupProbation, "Probation areas · Have probation areas/partners promoted this agenda with employers?"},
		{model.GroupProbation, "Probation areas · ANY OTHER INFORMATION / EXAMPLES"},
	}
	byID := map[string]model.Question{}
	for _, q := range a.Questions {
		byID[q.ID] = q
		if q.Alliance != model.AllianceCorporate && (q.Kind == model.KindCombined || q.Group != model.GroupNone) {
			t.Errorf("%s outside Corporate has kind %s group %q", q.ID, q.Kind, q.Group)
		}
	}
	for i, w := range want {
		id := fmt.Sprintf("corporate-rom-%d", i+1)
		q, ok := byID[id]
		if !ok {
			t.Fatalf("no question %s", id)
		}
		if q.Kind != model.KindCombined || q.Group != w.group || q.Order != i+1 {
			t.Errorf("%s: kind %s group %q order %d, want %s %q %d", id, q.Kind, q.Group, q.Order, model.KindCombined, w.group, i+1)
		}
		if got := q.DisplayTitle(); got != w.display {
			t.Errorf("%s: display title %q, want %q", id, got, w.display)
		}
		if r := findReturn(t, a, id, "ROM"); r.Kind != model.KindCombined {
			t.Errorf("%s: return kind %s", id, r.Kind)
		}
	}
	// The source's title is kept: five questions are titled by the
	// sub-heading alone.
	n := 0
	for _, q := range a.Questions {
		if q.Title == "PRISONS IN THE REGION" {
			n++
		}
	}
	if n != 5 {
		t.Errorf("%d questions titled PRISONS IN THE REGION, want 5", n)
	}
	var combined []model.Respondent
	for _, r := range a.Respondents {
		if r.Kind == model.KindCombined {
			combined = append(combined, r)
		}
	}
	if len(combined) != 1 || combined[0].Name != "ROM" {
		t.Errorf("combined respondents %+v, want the ROM office alone", combined)
	}
}

func TestDisplayTitlesReadApartWithinEverySection(t *testing.T) {
	a := mustAudit(t)
	seen := map[model.Section]map[string]string{}
	for _, q := range a.Questions {
		if seen[q.Section] == nil {
			seen[q.Section] = map[string]string{}
		}
		if other, dup := seen[q.Section][q.DisplayTitle()]; dup {
			t.Errorf("%s and %s both show %q", other, q.ID, q.DisplayTitle())
		}
		seen[q.Section][q.DisplayTitle()] = q.ID
	}
}

func TestSpecificProjectsIsNotAnswered(t *testing.T) {
	a := mustAudit(t)
	r := findReturn(t, a, "corporate-rom-7", "ROM")
	if r.Status != model.StatusNotAnswered || r.Answer != "None specified" {
		t.Errorf("corporate-rom-7: %s %q, want not_answered \"None specified\"", r.Status, r.Answer)
	}
}

// What the filter "alliance:corporate kind:X" keeps, by ReachesKind.
func TestReachesKindOverTheDataset(t *testing.T) {
	a := mustAudit(t)
	qs := map[string]*model.Question{}
	for i := range a.Questions {
		qs[a.Questions[i].ID] = &a.Questions[i]
	}
	reach := func(alliance model.Alliance, k model.RespondentKind) []string {
		var ids []string
		for i := range a.Returns {
			r := &a.Returns[i]
			if (alliance == "" || r.Alliance == alliance) && model.ReachesKind(r, qs[r.QuestionID], k) {
				ids = append(ids, r.QuestionID)
			}
		}
		return ids
	}
	tests := []struct {
		alliance model.Alliance
		kind     model.RespondentKind
		want     string
	}{
		{model.AllianceCorporate, model.KindPrison, "[corporate-rom-10 corporate-rom-11 corporate-rom-12 corporate-rom-13 corporate-rom-14]"},
		{model.AllianceCorporate, model.KindProbation, "[corporate-rom-15 corporate-rom-16 corporate-rom-17 corporate-rom-18]"},
		{model.AllianceCorporate, model.KindROM, "[corporate-rom-1 corporate-rom-2 corporate-rom-3 corporate-rom-4 corporate-rom-5 corporate-rom-6 corporate-rom-7 corporate-rom-8 corporate-rom-9]"},
		{model.AllianceCorporate, model.KindAreaChaplain, "[]"},
	}
	for _, tt := range tests {
		if got := fmt.Sprint(reach(tt.alliance, tt.kind)); got != tt.want {
			t.Errorf("alliance:%s kind:%s → %s, want %s", tt.alliance, tt.kind, got, tt.want)
		}
	}
	// Across every alliance: 99 prison returns and the 5 combined ones;
	// 40 probation and 4; 11 ROM and 9.
	for k, want := range map[model.RespondentKind]int{model.KindPrison: 104, model.KindProbation: 44, model.KindROM: 20, model.KindCombined: 18} {
		if got := len(reach("", k)); got != want {
			t.Errorf("kind:%s reaches %d returns, want %d", k, got, want)
		}
	}
}
