// Package tui is charter's terminal interface: the root model that owns the
// tabs, the header, the key hints, the status bar and the help overlay, and
// routes every message to its owner. The screens live in packages of their
// own (signatories, audit, coverage) over one shared package (common) and
// never import each other; the SSH server (package server) builds this
// root for each session. Nothing here touches the store directly: reads and
// writes go through the model's service interfaces.
package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"charter/model"
	"charter/tui/audit"
	"charter/tui/common"
	"charter/tui/coverage"
	"charter/tui/rowindex"
	"charter/tui/signatories"
)

// Options are everything the workbench needs from outside.
type Options = common.Options

// NoticeMsg is news from outside the screens, such as the SSH server saying
// that the session is about to end; the root shows it in the status bar.
type NoticeMsg struct{ Text string }

// Messages of the root's own event loop.
type (
	eventMsg struct {
		ev  model.Event
		sub int // the subscription it came through
	}
	// eventsClosedMsg says the subscription ended without us ending it:
	// the store closes a subscriber that falls behind.
	eventsClosedMsg struct{ sub int }
)

// App is the root model.
type App struct {
	opts    *Options
	st      *common.Styles
	keys    globalKeys
	help    help.Model
	screens []common.Screen
	titles  []string
	active  int

	width, height int
	status        common.StatusMsg
	showHelp      bool
	helpList      common.List // scrolls the help when it is taller than the screen
	confirmQuit   bool

	events  <-chan model.Event
	unsub   func()
	sub     int    // the subscription in force; events of older ones are dropped
	lastSeq uint64 // the last event's sequence number, to notice gaps
	heard   bool   // an event came through the subscription in force
}

// New builds the root model. If o.Events is set it subscribes at once, so
// no change is missed between start and first frame; Close ends that.
func New(o Options) *App {
	opts := &o
	if opts.Reviewer == "" {
		opts.Reviewer = "unknown"
	}
	st := common.NewStyles(true)
	a := &App{opts: opts, st: st, keys: newGlobalKeys(), help: help.New(), width: 80, height: 24}
	a.help.Styles = help.DefaultStyles(true)
	a.screens = []common.Screen{signatories.New(opts, st), audit.New(opts, st), coverage.New(opts, st)}
	a.titles = []string{"1 Signatories", "2 Audit", "3 Coverage"}
	a.subscribe()
	a.resize()
	return a
}

func (a *App) subscribe() {
	if a.opts.Events == nil {
		return
	}
	a.sub++
	a.heard = false
	a.events, a.unsub = a.opts.Events.Subscribe()
}

// Close ends the event subscription. Safe to call more than once.
func (a *App) Close() {
	if a.unsub != nil {
		a.unsub()
		a.unsub = nil
	}
	a.events = nil
}

// Init starts every screen's first load: the signatory table's at once,
// the others' once its rows are in (see afterRows).
func (a *App) Init() tea.Cmd {
	cmds := []tea.Cmd{tea.RequestBackgroundColor, a.waitEvent(), a.screens[0].Init()}
	var later []tea.Cmd
	for _, s := range a.screens[1:] {
		later = append(later, s.Init())
	}
	return tea.Batch(append(cmds, a.afterRows(tea.Batch(later...)))...)
}

// rowsWait bounds how long afterRows waits.
var rowsWait = time.Second

// afterRows runs cmd once every signatory row is in (or the load has
// failed, or rowsWait has passed). The table is the screen in sight at the
// start, and a query typed at once needs every row; reading and indexing
// the audit (some 30 ms of a processor the first time) beside the load
// would only delay both, while the audit tabs are not in sight yet.
func (a *App) afterRows(cmd tea.Cmd) tea.Cmd {
	sh := a.opts.SignatoryRows
	if sh == nil || cmd == nil {
		return cmd
	}
	return func() tea.Msg {
		sh.WaitUntil(func(s *rowindex.Snapshot) bool { return s.Loaded || s.Err != nil }, rowsWait)
		return cmd()
	}
}

