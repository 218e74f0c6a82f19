package dataset

import (
	"fmt"
	"io"

	"strings"

	"charter/model"
)

// recordFields lists, per record type, its required and optional fields.
var recordFields = map[string]struct{ required, optional []string }{
	"region":     {[]string{"name"}, nil},
	"respondent": {[]string{"region", "kind", "name"}, []string{"normalised"}},
	"question":   {[]string{"region", "alliance", "kind", "id", "title"}, []string{"strand", "group", "prompt", "benchmark-label", "benchmark"}},
	"return":     {[]string{"region", "question", "respondent", "status"}, []string{"answer"}},
	"comment":    {[]string{"region", "alliance", "kind", "heading", "text"}, []string{"strand", "respondent"}},
	"pathways": {[]string{"region", "alliance", "kind", "title", "rows", "pathway-1", "pathway-2", "pathway-3",
		"pathway-4", "pathway-5", "pathway-6", "pathway-7"}, []string{"strand", "organisations-label"}},
	"summary":   {[]string{"region", "alliance", "title", "text"}, nil},
	"kpi":       {[]string{"region", "alliance", "subject", "measure", "figure", "text"}, nil},
	"name":      {[]string{"region", "kind", "name"}, []string{"variants", "except"}},
	"reference": {[]string{"region", "name", "question", "respondent", "phrase", "because"}, nil},
}

// Parse reads the dataset format (docs/dataset-format.md) into audit data,
// checking every record and every reference. The first problem found is
// returned with its line number.
func Parse(r io.Reader) (*model.Audit, error) {
	a, _, err := ParseAll(r)
	return a, err
}

// ParseAll is Parse that also returns the names register the file holds
// (its name and reference records).
func ParseAll(r io.Reader) (*model.Audit, *model.NameRegister, error) {
	stanzas, err := readStanzas(r)
	if err != nil {
		return nil, nil, err
	}
	b := builder{
		a:           &model.Audit{},
		regions:     map[string]bool{},
		respondents: map[string]*model.Respondent{},
		questions:   map[string]*model.Question{},
		returns:     map[model.ReturnKey]bool{},
		order:       map[model.Section]int{},
		answers:     map[model.ReturnKey]string{},
		nameIndex:   map[string]int{},
		phraseLines: map[string][]int{},
	}
	for i := range stanzas {
		if err := b.add(&stanzas[i]); err != nil {
			return nil, nil, err
		}
	}
	if err := b.checkNamesInText(); err != nil {
		return nil, nil, err
	}
	reg, err := model.NewNameRegister(b.names)
	if err != nil {
		return nil, nil, &ParseError{b.nameLines[0], err.Error()}
	}
	return b.a, reg, nil
}

type builder struct {
	a           *model.Audit
	regions     map[string]bool
	respondents map[string]*model.Respondent // region/kind/name
	questions   map[string]*model.Question   // region/id
	returns     map[model.ReturnKey]bool
	order       map[model.Section]int
	answers     map[model.ReturnKey]string
	names       []model.NameEntry
	nameLines   []int            // line of each name record
	nameIndex   map[string]int   // region/folded canonical name → index in names
	phraseLines map[string][]int // region/variant or exception → lines that list it
}

func respKey(region string, kind model.RespondentKind, name string) string {
	return region + "\x00" + string(kind) + "\x00" + strings.ToLower(name)
}

