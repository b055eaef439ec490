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
	"github.com/twmb/franz-go/pkg/kerr"
)

// ResetMode says where a reset moves a group's offsets.
type ResetMode int

const (
	// ResetEarliest moves to the oldest record kept.
	ResetEarliest ResetMode = iota
	// ResetLatest moves to the end: the group skips what is unread.
	ResetLatest
	// ResetOffset moves to an absolute offset, clamped to what exists.
	ResetOffset
	// ResetTime moves to the first record at or after a time.
	ResetTime
	// ResetShift moves the committed offset by N (negative rewinds).
	ResetShift
)

// ResetSpec describes an offset reset. With no Topics it applies to every
// partition the group has committed to; a topic with no partitions means
// all of that topic's partitions.
type ResetSpec struct {
	Group  string
	Topics []TopicPartitions
	Mode   ResetMode
	Offset int64     // ResetOffset: the offset; ResetShift: N
	Time   time.Time // ResetTime
}

// ParseResetTo reads a reset target as `kflow` flags write it: earliest,
// latest, offset:N, shift:N (or shift:-N), or time:RFC3339.
func ParseResetTo(s string) (mode ResetMode, offset int64, at time.Time, err error) {
	kind, arg, _ := strings.Cut(strings.TrimSpace(s), ":")
	switch kind {
	case "earliest":
		return ResetEarliest, 0, at, nil
	case "latest":
		return ResetLatest, 0, at, nil
	case "offset", "shift":
		n, err := strconv.ParseInt(arg, 10, 64)
		if err != nil || (kind == "offset" && n < 0) {
			return 0, 0, at, fmt.Errorf("reset to %q: %s takes a whole number", s, kind)
		}
		if kind == "offset" {
			return ResetOffset, n, at, nil
		}
		return ResetShift, n, at, nil
	case "time":
		t, err := time.Parse(time.RFC3339Nano, arg)
		if err != nil {
			return 0, 0, at, fmt.Errorf("reset to %q: time takes an RFC 3339 time such as 2026-11-23T10:00:00Z", s)
		}
		return ResetTime, 0, t, nil
	}
	return 0, 0, at, fmt.Errorf("reset to %q: want earliest, latest, offset:N, shift:N or time:RFC3339", s)
}

// ResetRow is one partition of a reset plan.
type ResetRow struct {
	Topic     string `json:"topic"`
	Partition int32  `json:"partition"`
	Old       int64  `json:"old"` // -1: nothing committed
	New       int64  `json:"new"`
	LagBefore int64  `json:"lag_before"`
	LagAfter  int64  `json:"lag_after"`
}

// ResetPlan is what a reset would write, computed without writing.
type ResetPlan struct {
	Group   string     `json:"group"`
	State   string     `json:"state"`
	Members int        `json:"members"`
	Rows    []ResetRow `json:"rows"`
}

