package kafka

import (
	"context"
	"fmt"
	"sort"
	"strconv"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// The health marks of a partition, worst last. A partition has the worst
// that applies: an offline partition is not also called under-replicated.
const (
	HealthOK              = "ok"
	HealthUnderReplicated = "under-replicated"
	HealthUnderMinISR     = "under-min-isr"
	HealthOffline         = "offline"
)

// HealthRank orders the marks: 0 for HealthOK up to 3 for HealthOffline,
// -1 for a word that is no mark (for --fail-on's "this or worse").
func HealthRank(mark string) int {
	switch mark {
	case HealthOK:
		return 0
	case HealthUnderReplicated:
		return 1
	case HealthUnderMinISR:
		return 2
	case HealthOffline:
		return 3
	}
	return -1
}

// PartitionHealth is p's worst mark.
func PartitionHealth(p PartitionInfo) string {
	switch {
	case p.Offline():
		return HealthOffline
	case p.UnderMinISR():
		return HealthUnderMinISR
	case p.UnderReplicated():
		return HealthUnderReplicated
	}
	return HealthOK
}

// The states of a broker in BrokerHealth.
const (
	// BrokerAlive is a registered, unfenced broker.
	BrokerAlive = "alive"
	// BrokerFenced is registered but fenced by the controller: it missed
	// its heartbeats (dead or hung) or is shutting down.
	BrokerFenced = "fenced"
	// BrokerGone is named by some partition's replica list but not
	// registered at all: the cluster has forgotten it, it is unreachable.
	BrokerGone = "unreachable"
)

// BrokerHealth is one broker with its state and its share of partitions.
type BrokerHealth struct {
	Broker
	State string `json:"state"`
	// Leaders and Replicas count the partitions it leads and holds.
	Leaders  int `json:"leaders"`
	Replicas int `json:"replicas"`
	// LeadersUnderReplicated counts partitions it leads that are
	// under-replicated; OutOfISR the replicas it holds outside the ISR.
	LeadersUnderReplicated int `json:"leaders_under_replicated"`
	OutOfISR               int `json:"out_of_isr"`
}

// ClusterHealth is the cluster with every broker's health, fenced and
// forgotten ones included, sorted by ID.
type ClusterHealth struct {
	ClusterInfo
	Health []BrokerHealth `json:"health"`
}

// BrokersHealth describes the cluster with fenced brokers included
// (DescribeCluster v2, Kafka 4.0+; older brokers list only unfenced ones)
// and counts every broker's leaders and replicas from the metadata of
// every topic. A broker the partitions name but the cluster does not list
// is BrokerGone.
func (c *Client) BrokersHealth(ctx context.Context) (ClusterHealth, error) {
	req := kmsg.NewPtrDescribeClusterRequest()
	req.IncludeFencedBrokers = true
	resp, err := req.RequestWith(ctx, c.cl)
	if err == nil {
		err = kerr.ErrorForCode(resp.ErrorCode)
	}
	if err != nil {
		return ClusterHealth{}, fmt.Errorf("describe cluster: %w", explain(err))
	}
	h := ClusterHealth{ClusterInfo: ClusterInfo{ClusterID: resp.ClusterID, Controller: resp.ControllerID}}
	byID := map[int32]*BrokerHealth{}
	for _, b := range resp.Brokers {
		br := Broker{ID: b.NodeID, Host: b.Host, Port: b.Port, Controller: b.NodeID == resp.ControllerID}
		if b.Rack != nil {
			br.Rack = *b.Rack
		}
		state := BrokerAlive
		if b.IsFenced {
			state = BrokerFenced
		} else {
			h.Brokers = append(h.Brokers, br)
		}
		byID[b.NodeID] = &BrokerHealth{Broker: br, State: state}
	}
	tds, err := c.adm.ListTopicsWithInternal(ctx)
	if err != nil {
		return ClusterHealth{}, fmt.Errorf("broker health: list topics: %w", explain(err))
	}
	get := func(id int32) *BrokerHealth {
		if b := byID[id]; b != nil {
			return b
		}
		b := &BrokerHealth{Broker: Broker{ID: id}, State: BrokerGone}
		byID[id] = b
		return b
	}
	for _, td := range tds {
		for _, p := range td.Partitions {
			isr := map[int32]bool{}
			for _, r := range p.ISR {
				isr[r] = true
			}
			for _, r := range p.Replicas {
				b := get(r)
				b.Replicas++
				if !isr[r] {
					b.OutOfISR++
				}
			}
			if p.Leader >= 0 {
				b := get(p.Leader)
				b.Leaders++
				if len(p.ISR) < len(p.Replicas) {
					b.LeadersUnderReplicated++
				}
			}
		}
	}
	for _, b := range byID {
		h.Health = append(h.Health, *b)
	}
	sort.Slice(h.Health, func(i, j int) bool { return h.Health[i].ID < h.Health[j].ID })
	sort.Slice(h.Brokers, func(i, j int) bool { return h.Brokers[i].ID < h.Brokers[j].ID })
	return h, nil
}

// minISRs reads the topics' min.insync.replicas; a topic whose configs
// could not be read is left out (its min ISR is unknown, not an error:
// the health marks that need it are then not given).
func (c *Client) minISRs(ctx context.Context, topics ...string) map[string]int {
	out := map[string]int{}
	if len(topics) == 0 {
		return out
	}
	rcs, err := c.adm.DescribeTopicConfigs(ctx, topics...)
	if err != nil && len(rcs) == 0 {
		return out
	}
	for _, rc := range rcs {
		if rc.Err != nil {
			continue
		}
		for _, cfg := range rc.Configs {
			if cfg.Key == "min.insync.replicas" && cfg.Value != nil {
				if n, err := strconv.Atoi(*cfg.Value); err == nil {
					out[rc.Name] = n
				}
			}
		}
	}
	return out
}
