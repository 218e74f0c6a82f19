package model

// MatchImport as it was before it built each row's keys once, in place,
// kept as the reference the faster one must agree with.

import (
	"fmt"
	"sort"
)

func refMatchImport(rows []Signatory, lines []int, existing []Signatory, opt MatchOptions) (old []*Signatory, issues []RowIssue) {
	byKey := make(map[string]*Signatory, len(existing))
	likely := make(map[string][]*Signatory, 2*len(existing))
	for i := range existing {
		s := &existing[i]
		byKey[OrgKey(s.Region, s.Organisation)] = s
		for _, k := range importKeys(s) {
			likely[k] = append(likely[k], s)
		}
	}
	// Earlier rows, indexed the same way, with their lines.
	seen := make(map[string]int, len(rows))
	rowLikely := make(map[string][]int) // indexes into rows

	old = make([]*Signatory, len(rows))
	problem := func(line int, format string, args ...any) {
		issues = append(issues, RowIssue{Line: line, Column: FieldOrganisation, Msg: fmt.Sprintf(format, args...)})
	}
	for ri := range rows {
		s, line := &rows[ri], lines[ri]
		key := OrgKey(s.Region, s.Organisation)
		if first, dup := seen[key]; dup {
			problem(line, "%s appears again (first on line %d)", s.Organisation, first)
			continue
		}
		seen[key] = line
		if o, ok := byKey[key]; ok {
			if !opt.Update {
				problem(line, "%s (%s) already exists as record %d; give --update to change it",
					quoteIfOdd(s.Organisation), quoteIfOdd(s.Region), o.ID)
				continue
			}
			old[ri] = o
			*s = carryOver(o, *s, opt)
			continue
		}
		if !opt.AsNew {
			if msg := refLikelyClash(s, key, likely, rowLikely, rows, lines); msg != "" {
				problem(line, "%s", msg)
			}
		}
		for _, k := range importKeys(s) {
			rowLikely[k] = append(rowLikely[k], ri)
		}
	}
	sort.SliceStable(issues, func(i, j int) bool { return issues[i].Line < issues[j].Line })
	return old, issues
}

// likelyClash names the first stored record, or else the first earlier
// row, that s is likely the same as, with the reason; "" if none.
func refLikelyClash(s *Signatory, key string, stored map[string][]*Signatory, earlier map[string][]int, rows []Signatory, lines []int) string {
	for _, k := range importKeys(s) {
		for _, o := range stored[k] {
			if OrgKey(o.Region, o.Organisation) == key {
				continue
			}
			if ok, why := LikelySame(s, o); ok && sharesKey(s, o) {
				return fmt.Sprintf("%s is likely %s (%s, record %d): %s; not merged: to change that record give the row its name and region and --update, or give --as-new to add it as another organisation",
					quoteIfOdd(s.Organisation), quoteIfOdd(o.Organisation), quoteIfOdd(o.Region), o.ID, why)
			}
		}
	}
	for _, k := range importKeys(s) {
		for _, i := range earlier[k] {
			o := &rows[i]
			if ok, why := LikelySame(s, o); ok && sharesKey(s, o) {
				return fmt.Sprintf("%s is likely %s on line %d: %s; give --as-new if they are different organisations",
					quoteIfOdd(s.Organisation), quoteIfOdd(o.Organisation), lines[i], why)
			}
		}
	}
	return ""
}
