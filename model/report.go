package model

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// ReportOptions give the report what the model cannot know by itself.
type ReportOptions struct {
	// Names is the names register: it tells establishments (a prison, a
	// probation area) from respondents that answer for several at once
	// ("All West Midlands prisons"). Without it every prison and
	// probation respondent counts as one establishment.
	Names *NameRegister
	// Samples are the fictional sample signatories a new database is
	// seeded with; signatories with the same region and organisation are
	// called out as samples.
	Samples []Signatory
	// ReviewPeriod is the database's review period (0: the default), for
	// the list of records overdue for review.
	ReviewPeriod ReviewPeriod
}

// Report is ReportWith without options.
func Report(sigs []Signatory, a *Audit, today time.Time) string {
	return ReportWith(sigs, a, today, ReportOptions{})
}

// ReportWith writes the board's Markdown report: an opening summary; a
// clear line when the signatories are the fictional samples; signatories
// by tier and area, who is one commitment from the next tier, who lacks
// the vacancy statement, the review backlog; audit coverage by return and
// by establishment, the no-returns list, ratings so far and every
// good-practice return; the regional comments; the pathway matrices with
// the (inferred) pathway names; and the summary reports with their KPI
// figures. All data text is sanitised and escaped for Markdown.
func ReportWith(sigs []Signatory, a *Audit, today time.Time, opt ReportOptions) string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("# Second Chances Charter — report to the board\n\n")
	w("Prepared %s from the charter workbench.\n\n", today.Format("2 January 2006"))
	samples := sampleCount(sigs, opt.Samples)
	reportOpening(&b, sigs, a, samples, opt.Names)

	w("## Signatories\n\n")
	if line := sampleLine(samples, len(sigs)); line != "" {
		w("%s\n\n", line)
	}
	var counts TierCounts
	for i := range sigs {
		counts.Add(&sigs[i], 1)
	}
	w("%d organisations have signed the charter.\n\n", counts.Total)
	w("### By tier\n\n| Tier | Signatories | |\n|---|--:|---|\n")
	maxTier := 0
	for _, n := range counts.ByTier {
		maxTier = max(maxTier, n)
	}
	for _, t := range []Tier{TierGold, TierSilver, TierBronze, TierNone} {
		w("| %s | %d | %s |\n", t.Label(), counts.ByTier[t], bar(counts.ByTier[t], maxTier))
	}
	w("\n### By local area\n\n| Local area | Signatories | Gold | Silver | Bronze | No tier | |\n|---|--:|--:|--:|--:|--:|---|\n")
	type areaCount struct {
		name   string
		total  int
		byTier [numTiers]int
	}
	areas := map[string]*areaCount{}
	for i := range sigs {
		name := sigs[i].LocalArea
		if name == "" {
			name = "(not given)"
		}
		if areas[name] == nil {
			areas[name] = &areaCount{name: name}
		}
		areas[name].total++
		areas[name].byTier[sigs[i].Tier()]++
	}
	var areaList []*areaCount
	maxArea := 0
	for _, ac := range areas {
		areaList = append(areaList, ac)
		maxArea = max(maxArea, ac.total)
	}
	sort.Slice(areaList, func(i, j int) bool { return areaList[i].name < areaList[j].name })
	for _, ac := range areaList {
		w("| %s | %d | %d | %d | %d | %d | %s |\n", cell(ac.name), ac.total, ac.byTier[TierGold], ac.byTier[TierSilver],
			ac.byTier[TierBronze], ac.byTier[TierNone], bar(ac.total, maxArea))
	}

	sorted := append([]Signatory(nil), sigs...)
	sort.SliceStable(sorted, func(i, j int) bool {
		return strings.ToLower(sorted[i].Organisation) < strings.ToLower(sorted[j].Organisation)
	})
	w("\n### One commitment from the next tier (%d)\n\n", counts.OneFromNext)
	for _, s := range sorted {
		n := s.Commitments.Count()
		if OneFromNext(n) {
			w("- %s (%s) — %s with %d: %s\n", text(s.Organisation), text(s.LocalArea), s.Tier().Label(), n, NextTierHint(n))
		}
	}
	if counts.OneFromNext == 0 {
		w("None.\n")
	}
	w("\n### Without the vacancy statement (%d)\n\nThe charter asks every signatory to reference it on job vacancies.\n\n", counts.NoVacancy)
	for _, s := range sorted {
		if !s.VacancyStatement {
			w("- %s (%s, %s)\n", text(s.Organisation), text(s.LocalArea), s.Tier().Label())
		}
	}
	if counts.NoVacancy == 0 {
		w("None.\n")
	}

	w("\n### Review backlog\n\nAge is days since the organisation signed.\n\n| Organisation | Area | Status | Signed on | Age (days) |\n|---|---|---|---|--:|\n")
	var backlog []Signatory
	for _, s := range sigs {
		if s.ReviewStatus == StatusPending || s.ReviewStatus == StatusNeedsInfo {
			backlog = append(backlog, s)
		}
	}
	sort.SliceStable(backlog, func(i, j int) bool { return backlog[i].SignedOn.Before(backlog[j].SignedOn) })
	for _, s := range backlog {
		age := int(today.Sub(s.SignedOn).Hours() / 24)
		w("| %s | %s | %s | %s | %d |\n", cell(s.Organisation), cell(s.LocalArea), s.ReviewStatus, s.Field(FieldSignedOn), age)
	}
	if len(backlog) == 0 {
		w("| (none) | | | | |\n")
	}
	b.WriteString(OverdueSection(sigs, opt.ReviewPeriod, today))

	if a != nil {
		reportAudit(&b, a, opt.Names)
	}
	return b.String()
}

