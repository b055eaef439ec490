package views

import (
	"context"
	"errors"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
	"kflow/themes"
	"kflow/views/viewstest"
)

// fakeProducer answers with fixed results: topics from viewstest, offsets
// counting from 1000, timestamps at the fake epoch.
type fakeProducer struct {
	*viewstest.Cluster
	mu      sync.Mutex
	sent    []kafka.Record
	fail    error
	stream  kafka.StreamOptions
	blockOn chan struct{} // when set, a stream waits for it or its ctx after the first record
}

func newFakeProducer() *fakeProducer { return &fakeProducer{Cluster: viewstest.New()} }

func (f *fakeProducer) partitionOf(rec kafka.Record) int32 {
	if rec.Partition >= 0 {
		return rec.Partition
	}
	n := int32(6)
	if rec.Topic == "payments" {
		n = 3
	}
	return kafka.PartitionForKey(rec.Key, n)
}

func (f *fakeProducer) Produce(ctx context.Context, rec kafka.Record) (kafka.ProduceResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return kafka.ProduceResult{}, f.fail
	}
	f.sent = append(f.sent, rec)
	return kafka.ProduceResult{Topic: rec.Topic, Partition: f.partitionOf(rec), Offset: int64(999 + len(f.sent)), Timestamp: viewstest.Epoch}, nil
}

func (f *fakeProducer) ProduceStream(ctx context.Context, opts kafka.StreamOptions, next func(i int) (kafka.Record, bool)) (kafka.StreamStats, error) {
	f.mu.Lock()
	f.stream = opts
	fail, block := f.fail, f.blockOn
	f.mu.Unlock()
	var st kafka.StreamStats
	for i := 0; opts.Count == 0 || i < opts.Count; i++ {
		if ctx.Err() != nil {
			break
		}
		rec, ok := next(i)
		if !ok {
			break
		}
		f.mu.Lock()
		f.sent = append(f.sent, rec)
		f.mu.Unlock()
		st.Sent++
		st.Acked++
		st.P50, st.P99, st.Elapsed = 2*time.Millisecond, 9*time.Millisecond, time.Duration(st.Acked)*time.Millisecond
		if opts.Progress != nil && i%100 == 0 {
			opts.Progress(st)
		}
		if block != nil && i == 0 {
			select {
			case <-block:
			case <-ctx.Done():
			}
		}
	}
	if fail != nil {
		st.Failed = 1
		st.FirstErr = fail.Error()
	}
	if opts.Progress != nil {
		opts.Progress(st)
	}
	return st, fail
}

func (f *fakeProducer) records() []kafka.Record {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]kafka.Record(nil), f.sent...)
}

// produceHarness drives a produce form by keys, running the commands it
// returns and feeding their messages back, as the shell would.
type produceHarness struct {
	t       *testing.T
	v       *Produce
	fake    *fakeProducer
	notices []NoticeMsg
	popped  bool
}

func newProduceHarness(t *testing.T, topic string, opts ProduceOptions, tweak ...func(*Common)) *produceHarness {
	t.Helper()
	th, err := themes.Load("", "", true)
	if err != nil {
		t.Fatal(err)
	}
	fake := newFakeProducer()
	c := &Common{Ctx: context.Background(), Theme: th, Cluster: fake.Cluster, Now: func() time.Time { return viewstest.Epoch }, Timeout: 5 * time.Second}
	for _, f := range tweak {
		f(c)
	}
	if opts.HistoryPath == "" {
		opts.HistoryPath = filepath.Join(t.TempDir(), "history.jsonl")
	}
	if opts.Rand == nil {
		opts.Rand = rand.New(rand.NewPCG(7, 7))
	}
	h := &produceHarness{t: t, fake: fake, v: NewProduce(c, fake, topic, opts)}
	h.v.SetSize(100, 40)
	h.do(h.v.Init())
	return h
}

// do runs cmd and everything it leads to; a command still running after
// five seconds (a tick) is dropped.
func (h *produceHarness) do(cmd tea.Cmd) {
	h.t.Helper()
	if cmd == nil {
		return
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-ch:
	case <-time.After(5 * time.Second):
		return
	}
	switch m := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range m {
			h.do(c)
		}
	case NoticeMsg:
		h.notices = append(h.notices, m)
	case PopMsg:
		h.popped = true
	default:
		_, next := h.v.Update(msg)
		h.do(next)
	}
}

// keys presses keys: named ones ("tab", "ctrl+s") or text typed rune by
// rune.
func (h *produceHarness) keys(ks ...string) {
	h.t.Helper()
	for _, k := range ks {
		if m, ok := produceNamedKey(k); ok {
			_, cmd := h.v.Update(m)
			h.do(cmd)
			continue
		}
		for _, r := range k {
			var m tea.KeyPressMsg
			if r == '\n' {
				m = tea.KeyPressMsg{Code: tea.KeyEnter}
			} else {
				m = tea.KeyPressMsg{Code: r, Text: string(r)}
			}
			_, cmd := h.v.Update(m)
			h.do(cmd)
		}
	}
}

func produceNamedKey(s string) (tea.KeyPressMsg, bool) {
	named := map[string]tea.KeyPressMsg{
		"enter":     {Code: tea.KeyEnter},
		"esc":       {Code: tea.KeyEscape},
		"tab":       {Code: tea.KeyTab},
		"shift+tab": {Code: tea.KeyTab, Mod: tea.ModShift},
		"up":        {Code: tea.KeyUp},
		"down":      {Code: tea.KeyDown},
		"backspace": {Code: tea.KeyBackspace},
		"ctrl+s":    {Code: 's', Mod: tea.ModCtrl},
		"ctrl+t":    {Code: 't', Mod: tea.ModCtrl},
		"ctrl+u":    {Code: 'u', Mod: tea.ModCtrl},
		"ctrl+x":    {Code: 'x', Mod: tea.ModCtrl},
		"alt+j":     {Code: 'j', Mod: tea.ModAlt},
	}
	m, ok := named[s]
	return m, ok
}

// focusOn tabs to the field named label.
func (h *produceHarness) focusOn(label string) {
	h.t.Helper()
	for range h.v.slotCount() + 1 {
		if h.v.slotName(h.v.focused) == label {
			return
		}
		h.keys("tab")
	}
	h.t.Fatalf("no field %q", label)
}

// set replaces the text of the field named label.
func (h *produceHarness) set(label, text string) {
	h.t.Helper()
	h.focusOn(label)
	if label == "value" {
		h.v.value.SetValue("")
	} else {
		h.v.input(h.v.focused).SetValue("")
	}
	h.keys(text)
}

func (h *produceHarness) screen() string { return h.v.View() }

func (h *produceHarness) mustShow(subs ...string) {
	h.t.Helper()
	s := h.screen()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			h.t.Fatalf("screen lacks %q:\n%s", sub, s)
		}
	}
}

var errBrokerDown = errors.New(`produce to "orders": no acknowledgement in time (is the broker down?): record timed out`)
