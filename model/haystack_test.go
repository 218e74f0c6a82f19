package model

import (
	"strings"
	"testing"
	"time"
)

// FuzzSignatoryHaystack: a free word (or a negated one) matches a record
// through its haystack and the matcher's coded fields exactly when the
// word is in the record's whole text, SignatoryText, for any bytes in any
// field (upper case, accents, Greek, bytes that are not UTF-8) and any
// word cut from that text, NULs between fields included; the haystack
// appended to a block keeps what the block held before.
func FuzzSignatoryHaystack(f *testing.F) {
	f.Add("ACME Ltd", "Ann", "notes", "Priya", "seen", uint16(5), uint16(3), uint16(9))
	f.Add("Ōsaka Ärger ΣΑΣ", "", "", "", "", uint16(0), uint16(40), uint16(60))
	f.Add("bad \xc3", "\xff\xfe", "tab\there", "É", "\xe2\x82", uint16(0xff), uint16(30), uint16(55))
	f.Add("", "", "", "", "", uint16(0), uint16(0), uint16(4))
	f.Add("Dudley Printing", "Ann", "x", "Ann", "y", uint16(0b1001), uint16(70), uint16(92))
	f.Fuzz(func(t *testing.T, org, contact, notes, by, note string, set, from, to uint16) {
		s := Signatory{Organisation: org, ContactName: contact, Email: strings.ToUpper(contact), Sector: SectorSocialEnterprise,
			Region: "West Midlands", LocalArea: org, SignedBy: by, Notes: notes, ReviewStatus: ReviewStatus([]string{"needs_info", "withdrawn", "Pending", "odd"}[set>>8&3]),
			Commitments: CommitmentSet(set), LastReviewedBy: by,
			VacancyEvidence: Evidence{Note: note, On: time.Now()}, Withdrawal: Withdrawal{Reason: notes}}
		if len(note) > 0 {
			s.Evidence = []CommitmentEvidence{{Commitment: Training, Evidence: Evidence{Note: note}}, {Commitment: BanTheBox, Evidence: Evidence{Note: org}}}
		}
		full, hay := SignatoryText(&s), SignatoryHaystack(&s)
		lo, hi := int(from)%(len(full)+1), int(to)%(len(full)+1)
		if lo > hi {
			lo, hi = hi, lo
		}
		words := strings.Fields(full[lo:hi])
		for _, word := range append(words[:min(len(words), 6)], full[lo:hi], full[lo:hi]+"\x01absent") {
			if word == "" {
				continue
			}
			want := strings.Contains(full, word)
			m, err := Query{Words: []string{word}}.ForSignatoriesIn(FilterContext{IncludeWithdrawn: true})
			if err != nil {
				t.Fatal(err)
			}
			if got := m.Match(&s, hay); got != want {
				t.Fatalf("word %q: match %v, in the whole text %v\ntext %q\nhay  %q", word, got, want, full, hay)
			}
			n, err := Query{Not: [][]string{{word}}}.ForSignatoriesIn(FilterContext{IncludeWithdrawn: true})
			if err != nil {
				t.Fatal(err)
			}
			if got := n.Match(&s, hay); got == want {
				t.Fatalf("-%q: match %v, in the whole text %v", word, got, want)
			}
		}
		if n := SignatoryHaystackSize(&s); n < len(hay) && isASCII(hay) {
			t.Fatalf("size %d for %d bytes of ASCII", n, len(hay))
		}
		if len(hay) > len(full) {
			t.Fatalf("the haystack (%d bytes) is longer than the whole text (%d)", len(hay), len(full))
		}
		block := AppendSignatoryHaystack([]byte("earlier"), &s)
		if string(block) != "earlier"+hay {
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
