package model

import (
	"fmt"
	"strings"
)

// EstablishmentCoverage says, for one alliance (and strand) of a region
// and one kind of establishment (prisons or probation areas), which
// establishments sent a return: the figure a board asks for ("10 of 14
// prisons returned"), where the return coverage counts answers.
type EstablishmentCoverage struct {
	Region   string         `json:"region"`
	Alliance Alliance       `json:"alliance"`
	Strand   Strand         `json:"strand"`
	Kind     RespondentKind `json:"kind"` // KindPrison or KindProbation
	// Total is how many establishments of the kind the region has: the
	// names register's entries, or (for a region it does not know) the
	// respondents of that kind anywhere in the region's returns.
	Total int `json:"total"`
	// Answered sent a return answering at least one question;
	// NothingAnswered sent returns that answer nothing ("Na"); NoReturn
	// are listed by the source as having sent nothing; NotListed are the
	// region's other establishments, absent from this alliance's returns.
	Answered        []string `json:"answered"`
	NothingAnswered []string `json:"nothing_answered"`
	NoReturn        []string `json:"no_return"`
	NotListed       []string `json:"not_listed"`
	// Through names the respondents whose returns speak for these
	// establishments together: "All West Midlands prisons", or "ROM
	// (combined assessment)" for Corporate's combined returns in the
	// group of the kind.
	Through []string `json:"through"`
}

// Returned is how many establishments sent a return.
func (c EstablishmentCoverage) Returned() int { return len(c.Answered) + len(c.NothingAnswered) }

// Own reports whether any establishment of the kind has returns of its
// own in the alliance.
func (c EstablishmentCoverage) Own() bool { return c.Returned()+len(c.NoReturn) > 0 }

// AllianceName is "Civic Society" or "Faith & VCS (VCS)".
func (c EstablishmentCoverage) AllianceName() string {
	if c.Strand == StrandNone {
		return string(c.Alliance)
	}
	return string(c.Alliance) + " (" + string(c.Strand) + ")"
}

// kindNoun is "prisons" or "probation areas", singular for one.
func kindNoun(k RespondentKind, n int) string {
	switch {
	case k == KindPrison && n == 1:
		return "prison"
	case k == KindPrison:
		return "prisons"
	case n == 1:
		return "probation area"
	}
	return "probation areas"
}

// Summary reads the coverage as a phrase: "10 of 14 prisons returned",
// "no returns of their own", "one return for all: All West Midlands
// prisons".
func (c EstablishmentCoverage) Summary() string {
	if c.Own() {
		return fmt.Sprintf("%d of %d %s returned", c.Returned(), c.Total, kindNoun(c.Kind, c.Total))
	}
	if len(c.Through) > 0 {
		return "none of their own; answered for by " + strings.Join(c.Through, ", ")
	}
	return "none of their own"
}

