package kafka

import (
	"context"
	"errors"
	"io"
	"sync"
)

// DefaultBuffer is how many records a tail keeps when not told.
const DefaultBuffer = 10000

// Tail consumes a topic on its own goroutine into a Ring. It never sends
// records anywhere: readers take from the ring when they are ready, so any
// record rate costs the reader one snapshot per frame.
type Tail struct {
	ring   *Ring
	cons   *Consumer
	cancel context.CancelFunc
	done   chan struct{}

	mu   sync.Mutex
	err  error            // the latest poll's error
	down *BrokerDownError // while fetches are down: kept apart from err, which each poll sets
}

// Tail starts consuming into a ring of buffer records (DefaultBuffer
// when zero). Closing the tail, or ending ctx, stops it.
func (c *Client) Tail(ctx context.Context, opts TailOptions, buffer int) (*Tail, error) {
	if buffer <= 0 {
		buffer = DefaultBuffer
	}
	t := &Tail{ring: NewRing(buffer), done: make(chan struct{})}
	report := opts.OnFetchState
	opts.OnFetchState = func(st FetchState) {
		t.mu.Lock()
		if st.Down {
			t.down = &BrokerDownError{Topic: opts.Topic, Since: st.Since, For: st.For, Err: st.Err, Retrying: true}
		} else {
			t.down = nil
		}
		t.mu.Unlock()
		if report != nil {
			report(st)
		}
	}
	opts.InPlace = false // the ring keeps the records
	opts.wholeFetches = true
	cons, err := c.Consume(ctx, opts)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	t.cons, t.cancel = cons, cancel
	go t.run(ctx)
	return t, nil
}

func (t *Tail) run(ctx context.Context) {
	defer close(t.done)
	defer t.cons.Close()
	// Whole fetches, so franz-go fetches the next while the ring takes
	// this one; only the newest records the ring can hold are copied.
	var b Batch
	defer b.Release()
	var scratch []Record
	for {
		err := t.cons.PollBatch(ctx, &b)
		scratch = t.ring.pushBatch(&b, scratch)
		t.mu.Lock()
		t.err = err // a later good poll clears a passing error
		t.mu.Unlock()
		if errors.Is(err, io.EOF) || ctx.Err() != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, context.Canceled) {
				t.mu.Lock()
				t.err, t.down = nil, nil
				t.mu.Unlock()
			}
			t.ring.Push(nil)
			select { // wake a reader waiting for the end
			case t.ring.notify <- struct{}{}:
			default:
			}
			return
		}
	}
}

// Ring is the buffer the tail fills.
func (t *Tail) Ring() *Ring { return t.ring }

// Progress is how far each partition has been read.
func (t *Tail) Progress() []PartitionProgress { return t.cons.Progress() }

// Err is the latest fetch error (a broker lost, say: a *BrokerDownError
// while no fetch succeeds), nil once fetches succeed again. The tail keeps
// retrying; it resumes at the next offset.
func (t *Tail) Err() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.down != nil {
		return t.down
	}
	return t.err
}

// Done is closed when the tail stops: closed, ctx ended, or StopAtEnd
// reached the end.
func (t *Tail) Done() <-chan struct{} { return t.done }

// Close stops the tail and waits for its goroutine to end.
func (t *Tail) Close() {
	t.cancel()
	<-t.done
}
