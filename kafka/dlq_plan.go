package kafka

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
)

// DLQRef names one record of a dead-letter topic.
type DLQRef struct {
	Partition int32 `json:"partition"`
	Offset    int64 `json:"offset"`
}

// DLQSelection says which records of a dead-letter topic a redrive takes:
// those that every set field admits (nothing set: all of them).
type DLQSelection struct {
	// Records are single records; empty admits any.
	Records []DLQRef
	// Reason admits the records with this error reason.
	Reason string
	// Filter is the source text of Match (a tail filter), for the
	// redrive's id and the plan.
	Filter string
	// Match admits the records it holds for; nil admits any.
	Match func(Record) bool
}

// admits reports whether the selection takes r.
func (s DLQSelection) admits(r Record, reasonHeaders []string) bool {
	if len(s.Records) > 0 && !slices.Contains(s.Records, DLQRef{r.Partition, r.Offset}) {
		return false
	}
	if s.Reason != "" && DLQReasonOf(r, reasonHeaders) != s.Reason {
		return false
	}
	return s.Match == nil || s.Match(r)
}

// String says what the selection takes, in words.
func (s DLQSelection) String() string {
	var parts []string
	if len(s.Records) > 0 {
		refs := make([]string, len(s.Records))
		for i, r := range s.Records {
			refs[i] = fmt.Sprintf("%d/%d", r.Partition, r.Offset)
		}
		parts = append(parts, "records "+strings.Join(refs, ","))
	}
	if s.Reason != "" {
		parts = append(parts, "reason "+strconv.Quote(s.Reason))
	}
	if s.Filter != "" {
		parts = append(parts, "filter "+strconv.Quote(s.Filter))
	}
	if len(parts) == 0 {
		return "all records"
	}
	return strings.Join(parts, ", ")
}

// DLQRedriveOptions are how a redrive picks, rewrites and sends records.
type DLQRedriveOptions struct {
	Select DLQSelection
	// To sends every record to this topic instead of its source topic.
	To string
	// ReasonHeaders name the error reason header (DLQReasonHeaders when
	// empty).
	ReasonHeaders []string
	// RetryHeader counts retries (DLQRetryHeader when empty).
	RetryHeader string
	// MaxRetries refuses records retried this often (DLQMaxRetries when
	// 0; negative: no limit).
	MaxRetries int
	// BatchSize is how many records one transaction sends (100 when 0).
	BatchSize int
	// Rate caps records per second (0: as fast as the cluster takes).
	Rate float64
	// crashAfter, in tests, stops a redrive once it has sent this many
	// records, after sending a batch and before committing it, leaving
	// its transaction open as a killed process does.
	crashAfter int
}

func (o DLQRedriveOptions) withDefaults() DLQRedriveOptions {
	if len(o.ReasonHeaders) == 0 {
		o.ReasonHeaders = DLQReasonHeaders
	}
	if o.RetryHeader == "" {
		o.RetryHeader = DLQRetryHeader
	}
	if o.MaxRetries == 0 {
		o.MaxRetries = DLQMaxRetries
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 100
	}
	return o
}

// DLQTarget is one topic a redrive sends records to.
type DLQTarget struct {
	Topic   string `json:"topic"`
	Records int    `json:"records"`
	// Partitions maps each partition records land on to how many.
	Partitions map[int32]int `json:"partitions"`
	// Headers are the header names the records carry, sorted.
	Headers []string `json:"headers"`
	// Dropped are the DLQ-only header names left out, sorted.
	Dropped []string `json:"dropped"`
}

// DLQRefusal is a selected record a redrive will not send, and why.
type DLQRefusal struct {
	DLQRef
	Reason string `json:"reason"`
}

// DLQPlan is what a redrive will do, before it sends anything.
type DLQPlan struct {
	Topic string `json:"topic"`
	// ID identifies the redrive: the same selection and options give the
	// same id, so a re-run resumes it. Every record sent carries it.
	ID string `json:"id"`
	// Group is the consumer group whose committed offsets of Topic
	// record the redrive's progress, committed in the transactions that
	// send the records.
	Group     string `json:"group"`
	Selection string `json:"selection"`
	// Selected counts the records the selection takes that are still to
	// do; Done those an earlier run of the same redrive sent.
	Selected int          `json:"selected"`
	Done     int          `json:"done"`
	Targets  []DLQTarget  `json:"targets"`
	Refused  []DLQRefusal `json:"refused"`
	// Rate is the records-per-second cap (0: none), Batch the records per
	// transaction.
	Rate  float64 `json:"rate"`
	Batch int     `json:"batch"`
	// Progress is the group's committed offset per partition when the
	// plan was made.
	Progress map[int32]int64 `json:"-"`
	// Ends are the topic's end offsets when the plan was made.
	Ends map[int32]int64 `json:"-"`
	opts DLQRedriveOptions
}

