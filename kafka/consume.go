package kafka

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
)

// DefaultMaxBytes caps the key and the value a consumed record keeps, so
// one huge record cannot take the memory of a whole buffer.
const DefaultMaxBytes = 1 << 20

// inPlacePartitionBytes is what a consumer taking whole fetches (one
// reading in place, a Tail's) fetches of each partition at most: franz-go's
// default, the raw loop's. Such a consumer holds two fetches, the one being
// read and the next one. A quarter of it halved the peak memory on a loaded
// machine, but on a quiet one cost a quarter of the headless tail's speed
// (more round trips: BENCHMARKS.md, issue 16, quiet machine).
const inPlacePartitionBytes = 1 << 20

// TailOptions says what to consume and from where.
type TailOptions struct {
	Topic string
	// Partitions limits the tail to these; nil means all.
	Partitions []int32
	Start      Start
	// StopAtEnd stops at the end offsets seen when the tail starts.
	StopAtEnd bool
	// MaxBytes caps each key and value kept (DefaultMaxBytes when zero,
	// no cap when negative); the true sizes stay in the record.
	MaxBytes int
	// OnFetchState, when set, is told when fetches start failing (the
	// broker lost) and when they succeed again. It is called from the
	// consumer's own goroutine, never after Close returns.
	OnFetchState func(FetchState)
	// GiveUpAfter bounds how long a StopAtEnd consumer waits for failing
	// fetches to recover before Poll returns a *BrokerDownError: the
	// connection timeout when zero, never when negative. A consumer
	// without StopAtEnd retries for ever.
	GiveUpAfter time.Duration
	// InPlace reads records in franz-go's fetch memory, reused once they
	// are read: the consumer is read with PollBatch only (Poll refuses).
	// For a reader that formats each record once (the headless tail).
	InPlace bool

	// wholeFetches is set for a reader that takes whole fetches
	// (PollBatch: the headless tail, the ring of Client.Tail): it holds two
	// of them, so they are smaller (inPlacePartitionBytes).
	wholeFetches bool
}

// PartitionProgress is how far a tail has read one partition.
type PartitionProgress struct {
	Partition int32 `json:"partition"`
	// From is the offset the tail started at; Target the end offset when
	// it started; Next the next offset it will read; HighWater the latest
	// end offset a fetch reported.
	From      int64 `json:"from"`
	Target    int64 `json:"target"`
	Next      int64 `json:"next"`
	HighWater int64 `json:"high_water"`
}

// CaughtUp reports whether the tail has read up to the end it saw at start.
func (p PartitionProgress) CaughtUp() bool { return p.Next >= p.Target }

// Consumer reads a topic without a consumer group: nothing is committed,
// no other consumer is disturbed. Poll pulls batches, so a slow reader
// slows the fetches instead of losing records.
type Consumer struct {
	cl    *kgo.Client
	opts  TailOptions
	mu    sync.Mutex
	prog  map[int32]*PartitionProgress
	order []int32
	done  bool
	// pastEnd are the partitions whose start offset was past their end.
	pastEnd []PartitionEnd

	// gaveUp ends with a *BrokerDownError as its cause when a StopAtEnd
	// consumer gives up on a lost broker.
	gaveUp    context.Context
	giveUp    context.CancelCauseFunc
	stopWatch context.CancelFunc
	watchDone chan struct{}
	closeOnce sync.Once

	// explainAuth is the client's, naming the refused fetch's principal.
	explainAuth func(err error, op, typ, name string) error
}

// PartitionEnd is where one partition ends (its next offset).
type PartitionEnd struct {
	Partition int32 `json:"partition"`
	End       int64 `json:"end"`
}

// OffsetPastEndError says a bounded tail's start offset is past the end of
// every partition it reads, so it would read nothing: said, with where each
// partition ends, rather than a silent success.
type OffsetPastEndError struct {
	Topic  string
	Offset int64
	Ends   []PartitionEnd // by partition
}

// Error reads "tail "t": offset 999 is past the end (partition 0 ends at 3, partition 1 at 1)".
func (e *OffsetPastEndError) Error() string {
	return fmt.Sprintf("tail %q: offset %d is past the end (%s): nothing to read", e.Topic, e.Offset, FormatEnds(e.Ends))
}

