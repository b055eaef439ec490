package kafka

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// DLQHeadersWait bounds how long DLQHeaders waits for records.
const DLQHeadersWait = 3 * time.Second

// DLQHeaders reads the headers of the last perPartition records of each
// partition of topics (the dead-letter topics of a flow map), with one
// consumer for all of them. A partition with nothing to read gives
// nothing; what was not read within DLQHeadersWait is left out.
func (c *Client) DLQHeaders(ctx context.Context, topics []string, perPartition int) (map[string][][]Header, error) {
	out := map[string][][]Header{}
	if len(topics) == 0 || perPartition <= 0 {
		return out, nil
	}
	starts, ends, err := c.startEnd(ctx, topics...)
	if err != nil {
		return out, fmt.Errorf("dead-letter headers: %w", err)
	}
	at := map[string]map[int32]kgo.Offset{}
	want := map[tpKey]int64{} // the end offset to read up to
	for t, ps := range ends {
		for p, end := range ps {
			from := max(starts[t][p], end-int64(perPartition))
			if end <= from {
				continue
			}
			if at[t] == nil {
				at[t] = map[int32]kgo.Offset{}
			}
			at[t][p] = kgo.NewOffset().At(from)
			want[tpKey{t, p}] = end
		}
	}
	if len(want) == 0 {
		return out, nil
	}
	cl, err := kgo.NewClient(append(slices.Clone(c.baseOpts),
		kgo.ConsumePartitions(at),
		kgo.FetchMaxBytes(8<<20),
		kgo.FetchMaxPartitionBytes(256<<10),
		kgo.FetchMaxWait(200*time.Millisecond),
	)...)
	if err != nil {
		return out, fmt.Errorf("dead-letter headers: %w", err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(ctx, DLQHeadersWait)
	defer cancel()
	for len(want) > 0 {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil || fs.IsClientClosed() {
			break // what was read is the answer
		}
		fs.EachRecord(func(r *kgo.Record) {
			k := tpKey{r.Topic, r.Partition}
			end, ok := want[k]
			if !ok {
				return
			}
			hs := make([]Header, 0, len(r.Headers))
			for _, h := range r.Headers {
				hs = append(hs, Header{Key: h.Key, Value: slices.Clone(h.Value)})
			}
			out[r.Topic] = append(out[r.Topic], hs)
			if r.Offset >= end-1 {
				delete(want, k)
				cl.PauseFetchPartitions(map[string][]int32{r.Topic: {r.Partition}})
			}
		})
	}
	return out, nil
}

// DLQTopics are the topics whose records' headers a flow map reads: those
// named like dead-letter topics.
func DLQTopics(topics []TopicSummary) []string {
	var out []string
	for _, t := range topics {
		if _, ok := DLQSource(t.Name); ok && t.Records > 0 {
			out = append(out, t.Name)
		}
	}
	return out
}
