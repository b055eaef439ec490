package kafka

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
)

// Produce sends one record and waits for the brokers to acknowledge it. A
// negative Partition picks one as Kafka's default partitioner would:
// murmur2 of the key, or round robin for a null key. The producer is
// idempotent, so a retried send is not written twice. The wait is bounded
// by DeliveryTimeout; when ctx ends first, the record gets a short grace
// to be acknowledged and is otherwise reported as unacknowledged.
func (c *Client) Produce(ctx context.Context, rec Record) (ProduceResult, error) {
	if err := c.writable("produce to " + rec.Topic); err != nil {
		return ProduceResult{}, err
	}
	kr, lim, err := c.prepare(ctx, rec, nil)
	if err != nil {
		return ProduceResult{}, err
	}
	recCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	done := make(chan struct{})
	var perr error
	c.cl.Produce(recCtx, kr, func(_ *kgo.Record, err error) { perr = err; close(done) })
	deliver := time.NewTimer(DeliveryTimeout(c.cfg))
	defer deliver.Stop()
	select {
	case <-done:
	case <-deliver.C:
		return ProduceResult{}, fmt.Errorf("produce to %q: %w", rec.Topic, &UnackedError{Unacked: 1, Since: time.Now().Add(-DeliveryTimeout(c.cfg)), Timeout: DeliveryTimeout(c.cfg)})
	case <-ctx.Done():
		grace := time.NewTimer(ProduceGrace)
		defer grace.Stop()
		select {
		case <-done:
		case <-grace.C:
			return ProduceResult{}, fmt.Errorf("produce to %q: %w", rec.Topic, &UnackedError{Unacked: 1, Interrupted: true})
		}
	}
	if perr != nil {
		return ProduceResult{}, fmt.Errorf("produce to %q: %w", rec.Topic, c.explainAuth(lim.explain(kr, perr), "Write", "Topic", rec.Topic))
	}
	return ProduceResult{Topic: kr.Topic, Partition: kr.Partition, Offset: kr.Offset, Timestamp: kr.Timestamp}, nil
}

// ProduceGrace is how long an interrupted produce waits for the records
// already sent to be acknowledged before it reports them as not.
const ProduceGrace = 500 * time.Millisecond

// UnackedError says records were sent but never acknowledged: the broker
// did not answer within the delivery timeout, or the run was interrupted.
// They may or may not have been written.
type UnackedError struct {
	Unacked     int64
	Since       time.Time     // the last answer from the broker
	Timeout     time.Duration // the delivery timeout, when that ended the wait
	Interrupted bool
}

// Error says how many records were not acknowledged and why.
func (e *UnackedError) Error() string {
	what := fmt.Sprintf("%d records", e.Unacked)
	if e.Unacked == 1 {
		what = "1 record"
	}
	if e.Interrupted {
		return fmt.Sprintf("interrupted: %s sent but not acknowledged (they may or may not have been written)", what)
	}
	return fmt.Sprintf("no acknowledgement from the broker since %s (delivery timeout %v): %s sent but not acknowledged (they may or may not have been written)",
		e.Since.Format("15:04:05"), e.Timeout, what)
}

// recordLimit is the size limit that applies to one record, for errors.
type recordLimit struct {
	topic  string
	limit  int32
	source string
}

// prepare converts rec (see toKgo) and checks it against the topic's
// max.message.bytes before anything is sent, so a record too large fails
// with the limit named and nothing after it is written.
func (c *Client) prepare(ctx context.Context, rec Record, rr *atomic.Uint32) (*kgo.Record, recordLimit, error) {
	kr := new(kgo.Record)
	_, lim, err := c.prepareInto(ctx, rec, rr, kr)
	if err != nil {
		return nil, recordLimit{}, err
	}
	return kr, lim, nil
}

