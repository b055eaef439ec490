package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"kflow/kafka"
	"kflow/kafka/demo"
	"kflow/views"
	"kflow/views/viewstest"
)

// liveDriver runs the root model with the harness's live runner
// (viewstest.Live), as the Bubble Tea runtime does: each command on its
// own goroutine, its message queued and fed back on the test's
// goroutine, timers included. It drives the shell over the real
// in-process demo cluster, so tails and the word count engine run.
type liveDriver struct {
	t    *testing.T
	m    *Model
	live *viewstest.Live
}

func newLiveDemo(t *testing.T) *liveDriver {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	d := &liveDriver{t: t}
	d.m = New(ctx, Options{Demo: true}, Deps{Refresh: 200 * time.Millisecond, Timeout: 10 * time.Second})
	d.live = viewstest.NewLive(func(msg tea.Msg) tea.Cmd {
		_, cmd := d.m.Update(msg)
		return cmd
	})
	t.Cleanup(func() {
		d.m.shutdown()
		cancel()
	})
	d.send(tea.WindowSizeMsg{Width: 120, Height: 30})
	d.live.Run(d.m.Init())
	d.until("connected to the demo", func() bool { return d.m.state == stateConnected && len(d.m.stack) == 1 })
	return d
}

func (d *liveDriver) send(msg tea.Msg) { d.live.Send(msg) }

// until feeds queued messages to the model until ok holds, 30 s at most.
func (d *liveDriver) until(what string, ok func() bool) {
	d.t.Helper()
	if !d.live.Until(30*time.Second, ok) {
		d.t.Fatalf("never: %s\nstack %q\n%s", what, d.m.Stack(), ansi.Strip(d.m.Render()))
	}
}

func (d *liveDriver) keys(ks ...string) { d.live.Keys(ks...) }

func (d *liveDriver) typ(s string) { d.live.Type(s) }

// received is what a tail or word count view has taken in so far.
func received(v views.View) uint64 {
	switch v := v.(type) {
	case *views.Tail:
		return v.Stats().Received
	case *views.WordCount:
		total, _ := v.Counts()
		return uint64(total)
	}
	return 0
}

// TestStackedTailsAndWordCountsAllReceive: two tails and two word count
// panels stacked, in several orders, every one of them receives — a
// view's start must never be taken by another view for its own restart.
// The engine is started from the panel in front, above the others.
func TestStackedTailsAndWordCountsAllReceive(t *testing.T) {
	d := newLiveDemo(t)
	cl := d.m.common.Cluster
	src, ok := cl.(views.TailSource)
	if !ok {
		t.Fatalf("the demo connection cannot tail: %T", cl)
	}
	wcs, ok := views.WordCountSourceOf(d.m.common)
	if !ok {
		t.Fatal("the demo connection cannot count words")
	}
	beginning := kafka.Start{Kind: kafka.StartBeginning}
	for i, order := range []string{"TTWW", "WTWT", "TWWT"} {
		ok := t.Run(order, func(t *testing.T) {
			d.t = t
			app := fmt.Sprintf("stack-test-%d", i)
			topics := []string{demo.OrdersTopic, demo.DLQTopic}
			engine := strings.LastIndex(order, "W") // the engine starts from the last panel, with views below it
			for j, kind := range order {
				var v views.View
				if kind == 'T' {
					v = views.NewTail(d.m.common, src, topics[0], views.TailViewOptions{Start: &beginning})
					topics = topics[1:]
				} else {
					v = views.NewWordCount(d.m.common, wcs, views.WordCountViewOptions{App: app})
				}
				d.send(views.PushMsg{View: v})
				if j == engine {
					d.keys("s")
					d.until("the engine runs", func() bool { return v.(*views.WordCount).Running() })
				}
			}
			stack := append([]views.View(nil), d.m.stack[1:]...)
			if len(stack) != 4 {
				t.Fatalf("stack %q, want topics and four views", d.m.Stack())
			}
			for k, v := range stack {
				d.until(fmt.Sprintf("view %d (%s) receives", k, v.Title()), func() bool { return received(v) > 0 })
			}
			// Still alive: the order events tail and the panels keep
			// receiving once everything is stacked.
			for k, v := range stack {
				if tl, ok := v.(*views.Tail); ok && strings.HasSuffix(tl.Title(), ".DLQ") {
					continue // dead letters arrive rarely
				}
				before := received(v)
				d.until(fmt.Sprintf("view %d (%s) keeps receiving", k, v.Title()), func() bool { return received(v) > before })
			}
			d.keys(":")
			d.typ("topics")
			d.keys("enter")
			d.until("back to the topics", func() bool { return len(d.m.stack) == 1 })
		})
		if !ok {
			return
		}
	}
}

