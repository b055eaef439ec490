package kafka

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/cpu"

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
	// InMemory says next never blocks (it makes records in memory, like a
	// template's): it is then called on the sending goroutine, with no
	// handoff between goroutines at all.
	InMemory bool
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
	// FailedRecords are the numbers of the records that failed, counted
	// from 1 in the order they were sent (a stdin line's number, a
	// --count run's iteration), ascending, at most MaxFailedRecords of
	// them: a script re-sends exactly those.
	FailedRecords []int64 `json:"failed_records,omitempty"`
	// UnackedRecords, in a run's final stats, are the numbers (as
	// FailedRecords') of the records given up on unanswered: they may or
	// may not have been written. At most MaxFailedRecords of them.
	UnackedRecords []int64 `json:"unacknowledged_records,omitempty"`
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
// the client's buffer (kgo.MaxBufferedRecords, twice this), so a send
// never blocks inside the client where neither a cancel nor a progress
// report can reach it. 8,192 kept about one full batch per partition in
// flight and the run waited on acknowledgements: on a quiet machine
// 65,536 took a 200,000-record stdin run from 310 to 266 ms (median of
// 10; a bare franz-go loop with its 50,000: 201-211 ms), its latency p50
// from 8 to 13 ms. maxOutstandingBytes still bounds large records.
const maxOutstanding = 65536

// maxOutstandingBytes bounds the key and value bytes sent and not yet
// answered, so that large records cannot pile up gigabytes.
const maxOutstandingBytes = 64 << 20

// sourceAhead is how many records an uncapped run's source may have
// ready before they are sent: the loop takes them without a handoff
// between goroutines per record. A run with a rate fetches each record
// when it is due, so a line read is a line about to be sent.
const sourceAhead = 1024

// maxAheadBytes bounds the key and value bytes of those records.
const maxAheadBytes = 16 << 20

// waitingAfter is how long the broker may stay silent, with records
// waiting, before the run reports it is waiting.
const waitingAfter = 2 * time.Second

// clockEvery is how many records in a row, sent without a wait, share
// one reading of the clock: their timestamps (which the producer rounds
// to the millisecond) and the start of their latency are the same within
// microseconds, and reading the clock was a twentieth of the CPU.
const clockEvery = 16

// pollEvery is how many records an uncapped run sends between looks at
// the clock for progress reports and a silent broker.
const pollEvery = 256

