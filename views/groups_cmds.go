package views

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
)

// groupsSnapshot is what one refresh of a groups view fetches: the lags,
// and the timestamps of records it needed for time lag.
type groupsSnapshot struct {
	Lags  []kafka.GroupLag
	Times map[kafka.PartitionOffset]time.Time
}

// groupsLoaded answers a refresh.
type groupsLoaded = Result[groupsSnapshot]

// fetchLag reads the lag of groups (all when none), narrowed to topic
// when set, and the record timestamps tl lacks. tl is only read here:
// the view learns the answer in its update loop, and starts no second
// load while one runs.
func fetchLag(c *Common, id, gen int, src GroupsSource, tl *kafka.TimeLags, topic string, groups ...string) tea.Cmd {
	rt, _ := src.(RecordTimer)
	return Call(c, id, gen, "consumer group lag", func(ctx context.Context) (groupsSnapshot, error) {
		lags, err := src.Lag(ctx, groups...)
		if err != nil {
			return groupsSnapshot{}, err
		}
		if topic != "" {
			lags = onTopic(lags, topic)
		}
		snap := groupsSnapshot{Lags: lags}
		if need := tl.Need(lags); rt != nil && len(need) > 0 {
			// Time lag is a nicety: without it the estimate stands in.
			snap.Times, _ = rt.RecordTimes(ctx, need)
		}
		return snap, nil
	})
}

// onTopic keeps the groups that have a position on topic, with only that
// topic's partitions and lag.
func onTopic(lags []kafka.GroupLag, topic string) []kafka.GroupLag {
	out := make([]kafka.GroupLag, 0, len(lags))
	for _, gl := range lags {
		var ps []kafka.PartitionLag
		var total int64
		for _, p := range gl.Partitions {
			if p.Topic == topic {
				ps = append(ps, p)
				total += max(0, p.Lag)
			}
		}
		if len(ps) == 0 {
			continue
		}
		gl.Partitions, gl.TotalLag = ps, total
		out = append(out, gl)
	}
	return out
}

// nextTick schedules the next refresh of view id, at the groups' own
// interval, or nothing when the shell does not poll.
func groupsTick(c *Common, every time.Duration, id int) tea.Cmd {
	if c.Refresh <= 0 {
		return nil
	}
	if every <= 0 {
		every = GroupsRefresh
	}
	return tea.Tick(every, func(time.Time) tea.Msg { return TickMsg{ID: id} })
}
