package audit

import (
	"fmt"
	"testing"

	"charter/tui/common"
)

func TestDbg(t *testing.T) {
	db := openStore(t)
	h := newHarness(t, db)
	show := func(label string) {
		fmt.Println("=====", label)
		fmt.Println(h.screen())
		var ks []string
		for _, b := range h.s.Keys().ShortHelp() {
			ks = append(ks, b.Help().Key+" "+b.Help().Desc)
		}
		fmt.Println("short:", ks, " full:", len(common.AllBindings(h.s.Keys())))
	}
	h.keys("/", "type:alliance:civic kind:prison status:answered rating:unrated", "enter", "r")
	show("todo")
	h.keys("enter")
	show("reader")
	h.keys("c", "type:hello")
	show("editor")
	h.keys("enter", "h")
	show("history")
	h.keys("esc")
	h.s.SetSize(140, 30)
	show("wide")
}