// ProduceStream sends the records next returns (i counts from 0) at the
// options' rate, without waiting for each acknowledgement, and returns
// when all sent records are acknowledged or failed. It stops sending at
// the first failure and returns it. It never waits on the broker for
// longer than DeliveryTimeout without an answer: then the records still
// waiting are given up on and reported (an *UnackedError). Cancelling
// ctx stops sending; the records sent get ProduceGrace to be
// acknowledged; if some are not, the error says how many. A cancelled
// run whose every record was acknowledged returns no error.
//
// next is called on a goroutine of its own, one call at a time, in
// order; without a rate it runs up to sourceAhead records ahead of the
// sending, so a record's bytes must stay as next returned them until the
// record is answered (a new buffer per record, or slabs never written
// again: template.Expander, the stdin line reader).
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
		taken:   make(chan struct{}, 1),
		tick:    time.NewTicker(100 * time.Millisecond),
	}
	r.heard = r.start
	r.promise = r.answer // one func value for every record, no closure each
	defer r.tick.Stop()
	// Records are not cancelled with ctx: a cancel stops sending, and the
	// ones sent get their grace. They are cancelled when the run returns,
	// so none is retried for ever in the background.
	var cancelRecs context.CancelFunc
	r.recCtx, cancelRecs = context.WithCancel(context.WithoutCancel(ctx))
	defer cancelRecs()

	// next runs on its own goroutine (unless InMemory), so a source that
	// blocks (stdin from a terminal) cannot hold up a cancel or the
	// reports on a silent broker.
	stop := make(chan struct{})
	defer close(stop)
	var reqs chan int
	var recs chan fetchedRecord
	switch {
	case opts.InMemory:
	case opts.Rate > 0:
		reqs, recs = make(chan int), make(chan fetchedRecord)
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
	default:
		recs = make(chan fetchedRecord, sourceAhead)
		go func() {
			var seenOut int64
			for i := 0; opts.Count == 0 || i < opts.Count; i++ {
				rec, ok := next(i)
				if !r.ready(int64(len(rec.Key)+len(rec.Value)), &seenOut, stop) {
					return
				}
				// A send without the stop case first: a select of two
				// channels locks both, a tenth of the run's locking.
				select {
				case recs <- fetchedRecord{rec, ok}:
				default:
					select {
					case recs <- fetchedRecord{rec, ok}:
					case <-stop:
						return
					}
				}
				if !ok {
					return
				}
			}
		}()
	}

	var interval time.Duration
	if opts.Rate > 0 {
		interval = time.Duration(float64(time.Second) / opts.Rate)
	}
	var rr atomic.Uint32
	var last preparedTopic // the topic of the record before, looked up once
	done := ctx.Done()
	// now is the send time of records (their timestamp, the start of
	// their latency): read every clockEvery records when they flow, or
	// after a wait, not for each.
	var now time.Time
	for i := 0; opts.Count == 0 || i < opts.Count; i++ {
		waited := interval > 0 || i%clockEvery == 0
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
		if r.failing.Load() {
			break
		}
		if i%pollEvery == 0 || r.mayBeFull() {
			waited = true
			if !r.poll(ctx) {
				break
			}
			if r.full() {
				// Wait for room for a burst, not for each answer: one wake-up
				// per record freed was a switch between goroutines each.
				if _, ok := r.await(ctx, nil, r.roomy, nil); !ok {
					break
				}
			}
		}
		if reqs != nil {
			select {
			case reqs <- i:
			case <-ctx.Done():
			}
			if ctx.Err() != nil {
				break
			}
		}
		var f fetchedRecord
		if opts.InMemory {
			f.rec, f.ok = next(i)
		} else {
			select {
			case f = <-recs: // the source is ahead: no wait
			default:
				f, _ = r.await(ctx, nil, nil, recs) // f.ok is false when it must stop
				waited = true
			}
		}
		if !f.ok || ended(done) {
			break
		}
		if !opts.InMemory {
			r.took(int64(len(f.rec.Key) + len(f.rec.Value)))
		}
		sr := r.get()
		if err := last.prepare(ctx, c, f.rec, &rr, &sr.kr); err != nil {
			r.put(sr)
			if ctx.Err() == nil {
				r.fail(err)
			}
			break
		}
		if waited {
			now = time.Now()
		}
		r.send(sr, last.lim, now, waited)
	}
	err := r.drain(ctx)
	final := r.snapshot()
	final.Interrupted = ctx.Err() != nil
	// Answers of different partitions come in any order: sorted once, here.
	final.FailedRecords = slices.Sorted(slices.Values(final.FailedRecords))
	if final.Unacked > 0 {
		r.mu.Lock()
		final.UnackedRecords = r.answers.missing(final.Sent, MaxFailedRecords)
		r.mu.Unlock()
	}
	if r.firstErr != nil {
		final.FirstErr = r.firstErr.Error()
	}
	if opts.Progress != nil {
		opts.Progress(final)
	}
	return final, err
}

// ended reports whether done is closed, without waiting.
func ended(done <-chan struct{}) bool {
	select {
	case <-done:
		return true
	default:
		return false
	}
}

// preparedTopic is the topic of a run's last record, its partitions and
// size limit: records to the same topic skip the lookups.
type preparedTopic struct {
	topic string
	n     int32
	lim   recordLimit
}

// prepare converts rec into kr as Client.prepare does, from what it
// knows of the topic when the record stays within it.
func (t *preparedTopic) prepare(ctx context.Context, c *Client, rec Record, rr *atomic.Uint32, kr *kgo.Record) error {
	if t.n > 0 && rec.Topic == t.topic && rec.Partition < t.n && RecordSize(rec) <= int(t.lim.limit) {
		fillKgo(kr, rec, pickPartition(rec, t.n, rr))
		return nil
	}
	n, lim, err := c.prepareInto(ctx, rec, rr, kr)
	if err != nil {
		return err
	}
	*t = preparedTopic{topic: rec.Topic, n: n, lim: lim}
	return nil
}