func (a *App) waitEvent() tea.Cmd {
	ch, sub := a.events, a.sub
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		ev, ok := <-ch
		if !ok {
			return eventsClosedMsg{sub: sub}
		}
		return eventMsg{ev: ev, sub: sub}
	}
}

// screenOf finds the screen a routed message is addressed to.
func (a *App) screenOf(id common.ScreenID) common.Screen {
	i := int(id) - 1
	if i < 0 || i >= len(a.screens) {
		return nil
	}
	return a.screens[i]
}

func (a *App) broadcast(msg tea.Msg) tea.Cmd {
	cmds := make([]tea.Cmd, 0, len(a.screens))
	for _, s := range a.screens {
		cmds = append(cmds, s.Update(msg))
	}
	return tea.Batch(cmds...)
}

// Update routes a message: keys and paste to the active screen, results to
// the screen that asked for them, changes and sizes to every screen.
func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.width, a.height = msg.Width, msg.Height
		a.resize()
		return a, nil
	case tea.BackgroundColorMsg:
		a.st = common.NewStyles(msg.IsDark())
		a.help.Styles = help.DefaultStyles(msg.IsDark())
		for _, s := range a.screens {
			s.SetStyles(a.st)
		}
		return a, nil
	case common.StatusMsg:
		a.status = msg
		return a, nil
	case NoticeMsg:
		a.status = common.StatusMsg{Text: msg.Text, Err: true}
		return a, nil
	case eventMsg:
		if msg.sub != a.sub || a.events == nil {
			return a, nil // from a subscription we have left
		}
		if a.lastSeq != 0 && msg.ev.Seq != 0 && msg.ev.Seq != a.lastSeq+1 {
			// A gap: something was missed, whatever the store said.
			a.lastSeq = msg.ev.Seq
			return a, tea.Batch(a.waitEvent(), a.broadcast(common.ResyncMsg{}))
		}
		if msg.ev.Seq != 0 {
			a.lastSeq = msg.ev.Seq
		}
		a.heard = true
		return a, tea.Batch(a.waitEvent(), a.broadcast(common.ChangedMsg{Event: msg.ev}))
	case eventsClosedMsg:
		if msg.sub != a.sub || a.events == nil {
			return a, nil
		}
		if !a.heard {
			// Closed before a single event: the database is closing.
			a.Close()
			return a, common.Status("live updates have stopped: the database was closed", true)
		}
		// The store closed a subscriber that fell behind: subscribe
		// again, then have every screen re-read what it shows.
		if a.unsub != nil {
			a.unsub()
		}
		a.subscribe()
		a.lastSeq = 0
		return a, tea.Batch(a.waitEvent(), a.broadcast(common.ResyncMsg{}))
	case tea.KeyPressMsg:
		return a, a.key(msg)
	case tea.PasteMsg:
		if a.showHelp {
			return a, nil
		}
		return a, a.screens[a.active].Update(msg)
	case common.OpenReturnMsg, common.OpenDossierMsg:
		// Another tab asked the audit tab to show something: go there.
		a.active = int(common.ScreenAudit) - 1
		a.showHelp = false
		return a, a.screens[a.active].Update(msg)
	case common.Routed:
		if s := a.screenOf(msg.RouteTo()); s != nil {
			return a, s.Update(msg)
		}
		return a, nil
	}
	// Anything else is news for every screen (the audit data, which two
	// tabs share, or a bubbles component's own message).
	return a, a.broadcast(msg)
}

func (a *App) unsaved() bool {
	for _, s := range a.screens {
		if s.Unsaved() {
			return true
		}
	}
	return false
}

func (a *App) quit() tea.Cmd {
	a.Close()
	return tea.Quit
}