// CoverageByEstablishment gives, per region and alliance (and strand) in
// the order of the questions, the coverage of prisons and of probation
// areas. names may be nil (see EstablishmentCoverage.Total).
func CoverageByEstablishment(a *Audit, names *NameRegister) []EstablishmentCoverage {
	questions := map[string]*Question{}
	type sectionKey struct {
		region   string
		alliance Alliance
		strand   Strand
	}
	var order []sectionKey
	seenSec := map[sectionKey]bool{}
	for i := range a.Questions {
		q := &a.Questions[i]
		questions[q.Region+"\x00"+q.ID] = q
		k := sectionKey{q.Region, q.Alliance, q.Strand}
		if !seenSec[k] {
			seenSec[k] = true
			order = append(order, k)
		}
	}
	known := map[string]bool{}
	for _, e := range names.Entries() {
		known[e.Region] = true
	}
	// establishment says which establishment a respondent is, if any.
	establishment := func(region, name string, kind RespondentKind) (string, bool) {
		if !known[region] {
			return name, kind == KindPrison || kind == KindProbation
		}
		e := names.ForRespondent(region, name)
		if e == nil || e.Kind.RespondentKind() != kind {
			return "", false
		}
		return e.Name, true
	}
	// The region's establishments of each kind, in register (or first
	// appearance) order.
	all := map[string][]string{}
	for _, e := range names.Entries() {
		if k := e.Kind.RespondentKind(); k != "" {
			all[e.Region+"\x00"+string(k)] = append(all[e.Region+"\x00"+string(k)], e.Name)
		}
	}
	for _, r := range a.Respondents {
		if !known[r.Region] && (r.Kind == KindPrison || r.Kind == KindProbation) {
			key := r.Region + "\x00" + string(r.Kind)
			if !containsString(all[key], r.Name) {
				all[key] = append(all[key], r.Name)
			}
		}
	}

	var out []EstablishmentCoverage
	for _, sk := range order {
		for _, kind := range []RespondentKind{KindPrison, KindProbation} {
			c := EstablishmentCoverage{Region: sk.region, Alliance: sk.alliance, Strand: sk.strand, Kind: kind,
				Answered: []string{}, NothingAnswered: []string{}, NoReturn: []string{}, NotListed: []string{}, Through: []string{}}
			type tally struct{ answered, notAnswered, noReturn int }
			tallies := map[string]*tally{}
			var listed []string
			for i := range a.Returns {
				r := &a.Returns[i]
				if r.Region != sk.region || r.Alliance != sk.alliance || r.Strand != sk.strand {
					continue
				}
				if name, ok := establishment(r.Region, r.Respondent, r.Kind); ok && r.Kind == kind {
					t := tallies[name]
					if t == nil {
						t = &tally{}
						tallies[name] = t
						listed = append(listed, name)
					}
					switch r.Status {
					case StatusAnswered:
						t.answered++
					case StatusNotAnswered:
						t.notAnswered++
					default:
						t.noReturn++
					}
					continue
				}
				if _, ok := establishment(r.Region, r.Respondent, r.Kind); ok {
					continue // an establishment of the other kind
				}
				label := r.Respondent
				if r.Kind == KindCombined {
					label += " (combined assessment)"
				}
				if ReachesKind(r, questions[r.Region+"\x00"+r.QuestionID], kind) && !containsString(c.Through, label) {
					c.Through = append(c.Through, label)
				}
			}
			for _, name := range listed {
				t := tallies[name]
				switch {
				case t.answered > 0:
					c.Answered = append(c.Answered, name)
				case t.notAnswered > 0:
					c.NothingAnswered = append(c.NothingAnswered, name)
				default:
					c.NoReturn = append(c.NoReturn, name)
				}
			}
			region := all[sk.region+"\x00"+string(kind)]
			c.Total = len(region)
			if len(listed) > 0 {
				for _, name := range region {
					if tallies[name] == nil {
						c.NotListed = append(c.NotListed, name)
					}
				}
			}
			if c.Total == 0 && !c.Own() && len(c.Through) == 0 {
				continue // the region has no establishments of this kind
			}
			out = append(out, c)
		}
	}
	return out
}

// sampleCount counts the signatories that are fictional samples: the same
// region and organisation as one of samples.
func sampleCount(sigs, samples []Signatory) int {
	if len(samples) == 0 {
		return 0
	}
	keys := make(map[string]bool, len(samples))
	for i := range samples {
		keys[OrgKey(samples[i].Region, samples[i].Organisation)] = true
	}
	n := 0
	for i := range sigs {
		if keys[OrgKey(sigs[i].Region, sigs[i].Organisation)] {
			n++
		}
	}
	return n
}

// sampleLine is the report's warning about fictional signatories, or "".
func sampleLine(samples, total int) string {
	switch {
	case samples == 0:
		return ""
	case samples == total:
		return fmt.Sprintf("**All %d signatories are the fictional samples that charter puts in a new database. They are not real sign-ups: no signatory figure in this report describes the charter.**", total)
	}
	return fmt.Sprintf("**%d of the %d signatories are the fictional samples that charter puts in a new database. They are not real sign-ups, and they are counted in the signatory figures below.**", samples, total)
}

