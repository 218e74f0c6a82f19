package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"charter/model"
	"charter/store"
)

// The import and export benchmarks run the real binary on 100,000
// generated signatories, as a reviewer would from a shell:
//
//	go test -run '^$' -bench 'ImportCommand|ExportCommand' -benchtime 5x ./cmd/charter/
//
// Each reports the median wall time and peak resident memory (the whole
// process's maxrss) of its runs (b.N of them).

// benchRows is how many signatories the command benchmarks import.
const benchRows = 100_000

// commandBench is the built binary and the generated CSV file.
type commandBench struct {
	dir, bin, csv string
}

// newCommandBench builds the binary and writes benchRows signatories in
// the interchange format (every organisation different, in an order unlike
// the file's) to a file.
func newCommandBench(b *testing.B) commandBench {
	b.Helper()
	dir := b.TempDir()
	c := commandBench{dir: dir, bin: filepath.Join(dir, "charter"), csv: filepath.Join(dir, "signatories.csv")}
	if out, err := exec.Command("go", "build", "-o", c.bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build: %v %s", err, out)
	}
	f, err := os.Create(c.csv)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString(header)
	areas := []string{"Birmingham", "Coventry", "Dudley", "Sandwell", "Solihull", "Walsall", "Wolverhampton"}
	keys := []string{"guaranteed_interviews", "entry_level_jobs", "work_experience", "workplace_mentor", "training", "employee_support", "practical_support", "ban_the_box"}
	for i := range benchRows {
		fmt.Fprintf(w, "%s,Ann,,private,West Midlands,%s,%d,Ann,2024-03-01,%s,yes,pending,\n",
			orgName(i, benchRows), areas[i%7], i%500, strings.Join(keys[:i%9], ";"))
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return c
}

// run runs the binary with stdout to out (nil: kept in memory) and
// returns its wall time in ms, its peak resident memory in MB and what it
// wrote to stdout (when kept) and stderr.
func (c commandBench) run(b *testing.B, out *os.File, args ...string) (ms, mb float64, stdout, stderr string) {
	b.Helper()
	cmd := exec.Command(c.bin, args...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	if out != nil {
		cmd.Stdout = out
	}
	t0 := time.Now()
	err := cmd.Run()
	ms = float64(time.Since(t0).Microseconds()) / 1000
	if err != nil || cmd.ProcessState.ExitCode() != 0 {
		b.Fatalf("charter %s: %v\nstdout: %.2000s\nstderr: %.2000s", strings.Join(args, " "), err, o.String(), e.String())
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		b.Skip("no rusage: peak memory cannot be read")
	}
	return ms, float64(ru.Maxrss) / 1024, o.String(), e.String()
}

// BenchmarkImportCommand100k: charter import signatories FILE into a new
// database (which the command creates, with the sample data, first).
func BenchmarkImportCommand100k(b *testing.B) {
	c := newCommandBench(b)
	var ms, mb []float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		db := filepath.Join(c.dir, fmt.Sprintf("import-%d.db", i))
		t, m, out, errs := c.run(b, nil, "--db", db, "import", "signatories", c.csv)
		want := fmt.Sprintf("imported %d signatories: %d new, 0 updated, 0 unchanged", benchRows, benchRows)
		if !strings.Contains(out, want) {
			b.Fatalf("import said %q (stderr %.500q), want %q", out, errs, want)
		}
		ms, mb = append(ms, t), append(mb, m)
		b.StopTimer()
		os.Remove(db)
		b.StartTimer()
	}
	b.ReportMetric(medianOf(ms), "ms-import")
	b.ReportMetric(medianOf(mb), "MB-peak")
}

// BenchmarkExportCommand100k: charter export signatories of a database
// holding 100,000 imported records (and no sample data), to a file.
func BenchmarkExportCommand100k(b *testing.B) {
	c := newCommandBench(b)
	db := filepath.Join(c.dir, "export.db")
	empty, err := store.Open(db, store.Options{NoSeed: true})
	if err != nil {
		b.Fatal(err)
	}
	if err := empty.Close(); err != nil {
		b.Fatal(err)
	}
	c.run(b, nil, "--db", db, "import", "signatories", c.csv)
	last := orgName(benchRows-1, benchRows)
	out := filepath.Join(c.dir, "export.csv")
	var ms, mb []float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f, err := os.Create(out)
		if err != nil {
			b.Fatal(err)
		}
		t, m, _, _ := c.run(b, f, "--db", db, "export", "signatories")
		ms, mb = append(ms, t), append(mb, m)
		b.StopTimer()
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			b.Fatal(err)
		}
		if n := bytes.Count(data, []byte("\n")); n != benchRows+1 {
			b.Fatalf("the export has %d lines, want %d", n, benchRows+1)
		}
		if !bytes.Contains(data, []byte("\n"+last+",")) {
			b.Fatalf("the export lacks %q", last)
		}
		b.StartTimer()
	}
	b.ReportMetric(medianOf(ms), "ms-export")
	b.ReportMetric(medianOf(mb), "MB-peak")
}

// readSignatories gives the same records, lines and problems however
// many rows it is told to expect.
func TestReadSignatoriesAnyBound(t *testing.T) {
	var in strings.Builder
	in.WriteString(header)
	for i := range 10 {
		if i == 4 {
			in.WriteString("\n" + `Broken "Row,Ann,,private,West Midlands,Dudley,1,Ann,2024-03-01,,yes,pending,` + "\n")
		}
		fmt.Fprintf(&in, "Org %d,Ann,,private,West Midlands,Dudley,%d,Ann,2024-03-01,training,yes,pending,\"a\nnote\"\n", i, i)
	}
	var want string
	for _, atMost := range []int{0, 1, 3, 9, 10, 11, 40} {
		r, err := model.NewSignatoryReader(strings.NewReader(in.String()), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		rows, lines, issues, err := readSignatories(r, atMost)
		if err != nil {
			t.Fatal(err)
		}
		var got strings.Builder
		for i := range rows {
			fmt.Fprintf(&got, "%d %s %d %q\n", lines[i], rows[i].Organisation, *rows[i].Employees, rows[i].Notes)
		}
		fmt.Fprintln(&got, issues)
		if len(rows) != 10 || len(issues) != 1 || issues[0].Line != 11 || lines[0] != 2 || lines[9] != 22 ||
			rows[9].Organisation != "Org 9" || rows[9].Notes != "a\nnote" {
			t.Fatalf("expecting %d: %s", atMost, got.String())
		}
		if want == "" {
			want = got.String()
		} else if got.String() != want {
			t.Errorf("expecting %d:\n%s\nwant\n%s", atMost, got.String(), want)
		}
	}
}

// rowsAtMost counts a regular file's lines, leaving where it is read
// from alone, and knows nothing of other input.
func TestRowsAtMost(t *testing.T) {
	path := filepath.Join(t.TempDir(), "in.csv")
	if err := os.WriteFile(path, []byte("h\na\n\nb\r\nc"), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 2)
	if _, err := f.Read(buf); err != nil {
		t.Fatal(err)
	}
	if n := rowsAtMost(f); n != 5 {
		t.Errorf("rowsAtMost = %d, want 5", n)
	}
	if rest, _ := io.ReadAll(f); string(rest) != "a\n\nb\r\nc" {
		t.Errorf("read on from %q", rest)
	}
	if n := rowsAtMost(strings.NewReader("a\nb\n")); n != 0 {
		t.Errorf("rowsAtMost of a reader = %d", n)
	}
}
