package model

import (
	"fmt"
	"strings"
)

// Tier is a signatory's level under the charter, earned by the number of
// distinct commitments it makes.
type Tier uint8

const (
	TierNone Tier = iota
	TierBronze
	TierSilver
	TierGold

	numTiers = 4
)

// The charter: "To be a bronze signatory, you must commit to 1 of the above.
// To be a silver signatory, you must commit to 3 of the above. To be a gold
// signatory, you must commit to 4+ of the above."
var tierThreshold = [numTiers]int{0, 1, 3, 4}

// TierOf applies the charter's rule to a count of distinct commitments:
// 0 none, 1–2 bronze, 3 silver, 4 or more gold.
func TierOf(commitments int) Tier {
	t := TierNone
	for i := Tier(1); i < numTiers; i++ {
		if commitments >= tierThreshold[i] {
			t = i
		}
	}
	return t
}

// AllTiers lists the tiers from none to gold.
func AllTiers() []Tier { return []Tier{TierNone, TierBronze, TierSilver, TierGold} }

// ToNextTier says which tier comes next for a signatory with n commitments
// and how many more commitments it needs. At gold there is no next tier and
// ok is false.
func ToNextTier(n int) (next Tier, more int, ok bool) {
	cur := TierOf(n)
	if cur == TierGold {
		return TierGold, 0, false
	}
	next = cur + 1
	return next, tierThreshold[next] - n, true
}

// OneFromNext reports whether one more commitment would lift the tier.
func OneFromNext(n int) bool {
	_, more, ok := ToNextTier(n)
	return ok && more == 1
}

// NextTierHint is the form's hint, e.g. "1 more commitment for Silver".
func NextTierHint(n int) string {
	next, more, ok := ToNextTier(n)
	if !ok {
		return "Top tier reached"
	}
	word := "commitments"
	if more == 1 {
		word = "commitment"
	}
	return fmt.Sprintf("%d more %s for %s", more, word, next.Label())
}

// String is the interchange form: none, bronze, silver, gold.
func (t Tier) String() string {
	switch t {
	case TierBronze:
		return "bronze"
	case TierSilver:
		return "silver"
	case TierGold:
		return "gold"
	}
	return "none"
}

// Label is the badge people read: "No tier", "Bronze", "Silver", "Gold".
func (t Tier) Label() string {
	switch t {
	case TierBronze:
		return "Bronze"
	case TierSilver:
		return "Silver"
	case TierGold:
		return "Gold"
	}
	return "No tier"
}

// ParseTier reads the interchange form, ignoring case.
func ParseTier(s string) (Tier, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "none", "no tier", "":
		return TierNone, nil
	case "bronze":
		return TierBronze, nil
	case "silver":
		return TierSilver, nil
	case "gold":
		return TierGold, nil
	}
	return 0, fmt.Errorf("%q is not a tier (none, bronze, silver, gold)", s)
}

// tierByCount is TierOf for every possible count of distinct
// commitments, so the filter's inner loop needs no arithmetic.
var tierByCount = func() (t [NumCommitments + 1]Tier) {
	for n := range t {
		t[n] = TierOf(n)
	}
	return t
}()

// TierCounts holds how many signatories sit in each tier, and how many are
// one commitment away from the next. The store keeps it as an aggregate
// updated on every write so that the summary line never scans the records.
// Withdrawn records are left out of every figure but Withdrawn.
type TierCounts struct {
	ByTier      [numTiers]int `json:"by_tier"`
	OneFromNext int           `json:"one_from_next"`
	NoVacancy   int           `json:"no_vacancy_statement"`
	Total       int           `json:"total"`
	// Evidenced counts records by evidenced tier from bronze up; index
	// TierNone stays 0 (see EvidencedIn), so an aggregate stored before
	// evidence existed (no record evidenced) is still right.
	Evidenced [numTiers]int `json:"evidenced,omitzero"`
	// Withdrawn counts the withdrawn records left out of the rest.
	Withdrawn int `json:"withdrawn,omitempty"`
}

// Add counts (or, with delta -1, uncounts) one signatory. A withdrawn
// signatory counts only in Withdrawn, so the store's update (old -1,
// new +1) moves a record in and out of the figures as it is withdrawn and
// restored.
func (c *TierCounts) Add(s *Signatory, delta int) {
	if s.Withdrawn() {
		c.Withdrawn += delta
		return
	}
	n := s.Commitments.Count()
	c.ByTier[tierByCount[n]] += delta
	if OneFromNext(n) {
		c.OneFromNext += delta
	}
	if !s.VacancyStatement {
		c.NoVacancy += delta
	}
	if len(s.Evidence) > 0 {
		if t := s.EvidencedTier(); t != TierNone {
			c.Evidenced[t] += delta
		}
	}
	c.Total += delta
}

// Merge adds another count to c (for counts made in parts).
func (c *TierCounts) Merge(o TierCounts) {
	for t := range c.ByTier {
		c.ByTier[t] += o.ByTier[t]
		c.Evidenced[t] += o.Evidenced[t]
	}
	c.OneFromNext += o.OneFromNext
	c.NoVacancy += o.NoVacancy
	c.Total += o.Total
	c.Withdrawn += o.Withdrawn
}

// EvidencedIn is how many counted records have evidenced tier t; for
// TierNone, those with no evidenced tier.
func (c *TierCounts) EvidencedIn(t Tier) int {
	if t != TierNone {
		return c.Evidenced[t]
	}
	n := c.Total
	for i := TierBronze; i < numTiers; i++ {
		n -= c.Evidenced[i]
	}
	return n
}
