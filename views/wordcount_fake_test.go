package views

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"kflow/kafka"
	"kflow/kafka/wordcount"
	"kflow/lag"
	"kflow/themes"
	"kflow/views/viewstest"
)

// fakeWordCount is a WordCountSource with no network: it records sends,
// answers lag from fixed groups and starts fake engines. The output
// topic is a ring the test fills, so Tail is only asked when a test
// wants a tail that fails.
type fakeWordCount struct {
	mu       sync.Mutex
	sent     []kafka.Record
	sendErr  error
	groups   []kafka.GroupLag // what Lag answers; ListGroups lists them
	lagErr   error
	tailErr  error
	tails    int
	starts   int
	startErr error
	engine   *fakeEngine
	lagCalls int
}

func (f *fakeWordCount) Tail(ctx context.Context, opts kafka.TailOptions, buffer int) (*kafka.Tail, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tails++
	if f.tailErr != nil {
		return nil, f.tailErr
	}
	return nil, fmt.Errorf("tail %q: the fake has no topics", opts.Topic)
}

func (f *fakeWordCount) Produce(ctx context.Context, rec kafka.Record) (kafka.ProduceResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.sendErr != nil {
		return kafka.ProduceResult{}, f.sendErr
	}
	f.sent = append(f.sent, rec)
	return kafka.ProduceResult{Topic: rec.Topic, Partition: 0, Offset: int64(len(f.sent) - 1), Timestamp: viewstest.Epoch}, nil
}

func (f *fakeWordCount) ListGroups(ctx context.Context) ([]kafka.GroupSummary, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.lagErr != nil {
		return nil, f.lagErr
	}
	out := make([]kafka.GroupSummary, len(f.groups))
	for i, g := range f.groups {
		out[i] = g.Group.GroupSummary
	}
	return out, nil
}

func (f *fakeWordCount) Lag(ctx context.Context, groups ...string) ([]kafka.GroupLag, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lagCalls++
	var out []kafka.GroupLag
	for _, name := range groups {
		found := false
		for _, g := range f.groups {
			if g.Group.ID == name {
				out, found = append(out, g), true
			}
		}
		if !found {
			return nil, fmt.Errorf("lag of group %q: not found", name)
		}
	}
	return out, nil
}

func (f *fakeWordCount) StartWordCount(ctx context.Context, opts wordcount.Options) (WordCountEngine, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.starts++
	if f.startErr != nil {
		return nil, f.startErr
	}
	f.engine = &fakeEngine{done: make(chan struct{}), opts: opts}
	return f.engine, nil
}

func (f *fakeWordCount) setGroups(gs ...kafka.GroupLag) {
	f.mu.Lock()
	f.groups = gs
	f.mu.Unlock()
}

func (f *fakeWordCount) sends() []kafka.Record {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]kafka.Record(nil), f.sent...)
}

func (f *fakeWordCount) counts() (tails, starts int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tails, f.starts
}

// fakeEngine is an engine whose counters the test sets.
type fakeEngine struct {
	mu     sync.Mutex
	stats  wordcount.Stats
	opts   wordcount.Options
	done   chan struct{}
	once   sync.Once
	err    error
	closed bool
}

func (e *fakeEngine) Stats() wordcount.Stats {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.stats
}

func (e *fakeEngine) setStats(s wordcount.Stats) {
	e.mu.Lock()
	e.stats = s
	e.mu.Unlock()
}

func (e *fakeEngine) Done() <-chan struct{} { return e.done }

func (e *fakeEngine) Err() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.err
}

// fail stops the engine with err, as a fatal error would.
func (e *fakeEngine) fail(err error) {
	e.mu.Lock()
	e.err = err
	e.mu.Unlock()
	e.once.Do(func() { close(e.done) })
}

func (e *fakeEngine) Close() error {
	e.mu.Lock()
	e.closed = true
	e.mu.Unlock()
	e.once.Do(func() { close(e.done) })
	return e.Err()
}

func (e *fakeEngine) isClosed() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.closed
}

// engineGroups are the engine's two groups as Lag reports them, with
// members and lag, the split group committed at splitAt on the input.
func engineGroups(members, splitLag, countLag int, splitAt int64) []kafka.GroupLag {
	g := func(name string, lag int) kafka.GroupLag {
		return kafka.GroupLag{Group: kafka.GroupDetail{GroupSummary: kafka.GroupSummary{ID: name, State: "Stable", Members: members}}, TotalLag: int64(lag)}
	}
	split := g(wordcount.DefaultApp+"-split", splitLag)
	split.Partitions = []lag.Partition{{Topic: wordcount.DefaultInput, Partition: 0, Committed: splitAt, EndOffset: splitAt + int64(splitLag), Lag: int64(splitLag)}}
	return []kafka.GroupLag{split, g(wordcount.DefaultApp+"-count", countLag)}
}

