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

// TierCounts holds how many signatories sit in each tier, and how many are
// one commitment away from the next. The store keeps it as an aggregate
// updated on every write so that the summary line never scans the records.
type TierCounts struct {
	ByTier      [numTiers]int `json:"by_tier"`
	OneFromNext int           `json:"one_from_next"`
	NoVacancy   int           `json:"no_vacancy_statement"`
	Total       int           `json:"total"`
}

// Add counts (or, with delta -1, uncounts) one signatory.
func (c *TierCounts) Add(s *Signatory, delta int) {
	n := s.Commitments.Count()
	c.ByTier[TierOf(n)] += delta
	if OneFromNext(n) {
		c.OneFromNext += delta
	}
	if !s.VacancyStatement {
		c.NoVacancy += delta
	}
	c.Total += delta
}
