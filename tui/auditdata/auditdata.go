// Package auditdata is the audit as the screens read it: the model's data
// with lookups by section, question and respondent, the section picker, and
// the words and badges every audit screen shows. It sits beneath the audit
// and coverage screens, which both read it and import no other screen.
package auditdata

import (
	"sort"
	"sync"
	"sync/atomic"

	tea "charm.land/bubbletea/v2"

	"charter/model"
	"charter/store/dataset"
	"charter/tui/common"
)

// Data is the audit as the screens use it: the model data plus
// lookups, rebuilt whenever the data is re-read.
type Data struct {
	Audit       *model.Audit
	Sections    []model.Section
	Questions   map[model.Section][]*model.Question
	Returns     map[string][]*model.Return // by region/question id, in respondent order
	Respondents map[string]*model.Respondent
	Comments    map[model.Section][]*model.RegionalComment
	Pathways    map[model.Section]*model.PathwayMatrix
	Hay         map[*model.Return]string
	Question    map[string]*model.Question

	// The audit's text made safe to draw, built once here and nowhere
	// else (see text.go). Rows follow Audit.Returns; Row finds one by
	// its raw key, which stays what writes are addressed with.
	Rows  []*ReturnText
	Row   map[model.ReturnKey]*ReturnText
	QText map[*model.Question]*QuestionText
	CText map[*model.RegionalComment]*CommentText
	Seq   uint64 // the order of the read: a higher Seq is newer data

	// Names is the names register the filters and dossiers read: the
	// embedded dataset's (it names the West Midlands establishments and
	// areas; other regions' returns are matched by their own names).
	Names *model.NameRegister
}

var (
	namesOnce sync.Once
	names     *model.NameRegister
)

// Register is the embedded dataset's names register, parsed once; nil if
// it does not parse (the filters then match respondents' own names).
func Register() *model.NameRegister {
	namesOnce.Do(func() {
		if reg, err := dataset.Names(); err == nil {
			names = reg
		}
	})
	return names
}

// Matches reports whether return t passes the compiled filter m.
func (d *Data) Matches(m *model.ReturnMatcher, t *ReturnText) bool {
	r := t.Ret
	return m.Match(r, d.Question[QKey(r.Region, r.QuestionID)], d.Respondents[RespKey(r.Region, r.Kind, r.Respondent)], d.Hay[r])
}

// LoadedMsg carries freshly read audit data. It is not addressed to one
// screen: the root hands it to every screen, so the audit and coverage tabs
// share one read (and one copy) of the audit per session.
type LoadedMsg struct {
	Data *Data
	Err  error
}

var reads atomic.Uint64

// Load reads the whole audit and indexes it. Each read takes a sequence
// number as it starts, so a screen can tell an older read that finished
// late from a newer one (Data.Seq).
func Load(svc model.AuditService) tea.Cmd {
	return func() tea.Msg {
		seq := reads.Add(1)
		a, err := svc.Audit()
		if err != nil {
			return LoadedMsg{Err: err}
		}
		d := Index(a)
		d.Seq = seq
		return LoadedMsg{Data: d}
	}
}

func QKey(region, id string) string { return region + "\x00" + id }

func RespKey(region string, kind model.RespondentKind, name string) string {
	return region + "\x00" + string(kind) + "\x00" + name
}

func Index(a *model.Audit) *Data {
	d := &Data{Audit: a,
		Questions:   map[model.Section][]*model.Question{},
		Returns:     map[string][]*model.Return{},
		Respondents: map[string]*model.Respondent{},
		Comments:    map[model.Section][]*model.RegionalComment{},
		Pathways:    map[model.Section]*model.PathwayMatrix{},
		Hay:         map[*model.Return]string{},
		Question:    map[string]*model.Question{},
		Row:         map[model.ReturnKey]*ReturnText{},
		QText:       map[*model.Question]*QuestionText{},
		CText:       map[*model.RegionalComment]*CommentText{},
		Names:       Register(),
	}
	seen := map[model.Section]bool{}
	addSection := func(s model.Section) {
		if !seen[s] {
			seen[s] = true
			d.Sections = append(d.Sections, s)
		}
	}
	for i := range a.Respondents {
		r := &a.Respondents[i]
		d.Respondents[RespKey(r.Region, r.Kind, r.Name)] = r
	}
	for i := range a.Questions {
		q := &a.Questions[i]
		addSection(q.Section)
		d.Questions[q.Section] = append(d.Questions[q.Section], q)
		d.Question[QKey(q.Region, q.ID)] = q
		d.QText[q] = questionText(q)
	}
	for i := range a.Returns {
		r := &a.Returns[i]
		k := QKey(r.Region, r.QuestionID)
		d.Returns[k] = append(d.Returns[k], r)
		resp := d.Respondents[RespKey(r.Region, r.Kind, r.Respondent)]
		d.Hay[r] = model.ReturnHaystack(r, d.Question[k], resp)
		t := returnText(r, i, resp, d.Question[k])
		d.Rows = append(d.Rows, t)
		d.Row[r.Key()] = t
	}
	for i := range a.Comments {
		c := &a.Comments[i]
		addSection(c.Section)
		d.Comments[c.Section] = append(d.Comments[c.Section], c)
		d.CText[c] = commentText(c)
	}
	for i := range a.Pathways {
		p := &a.Pathways[i]
		addSection(p.Section)
		d.Pathways[p.Section] = p
	}
	// Offer sections grouped as the report groups them: by region, then
	// alliance (and strand) in order of first appearance, then kind.
	groupRank := map[string]int{}
	for _, s := range d.Sections {
		g := s.Region + "\x00" + AllianceGroup(s)
		if _, ok := groupRank[g]; !ok {
			groupRank[g] = len(groupRank)
		}
	}
	kindRank := map[model.RespondentKind]int{}
	for i, k := range model.RespondentKinds() {
		kindRank[k] = i
	}
	sort.SliceStable(d.Sections, func(i, j int) bool {
		a, b := d.Sections[i], d.Sections[j]
		ga, gb := groupRank[a.Region+"\x00"+AllianceGroup(a)], groupRank[b.Region+"\x00"+AllianceGroup(b)]
		if ga != gb {
			return ga < gb
		}
		return kindRank[a.Kind] < kindRank[b.Kind]
	})
	return d
}

