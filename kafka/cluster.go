package kafka

import (
	"context"
	"fmt"
	"sort"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// Cluster returns the cluster's ID, its controller and its brokers,
// sorted by ID. It asks a broker every time (DescribeCluster, Kafka 2.8+)
// rather than franz-go's metadata cache, so a lost cluster is an error
// here, which is what a health check needs.
func (c *Client) Cluster(ctx context.Context) (ClusterInfo, error) {
	req := kmsg.NewPtrDescribeClusterRequest()
	resp, err := req.RequestWith(ctx, c.cl)
	if err == nil {
		err = kerr.ErrorForCode(resp.ErrorCode)
	}
	if err != nil {
		return ClusterInfo{}, fmt.Errorf("describe cluster: %w", explain(err))
	}
	info := ClusterInfo{ClusterID: resp.ClusterID, Controller: resp.ControllerID}
	for _, b := range resp.Brokers {
		br := Broker{ID: b.NodeID, Host: b.Host, Port: b.Port, Controller: b.NodeID == resp.ControllerID}
		if b.Rack != nil {
			br.Rack = *b.Rack
		}
		info.Brokers = append(info.Brokers, br)
	}
	sort.Slice(info.Brokers, func(i, j int) bool { return info.Brokers[i].ID < info.Brokers[j].ID })
	return info, nil
}
