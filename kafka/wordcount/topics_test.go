package wordcount

import (
	"errors"
	"strings"
	"testing"
	"time"

	"kflow/internal/kafkatest"
	"kflow/kafka"
)

// topicExists reports whether the cluster has the topic.
func topicExists(t *testing.T, c *kafka.Client, name string) bool {
	t.Helper()
	n, err := c.TopicPartitions(kafkatest.Ctx(t), name)
	if err != nil {
		t.Fatal(err)
	}
	return n > 0
}

// TestWordCountMissingInput: a mistyped --input fails at once, naming the
// topic and the close name that exists, and creates nothing; as Kafka
// Streams fails with INCOMPLETE_SOURCE_TOPIC_METADATA instead of waiting
// on a topic no one writes to. CreateInput creates it.
func TestWordCountMissingInput(t *testing.T) {
	kafkatest.EachBackend(t, func(t *testing.T, c *kafka.Client, b kafkatest.Backend) {
		opts := wcApp(t, c)
		kafkatest.MustCreate(t, c, opts.Input, 1, nil)
		typo := strings.TrimSuffix(opts.Input, "input") + "inptu" // two letters swapped
		opts.Input, opts.CreateInput = typo, false
		ctx := kafkatest.Ctx(t)
		wc, err := Run(ctx, c, opts)
		if err == nil {
			_ = wc.Close()
			t.Fatalf("Run on missing input %q: no error", typo)
		}
		var mi *MissingInputError
		if !errors.As(err, &mi) || mi.Topic != typo {
			t.Fatalf("err = %v, want a MissingInputError for %q", err, typo)
		}
		for _, want := range []string{`input topic "` + typo + `" does not exist`, strings.TrimSuffix(typo, "inptu") + "input"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not say %q", err, want)
			}
		}
		for _, topic := range []string{typo, opts.Output, opts.App + "-counts-repartition", opts.App + "-counts-changelog"} {
			if topicExists(t, c, topic) {
				t.Errorf("topic %q was created by a start that failed", topic)
			}
		}

		// CreateInput: the engine creates it and runs.
		opts.CreateInput = true
		wc, err = Run(ctx, c, opts)
		if err != nil {
			t.Fatalf("Run with CreateInput: %v", err)
		}
		defer func() { _ = wc.Close() }()
		if !topicExists(t, c, typo) {
			t.Fatalf("CreateInput did not create %q", typo)
		}
	})
}

