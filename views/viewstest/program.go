package viewstest

import (
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"
)

// Program is a model running as a real Bubble Tea program in a terminal
// of fixed size with true colour: the one way golden screens are
// rendered, in ui and in views alike.
type Program struct {
	tm *teatest.TestModel
}

// StartProgram runs m in a w×h terminal. The model should record its
// frames in a Screen, so the test waits on what it shows (Screen.Wait)
// before it sends the next keys and before Stop.
func StartProgram(t testing.TB, m tea.Model, w, h int) *Program {
	t.Helper()
	return &Program{tm: teatest.NewTestModel(t, m,
		teatest.WithInitialTermSize(w, h),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.TrueColor), tea.WithEnvironment([]string{"TERM=xterm-256color"})))}
}

// Send queues msgs for the program, in order.
func (p *Program) Send(msgs ...tea.Msg) {
	for _, m := range msgs {
		p.tm.Send(m)
	}
}

// Keys presses each named key (see Key) in turn.
func (p *Program) Keys(names ...string) {
	for _, k := range names {
		p.tm.Send(Key(k))
	}
}

// Type types text one rune at a time (see Typed).
func (p *Program) Type(text string) {
	for _, k := range Typed(text) {
		p.tm.Send(k)
	}
}

// Stop quits the program, waits until it has finished and returns the
// final model: what it rendered last is the screen to compare.
func (p *Program) Stop(t testing.TB) tea.Model {
	t.Helper()
	if err := p.tm.Quit(); err != nil {
		t.Fatalf("quit the program: %v", err)
	}
	return p.tm.FinalModel(t, teatest.WithFinalTimeout(Patience))
}
