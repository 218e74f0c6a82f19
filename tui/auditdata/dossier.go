package auditdata

import (
	"errors"
	"fmt"
	"strings"

	"charter/model"
	"charter/tui/common"
)

// DossierLines draws a dossier (model.BuildDossier) as lines w wide: who it
// is and how the source spells it, whether it returned in each alliance,
// its own returns with status and rating, every mention with its sentence
// and where it is, and its pathway-matrix rows with the pathways' names
// (marked as inferred). Every text is neutralised here.
func DossierLines(st *common.Styles, d model.Dossier, w int) []string {
	line := model.SanitizeLine
	var out []string
	add := func(style func(...string) string, s string) { out = append(out, style(common.Truncate(s, w))) }
	wrap := func(style func(...string) string, indent, s string) {
		for _, l := range common.WrapLines(s, max(w-len(indent), 10)) {
			out = append(out, indent+style(l))
		}
	}
	plain := func(s ...string) string { return strings.Join(s, "") }
	add(st.Title.Render, "Dossier: "+line(d.Name))
	add(st.Subtle.Render, line(string(d.Kind))+" · "+line(d.Region))
	if len(d.Variants) > 0 {
		vs := make([]string, len(d.Variants))
		for i, v := range d.Variants {
			vs[i] = "“" + line(v) + "”"
		}
		wrap(st.Subtle.Render, "", "The source also writes: "+strings.Join(vs, ", "))
	}

	out = append(out, "")
	add(st.Bold.Render, "Returns by alliance")
	for _, a := range d.Alliances {
		s := "  " + line(a.Name()) + ": "
		switch a.Status {
		case model.DossierReturned:
			s += fmt.Sprintf("returned — %d answered, %d not answered", a.Answered, a.NotAnswered)
			if a.NoReturn > 0 {
				s += fmt.Sprintf(", %d no return", a.NoReturn)
			}
		case model.DossierNoReturn:
			s += "NO RETURN — listed, sent nothing"
		default:
			s += "no returns of its own"
			if len(a.Through) > 0 {
				th := make([]string, len(a.Through))
				for i, x := range a.Through {
					th[i] = line(x)
				}
				s += "; answered for by " + strings.Join(th, ", ")
			}
		}
		wrap(plain, "", s)
	}

	out = append(out, "")
	add(st.Bold.Render, fmt.Sprintf("Its returns (%d)", len(d.Returns)))
	if len(d.Returns) == 0 {
		add(st.Muted.Render, "  none of its own")
	}
	for _, r := range d.Returns {
		head := fmt.Sprintf("  %s · Q%d %s — %s", line(AllianceGroup(r.Section)), r.Order, line(r.Question), statusWord(r.Status))
		if r.Rating != model.RatingNone {
			head += " [" + r.Rating.Label() + "]"
		}
		if r.GoodPractice {
			head += " ★ good practice"
		}
		wrap(st.Bold.Render, "", head)
		switch r.Status {
		case model.StatusNoReturn:
			wrap(st.ReturnStyle(r.Status).Render, "      ", "(no return: sent nothing)")
		case model.StatusNotAnswered:
			wrap(st.ReturnStyle(r.Status).Render, "      ", "(not answered — the source says “"+model.Sanitize(r.Answer, true)+"”)")
		default:
			wrap(st.ReturnStyle(r.Status).Render, "      ", model.Sanitize(r.Answer, true))
		}
		if r.Comment != "" {
			wrap(st.Muted.Render, "      ", "comment: "+model.Sanitize(r.Comment, true))
		}
	}

	out = append(out, "")
	add(st.Bold.Render, fmt.Sprintf("Mentions elsewhere (%d)", len(d.Mentions)))
	if len(d.Mentions) == 0 {
		add(st.Muted.Render, "  no other respondent, comment or summary names it")
	}
	for _, m := range d.Mentions {
		wrap(st.Subtle.Render, "  ", line(m.Place.String()))
		wrap(plain, "      ", "“"+line(m.Sentence)+"”")
		if m.Inferred {
			wrap(st.Muted.Render, "      ", "inferred, not named: "+line(m.Because))
		}
	}

	out = append(out, "")
	add(st.Bold.Render, "Pathway matrix")
	if len(d.Matrix) == 0 {
		add(st.Muted.Render, "  no row of its own")
	}
	for _, row := range d.Matrix {
		wrap(st.Subtle.Render, "  ", line(row.Title)+" · row “"+line(row.Establishment)+"”")
		for _, p := range row.Pathways {
			mark := "·"
			if p.Marked {
				mark = "✓"
			}
			name := line(p.Name)
			if p.NameInferred {
				name += "*"
			}
			wrap(plain, "    ", fmt.Sprintf("%s %d %s", mark, p.Number, name))
		}
	}
	if len(d.Matrix) > 0 {
		wrap(st.Muted.Render, "  ", "* "+line(d.PathwayNamesNote))
	}
	return out
}

// UnknownNameLines says a name is not in the register and offers the
// nearest names, w wide.
func UnknownNameLines(st *common.Styles, name string, err error, w int) []string {
	out := []string{st.Title.Render(common.Truncate("Dossier: "+model.SanitizeLine(name), w))}
	var un *model.UnknownNameError
	if !errors.As(err, &un) {
		for _, l := range common.WrapLines("No dossier: "+model.SanitizeLine(err.Error()), w) {
			out = append(out, st.Error.Render(l))
		}
		return out
	}
	for _, l := range common.WrapLines("No establishment, area or organisation of the names register is called “"+model.SanitizeLine(name)+"”.", w) {
		out = append(out, st.Warning.Render(l))
	}
	if len(un.Suggestions) == 0 {
		return append(out, st.Muted.Render("No name is near it."))
	}
	out = append(out, "", "The nearest names:")
	for _, s := range un.Suggestions {
		out = append(out, "  "+common.Truncate(model.SanitizeLine(s), w-2))
	}
	return out
}

func statusWord(s model.ReturnStatus) string {
	return StatusWord(&model.Return{Status: s})
}
