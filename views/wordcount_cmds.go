package views

import (
	"context"
	"fmt"
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
	"kflow/kafka/wordcount"
)

// wcWakeMsg tells the panel with ID that its feed Gen has news: it takes
// the ring's delta in one go.
type wcWakeMsg struct{ ID, Gen int }

// wcTailMsg answers beginTail.
type wcTailMsg struct {
	ID, Gen int
	Tail    *kafka.Tail
	Stop    context.CancelFunc
	Err     error
}

// wcEngineMsg answers startEngine.
type wcEngineMsg struct {
	ID, Gen int
	Engine  WordCountEngine
	Stop    context.CancelFunc
	Err     error
}

// wcEngineDoneMsg says engine Gen stopped, by itself or asked.
type wcEngineDoneMsg struct {
	ID, Gen int
	Err     error
}

// wcSent answers a send of the input line.
type wcSent struct {
	Result kafka.ProduceResult
	Words  int
}

// wcLag is what one lag call found of the engine's groups.
type wcLag struct {
	Groups []kafka.GroupLag
}

// wait is the panel's self-re-arming command of the hot path.
func (v *WordCount) wait() tea.Cmd {
	if v.feed == nil {
		return nil
	}
	block, id, gen := v.feed.waiter(v.ctx, v.lastTake, wordCountFrame, 0), v.id, v.feedGen
	return func() tea.Msg {
		if !block() {
			return nil
		}
		return wcWakeMsg{ID: id, Gen: gen}
	}
}

// beginTail starts reading the output topic from its beginning. Starting
// is bounded by the call timeout; the tail then runs until the panel
// closes.
func (v *WordCount) beginTail() tea.Cmd {
	if v.src == nil {
		return nil
	}
	v.feedGen++
	v.starting = true
	src, id, gen, timeout := v.src, v.id, v.feedGen, v.timeout()
	opts := kafka.TailOptions{Topic: v.opts.Output, Start: kafka.Start{Kind: kafka.StartBeginning}}
	buffer := v.opts.Buffer
	ctx, stop := context.WithCancel(v.ctx)
	return func() tea.Msg {
		timer := time.AfterFunc(timeout, stop)
		t, err := src.Tail(ctx, opts, buffer)
		if !timer.Stop() {
			if t != nil {
				t.Close()
			}
			if err == nil {
				err = context.DeadlineExceeded
			}
			err = &TimeoutError{What: "read " + opts.Topic, After: timeout, Err: err}
		}
		if err != nil {
			stop()
			return wcTailMsg{ID: id, Gen: gen, Err: fmt.Errorf("word count: read the counts: %w", err)}
		}
		return wcTailMsg{ID: id, Gen: gen, Tail: t, Stop: stop}
	}
}

// startEngine starts an engine in-process. Its context is the panel's,
// so it stops when the panel closes; the start itself is bounded by the
// call timeout.
func (v *WordCount) startEngine() tea.Cmd {
	v.engineGen++
	v.engineBusy, v.engineErr = true, nil
	src, id, gen, timeout := v.src, v.id, v.engineGen, v.timeout()
	// CreateInput: the panel runs on its default topics, which a typo
	// cannot change, and makes the input it sends to as it makes the
	// others. The engine's outages show on the panel (outages).
	v.outages = &wcOutages{}
	opts := wordcount.Options{App: v.opts.App, Input: v.opts.Input, Output: v.opts.Output, Decoder: v.c.Decoder,
		CreateInput: true, OnEvent: v.outages.add}
	ctx, stop := context.WithCancel(v.ctx)
	return func() tea.Msg {
		timer := time.AfterFunc(timeout, stop)
		eng, err := src.StartWordCount(ctx, opts)
		if !timer.Stop() {
			if eng != nil {
				_ = eng.Close()
			}
			if err == nil {
				err = context.DeadlineExceeded
			}
			err = &TimeoutError{What: "start the word count engine", After: timeout, Err: err}
		}
		if err != nil {
			stop()
			return wcEngineMsg{ID: id, Gen: gen, Err: fmt.Errorf("word count: start the engine: %w", err)}
		}
		return wcEngineMsg{ID: id, Gen: gen, Engine: eng, Stop: stop}
	}
}

// watchEngine waits for the engine to stop and says so.
func (v *WordCount) watchEngine() tea.Cmd {
	eng, id, gen := v.engine, v.id, v.engineGen
	if eng == nil {
		return nil
	}
	return func() tea.Msg {
		<-eng.Done()
		return wcEngineDoneMsg{ID: id, Gen: gen, Err: eng.Err()}
	}
}

// closeEngine stops the in-process engine, waiting for it off the UI's
// goroutine; its Done is then reported by watchEngine.
func (v *WordCount) closeEngine() tea.Cmd {
	eng := v.engine
	if eng == nil {
		return nil
	}
	v.engineBusy = true
	return func() tea.Msg {
		_ = eng.Close() // the error, if any, reaches watchEngine through Err
		return nil
	}
}

// stopEngine stops the engine without waiting: each stage ends its
// transaction and leaves its group in the background.
func (v *WordCount) stopEngine() {
	if v.engine == nil {
		return
	}
	eng := v.engine
	v.engine = nil
	v.engineGen++
	go func() { _ = eng.Close() }()
	if v.engineStop != nil {
		v.engineStop()
	}
}

// lagCall asks the lag of the engine's groups: the ones that exist, so a
// panel watching before any engine ran says so instead of failing.
func (v *WordCount) lagCall() tea.Cmd {
	if v.src == nil || v.lagBusy {
		return nil
	}
	v.lagBusy = true
	src := v.src
	names := []string{v.opts.App + "-split", v.opts.App + "-count"}
	return Call(v.c, v.id, 0, "lag of "+v.opts.App, func(ctx context.Context) (wcLag, error) {
		all, err := src.ListGroups(ctx)
		if err != nil {
			return wcLag{}, fmt.Errorf("word count: list groups: %w", err)
		}
		var have []string
		for _, n := range names {
			if slices.ContainsFunc(all, func(g kafka.GroupSummary) bool { return g.ID == n }) {
				have = append(have, n)
			}
		}
		if len(have) == 0 {
			return wcLag{}, nil
		}
		lags, err := src.Lag(ctx, have...)
		if err != nil {
			return wcLag{}, fmt.Errorf("word count: lag of the engine's groups: %w", err)
		}
		return wcLag{Groups: lags}, nil
	})
}

// send produces the typed line into the input topic.
func (v *WordCount) send(line string) tea.Cmd {
	v.sending++
	src, topic := v.src, v.opts.Input
	words := len(wordcount.SplitWords(line))
	return Call(v.c, v.id, 0, "send to "+topic, func(ctx context.Context) (wcSent, error) {
		res, err := src.Produce(ctx, kafka.Record{Topic: topic, Value: []byte(line)})
		if err != nil {
			return wcSent{}, fmt.Errorf("word count: send the line: %w", err)
		}
		return wcSent{Result: res, Words: words}, nil
	})
}

func (v *WordCount) timeout() time.Duration {
	if v.c.Timeout > 0 {
		return v.c.Timeout
	}
	return DefaultTimeout
}

// ViewID is the id of the panel the feed belongs to.
func (m wcWakeMsg) ViewID() int { return m.ID }

// ViewID is the id of the panel that started the tail.
func (m wcTailMsg) ViewID() int { return m.ID }

// ViewID is the id of the panel that started the engine.
func (m wcEngineMsg) ViewID() int { return m.ID }

// ViewID is the id of the panel whose engine stopped.
func (m wcEngineDoneMsg) ViewID() int { return m.ID }
