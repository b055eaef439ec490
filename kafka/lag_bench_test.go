package kafka

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"

	"kflow/lag"
)

// Size of the lag benchmark: groups each committed on every partition.
const (
	benchLagGroups     = 1000
	benchLagPartitions = 100
)

// BenchmarkLagRefresh times a full refresh of the consumer-lag dashboard
// (Lag of every group) with 1,000 groups each committed on 100 partitions,
// on the real broker of KFLOW_TEST_BROKERS. Run it with
//
//	go test ./kafka -run '^$' -bench BenchmarkLagRefresh -benchtime 20x
//
// It prints the refresh time; the target is under a second.
func BenchmarkLagRefresh(b *testing.B) {
	c, _, _ := benchBroker(b, "", 0)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	topic := fmt.Sprintf("kflow-bench-lag-%d", time.Now().UnixNano())
	groups := make([]string, benchLagGroups)
	for i := range groups {
		groups[i] = fmt.Sprintf("%s-g%04d", topic, i)
	}
	setup := time.Now()
	if err := c.CreateTopic(ctx, TopicSpec{Name: topic, Partitions: benchLagPartitions, ReplicationFactor: 1}); err != nil {
		b.Fatal(err)
	}
	defer func() {
		cctx, ccancel := context.WithTimeout(context.Background(), time.Minute)
		defer ccancel()
		if _, err := c.adm.DeleteGroups(cctx, groups...); err != nil {
			b.Logf("delete bench groups: %v", err)
		}
		_ = c.DeleteTopic(cctx, topic)
	}()
	for p := range int32(benchLagPartitions) {
		for i := range 10 {
			if _, err := c.Produce(ctx, Record{Topic: topic, Partition: p, Value: fmt.Appendf(nil, "%d", i)}); err != nil {
				b.Fatal(err)
			}
		}
	}
	// Commit every group on every partition, 32 groups at a time.
	work := make(chan int)
	errs := make(chan error, benchLagGroups)
	var wg sync.WaitGroup
	for range 32 {
		wg.Go(func() {
			for i := range work {
				os := kadm.Offsets{}
				for p := range int32(benchLagPartitions) {
					os.Add(kadm.Offset{Topic: topic, Partition: p, At: int64(i % 11), LeaderEpoch: -1})
				}
				if err := c.adm.CommitAllOffsets(ctx, groups[i], os); err != nil {
					errs <- fmt.Errorf("commit %s: %w", groups[i], err)
				}
			}
		})
	}
	for i := range groups {
		work <- i
	}
	close(work)
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	b.Logf("setup: %d groups × %d partitions committed in %v", benchLagGroups, benchLagPartitions, time.Since(setup).Round(time.Millisecond))

	check := func(lags []GroupLag) {
		n := 0
		for _, gl := range lags {
			if strings.HasPrefix(gl.Group.ID, topic) {
				n++
				if len(gl.Partitions) != benchLagPartitions || gl.Err != "" {
					b.Fatalf("%s: %d partitions, err %q", gl.Group.ID, len(gl.Partitions), gl.Err)
				}
			}
		}
		if n != benchLagGroups {
			b.Fatalf("refresh saw %d of the %d groups", n, benchLagGroups)
		}
	}
	b.ResetTimer()
	var total, worst, evalTotal time.Duration
	runs := 0
	track := lag.NewTracker(lag.Rules{}, 0)
	for b.Loop() {
		start := time.Now()
		lags, err := c.Lag(ctx)
		d := time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		check(lags)
		// What the dashboard does with each refresh: sample and judge.
		estart := time.Now()
		track.Observe(start, lagGroups(lags), false)
		for _, gl := range lags {
			_ = track.Verdict(gl.Group.ID)
		}
		evalTotal += time.Since(estart)
		b.StartTimer()
		total += d
		worst = max(worst, d)
		runs++
	}
	b.StopTimer()
	// The reference: franz-go's own kadm.Lag over the same groups (classic
	// path only), timed the same number of times.
	var ref time.Duration
	for range max(1, runs) {
		start := time.Now()
		dl, err := c.adm.Lag(ctx, groups...)
		ref += time.Since(start)
		if err != nil || len(dl) != benchLagGroups {
			b.Fatalf("kadm.Lag: %d groups, %v", len(dl), err)
		}
	}
	mean := total / time.Duration(max(1, runs))
	b.ReportMetric(float64(mean.Milliseconds()), "ms/refresh")
	fmt.Printf("lag refresh of %d groups × %d partitions: mean %v, worst %v over %d runs (target < 1s); status evaluation %v per refresh; kadm.Lag of the same groups %v\n",
		benchLagGroups, benchLagPartitions, mean.Round(time.Millisecond), worst.Round(time.Millisecond), runs,
		(evalTotal / time.Duration(max(1, runs))).Round(time.Millisecond), (ref / time.Duration(max(1, runs))).Round(time.Millisecond))
}
