package wordcount

import (
	"sync"
	"testing"
	"time"

	"kflow/internal/kafkatest"
	"kflow/kafka"
)

// TestWordCountInstancesJoinAndLeave: while lines keep coming at a steady
// rate, instances join and leave one application (1, then 3, then 2 after
// one closes, then 3 again after a new one joins, then 1), each change a
// rebalance of both stages with restores from the changelog and aborted
// transactions redone. The output's counts are exact at the end: no
// partial count lost or added twice across the hand-overs.
func TestWordCountInstancesJoinAndLeave(t *testing.T) {
	kafkatest.EachBackend(t, func(t *testing.T, c *kafka.Client, b kafkatest.Backend) {
		n := 20000
		if b.Real {
			n = 60000
		}
		lines := corpusLines(n)
		want := oracleCounts(lines)
		opts := wcApp(t, c)
		opts.Partitions = 6
		ctx := kafkatest.Ctx(t)
		if err := c.CreateTopic(ctx, kafka.TopicSpec{Name: opts.Input, Partitions: 6}); err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex // live and counted, read by the producer's wait
		var live []*Engine
		var counted int64 // words counted by the instances that left
		join := func() {
			t.Helper()
			wc, err := Run(ctx, kafkatest.Connect(t, b), opts) // a client each, as another process would have
			if err != nil {
				t.Fatalf("join: %v", err)
			}
			t.Cleanup(func() { _ = wc.Close() })
			mu.Lock()
			live = append(live, wc)
			mu.Unlock()
			// It really joins: both stages get partitions of their own.
			kafkatest.Eventually(t, 40*time.Second, "the new instance to take a share", func() bool {
				s := wc.Stats()
				return len(s.InputPartitions) > 0 && len(s.CountPartitions) > 0
			})
		}
		leave := func(i int) {
			t.Helper()
			mu.Lock()
			wc := live[i]
			live = append(live[:i], live[i+1:]...)
			mu.Unlock()
			if err := wc.Close(); err != nil {
				t.Fatalf("instance leaving: %v", err)
			}
			mu.Lock()
			counted += wc.Stats().Counted // final once closed
			mu.Unlock()
		}
		counts := func() int64 {
			mu.Lock()
			defer mu.Unlock()
			s := counted
			for _, wc := range live {
				s += wc.Stats().Counted
			}
			return s
		}

		// The input flows the whole time, over about 8 s; each change of
		// membership comes once the count has moved since the last one,
		// so every hand-over carries counts and meets lines in flight.
		rate := float64(n) / 8
		produced := make(chan error, 1)
		join()
		go func() { produced <- produceLines(ctx, c, opts.Input, lines, rate) }()
		moved := func(what string) {
			t.Helper()
			before := counts()
			kafkatest.Eventually(t, 40*time.Second, "words to be counted before "+what, func() bool { return counts() > before })
		}
		moved("the second and third join")
		join()
		join()
		moved("the first leaves")
		leave(0)
		moved("a new one joins")
		join()
		moved("all but one leave")
		for {
			mu.Lock()
			more := len(live) > 1
			mu.Unlock()
			if !more {
				break
			}
			leave(0)
		}
		if err := <-produced; err != nil {
			t.Fatal(err)
		}
		waitCounts(t, c, opts.Output, want, 90*time.Second)
		// Committed work is counted once, by whichever instance committed it.
		kafkatest.Eventually(t, 10*time.Second, "the committed word totals to match", func() bool {
			return counts() == totalWords(want)
		})
		if err := live[0].Err(); err != nil {
			t.Fatalf("last instance failed: %v", err)
		}
		t.Logf("%s: %d lines, %d words exact through 4 joins and 3 leaves while the input flowed; last instance: %s", b.Name, n, totalWords(want), live[0].Stats())
	})
}
