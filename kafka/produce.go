package kafka

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
)

// Produce sends one record and waits for the brokers to acknowledge it. A
// negative Partition picks one as Kafka's default partitioner would:
// murmur2 of the key, or round robin for a null key. The producer is
// idempotent, so a retried send is not written twice.
func (c *Client) Produce(ctx context.Context, rec Record) (ProduceResult, error) {
	if err := c.writable("produce to " + rec.Topic); err != nil {
		return ProduceResult{}, err
	}
	kr, err := c.toKgo(ctx, rec, nil)
	if err != nil {
		return ProduceResult{}, err
	}
	cl, err := c.producerFor(kr)
	if err != nil {
		return ProduceResult{}, err
	}
	r, err := cl.ProduceSync(ctx, kr).First()
	if err != nil {
		return ProduceResult{}, fmt.Errorf("produce to %q: %w", rec.Topic, explainProduce(err))
	}
	return ProduceResult{Topic: r.Topic, Partition: r.Partition, Offset: r.Offset, Timestamp: r.Timestamp}, nil
}

// toKgo validates the record's partition against the topic and converts
// it; rr, when given, spreads null-key records round robin.
func (c *Client) toKgo(ctx context.Context, rec Record, rr *atomic.Uint32) (*kgo.Record, error) {
	if rec.Topic == "" {
		return nil, errors.New("produce: no topic given")
	}
	n, err := c.Partitions(ctx, rec.Topic)
	if err != nil {
		return nil, fmt.Errorf("produce to %q: %w", rec.Topic, err)
	}
	p := rec.Partition
	switch {
	case p >= n:
		// The topic may have grown since it was cached.
		c.forgetPartitions(rec.Topic)
		if n, err = c.Partitions(ctx, rec.Topic); err != nil {
			return nil, fmt.Errorf("produce to %q: %w", rec.Topic, err)
		}
		if p >= n {
			return nil, fmt.Errorf("produce to %q: partition %d does not exist (the topic has %d: 0 to %d)", rec.Topic, p, n, n-1)
		}
	case p < 0 && rec.Key != nil:
		p = PartitionForKey(rec.Key, n)
	case p < 0 && rr != nil:
		p = int32(rr.Add(1) % uint32(n))
	case p < 0:
		p = int32(time.Now().UnixNano() % int64(n))
	}
	kr := &kgo.Record{Topic: rec.Topic, Partition: p, Key: rec.Key, Value: rec.Value, Timestamp: rec.Timestamp}
	for _, h := range rec.Headers {
		kr.Headers = append(kr.Headers, kgo.RecordHeader{Key: h.Key, Value: h.Value})
	}
	return kr, nil
}

// bigRecord is the size above which a single record is sent through a
// client without franz-go's 1 MB batch cap, so the topic's
// max.message.bytes, not the client, decides whether it fits.
const bigRecord = 1000000 - 1024

// producerFor returns the client to send kr with.
func (c *Client) producerFor(kr *kgo.Record) (*kgo.Client, error) {
	size := len(kr.Key) + len(kr.Value)
	for _, h := range kr.Headers {
		size += len(h.Key) + len(h.Value)
	}
	if size < bigRecord {
		return c.cl, nil
	}
	c.bigOnce.Do(func() {
		c.big, c.bigErr = kgo.NewClient(append(slices.Clone(c.baseOpts),
			kgo.RecordPartitioner(kgo.ManualPartitioner()),
			kgo.ProducerBatchMaxBytes(64<<20),
		)...)
	})
	if c.bigErr != nil {
		return nil, fmt.Errorf("producer for large records: %w", c.bigErr)
	}
	return c.big, nil
}

// explainProduce names the produce errors users meet in plain words.
func explainProduce(err error) error {
	switch {
	case errors.Is(err, kerr.UnknownTopicOrPartition):
		return fmt.Errorf("the topic or partition does not exist: %w", err)
	case errors.Is(err, kerr.MessageTooLarge), errors.Is(err, kerr.RecordListTooLarge):
		return fmt.Errorf("the record is larger than the topic accepts (max.message.bytes): %w", err)
	case errors.Is(err, kgo.ErrRecordTimeout):
		return fmt.Errorf("no acknowledgement in time (is the broker down?): %w", err)
	case errors.Is(err, kerr.TopicAuthorizationFailed), errors.Is(err, kerr.ClusterAuthorizationFailed):
		return fmt.Errorf("not authorized to write: %w", err)
	}
	return explain(err)
}