// streamRun is the state of one ProduceStream.
type streamRun struct {
	c       *Client
	opts    StreamOptions
	start   time.Time
	deliver time.Duration
	recCtx  context.Context
	tick    *time.Ticker
	changed chan struct{} // poked on an answer while the sending waits
	promise func(*kgo.Record, error)
	pool    sync.Pool // of *inFlight

	taken      chan struct{} // poked when the source may go on ahead
	roomWanted atomic.Bool   // the source may wait for taken
	wakeOn     atomic.Bool   // the sending waits for room: answers poke changed once roomy
	draining   atomic.Bool   // the sending is over: the last answer pokes changed
	failing    atomic.Bool   // a record failed: stop sending

	// The counters, each written by one goroutine only and kept on cache
	// lines of their own: written in turn from two cores, a shared line
	// was a miss on every record for each goroutine touching it. The
	// differences are what is in flight (sent - answered) or ready
	// (aheadIn - aheadOut).
	_             cpu.CacheLinePad
	sent          atomic.Int64 // records handed to the producer (the sending)
	sentBytes     atomic.Int64 // their key and value bytes
	aheadOut      atomic.Int64 // key and value bytes taken from the source
	seenAnswered  int64        // answered and answeredBytes as the sending last read them
	seenAnsBytes  int64
	_             cpu.CacheLinePad
	answered      atomic.Int64 // acknowledged or failed (the promise)
	answeredBytes atomic.Int64 // their key and value bytes
	_             cpu.CacheLinePad
	aheadIn       atomic.Int64 // key and value bytes the source made ready (the source)
	_             cpu.CacheLinePad

	mu       sync.Mutex
	stats    StreamStats // Acked, Failed and Bytes; Sent is sent
	lats     latencyHist
	firstErr error
	heard    time.Time   // the broker's last answer, or the send that ended a quiet spell
	answers  answeredSet // which records were answered, to name the ones that were not
}

// MaxFailedRecords caps the failed record numbers a run keeps: past it,
// only StreamStats.Failed counts. It is twice maxOutstanding, so that all
// the records a failure leaves in flight can be named (the run stops
// sending at the first failure).
const MaxFailedRecords = 2 * maxOutstanding

// inFlight is a record handed to the producer and what its answer needs.
// It is its record's Context (the run's record context, embedded), so
// the run's one promise finds it without a closure per record; answered,
// it goes back to the run's pool.
type inFlight struct {
	context.Context
	kr   kgo.Record
	sent time.Time
	lim  recordLimit
	n    int64 // the record's number in the run, from 1
}

func (r *streamRun) get() *inFlight {
	if f, ok := r.pool.Get().(*inFlight); ok {
		return f
	}
	return &inFlight{Context: r.recCtx}
}

func (r *streamRun) put(f *inFlight) {
	f.kr = kgo.Record{Headers: f.kr.Headers[:0]} // hold no record's bytes
	r.pool.Put(f)
}

// ready counts a record of size bytes the source made ready and, when the
// source is then too far ahead (over maxAheadBytes, or a record larger
// than that with others waiting), waits once for the sending to take
// some (took). seenOut is the source's last read of the bytes taken,
// which only grow: most records are checked without reading the
// sending's counter. The sending pokes taken on a take once roomWanted
// says the source may wait; the check after setting it sees any take that
// missed it. False when stop closed.
func (r *streamRun) ready(size int64, seenOut *int64, stop <-chan struct{}) bool {
	in, bound := r.aheadIn.Add(size), max(maxAheadBytes, size)
	if in-*seenOut <= bound {
		return true
	}
	if *seenOut = r.aheadOut.Load(); in-*seenOut <= bound {
		return true
	}
	r.roomWanted.Store(true)
	defer r.roomWanted.Store(false)
	if in-r.aheadOut.Load() > bound {
		select {
		case <-r.taken:
		case <-stop:
			return false
		}
	}
	return true
}

// took counts a record of size bytes the sending took from the source,
// and pokes a source that may be waiting for room (ready).
func (r *streamRun) took(size int64) {
	r.aheadOut.Add(size)
	if r.roomWanted.Load() {
		select {
		case r.taken <- struct{}{}:
		default:
		}
	}
}

func (r *streamRun) outstanding() int64 {
	return r.sent.Load() - r.answered.Load()
}

// outstandingBytes is the key and value bytes sent and not answered.
func (r *streamRun) outstandingBytes() int64 {
	return r.sentBytes.Load() - r.answeredBytes.Load()
}

// full says the records in flight are as many, or as large, as allowed.
func (r *streamRun) full() bool { return r.fullGiven(r.answered.Load(), r.answeredBytes.Load()) }

// fullGiven is full with answered records and bytes as given.
func (r *streamRun) fullGiven(answered, answeredBytes int64) bool {
	return r.sent.Load()-answered >= maxOutstanding || r.sentBytes.Load()-answeredBytes >= maxOutstandingBytes
}

// mayBeFull is full for the sending, without reading the answers unless
// the ones it read last leave too much in flight: answers only grow, so a
// run not full by them is not full. The sending calls it for every record.
func (r *streamRun) mayBeFull() bool {
	if !r.fullGiven(r.seenAnswered, r.seenAnsBytes) {
		return false
	}
	r.seenAnswered, r.seenAnsBytes = r.answered.Load(), r.answeredBytes.Load()
	return r.fullGiven(r.seenAnswered, r.seenAnsBytes)
}

