package common

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// Width is the number of terminal cells s takes.
func Width(s string) int { return ansi.StringWidth(s) }

// Truncate cuts s (which may hold styling) to w cells, marking the cut.
func Truncate(s string, w int) string { return ansi.Truncate(s, w, "…") }

// Cut cuts s to w cells without a mark (for an input's padding).
func Cut(s string, w int) string { return ansi.Truncate(s, w, "") }

// Strip removes styling.
func Strip(s string) string { return ansi.Strip(s) }

// Pad cuts or pads text to exactly w cells.
func Pad(text string, w int) string {
	tw := Width(text)
	if tw > w {
		return Truncate(text, w)
	}
	return text + strings.Repeat(" ", w-tw)
}

// Wrap wraps text to width by words, keeping existing line breaks.
func Wrap(s string, width int) string {
	if width < 10 {
		width = 10
	}
	return ansi.Wrap(s, width, "")
}

// WrapLines wraps text and splits it into lines.
func WrapLines(s string, width int) []string { return strings.Split(Wrap(s, width), "\n") }

// FitHeight pads or cuts s to exactly h lines, each at most w wide.
func FitHeight(s string, h, w int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		if Width(l) > w {
			lines[i] = Truncate(l, w)
		}
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// Plural formats a count with its noun: "1 match", "2 matches".
func Plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// DateOnly is t's calendar day at midnight UTC.
func DateOnly(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Clamp keeps v within [lo, hi]; an empty range gives lo.
func Clamp(v, lo, hi int) int {
	if hi < lo {
		return lo
	}
	return min(max(v, lo), hi)
}
