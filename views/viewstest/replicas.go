package viewstest

import (
	"context"
	"fmt"
	"slices"

	"kflow/kafka"
)

// moving is a reassignment the fake started: where it goes.
type moving struct {
	target []int32
	r      kafka.Reassignment
}

// PreferredElectionPlan lists the topic's partitions not led by their
// first replica.
func (c *Cluster) PreferredElectionPlan(ctx context.Context, t kafka.ElectionTarget) ([]kafka.LeaderMove, error) {
	if err := c.enter(ctx); err != nil {
		return nil, fmt.Errorf("preferred election plan: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	var out []kafka.LeaderMove
	for _, name := range t.Topics {
		tp, ok := c.topics[name]
		if !ok {
			return nil, fmt.Errorf("preferred election plan: unknown topic %q", name)
		}
		out = append(out, kafka.PreferredLeaderMoves(name, tp.detail.Partitions)...)
	}
	return out, nil
}

// ElectPreferredLeaders moves each partition's leadership to its first
// replica when that one is in sync, as Kafka does.
func (c *Cluster) ElectPreferredLeaders(ctx context.Context, t kafka.ElectionTarget) ([]kafka.ElectionResult, error) {
	if err := c.enter(ctx); err != nil {
		return nil, fmt.Errorf("elect leaders: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	var out []kafka.ElectionResult
	for _, name := range t.Topics {
		tp, ok := c.topics[name]
		if !ok {
			return nil, fmt.Errorf("elect leaders: unknown topic %q", name)
		}
		for i := range tp.detail.Partitions {
			p := &tp.detail.Partitions[i]
			r := kafka.ElectionResult{Topic: name, Partition: p.Partition, Outcome: kafka.ElectElected}
			switch pref := p.Replicas[0]; {
			case p.Leader == pref:
				r.Outcome = kafka.ElectAlreadyPreferred
			case !slices.Contains(p.ISR, pref):
				r.Outcome, r.Error = kafka.ElectError, "PREFERRED_LEADER_NOT_AVAILABLE"
			default:
				p.Leader = pref
				p.Health = kafka.PartitionHealth(*p)
			}
			out = append(out, r)
		}
	}
	return out, nil
}

// PlanReassignment prices a as the client does, with 100 bytes a record.
func (c *Cluster) PlanReassignment(ctx context.Context, a kafka.Assignment) (kafka.ReassignPlan, error) {
	if err := c.enter(ctx); err != nil {
		return kafka.ReassignPlan{}, fmt.Errorf("plan reassignment: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	plan := kafka.ReassignPlan{Moves: []kafka.ReplicaMove{}}
	known := map[int32]bool{}
	for _, b := range c.Info.Brokers {
		known[b.ID] = true
	}
	for name, ps := range a {
		tp, ok := c.topics[name]
		if !ok {
			return plan, fmt.Errorf("plan reassignment: unknown topic %q", name)
		}
		for _, p := range tp.detail.Partitions {
			target, ok := ps[p.Partition]
			if !ok {
				continue
			}
			for _, b := range target {
				if !known[b] {
					return kafka.ReassignPlan{}, fmt.Errorf("plan reassignment: %s/%d: broker %d is not in the cluster", name, p.Partition, b)
				}
			}
			m := kafka.ReplicaMove{Topic: name, Partition: p.Partition, Current: p.Replicas, Target: target, Adding: []int32{}, Removing: []int32{}}
			for _, b := range target {
				if !slices.Contains(p.Replicas, b) {
					m.Adding = append(m.Adding, b)
				}
			}
			for _, b := range p.Replicas {
				if !slices.Contains(target, b) {
					m.Removing = append(m.Removing, b)
				}
			}
			if !m.Changes() {
				continue
			}
			m.Bytes = p.Records() * 100 * int64(len(m.Adding))
			plan.Bytes += m.Bytes
			plan.Moves = append(plan.Moves, m)
		}
	}
	return plan, nil
}

// ExecuteReassignment starts plan's moves: they stay in progress until
// FinishReassignments or a cancel.
func (c *Cluster) ExecuteReassignment(ctx context.Context, plan kafka.ReassignPlan, _ int64) ([]kafka.ElectionResult, error) {
	if err := c.enter(ctx); err != nil {
		return nil, fmt.Errorf("reassign partitions: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	if c.moving == nil {
		c.moving = map[string]map[int32]moving{}
	}
	var out []kafka.ElectionResult
	for _, m := range plan.Moves {
		if c.moving[m.Topic] == nil {
			c.moving[m.Topic] = map[int32]moving{}
		}
		all := append(slices.Clone(m.Target), m.Removing...)
		c.moving[m.Topic][m.Partition] = moving{target: m.Target, r: kafka.Reassignment{Topic: m.Topic, Partition: m.Partition,
			Replicas: all, AddingReplicas: m.Adding, RemovingReplicas: m.Removing}}
		out = append(out, kafka.ElectionResult{Topic: m.Topic, Partition: m.Partition, Outcome: kafka.ReassignStarted})
	}
	return out, nil
}

// ListReassignments lists the moves in progress of topic.
func (c *Cluster) ListReassignments(ctx context.Context, topic string) ([]kafka.Reassignment, error) {
	if err := c.enter(ctx); err != nil {
		return nil, fmt.Errorf("list reassignments: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []kafka.Reassignment
	for _, m := range c.moving[topic] {
		out = append(out, m.r)
	}
	slices.SortFunc(out, func(a, b kafka.Reassignment) int { return int(a.Partition - b.Partition) })
	return out, nil
}

// CancelReassignment drops topic's moves in progress.
func (c *Cluster) CancelReassignment(ctx context.Context, topic string) ([]kafka.ElectionResult, error) {
	if err := c.enter(ctx); err != nil {
		return nil, fmt.Errorf("cancel reassignment: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	if len(c.moving[topic]) == 0 {
		return nil, fmt.Errorf("cancel reassignment of %q: no reassignment in progress", topic)
	}
	var out []kafka.ElectionResult
	for p := range c.moving[topic] {
		out = append(out, kafka.ElectionResult{Topic: topic, Partition: p, Outcome: kafka.ReassignCancelled})
	}
	delete(c.moving, topic)
	slices.SortFunc(out, func(a, b kafka.ElectionResult) int { return int(a.Partition - b.Partition) })
	return out, nil
}

// FinishReassignments completes every move in progress: the partitions
// take their target replicas, all in sync.
func (c *Cluster) FinishReassignments() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for name, ps := range c.moving {
		tp := c.topics[name]
		for i := range tp.detail.Partitions {
			p := &tp.detail.Partitions[i]
			if m, ok := ps[p.Partition]; ok {
				p.Replicas, p.ISR = slices.Clone(m.target), slices.Clone(m.target)
				if !slices.Contains(p.Replicas, p.Leader) {
					p.Leader = p.Replicas[0]
				}
				p.Health = kafka.PartitionHealth(*p)
			}
		}
	}
	c.moving = nil
}