// prepareInto is prepare writing into kr; it also returns the topic's
// partition count, for a caller that caches it.
func (c *Client) prepareInto(ctx context.Context, rec Record, rr *atomic.Uint32, kr *kgo.Record) (int32, recordLimit, error) {
	n, err := c.toKgo(ctx, rec, rr, kr)
	if err != nil {
		return 0, recordLimit{}, err
	}
	v, src, err := c.limitFor(ctx, rec.Topic)
	if err != nil && ctx.Err() != nil {
		return 0, recordLimit{}, fmt.Errorf("produce to %q: %w", rec.Topic, err)
	}
	lim := recordLimit{topic: rec.Topic, limit: v, source: src}
	if size := RecordSize(rec); size > int(v) {
		return 0, lim, fmt.Errorf("produce to %q: %w", rec.Topic, &TooLargeError{Topic: rec.Topic, Size: size, Limit: int(v), Source: src})
	}
	return n, lim, nil
}

// explain is explainProduce with the record's size limit named when the
// record was too large.
func (l recordLimit) explain(kr *kgo.Record, err error) error {
	if errors.Is(err, kerr.MessageTooLarge) || errors.Is(err, kerr.RecordListTooLarge) {
		rec := Record{Key: kr.Key, Value: kr.Value}
		for _, h := range kr.Headers {
			rec.Headers = append(rec.Headers, Header{Key: h.Key, Value: h.Value})
		}
		return fmt.Errorf("%w: %v", &TooLargeError{Topic: l.topic, Size: RecordSize(rec), Limit: int(l.limit), Source: l.source}, err)
	}
	return explainProduce(err)
}

// toKgo validates the record's partition against the topic and converts
// it into kr (its Headers' memory reused); rr, when given, spreads
// null-key records round robin. It returns the topic's partition count.
func (c *Client) toKgo(ctx context.Context, rec Record, rr *atomic.Uint32, kr *kgo.Record) (int32, error) {
	if rec.Topic == "" {
		return 0, errors.New("produce: no topic given")
	}
	n, err := c.Partitions(ctx, rec.Topic)
	if err != nil {
		return 0, fmt.Errorf("produce to %q: %w", rec.Topic, err)
	}
	if rec.Partition >= n {
		// The topic may have grown since it was cached.
		c.forgetPartitions(rec.Topic)
		if n, err = c.Partitions(ctx, rec.Topic); err != nil {
			return 0, fmt.Errorf("produce to %q: %w", rec.Topic, err)
		}
		if rec.Partition >= n {
			return 0, fmt.Errorf("produce to %q: partition %d does not exist (the topic has %d: 0 to %d)", rec.Topic, rec.Partition, n, n-1)
		}
	}
	fillKgo(kr, rec, pickPartition(rec, n, rr))
	return n, nil
}

// pickPartition is the partition of rec in a topic of n partitions (its
// own when it names one below n): murmur2 of the key, else round robin
// on rr, else by the clock.
func pickPartition(rec Record, n int32, rr *atomic.Uint32) int32 {
	switch p := rec.Partition; {
	case p >= 0:
		return p
	case rec.Key != nil:
		return PartitionForKey(rec.Key, n)
	case rr != nil:
		return int32(rr.Add(1) % uint32(n))
	default:
		return int32(time.Now().UnixNano() % int64(n))
	}
}

// fillKgo writes rec, bound for partition p, into kr, reusing the memory
// of kr's headers; the other fields of kr are cleared.
func fillKgo(kr *kgo.Record, rec Record, p int32) {
	hs := kr.Headers[:0]
	for _, h := range rec.Headers {
		hs = append(hs, kgo.RecordHeader{Key: h.Key, Value: h.Value})
	}
	*kr = kgo.Record{Topic: rec.Topic, Partition: p, Key: rec.Key, Value: rec.Value, Timestamp: rec.Timestamp, Headers: hs}
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

// WarmProduce starts looking up, all at once and in the background, what
// producing to topic waits for otherwise one after the other: the
// topic's partitions, its max.message.bytes and the idempotent producer's
// id. A run that starts meanwhile finds them ready, or asks again; errors
// are left for it to meet. Nothing is looked up on a read-only client.
func (c *Client) WarmProduce(ctx context.Context, topic string) {
	if c.writable("produce") != nil || topic == "" {
		return
	}
	go func() { _, _ = c.Partitions(ctx, topic) }()
	go func() { _, _, _ = c.limitFor(ctx, topic) }()
	go func() { _, _, _ = c.cl.ProducerID(ctx) }()
}
