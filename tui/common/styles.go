package common

import (
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	"image/color"

	"charm.land/lipgloss/v2"

	"charter/model"
)

// Styles holds every style the screens use, built from the terminal's
// background. Colour supports meaning but never carries it alone: tiers,
// statuses and ratings are also words, a missing vacancy statement also a
// mark. Under NO_COLOR the output profile drops the colours and the words,
// bold and reverse remain.
type Styles struct {
	Dark bool

	App       lipgloss.Style
	Header    lipgloss.Style
	Tab       lipgloss.Style
	ActiveTab lipgloss.Style
	Title     lipgloss.Style
	Subtle    lipgloss.Style
	Muted     lipgloss.Style
	Bold      lipgloss.Style
	Error     lipgloss.Style
	Warning   lipgloss.Style
	Success   lipgloss.Style
	Key       lipgloss.Style

	StatusBar   lipgloss.Style
	StatusError lipgloss.Style
	FilterBar   lipgloss.Style
	FilterError lipgloss.Style

	TableHeader lipgloss.Style
	Row         lipgloss.Style
	SelectedRow lipgloss.Style
	// Flagged marks rows that need attention (e.g. no vacancy statement).
	Flagged lipgloss.Style

	Box        lipgloss.Style
	FocusedBox lipgloss.Style
	Label      lipgloss.Style
	FocusLabel lipgloss.Style
	Benchmark  lipgloss.Style
	Answer     lipgloss.Style
	NotAnswer  lipgloss.Style
	NoReturn   lipgloss.Style
	GoodPract  lipgloss.Style
	Overlay    lipgloss.Style

	tier   [4]lipgloss.Style
	status map[model.ReviewStatus]lipgloss.Style
	rating map[model.Rating]lipgloss.Style
	ret    map[model.ReturnStatus]lipgloss.Style
}

