package model

import (
	"fmt"
	"sort"
	"strings"
)

// MatchOptions say what an import may do with rows that name an
// organisation already signed up.
type MatchOptions struct {
	// Update lets a row change the record with the same organisation and
	// region (compared ignoring case and surrounding space).
	Update bool
	// AsNew imports a row that is only likely the same as another (see
	// LikelySame) as a new organisation; without it such a row is a problem.
	AsNew bool
	// HasReview and HasWithdrawal say whether the file carries the
	// last-review and withdrawal columns; an update keeps the stored
	// values of columns the file lacks.
	HasReview, HasWithdrawal bool
}

// MatchImport checks every row against the stored records and the rows
// before it, in one pass, and reports every clash with its line:
//
//   - an organisation named twice in the file (same name and region);
//   - an organisation already signed up in its region, unless Update;
//   - a row likely the same as a stored record or an earlier row (the same
//     name once case, punctuation, "&" and legal forms are set aside, or
//     the same own email domain and local area), with the reason, unless
//     AsNew. Nothing is merged on a likely match: to change that record,
//     give the row its stored organisation and region and use Update.
//
// rows are the file's good rows and lines the lines they start on. For
// each row, old holds the stored record it would update, or nil for a new
// one. An update's row is changed in place: it keeps what no CSV column
// holds (the evidence) and what the file lacks a column for, and takes
// the record's id and version.
func MatchImport(rows []Signatory, lines []int, existing []Signatory, opt MatchOptions) (old []*Signatory, issues []RowIssue) {
	byKey := make(map[string]*Signatory, len(existing))
	likely := make(map[string][]*Signatory, 2*len(existing))
	for i := range existing {
		s := &existing[i]
		byKey[OrgKey(s.Region, s.Organisation)] = s
		for _, k := range importKeys(s) {
			likely[k] = append(likely[k], s)
		}
	}
	// Earlier rows, indexed the same way, with their lines: each import
	// key leads to a chain of the rows that have it, in file order.
	seen := make(map[string]int, len(rows))
	earlier := rowIndex{heads: make(map[string]chain, len(rows))}

	old = make([]*Signatory, len(rows))
	problem := func(line int, format string, args ...any) {
		issues = append(issues, RowIssue{Line: line, Column: FieldOrganisation, Msg: fmt.Sprintf(format, args...)})
	}
	// A row's keys are built in one buffer and made one string, which
	// the maps' keys are slices of.
	var ks keyScratch
	var buf []byte
	var ends []int
	var keys []string
	for ri := range rows {
		s, line := &rows[ri], lines[ri]
		buf = AppendOrgKey(buf[:0], s.Region, s.Organisation)
		if first, dup := seen[string(buf)]; dup {
			problem(line, "%s appears again (first on line %d)", s.Organisation, first)
			continue
		}
		orgEnd := len(buf)
		buf, ends = ks.appendImportKeys(buf, ends[:0], s)
		all := string(buf)
		key := all[:orgEnd]
		keys = keys[:0]
		from := orgEnd
		for _, end := range ends {
			keys = append(keys, all[from:end])
			from = end
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
			if msg := likelyClash(s, key, keys, likely, &earlier, rows, lines); msg != "" {
				problem(line, "%s", msg)
			}
		}
		for _, k := range keys {
			earlier.add(k, ri)
		}
	}
	sort.SliceStable(issues, func(i, j int) bool { return issues[i].Line < issues[j].Line })
	return old, issues
}

// rowIndex finds the earlier rows with an import key: for each key the
// first and last of a chain of entries, in the order the rows were added.
type rowIndex struct {
	heads   map[string]chain
	entries []rowEntry
}

type chain struct{ first, last int32 }

type rowEntry struct{ row, next int32 }

func (x *rowIndex) add(key string, row int) {
	e := int32(len(x.entries))
	x.entries = append(x.entries, rowEntry{row: int32(row), next: -1})
	c, ok := x.heads[key]
	if !ok {
		x.heads[key] = chain{e, e}
		return
	}
	x.entries[c.last].next = e
	c.last = e
	x.heads[key] = c
}

// likelyClash names the first stored record, or else the first earlier
// row, that s is likely the same as, with the reason; "" if none. keys
// are s's import keys and key its OrgKey. A record or row is found
// through a key it shares with s, so they share a key (see sharesKey).
func likelyClash(s *Signatory, key string, keys []string, stored map[string][]*Signatory, earlier *rowIndex, rows []Signatory, lines []int) string {
	for _, k := range keys {
		for _, o := range stored[k] {
			if OrgKey(o.Region, o.Organisation) == key {
				continue
			}
			if ok, why := LikelySame(s, o); ok {
				return fmt.Sprintf("%s is likely %s (%s, record %d): %s; not merged: to change that record give the row its name and region and --update, or give --as-new to add it as another organisation",
					quoteIfOdd(s.Organisation), quoteIfOdd(o.Organisation), quoteIfOdd(o.Region), o.ID, why)
			}
		}
	}
	for _, k := range keys {
		c, ok := earlier.heads[k]
		if !ok {
			continue
		}
		for e := c.first; e >= 0; e = earlier.entries[e].next {
			i := earlier.entries[e].row
			o := &rows[i]
			if ok, why := LikelySame(s, o); ok {
				return fmt.Sprintf("%s is likely %s on line %d: %s; give --as-new if they are different organisations",
					quoteIfOdd(s.Organisation), quoteIfOdd(o.Organisation), lines[i], why)
			}
		}
	}
	return ""
}

