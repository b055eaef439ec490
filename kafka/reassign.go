package kafka

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// ReplicaMove is one partition of a reassignment plan: its replicas now
// and the ones it is to have, with the difference and what it costs.
type ReplicaMove struct {
	Topic     string  `json:"topic"`
	Partition int32   `json:"partition"`
	Current   []int32 `json:"current"`
	Target    []int32 `json:"target"`
	Adding    []int32 `json:"adding"`
	Removing  []int32 `json:"removing"`
	// Bytes is what the brokers gaining the partition copy: its size (the
	// largest of its current replicas' logs) once per added replica.
	Bytes int64 `json:"bytes"`
}

// Changes reports whether the move changes the replica list (order
// included: the first replica is the preferred leader).
func (m ReplicaMove) Changes() bool { return !slices.Equal(m.Current, m.Target) }

// ReassignPlan is the moves of a reassignment, sorted by topic and
// partition, only those that change something.
type ReassignPlan struct {
	Moves []ReplicaMove `json:"moves"`
	// Bytes is the sum of the moves' bytes.
	Bytes int64 `json:"bytes"`
}

// Topics are the plan's topics, sorted, each once.
func (p ReassignPlan) Topics() []string {
	var ts []string
	for _, m := range p.Moves {
		if !slices.Contains(ts, m.Topic) {
			ts = append(ts, m.Topic)
		}
	}
	sort.Strings(ts)
	return ts
}

// reassignJSON is kafka-reassign-partitions.sh's file format.
type reassignJSON struct {
	Version    int `json:"version"`
	Partitions []struct {
		Topic     string   `json:"topic"`
		Partition int32    `json:"partition"`
		Replicas  []int32  `json:"replicas"`
		LogDirs   []string `json:"log_dirs,omitempty"`
	} `json:"partitions"`
}

// Assignment is target replica lists by topic and partition.
type Assignment map[string]map[int32][]int32

// ParseReassignJSON reads a kafka-reassign-partitions.sh file
// ({"version":1,"partitions":[{"topic":..,"partition":..,"replicas":[..]}]}).
// Log dirs other than "any" are refused: kflow moves replicas between
// brokers, not between a broker's disks.
func ParseReassignJSON(b []byte) (Assignment, error) {
	var f reassignJSON
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("reassignment file: %w", err)
	}
	if f.Version != 1 {
		return nil, fmt.Errorf("reassignment file: version %d, want 1", f.Version)
	}
	if len(f.Partitions) == 0 {
		return nil, errors.New("reassignment file: no partitions")
	}
	a := Assignment{}
	for _, p := range f.Partitions {
		if p.Topic == "" || p.Partition < 0 {
			return nil, fmt.Errorf("reassignment file: an entry without a topic or with partition %d", p.Partition)
		}
		if len(p.Replicas) == 0 {
			return nil, fmt.Errorf("reassignment file: %s/%d has no replicas", p.Topic, p.Partition)
		}
		seen := map[int32]bool{}
		for _, r := range p.Replicas {
			if seen[r] {
				return nil, fmt.Errorf("reassignment file: %s/%d names broker %d twice", p.Topic, p.Partition, r)
			}
			seen[r] = true
		}
		for _, d := range p.LogDirs {
			if d != "any" {
				return nil, fmt.Errorf("reassignment file: %s/%d: log dir %q: only \"any\" is supported", p.Topic, p.Partition, d)
			}
		}
		if a[p.Topic] == nil {
			a[p.Topic] = map[int32][]int32{}
		}
		if _, dup := a[p.Topic][p.Partition]; dup {
			return nil, fmt.Errorf("reassignment file: %s/%d listed twice", p.Topic, p.Partition)
		}
		a[p.Topic][p.Partition] = p.Replicas
	}
	return a, nil
}

// ReassignJSON writes moves' targets (or, with current, their current
// replicas: a file that undoes the plan) in kafka-reassign-partitions.sh's
// format.
func ReassignJSON(moves []ReplicaMove, current bool) []byte {
	var f reassignJSON
	f.Version = 1
	for _, m := range moves {
		rs := m.Target
		if current {
			rs = m.Current
		}
		dirs := make([]string, len(rs))
		for i := range dirs {
			dirs[i] = "any"
		}
		f.Partitions = append(f.Partitions, struct {
			Topic     string   `json:"topic"`
			Partition int32    `json:"partition"`
			Replicas  []int32  `json:"replicas"`
			LogDirs   []string `json:"log_dirs,omitempty"`
		}{m.Topic, m.Partition, rs, dirs})
	}
	b, _ := json.Marshal(f) // plain structs: cannot fail
	return b
}

