// Package tuitest drives charter's screens in tests the way the world does:
// command results can be held back and delivered after later keys, or out
// of order, so a test can prove that a late result lands with its owner or
// nowhere. It is imported only by tests.
package tuitest

import (
	"reflect"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"charter/tui/common"
)

// CmdTimeout is how long Run waits for one command; a command still
// running then (one that waits for events, say) is given up on.
var CmdTimeout = 2 * time.Second

var cmdType = reflect.TypeOf((*tea.Cmd)(nil)).Elem()

// Run runs cmd and every command it batches or sequences, and returns the
// messages they produce in a fixed order (batched commands in the order
// listed), so tests are repeatable.
func Run(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-done:
	case <-time.After(CmdTimeout):
		return nil
	}
	if msg == nil {
		return nil
	}
	if b, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range b {
			out = append(out, Run(c)...)
		}
		return out
	}
	// tea.Sequence's message type is unexported: a slice of commands.
	if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == cmdType {
		var out []tea.Msg
		for i := 0; i < v.Len(); i++ {
			c, _ := v.Index(i).Interface().(tea.Cmd)
			out = append(out, Run(c)...)
		}
		return out
	}
	return []tea.Msg{msg}
}

// Updater is a screen or component: it takes a message and may return a
// command. Use Model to adapt a tea.Model.
type Updater interface{ Update(tea.Msg) tea.Cmd }

// Model adapts a tea.Model (the root app) to an Updater.
type Model struct{ M tea.Model }

func (m *Model) Update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	m.M, cmd = m.M.Update(msg)
	return cmd
}

// Driver sends messages to a screen and keeps the results of its commands
// in a queue until the test delivers them. Hold decides which results wait
// (nil: none wait, every result is delivered at once, in order).
type Driver struct {
	U       Updater
	Hold    func(tea.Msg) bool
	held    []tea.Msg
	Skipped []tea.Msg // results dropped because they were Quit
	Quit    bool
}

// Send delivers msg and then every result that is not held, repeatedly,
// until nothing but held results remain.
func (d *Driver) Send(msg tea.Msg) {
	queue := []tea.Msg{msg}
	for n := 0; len(queue) > 0 && n < 10000; n++ {
		m := queue[0]
		queue = queue[1:]
		if _, ok := m.(tea.QuitMsg); ok {
			d.Quit = true
			continue
		}
		for _, r := range Run(d.U.Update(m)) {
			if d.Hold != nil && d.Hold(r) {
				d.held = append(d.held, r)
				continue
			}
			queue = append(queue, r)
		}
	}
}

// Keys sends key presses by name ("j", "enter", "ctrl+s", "space"); a name
// of one character or more that is not a key name is typed as text, one
// key per rune, when it is prefixed with "type:".
func (d *Driver) Keys(names ...string) {
	for _, n := range names {
		if t, ok := strings.CutPrefix(n, "type:"); ok {
			for _, r := range t {
				d.Send(common.Press(string(r)))
			}
			continue
		}
		d.Send(common.Press(n))
	}
}

// Held is the results waiting to be delivered.
func (d *Driver) Held() []tea.Msg { return d.held }

// Release delivers the held results for which pick is true (nil: all), in
// the order they were produced, and keeps the rest.
func (d *Driver) Release(pick func(tea.Msg) bool) {
	var now, keep []tea.Msg
	for _, m := range d.held {
		if pick == nil || pick(m) {
			now = append(now, m)
		} else {
			keep = append(keep, m)
		}
	}
	d.held = keep
	for _, m := range now {
		d.Send(m)
	}
}

// ReleaseReversed delivers every held result, newest first.
func (d *Driver) ReleaseReversed() {
	held := d.held
	d.held = nil
	for i := len(held) - 1; i >= 0; i-- {
		d.Send(held[i])
	}
}

// Of reports whether a message is of type T, for Hold and Release.
func Of[T any](m tea.Msg) bool { _, ok := m.(T); return ok }

// Plain is a rendered frame without styling and trailing spaces.
func Plain(s string) string {
	lines := strings.Split(ansi.Strip(s), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}
