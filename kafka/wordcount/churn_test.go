package wordcount

import (
	"fmt"
	"testing"
	"time"

	"kflow/internal/kafkatest"
	"kflow/kafka"
)

// TestWordCountInstancesJoinAndLeave: while lines keep coming, instances
// join and leave one application (1, then 3, then 2 after one closes,
// then 3 again after a new one joins, then 1), each change a rebalance of
// both stages with restores from the changelog and aborted transactions
// redone. The output's counts are exact at the end: no partial count
// lost or added twice across the hand-overs.
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
		var live []*Engine
		join := func() {
			t.Helper()
			wc, err := Run(ctx, kafkatest.Connect(t, b), opts) // a client each, as another process would have
			if err != nil {
				t.Fatalf("join: %v", err)
			}
			t.Cleanup(func() { _ = wc.Close() })
			live = append(live, wc)
			// It really joins: both stages get partitions of their own.
			kafkatest.Eventually(t, 40*time.Second, "the new instance to take a share", func() bool {
				s := wc.Stats()
				return len(s.InputPartitions) > 0 && len(s.CountPartitions) > 0
			})
		}
		var counted int64 // words counted by the instances that left
		leave := func(i int) {
			t.Helper()
			if err := live[i].Close(); err != nil {
				t.Fatalf("instance leaving: %v", err)
			}
			counted += live[i].Stats().Counted // final once closed
			live = append(live[:i], live[i+1:]...)
		}
		counts := func() int64 {
			s := counted
			for _, wc := range live {
				s += wc.Stats().Counted
			}
			return s
		}

		// The input comes in five parts; the membership changes between
		// them, while the previous part is still being counted.
		part := n / 5
		// Each part is partly counted (counts to hand over) before the
		// next change.
		produce := func(i int) {
			t.Helper()
			before := counts()
			if err := produceLines(ctx, c, opts.Input, lines[i*part:(i+1)*part], 0); err != nil {
				t.Fatal(err)
			}
			kafkatest.Eventually(t, 40*time.Second, fmt.Sprintf("part %d to be partly counted", i), func() bool { return counts() > before })
		}
		join()
		produce(0)
		join()
		join()
		produce(1)
		leave(0)
		produce(2)
		join()
		produce(3)
		for len(live) > 1 {
			leave(0)
		}
		produce(4)
		waitCounts(t, c, opts.Output, want, 90*time.Second)
		// Committed work is counted once, by whichever instance committed it.
		kafkatest.Eventually(t, 10*time.Second, "the committed word totals to match", func() bool {
			return counts() == totalWords(want)
		})
		if err := live[0].Err(); err != nil {
			t.Fatalf("last instance failed: %v", err)
		}
		t.Logf("%s: %d lines, %d words exact through 4 joins and 3 leaves; last instance: %s", b.Name, n, totalWords(want), live[0].Stats())
	})
}