// BalancedAssignment spreads topic's partitions over brokers keeping each
// partition's replica count: replica j of partition p goes to
// brokers[(p+j) % n], so leaders (the first replicas) rotate over the
// brokers as Kafka's own assignment does.
func BalancedAssignment(topic string, parts []PartitionInfo, brokers []int32) (Assignment, error) {
	if len(brokers) == 0 {
		return nil, errors.New("balanced assignment: no brokers")
	}
	bs := slices.Clone(brokers)
	slices.Sort(bs)
	if len(slices.Compact(slices.Clone(bs))) != len(bs) {
		return nil, fmt.Errorf("balanced assignment: brokers %v named twice", brokers)
	}
	a := Assignment{topic: {}}
	for _, p := range parts {
		rf := len(p.Replicas)
		if rf > len(bs) {
			return nil, fmt.Errorf("balanced assignment: %s/%d has %d replicas, more than the %d brokers given", topic, p.Partition, rf, len(bs))
		}
		t := make([]int32, rf)
		for j := range rf {
			t[j] = bs[(int(p.Partition)+j)%len(bs)]
		}
		a[topic][p.Partition] = t
	}
	return a, nil
}

// diffReplicas is what a move adds and removes.
func diffReplicas(cur, target []int32) (adding, removing []int32) {
	adding, removing = []int32{}, []int32{}
	for _, r := range target {
		if !slices.Contains(cur, r) {
			adding = append(adding, r)
		}
	}
	for _, r := range cur {
		if !slices.Contains(target, r) {
			removing = append(removing, r)
		}
	}
	return adding, removing
}

// PlanReassignment checks a against the cluster (topics and partitions
// exist, brokers are registered) and prices it: the partitions whose
// replicas change, current → target, with the bytes to copy from the
// log dir sizes (DescribeLogDirs).
func (c *Client) PlanReassignment(ctx context.Context, a Assignment) (ReassignPlan, error) {
	var topics []string
	for t := range a {
		topics = append(topics, t)
	}
	sort.Strings(topics)
	cl, err := c.BrokersHealth(ctx)
	if err != nil {
		return ReassignPlan{}, fmt.Errorf("plan reassignment: %w", err)
	}
	registered := map[int32]bool{}
	for _, b := range cl.Health {
		if b.State != BrokerGone {
			registered[b.ID] = true
		}
	}
	plan := ReassignPlan{Moves: []ReplicaMove{}}
	for _, t := range topics {
		d, err := c.DescribeTopic(ctx, t)
		if err != nil {
			return ReassignPlan{}, fmt.Errorf("plan reassignment: %w", err)
		}
		for p, target := range a[t] {
			if int(p) >= len(d.Partitions) {
				return ReassignPlan{}, fmt.Errorf("plan reassignment: topic %q has no partition %d (%d partitions)", t, p, len(d.Partitions))
			}
			for _, r := range target {
				if !registered[r] {
					return ReassignPlan{}, fmt.Errorf("plan reassignment: %s/%d: broker %d is not in the cluster", t, p, r)
				}
			}
			cur := d.Partitions[p].Replicas
			m := ReplicaMove{Topic: t, Partition: p, Current: cur, Target: target}
			m.Adding, m.Removing = diffReplicas(cur, target)
			if m.Changes() {
				plan.Moves = append(plan.Moves, m)
			}
		}
	}
	sort.Slice(plan.Moves, func(i, j int) bool {
		l, r := plan.Moves[i], plan.Moves[j]
		return l.Topic < r.Topic || l.Topic == r.Topic && l.Partition < r.Partition
	})
	if len(plan.Moves) == 0 {
		return plan, nil
	}
	set := kadm.TopicsSet{}
	for _, m := range plan.Moves {
		set.Add(m.Topic, m.Partition)
	}
	sizes, err := c.partitionSizes(ctx, set)
	if err != nil {
		return ReassignPlan{}, fmt.Errorf("plan reassignment: %w", err)
	}
	for i := range plan.Moves {
		m := &plan.Moves[i]
		var size int64
		for _, r := range m.Current {
			size = max(size, sizes[m.Topic][m.Partition][r])
		}
		m.Bytes = size * int64(len(m.Adding))
		plan.Bytes += m.Bytes
	}
	return plan, nil
}

