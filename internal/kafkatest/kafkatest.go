// Package kafkatest is the test support of the packages built on the
// client layer (kafka/demo, kafka/wordcount): the clusters a test runs
// against (kfake and the real broker of KFLOW_TEST_BROKERS), connected
// clients, unique names, bounded contexts and polling waits. It mirrors
// the kafka package's own unexported harness, which other packages cannot
// import, and keeps its rule: under CI=true a missing real broker fails
// the test instead of skipping it. Only tests import this package.
package kafkatest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"

	"kflow/kafka"
)

// Backend is one cluster a test runs against.
type Backend struct {
	// Name is "kfake" or "kafka" (the subtest name).
	Name string
	// Brokers are its bootstrap addresses.
	Brokers []string
	// Real is true for a real Kafka broker, false for kfake.
	Real bool
}

// Backends returns an in-process kfake cluster, closed when the test
// ends, and the real broker named by KFLOW_TEST_BROKERS (scripts/test.sh
// starts one). Under CI=true a missing real broker fails the test: the
// real-broker suite must never be skipped silently there.
func Backends(t testing.TB) []Backend {
	t.Helper()
	bs := []Backend{{Name: "kfake", Brokers: Fake(t).ListenAddrs()}}
	if real := RealBrokers(t); real != nil {
		bs = append(bs, Backend{Name: "kafka", Brokers: real, Real: true})
	}
	return bs
}

// Fake starts a one-broker kfake cluster on a free port, closed when the
// test ends, for a test that controls its answers (ControlKey).
func Fake(t testing.TB) *kfake.Cluster {
	t.Helper()
	fake, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.Ports(0))
	if err != nil {
		t.Fatalf("start kfake: %v", err)
	}
	t.Cleanup(fake.Close)
	return fake
}

// RealBrokers returns the real broker's addresses from KFLOW_TEST_BROKERS,
// or nil (with a log line) when none is configured outside CI; under
// CI=true a missing broker fails the test.
func RealBrokers(t testing.TB) []string {
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

// EachBackend runs fn as a subtest against every backend with a
// connected client.
func EachBackend(t *testing.T, fn func(t *testing.T, c *kafka.Client, b Backend)) {
	t.Helper()
	for _, b := range Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			fn(t, Connect(t, b), b)
		})
	}
}

// Connect connects a client to b with a 10s timeout, closed when the
// test ends; a failure fails the test.
func Connect(t testing.TB, b Backend) *kafka.Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, err := kafka.Connect(ctx, kafka.ConnConfig{Brokers: b.Brokers, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatalf("connect to %s: %v", b.Name, err)
	}
	t.Cleanup(c.Close)
	return c
}

var seq atomic.Int64

// Seq returns a number no earlier call in this process returned: with
// the time, it makes names unique across tests and runs.
func Seq() int64 { return seq.Add(1) }

// UniqueTopic names a topic no other test (or earlier run against the
// same broker) uses.
func UniqueTopic(t testing.TB) string {
	return fmt.Sprintf("kflow-test-%s-%d-%d", strings.ReplaceAll(t.Name(), "/", "-"), time.Now().UnixNano(), Seq())
}

// Ctx is a context bounded well under the suite timeout, cancelled when
// the test ends.
func Ctx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// Eventually polls cond until it holds or d passes, then fails the test
// naming what it waited for: the way tests wait on a condition instead of
// sleeping.
func Eventually(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// MustCreate creates a topic for a test and deletes it when the test
// ends.
func MustCreate(t testing.TB, c *kafka.Client, name string, partitions int32, cfg map[string]string) {
	t.Helper()
	if err := c.CreateTopic(Ctx(t), kafka.TopicSpec{Name: name, Partitions: partitions, ReplicationFactor: 1, Configs: cfg}); err != nil {
		t.Fatalf("create topic %q: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = c.DeleteTopic(ctx, name)
	})
}
