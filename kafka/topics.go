package kafka

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
)

// Offsets maps topic to partition to an offset.
type Offsets map[string]map[int32]int64

// Total is the sum of the offsets: of end offsets, how many records the
// topics ever held (the records written, for a fresh topic).
func (o Offsets) Total() int64 {
	var total int64
	for _, ps := range o {
		for _, off := range ps {
			total += off
		}
	}
	return total
}

// ListTopics lists every topic, internal ones included (marked), sorted by
// name, with record counts from start and end offsets.
func (c *Client) ListTopics(ctx context.Context) ([]TopicSummary, error) {
	tds, err := c.adm.ListTopicsWithInternal(ctx)
	if err != nil {
		return nil, fmt.Errorf("list topics: %w", c.explainAuth(err, "Describe", "Topic", "*"))
	}
	names := tds.Names()
	starts, ends, err := c.startEnd(ctx, names...)
	if err != nil {
		return nil, fmt.Errorf("list topics: %w", err)
	}
	minISR := c.minISRs(ctx, names...)
	out := make([]TopicSummary, 0, len(tds))
	for _, td := range tds.Sorted() {
		s := TopicSummary{Name: td.Topic, Partitions: len(td.Partitions), Internal: td.IsInternal, MinISR: minISR[td.Topic]}
		for _, p := range td.Partitions {
			if s.MinISR > 0 && p.Leader >= 0 && len(p.ISR) < s.MinISR {
				s.UnderMinISR++
			}
			s.ReplicationFactor = max(s.ReplicationFactor, len(p.Replicas))
			if p.Leader < 0 {
				s.Offline++
			}
			if len(p.ISR) < len(p.Replicas) {
				s.UnderReplicated++
			}
			end, okE := ends[td.Topic][p.Partition]
			start, okS := starts[td.Topic][p.Partition]
			if okE {
				s.EndOffsets += end
			}
			if okE && okS {
				s.Records += end - start
			}
		}
		out = append(out, s)
	}
	return out, nil
}

// startEnd lists the start and end offsets of the topics' partitions.
// Partitions whose offsets could not be listed (offline) are left out.
func (c *Client) startEnd(ctx context.Context, topics ...string) (starts, ends Offsets, err error) {
	if len(topics) == 0 {
		return Offsets{}, Offsets{}, nil
	}
	one := "*"
	if len(topics) == 1 {
		one = topics[0]
	}
	s, err := c.adm.ListStartOffsets(ctx, topics...)
	if err != nil && !isShardErr(err) {
		return nil, nil, fmt.Errorf("list start offsets: %w", c.explainAuth(err, "Describe", "Topic", one))
	}
	e, err := c.adm.ListEndOffsets(ctx, topics...)
	if err != nil && !isShardErr(err) {
		return nil, nil, fmt.Errorf("list end offsets: %w", c.explainAuth(err, "Describe", "Topic", one))
	}
	return listed(s), listed(e), nil
}

// EndOffsets returns the end offsets (high watermarks) of the topics'
// partitions; sampled over time they give produce rates.
func (c *Client) EndOffsets(ctx context.Context, topics ...string) (Offsets, error) {
	e, err := c.adm.ListEndOffsets(ctx, topics...)
	if err != nil && !isShardErr(err) {
		return nil, fmt.Errorf("list end offsets: %w", c.explainAuth(err, "Describe", "Topic", "*"))
	}
	return listed(e), nil
}

func listed(l kadm.ListedOffsets) Offsets {
	out := Offsets{}
	l.Each(func(o kadm.ListedOffset) {
		if o.Err != nil {
			return
		}
		if out[o.Topic] == nil {
			out[o.Topic] = map[int32]int64{}
		}
		out[o.Topic][o.Partition] = o.Offset
	})
	return out
}

func isShardErr(err error) bool {
	var se *kadm.ShardErrors
	return errors.As(err, &se) && !se.AllFailed
}

// DescribeTopic describes one topic's partitions: leader, replicas, ISR,
// offline replicas, start and end offsets.
func (c *Client) DescribeTopic(ctx context.Context, topic string) (TopicDetail, error) {
	tds, err := c.adm.ListTopicsWithInternal(ctx, topic)
	if err != nil {
		return TopicDetail{}, fmt.Errorf("describe topic %q: %w", topic, c.explainAuth(err, "Describe", "Topic", topic))
	}
	td, ok := tds[topic]
	if !ok || errors.Is(td.Err, kerr.UnknownTopicOrPartition) {
		return TopicDetail{}, fmt.Errorf("describe: %w", c.unknownTopic(ctx, topic))
	}
	if td.Err != nil {
		return TopicDetail{}, fmt.Errorf("describe topic %q: %w", topic, c.explainAuth(td.Err, "Describe", "Topic", topic))
	}
	starts, ends, err := c.startEnd(ctx, topic)
	if err != nil {
		return TopicDetail{}, fmt.Errorf("describe topic %q: %w", topic, err)
	}
	// Kafka writes topic IDs as unpadded URL-safe base64 (Uuid.toString).
	d := TopicDetail{Name: topic, ID: base64.RawURLEncoding.EncodeToString(td.ID[:]), Internal: td.IsInternal}
	d.MinISR = c.minISRs(ctx, topic)[topic]
	for _, p := range td.Partitions.Sorted() {
		pi := PartitionInfo{
			Partition:       p.Partition,
			Leader:          p.Leader,
			LeaderEpoch:     p.LeaderEpoch,
			Replicas:        nonNil(p.Replicas),
			ISR:             nonNil(p.ISR),
			OfflineReplicas: nonNil(p.OfflineReplicas),
			StartOffset:     starts[topic][p.Partition],
			EndOffset:       ends[topic][p.Partition],
			MinISR:          d.MinISR,
		}
		pi.Health = PartitionHealth(pi)
		if p.Err != nil {
			pi.Err = p.Err.Error()
		}
		d.ReplicationFactor = max(d.ReplicationFactor, len(p.Replicas))
		d.Partitions = append(d.Partitions, pi)
	}
	return d, nil
}