// partitionSizes is the log size of each replica of set's partitions
// (DescribeLogDirs on every broker): topic → partition → broker.
func (c *Client) partitionSizes(ctx context.Context, set kadm.TopicsSet) (map[string]map[int32]map[int32]int64, error) {
	ds, err := c.adm.DescribeAllLogDirs(ctx, set)
	if err != nil && !isShardErr(err) {
		return nil, fmt.Errorf("describe log dirs: %w", explain(err))
	}
	out := map[string]map[int32]map[int32]int64{}
	ds.Each(func(d kadm.DescribedLogDir) {
		d.Topics.Each(func(p kadm.DescribedLogDirPartition) {
			if out[p.Topic] == nil {
				out[p.Topic] = map[int32]map[int32]int64{}
			}
			if out[p.Topic][p.Partition] == nil {
				out[p.Topic][p.Partition] = map[int32]int64{}
			}
			out[p.Topic][p.Partition][p.Broker] += p.Size
		})
	})
	return out, nil
}

// The dynamic configs a throttled reassignment sets and removes.
const (
	leaderThrottleRate       = "leader.replication.throttled.rate"
	followerThrottleRate     = "follower.replication.throttled.rate"
	leaderThrottledReplicas  = "leader.replication.throttled.replicas"
	followerThrottledReplica = "follower.replication.throttled.replicas"
)

// ExecuteReassignment starts plan's moves (AlterPartitionAssignments).
// A throttle > 0 (bytes a second) first caps replication on every broker
// taking part (the brokers' leader/follower.replication.throttled.rate)
// for the moving replicas only (the topics' throttled.replicas lists);
// ReassignmentStatus and CancelReassignment remove it when nothing is left
// moving. The per-partition answers come back in partition order; a
// partition's error is in its entry, not the error.
func (c *Client) ExecuteReassignment(ctx context.Context, plan ReassignPlan, throttle int64) ([]ElectionResult, error) {
	if err := c.writable("reassign partitions"); err != nil {
		return nil, err
	}
	if len(plan.Moves) == 0 {
		return nil, nil
	}
	if throttle > 0 {
		if err := c.setThrottle(ctx, plan, throttle); err != nil {
			return nil, fmt.Errorf("reassign partitions: throttle: %w", err)
		}
	}
	var req kadm.AlterPartitionAssignmentsReq
	for _, m := range plan.Moves {
		req.Assign(m.Topic, m.Partition, m.Target)
	}
	rs, err := c.adm.AlterPartitionAssignments(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("reassign partitions: %w", explain(err))
	}
	return assignResults(rs, ReassignStarted), nil
}

// assignResults turns the answers into one line each: ok is the word for
// a partition that took the request.
func assignResults(rs kadm.AlterPartitionAssignmentsResponses, ok string) []ElectionResult {
	var out []ElectionResult
	for _, r := range rs.Sorted() {
		er := ElectionResult{Topic: r.Topic, Partition: r.Partition, Outcome: ok}
		if r.Err != nil {
			er.Outcome = ElectError
			er.Error = r.Err.Error()
			if r.ErrMessage != "" {
				er.Error += ": " + r.ErrMessage
			}
		}
		out = append(out, er)
	}
	return out
}

func (c *Client) setThrottle(ctx context.Context, plan ReassignPlan, rate int64) error {
	brokers := map[int32]bool{}
	leaders := map[string][]string{}
	followers := map[string][]string{}
	for _, m := range plan.Moves {
		for _, r := range m.Current {
			brokers[r] = true
			leaders[m.Topic] = append(leaders[m.Topic], fmt.Sprintf("%d:%d", m.Partition, r))
		}
		for _, r := range m.Adding {
			brokers[r] = true
			followers[m.Topic] = append(followers[m.Topic], fmt.Sprintf("%d:%d", m.Partition, r))
		}
	}
	v := strconv.FormatInt(rate, 10)
	var ids []int32
	for b := range brokers {
		ids = append(ids, b)
	}
	slices.Sort(ids)
	for _, b := range ids {
		rs, err := c.adm.AlterBrokerConfigs(ctx, []kadm.AlterConfig{
			{Op: kadm.SetConfig, Name: leaderThrottleRate, Value: &v},
			{Op: kadm.SetConfig, Name: followerThrottleRate, Value: &v},
		}, b)
		if err == nil {
			_, err = rs.On(strconv.Itoa(int(b)), nil)
		}
		if err != nil {
			return fmt.Errorf("broker %d: %w", b, explain(err))
		}
	}
	for _, t := range plan.Topics() {
		l, f := strings.Join(leaders[t], ","), strings.Join(followers[t], ",")
		cfgs := []kadm.AlterConfig{{Op: kadm.SetConfig, Name: leaderThrottledReplicas, Value: &l}}
		if f != "" {
			cfgs = append(cfgs, kadm.AlterConfig{Op: kadm.SetConfig, Name: followerThrottledReplica, Value: &f})
		}
		rs, err := c.adm.AlterTopicConfigs(ctx, cfgs, t)
		if err == nil {
			_, err = rs.On(t, nil)
		}
		if err != nil {
			return fmt.Errorf("topic %q: %w", t, explain(err))
		}
	}
	return nil
}

