package wordcount

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/twmb/franz-go/pkg/kgo"

	"kflow/kafka"
)

// wordCountOutputSample is how many of the newest offsets of each partition of
// an existing output topic are read to check that it holds counts. A
// transaction's commit marker takes an offset, so the newest record is
// not always at the end minus one.
const wordCountOutputSample = 8

// checkCountTopic refuses an existing output topic that is not a count
// topic: one that is not compacted (its counts would expire by time, and
// a reader could not rebuild the table from it), or whose newest records
// (a sample: the last wordCountOutputSample offsets of each partition) hold
// values other than 8-byte counts.
//
// Values are refused, not warned about: a topic of other values is
// someone else's, and writing longs into it breaks its readers, while
// the engine's own readers (the panel, LongDeserializer) would fail on
// its records. Another --output is cheap; a polluted topic is not.
func checkCountTopic(ctx context.Context, c *kafka.Client, topic string, parts int32) error {
	cfgs, err := c.TopicConfigs(ctx, topic)
	if err != nil {
		return fmt.Errorf("check output topic %q: %w", topic, err)
	}
	policy := ""
	for _, e := range cfgs {
		if e.Name == "cleanup.policy" {
			policy = e.Value
		}
	}
	if !slices.Contains(strings.Split(strings.ReplaceAll(policy, " ", ""), ","), "compact") {
		return fmt.Errorf("output topic %q has cleanup.policy=%s, want compact: a count topic keeps each word's latest count for good "+
			"(set it with `kflow topic` or pick another output)", topic, policy)
	}
	return checkCountValues(ctx, c, topic, parts)
}

// checkCountValues reads the newest records of each partition of topic
// and refuses the first value that is not a count: not 8 bytes, and not
// a tombstone.
func checkCountValues(ctx context.Context, c *kafka.Client, topic string, parts int32) error {
	starts, ends, err := c.StartEndOffsets(ctx, topic)
	if err != nil {
		return fmt.Errorf("check output topic %q: %w", topic, err)
	}
	at := map[int32]kgo.Offset{}
	last := map[int32]int64{} // the offset each partition's sample ends at
	for p := range parts {
		start, end := starts[topic][p], ends[topic][p]
		if end <= start {
			continue
		}
		at[p] = kgo.NewOffset().At(max(start, end-wordCountOutputSample))
		last[p] = end - 1
	}
	if len(at) == 0 {
		return nil
	}
	cl, err := kgo.NewClient(append(c.Options(),
		kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{topic: at}),
		// Uncommitted too: an open transaction at the end would hold a
		// read_committed reader back until it ends.
		kgo.FetchIsolationLevel(kgo.ReadUncommitted()),
		kgo.KeepControlRecords(),
	)...)
	if err != nil {
		return fmt.Errorf("check output topic %q: %w", topic, err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(ctx, c.Timeout())
	defer cancel()
	for len(last) > 0 {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			return fmt.Errorf("check output topic %q: read its newest records: %w", topic, kafka.Explain(ctx.Err()))
		}
		var bad error
		fs.EachError(func(_ string, p int32, err error) {
			if bad == nil && !errors.Is(err, context.Canceled) && isFatalFetchErr(err) {
				bad = fmt.Errorf("check output topic %q partition %d: %w", topic, p, err)
			}
		})
		fs.EachRecord(func(r *kgo.Record) {
			end, ok := last[r.Partition]
			if !ok || bad != nil {
				return
			}
			if !r.Attrs.IsControl() && r.Value != nil && len(r.Value) != 8 {
				bad = fmt.Errorf("output topic %q holds values that are not counts: partition %d offset %d has a %d-byte value, "+
					"want 8 (a big-endian long, as LongSerializer writes); pick another output", topic, r.Partition, r.Offset, len(r.Value))
			}
			if r.Offset >= end {
				delete(last, r.Partition)
			}
		})
		if bad != nil {
			return bad
		}
	}
	return nil
}
