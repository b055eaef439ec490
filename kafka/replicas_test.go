package kafka

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
)

func TestPreferredLeaderMoves(t *testing.T) {
	parts := []PartitionInfo{
		{Partition: 0, Leader: 1, Replicas: []int32{1, 2, 3}, ISR: []int32{1, 2, 3}},
		{Partition: 1, Leader: 3, Replicas: []int32{2, 3, 1}, ISR: []int32{3, 1, 2}},
		{Partition: 2, Leader: 1, Replicas: []int32{3, 1, 2}, ISR: []int32{1, 2}},
		{Partition: 3, Leader: -1, Replicas: []int32{2}, ISR: []int32{}},
	}
	got := PreferredLeaderMoves("t", parts)
	want := []LeaderMove{
		{Topic: "t", Partition: 1, Leader: 3, Preferred: 2, PreferredInSync: true},
		{Topic: "t", Partition: 2, Leader: 1, Preferred: 3, PreferredInSync: false},
		{Topic: "t", Partition: 3, Leader: -1, Preferred: 2, PreferredInSync: false},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("moves = %+v\nwant %+v", got, want)
	}
}

func TestBalancedAssignment(t *testing.T) {
	parts := []PartitionInfo{
		{Partition: 0, Replicas: []int32{1, 2}}, {Partition: 1, Replicas: []int32{1, 2}},
		{Partition: 2, Replicas: []int32{1, 2}}, {Partition: 3, Replicas: []int32{1}},
	}
	a, err := BalancedAssignment("t", parts, []int32{3, 1, 2})
	if err != nil {
		t.Fatal(err)
	}
	want := map[int32][]int32{0: {1, 2}, 1: {2, 3}, 2: {3, 1}, 3: {1}}
	for p, rs := range want {
		if !slices.Equal(a["t"][p], rs) {
			t.Errorf("partition %d: %v, want %v", p, a["t"][p], rs)
		}
	}
	if _, err := BalancedAssignment("t", parts, []int32{1}); err == nil || !strings.Contains(err.Error(), "2 replicas, more than the 1 brokers") {
		t.Errorf("RF 2 on one broker: %v", err)
	}
	if _, err := BalancedAssignment("t", parts, []int32{1, 1}); err == nil {
		t.Error("a broker named twice: no error")
	}
}

func TestReassignJSONRoundTrip(t *testing.T) {
	moves := []ReplicaMove{
		{Topic: "a", Partition: 0, Current: []int32{1, 2}, Target: []int32{2, 3}},
		{Topic: "b", Partition: 4, Current: []int32{3}, Target: []int32{1}},
	}
	b := ReassignJSON(moves, false)
	if want := `{"version":1,"partitions":[{"topic":"a","partition":0,"replicas":[2,3],"log_dirs":["any","any"]},{"topic":"b","partition":4,"replicas":[1],"log_dirs":["any"]}]}`; string(b) != want {
		t.Fatalf("target file:\n%s\nwant\n%s", b, want)
	}
	a, err := ParseReassignJSON(b)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a["a"][0], []int32{2, 3}) || !slices.Equal(a["b"][4], []int32{1}) || len(a) != 2 {
		t.Errorf("read back %v", a)
	}
	back, err := ParseReassignJSON(ReassignJSON(moves, true))
	if err != nil || !slices.Equal(back["a"][0], []int32{1, 2}) {
		t.Errorf("the undo file reads %v, %v", back, err)
	}
	// kafka-reassign-partitions.sh --generate writes no log_dirs at all.
	if a, err := ParseReassignJSON([]byte(`{"version":1,"partitions":[{"topic":"x","partition":1,"replicas":[3,1,2]}]}`)); err != nil || !slices.Equal(a["x"][1], []int32{3, 1, 2}) {
		t.Errorf("a file without log_dirs: %v, %v", a, err)
	}
	for in, want := range map[string]string{
		`{`:                             "unexpected end",
		`{"version":2,"partitions":[]}`: "version 2",
		`{"version":1,"partitions":[]}`: "no partitions",
		`{"version":1,"partitions":[{"topic":"x","partition":0,"replicas":[]}]}`:                                             "no replicas",
		`{"version":1,"partitions":[{"topic":"x","partition":0,"replicas":[1,1]}]}`:                                          "broker 1 twice",
		`{"version":1,"partitions":[{"topic":"x","partition":0,"replicas":[1],"log_dirs":["/d"]}]}`:                          `only "any"`,
		`{"version":1,"partitions":[{"topic":"x","partition":0,"replicas":[1]},{"topic":"x","partition":0,"replicas":[2]}]}`: "listed twice",
	} {
		if _, err := ParseReassignJSON([]byte(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseReassignJSON(%s) = %v, want an error with %q", in, err, want)
		}
	}
}

