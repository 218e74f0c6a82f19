package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"charter/model"
)

// App is the root model: it owns the three tabs, the header, the status
// bar and the help overlay, and routes messages to the screens.
type App struct {
	opts    *Options
	st      *Styles
	keys    globalKeys
	help    help.Model
	sig     *signatoriesScreen
	screens []screen
	titles  []string
	active  int

	width, height int
	status        statusMsg
	showHelp      bool

	events <-chan model.Event
	unsub  func()

	// logWrite, if set (by the SSH server), records this session's writes.
	logWrite func(what string, kv ...any)
}

// New builds the root model. If o.Events is set it subscribes at once, so
// no change is missed between start and first frame; Close ends that.
func New(o Options) *App {
	opts := &o
	if opts.Reviewer == "" {
		opts.Reviewer = "unknown"
	}
	st := NewStyles(true)
	a := &App{opts: opts, st: st, keys: newGlobalKeys(), help: help.New(), width: 80, height: 24}
	a.help.Styles = help.DefaultStyles(true)
	a.sig = newSignatoriesScreen(opts, st)
	a.screens = []screen{a.sig, newAuditScreen(opts, st), newCoverageScreen(opts, st)}
	a.titles = []string{"1 Signatories", "2 Audit", "3 Coverage"}
	if opts.Events != nil {
		a.events, a.unsub = opts.Events.Subscribe()
	}
	a.resize()
	return a
}

// Close ends the event subscription. Safe to call more than once.
func (a *App) Close() {
	if a.unsub != nil {
		a.unsub()
		a.unsub = nil
	}
}

// Init starts every screen's first load.
func (a *App) Init() tea.Cmd {
	cmds := []tea.Cmd{tea.RequestBackgroundColor, a.waitEvent()}
	for _, s := range a.screens {
		cmds = append(cmds, s.Init())
	}
	return tea.Batch(cmds...)
}

func (a *App) waitEvent() tea.Cmd {
	ch := a.events
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		ev, ok := <-ch
		if !ok {
			return nil
		}
		return changedMsg{ev}
	}
}

// Update routes a message.
func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if a.logWrite != nil {
		switch m := msg.(type) {
		case savedMsg:
			a.logWrite("write: signatory saved", "id", m.s.ID, "version", m.s.Version, "tier", m.s.Tier().String())
		case annotatedMsg:
			a.logWrite("write: return annotated", "return", m.key.String(), "version", m.ann.Version)
		}
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.width, a.height = msg.Width, msg.Height
		a.resize()
		return a, nil
	case tea.BackgroundColorMsg:
		a.st = NewStyles(msg.IsDark())
		a.help.Styles = help.DefaultStyles(msg.IsDark())
		for _, s := range a.screens {
			s.SetStyles(a.st)
		}
		return a, nil
	case statusMsg:
		a.status = msg
		return a, nil
	case NoticeMsg:
		a.status = statusMsg{text: model.SanitizeLine(msg.Text), err: true}
		return a, nil
	case changedMsg:
		cmds := []tea.Cmd{a.waitEvent()}
		for _, s := range a.screens {
			cmds = append(cmds, s.Update(msg))
		}
		return a, tea.Batch(cmds...)
	case tea.KeyPressMsg:
		return a, a.key(msg)
	case tea.PasteMsg:
		if a.showHelp {
			return a, nil
		}
		return a, a.screens[a.active].Update(msg)
	}
	// Anything else (loads, saves, cursor blinks) goes to every screen:
	// each ignores what is not its own.
	var cmds []tea.Cmd
	for _, s := range a.screens {
		cmds = append(cmds, s.Update(msg))
	}
	return a, tea.Batch(cmds...)
}

func (a *App) key(msg tea.KeyPressMsg) tea.Cmd {
	k := msg.String()
	if k == "ctrl+c" {
		a.Close()
		return tea.Quit
	}
	if a.showHelp {
		if k == "?" || k == "esc" || k == "q" || k == "enter" {
			a.showHelp = false
		}
		return nil
	}
	cur := a.screens[a.active]
	if !cur.Capturing() {
		switch {
		case matches(k, a.keys.Quit):
			a.Close()
			return tea.Quit
		case matches(k, a.keys.Help):
			a.showHelp = true
			return nil
		case matches(k, a.keys.NextTab):
			a.active = (a.active + 1) % len(a.screens)
			return nil
		case matches(k, a.keys.PrevTab):
			a.active = (a.active + len(a.screens) - 1) % len(a.screens)
			return nil
		case matches(k, a.keys.Tab1):
			a.active = 0
			return nil
		case matches(k, a.keys.Tab2):
			a.active = 1
			return nil
		case matches(k, a.keys.Tab3):
			a.active = 2
			return nil
		}
	}
	return cur.Update(msg)
}

