package auditdata

import (
	"strings"

	"charter/model"
)

// This file is where the audit's text becomes view text: every answer,
// title, prompt, benchmark, comment, region, question id and respondent
// name a screen draws is neutralised here, once, when the audit is
// indexed (or an annotation is replaced). Screens draw these fields and
// never the raw records' text; the raw records stay beside them for
// filtering and for addressing writes.

// ReturnText is one return as the screens draw it.
type ReturnText struct {
	Ret   *model.Return   // the record as stored
	Key   model.ReturnKey // raw: what an annotation is written to
	Index int             // position in Audit.Returns

	Region     string // one line
	QuestionID string // one line
	Respondent string // one line, with the corrected spelling if any: "Hewll Grange (Hewell Grange)"
	Name       string // one line, as the source spells it
	Section    string // alliance (and strand) · kind, one line
	Short      string // the section in a list's narrow column: "Civic · Prison", "VCS · Probation"
	Answer     string // newlines kept
	Note       Note
}

// Note is a return's annotation text as drawn.
type Note struct {
	Comment string // newlines kept
	By      string // one line
}

// QuestionText is a question as drawn.
type QuestionText struct {
	Q     *model.Question
	ID    string // one line
	Title string // one line
	// Heading is how a list names the question: its title, or for the
	// prisons and probation parts of a combined assessment (whose titles
	// are the part's sub-heading) the part and the question asked.
	Heading        string // one line
	Prompt         string // newlines kept
	BenchmarkLabel string // one line; "BENCHMARK" when the source names none
	Benchmark      string // newlines kept
}

// CommentText is a regional comment as drawn.
type CommentText struct {
	Heading    string // one line
	Respondent string // one line
	Text       string // newlines kept
}

// ChangeText is one entry of a return's annotation history as drawn.
type ChangeText struct {
	Version uint64
	At      string // local time, minutes
	By      string
	Field   string
	Old     string // "∅" when empty
	New     string
}

func returnText(r *model.Return, i int, resp *model.Respondent, q *model.Question) *ReturnText {
	name := model.SanitizeLine(r.Respondent)
	shown := name
	if resp != nil && resp.Normalised != "" {
		shown += " (" + model.SanitizeLine(resp.Normalised) + ")"
	}
	return &ReturnText{
		Ret: r, Key: r.Key(), Index: i,
		Region:     model.SanitizeLine(r.Region),
		QuestionID: model.SanitizeLine(r.QuestionID),
		Respondent: shown,
		Name:       name,
		Section:    model.SanitizeLine(AllianceGroup(r.Section) + " · " + string(r.Kind)),
		Short:      ShortSection(r.Section),
		Answer:     model.Sanitize(r.Answer, true),
		Note:       NoteOf(r.Annotation),
	}
}

// ShortSection names a section in few words: the strand, or the
// alliance's first word, then the kind ("combined" for a combined
// assessment), neutralised.
func ShortSection(s model.Section) string {
	a := string(s.Strand)
	if s.Strand == model.StrandNone {
		a = string(s.Alliance)
		if f := strings.Fields(a); len(f) > 0 {
			a = f[0]
		}
	}
	k := string(s.Kind)
	if s.Kind == model.KindCombined {
		k = "combined"
	}
	return model.SanitizeLine(a + " · " + k)
}

// NoteOf is an annotation's text as drawn.
func NoteOf(a model.Annotation) Note {
	return Note{Comment: model.Sanitize(a.Comment, true), By: model.SanitizeLine(a.By)}
}

func questionText(q *model.Question) *QuestionText {
	label := model.SanitizeLine(q.BenchmarkLabel)
	if label == "" {
		label = "BENCHMARK"
	}
	title := model.SanitizeLine(q.Title)
	heading := title
	if q.Group == model.GroupPrisons || q.Group == model.GroupProbation {
		asked := strings.TrimSpace(strings.SplitN(strings.TrimSpace(q.Prompt), "\n", 2)[0])
		if asked == "" {
			asked = title
		}
		heading = q.Group.Label() + " · " + model.SanitizeLine(asked)
	}
	return &QuestionText{
		Q:              q,
		ID:             model.SanitizeLine(q.ID),
		Title:          title,
		Heading:        heading,
		Prompt:         model.Sanitize(q.Prompt, true),
		BenchmarkLabel: label,
		Benchmark:      model.Sanitize(q.Benchmark, true),
	}
}

func commentText(c *model.RegionalComment) *CommentText {
	return &CommentText{
		Heading:    model.SanitizeLine(c.Heading),
		Respondent: model.SanitizeLine(c.Respondent),
		Text:       model.Sanitize(c.Text, true),
	}
}

// SetAnnotation replaces a return's annotation (with what the store
// answered, or an edit shown before the store answers) and its text, and
// reports whether d holds that return.
func (d *Data) SetAnnotation(k model.ReturnKey, a model.Annotation) bool {
	t := d.Row[k]
	if t == nil {
		return false
	}
	t.Ret.Annotation = a
	t.Note = NoteOf(a)
	return true
}

// HistoryText turns a return's annotation history into lines' text,
// newest first.
func HistoryText(cs []model.AnnotationChange) []ChangeText {
	out := make([]ChangeText, 0, len(cs))
	for i := len(cs) - 1; i >= 0; i-- {
		c := cs[i]
		out = append(out, ChangeText{
			Version: c.Version,
			At:      c.At.Local().Format("2006-01-02 15:04"),
			By:      model.SanitizeLine(c.By),
			Field:   model.SanitizeLine(c.Field),
			Old:     shown(c.Old),
			New:     shown(c.New),
		})
	}
	return out
}

func shown(v string) string {
	if v == "" {
		return "∅"
	}
	return model.SanitizeLine(v)
}
