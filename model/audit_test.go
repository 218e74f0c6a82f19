package model

import (
	"fmt"
	"strings"
	"testing"
)

func TestParseRespondentKindSpellings(t *testing.T) {
	tests := []struct {
		in   string
		want RespondentKind
	}{
		{"ROM", KindROM},
		{" rom ", KindROM},
		{"ROM office", KindROM},
		{"prison", KindPrison},
		{"PRISONS", KindPrison},
		{"probation", KindProbation},
		{"Probation Areas", KindProbation},
		{"area chaplain", KindAreaChaplain},
		{"Area-Chaplain", KindAreaChaplain},
		{"Combined", KindCombined},
		{"ROMS PRISONS/PROBATION", KindCombined},
		{"ROM/Prisons/Probation", KindCombined},
		{"rom, prisons and probation", KindCombined},
		{string(KindCombined), KindCombined},
		{"region", KindRegion},
	}
	for _, tt := range tests {
		got, err := ParseRespondentKind(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseRespondentKind(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "Castle", "ROM prisons", "prisons probation", "combine"} {
		if k, err := ParseRespondentKind(bad); err == nil {
			t.Errorf("ParseRespondentKind(%q) = %q, want an error", bad, k)
		} else if !strings.Contains(err.Error(), "Combined") {
			t.Errorf("error for %q does not list the kinds: %v", bad, err)
		}
	}
	// Every kind's own text reads back as itself.
	for _, k := range RespondentKinds() {
		if got, err := ParseRespondentKind(string(k)); err != nil || got != k {
			t.Errorf("round trip of %q: %q, %v", k, got, err)
		}
	}
	if !strings.Contains(strings.ToLower(string(KindCombined)), "combined") {
		t.Errorf("KindCombined %q does not say it is combined", KindCombined)
	}
}

func TestParseQuestionGroup(t *testing.T) {
	tests := []struct {
		in   string
		want QuestionGroup
	}{
		{"", GroupNone},
		{"none", GroupNone},
		{"rom", GroupROM},
		{"ROM level", GroupROM},
		{"prisons", GroupPrisons},
		{"PRISONS IN THE REGION", GroupPrisons},
		{"Prison", GroupPrisons},
		{"probation", GroupProbation},
		{"PROBATION AREAS", GroupProbation},
	}
	for _, tt := range tests {
		got, err := ParseQuestionGroup(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseQuestionGroup(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"prisons in region", "chaplain", "x"} {
		if _, err := ParseQuestionGroup(bad); err == nil {
			t.Errorf("ParseQuestionGroup(%q) accepted", bad)
		}
	}
	for _, g := range QuestionGroups() {
		if got, _ := ParseQuestionGroup(string(g)); got != g {
			t.Errorf("round trip %q: %q", g, got)
		}
		if got, _ := ParseQuestionGroup(g.Label()); got != g {
			t.Errorf("label %q reads as %q", g.Label(), got)
		}
	}
}

func TestDisplayTitle(t *testing.T) {
	tests := []struct {
		name string
		q    Question
		want string
	}{
		{"no group", Question{Title: "CHAMPIONS"}, "CHAMPIONS"},
		{"rom group", Question{Title: "CHAMPIONS", Group: GroupROM}, "ROM level · CHAMPIONS"},
		{"title is the sub-heading", Question{Title: "PRISONS IN THE REGION", Group: GroupPrisons,
			Prompt: "Are these employers working with offenders\n■ in prisons/workshops"}, "Prisons in the region · Are these employers working with offenders"},
		{"sub-heading without prompt", Question{Title: "PROBATION AREAS", Group: GroupProbation}, "Probation areas · PROBATION AREAS"},
		{"own title in a group", Question{Title: "ANY OTHER INFORMATION / EXAMPLES", Group: GroupProbation, Prompt: "x"}, "Probation areas · ANY OTHER INFORMATION / EXAMPLES"},
	}
	for _, tt := range tests {
		if got := tt.q.DisplayTitle(); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestReachesKind(t *testing.T) {
	combined := Return{Section: Section{Kind: KindCombined}}
	prison := Return{Section: Section{Kind: KindPrison}}
	qp := &Question{Group: GroupPrisons}
	qr := &Question{Group: GroupROM}
	qb := &Question{Group: GroupProbation}
	qn := &Question{}
	tests := []struct {
		name string
		r    *Return
		q    *Question
		k    RespondentKind
		want bool
	}{
		{"own kind", &prison, qn, KindPrison, true},
		{"own kind, nil question", &prison, nil, KindPrison, true},
		{"other kind", &prison, qn, KindProbation, false},
		{"combined prisons group reaches prison", &combined, qp, KindPrison, true},
		{"combined prisons group not probation", &combined, qp, KindProbation, false},
		{"combined prisons group not ROM", &combined, qp, KindROM, false},
		{"combined ROM group reaches ROM", &combined, qr, KindROM, true},
		{"combined probation group reaches probation", &combined, qb, KindProbation, true},
		{"combined reaches combined", &combined, qp, KindCombined, true},
		{"combined without group", &combined, qn, KindPrison, false},
		{"combined, nil question", &combined, nil, KindPrison, false},
		{"a group on a non-combined return does not widen it", &prison, qb, KindProbation, false},
	}
	for _, tt := range tests {
		if got := ReachesKind(tt.r, tt.q, tt.k); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestKindsMatching(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"prison", "[Prison]"},
		{"prisons", "[Prison]"},
		{"p", "[Prison Probation]"},
		{"prob", "[Probation]"},
		{"rom", "[ROM]"},
		{"ROM", "[ROM]"},
		{"comb", "[" + string(KindCombined) + "]"},
		{"ROMS PRISONS/PROBATION", "[" + string(KindCombined) + "]"},
		{"area", "[Area Chaplain]"},
		{"chaplain", "[Area Chaplain]"},
		{"r", "[ROM Region]"},
		{"", "[]"},
		{"castle", "[]"},
	}
	for _, tt := range tests {
		if got := fmt.Sprint(KindsMatching(tt.in)); got != tt.want {
			t.Errorf("KindsMatching(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}