// recorder is a view that records the messages it is handed.
type recorder struct {
	innerView
	id  int
	got []tea.Msg
}

func (p *recorder) ID() int { return p.id }

func (p *recorder) Update(msg tea.Msg) (views.View, tea.Cmd) {
	p.got = append(p.got, msg)
	return p, nil
}

// TestResultsGoOnlyToTheirView: an addressed message reaches the view
// with its id, wherever it is in the stack, and no other; one for a view
// that has closed reaches none.
func TestResultsGoOnlyToTheirView(t *testing.T) {
	d := newDriver(t, Options{}, 120, 30)
	below := &recorder{innerView: views.NewBrokers(d.m.common), id: 1001}
	above := &recorder{innerView: views.NewBrokers(d.m.common), id: 1002}
	d.m.push(below)
	d.m.push(above)
	d.send(views.TickMsg{ID: 1001})
	d.send(views.TickMsg{ID: 1002})
	d.send(views.TickMsg{ID: 1002})
	if len(below.got) != 1 || len(above.got) != 2 {
		t.Fatalf("below got %v, above got %v; want 1 and 2 of their own", below.got, above.got)
	}
	d.m.pop()
	d.send(views.TickMsg{ID: 1002})
	if len(below.got) != 1 {
		t.Fatalf("a closed view's tick reached the view below: %v", below.got)
	}
}

// TestPaletteReplacesAndEscGoesBack: a palette command replaces a view
// the palette opened (one tail or panel runs, not a pile of them) and esc
// reopens the one it replaced; over the topics or a view a key opened it
// opens on top, and esc goes back to that view as it was.
func TestPaletteReplacesAndEscGoesBack(t *testing.T) {
	d := newDriver(t, Options{}, 120, 30)
	palette := func(line string) {
		t.Helper()
		d.keys(":")
		d.typ(line)
		d.keys("enter")
	}
	palette("groups")
	d.wantStack("topics", "groups")
	palette("wordcount")
	d.wantStack("topics", "word count")
	palette("brokers")
	d.wantStack("topics", "brokers")
	d.keys("esc")
	d.wantStack("topics", "word count")
	d.keys("esc")
	d.wantStack("topics", "groups")
	d.keys("esc")
	d.wantStack("topics")

	// Over a view opened by a key: on top, and that view stays.
	d.keys("enter")
	d.wantStack("topics", "partitions · audit-log")
	first := d.m.Front()
	palette("brokers")
	d.wantStack("topics", "partitions · audit-log", "brokers")
	palette("groups")
	d.wantStack("topics", "partitions · audit-log", "groups")
	d.keys("esc")
	d.wantStack("topics", "partitions · audit-log", "brokers")
	d.keys("esc")
	d.wantStack("topics", "partitions · audit-log")
	if d.m.Front() != first {
		t.Fatal("esc reopened the view a key had opened instead of going back to it")
	}
	// :topics still goes home at once.
	palette("groups")
	palette("brokers")
	palette("topics")
	d.wantStack("topics")
}

// TestStatusBarAndViewsShareTheConnectionState: the moment a view's call
// fails because the cluster is gone, the status bar says so too (it no
// longer waits for its own next check), and a view whose last call
// succeeded still says its data is stale while the cluster is lost;
// once calls succeed again both say so.
func TestStatusBarAndViewsShareTheConnectionState(t *testing.T) {
	d := newDriver(t, Options{}, 120, 30)
	d.keys("enter") // partitions of audit-log, loaded
	d.notScreen("STALE")
	d.fake.SetFail(errors.New("connection refused"))
	d.keys("r") // the view's refresh fails: no health tick runs in this test
	d.wantScreen("STALE", "disconnected (data stale)")
	d.notScreen("● connected")
	d.keys("esc") // the topics loaded before the loss: stale too
	d.wantScreen("STALE", "disconnected (data stale)")
	d.fake.SetFail(nil)
	d.keys("r")
	d.wantScreen("● connected")
	d.notScreen("STALE", "disconnected")
}
