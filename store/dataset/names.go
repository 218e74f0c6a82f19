package dataset

import (
	"bytes"
	"fmt"
	"strings"

	"charter/model"
)

// Names parses the names register of the embedded West Midlands audit.
func Names() (*model.NameRegister, error) {
	_, reg, err := ParseAll(bytes.NewReader(westMidlands))
	if err != nil {
		return nil, fmt.Errorf("embedded dataset west-midlands.audit: %w", err)
	}
	return reg, nil
}

// AuditAndNames parses the embedded West Midlands audit and its names
// register in one pass.
func AuditAndNames() (*model.Audit, *model.NameRegister, error) {
	a, reg, err := ParseAll(bytes.NewReader(westMidlands))
	if err != nil {
		return nil, nil, fmt.Errorf("embedded dataset west-midlands.audit: %w", err)
	}
	return a, reg, nil
}

// listLines splits a list field (one item a line) into its items, with
// the line each is on, refusing empty items.
func listLines(s *stanza, field string) ([]string, []int, error) {
	v := s.fields[field]
	if strings.TrimSpace(v) == "" {
		return nil, nil, nil
	}
	first := s.lineOf(field)
	if s.inline[field] {
		// The value starts on the field's own line: items count from there.
		first--
	}
	var items []string
	var lines []int
	for i, item := range strings.Split(v, "\n") {
		item = strings.TrimSpace(item)
		if item == "" {
			return nil, nil, &ParseError{first + 1 + i, fmt.Sprintf("%s: an empty item in the list", field)}
		}
		items = append(items, item)
		lines = append(lines, first+1+i)
	}
	return items, lines, nil
}

func (b *builder) addName(s *stanza, region string, fail func(field, format string, args ...any) error) error {
	kind, err := model.ParseNameKind(s.fields["kind"])
	if err != nil {
		return fail("kind", "%v", err)
	}
	name := strings.TrimSpace(s.fields["name"])
	key := region + "\x00" + model.FoldName(name)
	if _, dup := b.nameIndex[key]; dup {
		return fail("name", "%s is already in the names register", quote(name))
	}
	variants, vlines, err := listLines(s, "variants")
	if err != nil {
		return err
	}
	except, xlines, err := listLines(s, "except")
	if err != nil {
		return err
	}
	e := model.NameEntry{Region: region, Name: name, Kind: kind, Variants: variants, Except: except}
	// Each name and exception must appear in the text exactly as listed;
	// remember where it was listed to say so.
	b.phraseLines[region+"\x00"+name] = append(b.phraseLines[region+"\x00"+name], s.lineOf("name"))
	for i, v := range variants {
		b.phraseLines[region+"\x00"+v] = append(b.phraseLines[region+"\x00"+v], vlines[i])
	}
	for i, x := range except {
		b.phraseLines[region+"\x00"+x] = append(b.phraseLines[region+"\x00"+x], xlines[i])
	}
	// Let the register's own checks speak with this record's line.
	if _, err := model.NewNameRegister(append(append([]model.NameEntry{}, b.names...), e)); err != nil {
		return fail("name", "%v", err)
	}
	b.nameIndex[key] = len(b.names)
	b.names = append(b.names, e)
	b.nameLines = append(b.nameLines, s.line)
	return nil
}

func (b *builder) addReference(s *stanza, region string, fail func(field, format string, args ...any) error) error {
	name := strings.TrimSpace(s.fields["name"])
	i, ok := b.nameIndex[region+"\x00"+model.FoldName(name)]
	if !ok {
		return fail("name", "%s is not in the names register (a name record must come first)", quote(name))
	}
	qid := strings.TrimSpace(s.fields["question"])
	resp := strings.TrimSpace(s.fields["respondent"])
	key := model.ReturnKey{Region: region, QuestionID: qid, Respondent: resp}
	ans, ok := b.answers[key]
	if !ok {
		return fail("respondent", "no return from %s to %s precedes this reference", quote(resp), quote(qid))
	}
	phrase := s.fields["phrase"]
	if !strings.Contains(ans, phrase) {
		return fail("phrase", "the answer of %s to %s does not contain %s", quote(resp), qid, quote(phrase))
	}
	b.names[i].References = append(b.names[i].References, model.NameReference{
		QuestionID: qid, Respondent: resp, Phrase: phrase, Because: s.fields["because"]})
	return nil
}

// checkNamesInText refuses a register spelling or exception that the
// region's text never prints exactly: it would be a transcription error.
func (b *builder) checkNamesInText() error {
	if len(b.names) == 0 {
		return nil
	}
	texts := map[string][]string{}
	add := func(region string, s ...string) { texts[region] = append(texts[region], s...) }
	for _, r := range b.a.Respondents {
		add(r.Region, r.Name, r.Normalised)
	}
	for _, r := range b.a.Returns {
		add(r.Region, r.Answer)
	}
	for _, c := range b.a.Comments {
		add(c.Region, c.Text)
	}
	for _, m := range b.a.Pathways {
		add(m.Region, m.Title)
		add(m.Region, m.Organisations[:]...)
		for _, row := range m.Rows {
			add(m.Region, row.Establishment, row.Normalised)
		}
	}
	for _, sm := range b.a.Summaries {
		add(sm.Region, sm.Title)
		add(sm.Region, sm.Paragraphs...)
	}
	printed := func(region, p string) bool {
		for _, t := range texts[region] {
			if strings.Contains(t, p) {
				return true
			}
		}
		return false
	}
	for i, e := range b.names {
		for _, p := range append(e.Names(), e.Except...) {
			if !printed(e.Region, p) {
				line := b.nameLines[i]
				if ls := b.phraseLines[e.Region+"\x00"+p]; len(ls) > 0 {
					line = ls[0]
				}
				return &ParseError{line, fmt.Sprintf("name: %s (%s) is not printed anywhere in the text of %s", quote(p), e.Name, e.Region)}
			}
		}
	}
	return nil
}
