package views

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"kflow/themes"
	"kflow/views/viewstest"
)

// produceHost runs a produce form as a program of its own, recording
// each rendered screen so a test waits on what is shown.
type produceHost struct {
	v      *Produce
	mu     sync.Mutex
	screen string
}

func (m *produceHost) Init() tea.Cmd { return m.v.Init() }

func (m *produceHost) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.v.SetSize(msg.Width, msg.Height)
	case NoticeMsg, PopMsg:
	default:
		_, cmd = m.v.Update(msg)
	}
	s := m.v.View()
	m.mu.Lock()
	m.screen = s
	m.mu.Unlock()
	return m, cmd
}

func (m *produceHost) View() tea.View { return tea.NewView(m.v.View()) }

func (m *produceHost) waitFor(t *testing.T, subs ...string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		m.mu.Lock()
		s := ansi.Strip(m.screen)
		m.mu.Unlock()
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

// requireProduceGolden compares got with testdata/produce_NAME.golden; go test
// -run TestProduceGolden -update rewrites it.
func requireProduceGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "produce_"+name+".golden")
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(want) != got {
		t.Fatalf("%s differs:\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}

// TestProduceGolden renders the form empty, filled from a template and in
// error, at 80x24 and 160x48, with a fixed clock, fixed random draws and
// fake results.
func TestProduceGolden(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	type step struct {
		keys []tea.KeyPressMsg
		wait []string
	}
	typed := func(s string) []tea.KeyPressMsg {
		var out []tea.KeyPressMsg
		for _, r := range s {
			if r == '\n' {
				out = append(out, tea.KeyPressMsg{Code: tea.KeyEnter})
			} else {
				out = append(out, tea.KeyPressMsg{Code: r, Text: string(r)})
			}
		}
		return out
	}
	k := func(names ...string) []tea.KeyPressMsg {
		var out []tea.KeyPressMsg
		for _, n := range names {
			m, ok := produceNamedKey(n)
			if !ok {
				out = append(out, typed(n)...)
				continue
			}
			out = append(out, m)
		}
		return out
	}
	cases := map[string]struct {
		topic string
		fail  error
		steps []step
	}{
		"empty": {steps: []step{{nil, []string{"4 topics, tab completes"}}}},
		"filled": {topic: "orders", steps: []step{
			{nil, []string{"6 partitions"}},
			{k("ctrl+t", "enter"), []string{"order-{{seq}}"}},
			{k("tab", "tab", "tab", "10000", "tab", "500"), []string{"10000"}},
		}},
		"error": {topic: "orders", fail: errBrokerDown, steps: []step{
			{nil, []string{"6 partitions"}},
			{k("shift+tab", "7", "tab", "k-1", "tab", "alt+j", "{\"id\": 1,\n\"n\": x}", "tab", "novalue"), []string{"not JSON: line 2"}},
			{k("ctrl+s"), []string{"to fix before sending"}},
		}},
		"broker-error": {topic: "orders", fail: errBrokerDown, steps: []step{
			{nil, []string{"6 partitions"}},
			{k("user-42", "tab", "hello"), []string{"hello"}},
			{k("ctrl+s"), []string{"not sent:"}},
		}},
		"sent": {topic: "payments", steps: []step{
			{nil, []string{"3 partitions"}},
			{k("user-42", "tab", "hello", "ctrl+s"), []string{"✓ payments"}},
		}},
	}
	for name, tc := range cases {
		for _, size := range [][2]int{{80, 24}, {160, 48}} {
			t.Run(fmt.Sprintf("%s_%dx%d", name, size[0], size[1]), func(t *testing.T) {
				th, err := themes.Load("", "", false)
				if err != nil {
					t.Fatal(err)
				}
				fake := newFakeProducer()
				fake.fail = tc.fail
				c := &Common{Ctx: context.Background(), Theme: th, Cluster: fake.Cluster, Now: func() time.Time { return viewstest.Epoch }, Timeout: 2 * time.Second}
				v := NewProduce(c, fake, tc.topic, ProduceOptions{HistoryPath: filepath.Join(t.TempDir(), "h.jsonl"), Rand: rand.New(rand.NewPCG(1, 1))})
				host := &produceHost{v: v}
				tm := teatest.NewTestModel(t, host,
					teatest.WithInitialTermSize(size[0], size[1]),
					teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.TrueColor), tea.WithEnvironment([]string{"TERM=xterm-256color"})))
				for _, s := range tc.steps {
					for _, key := range s.keys {
						tm.Send(key)
					}
					host.waitFor(t, s.wait...)
				}
				if err := tm.Quit(); err != nil {
					t.Fatal(err)
				}
				final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*produceHost)
				screen := final.v.View()
				requireProduceGolden(t, fmt.Sprintf("%s_%dx%d", name, size[0], size[1]), ansi.Strip(screen))
				requireProduceGolden(t, fmt.Sprintf("%s_%dx%d.ansi", name, size[0], size[1]), screen)
			})
		}
	}
}
