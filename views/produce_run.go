package views

import (
	"context"
	"errors"
	"fmt"
	"sync"

	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
	"kflow/template"
)

// Messages of the produce form; each carries the form's id.
type (
	produceTopics  []kafka.TopicSummary
	produceHistory []template.HistoryEntry
	produceSent    kafka.ProduceResult

	// produceProgress is a repeat run's counts so far.
	produceProgress struct {
		ID, Gen int
		Stats   kafka.StreamStats
	}
	// produceDone ends a repeat run.
	produceDone struct {
		ID, Gen int
		Stats   kafka.StreamStats
		Err     error
	}
)

// produceRun is a repeat run in flight. The stream's goroutine writes
// the latest counts and pokes notify (capacity 1, never blocking); a
// self-re-arming command takes them into the UI.
type produceRun struct {
	gen       int
	count     int
	rate      float64
	cancel    context.CancelFunc
	cancelled bool
	stats     kafka.StreamStats // as last shown

	mu     sync.Mutex
	latest kafka.StreamStats
	notify chan struct{}
	done   chan struct{}
	final  kafka.StreamStats
	err    error
}

// runSummary is what the result line says of a finished run.
type runSummary struct {
	stats     kafka.StreamStats
	count     int
	cancelled bool
	err       error
}

func (v *Produce) loadTopics() tea.Cmd {
	if v.p == nil {
		return nil
	}
	p := v.p
	return Call(v.c, v.id, 0, "list topics", func(ctx context.Context) (produceTopics, error) {
		ts, err := p.ListTopics(ctx)
		return produceTopics(ts), err
	})
}

func (v *Produce) loadHistory() tea.Cmd {
	if v.hist == nil {
		return nil
	}
	h := v.hist
	return Call(v.c, v.id, 0, "read history", func(context.Context) (produceHistory, error) {
		es, err := h.Load()
		return produceHistory(es), err
	})
}

func (v *Produce) saveHistory(e template.HistoryEntry) tea.Cmd {
	if v.hist == nil {
		return nil
	}
	h := v.hist
	return Call(v.c, v.id, 1, "save history", func(context.Context) (produceHistory, error) {
		es, err := h.Add(e)
		return produceHistory(es), err
	})
}

// submit validates the form and sends one record or starts a run.
func (v *Produce) submit() tea.Cmd {
	if v.sending || v.run != nil {
		return nil
	}
	c, ok := v.validate()
	if !ok {
		return nil
	}
	if v.p == nil {
		v.err = errors.New("this connection cannot produce records")
		return nil
	}
	if c.valueFile != "" {
		b, err := readValueFile(c.valueFile)
		if err != nil {
			v.errs[slotValue] = err.Error()
			return nil
		}
		if v.json {
			if err := template.CheckJSONText(string(b)); err != nil {
				v.errs[slotValue] = fmt.Sprintf("@%s: %v", c.valueFile, err)
				return nil
			}
		}
		c.value = b
	}
	// The result lines describe the latest send or run only.
	v.err = nil
	v.last = nil
	if c.repeat() {
		v.sent = nil
		return v.startRun(c)
	}
	rec, err := c.record(1, v.c.now(), v.opts.Rand)
	if err != nil {
		var ef *encodeFailure
		slot, target := slotValue, encValue
		if errors.As(err, &ef) && ef.target == encKey {
			slot, target = slotKey, encKey
		}
		v.errs[slot] = v.schemaError(target, err)
		return nil
	}
	v.sending = true
	v.gen++
	p := v.p
	return Call(v.c, v.id, v.gen, "produce to "+rec.Topic, func(ctx context.Context) (produceSent, error) {
		r, err := p.Produce(ctx, rec)
		return produceSent(r), err
	})
}

func (v *Produce) startRun(c checked) tea.Cmd {
	parent := v.c.Ctx
	if parent == nil {
		parent = context.Background()
	}
	ctx, cancel := context.WithCancel(parent)
	v.gen++
	r := &produceRun{gen: v.gen, count: c.count, rate: c.rate, cancel: cancel,
		notify: make(chan struct{}, 1), done: make(chan struct{})}
	v.run = r
	p, now, rnd := v.p, v.c.now, v.opts.Rand
	var encErr error // a later expansion the schema refused: the run stops there
	go func() {
		defer close(r.done)
		defer cancel()
		st, err := p.ProduceStream(ctx, kafka.StreamOptions{Count: c.count, Rate: c.rate, Progress: func(s kafka.StreamStats) {
			r.mu.Lock()
			r.latest = s
			r.mu.Unlock()
			select {
			case r.notify <- struct{}{}:
			default:
			}
		}}, func(i int) (kafka.Record, bool) {
			if i >= c.count {
				return kafka.Record{}, false
			}
			rec, err := c.record(int64(i+1), now(), rnd)
			if err != nil {
				r.mu.Lock()
				encErr = err
				r.mu.Unlock()
				return kafka.Record{}, false
			}
			return rec, true
		})
		r.mu.Lock()
		if err == nil && encErr != nil {
			err = fmt.Errorf("stopped: %w", encErr)
		}
		r.final, r.err = st, err
		r.mu.Unlock()
	}()
	return v.waitRun(r)
}

// waitRun answers with the run's next progress or its end.
func (v *Produce) waitRun(r *produceRun) tea.Cmd {
	id := v.id
	return func() tea.Msg {
		select {
		case <-r.notify:
			r.mu.Lock()
			defer r.mu.Unlock()
			return produceProgress{ID: id, Gen: r.gen, Stats: r.latest}
		case <-r.done:
			r.mu.Lock()
			defer r.mu.Unlock()
			return produceDone{ID: id, Gen: r.gen, Stats: r.final, Err: r.err}
		}
	}
}

// plainError words a failed send for the result line. The client layer
// already names unknown topics, records too large, missing rights and
// missing acknowledgements; a call the UI gave up on is said here.
func plainError(err error) error {
	var te *TimeoutError
	if errors.As(err, &te) {
		return fmt.Errorf("no answer from the cluster within %v: is the broker down or unreachable? (%w)", te.After, te.Err)
	}
	if errors.Is(err, context.Canceled) {
		return errors.New("cancelled")
	}
	return err
}