// FormatEnds words partition ends: "partition 0 ends at 3, partition 1 at 1".
func FormatEnds(ends []PartitionEnd) string {
	parts := make([]string, len(ends))
	for i, pe := range ends {
		if i == 0 {
			parts[i] = fmt.Sprintf("partition %d ends at %d", pe.Partition, pe.End)
		} else {
			parts[i] = fmt.Sprintf("partition %d at %d", pe.Partition, pe.End)
		}
	}
	return strings.Join(parts, ", ")
}

// Consume starts reading opts.Topic from opts.Start. It resolves every
// start to an absolute offset first, so progress is exact from the start.
func (c *Client) Consume(ctx context.Context, opts TailOptions) (*Consumer, error) {
	if opts.MaxBytes == 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	from, target, err := c.resolveStart(ctx, opts)
	if err != nil {
		return nil, err
	}
	cs := &Consumer{opts: opts, prog: map[int32]*PartitionProgress{}, explainAuth: c.explainAuth}
	at := map[int32]kgo.Offset{}
	for p, off := range from {
		cs.prog[p] = &PartitionProgress{Partition: p, From: off, Target: target[p], Next: off, HighWater: target[p]}
		cs.order = append(cs.order, p)
		if !(opts.StopAtEnd && off >= target[p]) {
			at[p] = kgo.NewOffset().At(off)
		}
		if opts.Start.Kind == StartOffset && opts.Start.Offset > target[p] {
			cs.pastEnd = append(cs.pastEnd, PartitionEnd{Partition: p, End: target[p]})
		}
	}
	slices.Sort(cs.order)
	slices.SortFunc(cs.pastEnd, func(a, b PartitionEnd) int { return int(a.Partition - b.Partition) })
	if opts.StopAtEnd && len(cs.pastEnd) > 0 && len(cs.pastEnd) == len(cs.order) {
		return nil, &OffsetPastEndError{Topic: opts.Topic, Offset: opts.Start.Offset, Ends: cs.pastEnd}
	}
	if len(at) == 0 {
		cs.done = true
		return cs, nil
	}
	health := newFetchHealth()
	// Fetched batches' record slices (and, read in place, their
	// decompressed bytes) are reused once their records are read, instead
	// of being garbage for the collector per batch.
	pool := &recordPool{}
	extra := []kgo.Opt{kgo.WithPools(recordsOnly{pool})}
	if opts.InPlace {
		extra = []kgo.Opt{kgo.WithPools(pool)}
	}
	if opts.InPlace || opts.wholeFetches {
		extra = append(extra, kgo.FetchMaxPartitionBytes(inPlacePartitionBytes))
	}
	cs.cl, err = kgo.NewClient(append(append(slices.Clone(c.baseOpts), extra...),
		kgo.WithHooks(health),
		kgo.FetchMaxWait(fetchMaxWait),
		kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{opts.Topic: at}),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		// Commit markers take offsets: seeing them is how a tail knows
		// it reached the end of a transactional partition.
		kgo.KeepControlRecords(),
		// franz-go's 1 MiB per partition, and 16 MiB a fetch: bigger
		// fetches held 1.2 GB while the view kept 10,000 records of 10
		// million, and were no faster (BENCHMARKS.md).
		kgo.FetchMaxBytes(16<<20),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
	)...)
	if err != nil {
		return nil, fmt.Errorf("tail %q: %w", opts.Topic, err)
	}
	giveUpAfter := opts.GiveUpAfter
	switch {
	case !opts.StopAtEnd || giveUpAfter < 0:
		giveUpAfter = 0
	case giveUpAfter == 0:
		giveUpAfter = c.cfg.timeout()
	}
	cs.gaveUp, cs.giveUp = context.WithCancelCause(context.Background())
	var watchCtx context.Context
	watchCtx, cs.stopWatch = context.WithCancel(context.Background())
	cs.watchDone = make(chan struct{})
	go func() {
		defer close(cs.watchDone)
		health.watch(watchCtx, opts.OnFetchState, giveUpAfter, func(st FetchState) {
			cs.giveUp(&BrokerDownError{Topic: opts.Topic, Since: st.Since, For: st.For, Err: st.Err})
		})
	}()
	return cs, nil
}

