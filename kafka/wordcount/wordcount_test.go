package wordcount

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"kflow/internal/kafkatest"
	"kflow/kafka"
)

// wcApp names a word count application and its topics for one test, and
// deletes the topics afterwards.
func wcApp(t *testing.T, c *kafka.Client) Options {
	t.Helper()
	// Not uniqueTopic: subtest names hold '=', which topic names must not.
	app := fmt.Sprintf("kflow-wc-%d-%d", time.Now().UnixNano(), kafkatest.Seq())
	// CreateInput: the tests start on a fresh input, created by the
	// engine or by the test before it.
	opts := Options{App: app, Input: app + "-input", Output: app + "-output", CreateInput: true}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		for _, topic := range []string{opts.Input, opts.Output, app + "-counts-repartition", app + "-counts-changelog"} {
			_ = c.DeleteTopic(ctx, topic)
		}
	})
	return opts
}

// produceLines writes lines to topic, spread over its partitions, at rate
// lines a second (0: as fast as the broker takes them).
func produceLines(ctx context.Context, c *kafka.Client, topic string, lines []string, rate float64) error {
	_, err := c.ProduceStream(ctx, kafka.StreamOptions{Count: len(lines), Rate: rate}, func(i int) (kafka.Record, bool) {
		return kafka.Record{Topic: topic, Partition: -1, Value: []byte(lines[i])}, true
	})
	if err != nil {
		return fmt.Errorf("produce %d lines to %q: %w", len(lines), topic, err)
	}
	return nil
}

// waitCounts reads the output topic from the beginning (read_committed;
// the last value of a word wins, as compaction keeps it) until its counts
// equal want, and fails with the difference if they do not within d.
// Counts only grow, so a doubled count never comes back to equal: the
// wait times out and reports it.
func waitCounts(t *testing.T, c *kafka.Client, output string, want map[string]int64, d time.Duration) map[string]int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	cs, err := c.Consume(ctx, kafka.TailOptions{Topic: output, Start: kafka.Start{Kind: kafka.StartBeginning}, MaxBytes: -1})
	if err != nil {
		t.Fatalf("read %q: %v", output, err)
	}
	defer cs.Close()
	got := map[string]int64{}
	wrong := map[string]bool{} // words whose count differs from want
	for w := range want {
		wrong[w] = true
	}
	for len(wrong) > 0 {
		recs, err := cs.Poll(ctx)
		if err != nil {
			if errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("output %q did not reach the expected counts in %v (%d words wrong):\n%s",
					output, d, len(wrong), countsDiff(got, want, 10))
			}
			t.Fatalf("read %q: %v", output, err)
		}
		for _, r := range recs {
			n, err := DecodeCount(r.Value)
			if err != nil {
				t.Fatalf("output %q offset %d key %q: %v", output, r.Offset, r.Key, err)
			}
			w := string(r.Key)
			got[w] = n
			if want[w] == n {
				delete(wrong, w)
			} else {
				wrong[w] = true
			}
		}
	}
	return got
}

// totalWords is how many words the lines hold.
func totalWords(counts map[string]int64) int64 {
	var n int64
	for _, c := range counts {
		n += c
	}
	return n
}

// TestWordCount runs the engine over the generated corpus with one and
// with three instances sharing an application id, and checks the output
// topic against the regexp oracle: the same counts whatever the split.
func TestWordCount(t *testing.T) {
	kafkatest.EachBackend(t, func(t *testing.T, c *kafka.Client, b kafkatest.Backend) {
		n := 20000 // kfake is in-process and single-threaded: keep it quick
		if b.Real {
			n = 100000
		}
		if s := os.Getenv("KFLOW_WORDCOUNT_LINES"); s != "" {
			n, _ = strconv.Atoi(s)
		}
		lines := corpusLines(n)
		want := oracleCounts(lines)
		for _, instances := range []int{1, 3} {
			t.Run(fmt.Sprintf("instances=%d", instances), func(t *testing.T) {
				opts := wcApp(t, c)
				opts.Partitions = 6
				// OnUpdate sees what the output gets, last count winning.
				var mu sync.Mutex
				updated := map[string]int64{}
				opts.OnUpdate = func(u Update) {
					mu.Lock()
					updated[u.Word] = u.Count
					mu.Unlock()
				}
				ctx := kafkatest.Ctx(t)
				start := time.Now()
				var wcs []*Engine
				for i := range instances {
					ci := c
					if i > 0 {
						ci = kafkatest.Connect(t, b) // a separate client, as another process would have
					}
					wc, err := Run(ctx, ci, opts)
					if err != nil {
						t.Fatalf("instance %d: Run: %v", i, err)
					}
					t.Cleanup(func() { _ = wc.Close() })
					wcs = append(wcs, wc)
				}
				// Every instance takes a share before the input comes, so
				// that the three really split the work.
				kafkatest.Eventually(t, 40*time.Second, fmt.Sprintf("%d instance(s) to share the 6 input and 6 repartition partitions", instances), func() bool {
					in, count := 0, 0
					for _, wc := range wcs {
						s := wc.Stats()
						if len(s.InputPartitions) == 0 || len(s.CountPartitions) == 0 {
							return false
						}
						in += len(s.InputPartitions)
						count += len(s.CountPartitions)
					}
					return in == 6 && count == 6
				})
				if err := produceLines(ctx, c, opts.Input, lines, 0); err != nil {
					t.Fatal(err)
				}
				waitCounts(t, c, opts.Output, want, 50*time.Second)
				elapsed := time.Since(start)
				// OnUpdate runs just after the commit the output shows.
				kafkatest.Eventually(t, 10*time.Second, "OnUpdate to report the final counts", func() bool {
					mu.Lock()
					defer mu.Unlock()
					return countsDiff(updated, want, 1) == ""
				})

				var lines, words, counted int64
				for i, wc := range wcs {
					s := wc.Stats()
					t.Logf("instance %d: %+v", i, s)
					if err := wc.Err(); err != nil {
						t.Fatalf("instance %d failed: %v", i, err)
					}
					lines += s.LinesIn
					words += s.Words
					counted += s.Counted
					if s.Counted == 0 {
						t.Errorf("instance %d counted no words", i)
					}
				}
				// Committed work is counted once across instances,
				// however often rebalances aborted and redid it.
				if lines != int64(n) || words != totalWords(want) || counted != words {
					t.Fatalf("instances committed %d lines, %d words, counted %d; want %d lines and %d words",
						lines, words, counted, n, totalWords(want))
				}
				for i, wc := range wcs {
					if err := wc.Close(); err != nil {
						t.Fatalf("instance %d: Close: %v", i, err)
					}
				}
				t.Logf("%d lines, %d words, %d distinct, %d instance(s) on %s: exact counts %v after start, group joins included (%.0f lines/s)",
					n, totalWords(want), len(want), instances, b.Name, elapsed.Round(time.Millisecond), float64(n)/elapsed.Seconds())
			})
		}
	})
}

// TestWordCountRefusesReadOnly: the engine writes topics and commits
// transactions, which a read-only client must not.
func TestWordCountRefusesReadOnly(t *testing.T) {
	b := kafkatest.Backends(t)[0]
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, err := kafka.Connect(ctx, kafka.ConnConfig{Brokers: b.Brokers, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := Run(ctx, c, Options{}); !errors.Is(err, kafka.ErrReadOnly) {
		t.Fatalf("Run on a read-only client: err = %v, want ErrReadOnly", err)
	}
}
