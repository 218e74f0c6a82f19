package model

import (
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxEvidenceNote bounds an evidence note: a short line saying what was
// seen and where ("interview guarantee in recruitment policy p.4").
const MaxEvidenceNote = 200

// Evidence is what a reviewer saw of a commitment or of the vacancy
// statement in practice: a short note (for the statement, where it was
// seen), who recorded it and the day it was seen.
type Evidence struct {
	Note string    `json:"note"`
	By   string    `json:"by"`
	On   time.Time `json:"on"`
}

// IsZero reports whether no evidence is recorded.
func (e Evidence) IsZero() bool { return e.Note == "" && e.By == "" && e.On.IsZero() }

// String is the history form: "note (by NAME, YYYY-MM-DD)".
func (e Evidence) String() string {
	var meta []string
	if e.By != "" {
		meta = append(meta, "by "+e.By)
	}
	if !e.On.IsZero() {
		meta = append(meta, e.On.Format(DateLayout))
	}
	if len(meta) == 0 {
		return e.Note
	}
	return e.Note + " (" + strings.Join(meta, ", ") + ")"
}

func (e Evidence) normalised() Evidence {
	e.Note = strings.TrimSpace(e.Note)
	e.By = strings.TrimSpace(e.By)
	e.On = dateOf(e.On)
	return e
}

// validate checks one piece of evidence: a note of at most
// MaxEvidenceNote characters on one line without control characters, who
// recorded it, and a day no later than today.
func (e Evidence) validate(today time.Time) string {
	switch {
	case !utf8.ValidString(e.Note) || !utf8.ValidString(e.By):
		return "is not valid UTF-8"
	case e.Note == "":
		return "needs a note saying what was seen and where"
	case utf8.RuneCountInString(e.Note) > MaxEvidenceNote:
		return fmt.Sprintf("note is %d characters long; at most %d are allowed", utf8.RuneCountInString(e.Note), MaxEvidenceNote)
	case hasControl(e.Note):
		return "note may not contain control characters or line breaks"
	case e.By == "":
		return "needs the name of who saw it"
	case utf8.RuneCountInString(e.By) > MaxName:
		return fmt.Sprintf("name is %d characters long; at most %d are allowed", utf8.RuneCountInString(e.By), MaxName)
	case hasControl(e.By):
		return "name may not contain control characters"
	case e.On.IsZero():
		return "needs the date it was seen"
	case e.On.After(dateOf(today)):
		return e.On.Format(DateLayout) + " is in the future"
	}
	return ""
}

// hasControl reports whether v holds a C0 or C1 control character, DEL, or
// a Unicode line or paragraph separator.
func hasControl(v string) bool {
	for _, r := range v {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029' {
			return true
		}
	}
	return false
}

// CommitmentEvidence is the evidence for one commitment.
type CommitmentEvidence struct {
	Commitment Commitment `json:"commitment"`
	Evidence
}

// EvidenceField names one commitment's evidence in validation errors and
// forms, e.g. "evidence:ban_the_box".
func EvidenceField(c Commitment) string { return FieldEvidence + ":" + c.Key() }

func sortEvidence(ev []CommitmentEvidence) {
	sort.SliceStable(ev, func(i, j int) bool { return ev[i].Commitment < ev[j].Commitment })
}

// evidenceText is the history form of the evidence list:
// "key: note (by NAME, DATE); key: …" in the charter's order.
func evidenceText(ev []CommitmentEvidence) string {
	parts := make([]string, len(ev))
	for i, e := range ev {
		parts[i] = e.Commitment.Key() + ": " + e.Evidence.String()
	}
	return strings.Join(parts, "; ")
}

// EvidencedSet is the set of declared commitments that have evidence.
// Evidence for a commitment no longer declared is kept but does not count.
func (s *Signatory) EvidencedSet() CommitmentSet {
	var set CommitmentSet
	for i := range s.Evidence {
		set = set.With(s.Evidence[i].Commitment)
	}
	return set & s.Commitments
}

// EvidencedTier is the charter's tier rule (0 none, 1–2 bronze, 3 silver,
// 4 or more gold) applied to the evidenced commitments alone.
func (s *Signatory) EvidencedTier() Tier { return s.EvidencedSet().Tier() }

