package tui

import (
	"time"

	"github.com/charmbracelet/x/ansi"
)

func displayWidth(s string) int { return ansi.StringWidth(s) }

func truncate(s string, w int) string { return ansi.Truncate(s, w, "…") }

func dateOnly(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func ansiStrip(s string) string { return ansi.Strip(s) }

// ansiCut cuts s to w cells without a tail mark (for an input's padding).
func ansiCut(s string, w int) string { return ansi.Truncate(s, w, "") }
