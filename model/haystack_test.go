package model

import (
	"strings"
	"testing"
	"time"
)

// haystackByJoin is the search text as first defined: the fields joined
// with NUL and lower-cased as a whole.
func haystackByJoin(s *Signatory) string {
	parts := []string{s.Organisation, s.ContactName, s.Email, string(s.Sector), s.Region,
		s.LocalArea, s.SignedBy, s.Notes, s.Tier().String(), string(s.ReviewStatus),
		s.Commitments.String()}
	if s.LastReviewedBy != "" {
		parts = append(parts, s.LastReviewedBy)
	}
	for _, e := range s.Evidence {
		parts = append(parts, e.Note)
	}
	if s.VacancyEvidence.Note != "" {
		parts = append(parts, s.VacancyEvidence.Note)
	}
	if s.Withdrawal.Reason != "" {
		parts = append(parts, s.Withdrawal.Reason)
	}
	return strings.ToLower(strings.Join(parts, "\x00"))
}

// FuzzSignatoryHaystack: the search text built piece by piece into a
// shared block is byte for byte the text of the fields joined and
// lower-cased whole, for any bytes in any field (upper case, accents,
// Greek, bytes that are not UTF-8), and appending keeps what the block
// held before.
func FuzzSignatoryHaystack(f *testing.F) {
	f.Add("ACME Ltd", "Ann", "notes", "Priya", "seen", uint16(5))
	f.Add("Ōsaka Ärger ΣΑΣ", "", "", "", "", uint16(0))
	f.Add("bad \xc3", "\xff\xfe", "tab\there", "É", "\xe2\x82", uint16(0xff))
	f.Add("", "", "", "", "", uint16(0))
	f.Fuzz(func(t *testing.T, org, contact, notes, by, note string, set uint16) {
		s := Signatory{Organisation: org, ContactName: contact, Email: strings.ToUpper(contact), Sector: SectorPrivate,
			Region: "West Midlands", LocalArea: org, SignedBy: by, Notes: notes, ReviewStatus: StatusNeedsInfo,
			Commitments: CommitmentSet(set) & (1<<NumCommitments - 1), LastReviewedBy: by,
			VacancyEvidence: Evidence{Note: note, On: time.Now()}, Withdrawal: Withdrawal{Reason: notes}}
		if len(note) > 0 {
			s.Evidence = []CommitmentEvidence{{Commitment: Training, Evidence: Evidence{Note: note}}, {Commitment: BanTheBox, Evidence: Evidence{Note: org}}}
		}
		want := haystackByJoin(&s)
		if got := SignatoryHaystack(&s); got != want {
			t.Fatalf("haystack\n got %q\nwant %q", got, want)
		}
		if n := SignatoryHaystackSize(&s); n < len(want) && isASCII(want) {
			t.Fatalf("size %d for %d bytes of ASCII", n, len(want))
		}
		block := []byte("earlier")
		block = AppendSignatoryHaystack(block, &s)
		if string(block) != "earlier"+want {
			t.Fatalf("appended %q", block)
		}
	})
}

func TestSignatoryHaystackMakesNothing(t *testing.T) {
	s := Signatory{Organisation: "Acme Printing LTD", ContactName: "Ann", Sector: SectorPrivate, Region: "West Midlands",
		LocalArea: "Dudley", SignedBy: "Ann", ReviewStatus: StatusPending, Commitments: CommitmentSet(0b1011)}
	buf := make([]byte, 0, 1024)
	if n := testing.AllocsPerRun(100, func() { buf = AppendSignatoryHaystack(buf[:0], &s) }); n != 0 {
		t.Errorf("%v allocations per record, want 0", n)
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