// reportOpening writes the summary a board reads first.
func reportOpening(b *strings.Builder, sigs []Signatory, a *Audit, samples int, names *NameRegister) {
	w := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	w("## Summary for the board\n\n")
	var counts TierCounts
	waiting := 0
	for i := range sigs {
		counts.Add(&sigs[i], 1)
		if sigs[i].ReviewStatus == StatusPending || sigs[i].ReviewStatus == StatusNeedsInfo {
			waiting++
		}
	}
	w("- **Signatories:** %d %s signed the charter: %d gold, %d silver, %d bronze, %d with no tier yet; %d await review.\n",
		counts.Total, plural(counts.Total, "organisation has", "organisations have"), counts.ByTier[TierGold], counts.ByTier[TierSilver],
		counts.ByTier[TierBronze], counts.ByTier[TierNone], waiting)
	if line := sampleLine(samples, len(sigs)); line != "" {
		w("- %s\n", line)
	}
	if a == nil {
		w("\n")
		return
	}
	cover := CoverageByEstablishment(a, names)
	for _, region := range a.Regions {
		var n [3]int
		questions := 0
		for _, q := range a.Questions {
			if q.Region == region {
				questions++
			}
		}
		rated, good, answered := 0, 0, 0
		var ratings [3]int
		for _, r := range a.Returns {
			if r.Region != region {
				continue
			}
			switch r.Status {
			case StatusAnswered:
				n[0]++
				answered++
			case StatusNotAnswered:
				n[1]++
			case StatusNoReturn:
				n[2]++
			}
			switch r.Annotation.Rating {
			case RatingMeets:
				ratings[0]++
			case RatingPartly:
				ratings[1]++
			case RatingNotMet:
				ratings[2]++
			}
			if r.Annotation.Rating != RatingNone {
				rated++
			}
			if r.Annotation.GoodPractice {
				good++
			}
		}
		total := n[0] + n[1] + n[2]
		w("- **Audit returns, %s:** %d returns to %d questions: %d answered, %d not answered (\"Na\" or equivalent), %d never sent.\n",
			text(region), total, questions, n[0], n[1], n[2])
		var parts []string
		for _, c := range cover {
			if c.Region != region || !c.Own() {
				continue
			}
			parts = append(parts, fmt.Sprintf("%s %d of %d %s", c.AllianceName(), c.Returned(), c.Total, kindNoun(c.Kind, c.Total)))
		}
		if len(parts) > 0 {
			w("- **Establishments that returned, %s:** %s.\n", text(region), text(strings.Join(parts, "; ")))
		}
		w("- **Review, %s:** %d of %d answered returns rated (%d meet the benchmark, %d partly, %d do not); %d flagged as good practice.\n",
			text(region), rated, answered, ratings[0], ratings[1], ratings[2], good)
		for _, s := range a.Summaries {
			if s.Region != region || len(s.KPIs) == 0 {
				continue
			}
			var ks []string
			for _, k := range s.KPIs {
				ks = append(ks, fmt.Sprintf("%s %s %s", k.Subject, k.Measure, k.Figure))
			}
			w("- **KPI figures, %s:** %s.\n", text(s.Title), text(strings.Join(ks, "; ")))
		}
	}
	w("\n")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// reportEstablishments writes coverage by establishment.
func reportEstablishments(b *strings.Builder, a *Audit, names *NameRegister) {
	w := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	cover := CoverageByEstablishment(a, names)
	if len(cover) == 0 {
		return
	}
	w("\n### Coverage by establishment\n\n")
	w("An establishment returned if it sent anything, even \"Na\"; \"sent nothing\" are those the source lists with no return.\n\n")
	w("| Region | Alliance | Establishments | Returned | Answered nothing | Sent nothing |\n|---|---|---|---|---|---|\n")
	for _, c := range cover {
		nothing, sent := strings.Join(c.NothingAnswered, ", "), strings.Join(append(append([]string{}, c.NoReturn...), c.NotListed...), ", ")
		w("| %s | %s | %s | %s | %s | %s |\n", cell(c.Region), cell(c.AllianceName()), kindNoun(c.Kind, 2), cell(c.Summary()), cell(nothing), cell(sent))
	}
}

// reportComments writes the audit reviewers' regional comments.
func reportComments(b *strings.Builder, a *Audit) {
	w := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	if len(a.Comments) == 0 {
		return
	}
	w("\n### Regional comments (%d)\n\nThe audit reviewers' own comments, as the source gives them.\n", len(a.Comments))
	for _, c := range a.Comments {
		on := ""
		if c.Respondent != "" {
			on = ", on " + text(c.Respondent)
		}
		w("\n**%s — %s**%s (%s)\n\n", text(c.Section.Name()), text(c.Heading), on, text(c.Region))
		for i, line := range strings.Split(strings.TrimSpace(c.Text), "\n") {
			if i > 0 {
				w(">\n")
			}
			w("> %s\n", text(line))
		}
	}
}

// reportMatrices writes each pathway matrix with the pathway names, which
// are inferred and marked so.
func reportMatrices(b *strings.Builder, a *Audit) {
	w := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	for _, m := range a.Pathways {
		w("\n### Pathway matrix: %s (%s, %s)\n\n", text(m.Title), text(m.Section.Name()), text(m.Region))
		w("| Establishment |")
		for i := 1; i <= NumPathways; i++ {
			w(" %d %s† |", i, PathwayName(i))
		}
		w("\n|---|%s\n", strings.Repeat(":-:|", NumPathways))
		var marked [NumPathways]int
		for _, row := range m.Rows {
			name := text(row.Establishment)
			if row.Normalised != "" && row.Normalised != row.Establishment {
				name += " (" + text(row.Normalised) + ")"
			}
			w("| %s |", name)
			for i, x := range row.Marks {
				if x {
					marked[i]++
					w(" X |")
				} else {
					w("  |")
				}
			}
			w("\n")
		}
		w("| **Establishments marked (of %d)** |", len(m.Rows))
		for _, n := range marked {
			w(" %d |", n)
		}
		w("\n\n")
		label := m.OrganisationsLabel
		if label == "" {
			label = "Organisations"
		}
		w("%s named per pathway:\n\n", text(label))
		for i, o := range m.Organisations {
			if strings.TrimSpace(o) != "" {
				w("- %d %s†: %s\n", i+1, PathwayName(i+1), text(o))
			}
		}
		w("\n† %s\n", PathwayNamesNote)
	}
}
