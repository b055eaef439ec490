package kafka

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// StreamOptions shapes a produce run of many records.
type StreamOptions struct {
	// Count is how many records to send; 0 sends until next returns false
	// or ctx ends.
	Count int
	// Rate caps records per second; 0 sends as fast as the brokers take.
	Rate float64
	// Progress, when set, is called about ten times a second and at the
	// end, also while the run waits for the broker.
	Progress func(StreamStats)
}

// StreamStats counts a produce run. Latencies are from send to
// acknowledgement. Sent = Acked + Failed + Unacked.
type StreamStats struct {
	Sent   int64 `json:"sent"`
	Acked  int64 `json:"acked"`
	Failed int64 `json:"failed"`
	// Unacked were sent and neither acknowledged nor failed: in flight
	// during the run, and at its end the ones given up on (the delivery
	// timeout passed, or the run was interrupted). They may or may not
	// have been written.
	Unacked  int64         `json:"unacknowledged"`
	Bytes    int64         `json:"bytes"`
	Elapsed  time.Duration `json:"elapsed_ns"`
	P50      time.Duration `json:"p50_ns"`
	P99      time.Duration `json:"p99_ns"`
	FirstErr string        `json:"first_error,omitempty"`
	// WaitingSince, when set, is the last time the broker answered while
	// records have been waiting for it for longer than a couple of seconds.
	WaitingSince time.Time `json:"waiting_since,omitzero"`
	// Interrupted says ctx ended the run before every record was sent.
	Interrupted bool `json:"interrupted,omitempty"`
}

// Rate is acknowledged records per second.
func (s StreamStats) Rate() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Acked) / s.Elapsed.Seconds()
}

// maxOutstanding bounds the records sent and not yet answered, below
// franz-go's buffer of 10,000, so a send never blocks inside the client
// where neither a cancel nor a progress report can reach it.
const maxOutstanding = 8192

// waitingAfter is how long the broker may stay silent, with records
// waiting, before the run reports it is waiting.
const waitingAfter = 2 * time.Second

// ProduceStream sends the records next returns (i counts from 0) at the
// options' rate, without waiting for each acknowledgement, and returns
// when all sent records are acknowledged or failed. It stops sending at
// the first failure and returns it. It never waits on the broker for
// longer than DeliveryTimeout without an answer: then the records still
// waiting are given up on and reported (an *UnackedError). Cancelling
// ctx stops sending; the records sent get ProduceGrace to be
// acknowledged; if some are not, the error says how many. A cancelled
// run whose every record was acknowledged returns no error.
func (c *Client) ProduceStream(ctx context.Context, opts StreamOptions, next func(i int) (Record, bool)) (StreamStats, error) {
	if err := c.writable("produce"); err != nil {
		return StreamStats{}, err
	}
	r := &streamRun{
		c:       c,
		opts:    opts,
		start:   time.Now(),
		deliver: DeliveryTimeout(c.cfg),
		changed: make(chan struct{}, 1),
		tick:    time.NewTicker(100 * time.Millisecond),
	}
	defer r.tick.Stop()
	// Records are not cancelled with ctx: a cancel stops sending, and the
	// ones sent get their grace. They are cancelled when the run returns,
	// so none is retried for ever in the background.
	var cancelRecs context.CancelFunc
	r.recCtx, cancelRecs = context.WithCancel(context.WithoutCancel(ctx))
	defer cancelRecs()

	// next runs on its own goroutine, one call at a time, so a source that
	// blocks (stdin from a terminal) cannot hold up a cancel or the
	// reports on a silent broker.
	reqs, recs, stop := make(chan int), make(chan fetchedRecord), make(chan struct{})
	defer close(stop)
	go func() {
		for {
			var i int
			select {
			case i = <-reqs:
			case <-stop:
				return
			}
			rec, ok := next(i)
			select {
			case recs <- fetchedRecord{rec, ok}:
			case <-stop:
				return
			}
		}
	}()

	var interval time.Duration
	if opts.Rate > 0 {
		interval = time.Duration(float64(time.Second) / opts.Rate)
	}
	var rr atomic.Uint32
	for i := 0; opts.Count == 0 || i < opts.Count; i++ {
		if interval > 0 {
			// Pace against the start time, not the last send, so a slow
			// moment is caught up rather than lost.
			if d := time.Until(r.start.Add(time.Duration(i) * interval)); d > 0 {
				t := time.NewTimer(d)
				_, ok := r.await(ctx, t.C, nil, nil)
				t.Stop()
				if !ok {
					break
				}
			}
		}
		if _, ok := r.await(ctx, nil, func() bool { return r.outstanding() < maxOutstanding }, nil); !ok {
			break
		}
		select {
		case reqs <- i:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		f, ok := r.await(ctx, nil, nil, recs)
		if !ok || !f.ok {
			break
		}
		kr, lim, err := c.prepare(ctx, f.rec, &rr)
		if err != nil {
			if ctx.Err() == nil {
				r.fail(err)
			}
			break
		}
		r.send(kr, lim)
	}
	err := r.drain(ctx)
	final := r.snapshot()
	final.Interrupted = ctx.Err() != nil
	if r.firstErr != nil {
		final.FirstErr = r.firstErr.Error()
	}
	if opts.Progress != nil {
		opts.Progress(final)
	}
	return final, err
}

// streamRun is the state of one ProduceStream.
type streamRun struct {
	c       *Client
	opts    StreamOptions
	start   time.Time
	deliver time.Duration
	recCtx  context.Context
	tick    *time.Ticker
	changed chan struct{} // poked on every answer

	mu       sync.Mutex
	stats    StreamStats
	lats     latencyHist
	firstErr error
	heard    time.Time // the broker's last answer, or the send that ended a quiet spell
}

func (r *streamRun) outstanding() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stats.Sent - r.stats.Acked - r.stats.Failed
}

