package viewstest

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// Live runs a model's commands as the Bubble Tea runtime does: each on
// its own goroutine, timers included, its message queued until Until
// hands it to the model on the test's goroutine. It is for tests over
// something that really runs (a tail, the word count engine, the demo
// cluster), where Runner would drop a slow answer.
type Live struct {
	// Update hands msg to the model and returns the command it asks for.
	Update func(msg tea.Msg) tea.Cmd
	msgs   chan tea.Msg
}

// NewLive returns a Live runner feeding update.
func NewLive(update func(msg tea.Msg) tea.Cmd) *Live {
	return &Live{Update: update, msgs: make(chan tea.Msg, 1024)}
}

// Send hands msg to the model now and starts what it asks for.
func (l *Live) Send(msg tea.Msg) { l.Run(l.Update(msg)) }

// Keys presses each named key (see Key) in turn.
func (l *Live) Keys(names ...string) {
	for _, k := range names {
		l.Send(Key(k))
	}
}

// Type types text one rune at a time (see Typed).
func (l *Live) Type(text string) {
	for _, k := range Typed(text) {
		l.Send(k)
	}
}

// Run starts cmd on a goroutine (batches expanded); its message queues.
func (l *Live) Run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() {
		msg := cmd()
		if b, ok := msg.(tea.BatchMsg); ok {
			for _, c := range b {
				l.Run(c)
			}
			return
		}
		if msg != nil {
			l.msgs <- msg
		}
	}()
}

// Until hands queued messages to the model, one at a time, until ok
// holds, and says whether it did within limit. ok is checked on the
// test's goroutine between messages, so it may read the model freely.
func (l *Live) Until(limit time.Duration, ok func() bool) bool {
	deadline := time.NewTimer(limit)
	defer deadline.Stop()
	for !ok() {
		select {
		case msg := <-l.msgs:
			l.Send(msg)
		case <-deadline.C:
			return ok()
		}
	}
	return true
}
