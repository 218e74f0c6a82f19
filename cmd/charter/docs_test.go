package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The README and docs/ are the user's reference: every link must resolve
// to a file inside the repository (a clone has nothing beside it), and no
// relative path may climb out of it.
func TestDocsLinkOnlyInsideTheRepository(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	docs := []string{filepath.Join(root, "README.md")}
	err = filepath.WalkDir(filepath.Join(root, "docs"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			docs = append(docs, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) < 3 {
		t.Fatalf("found only %v", docs)
	}
	for _, doc := range docs {
		for _, p := range checkLinks(root, doc) {
			t.Error(p)
		}
	}
}

// The checker itself finds each kind of bad link.
func TestCheckLinksFindsBadLinks(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "docs"), 0o755)
	os.WriteFile(filepath.Join(root, "docs", "there.md"), []byte("# A Heading, here\n"), 0o644)
	doc := filepath.Join(root, "README.md")
	os.WriteFile(doc, []byte(`# Title
[ok](docs/there.md) [ok](docs/there.md#a-heading-here) [ok](#title) [web](https://example.org/x)
[outside](../shared/design/csv-format.md)
[absolute](/etc/passwd)
[missing](docs/nothere.md)
[bad anchor](docs/there.md#nope)
![image](img/none.png)
[ref]: ../elsewhere.md
<a href="docs/gone.html">x</a>
See `+"`../shared/design/product.md`"+` for more.
`+"```"+`
[in code](docs/fine-in-code.md)
`+"```"+`
`), 0o644)
	got := strings.Join(checkLinks(root, doc), "\n")
	for _, want := range []string{
		"README.md:3: ../shared/design/csv-format.md is outside the repository",
		"README.md:4: /etc/passwd is outside the repository",
		"README.md:5: docs/nothere.md does not exist",
		"README.md:6: docs/there.md#nope has no heading #nope",
		"README.md:7: img/none.png does not exist",
		"README.md:8: ../elsewhere.md is outside the repository",
		"README.md:9: docs/gone.html does not exist",
		"README.md:10: ../shared/design/product.md is outside the repository",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	if n := strings.Count(got, "\n") + 1; n != 8 {
		t.Errorf("%d problems, want 8:\n%s", n, got)
	}
}

var (
	inlineLink = regexp.MustCompile(`!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)`)
	refLink    = regexp.MustCompile(`^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s.*)?$`)
	htmlLink   = regexp.MustCompile(`(?:href|src)\s*=\s*"([^"]+)"`)
	climbing   = regexp.MustCompile("(?:^|[\\s(`\"'])(\\.\\./[^\\s)`\"']*)")
	scheme     = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`)
)

// checkLinks lists the problems of one Markdown file's links, each as
// "file:line: target why".
func checkLinks(root, doc string) []string {
	data, err := os.ReadFile(doc)
	if err != nil {
		return []string{err.Error()}
	}
	rel, _ := filepath.Rel(root, doc)
	var problems []string
	bad := func(line int, target, why string) {
		problems = append(problems, fmt.Sprintf("%s:%d: %s %s", rel, line, target, why))
	}
	fenced := false
	for i, line := range strings.Split(string(data), "\n") {
		n := i + 1
		// A relative path that climbs out of the repository is wrong even
		// as text or code: a reader of a clone cannot follow it.
		for _, m := range climbing.FindAllStringSubmatch(line, -1) {
			if !inside(root, filepath.Join(filepath.Dir(doc), m[1])) {
				bad(n, m[1], "is outside the repository")
			}
		}
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fenced = !fenced
			continue
		}
		if fenced {
			continue
		}
		var targets []string
		for _, m := range inlineLink.FindAllStringSubmatch(stripCode(line), -1) {
			targets = append(targets, m[1])
		}
		if m := refLink.FindStringSubmatch(line); m != nil {
			targets = append(targets, m[1])
		}
		for _, m := range htmlLink.FindAllStringSubmatch(line, -1) {
			targets = append(targets, m[1])
		}
		for _, target := range targets {
			if strings.HasPrefix(target, "../") {
				continue // reported above
			}
			if why := checkTarget(root, doc, target); why != "" {
				bad(n, target, why)
			}
		}
	}
	return problems
}

// stripCode removes inline code spans, which hold no links.
func stripCode(line string) string {
	return regexp.MustCompile("`[^`]*`").ReplaceAllString(line, "")
}

func checkTarget(root, doc, target string) string {
	if scheme.MatchString(target) {
		if strings.HasPrefix(target, "http://") || strings.HasPrefix(target, "https://") || strings.HasPrefix(target, "mailto:") {
			return ""
		}
		return "is not a file in the repository"
	}
	path, anchor, _ := strings.Cut(target, "#")
	file := doc
	if path != "" {
		if strings.HasPrefix(path, "/") {
			return "is outside the repository"
		}
		file = filepath.Join(filepath.Dir(doc), filepath.FromSlash(path))
		if !inside(root, file) {
			return "is outside the repository"
		}
		if _, err := os.Stat(file); err != nil {
			return "does not exist"
		}
	}
	if anchor != "" && strings.HasSuffix(file, ".md") && !hasHeading(file, anchor) {
		return "has no heading #" + anchor
	}
	return ""
}

func inside(root, path string) bool {
	rel, err := filepath.Rel(root, filepath.Clean(path))
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// hasHeading reports whether a Markdown file has a heading whose GitHub
// anchor is anchor.
func hasHeading(file, anchor string) bool {
	data, err := os.ReadFile(file)
	if err != nil {
		return false
	}
	punct := regexp.MustCompile(`[^\p{L}\p{N} _-]`)
	for _, line := range strings.Split(string(data), "\n") {
		if !strings.HasPrefix(line, "#") {
			continue
		}
		h := strings.TrimSpace(strings.TrimLeft(line, "#"))
		slug := strings.ReplaceAll(punct.ReplaceAllString(strings.ToLower(h), ""), " ", "-")
		if slug == anchor {
			return true
		}
	}
	return false
}

// The examples in docs/csv-format.md are files import accepts.
func TestCSVFormatExamplesImport(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "docs", "csv-format.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```csv\n(.*?)```").FindAllStringSubmatch(string(data), -1)
	if len(blocks) != 2 {
		t.Fatalf("%d csv examples, want 2", len(blocks))
	}
	db := newDB(t)
	for i, what := range []string{"signatories", "returns"} {
		r := runIn(t, blocks[i][1], "--db", db, "import", what, "--dry-run", "-")
		if r.code != 0 || !strings.Contains(r.stdout, "would import") {
			t.Errorf("%s example: %+v", what, r)
		}
	}
}

// The README tells a newcomer how to get the binary its examples run.
func TestReadmeSaysHowToBuild(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"go run ./cmd/charter", "go test ./...", "go build -o charter ./cmd/charter", "go install ./cmd/charter", "docs/csv-format.md"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("README lacks %q", want)
		}
	}
}
