package kafka

import (
	"fmt"
	"math"
)

// DefaultMaxPartitions caps the partitions one create or add-partitions
// asks for, unless the caller raises it: a request for 99,999,999 took a
// broker down with OutOfMemoryError, and no real topic needs that many.
const DefaultMaxPartitions = 10000

// MaxReplicationFactor is the largest replication factor Kafka's request
// field (an int16) can carry.
const MaxReplicationFactor = math.MaxInt16

// CheckPartitionCount refuses a partition count (what names it in the
// message) that is not positive, does not fit Kafka's int32, or is over
// limit (DefaultMaxPartitions when not positive). It is checked before any
// request, so an overflowing count is never sent truncated.
func CheckPartitionCount(what string, n, limit int64) error {
	if limit <= 0 {
		limit = DefaultMaxPartitions
	}
	switch {
	case n <= 0:
		return fmt.Errorf("%s %d: the count must be 1 or more", what, n)
	case n > math.MaxInt32:
		return fmt.Errorf("%s %d: Kafka counts partitions in 32 bits, so at most %d (and kflow asks for at most %d unless --max-partitions raises it)",
			what, n, math.MaxInt32, limit)
	case n > limit:
		return fmt.Errorf("%s %d is over kflow's limit of %d partitions per request: give --max-partitions %d if you mean it",
			what, n, limit, n)
	}
	return nil
}

// CheckPartitionLimit refuses a --max-partitions value Kafka cannot carry.
func CheckPartitionLimit(limit int64) error {
	if limit <= 0 || limit > math.MaxInt32 {
		return fmt.Errorf("--max-partitions %d: want 1 to %d", limit, math.MaxInt32)
	}
	return nil
}

// CheckReplicationFactor refuses a replication factor that is not
// positive or does not fit Kafka's int16 (65537 became 1).
func CheckReplicationFactor(n int64) error {
	if n <= 0 || n > MaxReplicationFactor {
		return fmt.Errorf("replication factor %d: want 1 to %d (and at most the number of brokers)", n, MaxReplicationFactor)
	}
	return nil
}