// clearThrottle removes the throttle configs from the topics and from
// every broker; it says whether any were set.
func (c *Client) clearThrottle(ctx context.Context, topics []string) (bool, error) {
	removed := false
	for _, t := range topics {
		rcs, err := c.adm.DescribeTopicConfigs(ctx, t)
		if err != nil {
			return removed, fmt.Errorf("topic %q: %w", t, explain(err))
		}
		var del []kadm.AlterConfig
		for _, rc := range rcs {
			for _, cfg := range rc.Configs {
				if (cfg.Key == leaderThrottledReplicas || cfg.Key == followerThrottledReplica) && cfg.Source == kmsg.ConfigSourceDynamicTopicConfig {
					del = append(del, kadm.AlterConfig{Op: kadm.DeleteConfig, Name: cfg.Key})
				}
			}
		}
		if len(del) == 0 {
			continue
		}
		rs, err := c.adm.AlterTopicConfigs(ctx, del, t)
		if err == nil {
			_, err = rs.On(t, nil)
		}
		if err != nil {
			return removed, fmt.Errorf("topic %q: %w", t, explain(err))
		}
		removed = true
	}
	// The brokers' rates matter only with throttled replicas: they go
	// when no topic of the request lists any.
	h, err := c.BrokersHealth(ctx)
	if err != nil {
		return removed, err
	}
	for _, b := range h.Health {
		if b.State != BrokerAlive {
			continue
		}
		rcs, err := c.adm.DescribeBrokerConfigs(ctx, b.ID)
		if err != nil {
			return removed, fmt.Errorf("broker %d: %w", b.ID, explain(err))
		}
		var del []kadm.AlterConfig
		for _, rc := range rcs {
			for _, cfg := range rc.Configs {
				if (cfg.Key == leaderThrottleRate || cfg.Key == followerThrottleRate) && cfg.Source == kmsg.ConfigSourceDynamicBrokerConfig {
					del = append(del, kadm.AlterConfig{Op: kadm.DeleteConfig, Name: cfg.Key})
				}
			}
		}
		if len(del) == 0 {
			continue
		}
		rs, err := c.adm.AlterBrokerConfigs(ctx, del, b.ID)
		if err == nil {
			_, err = rs.On(strconv.Itoa(int(b.ID)), nil)
		}
		if err != nil {
			return removed, fmt.Errorf("broker %d: %w", b.ID, explain(err))
		}
		removed = true
	}
	return removed, nil
}

// Reassignment is one partition being reassigned, with its catch-up: the
// adding replicas already in the ISR have copied the log.
type Reassignment struct {
	Topic            string  `json:"topic"`
	Partition        int32   `json:"partition"`
	Replicas         []int32 `json:"replicas"`
	AddingReplicas   []int32 `json:"adding_replicas"`
	RemovingReplicas []int32 `json:"removing_replicas"`
	ISR              []int32 `json:"isr"`
	// CaughtUp counts the adding replicas in the ISR.
	CaughtUp int `json:"caught_up"`
	// Bytes and Copied are the leader's log size and the least the adding
	// replicas hold so far (from DescribeLogDirs; 0 when unknown).
	Bytes  int64 `json:"bytes"`
	Copied int64 `json:"copied"`
}

// ReassignmentStatus is the reassignments in progress (topic "" for every
// topic); ThrottleRemoved says it removed a finished reassignment's
// throttle (when the topics it covers have none left in progress).
type ReassignmentStatus struct {
	InProgress      []Reassignment `json:"in_progress"`
	ThrottleRemoved bool           `json:"throttle_removed"`
}