func nonNil(s []int32) []int32 {
	if s == nil {
		return []int32{}
	}
	return s
}

// CreateTopic creates a topic. Zero partitions or replication factor take
// the broker's defaults.
func (c *Client) CreateTopic(ctx context.Context, spec TopicSpec) error {
	if err := c.writable("create topic " + spec.Name); err != nil {
		return err
	}
	if spec.Name == "" {
		return errors.New("create topic: the name is empty")
	}
	p, rf := spec.Partitions, spec.ReplicationFactor
	if p < 0 {
		return fmt.Errorf("create topic %q: %w", spec.Name, CheckPartitionCount("partitions", int64(p), math.MaxInt32))
	}
	if rf < 0 {
		return fmt.Errorf("create topic %q: %w", spec.Name, CheckReplicationFactor(int64(rf)))
	}
	if rf > 1 {
		if err := c.checkBrokerCount(ctx, spec.Name, rf); err != nil {
			return err
		}
	}
	if p == 0 {
		p = -1
	}
	if rf == 0 {
		rf = -1
	}
	cfgs := make(map[string]*string, len(spec.Configs))
	for k, v := range spec.Configs {
		cfgs[k] = &v
	}
	resp, err := c.adm.CreateTopic(ctx, p, rf, cfgs, spec.Name)
	if err == nil {
		err = resp.Err
		if err != nil && resp.ErrMessage != "" {
			err = fmt.Errorf("%w: %s", err, resp.ErrMessage)
		}
	}
	if err != nil {
		return fmt.Errorf("create topic %q: %w", spec.Name, c.explainAuth(err, "Create", "Topic", spec.Name))
	}
	// Kafka answers before every broker's metadata has the topic; wait
	// for it so that a produce right after a create finds it.
	_, err = c.lookupPartitions(ctx, spec.Name, 5*time.Second)
	return err
}

// checkBrokerCount refuses a replication factor above the cluster's
// brokers before the create request, with the count in the message.
func (c *Client) checkBrokerCount(ctx context.Context, topic string, rf int16) error {
	info, err := c.Cluster(ctx)
	if err != nil {
		return fmt.Errorf("create topic %q: %w", topic, err)
	}
	if n := len(info.Brokers); int(rf) > n {
		brokers := fmt.Sprintf("%d brokers", n)
		if n == 1 {
			brokers = "1 broker"
		}
		return fmt.Errorf("create topic %q: replication factor %d is more than the cluster's %s: give -r %d or less",
			topic, rf, brokers, n)
	}
	return nil
}

// DeleteTopic deletes a topic and all its records.
func (c *Client) DeleteTopic(ctx context.Context, topic string) error {
	if err := c.writable("delete topic " + topic); err != nil {
		return err
	}
	resp, err := c.adm.DeleteTopic(ctx, topic)
	if err == nil {
		err = resp.Err
	}
	if err != nil {
		return fmt.Errorf("delete topic %q: %w", topic, c.explainAuth(err, "Delete", "Topic", topic))
	}
	c.forgetPartitions(topic)
	return nil
}

// AddPartitions adds n partitions to a topic. Kafka cannot remove them.
func (c *Client) AddPartitions(ctx context.Context, topic string, n int) error {
	if err := c.writable("add partitions to " + topic); err != nil {
		return err
	}
	if n <= 0 {
		return fmt.Errorf("add partitions to %q: the count must be positive, not %d", topic, n)
	}
	// Kafka takes the new total as an int32: a total over it would be
	// sent wrapped around.
	have, err := c.lookupPartitions(ctx, topic, 0)
	if err != nil {
		return fmt.Errorf("add partitions to %q: %w", topic, err)
	}
	if total := int64(have) + int64(n); total > math.MaxInt32 {
		return fmt.Errorf("add %d partitions to %q: the total %d would be over Kafka's limit of %d", n, topic, total, math.MaxInt32)
	}
	resp, err := c.adm.CreatePartitions(ctx, n, topic)
	if err == nil {
		var r kadm.CreatePartitionsResponse
		r, err = resp.On(topic, nil)
		if err == nil {
			err = r.Err
		}
	}
	if err != nil {
		return fmt.Errorf("add %d partitions to %q: %w", n, topic, c.explainAuth(err, "Alter", "Topic", topic))
	}
	c.forgetPartitions(topic)
	// Kafka answers once its controller has the change; the brokers'
	// metadata follows a moment later. Wait (briefly) until it shows, so
	// a describe or produce right after sees the partitions just added.
	c.awaitPartitions(ctx, topic, have+int32(n))
	return nil
}

// awaitPartitions waits, up to a few seconds, until the metadata shows
// topic with at least want partitions. It gives no error: the change is
// made either way, and a slow broker only delays when it shows.
func (c *Client) awaitPartitions(ctx context.Context, topic string, want int32) {
	ctx, cancel := context.WithTimeout(ctx, min(5*time.Second, c.cfg.timeout()))
	defer cancel()
	for backoff := 20 * time.Millisecond; ; backoff = min(2*backoff, 250*time.Millisecond) {
		if got, err := c.lookupPartitions(ctx, topic, 0); err == nil && got >= want {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
	}
}
