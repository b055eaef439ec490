package views

import (
	"testing"
	"time"

	"kflow/kafka"
	"kflow/lag"
	"kflow/views/viewstest"
)

// groupsCluster is a connection that is both a cluster and a group
// source, as *kafka.Client is.
type groupsCluster struct {
	*viewsFake
	*fakeGroups
}

// viewsFake renames the embedded fake so its field does not hide Cluster().
type viewsFake = viewstest.Cluster

// TestOpenGroupsTakesLagRules: --lag-rules reaches the dashboard through
// Common and wins over KFLOW_LAG_RULES.
func TestOpenGroupsTakesLagRules(t *testing.T) {
	t.Setenv(lag.RulesEnv, "stop=9m")
	clock := viewstest.NewClock()
	c := newLagCommon(clock)
	c.Cluster = groupsCluster{viewstest.New(), &fakeGroups{clock: clock, script: func(int) []kafka.GroupLag { return nil }}}
	open := func() *Groups {
		t.Helper()
		push, ok := OpenGroups(c, "")().(PushMsg)
		if !ok {
			t.Fatal("OpenGroups did not open the dashboard")
		}
		return push.View.(*Groups)
	}
	if got := open().opts.Rules.StopAfter; got != 9*time.Minute {
		t.Errorf("without --lag-rules: stop after %v, want the variable's 9m", got)
	}
	c.LagRules = &lag.Rules{StopAfter: 3 * time.Minute}
	if got := open().opts.Rules.StopAfter; got != 3*time.Minute {
		t.Errorf("with --lag-rules: stop after %v, want its 3m over the variable's 9m", got)
	}
}
