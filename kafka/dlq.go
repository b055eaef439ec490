package kafka

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// DLQReasonHeaders name the header carrying why a record was
// dead-lettered, most specific first: kflow's demo and most hand-written
// DLQs (error.reason), Spring Kafka, Kafka Connect and a few others.
var DLQReasonHeaders = []string{"error.reason", "exception.message", "kafka_dlt-exception-message",
	"__connect.errors.exception.message", "error.message", "x-exception-message", "error"}

// DLQRetryHeader is the header counting how often a record was retried:
// a redrive increments it.
const DLQRetryHeader = "retry.count"

// DLQRedriveIDHeader is the header a redrive adds to every record it
// sends: the redrive's id (DLQPlan.ID).
const DLQRedriveIDHeader = "kflow.redrive.id"

// DLQRedriveFromHeader is the header a redrive adds naming the DLQ record
// a record was redriven from (TOPIC/PARTITION/OFFSET).
const DLQRedriveFromHeader = "kflow.redrive.from"

// DLQMaxRetries is the default retry limit: a record whose retry count
// reached it is refused, not redriven into the same failure again.
const DLQMaxRetries = 5

// DLQReadLimit bounds how many records a summary or plan reads.
const DLQReadLimit = 1_000_000

// DLQReason is one error reason of a dead-letter topic's records.
type DLQReason struct {
	Reason string    `json:"reason"`
	Count  int       `json:"count"`
	First  time.Time `json:"first"`
	Last   time.Time `json:"last"`
}

// DLQSummary is a dead-letter topic's records grouped by error reason.
type DLQSummary struct {
	Topic   string      `json:"topic"`
	Records int         `json:"records"`
	Reasons []DLQReason `json:"reasons"` // most records first
	// Truncated says DLQReadLimit cut the read short.
	Truncated bool `json:"truncated,omitempty"`
}

// DLQReasonOf is the error reason a record of a dead-letter topic
// carries, from the first of names it has (DLQReasonHeaders when names is
// empty), or "(no reason)".
func DLQReasonOf(r Record, names []string) string {
	if len(names) == 0 {
		names = DLQReasonHeaders
	}
	if v := headerValue(r.Headers, names); v != "" {
		return v
	}
	return "(no reason)"
}

// SummarizeDLQ groups records by error reason (reasonHeaders, or
// DLQReasonHeaders when empty) with counts and first and last times.
func SummarizeDLQ(topic string, recs []Record, reasonHeaders []string) DLQSummary {
	by := map[string]*DLQReason{}
	for _, r := range recs {
		why := DLQReasonOf(r, reasonHeaders)
		g := by[why]
		if g == nil {
			g = &DLQReason{Reason: why, First: r.Timestamp, Last: r.Timestamp}
			by[why] = g
		}
		g.Count++
		if r.Timestamp.Before(g.First) {
			g.First = r.Timestamp
		}
		if r.Timestamp.After(g.Last) {
			g.Last = r.Timestamp
		}
	}
	s := DLQSummary{Topic: topic, Records: len(recs), Reasons: []DLQReason{}}
	for _, g := range by {
		s.Reasons = append(s.Reasons, *g)
	}
	slices.SortFunc(s.Reasons, func(a, b DLQReason) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Reason, b.Reason))
	})
	return s
}

// DLQSummarize reads a dead-letter topic and groups its records by error
// reason.
func (c *Client) DLQSummarize(ctx context.Context, topic string, reasonHeaders []string) (DLQSummary, error) {
	recs, truncated, err := c.ReadDLQ(ctx, topic, nil)
	if err != nil {
		return DLQSummary{}, err
	}
	s := SummarizeDLQ(topic, recs, reasonHeaders)
	s.Truncated = truncated
	return s, nil
}

// ReadDLQ reads a topic's committed records from from (a partition's
// start when from has no offset for it) up to its end offsets as listed
// when the read starts, at most DLQReadLimit of them (truncated says
// so).
func (c *Client) ReadDLQ(ctx context.Context, topic string, from map[int32]int64) (recs []Record, truncated bool, err error) {
	starts, ends, err := c.startEnd(ctx, topic)
	if err != nil {
		return nil, false, fmt.Errorf("read dead-letter topic %s: %w", topic, err)
	}
	if _, ok := ends[topic]; !ok {
		return nil, false, fmt.Errorf("read dead-letter topic: %w", c.unknownTopic(ctx, topic))
	}
	at := map[int32]kgo.Offset{}
	want := map[int32]int64{}
	for p, end := range ends[topic] {
		s := starts[topic][p]
		if o, ok := from[p]; ok && o > s {
			s = o
		}
		if s < end {
			at[p] = kgo.NewOffset().At(s)
			want[p] = end
		}
	}
	if len(want) == 0 {
		return nil, false, nil
	}
	cl, err := kgo.NewClient(append(slices.Clone(c.baseOpts),
		kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{topic: at}),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.FetchMaxWait(200*time.Millisecond),
	)...)
	if err != nil {
		return nil, false, fmt.Errorf("read dead-letter topic %s: %w", topic, err)
	}
	defer cl.Close()
	idle := 0
	for len(want) > 0 {
		pctx, cancel := context.WithTimeout(ctx, time.Second)
		fs := cl.PollFetches(pctx)
		cancel()
		if ctx.Err() != nil {
			return nil, false, fmt.Errorf("read dead-letter topic %s: %w", topic, ctx.Err())
		}
		if fs.Empty() {
			// Transaction markers can end a partition past its last
			// record: a few idle polls mean it is all read.
			if idle++; idle >= 3 {
				break
			}
			continue
		}
		idle = 0
		fs.EachRecord(func(r *kgo.Record) {
			end, ok := want[r.Partition]
			if !ok || r.Offset >= end {
				return
			}
			recs = append(recs, fromKgoRecord(r))
			if r.Offset >= end-1 {
				delete(want, r.Partition)
				cl.PauseFetchPartitions(map[string][]int32{topic: {r.Partition}})
			}
		})
		if len(recs) >= DLQReadLimit {
			return recs[:DLQReadLimit], true, nil
		}
	}
	slices.SortFunc(recs, func(a, b Record) int {
		return cmp.Or(a.Timestamp.Compare(b.Timestamp), cmp.Compare(a.Partition, b.Partition), cmp.Compare(a.Offset, b.Offset))
	})
	return recs, false, nil
}

// fromKgoRecord copies a consumed record into kflow's Record.
func fromKgoRecord(r *kgo.Record) Record {
	hs := make([]Header, 0, len(r.Headers))
	for _, h := range r.Headers {
		hs = append(hs, Header{Key: h.Key, Value: slices.Clone(h.Value)})
	}
	return Record{Topic: r.Topic, Partition: r.Partition, Offset: r.Offset, Timestamp: r.Timestamp,
		Key: slices.Clone(r.Key), Value: slices.Clone(r.Value), Headers: hs, KeySize: len(r.Key), ValueSize: len(r.Value)}
}