// bodyHeight is what is left for a screen: the header, the key hints and
// the status bar take a line each.
func (a *App) bodyHeight() int { return max(a.height-3, 3) }

func (a *App) resize() {
	a.help.SetWidth(a.width)
	for _, s := range a.screens {
		s.SetSize(a.width, a.bodyHeight())
	}
}

// View draws the frame.
func (a *App) View() tea.View {
	var b strings.Builder
	b.WriteString(a.header())
	b.WriteByte('\n')
	body := a.screens[a.active].View()
	if a.showHelp {
		body = a.helpOverlay()
	}
	b.WriteString(fitHeight(body, a.bodyHeight(), a.width))
	b.WriteByte('\n')
	b.WriteString(ansi.Truncate(a.help.ShortHelpView(a.shortHelp()), a.width, "…"))
	b.WriteByte('\n')
	b.WriteString(a.statusBar())
	v := tea.NewView(b.String())
	v.AltScreen = true
	v.WindowTitle = "charter"
	return v
}

func (a *App) shortHelp() []key.Binding {
	bs := append([]key.Binding{}, a.screens[a.active].Keys().ShortHelp()...)
	if !a.screens[a.active].Capturing() {
		bs = append(bs, a.keys.ShortHelp()...)
	}
	return bs
}

func (a *App) header() string {
	var tabs []string
	for i, t := range a.titles {
		if i == a.active {
			tabs = append(tabs, a.st.ActiveTab.Render(t))
		} else {
			tabs = append(tabs, a.st.Tab.Render(t))
		}
	}
	left := a.st.Title.Render("charter") + " " + strings.Join(tabs, "")
	who := "reviewer: " + model.SanitizeLine(a.opts.Reviewer)
	if a.opts.ReadOnly {
		who += " (read-only)"
	}
	right := a.st.Subtle.Render(who)
	gap := a.width - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		return ansi.Truncate(left+" "+right, a.width, "…")
	}
	return left + strings.Repeat(" ", gap) + right
}

// statusBar shows the last message first (it is what the reviewer just
// did), then the record counts and the filter, then the database path if
// there is room.
func (a *App) statusBar() string {
	style := a.st.StatusBar
	var parts []string
	if msg := a.status.text; msg != "" {
		if a.status.err {
			style = a.st.StatusError
			msg = "error: " + msg
		}
		parts = append(parts, model.SanitizeLine(msg))
	}
	parts = append(parts, a.sig.statusSummary())
	line := " " + strings.Join(parts, " │ ")
	path := model.SanitizeLine(a.opts.DBPath)
	if path != "" && lipgloss.Width(line)+lipgloss.Width(path)+3 < a.width {
		line += strings.Repeat(" ", a.width-lipgloss.Width(line)-lipgloss.Width(path)-1) + path + " "
	}
	line = ansi.Truncate(line, a.width, "…")
	if pad := a.width - lipgloss.Width(line); pad > 0 {
		line += strings.Repeat(" ", pad)
	}
	return style.Render(line)
}

func (a *App) helpOverlay() string {
	h := a.help
	h.ShowAll = true
	var b strings.Builder
	b.WriteString(a.st.Title.Render("Keys — "+a.titles[a.active][2:]) + "\n")
	b.WriteString(h.FullHelpView(a.screens[a.active].Keys().FullHelp()))
	b.WriteString("\n\n" + a.st.Title.Render("Everywhere (outside text fields)") + "\n")
	b.WriteString(h.FullHelpView(a.keys.FullHelp()))
	b.WriteString("\n\n" + a.st.Muted.Render("Filter: words match anywhere; key:value narrows — "+
		"region: area: tier: sector: status: (signatories), alliance: kind: prison: respondent: rating: status: (audit). "+
		`Quote values with spaces: region:"west midlands".`) + "\n" + a.st.Key.Render("? or esc closes this help"))
	return a.st.Overlay.Width(a.width - 2).Render(wrap(b.String(), a.width-6))
}

// fitHeight pads or cuts s to exactly h lines, each at most w wide.
func fitHeight(s string, h, w int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		if lipgloss.Width(l) > w {
			lines[i] = ansi.Truncate(l, w, "…")
		}
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// wrap wraps text to width by words, keeping existing line breaks.
func wrap(s string, width int) string {
	if width < 10 {
		width = 10
	}
	return ansi.Wrap(s, width, "")
}

// plural formats a count with its noun.
func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
