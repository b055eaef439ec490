package viewstest

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// Runner runs a model's commands synchronously, the one way tests drive a
// model without a program: each command runs at once, its message is fed
// back through Update and what that returns runs in turn, batches
// expanded, so when Send returns the test sees exactly the effect of its
// message. A command that does not answer within Wait (a timer, a spinner
// frame, or a call the test blocked) is dropped.
type Runner struct {
	// Update hands msg to the model and returns the command it asks for.
	Update func(msg tea.Msg) tea.Cmd
	// Wait is how long a command may take before it is dropped; when
	// zero, DefaultWait. Tests over a real client (kfake) raise it.
	Wait time.Duration
	// Quit is set once a command asked the program to quit.
	Quit bool
}

// DefaultWait is how long a Runner waits for a command unless told: less
// than a spinner frame (83ms), so a spinner does not spin forever.
const DefaultWait = 50 * time.Millisecond

// Send hands msg to the model and runs what follows from it.
func (r *Runner) Send(msg tea.Msg) { r.Do(r.Update(msg)) }

// Keys presses each named key (see Key) in turn.
func (r *Runner) Keys(names ...string) {
	for _, k := range names {
		r.Send(Key(k))
	}
}

// Type types text one rune at a time (see Typed).
func (r *Runner) Type(text string) {
	for _, k := range Typed(text) {
		r.Send(k)
	}
}

// Do runs cmd and feeds back what it returns.
func (r *Runner) Do(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	wait := r.Wait
	if wait <= 0 {
		wait = DefaultWait
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	var msg tea.Msg
	select {
	case msg = <-ch:
	case <-timer.C:
		return
	}
	switch msg := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			r.Do(c)
		}
	case tea.QuitMsg:
		r.Quit = true
	default:
		r.Send(msg)
	}
}