// StreamOptions shapes a produce run of many records.
type StreamOptions struct {
	// Count is how many records to send; 0 sends until next returns false
	// or ctx ends.
	Count int
	// Rate caps records per second; 0 sends as fast as the brokers take.
	Rate float64
	// Progress, when set, is called about ten times a second and at the end.
	Progress func(StreamStats)
}

// StreamStats counts a produce run. Latencies are from send to
// acknowledgement.
type StreamStats struct {
	Sent     int64         `json:"sent"`
	Acked    int64         `json:"acked"`
	Failed   int64         `json:"failed"`
	Bytes    int64         `json:"bytes"`
	Elapsed  time.Duration `json:"elapsed_ns"`
	P50      time.Duration `json:"p50_ns"`
	P99      time.Duration `json:"p99_ns"`
	FirstErr string        `json:"first_error,omitempty"`
}

// Rate is acknowledged records per second.
func (s StreamStats) Rate() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Acked) / s.Elapsed.Seconds()
}

// ProduceStream sends the records next returns (i counts from 0) at the
// options' rate, without waiting for each acknowledgement, and returns
// when all sent records are acknowledged or failed. Cancelling ctx stops
// sending; what was sent is still counted. It fails on the first error.
func (c *Client) ProduceStream(ctx context.Context, opts StreamOptions, next func(i int) (Record, bool)) (StreamStats, error) {
	if err := c.writable("produce"); err != nil {
		return StreamStats{}, err
	}
	var (
		mu       sync.Mutex
		stats    StreamStats
		lats     latencyHist
		firstErr error
		wg       sync.WaitGroup
		rr       atomic.Uint32
		start    = time.Now()
	)
	snapshot := func() StreamStats {
		mu.Lock()
		defer mu.Unlock()
		s := stats
		s.Elapsed = time.Since(start)
		s.P50, s.P99 = lats.quantile(0.50), lats.quantile(0.99)
		return s
	}
	sendCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	// A record once sent completes even if the run is cancelled: a cancel
	// stops sending, not acknowledgements. ackCtx bounds how long the
	// last ones may take once sending stopped.
	ackCtx, ackCancel := context.WithCancel(context.WithoutCancel(ctx))
	defer ackCancel()
	var tick *time.Ticker
	if opts.Progress != nil {
		tick = time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
	}
	var interval time.Duration
	if opts.Rate > 0 {
		interval = time.Duration(float64(time.Second) / opts.Rate)
	}
loop:
	for i := 0; opts.Count == 0 || i < opts.Count; i++ {
		if interval > 0 {
			// Pace against the start time, not the last send, so a
			// slow moment is caught up rather than lost.
			if d := time.Until(start.Add(time.Duration(i) * interval)); d > 0 {
				t := time.NewTimer(d)
				select {
				case <-sendCtx.Done():
					t.Stop()
					break loop
				case <-t.C:
				}
			}
		}
		if sendCtx.Err() != nil {
			break
		}
		if tick != nil {
			select {
			case <-tick.C:
				opts.Progress(snapshot())
			default:
			}
		}
		rec, ok := next(i)
		if !ok {
			break
		}
		kr, err := c.toKgo(sendCtx, rec, &rr)
		if err != nil {
			mu.Lock()
			if firstErr == nil {
				firstErr = err
			}
			mu.Unlock()
			break
		}
		size := int64(len(kr.Key) + len(kr.Value))
		sent := time.Now()
		wg.Add(1)
		mu.Lock()
		stats.Sent++
		mu.Unlock()
		c.cl.Produce(ackCtx, kr, func(r *kgo.Record, err error) {
			defer wg.Done()
			lat := time.Since(sent)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				stats.Failed++
				if firstErr == nil {
					firstErr = fmt.Errorf("produce to %q: %w", r.Topic, explainProduce(err))
					cancel()
				}
				return
			}
			stats.Acked++
			stats.Bytes += size
			lats.add(lat)
		})
	}
	acked := make(chan struct{})
	go func() { wg.Wait(); close(acked) }()
	select {
	case <-acked:
	case <-time.After(2 * c.cfg.timeout()):
		ackCancel()
		<-acked
	}
	final := snapshot()
	if firstErr != nil {
		final.FirstErr = firstErr.Error()
	}
	if opts.Progress != nil {
		opts.Progress(final)
	}
	return final, firstErr
}
