package kafka

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
)

// DefaultMaxMessageBytes is Kafka's default max.message.bytes (1 MiB
// plus batch overhead), used when a topic's own value cannot be read.
const DefaultMaxMessageBytes = 1048588

// recordOverhead bounds what a record batch adds around one record's key,
// value and headers: the batch header (61 bytes) and the record's own
// varint lengths, offsets and timestamps.
const recordOverhead = 128

// DeliveryTimeout is how long a sent record may wait for its
// acknowledgement before it counts as failed: three request timeouts, so
// a retry or a leader change fits, a hung broker does not.
func DeliveryTimeout(cfg ConnConfig) time.Duration { return 3 * cfg.timeout() }

// produceLimits caches each topic's max.message.bytes, the size the
// producer's record batches are allowed to reach for that topic.
type produceLimits struct {
	mu     sync.Mutex
	max    map[string]int32
	source map[string]string // how the value was found, for errors
}

// batchMax is the producer's per-topic batch cap (kgo.ProducerBatchMaxBytesFn).
// It is consulted when the producer first meets a topic, which is after
// limitFor has looked the topic up.
func (l *produceLimits) batchMax(topic string) int32 {
	l.mu.Lock()
	defer l.mu.Unlock()
	if v, ok := l.max[topic]; ok {
		return v
	}
	return DefaultMaxMessageBytes
}

// MaxMessageBytes is the largest record batch topic accepts: its
// max.message.bytes, or DefaultMaxMessageBytes when the topic's
// configuration cannot be read (the error says why).
func (c *Client) MaxMessageBytes(ctx context.Context, topic string) (int, error) {
	v, _, err := c.limitFor(ctx, topic)
	return int(v), err
}

// limitFor returns topic's max.message.bytes and where it came from,
// asking the brokers once per topic.
func (c *Client) limitFor(ctx context.Context, topic string) (int32, string, error) {
	l := &c.lim
	l.mu.Lock()
	if v, ok := l.max[topic]; ok {
		src := l.source[topic]
		l.mu.Unlock()
		return v, src, nil
	}
	l.mu.Unlock()
	v, src := int32(DefaultMaxMessageBytes), "Kafka's default; the topic's configuration could not be read"
	entries, err := c.TopicConfigs(ctx, topic)
	if err == nil {
		for _, e := range entries {
			if e.Name != "max.message.bytes" {
				continue
			}
			n, perr := strconv.ParseInt(e.Value, 10, 32)
			if perr != nil || n < 512 {
				err = fmt.Errorf("topic %q: max.message.bytes %q is not a size", topic, e.Value)
				break
			}
			v, src = int32(min(n, 1<<30)), "max.message.bytes of topic "+strconv.Quote(topic)
		}
	}
	if err != nil && ctx.Err() != nil {
		return 0, "", err // not cached: a cancelled lookup says nothing
	}
	l.mu.Lock()
	if l.max == nil {
		l.max, l.source = map[string]int32{}, map[string]string{}
	}
	l.max[topic], l.source[topic] = v, src
	l.mu.Unlock()
	return v, src, err
}

// RecordSize is the bytes a record adds to a batch, near enough to
// compare against max.message.bytes: key, value, headers and overhead.
func RecordSize(r Record) int {
	n := len(r.Key) + len(r.Value) + recordOverhead
	for _, h := range r.Headers {
		n += len(h.Key) + len(h.Value) + 10
	}
	return n
}

// TooLargeError says a record does not fit the limit that applies to it,
// naming the limit and where it comes from.
type TooLargeError struct {
	Topic  string
	Size   int    // the record's size in a batch
	Limit  int    // the limit it exceeds
	Source string // e.g. `max.message.bytes of topic "x"`
}

// Error names the record's size, the limit and where the limit comes from.
func (e *TooLargeError) Error() string {
	return fmt.Sprintf("record of %d bytes does not fit: the limit is %d bytes (%s)", e.Size, e.Limit, e.Source)
}

// Unwrap lets errors.Is(err, kerr.MessageTooLarge) hold.
func (e *TooLargeError) Unwrap() error { return kerr.MessageTooLarge }
