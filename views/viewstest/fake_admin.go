package viewstest

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"kflow/kafka"
)

// topicConfigs is every topic's fixed set of configs, set ones first.
func topicConfigs() []kafka.ConfigEntry {
	return []kafka.ConfigEntry{
		{Name: "cleanup.policy", Value: "compact", Source: "DYNAMIC_TOPIC_CONFIG", Dynamic: true, Default: "delete", DefaultSource: "DEFAULT_CONFIG"},
		{Name: "retention.ms", Value: "86400000", Source: "DYNAMIC_TOPIC_CONFIG", Dynamic: true, Default: "604800000", DefaultSource: "DEFAULT_CONFIG"},
		{Name: "leader.replication.throttled.replicas", Value: "0:1,0:2,1:2,1:3,2:3,2:1,3:1,3:2,4:2,4:3,5:3,5:1", Source: "DYNAMIC_TOPIC_CONFIG", Dynamic: true, DefaultSource: "DEFAULT_CONFIG"},
		{Name: "compression.type", Value: "producer", Source: "DEFAULT_CONFIG", IsDefault: true},
		{Name: "max.message.bytes", Value: "1048588", Source: "DEFAULT_CONFIG", IsDefault: true},
		{Name: "min.insync.replicas", Value: "1", Source: "DEFAULT_CONFIG", IsDefault: true},
		{Name: "sasl.jaas.config", Value: "", Source: "DEFAULT_CONFIG", IsDefault: true, Sensitive: true},
		{Name: "segment.bytes", Value: "1073741824", Source: "DEFAULT_CONFIG", IsDefault: true},
	}
}

// brokerConfigs is every broker's fixed set of configs, dynamic ones
// first.
func brokerConfigs(defaults bool) []kafka.ConfigEntry {
	dflt := []kafka.ConfigEntry{
		{Name: "log.retention.ms", Value: "259200000", Source: "DYNAMIC_DEFAULT_BROKER_CONFIG", Dynamic: true},
		{Name: "min.insync.replicas", Value: "2", Source: "DYNAMIC_DEFAULT_BROKER_CONFIG", Dynamic: true, Default: "1", DefaultSource: "DEFAULT_CONFIG"},
	}
	if defaults {
		return dflt
	}
	return append(append([]kafka.ConfigEntry{
		{Name: "log.cleaner.threads", Value: "2", Source: "DYNAMIC_BROKER_CONFIG", Dynamic: true, Default: "1", DefaultSource: "DEFAULT_CONFIG"},
	}, dflt...),
		kafka.ConfigEntry{Name: "advertised.listeners", Value: "PLAINTEXT://broker-1.kafka.local:9092", Source: "STATIC_BROKER_CONFIG", IsDefault: true, ReadOnly: true},
		kafka.ConfigEntry{Name: "log.dirs", Value: "/var/lib/kafka/data", Source: "STATIC_BROKER_CONFIG", IsDefault: true, ReadOnly: true},
		kafka.ConfigEntry{Name: "log.segment.bytes", Value: "1073741824", Source: "DEFAULT_CONFIG", IsDefault: true},
		kafka.ConfigEntry{Name: "message.max.bytes", Value: "1048588", Source: "DEFAULT_CONFIG", IsDefault: true},
		kafka.ConfigEntry{Name: "num.io.threads", Value: "8", Source: "DEFAULT_CONFIG", IsDefault: true},
		kafka.ConfigEntry{Name: "ssl.keystore.password", Source: "STATIC_BROKER_CONFIG", IsDefault: true, Sensitive: true, ReadOnly: true},
	)
}

// resourceName is the key of a target in the fake's applied values.
func resourceName(t kafka.ConfigTarget) string {
	switch {
	case t.IsTopic():
		return t.Topic
	case t.ClusterDefault:
		return ""
	}
	return strconv.Itoa(int(t.Broker))
}

// applySet puts the values applied to resource over the fixed ones.
func (c *Cluster) applySet(resource string, base []kafka.ConfigEntry) []kafka.ConfigEntry {
	src := "DYNAMIC_TOPIC_CONFIG"
	if _, err := strconv.Atoi(resource); err == nil {
		src = "DYNAMIC_BROKER_CONFIG"
	} else if resource == "" {
		src = "DYNAMIC_DEFAULT_BROKER_CONFIG"
	}
	for k, v := range c.set[resource] {
		i := slices.IndexFunc(base, func(e kafka.ConfigEntry) bool { return e.Name == k })
		if i < 0 {
			continue
		}
		e := &base[i]
		if v == nil {
			e.Value, e.Source, e.Dynamic, e.IsDefault = e.Default, e.DefaultSource, false, true
			continue
		}
		if !e.Dynamic {
			e.Default, e.DefaultSource = e.Value, e.Source
		}
		e.Value, e.Source, e.Dynamic, e.IsDefault = *v, src, true, false
	}
	return base
}

