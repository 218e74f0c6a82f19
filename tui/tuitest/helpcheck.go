package tuitest

import (
	"testing"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"charter/tui/common"
)

// Component is a screen or part of one whose help can be checked.
type Component interface {
	Update(tea.Msg) tea.Cmd
	View() string
	Keys() help.KeyMap
}

// KeyUniverse is every key a reviewer is likely to press: letters, digits,
// punctuation, named keys and the usual control chords.
func KeyUniverse() []string {
	var ks []string
	for r := 'a'; r <= 'z'; r++ {
		ks = append(ks, string(r), string(r-'a'+'A'), "ctrl+"+string(r))
	}
	for r := '0'; r <= '9'; r++ {
		ks = append(ks, string(r))
	}
	for _, r := range "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~" {
		ks = append(ks, string(r))
	}
	return append(ks, "enter", "esc", "tab", "shift+tab", "space", "up", "down", "left", "right",
		"pgup", "pgdown", "home", "end", "backspace", "delete")
}

// HelpCheck says how to check one state of a component.
type HelpCheck struct {
	// Build makes a fresh component in the state to check; it is called
	// once per key, so a key's effect never leaks into the next.
	Build func() Component
	// Skip are keys the root handles before the component sees them
	// (tab, q, 1 2 3, ?, ctrl+c) or that the test exempts with a reason.
	Skip []string
	// Idle are keys in help that may do nothing in this state (moving up
	// at the top of a list).
	Idle []string
	// Typing is set for states where a text field has focus: keys outside
	// help go to the field, so only help keys are checked.
	Typing bool
}

// CheckHelp fails if a key shown in help does nothing in this state, or a
// key not shown in help does something (changes the view or returns a
// command).
func CheckHelp(t *testing.T, name string, c HelpCheck) {
	t.Helper()
	skip := map[string]bool{}
	for _, k := range c.Skip {
		skip[k] = true
	}
	idle := map[string]bool{}
	for _, k := range c.Idle {
		idle[k] = true
	}
	shown := common.AllBindings(c.Build().Keys())
	inHelp := func(msg tea.KeyPressMsg) bool {
		for _, b := range shown {
			if key.Matches(msg, b) {
				return true
			}
		}
		return false
	}
	// Every key of every binding shown must act.
	for _, b := range shown {
		for _, k := range b.Keys() {
			if skip[k] || idle[k] {
				continue
			}
			comp := c.Build()
			before := comp.View()
			cmd := comp.Update(common.Press(k))
			if cmd == nil && comp.View() == before {
				t.Errorf("%s: key %q is in help (%q) but does nothing", name, k, b.Help().Desc)
			}
		}
	}
	if c.Typing {
		return
	}
	for _, k := range KeyUniverse() {
		msg := common.Press(k)
		if skip[k] || skip[msg.String()] || inHelp(msg) {
			continue
		}
		comp := c.Build()
		before := comp.View()
		cmd := comp.Update(msg)
		if cmd != nil || comp.View() != before {
			t.Errorf("%s: key %q is not in help but does something", name, k)
		}
	}
}

// RootKeys are the keys the root handles outside text fields.
var RootKeys = []string{"tab", "shift+tab", "1", "2", "3", "?", "q", "ctrl+c"}
