package kafka

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
)

// TruncateMode is where a truncation cuts a partition.
type TruncateMode string

// The truncation modes: before an offset, before the first record at or
// after a time, or at the end (every record goes).
const (
	TruncateOffset TruncateMode = "offset"
	TruncateTime   TruncateMode = "time"
	TruncateEnd    TruncateMode = "end"
)

// TruncateSpec is what to delete: the records of Topic (all partitions,
// or Partitions) before Offset, before Time, or all of them (end).
type TruncateSpec struct {
	Topic      string       `json:"topic"`
	Partitions []int32      `json:"partitions,omitempty"`
	Mode       TruncateMode `json:"mode"`
	Offset     int64        `json:"offset,omitempty"`
	Time       time.Time    `json:"time,omitzero"`
}

// ParseTruncateBefore reads --before: OFFSET, @TIME (RFC 3339, Unix
// milliseconds, or an age such as @2h meaning two hours before now), or
// end.
func ParseTruncateBefore(s string, now time.Time) (mode TruncateMode, offset int64, at time.Time, err error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "end":
		return TruncateEnd, 0, time.Time{}, nil
	case strings.HasPrefix(s, "@"):
		v := s[1:]
		if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
			return TruncateTime, 0, t, nil
		}
		if ms, err := strconv.ParseInt(v, 10, 64); err == nil && ms >= 0 {
			return TruncateTime, 0, time.UnixMilli(ms), nil
		}
		if ms, err := parseMillis(v); err == nil && ms > 0 {
			return TruncateTime, 0, now.Add(-time.Duration(ms) * time.Millisecond), nil
		}
		return "", 0, time.Time{}, fmt.Errorf("%q: after @ write an RFC 3339 time (@2026-11-23T10:00:00Z), Unix milliseconds, or an age (@2h, @7d)", s)
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return "", 0, time.Time{}, fmt.Errorf("%q: want an offset (a whole number), @TIME or end", s)
	}
	return TruncateOffset, n, time.Time{}, nil
}

// Describe says in words where the truncation cuts.
func (s TruncateSpec) Describe() string {
	switch s.Mode {
	case TruncateEnd:
		return "every record (to the end)"
	case TruncateTime:
		return "records before " + s.Time.UTC().Format(time.RFC3339)
	}
	return "records before offset " + strconv.FormatInt(s.Offset, 10)
}

// TruncateRow is one partition of a truncation plan: its start offset
// (low watermark) before, the new one, its end, and how many records go.
type TruncateRow struct {
	Partition int32 `json:"partition"`
	Low       int64 `json:"low"`
	NewLow    int64 `json:"new_low"`
	High      int64 `json:"high"`
	Removed   int64 `json:"removed"`
}

// TruncatePlan is what a truncation deletes, partition by partition.
type TruncatePlan struct {
	Spec    TruncateSpec  `json:"spec"`
	Rows    []TruncateRow `json:"rows"`
	Removed int64         `json:"removed"`
}

// PlanTruncate works out, without deleting anything, how far each
// partition's start moves: to the offset (kept within the partition's
// records), to the first record at or after the time (the end when none
// is), or to the end.
func (c *Client) PlanTruncate(ctx context.Context, spec TruncateSpec) (TruncatePlan, error) {
	plan := TruncatePlan{Spec: spec}
	what := "plan deleting records of " + spec.Topic
	if spec.Topic == "" {
		return plan, errors.New("delete records: no topic given")
	}
	starts, ends, err := c.startEnd(ctx, spec.Topic)
	if err != nil {
		return plan, fmt.Errorf("%s: %w", what, err)
	}
	lows, highs := starts[spec.Topic], ends[spec.Topic]
	if len(highs) == 0 {
		if err := c.unknownTopic(ctx, spec.Topic); err != nil {
			return plan, fmt.Errorf("%s: %w", what, err)
		}
		return plan, fmt.Errorf("%s: no partition's offsets could be listed", what)
	}
	parts := spec.Partitions
	if len(parts) == 0 {
		for p := range highs {
			parts = append(parts, p)
		}
	}
	slices.Sort(parts)
	parts = slices.Compact(parts)
	var byTime map[int32]int64
	if spec.Mode == TruncateTime {
		l, err := c.adm.ListOffsetsAfterMilli(ctx, spec.Time.UnixMilli(), spec.Topic)
		if err != nil && !isShardErr(err) {
			return plan, fmt.Errorf("%s: list offsets after %s: %w", what, spec.Time.UTC().Format(time.RFC3339), explain(err))
		}
		byTime = listed(l)[spec.Topic]
	}
	for _, p := range parts {
		high, ok := highs[p]
		if !ok {
			return plan, fmt.Errorf("%s: the topic has no partition %d (it has %d)", what, p, len(highs))
		}
		low := lows[p]
		row := TruncateRow{Partition: p, Low: low, High: high}
		switch spec.Mode {
		case TruncateEnd:
			row.NewLow = high
		case TruncateOffset:
			row.NewLow = spec.Offset
		case TruncateTime:
			at, ok := byTime[p]
			if !ok || at < 0 {
				at = high
			}
			row.NewLow = at
		default:
			return plan, fmt.Errorf("%s: unknown mode %q", what, spec.Mode)
		}
		row.NewLow = min(max(row.NewLow, low), high)
		row.Removed = row.NewLow - low
		plan.Removed += row.Removed
		plan.Rows = append(plan.Rows, row)
	}
	return plan, nil
}

// Truncate deletes the records a plan names (DeleteRecords), moving each
// partition's start to its NewLow. Partitions with nothing to delete are
// not sent. It returns the start offsets the brokers report.
func (c *Client) Truncate(ctx context.Context, plan TruncatePlan) (map[int32]int64, error) {
	topic := plan.Spec.Topic
	what := "delete records of " + topic
	if err := c.writable(what); err != nil {
		return nil, err
	}
	var os kadm.Offsets
	for _, r := range plan.Rows {
		if r.NewLow > r.Low {
			os.Add(kadm.Offset{Topic: topic, Partition: r.Partition, At: r.NewLow, LeaderEpoch: -1})
		}
	}
	got := map[int32]int64{}
	if len(os) == 0 {
		return got, nil
	}
	resps, err := c.adm.DeleteRecords(ctx, os)
	if err != nil && !isShardErr(err) {
		return nil, fmt.Errorf("%s: %w", what, explain(err))
	}
	var errs []error
	for _, r := range plan.Rows {
		if r.NewLow <= r.Low {
			continue
		}
		resp, ok := resps.Lookup(topic, r.Partition)
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("partition %d: no answer", r.Partition))
		case resp.Err != nil:
			errs = append(errs, fmt.Errorf("partition %d: %w", r.Partition, explain(resp.Err)))
		default:
			got[r.Partition] = resp.LowWatermark
		}
	}
	if len(errs) > 0 {
		return got, fmt.Errorf("%s: %w", what, errors.Join(errs...))
	}
	return got, nil
}