// BrokerConfigs returns a broker's fixed configs (or the cluster-wide
// default's) with the values applied.
func (c *Cluster) BrokerConfigs(ctx context.Context, target kafka.ConfigTarget) ([]kafka.ConfigEntry, error) {
	if err := c.enter(ctx); err != nil {
		return nil, fmt.Errorf("describe configs of %s: %w", target, err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	if !target.ClusterDefault && !slices.ContainsFunc(c.Info.Brokers, func(b kafka.Broker) bool { return b.ID == target.Broker }) {
		return nil, fmt.Errorf("describe configs of %s: no such broker", target)
	}
	return c.applySet(resourceName(target), brokerConfigs(target.ClusterDefault)), nil
}

// PlanConfigs validates as Kafka does the few things the fake knows:
// unknown keys, read-only broker keys, and numbers of *.ms and *.bytes
// keys at least -1.
func (c *Cluster) PlanConfigs(ctx context.Context, target kafka.ConfigTarget, changes []kafka.ConfigChange) (kafka.ConfigPlan, error) {
	var current []kafka.ConfigEntry
	var err error
	if target.IsTopic() {
		current, err = c.TopicConfigs(ctx, target.Topic)
	} else {
		current, err = c.BrokerConfigs(ctx, target)
	}
	plan := kafka.ConfigPlan{Target: target, Changes: changes}
	if err != nil {
		return plan, err
	}
	var problems []string
	for _, ch := range changes {
		i := slices.IndexFunc(current, func(e kafka.ConfigEntry) bool { return e.Name == ch.Key })
		var e kafka.ConfigEntry
		if i >= 0 {
			e = current[i]
		}
		row := kafka.ConfigDiff{Key: ch.Key, Old: e.Value, OldSource: e.Source, Reset: ch.Reset, Known: i >= 0, Sensitive: e.Sensitive}
		switch {
		case ch.Reset:
			row.New, row.NewSource = e.Default, e.DefaultSource
		case target.IsTopic():
			row.New, row.NewSource = ch.Value, "DYNAMIC_TOPIC_CONFIG"
		case target.ClusterDefault:
			row.New, row.NewSource = ch.Value, "DYNAMIC_DEFAULT_BROKER_CONFIG"
		default:
			row.New, row.NewSource = ch.Value, "DYNAMIC_BROKER_CONFIG"
		}
		plan.Rows = append(plan.Rows, row)
		switch {
		case i < 0:
			problems = append(problems, "Unknown topic config name: "+ch.Key+" (INVALID_CONFIG)")
		case e.ReadOnly:
			problems = append(problems, ch.Key+" is read-only: a running broker cannot change it (set it in server.properties and restart)")
		case !ch.Reset && (kafka.UnitOf(ch.Key) != kafka.UnitNone):
			if n, err := strconv.ParseInt(ch.Value, 10, 64); err != nil || n < -1 {
				problems = append(problems, fmt.Sprintf("Invalid value %s for configuration %s: Value must be at least -1 (INVALID_CONFIG)", ch.Value, ch.Key))
			}
		}
	}
	plan.Valid = len(problems) == 0
	plan.Problem = strings.Join(problems, "; ")
	return plan, nil
}

// ApplyConfigs records the plan and applies its values.
func (c *Cluster) ApplyConfigs(ctx context.Context, plan kafka.ConfigPlan) error {
	if err := c.enter(ctx); err != nil {
		return fmt.Errorf("change configs of %s: %w", plan.Target, err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !plan.Valid {
		return fmt.Errorf("change configs of %s: %w: %s", plan.Target, kafka.ErrConfigInvalid, plan.Problem)
	}
	c.Applied = append(c.Applied, plan)
	if c.set == nil {
		c.set = map[string]map[string]*string{}
	}
	r := resourceName(plan.Target)
	if c.set[r] == nil {
		c.set[r] = map[string]*string{}
	}
	for _, ch := range plan.Changes {
		if ch.Reset {
			c.set[r][ch.Key] = nil
		} else {
			v := ch.Value
			c.set[r][ch.Key] = &v
		}
	}
	return nil
}

// PlanTruncate plans deleting records as the client does, from the fake's
// offsets; a time cuts each partition halfway (the fake keeps no
// timestamps).
func (c *Cluster) PlanTruncate(ctx context.Context, spec kafka.TruncateSpec) (kafka.TruncatePlan, error) {
	if err := c.enter(ctx); err != nil {
		return kafka.TruncatePlan{}, fmt.Errorf("plan deleting records of %s: %w", spec.Topic, err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	plan := kafka.TruncatePlan{Spec: spec}
	t, ok := c.topics[spec.Topic]
	if !ok {
		return plan, fmt.Errorf("plan deleting records of %s: UNKNOWN_TOPIC_OR_PARTITION", spec.Topic)
	}
	for _, p := range t.detail.Partitions {
		if len(spec.Partitions) > 0 && !slices.Contains(spec.Partitions, p.Partition) {
			continue
		}
		r := kafka.TruncateRow{Partition: p.Partition, Low: p.StartOffset, High: p.EndOffset}
		switch spec.Mode {
		case kafka.TruncateEnd:
			r.NewLow = p.EndOffset
		case kafka.TruncateTime:
			r.NewLow = (p.StartOffset + p.EndOffset) / 2
		default:
			r.NewLow = min(max(spec.Offset, p.StartOffset), p.EndOffset)
		}
		r.Removed = r.NewLow - r.Low
		plan.Removed += r.Removed
		plan.Rows = append(plan.Rows, r)
	}
	for _, p := range spec.Partitions {
		if int(p) >= len(t.detail.Partitions) {
			return plan, fmt.Errorf("plan deleting records of %s: the topic has no partition %d (it has %d)", spec.Topic, p, len(t.detail.Partitions))
		}
	}
	return plan, nil
}

// Truncate records the plan and moves the partitions' start offsets.
func (c *Cluster) Truncate(ctx context.Context, plan kafka.TruncatePlan) (map[int32]int64, error) {
	if err := c.enter(ctx); err != nil {
		return nil, fmt.Errorf("delete records of %s: %w", plan.Spec.Topic, err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.Truncated = append(c.Truncated, plan)
	out := map[int32]int64{}
	t := c.topics[plan.Spec.Topic]
	for _, r := range plan.Rows {
		if t != nil && int(r.Partition) < len(t.detail.Partitions) {
			t.detail.Partitions[r.Partition].StartOffset = r.NewLow
		}
		out[r.Partition] = r.NewLow
	}
	return out, nil
}
