package kafka

import (
	"context"
	"fmt"
	"sort"
)

// Cluster returns the cluster's ID, its controller and its brokers,
// sorted by ID.
func (c *Client) Cluster(ctx context.Context) (ClusterInfo, error) {
	m, err := c.adm.BrokerMetadata(ctx)
	if err != nil {
		return ClusterInfo{}, fmt.Errorf("describe cluster: %w", explain(err))
	}
	info := ClusterInfo{ClusterID: m.Cluster, Controller: m.Controller}
	for _, b := range m.Brokers {
		br := Broker{ID: b.NodeID, Host: b.Host, Port: b.Port, Controller: b.NodeID == m.Controller}
		if b.Rack != nil {
			br.Rack = *b.Rack
		}
		info.Brokers = append(info.Brokers, br)
	}
	sort.Slice(info.Brokers, func(i, j int) bool { return info.Brokers[i].ID < info.Brokers[j].ID })
	return info, nil
}
