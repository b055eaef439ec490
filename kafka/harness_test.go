package kafka

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
)

// backend is one cluster the client layer's tests run against.
type backend struct {
	name    string // "kfake" or "kafka"
	brokers []string
	real    bool
}

// backends returns kfake, and the real broker named by KFLOW_TEST_BROKERS
// (scripts/test.sh starts one). Under CI=true a missing real broker fails
// the test: the real-broker suite must never be skipped silently there.
func backends(t *testing.T) []backend {
	t.Helper()
	fake, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.Ports(0))
	if err != nil {
		t.Fatalf("start kfake: %v", err)
	}
	t.Cleanup(fake.Close)
	bs := []backend{{name: "kfake", brokers: fake.ListenAddrs()}}
	if real := realBrokers(t); real != nil {
		bs = append(bs, backend{name: "kafka", brokers: real, real: true})
	}
	return bs
}

// realBrokers returns the real broker's addresses, or nil (after
// skipping notice) when none is configured outside CI.
func realBrokers(t *testing.T) []string {
	t.Helper()
	if s := os.Getenv("KFLOW_TEST_BROKERS"); s != "" {
		return strings.Split(s, ",")
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("CI=true but KFLOW_TEST_BROKERS is not set: run the tests with scripts/test.sh, which starts a real Kafka")
	}
	t.Log("KFLOW_TEST_BROKERS not set: real-broker half of this test not run (scripts/test.sh sets it)")
	return nil
}

// eachBackend runs fn as a subtest against every backend with a connected
// client.
func eachBackend(t *testing.T, fn func(t *testing.T, c *Client, b backend)) {
	t.Helper()
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			c := connect(t, b)
			fn(t, c, b)
		})
	}
}

func connect(t *testing.T, b backend) *Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, err := Connect(ctx, ConnConfig{Brokers: b.brokers, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatalf("connect to %s: %v", b.name, err)
	}
	t.Cleanup(c.Close)
	return c
}

var topicSeq atomic.Int64

// uniqueTopic names a topic no other test (or earlier run against the same
// broker) uses.
func uniqueTopic(t *testing.T) string {
	return fmt.Sprintf("kflow-test-%s-%d-%d", strings.ReplaceAll(t.Name(), "/", "-"), time.Now().UnixNano(), topicSeq.Add(1))
}

// testCtx is a context bounded well under the suite timeout.
func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// eventually polls cond until it holds or the deadline passes: the way
// tests wait on a condition instead of sleeping.
func eventually(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// mustCreate creates a topic for a test and deletes it afterwards.
func mustCreate(t *testing.T, c *Client, name string, partitions int32, cfg map[string]string) {
	t.Helper()
	if err := c.CreateTopic(testCtx(t), TopicSpec{Name: name, Partitions: partitions, ReplicationFactor: 1, Configs: cfg}); err != nil {
		t.Fatalf("create topic %q: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = c.DeleteTopic(ctx, name)
	})
}
