package coverage

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
)

func TestPathwayMatrixRowsAgainstTheSource(t *testing.T) {
	s := newScreen(t, openStore(t), 80, 21)
	press(s, "v")
	mustSee(t, s,
		"Featherstone    X   X   ·   X   X   X   X",
		"Werrington      ·   ·   ·   X   ·   X   X",
		"Hewll Grange    X   X   X   X   X   X   X   = Hewell Grange",
		"P1 accommodation · P2 education, training and employment",
		"↓ ")
	checkFits(t, s)
	golden.RequireEqual(t, []byte(frame(s)))
	press(s, "G")
	mustSee(t, s, "Employers working on each pathway:", "Pathway 7: Geese Theatre, SOVA/ YSS (mentoring)",
		"names inferred from the usual NOMS", "↑ ")
	mustNotSee(t, s, "↓ ")
	press(s, "g")
	mustSee(t, s, "Establishment   P1  P2")
	press(s, "v")
	mustSee(t, s, "Civic Society · ROM")
}

// Every line of the matrix can be reached one key at a time, and at 40
// columns every column too.
func TestMatrixScrollsBothWays(t *testing.T) {
	s := newScreen(t, openStore(t), 40, 14)
	press(s, "v")
	all := strings.Join(s.matrix.lines, "\n")
	seen := map[string]bool{}
	for i := 0; i < len(s.matrix.lines)+2; i++ {
		for x := 0; x < 6; x++ {
			for _, l := range strings.Split(frame(s), "\n") {
				seen[l] = true
			}
			checkFits(t, s)
			press(s, "l")
		}
		for x := 0; x < 6; x++ {
			press(s, "h")
		}
		press(s, "j")
	}
	got := ""
	for l := range seen {
		got += l + "\n"
	}
	for _, piece := range []string{"= Hewell Grange", "Werrington", "P7", "Normalised", "Pathway 7:"} {
		if !strings.Contains(got, piece) {
			t.Errorf("%q never shown at 40 columns", piece)
		}
	}
	if !strings.Contains(all, "Hewll Grange") {
		t.Fatal("matrix lines lack the source's rows")
	}
	press(s, "g")
	mustSee(t, s, "→ ", "columns")
	press(s, "l")
	mustSee(t, s, "← 8 columns")
}
