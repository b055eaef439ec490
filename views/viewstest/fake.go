package viewstest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"kflow/kafka"
)

// Cluster is a fake cluster. Each ListTopics or DescribeTopic call
// advances the clock by one second and grows every partition's end offset
// by its topic's per-second rate, so rates are exact.
type Cluster struct {
	mu      sync.Mutex
	Clock   *Clock
	Info    kafka.ClusterInfo
	topics  map[string]*topic
	Fail    error // when set, every call fails with it
	calls   int
	Created []kafka.TopicSpec
	Deleted []string
	// Block, when set, makes calls wait until it is closed or ctx ends.
	Block chan struct{}
	// fenced are brokers KillBroker left registered but fenced.
	fenced map[int32]bool
	// set are config values applied (ApplyConfigs) by resource name
	// (topic, broker id, "" for the cluster-wide default); a nil value
	// is a reset.
	set map[string]map[string]*string
	// Applied are the config plans applied; Truncated the delete-records
	// plans executed.
	Applied   []kafka.ConfigPlan
	Truncated []kafka.TruncatePlan
	// moving are reassignments in progress, by topic and partition.
	moving map[string]map[int32]moving
}

type topic struct {
	detail kafka.TopicDetail
	rate   int64 // records per call, per partition
}

// New returns a fake cluster of three brokers and five topics (one
// internal), with a clock.
func New() *Cluster {
	c := &Cluster{
		Clock: NewClock(),
		Info: kafka.ClusterInfo{ClusterID: "MkU3OEVBNTcwNTJENDM2Qk", Controller: 1, Brokers: []kafka.Broker{
			{ID: 1, Host: "broker-1.kafka.local", Port: 9092, Rack: "eu-west-1a", Controller: true},
			{ID: 2, Host: "broker-2.kafka.local", Port: 9092, Rack: "eu-west-1b"},
			{ID: 3, Host: "broker-3.kafka.local", Port: 9092, Rack: "eu-west-1c"},
		}},
		topics: map[string]*topic{},
	}
	c.add("orders", 6, 3, 120_000, 40)
	c.add("payments", 3, 3, 48_213, 7)
	c.add("clickstream.raw.events.from-the-web-frontend", 12, 2, 9_876_543, 350)
	c.add("audit-log", 1, 3, 512, 0)
	c.add("__consumer_offsets", 50, 3, 1_234, 0)
	c.topics["__consumer_offsets"].detail.Internal = true
	// payments partition 2 is missing replica 3 from its ISR.
	c.topics["payments"].detail.Partitions[2].ISR = []int32{1, 2}
	return c
}

func (c *Cluster) add(name string, parts, rf int, records int64, rate int64) {
	d := kafka.TopicDetail{Name: name, ID: fmt.Sprintf("id-%s", name), ReplicationFactor: rf}
	for p := range parts {
		var reps []int32
		for r := range rf {
			reps = append(reps, int32((p+r)%3+1))
		}
		per := records / int64(parts)
		d.Partitions = append(d.Partitions, kafka.PartitionInfo{
			Partition: int32(p), Leader: reps[0], Replicas: reps, ISR: append([]int32(nil), reps...),
			OfflineReplicas: []int32{}, StartOffset: int64(p * 10), EndOffset: int64(p*10) + per,
			MinISR: max(rf-1, 1),
		})
		d.Partitions[p].Health = kafka.PartitionHealth(d.Partitions[p])
	}
	d.MinISR = max(rf-1, 1)
	c.topics[name] = &topic{detail: d, rate: rate}
}

// Calls is how many calls the fake has answered.
func (c *Cluster) Calls() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls
}