// countRec is a record of the output topic: word → n.
func countRec(p int32, off int64, word string, n int64) kafka.Record {
	v := wordcount.EncodeCount(n)
	return kafka.Record{Topic: wordcount.DefaultOutput, Partition: p, Offset: off, Timestamp: viewstest.Epoch.Add(time.Duration(off) * time.Second),
		Key: []byte(word), Value: v, KeySize: len(word), ValueSize: len(v)}
}

// wcRig drives a word count panel over a ring the test fills, with the
// commands it returns run on goroutines and their messages fed back in
// on the test's goroutine, as the Bubble Tea runtime would.
type wcRig struct {
	t      *testing.T
	v      *WordCount
	src    *fakeWordCount
	ring   *kafka.Ring
	clock  *viewstest.Clock
	live   *viewstest.Live
	notice NoticeMsg
	pushed []View
	off    int64
}

func newWCCommon(t testing.TB, clock *viewstest.Clock, readOnly bool) *Common {
	th, err := themes.Load("", "", false)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	return &Common{Ctx: ctx, Theme: th, Now: clock.Now, Timeout: 2 * time.Second, ReadOnly: readOnly}
}

func newWCRig(t *testing.T, w, h int, readOnly bool) *wcRig {
	clock := viewstest.NewClock()
	src := &fakeWordCount{}
	ring := kafka.NewRing(64)
	v := NewWordCountRing(newWCCommon(t, clock, readOnly), src, ring, WordCountViewOptions{})
	v.SetSize(w, h)
	t.Cleanup(v.Close)
	r := startWCRig(t, v, src, ring, clock)
	r.until("the first lag answer", func() bool { return !v.lagAt.IsZero() })
	return r
}

// startWCRig drives v with the harness's live runner and starts it.
func startWCRig(t *testing.T, v *WordCount, src *fakeWordCount, ring *kafka.Ring, clock *viewstest.Clock) *wcRig {
	r := &wcRig{t: t, v: v, src: src, ring: ring, clock: clock}
	r.live = viewstest.NewLive(r.update)
	r.live.Run(v.Init())
	return r
}

// update hands msg to the panel, or keeps it when it is for the shell.
func (r *wcRig) update(msg tea.Msg) tea.Cmd {
	switch m := msg.(type) {
	case NoticeMsg:
		r.notice = m
		return nil
	case PushMsg:
		r.pushed = append(r.pushed, m.View)
		return nil
	}
	_, cmd := r.v.Update(msg)
	return cmd
}

// until feeds queued messages to the panel until ok holds, for five
// seconds at most.
func (r *wcRig) until(what string, ok func() bool) {
	r.t.Helper()
	if !r.live.Until(viewstest.Patience, ok) {
		r.t.Fatalf("never: %s\n%s", what, r.screen())
	}
}

// untilScreen waits until the screen holds every sub.
func (r *wcRig) untilScreen(subs ...string) {
	r.t.Helper()
	r.until(fmt.Sprintf("screen shows %q", subs), func() bool { return viewstest.Missing(r.screen(), subs...) == "" })
}

func (r *wcRig) key(ks ...string) { r.live.Keys(ks...) }

func (r *wcRig) typ(s string) { r.live.Type(s) }

// push writes counts to the output topic's ring.
func (r *wcRig) push(wordsAndCounts ...any) {
	var recs []kafka.Record
	for i := 0; i+1 < len(wordsAndCounts); i += 2 {
		recs = append(recs, countRec(0, r.off, wordsAndCounts[i].(string), int64(wordsAndCounts[i+1].(int))))
		r.off++
	}
	r.ring.Push(recs)
}

// tick advances the clock by d and delivers a tick.
func (r *wcRig) tick(d time.Duration) {
	r.clock.Advance(d)
	r.live.Send(TickMsg{ID: r.v.ID()})
}

func (r *wcRig) screen() string { return ansi.Strip(r.v.View()) }

func (r *wcRig) want(subs ...string) {
	r.t.Helper()
	viewstest.Shows(r.t, r.screen(), subs...)
}

var errNoTopic = errors.New(`topic "streams-wordcount-output" does not exist`)
