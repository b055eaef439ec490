package kafka

import (
	"bytes"
	"fmt"

	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// benchBroker connects a benchmark to the real broker of
// KFLOW_TEST_BROKERS (bench/run.sh starts one), skipping without one (a
// failure under CI=true), and reads its record count from countVar, def
// when unset. The client closes when the benchmark ends.
func benchBroker(b *testing.B, countVar string, def int) (c *Client, brokers string, n int) {
	b.Helper()
	brokers = os.Getenv("KFLOW_TEST_BROKERS")
	if brokers == "" {
		if os.Getenv("CI") == "true" {
			b.Fatal("CI=true but KFLOW_TEST_BROKERS is not set: run with scripts/test.sh or bench/run.sh")
		}
		b.Skip("KFLOW_TEST_BROKERS not set: the benchmark measures the real broker (bench/run.sh starts one)")
	}
	n = def
	if s := os.Getenv(countVar); countVar != "" && s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n <= 0 {
			b.Fatalf("%s=%q: want a positive count", countVar, s)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := Connect(ctx, ConnConfig{Brokers: strings.Split(brokers, ","), Timeout: 30 * time.Second})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(c.Close)
	return c, brokers, n
}

// benchTopic creates a topic of 3 partitions holding n records (keys
// "0".."n-1", 100-byte values), deleted when the benchmark ends.
func benchTopic(b *testing.B, c *Client, prefix string, n int) string {
	b.Helper()
	ctx := context.Background()
	topic := fmt.Sprintf("%s-%d", prefix, time.Now().UnixNano())
	if err := c.CreateTopic(ctx, TopicSpec{Name: topic, Partitions: 3, ReplicationFactor: 1}); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = c.DeleteTopic(context.Background(), topic) })
	value := bytes.Repeat([]byte("x"), 100)
	st, err := c.ProduceStream(ctx, StreamOptions{Count: n}, func(i int) (Record, bool) {
		return Record{Topic: topic, Partition: int32(i % 3), Key: strconv.AppendInt(nil, int64(i), 10), Value: value}, true
	})
	if err != nil || st.Acked != int64(n) {
		b.Fatalf("produce %d records: %+v, %v", n, st, err)
	}
	return topic
}

// rawConsume is the reference: franz-go with default options, counting
// (rawConsumeTopics of one topic).
func rawConsume(ctx context.Context, brokers, topic string, want int) (int, error) {
	return rawConsumeTopics(ctx, brokers, []string{topic}, want)
}
