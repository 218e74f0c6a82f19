package tui

import (
	"sort"

	"charter/model"
)

// auditData is the audit as the screens use it: the model data plus
// lookups, rebuilt whenever the data is re-read.
type auditData struct {
	a           *model.Audit
	sections    []model.Section
	questions   map[model.Section][]*model.Question
	returns     map[string][]*model.Return // by region/question id, in respondent order
	respondents map[string]*model.Respondent
	comments    map[model.Section][]*model.RegionalComment
	pathways    map[model.Section]*model.PathwayMatrix
	hay         map[*model.Return]string
	question    map[string]*model.Question
}

// auditLoadedMsg carries freshly read audit data.
type auditLoadedMsg struct {
	data *auditData
	err  error
}

func loadAudit(svc model.AuditService) func() auditLoadedMsg {
	return func() auditLoadedMsg {
		a, err := svc.Audit()
		if err != nil {
			return auditLoadedMsg{err: err}
		}
		return auditLoadedMsg{data: indexAudit(a)}
	}
}

func qkey(region, id string) string { return region + "\x00" + id }

func respKey(region string, kind model.RespondentKind, name string) string {
	return region + "\x00" + string(kind) + "\x00" + name
}

func indexAudit(a *model.Audit) *auditData {
	d := &auditData{a: a,
		questions:   map[model.Section][]*model.Question{},
		returns:     map[string][]*model.Return{},
		respondents: map[string]*model.Respondent{},
		comments:    map[model.Section][]*model.RegionalComment{},
		pathways:    map[model.Section]*model.PathwayMatrix{},
		hay:         map[*model.Return]string{},
		question:    map[string]*model.Question{},
	}
	seen := map[model.Section]bool{}
	addSection := func(s model.Section) {
		if !seen[s] {
			seen[s] = true
			d.sections = append(d.sections, s)
		}
	}
	for i := range a.Respondents {
		r := &a.Respondents[i]
		d.respondents[respKey(r.Region, r.Kind, r.Name)] = r
	}
	for i := range a.Questions {
		q := &a.Questions[i]
		addSection(q.Section)
		d.questions[q.Section] = append(d.questions[q.Section], q)
		d.question[qkey(q.Region, q.ID)] = q
	}
	for i := range a.Returns {
		r := &a.Returns[i]
		k := qkey(r.Region, r.QuestionID)
		d.returns[k] = append(d.returns[k], r)
		d.hay[r] = model.ReturnHaystack(r, d.question[k], d.respondents[respKey(r.Region, r.Kind, r.Respondent)])
	}
	for i := range a.Comments {
		c := &a.Comments[i]
		addSection(c.Section)
		d.comments[c.Section] = append(d.comments[c.Section], c)
	}
	for i := range a.Pathways {
		p := &a.Pathways[i]
		addSection(p.Section)
		d.pathways[p.Section] = p
	}
	// Offer sections grouped as the report groups them: by region, then
	// alliance (and strand) in order of first appearance, then kind.
	groupRank := map[string]int{}
	for _, s := range d.sections {
		g := s.Region + "\x00" + allianceGroup(s)
		if _, ok := groupRank[g]; !ok {
			groupRank[g] = len(groupRank)
		}
	}
	kindRank := map[model.RespondentKind]int{}
	for i, k := range model.RespondentKinds() {
		kindRank[k] = i
	}
	sort.SliceStable(d.sections, func(i, j int) bool {
		a, b := d.sections[i], d.sections[j]
		ga, gb := groupRank[a.Region+"\x00"+allianceGroup(a)], groupRank[b.Region+"\x00"+allianceGroup(b)]
		if ga != gb {
			return ga < gb
		}
		return kindRank[a.Kind] < kindRank[b.Kind]
	})
	return d
}

// respondentsOf lists a section's respondents in the order their returns
// first appear.
func (d *auditData) respondentsOf(s model.Section) []string {
	var out []string
	seen := map[string]bool{}
	for _, q := range d.questions[s] {
		for _, r := range d.returns[qkey(q.Region, q.ID)] {
			if !seen[r.Respondent] {
				seen[r.Respondent] = true
				out = append(out, r.Respondent)
			}
		}
	}
	return out
}

// sectionPicker chooses a section by alliance (with strand) and
// respondent kind, offering only what has data.
type sectionPicker struct {
	cur int
}

// groups are the alliance choices, in the audit's order.
func allianceGroup(s model.Section) string {
	if s.Strand != model.StrandNone {
		return string(s.Alliance) + " · " + string(s.Strand)
	}
	return string(s.Alliance)
}

// nextAlliance moves to the first section of the next alliance group.
func (p *sectionPicker) nextAlliance(d *auditData) {
	if d == nil || len(d.sections) == 0 {
		return
	}
	cur := d.sections[p.cur]
	for i := 1; i <= len(d.sections); i++ {
		j := (p.cur + i) % len(d.sections)
		s := d.sections[j]
		if allianceGroup(s) != allianceGroup(cur) || s.Region != cur.Region {
			// first section of that group
			for k := 0; k < len(d.sections); k++ {
				if d.sections[k].Region == s.Region && allianceGroup(d.sections[k]) == allianceGroup(s) {
					p.cur = k
					return
				}
			}
		}
	}
}

// nextKind moves to the next respondent kind within the alliance group.
func (p *sectionPicker) nextKind(d *auditData) {
	if d == nil || len(d.sections) == 0 {
		return
	}
	cur := d.sections[p.cur]
	for i := 1; i <= len(d.sections); i++ {
		j := (p.cur + i) % len(d.sections)
		s := d.sections[j]
		if s.Region == cur.Region && allianceGroup(s) == allianceGroup(cur) {
			p.cur = j
			return
		}
	}
}

func (p *sectionPicker) step(d *auditData, by int) {
	if d == nil || len(d.sections) == 0 {
		return
	}
	p.cur = ((p.cur+by)%len(d.sections) + len(d.sections)) % len(d.sections)
}

func (p *sectionPicker) section(d *auditData) (model.Section, bool) {
	if d == nil || len(d.sections) == 0 {
		return model.Section{}, false
	}
	p.cur = clamp(p.cur, 0, len(d.sections)-1)
	return d.sections[p.cur], true
}

// sectionTitle names a section for a screen's first line.
func sectionTitle(s model.Section) string {
	return allianceGroup(s) + " · " + string(s.Kind) + "   (" + s.Region + ")"
}

// statusWord is a return's status in words, so it reads without colour.
func statusWord(r *model.Return) string {
	switch r.Status {
	case model.StatusNotAnswered:
		return "not answered"
	case model.StatusNoReturn:
		return "no return"
	}
	return "answered"
}

// ratingBadge is the annotation in words and marks.
func ratingBadge(st *Styles, a model.Annotation) string {
	out := ""
	if a.Rating != model.RatingNone {
		out += st.RatingStyle(a.Rating).Render("[" + a.Rating.Label() + "]")
	}
	if a.GoodPractice {
		if out != "" {
			out += " "
		}
		out += st.GoodPract.Render("★ good practice")
	}
	if a.Comment != "" {
		if out != "" {
			out += " "
		}
		out += st.Subtle.Render("✎")
	}
	return out
}