// TestElectPreferredLeaders: an election reports every partition asked
// for; a single broker's or kfake's partitions are led by their first
// replica, so the plan is empty. Kafka answers ELECTION_NOT_NEEDED
// (already preferred); kfake moves the leader on regardless (elected).
func TestElectPreferredLeaders(t *testing.T) {
	eachBackend(t, func(t *testing.T, c *Client, b backend) {
		ctx := testCtx(t)
		name := uniqueTopic(t)
		mustCreate(t, c, name, 3, nil)
		plan, err := c.PreferredElectionPlan(ctx, ElectionTarget{Topics: []string{name}})
		if err != nil || len(plan) != 0 {
			t.Fatalf("plan = %+v, %v; want none", plan, err)
		}
		rs, err := c.ElectPreferredLeaders(ctx, ElectionTarget{Topics: []string{name}, Partitions: []int32{0, 2}})
		if err != nil {
			t.Fatal(err)
		}
		want := ElectAlreadyPreferred
		if !b.real {
			want = ElectElected
		}
		if len(rs) != 2 || rs[0].Partition != 0 || rs[1].Partition != 2 || rs[0].Outcome != want || rs[1].Outcome != want {
			t.Fatalf("results = %+v, want partitions 0 and 2 %s", rs, want)
		}
		if _, err := c.ElectPreferredLeaders(ctx, ElectionTarget{Topics: []string{name}, Partitions: []int32{7}}); err == nil || !strings.Contains(err.Error(), "no partition 7") {
			t.Errorf("partition 7 of 3: %v", err)
		}
		if _, err := c.PreferredElectionPlan(ctx, ElectionTarget{Topics: []string{name + "-nope"}}); err == nil || !strings.Contains(err.Error(), "nope") {
			t.Errorf("unknown topic: %v", err)
		}
		ro := connectRO(t, b)
		if _, err := ro.ElectPreferredLeaders(ctx, ElectionTarget{Topics: []string{name}}); !errors.Is(err, ErrReadOnly) {
			t.Errorf("read-only election: %v", err)
		}
	})
}

