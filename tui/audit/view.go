package audit

import (
	"strings"

	"charter/model"
	"charter/tui/auditdata"
	"charter/tui/common"
)

func qkeyOf(k model.ReturnKey) string { return auditdata.QKey(k.Region, k.QuestionID) }

// View draws the title, the filter bar, the pane on top and the comment
// editor. It only reads.
func (s *Screen) View() string {
	st := s.st
	if s.data == nil {
		return common.FitHeight(st.Muted.Render("Loading the audit…"), s.height, s.width)
	}
	sec, ok := s.section()
	if !ok {
		return common.FitHeight(st.Muted.Render("No audit data. Import returns with: charter import returns FILE.csv"), s.height, s.width)
	}
	title := common.Truncate(st.Title.Render(auditdata.SectionTitle(sec))+st.Subtle.Render("   a alliance · t kind · [ ] section"), s.width)
	if s.filter.Focused() && s.filter.Err() != "" {
		title = s.filter.ErrorView(s.width)
	}
	h := s.bodyHeight()
	var body string
	switch s.top() {
	case paneQuestions:
		body = s.questions.View(h)
	case paneReader:
		body = s.reader.View(h)
	case paneResults:
		body = s.results.View(h)
	case paneGood:
		body = s.good.View(h)
	case paneComments:
		body = s.comments.View(auditdata.SectionTitle(sec), h)
	case paneHistory:
		body = s.history.View(h)
	case paneDossier:
		body = s.dossier.View(h)
	}
	out := []string{title, s.filter.View(s.width), body}
	if s.editor.open {
		out = append(out, s.editor.View(s.width))
	}
	return strings.Join(out, "\n")
}