// Sending counts the records the plan sends.
func (p DLQPlan) Sending() int {
	n := 0
	for _, t := range p.Targets {
		n += t.Records
	}
	return n
}

// dlqDropPrefixes start the names of headers only a dead-letter topic
// carries: errors, stacks, where the record failed.
var dlqDropPrefixes = []string{"error.", "exception.", "kafka_dlt-", "__connect.errors.", "original.", "dlq.", "x-exception", "stack"}

// dlqOnly reports whether a header is one a DLQ added, dropped on redrive.
func dlqOnly(key string, o DLQRedriveOptions) bool {
	k := strings.ToLower(key)
	if slices.Contains(o.ReasonHeaders, key) || slices.Contains(DLQSourceHeaders, key) {
		return true
	}
	for _, p := range dlqDropPrefixes {
		if strings.HasPrefix(k, p) {
			return true
		}
	}
	return k == "error" || k == DLQRedriveIDHeader || k == DLQRedriveFromHeader
}

// RedriveID is the id of a redrive of topic with opts: a hash of what
// selects and rewrites the records.
func RedriveID(topic string, opts DLQRedriveOptions) string {
	o := opts.withDefaults()
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%d\x00%s", topic, o.Select, o.To, o.RetryHeader, o.MaxRetries, strings.Join(o.ReasonHeaders, ","))
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// RedriveGroup is the consumer group recording a redrive's progress.
func RedriveGroup(topic, id string) string { return "kflow-redrive-" + topic + "-" + id }

// retries is the retry count a record carries (0 without the header).
func retries(r Record, header string) int {
	v := headerValue(r.Headers, []string{header})
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// redriveTarget is the topic a record goes back to: opts.To, its source
// topic header, or the source its DLQ's name says.
func redriveTarget(r Record, dlq string, o DLQRedriveOptions) string {
	if o.To != "" {
		return o.To
	}
	if s := headerValue(r.Headers, DLQSourceHeaders); s != "" {
		return s
	}
	s, _ := DLQSource(dlq)
	return s
}

// redriven is a record rewritten for its target, or why it is refused.
type redriven struct {
	rec    Record
	refuse string
}

// rewrite turns a DLQ record into the record a redrive sends: to its
// target, on the partition its key gives there (its original partition
// for a null key), with its original headers, the DLQ's own dropped,
// the retry count incremented and the redrive's id and origin added.
// parts gives a target's partition count (an error: it cannot be sent).
func rewrite(r Record, dlq, id string, o DLQRedriveOptions, parts func(string) (int32, error)) redriven {
	n := retries(r, o.RetryHeader)
	if o.MaxRetries > 0 && n >= o.MaxRetries {
		return redriven{refuse: fmt.Sprintf("%s %d reached --max-retries %d", o.RetryHeader, n, o.MaxRetries)}
	}
	target := redriveTarget(r, dlq, o)
	if target == "" {
		return redriven{refuse: "no source topic header and no --to"}
	}
	if target == dlq {
		return redriven{refuse: "its source is the DLQ itself"}
	}
	np, err := parts(target)
	if err != nil || np <= 0 {
		return redriven{refuse: fmt.Sprintf("target %s: %v", target, cmp.Or[error](err, fmt.Errorf("no partitions")))}
	}
	var p int32
	if r.Key != nil {
		p = PartitionForKey(r.Key, np)
	} else if op, err := strconv.Atoi(headerValue(r.Headers, []string{"original.partition", "source.partition", "__connect.errors.partition"})); err == nil && op >= 0 && int32(op) < np {
		p = int32(op)
	} else {
		p = int32(r.Offset % int64(np))
	}
	hs := make([]Header, 0, len(r.Headers)+3)
	for _, h := range r.Headers {
		if dlqOnly(h.Key, o) || h.Key == o.RetryHeader {
			continue
		}
		hs = append(hs, h)
	}
	hs = append(hs,
		Header{Key: o.RetryHeader, Value: []byte(strconv.Itoa(n + 1))},
		Header{Key: DLQRedriveIDHeader, Value: []byte(id)},
		Header{Key: DLQRedriveFromHeader, Value: fmt.Appendf(nil, "%s/%d/%d", dlq, r.Partition, r.Offset)},
	)
	return redriven{rec: Record{Topic: target, Partition: p, Key: r.Key, Value: r.Value, Headers: hs, Timestamp: r.Timestamp}}
}

// PlanRedrive reads a dead-letter topic and says what a redrive with
// opts will send: per target topic the records, partitions and headers,
// and the selected records it refuses. Records an earlier run of the
// same redrive committed are counted done, not planned again.
func (c *Client) PlanRedrive(ctx context.Context, dlq string, opts DLQRedriveOptions) (DLQPlan, error) {
	o := opts.withDefaults()
	id := RedriveID(dlq, o)
	plan := DLQPlan{Topic: dlq, ID: id, Group: RedriveGroup(dlq, id), Selection: o.Select.String(),
		Rate: o.Rate, Batch: o.BatchSize, Targets: []DLQTarget{}, Refused: []DLQRefusal{}, opts: o}
	progress, err := c.committedOf(ctx, plan.Group, dlq)
	if err != nil {
		return plan, fmt.Errorf("plan redrive of %s: %w", dlq, err)
	}
	plan.Progress = progress
	ends, err := c.EndOffsets(ctx, dlq)
	if err != nil {
		return plan, fmt.Errorf("plan redrive of %s: %w", dlq, err)
	}
	plan.Ends = ends[dlq]
	recs, _, err := c.ReadDLQ(ctx, dlq, nil)
	if err != nil {
		return plan, fmt.Errorf("plan redrive: %w", err)
	}
	parts := c.partsOf(ctx)
	targets := map[string]*DLQTarget{}
	for _, r := range recs {
		if !o.Select.admits(r, o.ReasonHeaders) {
			continue
		}
		if done, ok := progress[r.Partition]; ok && r.Offset < done {
			plan.Done++
			continue
		}
		plan.Selected++
		rd := rewrite(r, dlq, id, o, parts)
		if rd.refuse != "" {
			plan.Refused = append(plan.Refused, DLQRefusal{DLQRef{r.Partition, r.Offset}, rd.refuse})
			continue
		}
		t := targets[rd.rec.Topic]
		if t == nil {
			t = &DLQTarget{Topic: rd.rec.Topic, Partitions: map[int32]int{}}
			targets[rd.rec.Topic] = t
		}
		t.Records++
		t.Partitions[rd.rec.Partition]++
		for _, h := range rd.rec.Headers {
			if !slices.Contains(t.Headers, h.Key) {
				t.Headers = append(t.Headers, h.Key)
			}
		}
		for _, h := range r.Headers {
			if dlqOnly(h.Key, o) && !slices.Contains(t.Dropped, h.Key) {
				t.Dropped = append(t.Dropped, h.Key)
			}
		}
	}
	for _, t := range targets {
		slices.Sort(t.Headers)
		slices.Sort(t.Dropped)
		if t.Dropped == nil {
			t.Dropped = []string{}
		}
		plan.Targets = append(plan.Targets, *t)
	}
	slices.SortFunc(plan.Targets, func(a, b DLQTarget) int { return cmp.Compare(a.Topic, b.Topic) })
	return plan, nil
}

// partsOf caches partition counts for one plan or redrive.
func (c *Client) partsOf(ctx context.Context) func(string) (int32, error) {
	type answer struct {
		n   int32
		err error
	}
	seen := map[string]answer{}
	return func(topic string) (int32, error) {
		if a, ok := seen[topic]; ok {
			return a.n, a.err
		}
		pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		n, err := c.Partitions(pctx, topic)
		seen[topic] = answer{n, err}
		return n, err
	}
}

// committedOf is group's committed offset per partition of topic, once
// the last transaction a redrive committed shows: right after a run the
// plain answer can still be the offsets before its last batch.
func (c *Client) committedOf(ctx context.Context, group, topic string) (map[int32]int64, error) {
	out := map[int32]int64{}
	var os kadm.OffsetResponses
	err := untilCoordinator(ctx, func() (err error) {
		if os, err = c.adm.FetchOffsets(kadm.RequireStable(ctx), group); err != nil {
			return err
		}
		for _, o := range os[topic] {
			if errors.Is(o.Err, kerr.UnstableOffsetCommit) {
				return o.Err
			}
		}
		return nil
	})
	if errors.Is(err, kerr.GroupIDNotFound) {
		return out, nil // no run yet
	}
	if err != nil {
		return out, fmt.Errorf("committed offsets of %s: %w", group, explain(err))
	}
	for p, o := range os[topic] {
		if o.Err == nil && o.At >= 0 {
			out[p] = o.At
		}
	}
	return out, nil
}