// NewStyles builds the styles for a dark or light background.
func NewStyles(isDark bool) *Styles {
	ld := lipgloss.LightDark(isDark)
	c := func(light, dark string) color.Color { return ld(lipgloss.Color(light), lipgloss.Color(dark)) }

	fg := c("#1a1a1a", "#e6e6e6")
	subtle := c("#6b6b6b", "#9a9a9a")
	accent := c("#005f87", "#5fafd7")
	errc := c("#af0000", "#ff5f5f")
	warn := c("#875f00", "#ffaf00")
	ok := c("#005f00", "#87d787")
	selBg := c("#d0e4f5", "#264f78")
	border := c("#9e9e9e", "#5f5f5f")

	s := &Styles{Dark: isDark}
	s.App = lipgloss.NewStyle().Foreground(fg)
	s.Header = lipgloss.NewStyle().Bold(true)
	s.Tab = lipgloss.NewStyle().Padding(0, 1).Foreground(subtle)
	s.ActiveTab = lipgloss.NewStyle().Padding(0, 1).Bold(true).Reverse(true)
	s.Title = lipgloss.NewStyle().Bold(true).Foreground(accent)
	s.Subtle = lipgloss.NewStyle().Foreground(subtle)
	s.Muted = lipgloss.NewStyle().Foreground(subtle).Italic(true)
	s.Bold = lipgloss.NewStyle().Bold(true)
	s.Error = lipgloss.NewStyle().Foreground(errc).Bold(true)
	s.Warning = lipgloss.NewStyle().Foreground(warn).Bold(true)
	s.Success = lipgloss.NewStyle().Foreground(ok)
	s.Key = lipgloss.NewStyle().Bold(true).Foreground(accent)

	s.StatusBar = lipgloss.NewStyle().Reverse(true)
	s.StatusError = lipgloss.NewStyle().Reverse(true).Bold(true).Foreground(errc)
	s.FilterBar = lipgloss.NewStyle()
	s.FilterError = lipgloss.NewStyle().Foreground(errc)

	s.TableHeader = lipgloss.NewStyle().Bold(true).Underline(true)
	s.Row = lipgloss.NewStyle()
	// Reverse keeps the cursor visible with no colour at all.
	s.SelectedRow = lipgloss.NewStyle().Background(selBg).Bold(true)
	s.Flagged = lipgloss.NewStyle().Foreground(warn)

	s.Box = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(border).Padding(0, 1)
	s.FocusedBox = s.Box.BorderForeground(accent)
	s.Label = lipgloss.NewStyle().Foreground(subtle)
	s.FocusLabel = lipgloss.NewStyle().Foreground(accent).Bold(true)
	s.Benchmark = lipgloss.NewStyle().Foreground(accent)
	s.Answer = lipgloss.NewStyle()
	s.NotAnswer = lipgloss.NewStyle().Foreground(subtle).Italic(true)
	s.NoReturn = lipgloss.NewStyle().Foreground(errc).Italic(true)
	s.GoodPract = lipgloss.NewStyle().Foreground(ok).Bold(true)
	s.Overlay = lipgloss.NewStyle().Border(lipgloss.DoubleBorder()).BorderForeground(accent).Padding(0, 1)

	s.tier = [4]lipgloss.Style{
		lipgloss.NewStyle().Foreground(subtle),
		lipgloss.NewStyle().Foreground(c("#8a4b08", "#d7875f")).Bold(true),
		lipgloss.NewStyle().Foreground(c("#4e4e4e", "#d0d0d0")).Bold(true),
		lipgloss.NewStyle().Foreground(c("#7a6000", "#ffd700")).Bold(true),
	}
	s.status = map[model.ReviewStatus]lipgloss.Style{
		model.StatusPending:   lipgloss.NewStyle().Foreground(warn),
		model.StatusVerified:  lipgloss.NewStyle().Foreground(ok),
		model.StatusNeedsInfo: lipgloss.NewStyle().Foreground(errc),
	}
	s.rating = map[model.Rating]lipgloss.Style{
		model.RatingMeets:  lipgloss.NewStyle().Foreground(ok).Bold(true),
		model.RatingPartly: lipgloss.NewStyle().Foreground(warn).Bold(true),
		model.RatingNotMet: lipgloss.NewStyle().Foreground(errc).Bold(true),
		model.RatingNone:   lipgloss.NewStyle().Foreground(subtle),
	}
	s.ret = map[model.ReturnStatus]lipgloss.Style{
		model.StatusAnswered:    s.Answer,
		model.StatusNotAnswered: s.NotAnswer,
		model.StatusNoReturn:    s.NoReturn,
	}
	return s
}

// TierStyle colours a tier's word.
func (s *Styles) TierStyle(t model.Tier) lipgloss.Style {
	if int(t) < len(s.tier) {
		return s.tier[t]
	}
	return s.Subtle
}

// ReviewStyle colours a review status's word.
func (s *Styles) ReviewStyle(st model.ReviewStatus) lipgloss.Style { return s.status[st] }

// RatingStyle colours a rating's word.
func (s *Styles) RatingStyle(r model.Rating) lipgloss.Style { return s.rating[r] }

// ReturnStyle styles a return by its status, so not_answered and no_return
// rows look different from answers.
func (s *Styles) ReturnStyle(st model.ReturnStatus) lipgloss.Style { return s.ret[st] }

// InputStyles are the text inputs' styles. The cursor does not blink: a
// blinking cursor redraws the screen twice a second for nothing, which
// over SSH is traffic for every session.
func InputStyles(isDark bool) textinput.Styles {
	s := textinput.DefaultStyles(isDark)
	s.Cursor.Blink = false
	return s
}

// TextAreaStyles are the multi-line inputs' styles, with the same
// non-blinking cursor.
func TextAreaStyles(isDark bool) textarea.Styles {
	s := textarea.DefaultStyles(isDark)
	s.Cursor.Blink = false
	return s
}
