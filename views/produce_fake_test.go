package views

import (
	"context"
	"errors"
	"math/rand/v2"
	"path/filepath"
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
	run     viewstest.Runner
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
	// Sends take their time on a loaded machine; the form has no timer
	// to drop.
	h.run = viewstest.Runner{Wait: 5 * time.Second, Update: h.update}
	h.v.SetSize(100, 40)
	h.do(h.v.Init())
	return h
}

// update hands msg to the form, or keeps it when it is for the shell.
func (h *produceHarness) update(msg tea.Msg) tea.Cmd {
	switch m := msg.(type) {
	case NoticeMsg:
		h.notices = append(h.notices, m)
		return nil
	case PopMsg:
		h.popped = true
		return nil
	}
	_, cmd := h.v.Update(msg)
	return cmd
}

// do runs cmd and everything it leads to.
func (h *produceHarness) do(cmd tea.Cmd) { h.run.Do(cmd) }

// keys presses keys: named ones ("tab", "ctrl+s") or text typed rune by
// rune.
func (h *produceHarness) keys(ks ...string) {
	h.t.Helper()
	for _, k := range ks {
		if _, ok := viewstest.NamedKey(k); ok {
			h.run.Keys(k)
			continue
		}
		h.run.Type(k)
	}
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
	viewstest.Shows(h.t, h.screen(), subs...)
}

var errBrokerDown = errors.New(`produce to "orders": no acknowledgement in time (is the broker down?): record timed out`)