func (b *builder) add(s *stanza) error {
	typ, ok := s.fields["record"]
	if !ok {
		return &ParseError{s.line, "record has no Record: field"}
	}
	typ = strings.ToLower(strings.TrimSpace(typ))
	spec, ok := recordFields[typ]
	if !ok {
		return &ParseError{s.lineOf("record"), fmt.Sprintf("unknown record type %s", quote(typ))}
	}
	allowed := map[string]bool{"record": true}
	for _, f := range append(append([]string{}, spec.required...), spec.optional...) {
		allowed[f] = true
	}
	for _, f := range s.order {
		if !allowed[f] {
			return &ParseError{s.lineOf(f), fmt.Sprintf("%s: unknown field %s", typ, f)}
		}
	}
	for _, f := range spec.required {
		if strings.TrimSpace(s.fields[f]) == "" {
			return &ParseError{s.line, fmt.Sprintf("%s: field %s is required", typ, f)}
		}
	}
	fail := func(field, format string, args ...any) error {
		return &ParseError{s.lineOf(field), typ + ": " + fmt.Sprintf(format, args...)}
	}
	get := func(f string) string { return s.fields[f] }

	if typ == "region" {
		name := strings.TrimSpace(get("name"))
		if b.regions[name] {
			return fail("name", "region %s declared twice", quote(name))
		}
		b.regions[name] = true
		b.a.Regions = append(b.a.Regions, name)
		return nil
	}
	region := strings.TrimSpace(get("region"))
	if !b.regions[region] {
		return fail("region", "region %s is not declared", quote(region))
	}

	section := func() (model.Section, error) {
		al, err := model.ParseAlliance(get("alliance"))
		if err != nil {
			return model.Section{}, fail("alliance", "%v", err)
		}
		st, err := model.ParseStrand(get("strand"))
		if err != nil {
			return model.Section{}, fail("strand", "%v", err)
		}
		if (al == model.AllianceFaithVCS) != (st != model.StrandNone) {
			return model.Section{}, fail("strand", "Faith & VCS needs a strand (Faith or VCS) and other alliances none")
		}
		k, err := model.ParseRespondentKind(get("kind"))
		if err != nil {
			return model.Section{}, fail("kind", "%v", err)
		}
		return model.Section{Region: region, Alliance: al, Strand: st, Kind: k}, nil
	}

	switch typ {
	case "respondent":
		k, err := model.ParseRespondentKind(get("kind"))
		if err != nil {
			return fail("kind", "%v", err)
		}
		name := strings.TrimSpace(get("name"))
		key := respKey(region, k, name)
		if b.respondents[key] != nil {
			return fail("name", "respondent %s (%s) declared twice", quote(name), k)
		}
		b.a.Respondents = append(b.a.Respondents, model.Respondent{Region: region, Kind: k, Name: name, Normalised: strings.TrimSpace(get("normalised"))})
		b.respondents[key] = &b.a.Respondents[len(b.a.Respondents)-1]
	case "question":
		sec, err := section()
		if err != nil {
			return err
		}
		id := strings.TrimSpace(get("id"))
		if b.questions[region+"\x00"+id] != nil {
			return fail("id", "question %s declared twice", quote(id))
		}
		g, err := model.ParseQuestionGroup(get("group"))
		if err != nil {
			return fail("group", "%v", err)
		}
		switch {
		case sec.Kind == model.KindCombined && g == model.GroupNone:
			return fail("kind", "a question of kind %s needs a Group (rom, prisons or probation)", sec.Kind)
		case sec.Kind != model.KindCombined && g != model.GroupNone:
			return fail("group", "only questions of kind Combined have a group; this one is %s", sec.Kind)
		}
		b.order[sec]++
		b.a.Questions = append(b.a.Questions, model.Question{Section: sec, ID: id, Order: b.order[sec], Group: g,
			Title: get("title"), Prompt: get("prompt"), BenchmarkLabel: get("benchmark-label"), Benchmark: get("benchmark")})
		// Pointers into a growing slice go stale; keep a copy for lookups.
		q := b.a.Questions[len(b.a.Questions)-1]
		b.questions[region+"\x00"+id] = &q
	case "return":
		qid := strings.TrimSpace(get("question"))
		q := b.questions[region+"\x00"+qid]
		if q == nil {
			return fail("question", "question %s is not declared", quote(qid))
		}
		name := strings.TrimSpace(get("respondent"))
		resp := b.respondents[respKey(region, q.Kind, name)]
		if resp == nil {
			return fail("respondent", "respondent %s is not declared as %s", quote(name), q.Kind)
		}
		name = resp.Name // as declared, whatever the case here
		st, err := model.ParseReturnStatus(get("status"))
		if err != nil {
			return fail("status", "%v", err)
		}
		ans := get("answer")
		switch {
		case st == model.StatusNoReturn && ans != "":
			return fail("answer", "a no_return has no answer")
		case st != model.StatusNoReturn && strings.TrimSpace(ans) == "":
			return fail("answer", "%s needs the source's text", st)
		}
		r := model.Return{Section: q.Section, QuestionID: qid, Respondent: name, Status: st, Answer: ans}
		if b.returns[r.Key()] {
			return fail("respondent", "a second return from %s to %s", quote(name), qid)
		}
		b.returns[r.Key()] = true
		b.answers[r.Key()] = ans
		b.a.Returns = append(b.a.Returns, r)
	case "comment":
		sec, err := section()
		if err != nil {
			return err
		}
		resp := strings.TrimSpace(get("respondent"))
		if resp != "" && b.respondents[respKey(region, sec.Kind, resp)] == nil {
			return fail("respondent", "respondent %s is not declared as %s", quote(resp), sec.Kind)
		}
		b.a.Comments = append(b.a.Comments, model.RegionalComment{Section: sec, Heading: get("heading"), Respondent: resp, Text: get("text")})
	case "pathways":
		sec, err := section()
		if err != nil {
			return err
		}
		m := model.PathwayMatrix{Section: sec, Title: get("title"), OrganisationsLabel: get("organisations-label")}
		for i := 0; i < model.NumPathways; i++ {
			m.Organisations[i] = get(fmt.Sprintf("pathway-%d", i+1))
		}
		for i, line := range strings.Split(get("rows"), "\n") {
			row, err := parseRow(line)
			if err != nil {
				return &ParseError{s.lineOf("rows") + 1 + i, "pathways: " + err.Error()}
			}
			m.Rows = append(m.Rows, row)
		}
		b.a.Pathways = append(b.a.Pathways, m)
	case "summary":
		al, err := model.ParseAlliance(get("alliance"))
		if err != nil {
			return fail("alliance", "%v", err)
		}
		for _, sm := range b.a.Summaries {
			if sm.Region == region && sm.Alliance == al {
				return fail("alliance", "a second summary for %s", al)
			}
		}
		b.a.Summaries = append(b.a.Summaries, model.Summary{Region: region, Alliance: al, Title: get("title"), Paragraphs: strings.Split(get("text"), "\n\n")})
	case "kpi":
		al, err := model.ParseAlliance(get("alliance"))
		if err != nil {
			return fail("alliance", "%v", err)
		}
		for i := range b.a.Summaries {
			sm := &b.a.Summaries[i]
			if sm.Region == region && sm.Alliance == al {
				sm.KPIs = append(sm.KPIs, model.KPI{Subject: get("subject"), Measure: get("measure"), Figure: get("figure"), Text: get("text")})
				return nil
			}
		}
		return fail("alliance", "no summary for %s precedes this kpi", al)
	case "name":
		return b.addName(s, region, fail)
	case "reference":
		return b.addReference(s, region, fail)
	}
	return nil
}

// parseRow reads one matrix row: "Name [= Normalised] | X |  | X …" with
// one cell per pathway, each "X" or empty.
func parseRow(line string) (model.PathwayRow, error) {
	cells := strings.Split(line, "|")
	if len(cells) != model.NumPathways+1 {
		return model.PathwayRow{}, fmt.Errorf("a row needs a name and %d cells, got %d cells", model.NumPathways, len(cells)-1)
	}
	var row model.PathwayRow
	name, norm, _ := strings.Cut(cells[0], "=")
	row.Establishment = strings.TrimSpace(name)
	row.Normalised = strings.TrimSpace(norm)
	if row.Establishment == "" {
		return row, fmt.Errorf("a row needs an establishment name")
	}
	for i, c := range cells[1:] {
		switch strings.TrimSpace(c) {
		case "X":
			row.Marks[i] = true
		case "":
		default:
			return row, fmt.Errorf("cell %d of %s must be X or empty, got %s", i+1, row.Establishment, quote(strings.TrimSpace(c)))
		}
	}
	return row, nil
}