// EvidenceFor returns the evidence recorded for c, if any.
func (s *Signatory) EvidenceFor(c Commitment) (Evidence, bool) {
	for _, e := range s.Evidence {
		if e.Commitment == c {
			return e.Evidence, true
		}
	}
	return Evidence{}, false
}

// VacancyEvidenced reports whether the vacancy statement is declared and
// has been seen.
func (s *Signatory) VacancyEvidenced() bool {
	return s.VacancyStatement && !s.VacancyEvidence.IsZero()
}

// SetEvidence records that c was seen in practice: it declares c if it was
// not declared and replaces any earlier evidence for it. The evidence list
// is rebuilt, never changed in place. Validate checks the note.
func (s *Signatory) SetEvidence(c Commitment, note, by string, on time.Time) {
	if c >= NumCommitments {
		return
	}
	s.Commitments = s.Commitments.With(c)
	ev := make([]CommitmentEvidence, 0, len(s.Evidence)+1)
	for _, e := range s.Evidence {
		if e.Commitment != c {
			ev = append(ev, e)
		}
	}
	ev = append(ev, CommitmentEvidence{Commitment: c, Evidence: Evidence{Note: note, By: by, On: on}.normalised()})
	sortEvidence(ev)
	s.Evidence = ev
}

// ClearEvidence returns c to merely declared. The evidence list is
// rebuilt, never changed in place.
func (s *Signatory) ClearEvidence(c Commitment) {
	var ev []CommitmentEvidence
	for _, e := range s.Evidence {
		if e.Commitment != c {
			ev = append(ev, e)
		}
	}
	s.Evidence = ev
}

// SetVacancyEvidence records where and when the vacancy statement was
// seen; it also marks the statement as made.
func (s *Signatory) SetVacancyEvidence(where, by string, on time.Time) {
	s.VacancyStatement = true
	s.VacancyEvidence = Evidence{Note: where, By: by, On: on}.normalised()
}

// ClearVacancyEvidence returns the vacancy statement to merely declared.
func (s *Signatory) ClearVacancyEvidence() { s.VacancyEvidence = Evidence{} }

// mergeEvidence applies the evidence changes from → to onto base, one
// commitment at a time, so that after a conflict each reviewer's evidence
// survives.
func mergeEvidence(base, from, to []CommitmentEvidence) []CommitmentEvidence {
	get := func(list []CommitmentEvidence, c Commitment) (CommitmentEvidence, bool) {
		for _, e := range list {
			if e.Commitment == c {
				return e, true
			}
		}
		return CommitmentEvidence{}, false
	}
	var out []CommitmentEvidence
	for c := Commitment(0); c < NumCommitments; c++ {
		f, inFrom := get(from, c)
		t, inTo := get(to, c)
		b, inBase := get(base, c)
		switch {
		case inFrom == inTo && sameEvidence(f, t): // unchanged here: keep base's
			if inBase {
				out = append(out, b)
			}
		case inTo:
			out = append(out, t)
		}
	}
	return out
}

func sameEvidence(a, b CommitmentEvidence) bool {
	return a.Commitment == b.Commitment && a.Note == b.Note && a.By == b.By && a.On.Equal(b.On)
}

// validateEvidence adds a field error for each bad piece of evidence.
func (s *Signatory) validateEvidence(today time.Time, add func(field, format string, args ...any)) {
	var seen CommitmentSet
	for _, e := range s.Evidence {
		if e.Commitment >= NumCommitments {
			add(FieldEvidence, "commitment %d is not a charter commitment", e.Commitment)
			continue
		}
		field := EvidenceField(e.Commitment)
		if seen.Has(e.Commitment) {
			add(field, "is recorded twice")
			continue
		}
		seen = seen.With(e.Commitment)
		if msg := e.Evidence.validate(today); msg != "" {
			add(field, "%s", msg)
		}
	}
	if !s.VacancyEvidence.IsZero() {
		if msg := s.VacancyEvidence.validate(today); msg != "" {
			add(FieldVacancyEvidence, "%s", msg)
		}
	}
}
