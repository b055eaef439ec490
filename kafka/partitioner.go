package kafka

import (
	"context"
	"fmt"
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
	tds, err := c.adm.ListTopics(ctx, topic)
	if err != nil {
		return 0, fmt.Errorf("look up topic %q: %w", topic, explain(err))
	}
	td, ok := tds[topic]
	if !ok || td.Err != nil {
		err := fmt.Errorf("topic %q does not exist", topic)
		if ok {
			err = fmt.Errorf("look up topic %q: %w", topic, td.Err)
		}
		return 0, err
	}
	n = int32(len(td.Partitions))
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