// TestWordCountRefusesBadOutput: an existing output topic must be a count
// topic: compacted (else old counts are deleted by time and the topic is
// no table), and holding 8-byte values (else it is someone else's topic,
// whose readers the engine's longs would break).
func TestWordCountRefusesBadOutput(t *testing.T) {
	kafkatest.EachBackend(t, func(t *testing.T, c *kafka.Client, b kafkatest.Backend) {
		ctx := kafkatest.Ctx(t)
		t.Run("not compacted", func(t *testing.T) {
			opts := wcApp(t, c)
			opts.CreateInput = true
			kafkatest.MustCreate(t, c, opts.Output, 2, map[string]string{"cleanup.policy": "delete"})
			wc, err := Run(ctx, c, opts)
			if err == nil {
				_ = wc.Close()
				t.Fatal("Run on a non-compacted output: no error")
			}
			for _, want := range []string{opts.Output, "cleanup.policy", "compact"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
		})
		t.Run("not counts", func(t *testing.T) {
			opts := wcApp(t, c)
			opts.CreateInput = true
			kafkatest.MustCreate(t, c, opts.Output, 2, map[string]string{"cleanup.policy": "compact"})
			for _, r := range []kafka.Record{
				{Topic: opts.Output, Partition: 0, Key: []byte("a"), Value: EncodeCount(3)},
				{Topic: opts.Output, Partition: 1, Key: []byte("b"), Value: []byte(`{"n":1}`)},
				{Topic: opts.Output, Partition: 1, Key: []byte("c"), Value: EncodeCount(1)},
			} {
				if _, err := c.Produce(ctx, r); err != nil {
					t.Fatal(err)
				}
			}
			wc, err := Run(ctx, c, opts)
			if err == nil {
				_ = wc.Close()
				t.Fatal("Run on an output holding non-count values: no error")
			}
			for _, want := range []string{opts.Output, "partition 1 offset 0", "7-byte value", "8"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
		})
		t.Run("counts", func(t *testing.T) {
			opts := wcApp(t, c)
			opts.CreateInput = true
			kafkatest.MustCreate(t, c, opts.Output, 2, map[string]string{"cleanup.policy": "compact"})
			for p := range int32(2) {
				if _, err := c.Produce(ctx, kafka.Record{Topic: opts.Output, Partition: p, Key: []byte("w"), Value: EncodeCount(int64(p))}); err != nil {
					t.Fatal(err)
				}
			}
			wc, err := Run(ctx, c, opts)
			if err != nil {
				t.Fatalf("Run on a count topic: %v", err)
			}
			if err := wc.Close(); err != nil {
				t.Fatal(err)
			}
		})
	})
}

// TestWordCountPurgesRepartition: the counting stage deletes the
// repartition records it has committed (DeleteRecords up to the committed
// offset, as Kafka Streams does), so the repartition topic does not grow
// as big as the input; and the topic keeps records without a time limit
// (retention.ms=-1) until then.
func TestWordCountPurgesRepartition(t *testing.T) {
	kafkatest.EachBackend(t, func(t *testing.T, c *kafka.Client, b kafkatest.Backend) {
		opts := wcApp(t, c)
		opts.CreateInput = true
		opts.Partitions = 3
		opts.PurgeInterval = 100 * time.Millisecond
		ctx := kafkatest.Ctx(t)
		wc, err := Run(ctx, c, opts)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = wc.Close() }()
		repart := opts.App + "-counts-repartition"
		lines := corpusLines(3000)
		want := oracleCounts(lines)
		if err := produceLines(ctx, c, opts.Input, lines, 0); err != nil {
			t.Fatal(err)
		}
		waitCounts(t, c, opts.Output, want, 50*time.Second)
		// While it runs: purged after commits, not only at the end.
		kafkatest.Eventually(t, 20*time.Second, "the repartition topic's start offsets to move while the engine runs", func() bool {
			starts, _, err := c.StartEndOffsets(ctx, repart)
			if err != nil {
				return false
			}
			var sum int64
			for _, o := range starts[repart] {
				sum += o
			}
			return sum > 0
		})
		if err := wc.Close(); err != nil {
			t.Fatal(err)
		}
		// After the run: purged up to the committed offsets.
		lags, err := c.Lag(ctx, opts.App+"-count")
		if err != nil {
			t.Fatal(err)
		}
		committed := map[int32]int64{}
		for _, p := range lags[0].Partitions {
			if p.Topic == repart {
				committed[p.Partition] = p.Committed
			}
		}
		starts, ends, err := c.StartEndOffsets(ctx, repart)
		if err != nil {
			t.Fatal(err)
		}
		if len(committed) != 3 {
			t.Fatalf("count group committed %v, want 3 partitions", committed)
		}
		for p, off := range committed {
			if off <= 0 || starts[repart][p] != off {
				t.Errorf("partition %d: log start %d, committed %d (end %d): want start = committed > 0",
					p, starts[repart][p], off, ends[repart][p])
			}
		}
		cfgs, err := c.TopicConfigs(ctx, repart)
		if err != nil {
			t.Fatal(err)
		}
		if v := configValue(cfgs, "retention.ms"); v != "-1" {
			t.Errorf("repartition topic retention.ms = %q, want -1 (unlimited)", v)
		}
	})
}

func configValue(cfgs []kafka.ConfigEntry, name string) string {
	for _, e := range cfgs {
		if e.Name == name {
			return e.Value
		}
	}
	return ""
}
