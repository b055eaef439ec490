package kafka

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

// groupMember joins group on topic with franz-go, classic or KIP-848
// (consumer) protocol, and polls until it owns partitions. It commits
// nothing itself.
func groupMember(t *testing.T, b backend, group, topic string, consumerProtocol bool) *kgo.Client {
	t.Helper()
	opts := []kgo.Opt{
		kgo.SeedBrokers(b.brokers...), kgo.ConsumerGroup(group), kgo.ConsumeTopics(topic),
		kgo.ClientID("kflow-test-member"), kgo.DisableAutoCommit(),
	}
	if consumerProtocol {
		opts = append(opts, kgo.ServerSideBalancer(), kgo.Balancers(kgo.RangeBalancer()))
	}
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return cl
}

// commit writes group offsets the way a stopped consumer leaves them.
func commit(t *testing.T, c *Client, group, topic string, offs map[int32]int64) {
	t.Helper()
	os := kadm.Offsets{}
	for p, o := range offs {
		os.Add(kadm.Offset{Topic: topic, Partition: p, At: o, LeaderEpoch: -1})
	}
	if err := c.adm.CommitAllOffsets(testCtx(t), group, os); err != nil {
		t.Fatalf("commit %v for %s: %v", offs, group, err)
	}
}

func TestGroupLagAndReset(t *testing.T) {
	eachBackend(t, func(t *testing.T, c *Client, b backend) {
		ctx := testCtx(t)
		topic := uniqueTopic(t)
		group := topic + "-g"
		mustCreate(t, c, topic, 3, nil)
		for p := range int32(3) {
			for i := range 10 {
				if _, err := c.Produce(ctx, Record{Topic: topic, Partition: p, Value: fmt.Appendf(nil, "%d", i),
					Timestamp: time.UnixMilli(1795428000000 + int64(i)*1000)}); err != nil {
					t.Fatal(err)
				}
			}
		}
		commit(t, c, group, topic, map[int32]int64{0: 10, 1: 4}) // p2 never committed

		gs, err := c.ListGroups(ctx)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(gs, func(g GroupSummary) bool { return g.ID == group })
		if i < 0 || gs[i].State != "Empty" || gs[i].Type != "classic" {
			t.Fatalf("ListGroups: %+v", gs)
		}

		lags, err := c.Lag(ctx, group)
		if err != nil {
			t.Fatal(err)
		}
		gl := lags[0]
		if gl.Err != "" || gl.TotalLag != 6 || len(gl.Partitions) != 2 {
			t.Fatalf("lag %+v", gl)
		}
		if p := gl.Partitions[1]; p.Partition != 1 || p.Committed != 4 || p.EndOffset != 10 || p.Lag != 6 {
			t.Errorf("p1 %+v", p)
		}
		if got := gl.Topics(); len(got) != 1 || got[0] != topic {
			t.Errorf("Topics = %v", got)
		}
		if _, err := c.Lag(ctx, group+"-missing"); err == nil {
			t.Error("lag of a missing group succeeded")
		}

		for _, tc := range []struct {
			spec ResetSpec
			want []int64 // new offsets of partitions 0, 1 (and 2)
		}{
			{ResetSpec{Mode: ResetEarliest}, []int64{0, 0}},
			{ResetSpec{Mode: ResetLatest}, []int64{10, 10}},
			{ResetSpec{Mode: ResetShift, Offset: -3}, []int64{7, 1}},
			{ResetSpec{Mode: ResetShift, Offset: -30}, []int64{0, 0}},
			{ResetSpec{Mode: ResetOffset, Offset: 5}, []int64{5, 5}},
			{ResetSpec{Mode: ResetTime, Time: time.UnixMilli(1795428000000 + 7000)}, []int64{7, 7}},
			{ResetSpec{Mode: ResetEarliest, Topics: []TopicPartitions{{Topic: topic}}}, []int64{0, 0, 0}},
			{ResetSpec{Mode: ResetOffset, Offset: 2, Topics: []TopicPartitions{{Topic: topic, Partitions: []int32{2}}}}, []int64{2}},
		} {
			tc.spec.Group = group
			plan, err := c.PlanReset(ctx, tc.spec)
			if err != nil {
				t.Fatalf("plan %+v: %v", tc.spec, err)
			}
			var got []int64
			for _, r := range plan.Rows {
				got = append(got, r.New)
				if r.LagAfter != 10-r.New {
					t.Errorf("row %+v: lag after must be end minus new", r)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("plan %+v: new offsets %v, want %v", tc.spec, got, tc.want)
			}
		}
		if _, err := c.PlanReset(ctx, ResetSpec{Group: group, Topics: []TopicPartitions{{Topic: topic, Partitions: []int32{9}}}}); err == nil {
			t.Error("planning a reset of a missing partition succeeded")
		}

		// Planning writes nothing; applying does.
		plan, err := c.PlanReset(ctx, ResetSpec{Group: group, Mode: ResetShift, Offset: -2})
		if err != nil {
			t.Fatal(err)
		}
		if lags, _ := c.Lag(ctx, group); lags[0].TotalLag != 6 {
			t.Fatalf("planning changed the lag to %d", lags[0].TotalLag)
		}
		if err := c.ApplyReset(ctx, plan); err != nil {
			t.Fatal(err)
		}
		lags, err = c.Lag(ctx, group)
		if err != nil || lags[0].TotalLag != 10 || lags[0].Partitions[0].Committed != 8 || lags[0].Partitions[1].Committed != 2 {
			t.Fatalf("after shift -2: %+v, %v", lags, err)
		}

		// A member makes the group active: reset and delete are refused
		// with an explanation, describe shows the member.
		m := groupMember(t, b, group, topic, false)
		eventually(t, 30*time.Second, "the member to join", func() bool {
			m.PollRecords(ctx, 1)
			d, err := c.DescribeGroup(ctx, group)
			return err == nil && d.Members == 1 && d.State == "Stable" && len(d.MemberList[0].Assigned) == 1
		})
		d, _ := c.DescribeGroup(ctx, group)
		gs, err = c.ListGroups(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if i := slices.IndexFunc(gs, func(g GroupSummary) bool { return g.ID == group }); gs[i].Members != 1 || gs[i].Protocol == "" || gs[i].State != "Stable" {
			t.Errorf("ListGroups of an active group: %+v", gs[i])
		}
		mem := d.MemberList[0]
		if mem.ClientID != "kflow-test-member" || mem.Host == "" || mem.Assigned[0].Topic != topic || len(mem.Assigned[0].Partitions) != 3 {
			t.Errorf("member %+v", mem)
		}
		var active *GroupActiveError
		if err := c.ApplyReset(ctx, plan); !errors.As(err, &active) || active.Members != 1 {
			t.Errorf("reset of an active group = %v", err)
		}
		if err := c.DeleteGroup(ctx, group); !errors.As(err, &active) || !strings.Contains(err.Error(), "is active (1 member, state Stable)") {
			t.Errorf("delete of an active group = %v; want it to say who is in the group, as a reset does", err)
		}
		lags, _ = c.Lag(ctx, group)
		if p := lags[0].Partitions[2]; p.ClientID != "kflow-test-member" || p.Committed != -1 || p.Lag != 10 {
			t.Errorf("assigned, uncommitted p2: %+v", p)
		}

		m.Close() // leaves the group
		eventually(t, 30*time.Second, "the group to empty", func() bool {
			d, err := c.DescribeGroup(ctx, group)
			return err == nil && d.Members == 0
		})
		if err := c.DeleteGroup(ctx, group); err != nil {
			t.Fatal(err)
		}
		eventually(t, 10*time.Second, "the group to be gone", func() bool {
			gs, _ := c.ListGroups(ctx)
			return !slices.ContainsFunc(gs, func(g GroupSummary) bool { return g.ID == group })
		})
	})
}

// TestConsumerProtocolGroup covers KIP-848 groups, which the classic
// describe path does not see.
func TestConsumerProtocolGroup(t *testing.T) {
	eachBackend(t, func(t *testing.T, c *Client, b backend) {
		ctx := testCtx(t)
		topic := uniqueTopic(t)
		group := topic + "-g"
		mustCreate(t, c, topic, 2, nil)
		for i := range 6 {
			if _, err := c.Produce(ctx, Record{Topic: topic, Partition: int32(i % 2), Value: []byte("x")}); err != nil {
				t.Fatal(err)
			}
		}
		m := groupMember(t, b, group, topic, true)
		eventually(t, 30*time.Second, "a consumer-protocol member with an assignment", func() bool {
			m.PollRecords(ctx, 1)
			d, err := c.DescribeGroup(ctx, group)
			// kfake names KIP-848 assignments by topic ID only: check
			// them on Kafka.
			return err == nil && d.Members == 1 && (!b.real || len(d.MemberList[0].Assigned) == 1 && len(d.MemberList[0].Assigned[0].Partitions) == 2)
		})
		d, _ := c.DescribeGroup(ctx, group)
		if d.Type != "consumer" && b.real {
			t.Errorf("type %q, want consumer", d.Type)
		}
		if err := m.CommitRecords(ctx, &kgo.Record{Topic: topic, Partition: 0, Offset: 1}); err != nil {
			t.Fatal(err)
		}
		lags, err := c.Lag(ctx, group)
		if err != nil {
			t.Fatal(err)
		}
		gl := lags[0]
		if gl.Err != "" || len(gl.Partitions) == 0 || gl.Partitions[0].Committed != 2 || gl.Partitions[0].Lag != 1 {
			t.Errorf("lag of a consumer-protocol group: %+v", gl)
		}
		if b.real && (len(gl.Partitions) != 2 || gl.Partitions[1].Committed != -1 || gl.Partitions[1].Lag != 3 || gl.Partitions[1].ClientID != "kflow-test-member") {
			t.Errorf("lag of a consumer-protocol group: %+v", gl)
		}
	})
}
