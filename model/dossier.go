package model

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// pathwayNames are the seven resettlement pathways in the usual NOMS
// numbering. The source prints only "PATHWAY 1" … "PATHWAY 7".
var pathwayNames = [NumPathways]string{
	"Accommodation",
	"Education, training and employment",
	"Health",
	"Drugs and alcohol",
	"Finance, benefit and debt",
	"Children and families",
	"Attitudes, thinking and behaviour",
}

// PathwayNamesNote says where pathway names come from; show it wherever
// they are shown.
const PathwayNamesNote = "The source prints only pathway numbers; the names follow the usual NOMS numbering of the seven resettlement pathways (an inference)."

// PathwayName is the name of pathway n (1 to 7) in the usual NOMS
// numbering, an inference (see PathwayNamesNote); "" outside 1–7.
func PathwayName(n int) string {
	if n < 1 || n > NumPathways {
		return ""
	}
	return pathwayNames[n-1]
}

// What a dossier says of an establishment's returns in one alliance.
const (
	DossierReturned = "returned"  // it sent at least one answer or "Na"
	DossierNoReturn = "no_return" // it is listed, and sent nothing
	DossierNone     = "none"      // it has no returns of its own there
)

// Dossier is everything the audit holds about one establishment, area or
// organisation of the names register.
type Dossier struct {
	Name     string   `json:"name"`
	Region   string   `json:"region"`
	Kind     NameKind `json:"kind"`
	Variants []string `json:"variants"`
	// Alliances gives, per alliance (and strand) of the region, whether it
	// returned, in source order.
	Alliances []DossierAlliance `json:"alliances"`
	// Returns are its own returns in every alliance, in source order.
	Returns []DossierReturn `json:"returns"`
	// Mentions are the places other respondents' answers, the regional
	// comments, the summary report and the matrix's organisations name it
	// (by any spelling), and passages the register ties to it by inference.
	Mentions []DossierMention `json:"mentions"`
	// Matrix holds its rows of the pathway matrices.
	Matrix           []DossierMatrixRow `json:"matrix"`
	PathwayNamesNote string             `json:"pathway_names_note"`
}

// DossierAlliance is one establishment's returns in one alliance.
type DossierAlliance struct {
	Alliance    Alliance `json:"alliance"`
	Strand      Strand   `json:"strand"`
	Status      string   `json:"status"` // DossierReturned, DossierNoReturn or DossierNone
	Answered    int      `json:"answered"`
	NotAnswered int      `json:"not_answered"`
	NoReturn    int      `json:"no_return"`
	// Through names, where it has no returns of its own, the respondents
	// whose returns speak for its kind there ("All West Midlands prisons ·
	// Prison", "ROM · ROM/Prisons/Probation (combined)").
	Through []string `json:"through,omitempty"`
}

// Name is "Civic Society" or "Faith & VCS (Faith)".
func (d DossierAlliance) Name() string {
	if d.Strand == StrandNone {
		return string(d.Alliance)
	}
	return string(d.Alliance) + " (" + string(d.Strand) + ")"
}

// DossierReturn is one of its returns with the reviewers' view.
type DossierReturn struct {
	Section
	QuestionID   string       `json:"question_id"`
	Order        int          `json:"order"`
	Question     string       `json:"question"` // the question's DisplayTitle
	Respondent   string       `json:"respondent"`
	Status       ReturnStatus `json:"status"`
	Answer       string       `json:"answer"`
	Rating       Rating       `json:"rating"`
	GoodPractice bool         `json:"good_practice"`
	Comment      string       `json:"comment"`
}

// Where a mention is.
const (
	PlaceAnswer  = "answer"
	PlaceComment = "comment"
	PlaceSummary = "summary"
	PlaceMatrix  = "matrix"
)

