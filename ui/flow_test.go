package ui

import "testing"

// TestFlowOpensFromPaletteAndTopics: :flow opens the flow map, and f on
// the topics view does too.
func TestFlowOpensFromPaletteAndTopics(t *testing.T) {
	d := newDriver(t, Options{}, 120, 30)
	d.keys(":")
	d.typ("flow")
	d.keys("enter")
	d.wantStack("topics", "flow")
	d.keys("esc")
	d.wantStack("topics")
	d.keys("f")
	d.wantStack("topics", "flow")
}
