package model

import (
	"fmt"
	"math/bits"
	"strings"
)

// Commitment is one of the charter's eight commitments. The order is the
// charter's own and is used everywhere a list is shown.
type Commitment uint8

const (
	GuaranteedInterviews Commitment = iota
	EntryLevelJobs
	WorkExperience
	WorkplaceMentor
	Training
	EmployeeSupport
	PracticalSupport
	BanTheBox

	// NumCommitments is how many commitments the charter has.
	NumCommitments = 8
)

// CommitmentInfo is what the screens and codecs need to know about one
// commitment: its interchange key, a short label for tables, and the
// charter's own wording for the form.
type CommitmentInfo struct {
	Key     string
	Label   string
	Wording string
}

// commitmentInfo is indexed by Commitment. It is an array value, copied on
// read, so nothing outside can change it.
var commitmentInfo = [NumCommitments]CommitmentInfo{
	{"guaranteed_interviews", "Guaranteed interviews",
		"Guaranteeing interviews for applicants who meet the essential criteria: see advice for disability confident guaranteed interviews scheme."},
	{"entry_level_jobs", "Entry-level jobs",
		"Ensuring our organisation has entry-level jobs for those with skills gaps."},
	{"work_experience", "Work experience",
		"Guaranteeing work experience, so that people with convictions can be given a chance to try out work and understand what they can expect from a working environment."},
	{"workplace_mentor", "Workplace mentor",
		"Providing a workplace mentor"},
	{"training", "Training",
		"Providing training"},
	{"employee_support", "Support to the employee",
		"Being willing to provide support to the employee"},
	{"practical_support", "Practical support",
		"Provide practical support to employees, for example, providing them with a bus pass or flexible working hours"},
	{"ban_the_box", "Ban the box",
		"Give fair consideration, to banning the box on application forms – people with convictions should not disclose any record until after the initial application stage, in a conversation with the hiring manager."},
}

// AllCommitments lists the eight commitments in the charter's order.
func AllCommitments() []Commitment {
	out := make([]Commitment, NumCommitments)
	for i := range out {
		out[i] = Commitment(i)
	}
	return out
}

// Info describes the commitment; an out-of-range value gets an empty Info.
func (c Commitment) Info() CommitmentInfo {
	if c >= NumCommitments {
		return CommitmentInfo{}
	}
	return commitmentInfo[c]
}

// Key is the interchange key, e.g. "ban_the_box".
func (c Commitment) Key() string { return c.Info().Key }

// Label is the short label, e.g. "Ban the box".
func (c Commitment) Label() string { return c.Info().Label }

func (c Commitment) String() string { return c.Key() }

// ParseCommitment reads an interchange key, ignoring case and surrounding space.
func ParseCommitment(key string) (Commitment, error) {
	k := strings.ToLower(strings.TrimSpace(key))
	for i, info := range commitmentInfo {
		if info.Key == k {
			return Commitment(i), nil
		}
	}
	return 0, fmt.Errorf("%q is not a charter commitment (one of %s)", key, strings.Join(CommitmentKeys(), ", "))
}

// MarshalText writes the interchange key, so stored evidence names its
// commitment rather than a number.
func (c Commitment) MarshalText() ([]byte, error) {
	if c >= NumCommitments {
		return nil, fmt.Errorf("commitment %d is not a charter commitment", uint8(c))
	}
	return []byte(c.Key()), nil
}

// UnmarshalText reads an interchange key.
func (c *Commitment) UnmarshalText(b []byte) error {
	v, err := ParseCommitment(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// CommitmentKeys lists every interchange key in the charter's order.
func CommitmentKeys() []string {
	out := make([]string, NumCommitments)
	for i, info := range commitmentInfo {
		out[i] = info.Key
	}
	return out
}

// CommitmentSet is a set of distinct commitments, one bit each. Each
// commitment counts once however often it is listed.
type CommitmentSet uint8

// Has reports whether c is in the set.
func (s CommitmentSet) Has(c Commitment) bool { return c < NumCommitments && s&(1<<c) != 0 }

// With returns the set with c added.
func (s CommitmentSet) With(c Commitment) CommitmentSet {
	if c >= NumCommitments {
		return s
	}
	return s | 1<<c
}

// Without returns the set with c removed.
func (s CommitmentSet) Without(c Commitment) CommitmentSet { return s &^ (1 << c) }

// Toggle returns the set with c flipped.
func (s CommitmentSet) Toggle(c Commitment) CommitmentSet {
	if s.Has(c) {
		return s.Without(c)
	}
	return s.With(c)
}

// Count is the number of distinct commitments, the figure the tier rule uses.
func (s CommitmentSet) Count() int { return bits.OnesCount8(uint8(s)) }

// Tier is the tier these commitments earn.
func (s CommitmentSet) Tier() Tier { return TierOf(s.Count()) }

// List returns the commitments in the charter's order.
func (s CommitmentSet) List() []Commitment {
	var out []Commitment
	for c := Commitment(0); c < NumCommitments; c++ {
		if s.Has(c) {
			out = append(out, c)
		}
	}
	return out
}

// String is the interchange form: keys in the charter's order joined by ";".
func (s CommitmentSet) String() string {
	var b strings.Builder
	for _, c := range s.List() {
		if b.Len() > 0 {
			b.WriteByte(';')
		}
		b.WriteString(c.Key())
	}
	return b.String()
}

// ParseCommitmentSet reads the interchange form: keys separated by ";", in
// any order, duplicates ignored, empty items skipped.
func ParseCommitmentSet(s string) (CommitmentSet, error) {
	var set CommitmentSet
	for _, part := range strings.Split(s, ";") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		c, err := ParseCommitment(part)
		if err != nil {
			return 0, err
		}
		set = set.With(c)
	}
	return set, nil
}

// MarshalText writes the interchange form, so JSON shows keys, not a number.
func (s CommitmentSet) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads the interchange form.
func (s *CommitmentSet) UnmarshalText(b []byte) error {
	v, err := ParseCommitmentSet(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}
