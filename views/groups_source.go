package views

import (
	"context"
	"time"

	"kflow/kafka"
	"kflow/lag"
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

// A source that is also a kafka.LagTimer (as *kafka.Client is) gives the
// lag monitor record timestamps for time lag; without it time lag is
// estimated from produce rates.
var _ GroupsSource = (*kafka.Client)(nil)

// GroupsRefresh is how often the lag monitor samples unless told
// otherwise (--lag-interval).
const GroupsRefresh = kafka.DefaultLagInterval

// GroupsOptions configure the consumer group views.
type GroupsOptions struct {
	// Rules are the status thresholds; zero fields take their defaults.
	Rules lag.Rules
	// Refresh is the sampling interval of a view's own monitor,
	// GroupsRefresh when zero. It samples in the background only when
	// the Common's Refresh is not zero (tests refresh by key).
	Refresh time.Duration
}

// SourceOf returns the Common's cluster as a GroupsSource, when it is one.
func SourceOf(c *Common) (GroupsSource, bool) {
	src, ok := c.Cluster.(GroupsSource)
	return src, ok
}