func reportAudit(b *strings.Builder, a *Audit, names *NameRegister) {
	w := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	w("\n## Reducing Re-offending Alliances audit\n\n### Coverage\n\n")
	w("| Region | Alliance | Respondents | Returns | Answered | Not answered | No return |\n|---|---|---|--:|--:|--:|--:|\n")
	type cov struct {
		sec                     Section
		answered, notAns, noRet int
	}
	var order []Section
	covs := map[Section]*cov{}
	for _, r := range a.Returns {
		if covs[r.Section] == nil {
			covs[r.Section] = &cov{sec: r.Section}
			order = append(order, r.Section)
		}
		c := covs[r.Section]
		switch r.Status {
		case StatusAnswered:
			c.answered++
		case StatusNotAnswered:
			c.notAns++
		case StatusNoReturn:
			c.noRet++
		}
	}
	for _, s := range order {
		c := covs[s]
		total := c.answered + c.notAns + c.noRet
		alliance := string(s.Alliance)
		if s.Strand != StrandNone {
			alliance += " (" + string(s.Strand) + ")"
		}
		w("| %s | %s | %s | %d | %s | %s | %s |\n", cell(s.Region), cell(alliance), s.Kind, total,
			pct(c.answered, total), pct(c.notAns, total), pct(c.noRet, total))
	}

	reportEstablishments(b, a, names)

	w("\n### No returns\n\n")
	noRet := map[string][]string{}
	var noOrder []string
	for _, r := range a.Returns {
		if r.Status != StatusNoReturn {
			continue
		}
		key := r.Section.Name() + " (" + r.Region + ")"
		if noRet[key] == nil {
			noOrder = append(noOrder, key)
		}
		if !containsString(noRet[key], r.Respondent) {
			noRet[key] = append(noRet[key], r.Respondent)
		}
	}
	for _, k := range noOrder {
		w("- %s: %s\n", text(k), text(strings.Join(noRet[k], ", ")))
	}
	if len(noOrder) == 0 {
		w("Every listed establishment sent a return.\n")
	}

	titles := map[string]string{}
	for _, q := range a.Questions {
		titles[q.Region+"\x00"+q.ID] = fmt.Sprintf("Q%d %s", q.Order, q.Title)
	}
	w("\n### Ratings so far\n\n")
	ratings := map[Rating]int{}
	rated := 0
	for _, r := range a.Returns {
		if r.Annotation.Rating != RatingNone {
			ratings[r.Annotation.Rating]++
			rated++
		}
	}
	answered := 0
	for _, r := range a.Returns {
		if r.Status == StatusAnswered {
			answered++
		}
	}
	w("%d of %d answered returns rated: %d meet the benchmark, %d partly, %d do not.\n\n", rated, answered,
		ratings[RatingMeets], ratings[RatingPartly], ratings[RatingNotMet])
	for _, r := range a.Returns {
		if r.Annotation.Rating != RatingNone {
			w("- %s — %s, %s: **%s**%s\n", text(r.Respondent), text(r.Section.Name()), text(titles[r.Region+"\x00"+r.QuestionID]),
				r.Annotation.Rating.Label(), commentSuffix(r.Annotation))
		}
	}

	w("\n### Good practice\n\n")
	found := false
	for _, r := range a.Returns {
		if !r.Annotation.GoodPractice {
			continue
		}
		found = true
		w("- **%s** — %s, %s%s\n", text(r.Respondent), text(r.Section.Name()), text(titles[r.Region+"\x00"+r.QuestionID]), commentSuffix(r.Annotation))
		w("  > %s\n", text(r.Answer))
	}
	if !found {
		w("No return has been flagged as good practice yet.\n")
	}

	reportComments(b, a)
	reportMatrices(b, a)
	for _, s := range a.Summaries {
		w("\n### %s\n\n", text(s.Title))
		if len(s.KPIs) > 0 {
			w("KPI figures:\n\n")
		}
		for _, k := range s.KPIs {
			w("- %s, %s: **%s**\n", text(k.Subject), text(k.Measure), text(k.Figure))
		}
		if len(s.KPIs) > 0 && len(s.Paragraphs) > 0 {
			w("\n")
		}
		for i, p := range s.Paragraphs {
			if i > 0 {
				w(">\n")
			}
			w("> %s\n", text(p))
		}
	}
}

func commentSuffix(a Annotation) string {
	if a.Comment == "" {
		return ""
	}
	return " — “" + text(a.Comment) + "” (" + text(a.By) + ")"
}

func containsString(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// bar is a small text bar chart, 20 blocks for the largest value.
func bar(n, maxN int) string {
	if maxN == 0 || n == 0 {
		return ""
	}
	width := n * 20 / maxN
	if width == 0 {
		width = 1
	}
	return strings.Repeat("█", width)
}

func pct(n, total int) string {
	if total == 0 {
		return "0"
	}
	return fmt.Sprintf("%d (%.0f%%)", n, float64(n)*100/float64(total))
}

// text makes data safe for a Markdown line: no control characters, no
// line breaks, and Markdown's active characters escaped.
func text(s string) string {
	s = SanitizeLine(s)
	r := strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "<", "&lt;", ">", "&gt;", "[", `\[`, "]", `\]`, "#", `\#`, "|", `\|`)
	return r.Replace(s)
}

// cell is text for a Markdown table cell.
func cell(s string) string { return text(s) }