// MentionPlace says where a mention is.
type MentionPlace struct {
	Source   string         `json:"source"` // PlaceAnswer, PlaceComment, PlaceSummary or PlaceMatrix
	Region   string         `json:"region"`
	Alliance Alliance       `json:"alliance"`
	Strand   Strand         `json:"strand"`
	Kind     RespondentKind `json:"kind,omitempty"`
	// QuestionID and Question (its DisplayTitle) for answers.
	QuestionID string `json:"question_id,omitempty"`
	Question   string `json:"question,omitempty"`
	// Respondent whose answer it is, or whose return a comment is on.
	Respondent string `json:"respondent,omitempty"`
	// Heading of a comment, the summary's title, or the matrix's title.
	Heading string `json:"heading,omitempty"`
	// Paragraph of the summary (1-based), or pathway of the matrix.
	Paragraph int `json:"paragraph,omitempty"`
	Pathway   int `json:"pathway,omitempty"`
}

// String reads the place as a line: "Corporate · ROM/Prisons/Probation
// (combined) · corporate-rom-13 Prisons in the region · What are the
// employers providing? · answer of ROM".
func (p MentionPlace) String() string {
	sec := Section{Region: p.Region, Alliance: p.Alliance, Strand: p.Strand, Kind: p.Kind}
	name := string(p.Alliance)
	if p.Strand != StrandNone {
		name += " (" + string(p.Strand) + ")"
	}
	if p.Kind != "" {
		name = sec.Name()
	}
	switch p.Source {
	case PlaceAnswer:
		return fmt.Sprintf("%s · %s %s · answer of %s", name, p.QuestionID, p.Question, p.Respondent)
	case PlaceComment:
		s := fmt.Sprintf("%s · %s", name, p.Heading)
		if p.Respondent != "" {
			s += " on " + p.Respondent
		}
		return s
	case PlaceSummary:
		return fmt.Sprintf("%s · %s, paragraph %d", name, p.Heading, p.Paragraph)
	case PlaceMatrix:
		return fmt.Sprintf("%s · %s, organisations for pathway %d (%s)", name, p.Heading, p.Pathway, PathwayName(p.Pathway))
	}
	return name
}

