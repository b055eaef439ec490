package wordcount

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"kflow/internal/kafkatest"
	"kflow/kafka"
)

// TestWordCountUpdateLatency: the combiner's lingering transactions keep
// the engine live. On an idle, running engine a line's counts reach
// OnUpdate within wcFirstUpdate, and while lines keep coming updates
// come at least every wcUpdateGap. The bounds are the (0.5 s,
// 1 s) with room for a shared test machine; the figures are logged.
func TestWordCountUpdateLatency(t *testing.T) {
	const (
		wcFirstUpdate = 1500 * time.Millisecond
		wcUpdateGap   = 1500 * time.Millisecond
	)
	kafkatest.EachBackend(t, func(t *testing.T, c *kafka.Client, b kafkatest.Backend) {
		opts := wcApp(t, c)
		opts.Partitions = 2
		var rec wcEvents
		opts.OnEvent = rec.add
		var mu sync.Mutex
		seen := map[string]time.Time{} // word: when its first update came
		var times []time.Time
		opts.OnUpdate = func(u Update) {
			mu.Lock()
			defer mu.Unlock()
			now := time.Now()
			if _, ok := seen[u.Word]; !ok {
				seen[u.Word] = now
			}
			if len(times) == 0 || now.Sub(times[len(times)-1]) > time.Millisecond {
				times = append(times, now)
			}
		}
		ctx := kafkatest.Ctx(t)
		runIdle(t, c, opts, &rec)

		// One line into the idle engine.
		sent := time.Now()
		if err := produceLines(ctx, c, opts.Input, []string{"latency"}, 0); err != nil {
			t.Fatal(err)
		}
		var first time.Duration
		kafkatest.Eventually(t, 30*time.Second, "the first line's update", func() bool {
			mu.Lock()
			defer mu.Unlock()
			at, ok := seen["latency"]
			first = at.Sub(sent)
			return ok
		})
		if first > wcFirstUpdate {
			t.Errorf("first update %v after its line, want within %v", first, wcFirstUpdate)
		}

		// A steady trickle, 20 lines a second for 3 seconds.
		mu.Lock()
		times = times[:0]
		mu.Unlock()
		start := time.Now()
		lines := make([]string, 60)
		for i := range lines {
			lines[i] = fmt.Sprintf("tick%d", i)
		}
		if err := produceLines(ctx, c, opts.Input, lines, 20); err != nil {
			t.Fatal(err)
		}
		kafkatest.Eventually(t, 30*time.Second, "the last line's update", func() bool {
			mu.Lock()
			defer mu.Unlock()
			_, ok := seen[lines[len(lines)-1]]
			return ok
		})
		mu.Lock()
		defer mu.Unlock()
		prev, worst := start, time.Duration(0)
		for _, at := range times {
			worst = max(worst, at.Sub(prev))
			prev = at
		}
		if worst > wcUpdateGap {
			t.Errorf("updates %v apart at worst while lines came every 50ms, want at most %v", worst, wcUpdateGap)
		}
		t.Logf("%s: first update %v after its line; %d update batches in %v, at most %v apart",
			b.Name, first.Round(time.Millisecond), len(times), prev.Sub(start).Round(time.Millisecond), worst.Round(time.Millisecond))
	})
}

// TestWordCountBurstEndsLinger: a transaction holding a backlog's worth
// (a tenth of its limit or more) commits once the burst stops coming,
// not a linger later. With lingers of 30 s, a burst of 600 distinct
// words into an idle engine is counted in well under one linger; before,
// each stage waited its whole linger after the burst's last record.
func TestWordCountBurstEndsLinger(t *testing.T) {
	const linger = 30 * time.Second
	kafkatest.EachBackend(t, func(t *testing.T, c *kafka.Client, b kafkatest.Backend) {
		opts := wcApp(t, c)
		opts.Partitions = 2
		opts.tuning = wordCountTuning{splitLines: 1000, countPoll: 2000, splitLinger: linger, countLinger: linger}
		var rec wcEvents
		opts.OnEvent = rec.add
		var mu sync.Mutex
		seen := map[string]bool{}
		opts.OnUpdate = func(u Update) {
			mu.Lock()
			defer mu.Unlock()
			seen[u.Word] = true
		}
		ctx := kafkatest.Ctx(t)
		runIdle(t, c, opts, &rec)
		lines := make([]string, 600)
		for i := range lines {
			lines[i] = fmt.Sprintf("burst%d", i)
		}
		sent := time.Now()
		if err := produceLines(ctx, c, opts.Input, lines, 0); err != nil {
			t.Fatal(err)
		}
		kafkatest.Eventually(t, linger/3, "the burst's 600 words counted", func() bool {
			mu.Lock()
			defer mu.Unlock()
			return len(seen) == len(lines)
		})
		t.Logf("%s: 600 words counted %v after the burst was sent (lingers %v)", b.Name, time.Since(sent).Round(time.Millisecond), linger)
	})
}

// runIdle runs the engine of opts (two partitions, its events into rec)
// until both stages are assigned and their counts restored, and closes it
// when the test ends: an idle engine, ready for the lines a test sends.
func runIdle(t *testing.T, c *kafka.Client, opts Options, rec *wcEvents) {
	t.Helper()
	wc, err := Run(kafkatest.Ctx(t), c, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = wc.Close() })
	kafkatest.Eventually(t, 40*time.Second, "both stages to be assigned and the counts restored", func() bool {
		return rec.has(EventAssigned, "split stage: assigned "+opts.Input+" partitions 0,1") &&
			rec.has(EventAssigned, "count stage: assigned "+opts.App+"-counts-repartition partitions 0,1") &&
			rec.has(EventRestored, "count stage: restored the counts of partitions 0,1")
	})
}
