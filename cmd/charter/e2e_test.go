package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// These tests build the real binary and drive it in a real terminal
// (tmux, 80×24) as a reviewer would.

type terminal struct {
	t      *testing.T
	socket string
	bin    string
}

func buildBinary(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CHARTER_REQUIRE_E2E") != "" {
			t.Fatal("tmux is required (CHARTER_REQUIRE_E2E is set) but not installed")
		}
		t.Skip("tmux not installed; set CHARTER_REQUIRE_E2E=1 to make this a failure")
	}
	bin := filepath.Join(t.TempDir(), "charter")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

func startTerm(t *testing.T, bin string, args ...string) *terminal {
	t.Helper()
	tm := &terminal{t: t, socket: fmt.Sprintf("charter-e2e-%d-%d", os.Getpid(), time.Now().UnixNano()), bin: bin}
	cmdline := strings.TrimSpace(bin + " " + strings.Join(args, " "))
	cmd := exec.Command("tmux", "-L", tm.socket, "-f", "/dev/null", "new-session", "-d", "-x", "80", "-y", "24", "-s", "e2e", cmdline)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tmux: %v\n%s", err, out)
	}
	t.Cleanup(func() { exec.Command("tmux", "-L", tm.socket, "kill-server").Run() })
	return tm
}

func (tm *terminal) capture() string {
	out, _ := exec.Command("tmux", "-L", tm.socket, "capture-pane", "-p", "-t", "e2e").Output()
	return string(out)
}