func connectRO(t *testing.T, b backend) *Client {
	t.Helper()
	c, err := Connect(testCtx(t), ConnConfig{Brokers: b.brokers, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// TestReassignmentChecks: a plan names only partitions that change,
// refuses unknown partitions and brokers, and on one broker nothing is in
// progress, so status is empty and cancel says so.
func TestReassignmentChecks(t *testing.T) {
	eachBackend(t, func(t *testing.T, c *Client, b backend) {
		ctx := testCtx(t)
		name := uniqueTopic(t)
		mustCreate(t, c, name, 2, nil)
		d, err := c.DescribeTopic(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		self := d.Partitions[0].Replicas[0]
		plan, err := c.PlanReassignment(ctx, Assignment{name: {0: {self}, 1: {self}}})
		if err != nil || len(plan.Moves) != 0 {
			t.Fatalf("a plan to where the replicas are = %+v, %v; want no moves", plan, err)
		}
		if _, err := c.PlanReassignment(ctx, Assignment{name: {0: {self + 97}}}); err == nil || !strings.Contains(err.Error(), "is not in the cluster") {
			t.Errorf("an unknown broker: %v", err)
		}
		if _, err := c.PlanReassignment(ctx, Assignment{name: {5: {self}}}); err == nil || !strings.Contains(err.Error(), "no partition 5") {
			t.Errorf("partition 5 of 2: %v", err)
		}
		st, err := c.ReassignmentProgress(ctx, name)
		if err != nil || len(st.InProgress) != 0 || st.ThrottleRemoved {
			t.Errorf("status = %+v, %v; want nothing in progress, no throttle", st, err)
		}
		if _, err := c.CancelReassignment(ctx, name); err == nil || !strings.Contains(err.Error(), "no reassignment in progress") {
			t.Errorf("cancel with none: %v", err)
		}
		ro := connectRO(t, b)
		if _, err := ro.ExecuteReassignment(ctx, ReassignPlan{Moves: []ReplicaMove{{Topic: name, Target: []int32{self}}}}, 0); !errors.Is(err, ErrReadOnly) {
			t.Errorf("read-only execute: %v", err)
		}
		if _, err := ro.CancelReassignment(ctx, name); !errors.Is(err, ErrReadOnly) {
			t.Errorf("read-only cancel: %v", err)
		}
		// The throttle a reassignment sets, and the status that removes
		// it once the topic has nothing in progress.
		move := ReassignPlan{Moves: []ReplicaMove{{Topic: name, Partition: 1, Current: []int32{self}, Target: []int32{self}, Adding: []int32{self}}}}
		if err := c.setThrottle(ctx, move, 1<<20); err != nil {
			t.Fatal(err)
		}
		cfg := func(key string) string {
			cs, err := c.TopicConfigs(ctx, name)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range cs {
				if e.Name == key {
					return e.Value
				}
			}
			return ""
		}
		// A broker describes configs from its metadata, a moment behind
		// the controller that took the change.
		want := "1:" + strconv.Itoa(int(self))
		eventually(t, 10*time.Second, leaderThrottledReplicas+" = "+want, func() bool { return cfg(leaderThrottledReplicas) == want })
		st, err = c.ReassignmentProgress(ctx, name)
		if err != nil || !st.ThrottleRemoved {
			t.Fatalf("status after the throttle = %+v, %v; want it removed", st, err)
		}
		eventually(t, 10*time.Second, leaderThrottledReplicas+" removed", func() bool { return cfg(leaderThrottledReplicas) == "" })
	})
}

// TestReassignOnKfake: kfake's three brokers take a reordering (the
// preferred leader moves), which it accepts and does not carry out.
func TestReassignOnKfake(t *testing.T) {
	fake, err := kfake.NewCluster(kfake.NumBrokers(3), kfake.Ports(0, 0, 0), kfake.DefaultNumPartitions(2))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fake.Close)
	c := connect(t, backend{name: "kfake3", brokers: fake.ListenAddrs()})
	ctx := testCtx(t)
	name := uniqueTopic(t)
	if err := c.CreateTopic(ctx, TopicSpec{Name: name, Partitions: 2, ReplicationFactor: 3}); err != nil {
		t.Fatal(err)
	}
	d, err := c.DescribeTopic(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	cur := d.Partitions[0].Replicas
	target := []int32{cur[1], cur[0], cur[2]}
	plan, err := c.PlanReassignment(ctx, Assignment{name: {0: target}})
	if err != nil || len(plan.Moves) != 1 || len(plan.Moves[0].Adding) != 0 || plan.Bytes != 0 {
		t.Fatalf("a reordering = %+v, %v; want one move adding nothing", plan, err)
	}
	rs, err := c.ExecuteReassignment(ctx, plan, 0)
	if err != nil || len(rs) != 1 || rs[0].Outcome != ReassignStarted {
		t.Fatalf("execute = %+v, %v", rs, err)
	}
	if _, err := c.ExecuteReassignment(ctx, plan, 1<<20); err != nil {
		t.Fatalf("execute throttled: %v", err)
	}
	cs, err := c.TopicConfigs(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("0:%d,0:%d,0:%d", cur[0], cur[1], cur[2])
	if i := slices.IndexFunc(cs, func(e ConfigEntry) bool { return e.Name == leaderThrottledReplicas }); i < 0 || cs[i].Value != want {
		t.Errorf("throttled replicas after a throttled execute: %+v, want %s", cs, want)
	}
	st, err := c.ReassignmentProgress(ctx, name)
	if err != nil || !st.ThrottleRemoved {
		t.Errorf("status once done = %+v, %v; want the throttle removed", st, err)
	}

	// An added replica costs the partition's log size (DescribeLogDirs).
	two := uniqueTopic(t)
	if err := c.CreateTopic(ctx, TopicSpec{Name: two, Partitions: 1, ReplicationFactor: 2}); err != nil {
		t.Fatal(err)
	}
	for range 10 {
		if _, err := c.Produce(ctx, Record{Topic: two, Partition: 0, Value: []byte(strings.Repeat("v", 100))}); err != nil {
			t.Fatal(err)
		}
	}
	d2, err := c.DescribeTopic(ctx, two)
	if err != nil {
		t.Fatal(err)
	}
	var third int32 = -1
	for _, b := range []int32{0, 1, 2} {
		if !slices.Contains(d2.Partitions[0].Replicas, b) {
			third = b
		}
	}
	p2, err := c.PlanReassignment(ctx, Assignment{two: {0: {d2.Partitions[0].Replicas[0], third}}})
	if err != nil || len(p2.Moves) != 1 || !slices.Equal(p2.Moves[0].Adding, []int32{third}) || p2.Bytes <= 0 || p2.Bytes != p2.Moves[0].Bytes {
		t.Errorf("a move adding broker %d to a partition holding 10 records = %+v, %v; want its log size in bytes", third, p2, err)
	}
}