// resolveStart lists offsets to turn the start position into an offset
// per partition, and the end offsets (last stable, so open transactions do
// not hold a bounded tail forever) that StopAtEnd stops at.
func (c *Client) resolveStart(ctx context.Context, opts TailOptions) (from, target map[int32]int64, err error) {
	topic := opts.Topic
	wrap := func(err error) error { return fmt.Errorf("tail %q: %w", topic, err) }
	s, err := c.adm.ListStartOffsets(ctx, topic)
	if err == nil {
		err = s.Error()
	}
	if errors.Is(err, kerr.UnknownTopicOrPartition) {
		return nil, nil, fmt.Errorf("tail: %w", c.unknownTopic(ctx, topic))
	}
	if err != nil {
		return nil, nil, wrap(c.explainAuth(err, "Describe", "Topic", topic))
	}
	e, err := c.adm.ListCommittedOffsets(ctx, topic)
	if err == nil {
		err = e.Error()
	}
	if err != nil {
		return nil, nil, wrap(c.explainAuth(err, "Describe", "Topic", topic))
	}
	starts, ends := listed(s)[topic], listed(e)[topic]
	if len(ends) == 0 {
		return nil, nil, fmt.Errorf("tail: %w", c.unknownTopic(ctx, topic))
	}
	parts := opts.Partitions
	if parts == nil {
		for p := range ends {
			parts = append(parts, p)
		}
	}
	var byTime map[int32]int64
	if opts.Start.Kind == StartTime {
		t, err := c.adm.ListOffsetsAfterMilli(ctx, opts.Start.Time.UnixMilli(), topic)
		if err == nil {
			err = t.Error()
		}
		if err != nil {
			return nil, nil, wrap(c.explainAuth(err, "Describe", "Topic", topic))
		}
		byTime = listed(t)[topic]
	}
	from, target = map[int32]int64{}, map[int32]int64{}
	for _, p := range parts {
		end, ok := ends[p]
		if !ok {
			return nil, nil, wrap(fmt.Errorf("partition %d does not exist (the topic has %d)", p, len(ends)))
		}
		start := starts[p]
		var off int64
		switch opts.Start.Kind {
		case StartEnd:
			off = end
		case StartBeginning:
			off = start
		case StartOffset:
			off = opts.Start.Offset
		case StartLastN:
			off = end - opts.Start.Offset
		case StartTime:
			off = byTime[p]
			if off < 0 { // no record that late
				off = end
			}
		}
		from[p], target[p] = min(max(off, start), end), end
	}
	return from, target, nil
}

// Poll returns the next records, waiting until some arrive or ctx ends.
// With StopAtEnd it returns io.EOF once every partition reached its end;
// records past those ends are not returned.
func (cs *Consumer) Poll(ctx context.Context) ([]Record, error) {
	return cs.PollAppend(ctx, nil)
}