// RespondentsOf lists a section's respondents in the order their returns
// first appear.
func (d *Data) RespondentsOf(s model.Section) []string {
	var out []string
	seen := map[string]bool{}
	for _, q := range d.Questions[s] {
		for _, r := range d.Returns[QKey(q.Region, q.ID)] {
			if !seen[r.Respondent] {
				seen[r.Respondent] = true
				out = append(out, r.Respondent)
			}
		}
	}
	return out
}

// Picker chooses a section by alliance (with strand) and
// respondent kind, offering only what has data.
type Picker struct {
	cur int
}

// groups are the alliance choices, in the audit's order.
func AllianceGroup(s model.Section) string {
	if s.Strand != model.StrandNone {
		return string(s.Alliance) + " · " + string(s.Strand)
	}
	return string(s.Alliance)
}

// NextAlliance moves to the first section of the next alliance group.
func (p *Picker) NextAlliance(d *Data) {
	if d == nil || len(d.Sections) == 0 {
		return
	}
	p.Clamp(d)
	cur := d.Sections[p.cur]
	for i := 1; i <= len(d.Sections); i++ {
		j := (p.cur + i) % len(d.Sections)
		s := d.Sections[j]
		if AllianceGroup(s) != AllianceGroup(cur) || s.Region != cur.Region {
			// first section of that group
			for k := 0; k < len(d.Sections); k++ {
				if d.Sections[k].Region == s.Region && AllianceGroup(d.Sections[k]) == AllianceGroup(s) {
					p.cur = k
					return
				}
			}
		}
	}
}

// NextKind moves to the next respondent kind within the alliance group.
func (p *Picker) NextKind(d *Data) {
	if d == nil || len(d.Sections) == 0 {
		return
	}
	p.Clamp(d)
	cur := d.Sections[p.cur]
	for i := 1; i <= len(d.Sections); i++ {
		j := (p.cur + i) % len(d.Sections)
		s := d.Sections[j]
		if s.Region == cur.Region && AllianceGroup(s) == AllianceGroup(cur) {
			p.cur = j
			return
		}
	}
}

// Step moves by sections, wrapping round.
func (p *Picker) Step(d *Data, by int) {
	if d == nil || len(d.Sections) == 0 {
		return
	}
	p.cur = ((p.cur+by)%len(d.Sections) + len(d.Sections)) % len(d.Sections)
}

// Section is the chosen section. It only reads: a screen that swaps in
// data with fewer sections calls Clamp (or Select) in Update, and until it
// does Section answers with the nearest section without moving.
func (p *Picker) Section(d *Data) (model.Section, bool) {
	if d == nil || len(d.Sections) == 0 {
		return model.Section{}, false
	}
	return d.Sections[common.Clamp(p.cur, 0, len(d.Sections)-1)], true
}

// Clamp keeps the choice within d's sections; call it in Update when new
// data arrives.
func (p *Picker) Clamp(d *Data) {
	if d == nil || len(d.Sections) == 0 {
		p.cur = 0
		return
	}
	p.cur = common.Clamp(p.cur, 0, len(d.Sections)-1)
}

// Select chooses section s if d has it, and reports whether it does.
func (p *Picker) Select(d *Data, s model.Section) bool {
	if d == nil {
		return false
	}
	for i, x := range d.Sections {
		if x == s {
			p.cur = i
			return true
		}
	}
	return false
}

// SectionTitle names a section for a screen's first line. The region (and
// an imported section's names) are data, so the title is neutralised here.
func SectionTitle(s model.Section) string {
	return model.SanitizeLine(AllianceGroup(s) + " · " + string(s.Kind) + "   (" + s.Region + ")")
}

// StatusWord is a return's status in words, so it reads without colour.
func StatusWord(r *model.Return) string {
	switch r.Status {
	case model.StatusNotAnswered:
		return "not answered"
	case model.StatusNoReturn:
		return "no return"
	}
	return "answered"
}

// RatingBadge is the annotation in words and marks.
func RatingBadge(st *common.Styles, a model.Annotation) string {
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