// roomy says a full run may send again: a quarter of the records and
// bytes allowed in flight have been answered.
func (r *streamRun) roomy() bool {
	return r.outstanding() <= maxOutstanding*3/4 && r.outstandingBytes() <= maxOutstandingBytes*3/4
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
	r.failing.Store(true)
}

// snapshot is the stats so far.
func (r *streamRun) snapshot() StreamStats {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.stats
	// The run appends only past FailedRecords' length; Sent is read after
	// the answers are counted, so it is never fewer than them.
	s.FailedRecords = s.FailedRecords[:len(s.FailedRecords):len(s.FailedRecords)]
	s.Sent = r.sent.Load()
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
	out := r.sent.Load() - r.stats.Acked - r.stats.Failed
	if out == 0 || time.Since(r.heard) < r.deliver {
		return false
	}
	if r.firstErr == nil {
		r.firstErr = &UnackedError{Unacked: out, Since: r.heard, Timeout: r.deliver}
	}
	r.failing.Store(true)
	return true
}

// fetchedRecord is one answer of the record source.
type fetchedRecord struct {
	rec Record
	ok  bool
}

// poll is what an uncapped run does between records now and then: a
// progress report when one is due, and false when it must stop sending
// (ctx ended, a record failed, the broker went silent).
func (r *streamRun) poll(ctx context.Context) bool {
	select {
	case <-r.tick.C:
		r.progress()
	default:
	}
	return !r.failing.Load() && !r.stalled() && ctx.Err() == nil
}

// await waits until ready holds, wake fires or recs delivers (each one
// optional), reporting progress on the way. It returns false when the run
// must stop sending: ctx ended, a record failed, or the broker went
// silent past the delivery timeout.
func (r *streamRun) await(ctx context.Context, wake <-chan time.Time, ready func() bool, recs <-chan fetchedRecord) (fetchedRecord, bool) {
	if ready != nil {
		r.wakeOn.Store(true) // before looking at the counts: an answer after it pokes
		defer r.wakeOn.Store(false)
	}
	for {
		if ready != nil && ready() {
			return fetchedRecord{}, true
		}
		if r.failing.Load() || r.stalled() || ctx.Err() != nil {
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

// send hands f's record to the producer; the run's promise counts its
// answer.
//
// After a wait (waited), when every record sent is answered, a quiet
// spell ends: the broker owes nothing until now. A run sending without a
// wait does not read the answers for it on every record.
func (r *streamRun) send(f *inFlight, lim recordLimit, now time.Time, waited bool) {
	f.sent = now
	f.lim = lim
	f.kr.Context = f
	if f.kr.Timestamp.IsZero() {
		f.kr.Timestamp = f.sent // what the producer would stamp, without asking the clock again
	}
	if waited && r.sent.Load() == r.answered.Load() {
		r.mu.Lock()
		r.heard = f.sent // the broker owed nothing until now
		r.mu.Unlock()
	}
	f.n = r.sent.Add(1)
	r.sentBytes.Add(int64(len(f.kr.Key) + len(f.kr.Value)))
	r.c.cl.Produce(f, &f.kr, r.promise)
}

// answer is the promise of every record of the run.
func (r *streamRun) answer(rec *kgo.Record, err error) {
	f := rec.Context.(*inFlight)
	now := time.Now()
	r.mu.Lock()
	r.heard = now
	r.answers.add(f.n)
	if err != nil {
		r.stats.Failed++
		if len(r.stats.FailedRecords) < MaxFailedRecords {
			r.stats.FailedRecords = append(r.stats.FailedRecords, f.n)
		}
		if r.firstErr == nil {
			r.firstErr = fmt.Errorf("produce to %q: %w", rec.Topic, r.c.explainAuth(f.lim.explain(rec, err), "Write", "Topic", rec.Topic))
		}
		r.failing.Store(true)
	} else {
		r.stats.Acked++
		r.stats.Bytes += int64(len(rec.Key) + len(rec.Value))
		r.lats.add(now.Sub(f.sent))
	}
	r.mu.Unlock()
	r.answeredBytes.Add(int64(len(rec.Key) + len(rec.Value)))
	r.answered.Add(1)
	r.put(f)
	// After counting, so a wait that began before sees the count; a
	// failure always pokes.
	if err != nil || r.wakeOn.Load() && r.roomy() || r.draining.Load() && r.outstanding() == 0 {
		select {
		case r.changed <- struct{}{}:
		default:
		}
	}
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
	r.draining.Store(true) // for good: the sending is over
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
