package wordcount

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"kflow/kafka"
)

// restoreCounts reads changelog partitions from their start to their end
// and returns the last count of each word per partition, and how many
// records it read.
//
// The end is the high watermark when the restore begins, read with
// read_committed: the restore is done only when every record below it is
// decided, so a transaction that was still being committed when the
// partition changed hands is either seen whole or, if it aborts (a killed
// owner's, after the transaction timeout), not at all. Control records
// are kept because they take offsets too: the commit or abort marker
// ending the last transaction is how the restore sees it reached the end.
func restoreCounts(ctx context.Context, c *kafka.Client, changelog string, parts []int32) (map[int32]map[string]int64, int64, error) {
	ends, err := changelogEnds(ctx, c, changelog, parts)
	if err != nil {
		return nil, 0, err
	}
	out := make(map[int32]map[string]int64, len(parts))
	target := map[int32]int64{}
	at := map[int32]kgo.Offset{}
	for _, p := range parts {
		out[p] = map[string]int64{}
		if end := ends[p]; end > 0 {
			target[p] = end
			at[p] = kgo.NewOffset().AtStart()
		}
	}
	if len(at) == 0 {
		return out, 0, nil
	}
	cl, err := kgo.NewClient(append(c.Options(),
		kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{changelog: at}),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.KeepControlRecords(),
		kgo.FetchMaxBytes(32<<20),
		kgo.FetchMaxPartitionBytes(8<<20),
	)...)
	if err != nil {
		return nil, 0, fmt.Errorf("restore %q: %w", changelog, err)
	}
	defer cl.Close()
	var read int64
	for len(target) > 0 {
		fs := cl.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			return nil, 0, fmt.Errorf("restore %q: %w", changelog, err)
		}
		var fatal error
		fs.EachPartition(func(fp kgo.FetchTopicPartition) {
			if fp.Err != nil && fatal == nil && !errors.Is(fp.Err, context.Canceled) && isFatalFetchErr(fp.Err) {
				fatal = fmt.Errorf("restore %q partition %d: %w", changelog, fp.Partition, kafka.Explain(fp.Err))
			}
			end, ok := target[fp.Partition]
			if !ok {
				return
			}
			m := out[fp.Partition]
			next := int64(-1)
			for _, r := range fp.Records {
				if r.Offset >= end {
					break
				}
				next = r.Offset + 1
				if r.Attrs.IsControl() {
					continue
				}
				read++
				if r.Value == nil {
					delete(m, string(r.Key))
					continue
				}
				n, err := DecodeCount(r.Value)
				if err != nil {
					if fatal == nil {
						fatal = fmt.Errorf("restore %q partition %d offset %d key %q: %w", changelog, fp.Partition, r.Offset, r.Key, err)
					}
					return
				}
				m[string(r.Key)] = n
			}
			if next >= end || (len(fp.Records) > 0 && fp.Records[len(fp.Records)-1].Offset >= end-1) {
				delete(target, fp.Partition)
				cl.PauseFetchPartitions(map[string][]int32{changelog: {fp.Partition}})
			}
		})
		if fatal != nil {
			return nil, 0, fatal
		}
	}
	return out, read, nil
}

// changelogEndsRetry is how often changelogEnds asks again.
const changelogEndsRetry = 250 * time.Millisecond

// changelogEnds lists the end offsets of changelog's partitions parts. A
// broker that died leaves the shard of the listing it led failing until
// its partitions have new leaders: the partitions not asked for do not
// matter, and a transient failure of one asked for is retried, within
// twice the client's timeout, rather than stopping the stage (which
// would restore again at once, against the same dead leader).
func changelogEnds(ctx context.Context, c *kafka.Client, changelog string, parts []int32) (map[int32]int64, error) {
	deadline := time.Now().Add(2 * c.Timeout())
	for {
		listed, err := c.Admin().ListEndOffsets(ctx, changelog)
		ends := make(map[int32]int64, len(parts))
		var failed error
		for _, p := range parts {
			o, ok := listed.Lookup(changelog, p)
			switch {
			case ok && o.Err == nil:
				ends[p] = o.Offset
			case ok:
				failed = o.Err
			case err != nil:
				failed = err
			default:
				return nil, fmt.Errorf("restore %q: partition %d does not exist", changelog, p)
			}
		}
		if failed == nil {
			return ends, nil
		}
		if !transient(failed) || !time.Now().Add(changelogEndsRetry).Before(deadline) {
			return nil, fmt.Errorf("restore %q: list end offsets: %w", changelog, kafka.Explain(failed))
		}
		t := time.NewTimer(changelogEndsRetry)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("restore %q: list end offsets: %w", changelog, ctx.Err())
		case <-t.C:
		}
	}
}
