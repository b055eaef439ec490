package kafka

import (
	"math"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"
)

func TestCheckCounts(t *testing.T) {
	for _, tc := range []struct {
		n, limit int64
		ok       bool
	}{
		{1, 0, true}, {DefaultMaxPartitions, 0, true}, {DefaultMaxPartitions + 1, 0, false},
		{0, 0, false}, {-1, 0, false}, {1 << 32, 0, false}, {1<<32 + 1, 1 << 40, false},
		{20000, 20000, true}, {math.MaxInt32, math.MaxInt32, true},
	} {
		if err := CheckPartitionCount("p", tc.n, tc.limit); (err == nil) != tc.ok {
			t.Errorf("CheckPartitionCount(%d, %d) = %v", tc.n, tc.limit, err)
		}
	}
	for _, n := range []int64{0, -1, 32768, 65537} {
		if CheckReplicationFactor(n) == nil {
			t.Errorf("replication factor %d accepted", n)
		}
	}
	if CheckReplicationFactor(3) != nil || CheckReplicationFactor(32767) != nil {
		t.Error("a valid replication factor refused")
	}
}

// TestCreateTopicRefusesCountsBeforeSending: a replication factor above
// the brokers, or a count that overflows Kafka's fields, is refused by the
// client without a CreateTopics or CreatePartitions request (kfake counts
// them) and without a topic appearing.
func TestCreateTopicRefusesCountsBeforeSending(t *testing.T) {
	fake, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.Ports(0))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fake.Close)
	var creates atomic.Int32
	for _, key := range []kmsg.Key{kmsg.CreateTopics, kmsg.CreatePartitions} {
		fake.ControlKey(int16(key), func(kmsg.Request) (kmsg.Response, error, bool) {
			fake.KeepControl()
			creates.Add(1)
			return nil, nil, false
		})
	}
	bs := []backend{{name: "kfake", brokers: fake.ListenAddrs()}}
	if real := realBrokers(t); real != nil {
		bs = append(bs, backend{name: "kafka", brokers: real, real: true})
	}
	for _, b := range bs {
		t.Run(b.name, func(t *testing.T) {
			c := connect(t, b)
			ctx := testCtx(t)
			name := uniqueTopic(t)
			before := creates.Load()
			err := c.CreateTopic(ctx, TopicSpec{Name: name, Partitions: 1, ReplicationFactor: 2})
			if err == nil || !strings.Contains(err.Error(), "replication factor 2") || !strings.Contains(err.Error(), "1 broker") {
				t.Fatalf("rf 2 on one broker: %v", err)
			}
			for _, spec := range []TopicSpec{{Name: name, Partitions: -5}, {Name: name, ReplicationFactor: -2}} {
				if err := c.CreateTopic(ctx, spec); err == nil {
					t.Errorf("CreateTopic(%+v) accepted", spec)
				}
			}
			mustCreate(t, c, name, 1, nil)
			after := creates.Load()
			if err := c.AddPartitions(ctx, name, math.MaxInt32); err == nil || !strings.Contains(err.Error(), "2147483647") {
				t.Errorf("adding MaxInt32 partitions to a topic of 1: %v", err)
			}
			if !b.real && (after-before != 1 || creates.Load() != after) {
				t.Errorf("kfake saw %d create requests for refused counts, want only the one valid create", creates.Load()-before-1)
			}
			d, err := c.DescribeTopic(ctx, name)
			if err != nil || len(d.Partitions) != 1 {
				t.Errorf("after the refusals: %+v %v", d, err)
			}
		})
	}
}