func (r *streamRun) err() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.firstErr
}

func (r *streamRun) fail(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.firstErr == nil {
		r.firstErr = err
	}
}

// snapshot is the stats so far.
func (r *streamRun) snapshot() StreamStats {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.stats
	s.Elapsed = time.Since(r.start)
	s.P50, s.P99 = r.lats.quantile(0.50), r.lats.quantile(0.99)
	s.Unacked = s.Sent - s.Acked - s.Failed
	if s.Unacked > 0 && time.Since(r.heard) > waitingAfter {
		s.WaitingSince = r.heard
	}
	return s
}

// stalled fails the run when records have waited longer than the
// delivery timeout without a word from the broker.
func (r *streamRun) stalled() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.stats.Sent - r.stats.Acked - r.stats.Failed
	if out == 0 || time.Since(r.heard) < r.deliver {
		return false
	}
	if r.firstErr == nil {
		r.firstErr = &UnackedError{Unacked: out, Since: r.heard, Timeout: r.deliver}
	}
	return true
}

// fetchedRecord is one answer of the record source.
type fetchedRecord struct {
	rec Record
	ok  bool
}

// await waits until ready holds, wake fires or recs delivers (each one
// optional), reporting progress on the way. It returns false when the run
// must stop sending: ctx ended, a record failed, or the broker went
// silent past the delivery timeout.
func (r *streamRun) await(ctx context.Context, wake <-chan time.Time, ready func() bool, recs <-chan fetchedRecord) (fetchedRecord, bool) {
	for {
		if ready != nil && ready() {
			return fetchedRecord{}, true
		}
		if r.err() != nil || r.stalled() || ctx.Err() != nil {
			return fetchedRecord{}, false
		}
		select {
		case <-ctx.Done():
			return fetchedRecord{}, false
		case <-wake:
			return fetchedRecord{}, true
		case f := <-recs:
			return f, true
		case <-r.changed:
		case <-r.tick.C:
			r.progress()
		}
	}
}

// send hands kr to the producer and counts its answer.
func (r *streamRun) send(kr *kgo.Record, lim recordLimit) {
	size := int64(len(kr.Key) + len(kr.Value))
	sent := time.Now()
	r.mu.Lock()
	if r.stats.Sent == r.stats.Acked+r.stats.Failed {
		r.heard = sent // the broker owed nothing until now
	}
	r.stats.Sent++
	r.mu.Unlock()
	r.c.cl.Produce(r.recCtx, kr, func(rec *kgo.Record, err error) {
		lat := time.Since(sent)
		r.mu.Lock()
		r.heard = time.Now()
		if err != nil {
			r.stats.Failed++
			if r.firstErr == nil {
				r.firstErr = fmt.Errorf("produce to %q: %w", rec.Topic, r.c.explainAuth(lim.explain(rec, err), "Write", "Topic", rec.Topic))
			}
		} else {
			r.stats.Acked++
			r.stats.Bytes += size
			r.lats.add(lat)
		}
		r.mu.Unlock()
		select {
		case r.changed <- struct{}{}:
		default:
		}
	})
}

// drain waits for the answers to the records sent, at most the delivery
// timeout of silence, and only ProduceGrace once ctx has ended. It
// returns the run's error.
func (r *streamRun) drain(ctx context.Context) error {
	done := ctx.Done()
	var grace <-chan time.Time
	var graceTimer *time.Timer // started once, when ctx ends
	defer func() {
		if graceTimer != nil {
			graceTimer.Stop()
		}
	}()
	for r.outstanding() > 0 && !r.stalled() {
		select {
		case <-r.changed:
		case <-r.tick.C:
			r.progress()
		case <-done:
			done = nil
			graceTimer = time.NewTimer(ProduceGrace)
			grace = graceTimer.C
		case <-grace:
			if err := r.err(); err != nil {
				return err
			}
			return &UnackedError{Unacked: r.outstanding(), Interrupted: true}
		}
	}
	return r.err()
}

func (r *streamRun) progress() {
	if r.opts.Progress != nil {
		r.opts.Progress(r.snapshot())
	}
}