// DossierMention is one mention with its sentence and place.
type DossierMention struct {
	Place MentionPlace `json:"place"`
	// Text is the name as printed (for an inferred reference, the phrase).
	Text     string `json:"text"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	Sentence string `json:"sentence"`
	// Inferred is set for a passage that does not name it, which the
	// register ties to it for the reason in Because.
	Inferred bool   `json:"inferred,omitempty"`
	Because  string `json:"because,omitempty"`
}

// DossierMatrixRow is its row of one pathway matrix.
type DossierMatrixRow struct {
	Section
	Title string `json:"title"`
	// Establishment is the row's name as the source prints it.
	Establishment string           `json:"establishment"`
	Pathways      []DossierPathway `json:"pathways"`
}

// DossierPathway is one cell of a matrix row.
type DossierPathway struct {
	Number int `json:"number"`
	// Name is inferred (see PathwayNamesNote); NameInferred says so.
	Name          string `json:"name"`
	NameInferred  bool   `json:"name_inferred"`
	Marked        bool   `json:"marked"`
	Organisations string `json:"organisations"`
}

// BuildDossier gathers everything the audit holds about the establishment,
// area or organisation the register knows by name (any spelling). An
// unknown name gives an *UnknownNameError (errors.Is ErrNotFound) with the
// nearest names.
func BuildDossier(a *Audit, reg *NameRegister, name string) (Dossier, error) {
	if a == nil || reg == nil {
		return Dossier{}, errors.New("dossier: no audit data or no names register")
	}
	e, ok := reg.Lookup(name)
	if !ok {
		return Dossier{}, &UnknownNameError{Name: name, Suggestions: reg.Suggest(name, 5)}
	}
	d := Dossier{Name: e.Name, Region: e.Region, Kind: e.Kind, Variants: append([]string{}, e.Variants...),
		Alliances: []DossierAlliance{}, Returns: []DossierReturn{}, Mentions: []DossierMention{}, Matrix: []DossierMatrixRow{},
		PathwayNamesNote: PathwayNamesNote}
	is := func(region, name string) bool {
		x := reg.ForRespondent(region, name)
		return x != nil && x.Name == e.Name && x.Region == e.Region
	}
	questions := map[string]*Question{}
	for i := range a.Questions {
		if q := &a.Questions[i]; q.Region == e.Region {
			questions[q.ID] = q
		}
	}
	title := func(id string) string {
		if q := questions[id]; q != nil {
			return q.DisplayTitle()
		}
		return id
	}

	// Its own returns, and mentions in everyone else's answers.
	for i := range a.Returns {
		r := &a.Returns[i]
		if r.Region != e.Region {
			continue
		}
		if is(r.Region, r.Respondent) {
			d.Returns = append(d.Returns, DossierReturn{Section: r.Section, QuestionID: r.QuestionID, Order: orderOf(questions[r.QuestionID]),
				Question: title(r.QuestionID), Respondent: r.Respondent, Status: r.Status, Answer: r.Answer,
				Rating: r.Annotation.Rating, GoodPractice: r.Annotation.GoodPractice, Comment: r.Annotation.Comment})
			continue
		}
		place := MentionPlace{Source: PlaceAnswer, Region: r.Region, Alliance: r.Alliance, Strand: r.Strand, Kind: r.Kind,
			QuestionID: r.QuestionID, Question: title(r.QuestionID), Respondent: r.Respondent}
		var found []DossierMention
		for _, m := range reg.MentionsIn(e.Region, r.Answer) {
			if m.Name == e.Name && m.Region == e.Region {
				found = append(found, DossierMention{Place: place, Text: m.Text, Start: m.Start, End: m.End, Sentence: m.Sentence})
			}
		}
		for _, ref := range e.References {
			if ref.QuestionID != r.QuestionID || ref.Respondent != r.Respondent {
				continue
			}
			if at := strings.Index(r.Answer, ref.Phrase); at >= 0 {
				found = append(found, DossierMention{Place: place, Text: ref.Phrase, Start: at, End: at + len(ref.Phrase),
					Sentence: SentenceAround(r.Answer, at, at+len(ref.Phrase)), Inferred: true, Because: ref.Because})
			}
		}
		sort.SliceStable(found, func(i, j int) bool { return found[i].Start < found[j].Start })
		d.Mentions = append(d.Mentions, found...)
	}
	addMentions := func(place MentionPlace, text string) {
		for _, m := range reg.MentionsIn(e.Region, text) {
			if m.Name == e.Name && m.Region == e.Region {
				d.Mentions = append(d.Mentions, DossierMention{Place: place, Text: m.Text, Start: m.Start, End: m.End, Sentence: m.Sentence})
			}
		}
	}
	for _, c := range a.Comments {
		if c.Region == e.Region {
			addMentions(MentionPlace{Source: PlaceComment, Region: c.Region, Alliance: c.Alliance, Strand: c.Strand, Kind: c.Kind,
				Heading: c.Heading, Respondent: c.Respondent}, c.Text)
		}
	}
	for _, s := range a.Summaries {
		if s.Region == e.Region {
			for i, p := range s.Paragraphs {
				addMentions(MentionPlace{Source: PlaceSummary, Region: s.Region, Alliance: s.Alliance, Heading: s.Title, Paragraph: i + 1}, p)
			}
		}
	}
	for _, m := range a.Pathways {
		if m.Region != e.Region {
			continue
		}
		for i, o := range m.Organisations {
			addMentions(MentionPlace{Source: PlaceMatrix, Region: m.Region, Alliance: m.Alliance, Strand: m.Strand, Kind: m.Kind,
				Heading: m.Title, Pathway: i + 1}, o)
		}
		for _, row := range m.Rows {
			if !is(m.Region, row.Establishment) && (row.Normalised == "" || !is(m.Region, row.Normalised)) {
				continue
			}
			dr := DossierMatrixRow{Section: m.Section, Title: m.Title, Establishment: row.Establishment}
			for i := range row.Marks {
				dr.Pathways = append(dr.Pathways, DossierPathway{Number: i + 1, Name: PathwayName(i + 1), NameInferred: true,
					Marked: row.Marks[i], Organisations: m.Organisations[i]})
			}
			d.Matrix = append(d.Matrix, dr)
		}
	}
	d.Alliances = dossierAlliances(a, reg, e, d.Returns)
	return d, nil
}

func orderOf(q *Question) int {
	if q == nil {
		return 0
	}
	return q.Order
}

// dossierAlliances says, per alliance and strand of the entry's region in
// source order, whether it returned and who speaks for it where it did not.
func dossierAlliances(a *Audit, reg *NameRegister, e *NameEntry, own []DossierReturn) []DossierAlliance {
	type key struct {
		a Alliance
		s Strand
	}
	var order []key
	byKey := map[key]*DossierAlliance{}
	for _, q := range a.Questions {
		k := key{q.Alliance, q.Strand}
		if q.Region == e.Region && byKey[k] == nil {
			order = append(order, k)
			byKey[k] = &DossierAlliance{Alliance: q.Alliance, Strand: q.Strand}
		}
	}
	for _, r := range own {
		da := byKey[key{r.Alliance, r.Strand}]
		if da == nil {
			continue
		}
		switch r.Status {
		case StatusAnswered:
			da.Answered++
		case StatusNotAnswered:
			da.NotAnswered++
		case StatusNoReturn:
			da.NoReturn++
		}
	}
	questions := map[string]*Question{}
	for i := range a.Questions {
		if a.Questions[i].Region == e.Region {
			questions[a.Questions[i].ID] = &a.Questions[i]
		}
	}
	rk := e.Kind.RespondentKind()
	for _, k := range order {
		da := byKey[k]
		switch {
		case da.Answered+da.NotAnswered > 0:
			da.Status = DossierReturned
		case da.NoReturn > 0:
			da.Status = DossierNoReturn
		default:
			da.Status = DossierNone
			if rk == "" {
				break
			}
			seen := map[string]bool{}
			for i := range a.Returns {
				r := &a.Returns[i]
				if r.Region != e.Region || r.Alliance != k.a || r.Strand != k.s || reg.ForRespondent(r.Region, r.Respondent) != nil {
					continue
				}
				if ReachesKind(r, questions[r.QuestionID], rk) {
					label := r.Respondent + " · " + string(r.Kind)
					if !seen[label] {
						seen[label] = true
						da.Through = append(da.Through, label)
					}
				}
			}
		}
	}
	out := make([]DossierAlliance, 0, len(order))
	for _, k := range order {
		out = append(out, *byKey[k])
	}
	return out
}

// mdEscape makes source text safe inside Markdown: terminal controls are
// removed and the characters Markdown would read as markup are escaped.
func mdEscape(s string, keepNewlines bool) string {
	s = Sanitize(s, keepNewlines)
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '#':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// quoteBlock writes text as a Markdown block quote indented by indent.
func quoteBlock(b *strings.Builder, indent, text string) {
	for _, line := range strings.Split(mdEscape(text, true), "\n") {
		if line == "" {
			fmt.Fprintf(b, "%s>\n", indent)
		} else {
			fmt.Fprintf(b, "%s> %s\n", indent, line)
		}
	}
}

// statusLabel reads a status as a reviewer would.
func statusLabel(s ReturnStatus) string {
	switch s {
	case StatusAnswered:
		return "answered"
	case StatusNotAnswered:
		return "not answered"
	case StatusNoReturn:
		return "no return"
	}
	return string(s)
}

// Markdown renders the dossier for reading or printing.
func (d Dossier) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Dossier: %s\n\n", mdEscape(d.Name, false))
	fmt.Fprintf(&b, "%s, %s.", mdEscape(string(d.Kind), false), mdEscape(d.Region, false))
	if len(d.Variants) > 0 {
		var vs []string
		for _, v := range d.Variants {
			vs = append(vs, "“"+mdEscape(v, false)+"”")
		}
		fmt.Fprintf(&b, " The source also writes %s.", strings.Join(vs, ", "))
	}
	b.WriteString("\n\n## Returns by alliance\n\n")
	b.WriteString("| Alliance | Returns | Answered | Not answered | No return |\n|---|---|---:|---:|---:|\n")
	for _, al := range d.Alliances {
		status := "returned"
		switch al.Status {
		case DossierNoReturn:
			status = "**no return**"
		case DossierNone:
			status = "none of its own"
			if len(al.Through) > 0 {
				var th []string
				for _, t := range al.Through {
					th = append(th, mdEscape(t, false))
				}
				status += "; answered for by " + strings.Join(th, ", ")
			}
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %d | %d |\n", mdEscape(al.Name(), false), status, al.Answered, al.NotAnswered, al.NoReturn)
	}
	fmt.Fprintf(&b, "\n## Returns (%d)\n", len(d.Returns))
	if len(d.Returns) == 0 {
		b.WriteString("\nNone of its own.\n")
	}
	var last Section
	for i, r := range d.Returns {
		if i == 0 || r.Section != last {
			fmt.Fprintf(&b, "\n### %s\n\n", mdEscape(r.Section.Name(), false))
			last = r.Section
		}
		rating := r.Rating.Label()
		if r.GoodPractice {
			rating += " · good practice"
		}
		fmt.Fprintf(&b, "%d. **%s** (%s) — %s · %s\n", r.Order, mdEscape(r.Question, false), mdEscape(r.QuestionID, false), statusLabel(r.Status), rating)
		if r.Answer != "" {
			quoteBlock(&b, "   ", r.Answer)
		}
		if r.Comment != "" {
			fmt.Fprintf(&b, "   Reviewer's comment: %s\n", mdEscape(r.Comment, false))
		}
	}
	fmt.Fprintf(&b, "\n## Mentions (%d)\n\n", len(d.Mentions))
	if len(d.Mentions) == 0 {
		b.WriteString("No other return, comment or summary names it.\n")
	}
	for _, m := range d.Mentions {
		if m.Inferred {
			fmt.Fprintf(&b, "- *Inferred* — %s:\n", mdEscape(m.Place.String(), false))
		} else {
			fmt.Fprintf(&b, "- %s, as “%s”:\n", mdEscape(m.Place.String(), false), mdEscape(m.Text, false))
		}
		quoteBlock(&b, "  ", m.Sentence)
		if m.Inferred {
			fmt.Fprintf(&b, "  Why: %s\n", mdEscape(m.Because, false))
		}
	}
	b.WriteString("\n## Pathway matrix\n\n")
	if len(d.Matrix) == 0 {
		b.WriteString("No row of its own in any pathway matrix.\n")
	}
	for _, row := range d.Matrix {
		fmt.Fprintf(&b, "%s (%s), row “%s”:\n\n", mdEscape(row.Title, false), mdEscape(row.Section.Name(), false), mdEscape(row.Establishment, false))
		b.WriteString("| Pathway | Name (inferred) | Marked | Organisations named for the pathway |\n|---:|---|:-:|---|\n")
		for _, p := range row.Pathways {
			mark := ""
			if p.Marked {
				mark = "X"
			}
			fmt.Fprintf(&b, "| %d | %s | %s | %s |\n", p.Number, p.Name, mark, mdEscape(p.Organisations, false))
		}
		b.WriteString("\n")
	}
	if len(d.Matrix) > 0 {
		fmt.Fprintf(&b, "%s\n", d.PathwayNamesNote)
	}
	return b.String()
}