func (a *App) key(msg tea.KeyPressMsg) tea.Cmd {
	if a.confirmQuit {
		a.confirmQuit = false
		if key.Matches(msg, a.keys.ForceQ, a.keys.Confirm) {
			return a.quit()
		}
		return common.Status("still here: nothing was lost", false)
	}
	cur := a.screens[a.active]
	if key.Matches(msg, a.keys.ForceQ) || (!cur.Capturing() && !a.showHelp && key.Matches(msg, a.keys.Quit)) {
		if a.unsaved() {
			a.confirmQuit = true
			return common.Status("unsaved changes: press y or ctrl+c again to quit and lose them, any other key to go back", true)
		}
		return a.quit()
	}
	if a.showHelp {
		if key.Matches(msg, a.keys.Help, a.keys.CloseHelp) {
			a.showHelp = false
			return nil
		}
		a.sizeHelp()
		a.helpList.Step(msg, a.keys.Scroll)
		return nil
	}
	if !cur.Capturing() {
		switch {
		case key.Matches(msg, a.keys.Help):
			a.showHelp = true
			a.sizeHelp()
			a.helpList.SetCursor(0)
			return nil
		case key.Matches(msg, a.keys.NextTab):
			a.active = (a.active + 1) % len(a.screens)
			return nil
		case key.Matches(msg, a.keys.PrevTab):
			a.active = (a.active + len(a.screens) - 1) % len(a.screens)
			return nil
		case key.Matches(msg, a.keys.Tab1):
			a.active = 0
			return nil
		case key.Matches(msg, a.keys.Tab2):
			a.active = 1
			return nil
		case key.Matches(msg, a.keys.Tab3):
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
	if a.showHelp {
		a.sizeHelp()
	}
	for _, s := range a.screens {
		s.SetSize(a.width, a.bodyHeight())
	}
}

// View draws the frame. It changes nothing.
func (a *App) View() tea.View {
	var b strings.Builder
	b.WriteString(a.header())
	b.WriteByte('\n')
	body := ""
	if a.showHelp {
		body = a.helpWindow()
	} else {
		body = a.screens[a.active].View()
	}
	b.WriteString(common.FitHeight(body, a.bodyHeight(), a.width))
	b.WriteByte('\n')
	b.WriteString(common.Truncate(a.help.ShortHelpView(a.shortHelp()), a.width))
	b.WriteByte('\n')
	b.WriteString(a.statusBar())
	v := tea.NewView(b.String())
	v.AltScreen = true
	v.WindowTitle = "charter"
	return v
}

func (a *App) shortHelp() []key.Binding {
	if a.showHelp {
		return []key.Binding{a.keys.CloseHelp}
	}
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
		return common.Truncate(left+" "+right, a.width)
	}
	return left + strings.Repeat(" ", gap) + right
}

// summary is the active screen's line for the status bar, or the
// signatories' when the active screen has none.
func (a *App) summary() string {
	if s, ok := a.screens[a.active].(common.Summarizer); ok {
		if line := s.Summary(); line != "" {
			return line
		}
	}
	if s, ok := a.screens[0].(common.Summarizer); ok {
		return s.Summary()
	}
	return ""
}

// statusBar shows the last message first (it is what the reviewer just
// did), then the active screen's counts and filter, then the database path
// if there is room. Every piece of it is neutralised here.
func (a *App) statusBar() string {
	style := a.st.StatusBar
	var parts []string
	if msg := a.status.Text; msg != "" {
		if a.status.Err {
			style = a.st.StatusError
			msg = "error: " + msg
		}
		parts = append(parts, model.SanitizeLine(msg))
	}
	if s := a.summary(); s != "" {
		parts = append(parts, model.SanitizeLine(s))
	}
	line := " " + strings.Join(parts, " │ ")
	path := model.SanitizeLine(a.opts.DBPath)
	if path != "" && lipgloss.Width(line)+lipgloss.Width(path)+3 < a.width {
		line += strings.Repeat(" ", a.width-lipgloss.Width(line)-lipgloss.Width(path)-1) + path + " "
	}
	line = common.Truncate(line, a.width)
	if pad := a.width - lipgloss.Width(line); pad > 0 {
		line += strings.Repeat(" ", pad)
	}
	return style.Render(line)
}

// filterHelp is the filter language of each tab, for the overlay.
var filterHelp = []string{
	"Filter: words; key:value; a,b either; -x not. Keys: region area tier evidenced sector status " +
		"vacancy next signed:<2024-01-01 due:overdue reviewer",
	"Filter: words; key:value; a,b either; -x not. Keys: alliance kind (rom prison probation combined) " +
		"prison respondent (any spelling) rating status region",
	"",
}

func (a *App) helpOverlay() string {
	h := a.help
	h.ShowAll = true
	var b strings.Builder
	b.WriteString(a.st.Title.Render("Keys — "+a.titles[a.active][2:]) + "\n")
	b.WriteString(h.FullHelpView(a.screens[a.active].Keys().FullHelp()))
	b.WriteString("\n\n" + a.st.Title.Render("Everywhere (outside text fields)") + "\n")
	b.WriteString(h.FullHelpView(a.keys.FullHelp()))
	if f := filterHelp[a.active]; f != "" {
		b.WriteString("\n\n" + a.st.Muted.Render(f))
	}
	b.WriteString("\n" + a.st.Key.Render("? or esc closes this help"))
	return a.st.Overlay.Width(a.width - 2).Render(common.Wrap(b.String(), a.width-6))
}

// sizeHelp fits the help's scrolling to the overlay's lines and the
// screen: the cursor is the first line shown, moved a page at a time.
func (a *App) sizeHelp() {
	n := len(strings.Split(a.helpOverlay(), "\n"))
	h := a.bodyHeight()
	a.helpList.SetHeight(1)
	a.helpList.SetLen(max(n-h+2, 1)) // the first lines that can start a window
}

// helpWindow is the part of the help overlay that fits, with a mark for
// what is out of sight.
func (a *App) helpWindow() string {
	lines := strings.Split(a.helpOverlay(), "\n")
	h := a.bodyHeight()
	if len(lines) <= h {
		return strings.Join(lines, "\n")
	}
	from := common.Clamp(a.helpList.Cursor(), 0, len(lines)-h+1)
	to := min(from+h-1, len(lines))
	mark := a.st.Subtle.Render(fmt.Sprintf("  ↑ %d more · ↓ %d more (j/k, pgup/pgdn)", from, len(lines)-to))
	return strings.Join(lines[from:to], "\n") + "\n" + mark
}

// Run shows the workbench in this terminal until the user quits.
func Run(o Options) error {
	var opts []tea.ProgramOption
	if o.SignatoryRows == nil && o.Signatories != nil {
		n, _ := o.Signatories.CountSignatories()
		o.SignatoryRows = rowindex.NewShared(o.Signatories)
		mem := manageMemory(o.SignatoryRows, n)
		// The first page is read while the terminal is set up; the next
		// wait for the first frame to be drawn (a frame is 8 ms at the
		// renderer's 120 a second).
		o.SignatoryRows.FirstFrame(10*time.Millisecond, 50*time.Millisecond)
		o.SignatoryRows.Start()
		defer mem.stop()
		opts = append(opts, tea.WithFilter(mem.filter))
	}
	// The first frame measures wide characters (—, ↑, ▶) the way a
	// terminal without grapheme clustering does; the table behind that is
	// filled on first use, which takes some milliseconds. Fill it now,
	// beside the start, rather than while the first frame waits.
	go ansi.WcWidth.StringWidth("—")
	app := New(o)
	defer app.Close()
	// A frame goes out at the renderer's next tick: at 120 a second a
	// key's answer waits 4 ms on average rather than 8.
	if _, err := tea.NewProgram(app, append(opts, tea.WithFPS(120))...).Run(); err != nil {
		return fmt.Errorf("terminal interface: %w", err)
	}
	return nil
}
