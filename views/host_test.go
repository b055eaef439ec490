package views

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// Test hosts and golden files shared by the views' screen tests.

// host runs one view as a program the way the shell would, minus the
// chrome: it sizes the view, feeds it messages, and remembers the screen.
type host struct {
	mu     sync.Mutex
	stack  []View
	w, h   int
	screen string
	notice string
}

func (h *host) front() View { return h.stack[len(h.stack)-1] }

func (h *host) Init() tea.Cmd { return h.front().Init() }

func (h *host) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		h.w, h.h = msg.Width, msg.Height
		for _, v := range h.stack {
			v.SetSize(msg.Width, msg.Height)
		}
	case PushMsg:
		msg.View.SetSize(h.w, h.h)
		h.stack = append(h.stack, msg.View)
		cmd = msg.View.Init()
	case PopMsg:
		if len(h.stack) > 1 {
			h.front().Close()
			h.stack = h.stack[:len(h.stack)-1]
		}
	case NoticeMsg:
		h.mu.Lock()
		h.notice = msg.Text
		h.mu.Unlock()
	case tea.KeyPressMsg:
		_, cmd = h.front().Update(msg)
	default:
		var cmds []tea.Cmd
		for _, v := range h.stack {
			_, c := v.Update(msg)
			cmds = append(cmds, c)
		}
		cmd = tea.Batch(cmds...)
	}
	h.mu.Lock()
	h.screen = h.front().View()
	h.mu.Unlock()
	return h, cmd
}

func (h *host) View() tea.View { return tea.NewView(h.front().View()) }

// current is the last screen the host rendered.
func (h *host) current() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.screen
}

// updateGolden reports whether golden files are to be rewritten: with
// -update (when a test of the package defines it) or KFLOW_UPDATE_GOLDEN=1.
func updateGolden() bool {
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
		return true
	}
	return os.Getenv("KFLOW_UPDATE_GOLDEN") == "1"
}

// requireGolden compares got with testdata/name.golden.
func requireGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if updateGolden() {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (KFLOW_UPDATE_GOLDEN=1 writes it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from what was rendered:\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}

// waitScreen polls the host's screen until it holds every sub.
func waitScreen(t *testing.T, h *host, subs ...string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		h.mu.Lock()
		s := ansi.Strip(h.screen)
		h.mu.Unlock()
		ok := true
		for _, sub := range subs {
			ok = ok && strings.Contains(s, sub)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("screen never showed %q:\n%s", subs, s)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
