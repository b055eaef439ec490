package wordcount

import (
	"context"
	"fmt"
	"testing"
	"time"

	"kflow/internal/kafkatest"
	"kflow/kafka"
)

// BenchmarkWordCount measures the engine end to end with one instance on
// the real broker: 1,000,000 generated lines (KFLOW_WORDCOUNT_BENCH_LINES
// to change) are produced to the input first, untimed; each iteration then
// runs a fresh application over them, from Run until every word
// is counted in a committed transaction, both stages exactly-once. It
// reports lines/s and words/s.
//
//	bash scripts/kafka/start.sh /tmp/wc-broker && source /tmp/wc-broker/env
//	KFLOW_TEST_BROKERS=$KFLOW_TEST_BROKERS go test ./kafka/wordcount -run '^$' -bench BenchmarkWordCount -benchtime 1x
func BenchmarkWordCount(b *testing.B) {
	c, brokers, n := kafkatest.BenchBroker(b, "KFLOW_WORDCOUNT_BENCH_LINES", 1000000)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()

	base := fmt.Sprintf("kflow-wc-bench-%d", time.Now().UnixNano())
	input := base + "-input"
	lines := corpusLines(n)
	var words int64
	for _, l := range lines {
		words += int64(len(SplitWords(l)))
	}
	if err := c.CreateTopic(ctx, kafka.TopicSpec{Name: input, Partitions: 6}); err != nil {
		b.Fatal(err)
	}
	defer func() { _ = c.DeleteTopic(context.WithoutCancel(ctx), input) }()
	if err := produceLines(ctx, c, input, lines, 0); err != nil {
		b.Fatal(err)
	}

	// The reference, same run: a bare franz-go loop that only reads the
	// input lines, the floor under any engine's time.
	rawStart := time.Now()
	if got, err := kafkatest.RawConsume(ctx, brokers, input, n); err != nil || got != n {
		b.Fatalf("raw read: %d of %d lines, %v", got, n, err)
	}
	rawRate := float64(n) / time.Since(rawStart).Seconds()

	b.ResetTimer()
	var elapsed time.Duration
	for i := range b.N {
		app := fmt.Sprintf("%s-%d", base, i)
		opts := Options{App: app, Input: input, Output: app + "-output"}
		start := time.Now()
		wc, err := Run(ctx, c, opts)
		if err != nil {
			b.Fatal(err)
		}
		if err := waitCounted(ctx, wc, words); err != nil {
			b.Fatal(err)
		}
		elapsed += time.Since(start)
		s := wc.Stats()
		if err := wc.Close(); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		b.Logf("%d lines, %d words, %d distinct, in %v: %d transactions committed, %d aborted, %d updates out",
			n, words, s.StateWords, time.Since(start).Round(time.Millisecond), s.Committed, s.Aborted, s.UpdatesOut)
		for _, topic := range []string{opts.Output, app + "-counts-repartition", app + "-counts-changelog"} {
			_ = c.DeleteTopic(ctx, topic)
		}
		b.StartTimer()
	}
	rate := float64(n) * float64(b.N) / elapsed.Seconds()
	b.ReportMetric(rate, "lines/s")
	b.ReportMetric(float64(words)*float64(b.N)/elapsed.Seconds(), "words/s")
	b.ReportMetric(rawRate, "raw-read-lines/s")
	fmt.Printf("word count %.0f lines/s exactly-once (split, repartition, count, changelog, output); reading the input raw %.0f lines/s: %.2fx\n",
		rate, rawRate, rate/rawRate)
}

// waitCounted waits until the engine has counted words words, or fails.
func waitCounted(ctx context.Context, wc *Engine, words int64) error {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for wc.Stats().Counted < words {
		select {
		case <-ctx.Done():
			return fmt.Errorf("counted %d of %d words: %w", wc.Stats().Counted, words, ctx.Err())
		case <-wc.Done():
			return fmt.Errorf("engine stopped after counting %d of %d words: %v", wc.Stats().Counted, words, wc.Err())
		case <-tick.C:
		}
	}
	return nil
}
