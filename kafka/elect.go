package kafka

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
)

// The outcomes of a preferred leader election, per partition.
const (
	ElectElected          = "elected"
	ElectAlreadyPreferred = "already preferred"
	ElectError            = "error"
)

// LeaderMove is one partition whose leader is not its preferred replica
// (the first of its replica list): what a preferred election would change.
type LeaderMove struct {
	Topic     string `json:"topic"`
	Partition int32  `json:"partition"`
	Leader    int32  `json:"leader"` // -1 when offline
	Preferred int32  `json:"preferred"`
	// PreferredInSync says whether the preferred replica is in the ISR:
	// Kafka elects only an in-sync replica, so a false one will fail.
	PreferredInSync bool `json:"preferred_in_sync"`
}

// ElectionResult is what the controller answered for one partition.
type ElectionResult struct {
	Topic     string `json:"topic"`
	Partition int32  `json:"partition"`
	// Outcome is ElectElected, ElectAlreadyPreferred or ElectError.
	Outcome string `json:"outcome"`
	Error   string `json:"error,omitempty"`
}

// ElectionTarget picks partitions: Topics nil means every topic (internal
// ones included); Partitions, for a single topic, narrows it to those.
type ElectionTarget struct {
	Topics     []string
	Partitions []int32
}

// PreferredLeaderMoves lists the partitions of parts whose leader is not
// the preferred replica, in topic and partition order.
func PreferredLeaderMoves(topic string, parts []PartitionInfo) []LeaderMove {
	var out []LeaderMove
	for _, p := range parts {
		if len(p.Replicas) == 0 || p.Leader == p.Replicas[0] {
			continue
		}
		out = append(out, LeaderMove{Topic: topic, Partition: p.Partition, Leader: p.Leader,
			Preferred: p.Replicas[0], PreferredInSync: slices.Contains(p.ISR, p.Replicas[0])})
	}
	return out
}

// electionSet resolves a target to its topics and partitions from the
// metadata; a named topic that does not exist is an error.
func (c *Client) electionSet(ctx context.Context, t ElectionTarget) (kadm.TopicDetails, kadm.TopicsSet, error) {
	tds, err := c.adm.ListTopicsWithInternal(ctx, t.Topics...)
	if err != nil {
		return nil, nil, fmt.Errorf("list topics: %w", explain(err))
	}
	for _, name := range t.Topics {
		td, ok := tds[name]
		if !ok || errors.Is(td.Err, kerr.UnknownTopicOrPartition) {
			return nil, nil, c.unknownTopic(ctx, name)
		}
		if td.Err != nil {
			return nil, nil, fmt.Errorf("topic %q: %w", name, td.Err)
		}
	}
	set := kadm.TopicsSet{}
	for name, td := range tds {
		if td.Err != nil {
			continue
		}
		for _, p := range td.Partitions {
			if len(t.Partitions) > 0 && !slices.Contains(t.Partitions, p.Partition) {
				continue
			}
			set.Add(name, p.Partition)
		}
	}
	if len(t.Partitions) > 0 && len(t.Topics) == 1 {
		for _, p := range t.Partitions {
			if _, ok := set[t.Topics[0]][p]; !ok {
				return nil, nil, fmt.Errorf("topic %q has no partition %d (%d partitions)", t.Topics[0], p, len(tds[t.Topics[0]].Partitions))
			}
		}
	}
	return tds, set, nil
}

// PreferredElectionPlan lists the target's partitions led by another
// replica than their preferred one: what ElectPreferredLeaders changes.
func (c *Client) PreferredElectionPlan(ctx context.Context, t ElectionTarget) ([]LeaderMove, error) {
	tds, set, err := c.electionSet(ctx, t)
	if err != nil {
		return nil, fmt.Errorf("preferred election plan: %w", err)
	}
	var out []LeaderMove
	for _, td := range tds.Sorted() {
		var parts []PartitionInfo
		for _, p := range td.Partitions.Sorted() {
			if _, ok := set[td.Topic][p.Partition]; ok {
				parts = append(parts, PartitionInfo{Partition: p.Partition, Leader: p.Leader, Replicas: p.Replicas, ISR: p.ISR})
			}
		}
		out = append(out, PreferredLeaderMoves(td.Topic, parts)...)
	}
	return out, nil
}

// ElectPreferredLeaders asks the controller to move the leadership of the
// target's partitions to their preferred replicas and reports each one:
// elected, already preferred (ELECTION_NOT_NEEDED) or the error.
func (c *Client) ElectPreferredLeaders(ctx context.Context, t ElectionTarget) ([]ElectionResult, error) {
	if err := c.writable("elect leaders"); err != nil {
		return nil, err
	}
	_, set, err := c.electionSet(ctx, t)
	if err != nil {
		return nil, fmt.Errorf("elect leaders: %w", err)
	}
	if len(set) == 0 {
		return nil, nil
	}
	rs, err := c.adm.ElectLeaders(ctx, kadm.ElectPreferredReplica, set)
	if err != nil {
		return nil, fmt.Errorf("elect leaders: %w", explain(err))
	}
	var out []ElectionResult
	for topic, ps := range rs {
		for p, r := range ps {
			er := ElectionResult{Topic: topic, Partition: p, Outcome: ElectElected}
			switch {
			case errors.Is(r.Err, kerr.ElectionNotNeeded):
				er.Outcome = ElectAlreadyPreferred
			case r.Err != nil:
				er.Outcome = ElectError
				er.Error = r.Err.Error()
				if r.ErrMessage != "" {
					er.Error += ": " + r.ErrMessage
				}
			}
			out = append(out, er)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Topic < out[j].Topic || out[i].Topic == out[j].Topic && out[i].Partition < out[j].Partition
	})
	return out, nil
}
