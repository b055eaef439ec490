package demo

import (
	"errors"
	"testing"

	"kflow/internal/kafkatest"
	"kflow/kafka"
)

// TestDemoIdleGroupCanBeReset: the demo has a group a newcomer can reset
// end to end: committed offsets with lag, no members (Kafka refuses to
// move an active group's offsets, and every other demo group is active).
func TestDemoIdleGroupCanBeReset(t *testing.T) {
	_, c := startTestDemo(t)
	ctx := kafkatest.Ctx(t)
	lags, err := c.Lag(ctx, GroupReporting)
	if err != nil {
		t.Fatalf("lag of %q: %v", GroupReporting, err)
	}
	g := lags[0]
	if g.Group.Members != 0 || g.Group.State != "Empty" || g.TotalLag <= 0 || len(g.Partitions) != demoOrdersPartitions {
		t.Fatalf("%s: %d members, state %s, lag %d on %d partitions; want an idle group with lag on every partition",
			g.Group.ID, g.Group.Members, g.Group.State, g.TotalLag, len(g.Partitions))
	}
	for _, p := range g.Partitions {
		if p.Committed != demoReportingCommit/demoOrdersPartitions {
			t.Errorf("%s[%d] committed at %d, want %d", p.Topic, p.Partition, p.Committed, demoReportingCommit/demoOrdersPartitions)
		}
	}
	plan, err := c.PlanReset(ctx, kafka.ResetSpec{Group: GroupReporting, Mode: kafka.ResetShift, Offset: 10})
	if err != nil {
		t.Fatalf("plan: %v", err)
	}
	if err := c.ApplyReset(ctx, plan); err != nil {
		var active *kafka.GroupActiveError
		t.Fatalf("apply the plan to the idle group: %v (active: %v)", err, errors.As(err, &active))
	}
	lags, err = c.Lag(ctx, GroupReporting)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range lags[0].Partitions {
		if want := int64(demoReportingCommit/demoOrdersPartitions + 10); p.Committed != want {
			t.Errorf("after shift:10, %s[%d] committed at %d, want %d", p.Topic, p.Partition, p.Committed, want)
		}
	}
}
