package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"kflow/kafka"
	"kflow/views"
	"kflow/views/viewstest"
)

// driver runs the root model synchronously: every command runs at once
// and its message is fed back, except timers (ticks, spinner frames),
// which are dropped, so a test sees exactly the effect of its keys.
type driver struct {
	t    *testing.T
	m    *Model
	fake *viewstest.Cluster
	quit bool
	// patience is how long do waits for a command; 50ms when zero. Tests
	// on a real client (kfake) raise it.
	patience time.Duration
}

func newDriver(t *testing.T, opts Options, w, h int) *driver {
	t.Helper()
	fake := viewstest.New()
	if opts.Conn.Brokers == nil {
		opts.Conn.Brokers = []string{"broker-1.kafka.local:9092"}
	}
	d := &driver{t: t, fake: fake}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	d.m = New(ctx, opts, Deps{
		Connect: func(ctx context.Context, cfg kafka.ConnConfig) (views.Cluster, func(), error) {
			return wired{fake}, func() {}, nil
		},
		StartDemo: func(context.Context) (string, func(), error) { return "127.0.0.1:39092", func() {}, nil },
		Now:       fake.Clock.Now,
		Timeout:   time.Second,
	})
	d.send(tea.WindowSizeMsg{Width: w, Height: h})
	d.do(d.m.Init())
	return d
}

func (d *driver) send(msg tea.Msg) {
	d.t.Helper()
	_, cmd := d.m.Update(msg)
	d.do(cmd)
}

// do runs cmd and feeds back what it returns; a command that does not
// answer within 50ms (a timer, or a call the test blocked) is dropped.
func (d *driver) do(cmd tea.Cmd) {
	d.t.Helper()
	if cmd == nil {
		return
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	patience := d.patience
	if patience <= 0 {
		patience = 50 * time.Millisecond
	}
	var msg tea.Msg
	select {
	case msg = <-ch:
	case <-time.After(patience):
		return
	}
	switch msg := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			d.do(c)
		}
	case tea.QuitMsg:
		d.quit = true
	default:
		d.send(msg)
	}
}

// keyMsg turns "enter", "ctrl+c", "x" into a key press.
func keyMsg(s string) tea.KeyPressMsg {
	special := map[string]tea.KeyPressMsg{
		"enter":     {Code: tea.KeyEnter},
		"esc":       {Code: tea.KeyEscape},
		"tab":       {Code: tea.KeyTab},
		"shift+tab": {Code: tea.KeyTab, Mod: tea.ModShift},
		"up":        {Code: tea.KeyUp},
		"down":      {Code: tea.KeyDown},
		"backspace": {Code: tea.KeyBackspace},
		"ctrl+c":    {Code: 'c', Mod: tea.ModCtrl},
		"ctrl+s":    {Code: 's', Mod: tea.ModCtrl},
		"space":     {Code: tea.KeySpace, Text: " "},
	}
	if k, ok := special[s]; ok {
		return k
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

// keys presses each key in turn.
func (d *driver) keys(ks ...string) {
	d.t.Helper()
	for _, k := range ks {
		d.send(keyMsg(k))
	}
}

// typ types text one rune at a time.
func (d *driver) typ(s string) {
	d.t.Helper()
	for _, r := range s {
		d.send(keyMsg(string(r)))
	}
}

// screen is the rendered screen without styling.
func (d *driver) screen() string { return ansi.Strip(d.m.Render()) }

func (d *driver) wantScreen(subs ...string) {
	d.t.Helper()
	s := d.screen()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			d.t.Fatalf("screen lacks %q:\n%s", sub, s)
		}
	}
}

func (d *driver) notScreen(subs ...string) {
	d.t.Helper()
	s := d.screen()
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			d.t.Fatalf("screen has %q but should not:\n%s", sub, s)
		}
	}
}

func (d *driver) wantStack(titles ...string) {
	d.t.Helper()
	got := d.m.Stack()
	if strings.Join(got, "|") != strings.Join(titles, "|") {
		d.t.Fatalf("stack = %q, want %q", got, titles)
	}
}
