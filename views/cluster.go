package views

import (
	"context"

	"kflow/kafka"
)

// Cluster is what the views need from a Kafka connection. *kafka.Client
// satisfies it; tests and golden screens use a fake with fixed data.
type Cluster interface {
	Cluster(ctx context.Context) (kafka.ClusterInfo, error)
	ListTopics(ctx context.Context) ([]kafka.TopicSummary, error)
	DescribeTopic(ctx context.Context, topic string) (kafka.TopicDetail, error)
	TopicConfigs(ctx context.Context, topic string) ([]kafka.ConfigEntry, error)
	CreateTopic(ctx context.Context, spec kafka.TopicSpec) error
	DeleteTopic(ctx context.Context, topic string) error
	EndOffsets(ctx context.Context, topics ...string) (kafka.Offsets, error)
}

var _ Cluster = (*kafka.Client)(nil)
