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

// driver runs the root model with the harness's synchronous runner
// (viewstest.Runner): every command runs at once and its message is fed
// back, except timers (ticks, spinner frames), which are dropped, so a
// test sees exactly the effect of its keys.
type driver struct {
	t    *testing.T
	m    *Model
	fake *viewstest.Cluster
	// run runs the model's commands; tests on a real client (kfake)
	// raise its Wait.
	run viewstest.Runner
}

func newDriver(t *testing.T, opts Options, w, h int) *driver {
	t.Helper()
	fake := viewstest.New()
	return newDriverOn(t, opts, w, h, fake, wired{fake})
}

// newDriverOn is newDriver on cl, a cluster wrapping fake.
func newDriverOn(t *testing.T, opts Options, w, h int, fake *viewstest.Cluster, cl views.Cluster) *driver {
	t.Helper()
	if opts.Conn.Brokers == nil {
		opts.Conn.Brokers = []string{"broker-1.kafka.local:9092"}
	}
	d := &driver{t: t, fake: fake}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	d.m = New(ctx, opts, Deps{
		Connect: func(ctx context.Context, cfg kafka.ConnConfig) (views.Cluster, func(), error) {
			return cl, func() {}, nil
		},
		StartDemo: func(context.Context) (Demo, error) { return Demo{Addr: "127.0.0.1:39092", Stop: func() {}}, nil },
		Now:       fake.Clock.Now,
		Timeout:   time.Second,
	})
	d.run.Update = func(msg tea.Msg) tea.Cmd {
		_, cmd := d.m.Update(msg)
		return cmd
	}
	d.send(tea.WindowSizeMsg{Width: w, Height: h})
	d.do(d.m.Init())
	return d
}

// send hands msg to the model and runs what follows from it.
func (d *driver) send(msg tea.Msg) { d.run.Send(msg) }

// do runs cmd and what follows from it.
func (d *driver) do(cmd tea.Cmd) { d.run.Do(cmd) }

// keys presses each key in turn.
func (d *driver) keys(ks ...string) { d.run.Keys(ks...) }

// typ types text one rune at a time.
func (d *driver) typ(s string) { d.run.Type(s) }

// screen is the rendered screen without styling.
func (d *driver) screen() string { return ansi.Strip(d.m.Render()) }

func (d *driver) wantScreen(subs ...string) {
	d.t.Helper()
	viewstest.Shows(d.t, d.screen(), subs...)
}

func (d *driver) notScreen(subs ...string) {
	d.t.Helper()
	viewstest.Hides(d.t, d.screen(), subs...)
}

func (d *driver) wantStack(titles ...string) {
	d.t.Helper()
	got := d.m.Stack()
	if strings.Join(got, "|") != strings.Join(titles, "|") {
		d.t.Fatalf("stack = %q, want %q", got, titles)
	}
}
