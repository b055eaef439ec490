package kafka

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
)

// PartitionForKey is the partition Kafka's default partitioner (murmur2 of
// the key, as the Java client and franz-go's sticky-key partitioner do)
// sends a keyed record to in a topic of n partitions.
func PartitionForKey(key []byte, n int32) int32 {
	if n <= 0 {
		return 0
	}
	return int32((murmur2(key) & 0x7fffffff) % uint32(n))
}

// murmur2 is Kafka's Utils.murmur2, the hash behind its key partitioning.
func murmur2(b []byte) uint32 {
	const (
		seed uint32 = 0x9747b28c
		m    uint32 = 0x5bd1e995
		r           = 24
	)
	h := seed ^ uint32(len(b))
	for len(b) >= 4 {
		k := uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
		k *= m
		k ^= k >> r
		k *= m
		h *= m
		h ^= k
		b = b[4:]
	}
	switch len(b) {
	case 3:
		h ^= uint32(b[2]) << 16
		fallthrough
	case 2:
		h ^= uint32(b[1]) << 8
		fallthrough
	case 1:
		h ^= uint32(b[0])
		h *= m
	}
	h ^= h >> 13
	h *= m
	h ^= h >> 15
	return h
}

// Partitions returns the topic's partition count, from a cache that
// topic deletes and partition additions through this client clear.
func (c *Client) Partitions(ctx context.Context, topic string) (int32, error) {
	c.partsMu.Lock()
	n, ok := c.parts[topic]
	c.partsMu.Unlock()
	if ok {
		return n, nil
	}
	n, err := c.lookupPartitions(ctx, topic, time.Second)
	if err != nil {
		return 0, err
	}
	c.partsMu.Lock()
	c.parts[topic] = n
	c.partsMu.Unlock()
	return n, nil
}

func (c *Client) forgetPartitions(topic string) {
	c.partsMu.Lock()
	delete(c.parts, topic)
	c.partsMu.Unlock()
}

// lookupPartitions asks for the topic's partition count, retrying an
// unknown topic for up to wait: a topic just created may not be in every
// broker's metadata yet.
func (c *Client) lookupPartitions(ctx context.Context, topic string, wait time.Duration) (int32, error) {
	deadline := time.Now().Add(wait)
	for backoff := 50 * time.Millisecond; ; backoff = min(2*backoff, 500*time.Millisecond) {
		tds, err := c.adm.ListTopics(ctx, topic)
		if err != nil {
			return 0, fmt.Errorf("look up topic %q: %w", topic, c.explainAuth(err, "Write", "Topic", topic))
		}
		td, ok := tds[topic]
		switch {
		case ok && td.Err == nil && len(td.Partitions) > 0:
			return int32(len(td.Partitions)), nil
		case ok && td.Err != nil && !errors.Is(td.Err, kerr.UnknownTopicOrPartition):
			return 0, fmt.Errorf("look up topic %q: %w", topic, c.explainAuth(td.Err, "Write", "Topic", topic))
		case time.Now().After(deadline):
			return 0, c.unknownTopic(ctx, topic)
		}
		select {
		case <-ctx.Done():
			return 0, fmt.Errorf("look up topic %q: %w", topic, ctx.Err())
		case <-time.After(backoff):
		}
	}
}
