package wordcount

import (
	"context"
	"errors"
	"fmt"

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
	ends, err := c.Admin().ListEndOffsets(ctx, changelog)
	if err == nil {
		err = ends.Error()
	}
	if err != nil {
		return nil, 0, fmt.Errorf("restore %q: list end offsets: %w", changelog, kafka.Explain(err))
	}
	out := make(map[int32]map[string]int64, len(parts))
	target := map[int32]int64{}
	at := map[int32]kgo.Offset{}
	for _, p := range parts {
		out[p] = map[string]int64{}
		o, ok := ends.Lookup(changelog, p)
		if !ok {
			return nil, 0, fmt.Errorf("restore %q: partition %d does not exist", changelog, p)
		}
		if o.Offset > 0 {
			target[p] = o.Offset
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