// carryOver is the row s as an update of old: what the file cannot say is
// kept from old.
func carryOver(old *Signatory, s Signatory, opt MatchOptions) Signatory {
	s.ID, s.Version, s.Created = old.ID, old.Version, old.Created
	s.Evidence, s.VacancyEvidence = old.Evidence, old.VacancyEvidence
	if !opt.HasReview {
		s.LastReviewedOn, s.LastReviewedBy = old.LastReviewedOn, old.LastReviewedBy
	}
	switch {
	case !opt.HasWithdrawal && old.Withdrawn():
		// A file without the withdrawal columns cannot restore a record:
		// it stays withdrawn.
		s.ReviewStatus, s.Withdrawal = old.ReviewStatus, old.Withdrawal
	case s.Withdrawn() && old.Withdrawn():
		s.Withdrawal.Prior, s.Withdrawal.By = old.Withdrawal.Prior, old.Withdrawal.By
	case s.Withdrawn():
		s.Withdrawal.Prior = old.ReviewStatus
	}
	return s
}

// DescribeChange is what an update would do to a record, for a dry run:
//
//	line 3: Acme Ltd (West Midlands), record 12, would change:
//	  commitments: guaranteed_interviews;… → training
//	  review_status: verified → pending
//	  tier: gold, verified → bronze, pending
//
// Values are made safe for a terminal and long ones shortened. A record
// the row leaves as it is gives "line 3: … unchanged".
func DescribeChange(line int, old, new *Signatory) string {
	if old == nil {
		return fmt.Sprintf("line %d: %s (%s) would be added: %s, %s", line,
			SanitizeLine(new.Organisation), SanitizeLine(new.Region), new.Tier(), new.ReviewStatus)
	}
	head := fmt.Sprintf("line %d: %s (%s), record %d", line, SanitizeLine(old.Organisation), SanitizeLine(old.Region), old.ID)
	changes := Diff(old, new)
	if len(changes) == 0 {
		return head + ", unchanged"
	}
	var b strings.Builder
	b.WriteString(head + ", would change:")
	for _, c := range changes {
		fmt.Fprintf(&b, "\n  %s: %s → %s", c.Field, shownValue(c.Field, c.Old), shownValue(c.Field, c.New))
	}
	ot, nt := old.Tier(), new.Tier()
	os, ns := old.ReviewStatus, new.ReviewStatus
	if ot != nt || os != ns {
		fmt.Fprintf(&b, "\n  tier: %s, %s → %s, %s", ot, os, nt, ns)
	}
	if oe, ne := old.EvidencedTier(), new.EvidencedTier(); oe != ne {
		fmt.Fprintf(&b, "\n  evidenced tier: %s → %s", oe, ne)
	}
	return b.String()
}

// shownValue is a value as a dry run shows it: one line, "(empty)" for
// nothing, and but for the commitments at most 60 characters.
func shownValue(field, v string) string {
	if v == "" {
		return "(empty)"
	}
	v = SanitizeLine(v)
	if r := []rune(v); len(r) > 60 && field != FieldCommitments {
		v = string(r[:59]) + "…"
	}
	return v
}

// importKeys are LikelySameKeys less a domain key for a domain reserved
// for examples and tests (example.org, *.test and the like, RFC 2606 and
// RFC 6761): sample data and test files share them without being one
// organisation.
func importKeys(s *Signatory) []string {
	keys := LikelySameKeys(s)
	out := keys[:0]
	for _, k := range keys {
		if strings.HasPrefix(k, "domain\x00") && reservedDomain(EmailDomain(s.Email)) {
			continue
		}
		out = append(out, k)
	}
	return out
}

// sharesKey reports whether a and b share an import key, so a likely
// match found through a name key is not then explained by a reserved
// domain.
func sharesKey(a, b *Signatory) bool {
	kb := importKeys(b)
	for _, k := range importKeys(a) {
		for _, o := range kb {
			if k == o {
				return true
			}
		}
	}
	return false
}

func reservedDomain(d string) bool {
	switch d {
	case "example.org", "example.com", "example.net":
		return true
	}
	for _, tld := range []string{".example", ".test", ".invalid", ".localhost"} {
		if strings.HasSuffix(d, tld) || d == tld[1:] {
			return true
		}
	}
	return strings.HasSuffix(d, ".example.org") || strings.HasSuffix(d, ".example.com") || strings.HasSuffix(d, ".example.net")
}