// PollAppend is Poll appending to dst, so a reader that copies records
// out reuses one batch buffer instead of allocating one per poll. A
// reader of whole fetches uses PollBatch (Tail, the headless tail).
func (cs *Consumer) PollAppend(ctx context.Context, dst []Record) ([]Record, error) {
	if cs.opts.InPlace {
		return nil, errors.New("tail: a consumer reading in place is read with PollBatch")
	}
	for {
		cs.mu.Lock()
		done := cs.done
		cs.mu.Unlock()
		if done {
			return nil, io.EOF
		}
		fs := cs.poll(ctx)
		if cs.gaveUp.Err() != nil {
			return nil, context.Cause(cs.gaveUp)
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if fs.IsClientClosed() {
			return nil, io.EOF
		}
		out := slices.Grow(dst, fs.NumRecords())
		var firstErr error
		fs.EachPartition(func(fp kgo.FetchTopicPartition) {
			if fp.Err != nil && firstErr == nil {
				firstErr = fmt.Errorf("tail %q partition %d: %w", fp.Topic, fp.Partition, cs.explainAuth(fp.Err, "Read", "Topic", fp.Topic))
			}
			out = cs.take(fp, out)
		})
		if len(out) > len(dst) {
			return out, nil // an error with records is seen on the next poll
		}
		if firstErr != nil && !errors.Is(firstErr, context.Canceled) {
			return nil, firstErr
		}
	}
}

// poll waits for records until ctx ends or, for a StopAtEnd consumer,
// the consumer gives up on a lost broker.
func (cs *Consumer) poll(ctx context.Context) kgo.Fetches {
	if !cs.opts.StopAtEnd {
		return cs.cl.PollRecords(ctx, 10000)
	}
	pctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(cs.gaveUp, cancel)
	defer func() {
		stop()
		cancel()
	}()
	return cs.cl.PollRecords(pctx, 10000)
}

// take appends fp's records to out, updating progress, and pauses
// partitions that reached their end under StopAtEnd.
func (cs *Consumer) take(fp kgo.FetchTopicPartition, out []Record) []Record {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	pp := cs.prog[fp.Partition]
	if pp == nil {
		return out
	}
	if fp.HighWatermark > pp.HighWater {
		pp.HighWater = fp.HighWatermark
	}
	for _, r := range fp.Records {
		if cs.opts.StopAtEnd && r.Offset >= pp.Target {
			break
		}
		pp.Next = r.Offset + 1
		if r.Attrs.IsControl() {
			continue
		}
		out = append(out, convert(r, cs.opts.MaxBytes))
		// The copy holds the bytes, not franz-go's record: its slot goes
		// back to the pool for the next batch.
		r.Recycle()
	}
	cs.endPartition(fp.Partition, pp)
	return out
}

// endPartition pauses partition p once a StopAtEnd consumer read it to
// its end, and marks the consumer done when every partition is. cs.mu is
// held.
func (cs *Consumer) endPartition(p int32, pp *PartitionProgress) {
	if cs.opts.StopAtEnd && pp.CaughtUp() {
		cs.cl.PauseFetchPartitions(map[string][]int32{cs.opts.Topic: {p}})
		cs.done = true
		for _, p := range cs.prog {
			if !p.CaughtUp() {
				cs.done = false
			}
		}
	}
}

// PastEnd lists the partitions whose start offset was past their end, with
// where they end; the tail starts at their end. Empty when none was.
func (cs *Consumer) PastEnd() []PartitionEnd { return slices.Clone(cs.pastEnd) }

// Progress returns each partition's progress, by partition.
func (cs *Consumer) Progress() []PartitionProgress {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	out := make([]PartitionProgress, 0, len(cs.order))
	for _, p := range cs.order {
		out = append(out, *cs.prog[p])
	}
	return out
}

// Close stops fetching and closes the consumer's connections. No
// OnFetchState call happens after it returns.
func (cs *Consumer) Close() {
	cs.closeOnce.Do(func() {
		if cs.stopWatch != nil {
			cs.stopWatch()
			<-cs.watchDone
			cs.giveUp(nil)
		}
		if cs.cl != nil {
			cs.cl.Close()
		}
	})
}

// convert copies what kflow keeps of a record. A key or value over max is
// copied truncated, so the rest of its fetch buffer can be freed.
func convert(r *kgo.Record, max int) Record {
	out := Record{
		Topic:     r.Topic,
		Partition: r.Partition,
		Offset:    r.Offset,
		Timestamp: r.Timestamp,
		Key:       capped(r.Key, max),
		Value:     capped(r.Value, max),
		KeySize:   len(r.Key),
		ValueSize: len(r.Value),
	}
	if len(r.Headers) > 0 {
		out.Headers = make([]Header, len(r.Headers))
		for i, h := range r.Headers {
			out.Headers[i] = Header{Key: h.Key, Value: capped(h.Value, max)}
		}
	}
	return out
}

func capped(b []byte, max int) []byte {
	if max < 0 || len(b) <= max {
		return b
	}
	return slices.Clone(b[:max])
}
