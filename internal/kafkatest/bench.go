package kafkatest

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"kflow/kafka"
)

// BenchBroker connects a benchmark to the real broker of
// KFLOW_TEST_BROKERS (bench/run.sh starts one), skipping without one (a
// failure under CI=true), and reads its record count from countVar, def
// when unset. The client closes when the benchmark ends. It is the
// kafka package's benchBroker, for benchmarks outside that package.
func BenchBroker(b *testing.B, countVar string, def int) (c *kafka.Client, brokers string, n int) {
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
	c, err := kafka.Connect(ctx, kafka.ConnConfig{Brokers: strings.Split(brokers, ","), Timeout: 30 * time.Second})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(c.Close)
	return c, brokers, n
}

// RawConsume is a benchmark's reference: franz-go with default options
// reading topic from its start until want records came, counting them.
func RawConsume(ctx context.Context, brokers, topic string, want int) (int, error) {
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers), kgo.ConsumeTopics(topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		return 0, err
	}
	defer cl.Close()
	got := 0
	for got < want {
		fs := cl.PollFetches(ctx)
		if err := fs.Err0(); err != nil {
			return got, err
		}
		got += fs.NumRecords()
	}
	return got, nil
}