// PlanReset computes a reset without writing anything: the dry run that a
// user reads before typing the group's name back.
func (c *Client) PlanReset(ctx context.Context, spec ResetSpec) (ResetPlan, error) {
	wrap := func(err error) error { return fmt.Errorf("plan offset reset of group %q: %w", spec.Group, err) }
	// A group that does not exist yet can be given a starting position,
	// as kafka-consumer-groups.sh allows: it has no members, no commits.
	gl := GroupLag{Group: GroupDetail{GroupSummary: GroupSummary{ID: spec.Group, State: "new"}}}
	lags, err := c.Lag(ctx, spec.Group)
	switch {
	case errors.Is(err, kerr.GroupIDNotFound):
	case err != nil:
		return ResetPlan{}, wrap(err)
	default:
		gl = lags[0]
	}
	plan := ResetPlan{Group: spec.Group, State: gl.Group.State, Members: gl.Group.Members, Rows: []ResetRow{}}

	rows, err := c.resetTargets(ctx, spec, gl)
	if err != nil {
		return ResetPlan{}, wrap(err)
	}
	topics := map[string]bool{}
	for _, r := range rows {
		topics[r.Topic] = true
	}
	names := make([]string, 0, len(topics))
	for t := range topics {
		names = append(names, t)
	}
	starts, ends, err := c.startEnd(ctx, names...)
	if err != nil {
		return ResetPlan{}, wrap(err)
	}
	var byTime Offsets
	if spec.Mode == ResetTime {
		l, err := c.adm.ListOffsetsAfterMilli(ctx, spec.Time.UnixMilli(), names...)
		if err != nil && !isShardErr(err) {
			return ResetPlan{}, wrap(explain(err))
		}
		byTime = listed(l)
	}
	for _, r := range rows {
		start, end := starts[r.Topic][r.Partition], ends[r.Topic][r.Partition]
		var n int64
		switch spec.Mode {
		case ResetEarliest:
			n = start
		case ResetLatest:
			n = end
		case ResetOffset:
			n = spec.Offset
		case ResetTime:
			n = end
			if o, ok := byTime[r.Topic][r.Partition]; ok && o >= 0 {
				n = o
			}
		case ResetShift:
			base := r.Old
			if base < 0 {
				base = start
			}
			n = base + spec.Offset
		}
		r.New = min(max(n, start), end)
		r.LagAfter = end - r.New
		if r.Old >= 0 {
			r.LagBefore = max(0, end-r.Old)
		} else {
			r.LagBefore = end - start
		}
		plan.Rows = append(plan.Rows, r)
	}
	slices.SortFunc(plan.Rows, func(a, b ResetRow) int {
		if c := strings.Compare(a.Topic, b.Topic); c != 0 {
			return c
		}
		return int(a.Partition - b.Partition)
	})
	return plan, nil
}

// resetTargets lists the partitions a reset touches, with their current
// commits.
func (c *Client) resetTargets(ctx context.Context, spec ResetSpec, gl GroupLag) ([]ResetRow, error) {
	committed := map[string]map[int32]int64{}
	for _, p := range gl.Partitions {
		if committed[p.Topic] == nil {
			committed[p.Topic] = map[int32]int64{}
		}
		committed[p.Topic][p.Partition] = p.Committed
	}
	old := func(t string, p int32) int64 {
		if o, ok := committed[t][p]; ok {
			return o
		}
		return -1
	}
	var rows []ResetRow
	if len(spec.Topics) == 0 {
		for _, p := range gl.Partitions {
			rows = append(rows, ResetRow{Topic: p.Topic, Partition: p.Partition, Old: p.Committed})
		}
		if len(rows) == 0 {
			return nil, fmt.Errorf("the group has no committed offsets: name the topics to reset")
		}
		return rows, nil
	}
	for _, tp := range spec.Topics {
		parts := tp.Partitions
		n, err := c.Partitions(ctx, tp.Topic)
		if err != nil {
			return nil, err
		}
		if len(parts) == 0 {
			for p := range n {
				parts = append(parts, p)
			}
		}
		for _, p := range parts {
			if p < 0 || p >= n {
				return nil, fmt.Errorf("topic %q has no partition %d (it has %d)", tp.Topic, p, n)
			}
			rows = append(rows, ResetRow{Topic: tp.Topic, Partition: p, Old: old(tp.Topic, p)})
		}
	}
	return rows, nil
}

// ApplyReset writes a plan's new offsets. Kafka accepts offsets only for a
// group without members, so it checks that first and explains a refusal.
func (c *Client) ApplyReset(ctx context.Context, plan ResetPlan) error {
	if err := c.writable("reset offsets of group " + plan.Group); err != nil {
		return err
	}
	d, err := c.DescribeGroup(ctx, plan.Group)
	if err != nil && !errors.Is(err, kerr.GroupIDNotFound) {
		return fmt.Errorf("reset offsets: %w", err)
	}
	if d.Members > 0 {
		return fmt.Errorf("reset offsets of group %q: %w", plan.Group,
			&GroupActiveError{Group: plan.Group, Members: d.Members, State: d.State, Action: "resets offsets of"})
	}
	os := make(kadm.Offsets)
	for _, r := range plan.Rows {
		os.Add(kadm.Offset{Topic: r.Topic, Partition: r.Partition, At: r.New, LeaderEpoch: -1})
	}
	if err := c.adm.CommitAllOffsets(ctx, plan.Group, os); err != nil {
		return fmt.Errorf("reset offsets of group %q: %w", plan.Group, c.explainAuth(err, "Read", "Group", plan.Group))
	}
	return nil
}