func (c *Cluster) enter(ctx context.Context) error {
	c.mu.Lock()
	block, fail := c.Block, c.Fail
	c.mu.Unlock()
	if block != nil {
		select {
		case <-block:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return fail
}

// SetFail makes every call fail with err (nil heals).
func (c *Cluster) SetFail(err error) {
	c.mu.Lock()
	c.Fail = err
	c.mu.Unlock()
}

// grow advances the clock and the offsets by one second.
func (c *Cluster) grow() {
	c.calls++
	c.Clock.Advance(time.Second)
	for _, t := range c.topics {
		for i := range t.detail.Partitions {
			t.detail.Partitions[i].EndOffset += t.rate
		}
	}
}

// Cluster returns the brokers.
func (c *Cluster) Cluster(ctx context.Context) (kafka.ClusterInfo, error) {
	if err := c.enter(ctx); err != nil {
		return kafka.ClusterInfo{}, fmt.Errorf("describe cluster: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	return c.Info, nil
}

// ListTopics lists the topics, sorted by name.
func (c *Cluster) ListTopics(ctx context.Context) ([]kafka.TopicSummary, error) {
	if err := c.enter(ctx); err != nil {
		return nil, fmt.Errorf("list topics: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.grow()
	var out []kafka.TopicSummary
	for _, t := range c.topics {
		s := kafka.TopicSummary{Name: t.detail.Name, Partitions: len(t.detail.Partitions),
			ReplicationFactor: t.detail.ReplicationFactor, Internal: t.detail.Internal}
		for _, p := range t.detail.Partitions {
			s.Records += p.Records()
			s.EndOffsets += p.EndOffset
			if p.UnderReplicated() {
				s.UnderReplicated++
			}
			if p.Leader < 0 {
				s.Offline++
			}
			if p.Leader >= 0 && p.UnderMinISR() {
				s.UnderMinISR++
			}
		}
		s.MinISR = t.detail.MinISR
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// DescribeTopic describes one topic.
func (c *Cluster) DescribeTopic(ctx context.Context, name string) (kafka.TopicDetail, error) {
	if err := c.enter(ctx); err != nil {
		return kafka.TopicDetail{}, fmt.Errorf("describe topic %q: %w", name, err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.grow()
	t, ok := c.topics[name]
	if !ok {
		return kafka.TopicDetail{}, fmt.Errorf("describe topic %q: UNKNOWN_TOPIC_OR_PARTITION", name)
	}
	d := t.detail
	d.Partitions = append([]kafka.PartitionInfo(nil), d.Partitions...)
	return d, nil
}

// TopicConfigs returns a fixed set of configs, set ones first.
func (c *Cluster) TopicConfigs(ctx context.Context, name string) ([]kafka.ConfigEntry, error) {
	if err := c.enter(ctx); err != nil {
		return nil, fmt.Errorf("describe configs of topic %q: %w", name, err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	if _, ok := c.topics[name]; !ok {
		return nil, fmt.Errorf("describe configs of topic %q: UNKNOWN_TOPIC_OR_PARTITION", name)
	}
	return c.applySet(name, topicConfigs()), nil
}

// ErrExists is what CreateTopic says for a name that is taken.
var ErrExists = errors.New("TOPIC_ALREADY_EXISTS: Topic already exists")

// CreateTopic adds a topic with no records.
func (c *Cluster) CreateTopic(ctx context.Context, spec kafka.TopicSpec) error {
	if err := c.enter(ctx); err != nil {
		return fmt.Errorf("create topic %q: %w", spec.Name, err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	if _, ok := c.topics[spec.Name]; ok {
		return fmt.Errorf("create topic %q: %w", spec.Name, ErrExists)
	}
	p, rf := int(spec.Partitions), int(spec.ReplicationFactor)
	if p == 0 {
		p = 1
	}
	if rf == 0 {
		rf = 3
	}
	c.Created = append(c.Created, spec)
	c.add(spec.Name, p, rf, 0, 0)
	return nil
}

// DeleteTopic removes a topic.
func (c *Cluster) DeleteTopic(ctx context.Context, name string) error {
	if err := c.enter(ctx); err != nil {
		return fmt.Errorf("delete topic %q: %w", name, err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	if _, ok := c.topics[name]; !ok {
		return fmt.Errorf("delete topic %q: UNKNOWN_TOPIC_OR_PARTITION", name)
	}
	c.Deleted = append(c.Deleted, name)
	delete(c.topics, name)
	return nil
}

// EndOffsets returns the end offsets of the topics.
func (c *Cluster) EndOffsets(ctx context.Context, topics ...string) (kafka.Offsets, error) {
	if err := c.enter(ctx); err != nil {
		return nil, fmt.Errorf("list end offsets: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	out := kafka.Offsets{}
	for _, n := range topics {
		if t, ok := c.topics[n]; ok {
			out[n] = map[int32]int64{}
			for _, p := range t.detail.Partitions {
				out[n][p.Partition] = p.EndOffset
			}
		}
	}
	return out, nil
}

// KillBroker makes broker id die as a real cluster shows it: it leaves
// every ISR, the partitions it led move to the next replica in their ISR
// (offline when none is left), and it is fenced (still listed) or, with
// forget, no longer listed at all.
func (c *Cluster) KillBroker(id int32, forget bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if forget {
		c.Info.Brokers = slices.DeleteFunc(c.Info.Brokers, func(b kafka.Broker) bool { return b.ID == id })
	} else {
		if c.fenced == nil {
			c.fenced = map[int32]bool{}
		}
		c.fenced[id] = true
	}
	for _, t := range c.topics {
		for i := range t.detail.Partitions {
			p := &t.detail.Partitions[i]
			if !slices.Contains(p.Replicas, id) {
				continue
			}
			p.ISR = slices.DeleteFunc(slices.Clone(p.ISR), func(r int32) bool { return r == id })
			p.OfflineReplicas = append(slices.Clone(p.OfflineReplicas), id)
			if p.Leader == id {
				p.Leader = -1
				if len(p.ISR) > 0 {
					p.Leader = p.ISR[0]
				}
			}
			p.Health = kafka.PartitionHealth(*p)
		}
	}
}

// BrokersHealth is every broker with its state and its share of the
// partitions, as kafka.Client.BrokersHealth gives it.
func (c *Cluster) BrokersHealth(ctx context.Context) (kafka.ClusterHealth, error) {
	if err := c.enter(ctx); err != nil {
		return kafka.ClusterHealth{}, fmt.Errorf("describe cluster: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	h := kafka.ClusterHealth{ClusterInfo: c.Info}
	by := map[int32]*kafka.BrokerHealth{}
	for _, b := range c.Info.Brokers {
		state := kafka.BrokerAlive
		if c.fenced[b.ID] {
			state = kafka.BrokerFenced
		}
		by[b.ID] = &kafka.BrokerHealth{Broker: b, State: state}
	}
	get := func(id int32) *kafka.BrokerHealth {
		if by[id] == nil {
			by[id] = &kafka.BrokerHealth{Broker: kafka.Broker{ID: id}, State: kafka.BrokerGone}
		}
		return by[id]
	}
	for _, t := range c.topics {
		for _, p := range t.detail.Partitions {
			for _, r := range p.Replicas {
				b := get(r)
				b.Replicas++
				if !slices.Contains(p.ISR, r) {
					b.OutOfISR++
				}
			}
			if p.Leader >= 0 {
				b := get(p.Leader)
				b.Leaders++
				if p.UnderReplicated() {
					b.LeadersUnderReplicated++
				}
			}
		}
	}
	for _, b := range by {
		h.Health = append(h.Health, *b)
	}
	sort.Slice(h.Health, func(i, j int) bool { return h.Health[i].ID < h.Health[j].ID })
	return h, nil
}

// SetMinISR sets a topic's min.insync.replicas and re-marks its partitions.
func (c *Cluster) SetMinISR(name string, n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.topics[name]
	if !ok {
		return
	}
	t.detail.MinISR = n
	for i := range t.detail.Partitions {
		p := &t.detail.Partitions[i]
		p.MinISR = n
		p.Health = kafka.PartitionHealth(*p)
	}
}

// ReviveBroker brings a killed broker back as a real cluster does: it is
// listed and unfenced again and rejoins every ISR, but the partitions it
// led keep their new leaders until a preferred election moves them back.
func (c *Cluster) ReviveBroker(b kafka.Broker) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.fenced, b.ID)
	if !slices.ContainsFunc(c.Info.Brokers, func(x kafka.Broker) bool { return x.ID == b.ID }) {
		c.Info.Brokers = append(c.Info.Brokers, b)
		sort.Slice(c.Info.Brokers, func(i, j int) bool { return c.Info.Brokers[i].ID < c.Info.Brokers[j].ID })
	}
	for _, t := range c.topics {
		for i := range t.detail.Partitions {
			p := &t.detail.Partitions[i]
			if !slices.Contains(p.Replicas, b.ID) {
				continue
			}
			p.OfflineReplicas = slices.DeleteFunc(slices.Clone(p.OfflineReplicas), func(r int32) bool { return r == b.ID })
			if !slices.Contains(p.ISR, b.ID) {
				p.ISR = append(slices.Clone(p.ISR), b.ID)
			}
			if p.Leader < 0 {
				p.Leader = b.ID
			}
			p.Health = kafka.PartitionHealth(*p)
		}
	}
}
