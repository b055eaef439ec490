package views

import (
	"context"
	"time"

	"kflow/kafka"
)

// GroupsSource is what the consumer group views need from a connection.
// *kafka.Client satisfies it; tests use a fake fed fixed samples.
type GroupsSource interface {
	// Lag is every group's lag (all groups when none is named).
	Lag(ctx context.Context, groups ...string) ([]kafka.GroupLag, error)
	// PlanReset computes an offset reset without writing it.
	PlanReset(ctx context.Context, spec kafka.ResetSpec) (kafka.ResetPlan, error)
	// ApplyReset writes a plan; Kafka refuses it for a group with members.
	ApplyReset(ctx context.Context, plan kafka.ResetPlan) error
	// DeleteGroup deletes a group with no members.
	DeleteGroup(ctx context.Context, group string) error
}

// RecordTimer reads the timestamps of records at given positions, for time
// lag. A source without it gets time lag estimated from produce rates.
type RecordTimer interface {
	RecordTimes(ctx context.Context, offs []kafka.PartitionOffset) (map[kafka.PartitionOffset]time.Time, error)
}

var (
	_ GroupsSource = (*kafka.Client)(nil)
	_ RecordTimer  = (*kafka.Client)(nil)
)

// GroupsRefresh is how often the groups views sample lag, when the shell
// polls at all.
const GroupsRefresh = 2 * time.Second

// GroupsOptions configure the consumer group views.
type GroupsOptions struct {
	// Rules are the status thresholds; zero fields take their defaults.
	Rules kafka.LagRules
	// Refresh is the sampling interval, GroupsRefresh when zero. Polling
	// is off anyway when the Common's Refresh is zero (tests).
	Refresh time.Duration
}

// SourceOf returns the Common's cluster as a GroupsSource, when it is one.
func SourceOf(c *Common) (GroupsSource, bool) {
	src, ok := c.Cluster.(GroupsSource)
	return src, ok
}
