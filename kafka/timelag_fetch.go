package kafka

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"kflow/lag"
)

// RecordTimesWait bounds how long RecordTimes waits for records: positions
// that have none to read (transaction markers up to the end) would
// otherwise hold it until the caller's deadline.
const RecordTimesWait = 3 * time.Second

// RecordTimes reads the timestamp of the record at each position (or of
// the first record after it, when compaction or retention removed it) with
// one consumer for all of them, fetching at most 64 KiB per partition. A
// position with nothing to read is left out of the answer; so are those
// not answered within RecordTimesWait.
func (c *Client) RecordTimes(ctx context.Context, offs []lag.PartitionOffset) (map[lag.PartitionOffset]time.Time, error) {
	out := make(map[lag.PartitionOffset]time.Time, len(offs))
	if len(offs) == 0 {
		return out, nil
	}
	// One position per partition per client: a second position on the
	// same partition is read by a later round.
	for len(offs) > 0 {
		byTP := map[tpKey]lag.PartitionOffset{}
		var later []lag.PartitionOffset
		for _, po := range offs {
			k := tpKey{po.Topic, po.Partition}
			if _, dup := byTP[k]; dup {
				later = append(later, po)
				continue
			}
			byTP[k] = po
		}
		if err := c.recordTimes(ctx, byTP, out); err != nil {
			return out, err
		}
		offs = later
	}
	return out, nil
}

func (c *Client) recordTimes(ctx context.Context, byTP map[tpKey]lag.PartitionOffset, out map[lag.PartitionOffset]time.Time) error {
	at := map[string]map[int32]kgo.Offset{}
	for k, po := range byTP {
		if at[k.topic] == nil {
			at[k.topic] = map[int32]kgo.Offset{}
		}
		at[k.topic][k.partition] = kgo.NewOffset().At(po.Offset)
	}
	cl, err := kgo.NewClient(append(slices.Clone(c.baseOpts),
		kgo.ConsumePartitions(at),
		kgo.FetchMaxBytes(8<<20),
		kgo.FetchMaxPartitionBytes(64<<10),
		kgo.FetchMaxWait(200*time.Millisecond),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
	)...)
	if err != nil {
		return fmt.Errorf("read record times: %w", err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(ctx, RecordTimesWait)
	defer cancel()
	left := len(byTP)
	for left > 0 {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil || fs.IsClientClosed() {
			return nil // what was read is the answer
		}
		fs.EachRecord(func(r *kgo.Record) {
			k := tpKey{r.Topic, r.Partition}
			po, ok := byTP[k]
			if !ok || r.Offset < po.Offset {
				return
			}
			if _, done := out[po]; done {
				return
			}
			out[po] = r.Timestamp
			left--
			cl.PauseFetchPartitions(map[string][]int32{r.Topic: {r.Partition}})
		})
	}
	return nil
}

// tpKey is one topic partition.
type tpKey struct {
	topic     string
	partition int32
}
