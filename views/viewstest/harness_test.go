package viewstest

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// recorder is a testing.TB that keeps the failure instead of failing.
type recorder struct {
	testing.TB
	failed string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) { r.failed = fmt.Sprintf(format, args...) }

func (r *recorder) Fatalf(format string, args ...any) {
	r.failed = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// run calls f on a goroutine of its own, as a test runs, so that Fatalf
// ends f and nothing more.
func (r *recorder) run(f func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	<-done
}

// TestRequireGoldenComparesBytesAndUpdates: a golden file matches only
// byte for byte, the failure names the first line that differs, and
// KFLOW_UPDATE_GOLDEN=1 writes the file (subfolders included, as ui's
// t.Name() paths need) instead of comparing.
func TestRequireGoldenComparesBytesAndUpdates(t *testing.T) {
	t.Chdir(t.TempDir())
	t.Setenv("KFLOW_UPDATE_GOLDEN", "1")
	RequireGolden(t, "TestX/screen_80x24", "one\ntwo\n\x1b[1mthree\x1b[m")
	got, err := os.ReadFile(filepath.Join("testdata", "TestX", "screen_80x24.golden"))
	if err != nil || string(got) != "one\ntwo\n\x1b[1mthree\x1b[m" {
		t.Fatalf("update wrote %q, %v", got, err)
	}

	t.Setenv("KFLOW_UPDATE_GOLDEN", "")
	r := &recorder{TB: t}
	RequireGolden(r, "TestX/screen_80x24", "one\ntwo\n\x1b[1mthree\x1b[m")
	if r.failed != "" {
		t.Fatalf("same bytes failed: %s", r.failed)
	}
	RequireGolden(r, "TestX/screen_80x24", "one\ntwo\nthree")
	if !strings.Contains(r.failed, "first at line 3") {
		t.Fatalf("a changed style passed or was misplaced: %q", r.failed)
	}
	r.failed = ""
	r.run(func() { RequireGolden(r, "TestX/missing", "x") })
	if !strings.Contains(r.failed, "KFLOW_UPDATE_GOLDEN=1 writes it") {
		t.Fatalf("a missing file: %q", r.failed)
	}
}

type answerMsg struct{ n int }

// TestRunnerFeedsBackAndDropsTimers: the runner hands each command's
// message back to the model, expands batches, notes a quit, and drops a
// command that does not answer in time.
func TestRunnerFeedsBackAndDropsTimers(t *testing.T) {
	var got []int
	block := make(chan struct{})
	defer close(block)
	r := Runner{}
	r.Update = func(msg tea.Msg) tea.Cmd {
		m, ok := msg.(answerMsg)
		if !ok {
			return nil
		}
		got = append(got, m.n)
		if m.n == 1 {
			return tea.Batch(
				func() tea.Msg { return answerMsg{2} },
				func() tea.Msg { <-block; return answerMsg{99} }, // a timer
				func() tea.Msg { return answerMsg{3} },
			)
		}
		return nil
	}
	start := time.Now()
	r.Send(answerMsg{1})
	if fmt.Sprint(got) != "[1 2 3]" {
		t.Fatalf("model saw %v, want [1 2 3]", got)
	}
	if d := time.Since(start); d < DefaultWait {
		t.Fatalf("the timer was given up after %v, before DefaultWait", d)
	}
	r.Do(tea.Quit)
	if !r.Quit {
		t.Fatal("a quit went unnoticed")
	}
}

// TestLiveQueuesUntil: Live runs commands on their own goroutines and
// hands their messages to the model only inside Until, so the model is
// never touched from two goroutines.
func TestLiveQueuesUntil(t *testing.T) {
	var got []int
	l := NewLive(func(msg tea.Msg) tea.Cmd {
		if m, ok := msg.(answerMsg); ok {
			got = append(got, m.n)
		}
		return nil
	})
	l.Run(tea.Batch(func() tea.Msg { return answerMsg{1} }, func() tea.Msg { return answerMsg{2} }))
	if len(got) != 0 {
		t.Fatalf("messages handed over before Until: %v", got)
	}
	if !l.Until(Patience, func() bool { return len(got) == 2 }) {
		t.Fatalf("got %v, want both answers", got)
	}
	if l.Until(10*time.Millisecond, func() bool { return len(got) == 3 }) {
		t.Fatal("Until held for a message nobody sent")
	}
}

// TestScreenWait: a screen set on another goroutine is waited for, styles
// ignored; a screen that never shows fails the test with what it lacked.
func TestScreenWait(t *testing.T) {
	var s Screen
	go s.Set("\x1b[1mupdated\x1b[m 12:00:01")
	s.Wait(t, "updated 12:00:01")
	if s.Frame() != "\x1b[1mupdated\x1b[m 12:00:01" || s.Text() != "updated 12:00:01" {
		t.Fatalf("frame %q text %q", s.Frame(), s.Text())
	}
	if Missing("a b", "a", "c") != "c" || Missing("a b", "a", "b") != "" {
		t.Fatal("Missing")
	}
	r := &recorder{TB: t}
	r.run(func() { WaitScreen(r, func() string { return "topics" }, "never") })
	if !strings.Contains(r.failed, `lacks "never"`) {
		t.Fatalf("a screen that never shows: %q", r.failed)
	}
}

// TestKeys: names and text become the key presses Bubble Tea sends.
func TestKeys(t *testing.T) {
	if k := Key("shift+tab"); k.Code != tea.KeyTab || k.Mod != tea.ModShift {
		t.Fatalf("shift+tab = %+v", k)
	}
	if k := Key("x"); k.Code != 'x' || k.Text != "x" {
		t.Fatalf("x = %+v", k)
	}
	ks := Typed("a\tb\n")
	if len(ks) != 4 || ks[1].Code != tea.KeyTab || ks[3].Code != tea.KeyEnter || ks[2].Text != "b" {
		t.Fatalf("typed %+v", ks)
	}
	if _, ok := NamedKey("up"); !ok {
		t.Fatal("up is a named key")
	}
	if _, ok := NamedKey("upper"); ok {
		t.Fatal("upper is text")
	}
}
