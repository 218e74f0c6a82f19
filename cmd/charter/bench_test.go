package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/creack/pty"
)

// BenchmarkProcessStartToFirstRows100k runs the real binary in a pseudo
// terminal (80×24) on a database of 100,000 signatories and times from
// process start until the first table rows are on screen (target < 100 ms),
// and reports the process's resident memory once everything has loaded
// (target < 150 MB).
func BenchmarkProcessStartToFirstRows100k(b *testing.B) {
	dir := b.TempDir()
	bin := filepath.Join(dir, "charter")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build: %v %s", err, out)
	}
	db := filepath.Join(dir, "big.db")
	var csv strings.Builder
	csv.WriteString(header)
	areas := []string{"Birmingham", "Coventry", "Dudley", "Sandwell", "Solihull", "Walsall", "Wolverhampton"}
	keys := []string{"guaranteed_interviews", "entry_level_jobs", "work_experience", "workplace_mentor", "training", "employee_support", "practical_support", "ban_the_box"}
	for i := 0; i < 100_000; i++ {
		fmt.Fprintf(&csv, "Org %06d Printing,Ann,,private,West Midlands,%s,%d,Ann,2024-03-01,%s,yes,pending,\n",
			(i*7919)%100_000, areas[i%7], i%500, strings.Join(keys[:i%9], ";"))
	}
	imp := exec.Command(bin, "--db", db, "import", "signatories", "-")
	imp.Stdin = strings.NewReader(csv.String())
	if out, err := imp.CombinedOutput(); err != nil {
		b.Fatalf("import: %v %s", err, out)
	}
	var rss int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cmd := exec.Command(bin, "--db", db)
		cmd.Env = append(os.Environ(), "TERM=xterm-256color")
		start := time.Now()
		f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 24, Cols: 80})
		if err != nil {
			b.Fatal(err)
		}
		var out bytes.Buffer
		buf := make([]byte, 64*1024)
		for !strings.Contains(ansi.Strip(out.String()), "pending ") {
			n, err := f.Read(buf)
			if err != nil {
				b.Fatalf("read: %v", err)
			}
			out.Write(buf[:n])
			if time.Since(start) > 10*time.Second {
				b.Fatal("no rows after 10 s")
			}
		}
		b.StopTimer()
		// Let the rest load, then read the resident set.
		time.Sleep(1500 * time.Millisecond)
		if st, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", cmd.Process.Pid)); err == nil {
			for _, line := range strings.Split(string(st), "\n") {
				if strings.HasPrefix(line, "VmRSS:") {
					fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(line, "VmRSS:")), "%d", &rss)
				}
			}
		}
		go func() { // keep the terminal drained while it quits
			for {
				if _, err := f.Read(buf); err != nil {
					return
				}
			}
		}()
		f.Write([]byte("q"))
		cmd.Wait()
		f.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(rss)/1024, "MB-rss")
}
