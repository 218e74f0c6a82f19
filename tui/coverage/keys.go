package coverage

import (
	"charm.land/bubbles/v2/key"

	"charter/tui/common"
)

// keys are every binding of the tab; each state's key map shows the ones
// it dispatches.
type keys struct {
	List                                            common.ListKeys
	Left, Right, Alliance, Kind, Prev, Next, Matrix key.Binding
	ScrollLeft, ScrollRight, Grid                   key.Binding
	Open, Dossier                                   key.Binding
}

func newKeys() keys {
	return keys{
		List:        common.NewListKeys(),
		Left:        key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "previous question")),
		Right:       key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "next question")),
		Alliance:    key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "next alliance")),
		Kind:        key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "next respondent kind")),
		Prev:        key.NewBinding(key.WithKeys("["), key.WithHelp("[", "previous section")),
		Next:        key.NewBinding(key.WithKeys("]"), key.WithHelp("]", "next section")),
		Matrix:      key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "pathway matrix")),
		ScrollLeft:  key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "scroll left")),
		ScrollRight: key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "scroll right")),
		Grid:        key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "coverage grid")),
		Open:        key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open this return (on a name: its dossier)")),
		Dossier:     key.NewBinding(key.WithKeys("D"), key.WithHelp("D", "dossier of this respondent")),
	}
}

// sectionBindings choose the section; they work whenever the grid shows.
func (k keys) sectionBindings() []key.Binding {
	return []key.Binding{k.Alliance, k.Kind, k.Prev, k.Next, k.Matrix}
}
