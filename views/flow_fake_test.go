package views

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"kflow/kafka"
	"kflow/lag"
	"kflow/views/viewstest"
)

// fakeFlow is a cluster for the flow map's tests: the demo's topics and
// groups (order_events read by four groups, its DLQ, the word count's
// topics), or with big set a synthetic 300-topic, 100-group cluster.
// Offsets are functions of the fake clock, so every run draws the same.
type fakeFlow struct {
	fake  *viewstest.Cluster // what the other views call
	clock *viewstest.Clock
	big   bool

	mu    sync.Mutex
	lists int
}

func newFakeFlow(clock *viewstest.Clock, big bool) *fakeFlow {
	return &fakeFlow{fake: viewstest.New(), clock: clock, big: big}
}

// Cluster answers the cluster call (the embedded fake's).
func (f *fakeFlow) Cluster(ctx context.Context) (kafka.ClusterInfo, error) {
	return f.fake.Cluster(ctx)
}

func (f *fakeFlow) DescribeTopic(ctx context.Context, topic string) (kafka.TopicDetail, error) {
	return f.fake.DescribeTopic(ctx, topic)
}

func (f *fakeFlow) TopicConfigs(ctx context.Context, topic string) ([]kafka.ConfigEntry, error) {
	return f.fake.TopicConfigs(ctx, topic)
}
func (f *fakeFlow) CreateTopic(ctx context.Context, spec kafka.TopicSpec) error {
	return f.fake.CreateTopic(ctx, spec)
}
func (f *fakeFlow) DeleteTopic(ctx context.Context, topic string) error {
	return f.fake.DeleteTopic(ctx, topic)
}
func (f *fakeFlow) EndOffsets(ctx context.Context, topics ...string) (kafka.Offsets, error) {
	return f.fake.EndOffsets(ctx, topics...)
}

// secs is the seconds since the fake clock's start.
func (f *fakeFlow) secs() int64 { return int64(f.clock.Now().Sub(viewstest.Epoch) / time.Second) }

func (f *fakeFlow) ListTopics(context.Context) ([]kafka.TopicSummary, error) {
	f.mu.Lock()
	f.lists++
	f.mu.Unlock()
	s := f.secs()
	if f.big {
		var out []kafka.TopicSummary
		for i := range 300 {
			out = append(out, kafka.TopicSummary{Name: fmt.Sprintf("topic-%03d", i), Partitions: 3, Records: 1000 + int64(i), EndOffsets: 1000 + int64(i) + s*int64(i%7)})
		}
		for i := range 10 {
			out = append(out, kafka.TopicSummary{Name: fmt.Sprintf("topic-%03d.DLQ", i), Partitions: 1, Records: 3, EndOffsets: 3})
		}
		out = append(out, kafka.TopicSummary{Name: "__consumer_offsets", Partitions: 50, Internal: true, Records: 5000, EndOffsets: 5000 + 3*s})
		return out, nil
	}
	return []kafka.TopicSummary{
		{Name: "order_events", Partitions: 3, Records: 300 + 10*s, EndOffsets: 300 + 10*s},
		{Name: "order_events.DLQ", Partitions: 1, Records: 5, EndOffsets: 5},
		{Name: "order_events.avro", Partitions: 3, Records: 40, EndOffsets: 40},
		{Name: "streams-plaintext-input", Partitions: 3, Records: 50 + 2*s, EndOffsets: 50 + 2*s},
		{Name: "kflow-wordcount-counts-repartition", Partitions: 3, Records: 200 + 8*s, EndOffsets: 200 + 8*s},
		{Name: "kflow-wordcount-counts-changelog", Partitions: 3, Records: 90 + 3*s, EndOffsets: 90 + 3*s},
		{Name: "streams-wordcount-output", Partitions: 3, Records: 90 + 3*s, EndOffsets: 90 + 3*s},
		{Name: "__consumer_offsets", Partitions: 50, Internal: true, Records: 800 + 4*s, EndOffsets: 800 + 4*s},
	}, nil
}

func (f *fakeFlow) DLQHeaders(_ context.Context, topics []string, _ int) (map[string][][]kafka.Header, error) {
	out := map[string][][]kafka.Header{}
	for _, t := range topics {
		src, _ := kafka.DLQSource(t)
		out[t] = [][]kafka.Header{{{Key: "original.topic", Value: []byte(src)}, {Key: "original.client.id", Value: []byte("notification-service")}}}
	}
	return out, nil
}

// flowLagGroup is a group reading topic with committed and end offsets.
func flowLagGroup(id, state string, members int, client string, parts ...lag.Partition) kafka.GroupLag {
	g := kafka.GroupLag{Group: kafka.GroupDetail{GroupSummary: kafka.GroupSummary{ID: id, State: state, Members: members, Type: "classic"}}}
	if client != "" {
		g.Group.MemberList = []kafka.GroupMember{{MemberID: client + "-1", ClientID: client}}
	}
	for _, p := range parts {
		p.Lag = max(0, p.EndOffset-p.Committed)
		g.TotalLag += p.Lag
		g.Partitions = append(g.Partitions, p)
	}
	return g
}

func flowLagPart(topic string, committed, end int64) lag.Partition {
	return lag.Partition{Topic: topic, Committed: committed, EndOffset: end}
}

func (f *fakeFlow) Lag(context.Context, ...string) ([]kafka.GroupLag, error) {
	s := f.secs()
	if f.big {
		var out []kafka.GroupLag
		for i := range 100 {
			a, b := fmt.Sprintf("topic-%03d", 2*i), fmt.Sprintf("topic-%03d", 2*i+1)
			ea, eb := 1000+int64(2*i)+s*int64(2*i%7), 1000+int64(2*i+1)+s*int64((2*i+1)%7)
			out = append(out, flowLagGroup(fmt.Sprintf("group-%02d", i), "Stable", 1, "", flowLagPart(a, ea-int64(i%3), ea), flowLagPart(b, eb, eb)))
		}
		return out, nil
	}
	end := 300 + 10*s
	return []kafka.GroupLag{
		flowLagGroup("inventory", "Stable", 1, "inventory-service", flowLagPart("order_events", end-2, end)),
		flowLagGroup("notifications", "Stable", 1, "notification-service", flowLagPart("order_events", 200+5*s, end)),
		flowLagGroup("shipping", "Stable", 1, "shipping-service", flowLagPart("order_events", 100, end)),
		flowLagGroup("reporting", "Empty", 0, "", flowLagPart("order_events", 150, end)),
		flowLagGroup("kflow-wordcount-split", "Stable", 1, "", flowLagPart("streams-plaintext-input", 50+2*s, 50+2*s)),
		flowLagGroup("kflow-wordcount-count", "Stable", 1, "", flowLagPart("kflow-wordcount-counts-repartition", 200+8*s, 200+8*s)),
	}, nil
}

func (f *fakeFlow) PlanReset(context.Context, kafka.ResetSpec) (kafka.ResetPlan, error) {
	return kafka.ResetPlan{}, errors.New("not in this fake")
}
func (f *fakeFlow) ApplyReset(context.Context, kafka.ResetPlan) error {
	return errors.New("not in this fake")
}
func (f *fakeFlow) DeleteGroup(context.Context, string) error { return errors.New("not in this fake") }
func (f *fakeFlow) Tail(context.Context, kafka.TailOptions, int) (*kafka.Tail, error) {
	return nil, errors.New("not in this fake")
}
func (f *fakeFlow) Partitions(context.Context, string) (int32, error) { return 3, nil }