// ListReassignments lists the reassignments in progress, of topic or of
// every topic when topic is "", with each one's ISR and bytes copied.
func (c *Client) ListReassignments(ctx context.Context, topic string) ([]Reassignment, error) {
	req := kmsg.NewPtrListPartitionReassignmentsRequest()
	req.TimeoutMillis = int32(c.Timeout().Milliseconds())
	var detail *TopicDetail
	if topic != "" {
		d, err := c.DescribeTopic(ctx, topic)
		if err != nil {
			return nil, fmt.Errorf("list reassignments: %w", err)
		}
		detail = &d
		rt := kmsg.NewListPartitionReassignmentsRequestTopic()
		rt.Topic = topic
		for _, p := range d.Partitions {
			rt.Partitions = append(rt.Partitions, p.Partition)
		}
		req.Topics = append(req.Topics, rt)
	}
	resp, err := req.RequestWith(ctx, c.cl)
	if err == nil {
		err = kerr.ErrorForCode(resp.ErrorCode)
	}
	if err != nil {
		return nil, fmt.Errorf("list reassignments: %w", explain(err))
	}
	var out []Reassignment
	isrs := map[string]map[int32][]int32{}
	for _, t := range resp.Topics {
		var parts []PartitionInfo
		if detail != nil && t.Topic == detail.Name {
			parts = detail.Partitions
		} else if d, err := c.DescribeTopic(ctx, t.Topic); err == nil {
			parts = d.Partitions
		}
		isrs[t.Topic] = map[int32][]int32{}
		for _, p := range parts {
			isrs[t.Topic][p.Partition] = p.ISR
		}
		for _, p := range t.Partitions {
			r := Reassignment{Topic: t.Topic, Partition: p.Partition, Replicas: nonNil(p.Replicas),
				AddingReplicas: nonNil(p.AddingReplicas), RemovingReplicas: nonNil(p.RemovingReplicas), ISR: nonNil(isrs[t.Topic][p.Partition])}
			for _, a := range r.AddingReplicas {
				if slices.Contains(r.ISR, a) {
					r.CaughtUp++
				}
			}
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Topic < out[j].Topic || out[i].Topic == out[j].Topic && out[i].Partition < out[j].Partition
	})
	if len(out) > 0 {
		set := kadm.TopicsSet{}
		for _, r := range out {
			set.Add(r.Topic, r.Partition)
		}
		if sizes, err := c.partitionSizes(ctx, set); err == nil {
			for i := range out {
				r := &out[i]
				s := sizes[r.Topic][r.Partition]
				for _, b := range r.Replicas {
					if !slices.Contains(r.AddingReplicas, b) {
						r.Bytes = max(r.Bytes, s[b])
					}
				}
				r.Copied = -1
				for _, a := range r.AddingReplicas {
					if r.Copied < 0 || s[a] < r.Copied {
						r.Copied = s[a]
					}
				}
				r.Copied = max(r.Copied, 0)
			}
		}
	}
	return out, nil
}

// ReassignmentProgress lists the reassignments in progress and, for a
// topic with none left, removes the throttle a reassignment set (as
// kafka-reassign-partitions.sh --verify does).
func (c *Client) ReassignmentProgress(ctx context.Context, topic string) (ReassignmentStatus, error) {
	rs, err := c.ListReassignments(ctx, topic)
	if err != nil {
		return ReassignmentStatus{}, err
	}
	st := ReassignmentStatus{InProgress: rs}
	if topic != "" && len(rs) == 0 && !c.cfg.ReadOnly {
		st.ThrottleRemoved, err = c.clearThrottle(ctx, []string{topic})
		if err != nil {
			return st, fmt.Errorf("reassignment of %q done; removing its throttle: %w", topic, err)
		}
	}
	return st, nil
}

// CancelReassignment cancels every reassignment in progress of topic
// (AlterPartitionAssignments with null replicas: the partitions return to
// their replicas before it) and removes its throttle.
func (c *Client) CancelReassignment(ctx context.Context, topic string) ([]ElectionResult, error) {
	if err := c.writable("cancel reassignment"); err != nil {
		return nil, err
	}
	rs, err := c.ListReassignments(ctx, topic)
	if err != nil {
		return nil, fmt.Errorf("cancel reassignment: %w", err)
	}
	if len(rs) == 0 {
		return nil, fmt.Errorf("cancel reassignment of %q: no reassignment in progress", topic)
	}
	var req kadm.AlterPartitionAssignmentsReq
	for _, r := range rs {
		req.CancelAssign(r.Topic, r.Partition)
	}
	ans, err := c.adm.AlterPartitionAssignments(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("cancel reassignment of %q: %w", topic, explain(err))
	}
	out := assignResults(ans, ReassignCancelled)
	if _, err := c.clearThrottle(ctx, []string{topic}); err != nil {
		return out, fmt.Errorf("cancel reassignment of %q: remove throttle: %w", topic, err)
	}
	return out, nil
}

// The outcomes of a reassignment request, per partition (or ElectError).
const (
	ReassignStarted   = "started"
	ReassignCancelled = "cancelled"
)
