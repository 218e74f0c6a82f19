package model

import (
	"fmt"
	"testing"
	"time"
)

// benchSignatories generates n records shaped like the workbench's
// benchmark: seven areas, nine commitment counts, three statuses.
func benchSignatories(n int) ([]Signatory, []string) {
	areas := LocalAreas()
	sigs := make([]Signatory, n)
	hay := make([]string, n)
	base := time.Date(2023, 1, 18, 0, 0, 0, 0, time.UTC)
	for i := range sigs {
		s := Signatory{
			Organisation: fmt.Sprintf("Organisation %06d Printing", (i*7919)%100_000), Region: "West Midlands",
			LocalArea: areas[i%len(areas)], Sector: Sectors()[i%4], ReviewStatus: ReviewStatuses()[i%3],
			SignedOn: base.AddDate(0, 0, i%1400), VacancyStatement: i%4 != 0,
		}
		for c := 0; c < i%9; c++ {
			s.Commitments = s.Commitments.With(Commitment(c))
		}
		if i%5 == 0 {
			s.LastReviewedOn, s.LastReviewedBy = base.AddDate(0, 0, 300+i%700), "Priya Patel"
		}
		sigs[i] = s
		hay[i] = SignatoryHaystack(&sigs[i])
	}
	return sigs, hay
}

// BenchmarkSignatoryMatch100k: one query matched against 100,000
// records, the work of one uncached filter keystroke.
func BenchmarkSignatoryMatch100k(b *testing.B) {
	sigs, hay := benchSignatories(100_000)
	ctx := FilterContext{Today: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)}
	for _, q := range []string{
		"area:dud printing 01",
		"organisation 0",
		"tier:gold area:dudley status:pending printing",
		"tier:gold,silver -status:verified",
		"due:overdue",
		"signed:<2024-01-01 vacancy:no next:1",
		"-printing",
	} {
		b.Run(q, func(b *testing.B) {
			m, err := ParseSignatoryQuery(q, ctx)
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for b.Loop() {
				n = 0
				for i := range sigs {
					if m.Match(&sigs[i], hay[i]) {
						n++
					}
				}
			}
			b.ReportMetric(float64(n), "matches")
		})
	}
}
