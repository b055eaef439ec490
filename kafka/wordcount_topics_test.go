package kafka

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// topicExists reports whether the cluster has the topic.
func topicExists(t *testing.T, c *Client, name string) bool {
	t.Helper()
	n, err := c.topicPartitions(testCtx(t), name)
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
	eachBackend(t, func(t *testing.T, c *Client, b backend) {
		opts := wcApp(t, c)
		mustCreate(t, c, opts.Input, 1, nil)
		typo := strings.TrimSuffix(opts.Input, "input") + "inptu" // two letters swapped
		opts.Input, opts.CreateInput = typo, false
		ctx := testCtx(t)
		wc, err := c.RunWordCount(ctx, opts)
		if err == nil {
			_ = wc.Close()
			t.Fatalf("RunWordCount on missing input %q: no error", typo)
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
		wc, err = c.RunWordCount(ctx, opts)
		if err != nil {
			t.Fatalf("RunWordCount with CreateInput: %v", err)
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
	eachBackend(t, func(t *testing.T, c *Client, b backend) {
		ctx := testCtx(t)
		t.Run("not compacted", func(t *testing.T) {
			opts := wcApp(t, c)
			opts.CreateInput = true
			mustCreate(t, c, opts.Output, 2, map[string]string{"cleanup.policy": "delete"})
			wc, err := c.RunWordCount(ctx, opts)
			if err == nil {
				_ = wc.Close()
				t.Fatal("RunWordCount on a non-compacted output: no error")
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
			mustCreate(t, c, opts.Output, 2, map[string]string{"cleanup.policy": "compact"})
			for _, r := range []Record{
				{Topic: opts.Output, Partition: 0, Key: []byte("a"), Value: EncodeCount(3)},
				{Topic: opts.Output, Partition: 1, Key: []byte("b"), Value: []byte(`{"n":1}`)},
				{Topic: opts.Output, Partition: 1, Key: []byte("c"), Value: EncodeCount(1)},
			} {
				if _, err := c.Produce(ctx, r); err != nil {
					t.Fatal(err)
				}
			}
			wc, err := c.RunWordCount(ctx, opts)
			if err == nil {
				_ = wc.Close()
				t.Fatal("RunWordCount on an output holding non-count values: no error")
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
			mustCreate(t, c, opts.Output, 2, map[string]string{"cleanup.policy": "compact"})
			for p := range int32(2) {
				if _, err := c.Produce(ctx, Record{Topic: opts.Output, Partition: p, Key: []byte("w"), Value: EncodeCount(int64(p))}); err != nil {
					t.Fatal(err)
				}
			}
			wc, err := c.RunWordCount(ctx, opts)
			if err != nil {
				t.Fatalf("RunWordCount on a count topic: %v", err)
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
	eachBackend(t, func(t *testing.T, c *Client, b backend) {
		opts := wcApp(t, c)
		opts.CreateInput = true
		opts.Partitions = 3
		opts.PurgeInterval = 100 * time.Millisecond
		ctx := testCtx(t)
		wc, err := c.RunWordCount(ctx, opts)
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
		eventually(t, 20*time.Second, "the repartition topic's start offsets to move while the engine runs", func() bool {
			starts, _, err := c.startEnd(ctx, repart)
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
		starts, ends, err := c.startEnd(ctx, repart)
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

func configValue(cfgs []ConfigEntry, name string) string {
	for _, e := range cfgs {
		if e.Name == name {
			return e.Value
		}
	}
	return ""
}
