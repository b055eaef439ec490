package views

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
)

// tailWakeMsg tells the view with ID that its feed Gen has news (or that
// a stats period passed): it takes the ring's delta in one go.
type tailWakeMsg struct{ ID, Gen int }

// tailStartedMsg answers begin.
type tailStartedMsg struct {
	ID, Gen int
	Tail    *kafka.Tail
	Stop    context.CancelFunc
	Err     error
}

// tailSavedMsg answers a save.
type tailSavedMsg struct {
	ID   int
	Path string
	N    int
	Err  error
}

// wait is the tail's self-re-arming command of the hot path; a stats
// period wakes it too, so rates and progress move when nothing arrives.
func (v *Tail) wait() tea.Cmd {
	if v.feed == nil {
		return nil
	}
	block, id, gen := v.feed.waiter(v.ctx, v.lastTake, tailFrame, tailStatsEvery), v.id, v.feedGen
	return func() tea.Msg {
		if !block() {
			return nil
		}
		return tailWakeMsg{ID: id, Gen: gen}
	}
}

// begin starts the tail. Starting (listing offsets) is bounded by the
// call timeout; the tail itself then runs until the view closes or is
// restarted.
func (v *Tail) begin() tea.Cmd {
	if v.src == nil {
		return nil
	}
	v.feedGen++
	v.starting, v.startErr = true, nil
	src, id, gen, timeout := v.src, v.id, v.feedGen, v.c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	opts := kafka.TailOptions{Topic: v.topic, Partitions: v.parts, Start: v.start, MaxBytes: v.opts.MaxBytes}
	buffer := v.opts.Buffer
	ctx, stop := context.WithCancel(v.ctx)
	return func() tea.Msg {
		timer := time.AfterFunc(timeout, stop)
		t, err := src.Tail(ctx, opts, buffer)
		if !timer.Stop() { // the start took too long and was cancelled
			if t != nil {
				t.Close()
			}
			if err == nil {
				err = context.DeadlineExceeded
			}
			err = &TimeoutError{What: "start tail of " + opts.Topic, After: timeout, Err: err}
		}
		if err != nil {
			stop()
			return tailStartedMsg{ID: id, Gen: gen, Err: err}
		}
		return tailStartedMsg{ID: id, Gen: gen, Tail: t, Stop: stop}
	}
}

// countPartitions asks how many partitions the topic has, for the picker
// and the progress line.
func (v *Tail) countPartitions() tea.Cmd {
	if v.src == nil {
		return nil
	}
	src, topic := v.src, v.topic
	return Call(v.c, v.id, 0, "partitions of "+topic, func(ctx context.Context) (int32, error) {
		return src.Partitions(ctx, topic)
	})
}

// saveRecords writes recs as JSON lines to path, refusing to overwrite.
func saveRecords(id int, path string, recs []kafka.Record) tea.Cmd {
	return func() tea.Msg {
		err := writeJSONLines(path, recs)
		return tailSavedMsg{ID: id, Path: path, N: len(recs), Err: err}
	}
}

func writeJSONLines(path string, recs []kafka.Record) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("save: %w", err)
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("save %s: %w", path, cerr)
		}
	}()
	w := bufio.NewWriterSize(f, 1<<16)
	enc := json.NewEncoder(w)
	for _, r := range recs {
		if err := enc.Encode(kafka.ToJSON(r)); err != nil {
			return fmt.Errorf("save %s: record %d@%d: %w", path, r.Partition, r.Offset, err)
		}
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	return nil
}

// ViewID is the id of the tail the feed belongs to.
func (m tailWakeMsg) ViewID() int { return m.ID }

// ViewID is the id of the tail that asked for the start.
func (m tailStartedMsg) ViewID() int { return m.ID }

// ViewID is the id of the tail that saved.
func (m tailSavedMsg) ViewID() int { return m.ID }