// waitFor polls the screen until every text appears, or fails.
func (tm *terminal) waitFor(texts ...string) string {
	tm.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s := tm.capture()
		ok := true
		for _, x := range texts {
			if !strings.Contains(s, x) {
				ok = false
			}
		}
		if ok {
			return s
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("screen never showed %q:\n%s", texts, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (tm *terminal) keys(keys ...string) {
	tm.t.Helper()
	args := append([]string{"-L", tm.socket, "send-keys", "-t", "e2e"}, keys...)
	if out, err := exec.Command("tmux", args...).CombinedOutput(); err != nil {
		tm.t.Fatalf("send-keys %v: %v %s", keys, err, out)
	}
}

func (tm *terminal) typeText(s string) {
	tm.t.Helper()
	if out, err := exec.Command("tmux", "-L", tm.socket, "send-keys", "-t", "e2e", "-l", s).CombinedOutput(); err != nil {
		tm.t.Fatalf("send-keys: %v %s", err, out)
	}
}

// waitExit waits for the program to end (the tmux session goes away).
func (tm *terminal) waitExit() {
	tm.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if exec.Command("tmux", "-L", tm.socket, "has-session", "-t", "e2e").Run() != nil {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	tm.t.Fatalf("charter did not quit:\n%s", tm.capture())
}

func exportCSV(t *testing.T, bin, db, what string) [][]string {
	t.Helper()
	out, err := exec.Command(bin, "--db", db, "export", what).Output()
	if err != nil {
		t.Fatalf("export %s: %v", what, err)
	}
	rows, err := csv.NewReader(strings.NewReader(string(out))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestEndToEndSignatoryInTerminal(t *testing.T) {
	bin := buildBinary(t)
	db := filepath.Join(t.TempDir(), "e2e.db")
	tm := startTerm(t, bin, "--db", db, "--reviewer", "e2e-reviewer")
	tm.waitFor("1 Signatories", "40 signatories", "Organisation▲")
	tm.keys("/")
	tm.typeText("cobalt")
	tm.waitFor("Cobalt Kettl", "1 shown") // the name may be cut to the column
	tm.keys("Enter")
	tm.keys("Enter")
	tm.waitFor("Signatory #2", "Cobalt Kettle Café", " Bronze ", "1 more commitment for Silver")
	// ctrl+g goes to the commitments; the second, Entry-level jobs, is unticked.
	tm.keys("C-g")
	tm.keys("Down")
	tm.waitFor("▶ 2 [ ] Entry-level jobs")
	tm.keys("Space")
	tm.waitFor(" Silver ", "1 more commitment for Gold", "[x] Entry-level jobs")
	tm.keys("C-s")
	tm.waitFor("saved Cobalt Kettle Café (version 2, Silver)")
	tm.keys("Escape")
	tm.waitFor("Organisation▲")
	tm.keys("q")
	tm.waitExit()

	rows := exportCSV(t, bin, db, "signatories")
	for _, r := range rows {
		if r[0] == "Cobalt Kettle Café" {
			if !strings.Contains(r[9], "entry_level_jobs") || r[13] != "silver" {
				t.Fatalf("change not stored: %q", r)
			}
			return
		}
	}
	t.Fatal("Cobalt Kettle Café not exported")
}

func TestEndToEndAuditInTerminal(t *testing.T) {
	bin := buildBinary(t)
	db := filepath.Join(t.TempDir(), "e2e.db")
	tm := startTerm(t, bin, "--db", db, "--reviewer", "e2e-reviewer")
	tm.waitFor("1 Signatories")
	tm.keys("2")
	tm.waitFor("Civic Society · ROM", "GOVERNANCE ARRANGEMENTS")
	tm.keys("/")
	tm.typeText("prison:featherstone")
	tm.waitFor("Returns matching the filter (")
	tm.keys("Enter")
	tm.keys("j")
	tm.keys("j")
	// The selected return's answer shows below the list, nothing opened.
	tm.waitFor("Featherstone — answered", "Prison produce alley gates for local communities")
	tm.keys("r")
	tm.waitFor("saved: Featherstone · rating meets")
	tm.keys("p")
	tm.waitFor("saved: Featherstone · rating meets, good practice")
	// The establishment's dossier holds what Corporate says of it.
	tm.keys("D")
	tm.waitFor("Dossier: Featherstone", "Its returns (7)")
	tm.keys("G")
	tm.waitFor("Streetworks initiative at Featherstone", "row “Featherstone”")
	// A key straight after Escape would read as alt+key; wait as a person would.
	tm.keys("Escape")
	tm.waitFor("Returns matching the filter (")
	tm.keys("Escape")
	tm.waitFor("GOVERNANCE ARRANGEMENTS")
	tm.keys("q")
	tm.waitExit()

	rows := exportCSV(t, bin, db, "returns")
	for _, r := range rows {
		if r[5] == "civic-prison-3" && r[4] == "Featherstone" {
			if r[9] != "meets" || r[10] != "yes" || r[8] != "Prison produce alley gates for local communities" || r[7] != "answered" {
				t.Fatalf("return not as expected: %q", r)
			}
			return
		}
	}
	t.Fatal("Featherstone's return not exported")
}

// A reviewer's pass over the records due for review: filter, open, mark a
// commitment evidenced, verify, save and go on to the next; the export then
// carries both tiers and the new review.
func TestEndToEndReviewPassInTerminal(t *testing.T) {
	bin := buildBinary(t)
	db := filepath.Join(t.TempDir(), "e2e.db")
	tm := startTerm(t, bin, "--db", db, "--reviewer", "e2e-reviewer")
	tm.waitFor("1 Signatories", "40 signatories")
	tm.keys("/")
	tm.typeText("due:overdue")
	tm.waitFor("▶ Blue Heron", "30 shown")
	tm.keys("Enter")
	tm.waitFor("filter kept")
	tm.keys("Enter")
	tm.waitFor("Signatory #16", "evidenced No tier")
	tm.keys("C-g") // to the commitments; the third, Work experience, is declared
	tm.waitFor("▶ 1 [ ] Guaranteed interviews")
	tm.keys("Down", "Down")
	tm.waitFor("▶ 3 [x] Work experience")
	tm.keys("e")
	tm.waitFor("Evidence for “Work experience”")
	tm.typeText("Work placement scheme on their website")
	tm.keys("Enter")
	tm.waitFor("▶ 3 [✓] Work experience", "evidenced Bronze")
	tm.keys("C-g") // back to the fields; Review is the eleventh
	tm.waitFor("▶ Organisation")
	for i := 0; i < 10; i++ {
		tm.keys("Tab")
	}
	tm.waitFor("▶ Review       ‹ pending ›")
	tm.keys("Space")
	tm.waitFor("‹ verified ›")
	tm.keys("M-s") // save and open the next row of the filtered view
	tm.waitFor("saved Blue Heron Cleaning Services (version 2, Bronze)", "Organisation Brindley Wharf")
	tm.keys("Escape")
	tm.waitFor("Organisation▲")
	tm.keys("q")
	tm.waitExit()

	rows := exportCSV(t, bin, db, "signatories")
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	for _, r := range rows[1:] {
		if r[col["organisation"]] != "Blue Heron Cleaning Services" {
			continue
		}
		want := map[string]string{"review_status": "verified", "tier": "bronze", "evidenced_tier": "bronze",
			"evidenced_commitments": "work_experience", "last_reviewed_by": "e2e-reviewer", "due_state": "current"}
		for k, v := range want {
			if got := r[col[k]]; got != v {
				t.Errorf("%s = %q, want %q", k, got, v)
			}
		}
		if r[col["last_reviewed_on"]] == "" || r[col["review_due"]] <= r[col["last_reviewed_on"]] {
			t.Errorf("review dates not set: reviewed %q, due %q", r[col["last_reviewed_on"]], r[col["review_due"]])
		}
		return
	}
	t.Fatal("Blue Heron Cleaning Services not exported")
}
