package viewstest

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// Patience is how long a wait polls before the test fails: long enough
// for a loaded machine, short enough to fail a test that hangs.
const Patience = 5 * time.Second

// Screen is the last frame a model rendered. A program renders on its own
// goroutine and the test reads on another, so a model that records its
// frames here can be waited on (Wait) instead of slept on.
type Screen struct {
	mu    sync.Mutex
	frame string
}

// Set records frame as the one on screen.
func (s *Screen) Set(frame string) {
	s.mu.Lock()
	s.frame = frame
	s.mu.Unlock()
}

// Frame is the last frame as rendered, styles included.
func (s *Screen) Frame() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.frame
}

// Text is the last frame without styling.
func (s *Screen) Text() string { return ansi.Strip(s.Frame()) }

// Wait polls the screen until its text holds every sub, and fails t with
// the screen if that does not happen within Patience.
func (s *Screen) Wait(t testing.TB, subs ...string) {
	t.Helper()
	WaitScreen(t, s.Text, subs...)
}

// WaitScreen polls screen until it holds every sub, for at most Patience;
// styling is ignored. It is the one way a test waits on what a program
// running on another goroutine shows.
func WaitScreen(t testing.TB, screen func() string, subs ...string) {
	t.Helper()
	var last string
	ok := Eventually(Patience, func() bool {
		last = ansi.Strip(screen())
		return Missing(last, subs...) == ""
	})
	if !ok {
		t.Fatalf("screen never showed %q (lacks %q):\n%s", subs, Missing(last, subs...), last)
	}
}

// Eventually polls cond until it holds and says whether it did within
// limit. It is for conditions set by another goroutine; a test never
// sleeps instead.
func Eventually(limit time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			return cond()
		}
		time.Sleep(2 * time.Millisecond)
	}
	return true
}

// WaitFor fails t unless cond holds within Patience; what says what was
// awaited.
func WaitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	if !Eventually(Patience, cond) {
		t.Fatalf("never: %s", what)
	}
}

// Missing is the first of subs that screen lacks, or "" when it holds
// them all; styling is ignored.
func Missing(screen string, subs ...string) string {
	s := ansi.Strip(screen)
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return sub
		}
	}
	return ""
}

// Shows fails t unless screen holds every sub.
func Shows(t testing.TB, screen string, subs ...string) {
	t.Helper()
	if sub := Missing(screen, subs...); sub != "" {
		t.Fatalf("screen lacks %q:\n%s", sub, ansi.Strip(screen))
	}
}

// Hides fails t if screen holds any of subs.
func Hides(t testing.TB, screen string, subs ...string) {
	t.Helper()
	s := ansi.Strip(screen)
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			t.Fatalf("screen has %q but should not:\n%s", sub, s)
		}
	}
}
