package kafka

import (
	"errors"
	"slices"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
)

func TestTopicLifecycle(t *testing.T) {
	eachBackend(t, func(t *testing.T, c *Client, b backend) {
		ctx := testCtx(t)
		name := uniqueTopic(t)
		mustCreate(t, c, name, 3, map[string]string{"cleanup.policy": "compact", "retention.ms": "3600000"})

		err := c.CreateTopic(ctx, TopicSpec{Name: name, Partitions: 1, ReplicationFactor: 1})
		if !errors.Is(err, kerr.TopicAlreadyExists) {
			t.Errorf("creating %q twice = %v, want TopicAlreadyExists", name, err)
		}
		for i := range 7 {
			if _, err := c.Produce(ctx, Record{Topic: name, Partition: int32(i % 3), Key: []byte{byte('a' + i)}, Value: []byte("v")}); err != nil {
				t.Fatal(err)
			}
		}

		ts, err := c.ListTopics(ctx)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(ts, func(s TopicSummary) bool { return s.Name == name })
		if i < 0 {
			t.Fatalf("ListTopics lacks %q", name)
		}
		if s := ts[i]; s.Partitions != 3 || s.ReplicationFactor != 1 || s.Internal || s.Records != 7 || s.EndOffsets != 7 || s.Offline != 0 {
			t.Errorf("summary = %+v", s)
		}
		if !slices.IsSortedFunc(ts, func(a, b TopicSummary) int { return cmpStr(a.Name, b.Name) }) {
			t.Error("topics not sorted by name")
		}
		d, err := c.DescribeTopic(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Partitions) != 3 || d.ReplicationFactor != 1 || d.ID == "" {
			t.Fatalf("describe = %+v", d)
		}
		var sum int64
		for i, p := range d.Partitions {
			if p.Partition != int32(i) || p.Leader < 0 || len(p.Replicas) != 1 || len(p.ISR) != 1 || p.UnderReplicated() || p.StartOffset != 0 {
				t.Errorf("partition %+v", p)
			}
			sum += p.Records()
		}
		if sum != 7 || d.Partitions[0].EndOffset != 3 {
			t.Errorf("records %d, p0 end %d", sum, d.Partitions[0].EndOffset)
		}

		cfgs, err := c.TopicConfigs(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		get := func(k string) (ConfigEntry, int) {
			i := slices.IndexFunc(cfgs, func(e ConfigEntry) bool { return e.Name == k })
			if i < 0 {
				t.Fatalf("configs lack %s", k)
			}
			return cfgs[i], i
		}
		cp, cpi := get("cleanup.policy")
		if cp.Value != "compact" || cp.IsDefault || cp.Source != "DYNAMIC_TOPIC_CONFIG" {
			t.Errorf("cleanup.policy = %+v", cp)
		}
		if b.real {
			// kfake reports few defaults; Kafka reports all of them.
			seg, segi := get("segment.bytes")
			if !seg.IsDefault || segi < cpi {
				t.Errorf("segment.bytes = %+v at %d, cleanup.policy at %d: non-defaults must come first", seg, segi, cpi)
			}
		}

		if err := c.AddPartitions(ctx, name, 2); err != nil {
			t.Fatal(err)
		}
		if n, err := c.Partitions(ctx, name); err != nil || n != 5 {
			t.Errorf("after adding 2 partitions: %d, %v", n, err)
		}
		if err := c.AddPartitions(ctx, name, 0); err == nil {
			t.Error("adding 0 partitions succeeded")
		}

		if err := c.DeleteTopic(ctx, name); err != nil {
			t.Fatal(err)
		}
		eventually(t, 10e9, "the topic to be gone", func() bool {
			_, err := c.DescribeTopic(ctx, name)
			return errors.Is(err, kerr.UnknownTopicOrPartition)
		})
		if err := c.DeleteTopic(ctx, name+"-never"); !errors.Is(err, kerr.UnknownTopicOrPartition) {
			t.Errorf("deleting a missing topic = %v", err)
		}
	})
}

func cmpStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TestOffsetsTotal: Total sums every partition of every topic.
func TestOffsetsTotal(t *testing.T) {
	o := Offsets{"a": {0: 3, 1: 4}, "b": {0: 5}, "c": {}}
	if got := o.Total(); got != 12 {
		t.Errorf("Total = %d, want 12", got)
	}
	if got := (Offsets{}).Total(); got != 0 {
		t.Errorf("empty Total = %d, want 0", got)
	}
}
