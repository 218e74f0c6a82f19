package tui

import (
	"fmt"

	tea "charm.land/bubbletea/v2"
)

// Run shows the workbench in this terminal until the user quits.
func Run(o Options) error {
	app := New(o)
	defer app.Close()
	if _, err := tea.NewProgram(app).Run(); err != nil {
		return fmt.Errorf("terminal interface: %w", err)
	}
	return nil
}
