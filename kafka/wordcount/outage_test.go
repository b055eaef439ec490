package wordcount

import (
	"context"
	"testing"
	"time"

	"kflow/internal/brokertest"
	"kflow/internal/kafkatest"
)

// TestWordCountBrokerOutage stops a private real broker under a running
// word count and starts it again, then hangs and resumes it: the engine
// must say soon that the broker is unreachable and since when, say when
// it is back, and go on counting exactly. (kfake cannot be stopped and restarted on its data,
// so this runs on a real broker only.)
func TestWordCountBrokerOutage(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: starts and restarts a private Kafka broker")
	}
	br := brokertest.Start(t)
	b := kafkatest.Backend{Name: "private kafka", Brokers: []string{br.Addr()}, Real: true}
	c := kafkatest.Connect(t, b)
	opts := wcApp(t, c)
	opts.Partitions = 2
	var rec wcEvents
	opts.OnEvent = rec.add
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	wc, err := Run(ctx, c, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = wc.Close() }()
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("engine error: %v; stats: %+v", wc.Err(), wc.Stats())
			for _, e := range rec.all() {
				t.Log(e.At.Format("15:04:05.000"), e)
			}
		}
	})
	lines := corpusLines(4000)
	if err := produceLines(ctx, c, opts.Input, lines[:2000], 0); err != nil {
		t.Fatal(err)
	}
	waitCounts(t, c, opts.Output, oracleCounts(lines[:2000]), 60*time.Second)

	br.Stop(t)
	stopped := time.Now()
	kafkatest.Eventually(t, 15*time.Second, "the engine to say the broker is unreachable", func() bool {
		return rec.has(EventUnreachable, "broker "+br.Addr()+" unreachable since ")
	})
	t.Logf("unreachable said %v after the stop", time.Since(stopped).Round(time.Millisecond))
	if rec.has(EventReachable, br.Addr()) {
		t.Fatalf("recovery said while the broker is down: %v", rec.all())
	}

	br.Restart(t)
	restarted := time.Now()
	kafkatest.Eventually(t, 60*time.Second, "the engine to say the broker is back", func() bool {
		return rec.has(EventReachable, "broker "+br.Addr()+" reachable again, after ")
	})
	t.Logf("recovery said %v after the restart", time.Since(restarted).Round(time.Millisecond))
	if err := wc.Err(); err != nil {
		t.Fatalf("engine stopped during the outage: %v", err)
	}
	// A hung broker (SIGSTOP) accepts connections but answers nothing:
	// the engine says so once its connection attempts time out.
	// Counted from here: a slow restart (a loaded machine) repeats the
	// first outage's unreachable event, which must not pass for the hang's.
	unreachable, reachable := rec.count(EventUnreachable), rec.count(EventReachable)
	br.Hang(t)
	hung := time.Now()
	kafkatest.Eventually(t, 90*time.Second, "the engine to say the hung broker is unreachable", func() bool {
		return rec.count(EventUnreachable) > unreachable
	})
	t.Logf("hang: unreachable said %v after SIGSTOP", time.Since(hung).Round(time.Millisecond))
	br.Resume(t)
	kafkatest.Eventually(t, 60*time.Second, "the engine to say the resumed broker is back", func() bool {
		return rec.count(EventReachable) > reachable
	})
	// And it counts on, exactly.
	if err := produceLines(ctx, c, opts.Input, lines[2000:], 0); err != nil {
		t.Fatal(err)
	}
	if err := wc.Err(); err != nil {
		t.Fatalf("engine stopped after the hang: %v", err)
	}
	// After a hang the groups rejoin and open transactions wait out their
	// timeout: on a loaded CI machine that takes a while.
	waitCounts(t, c, opts.Output, oracleCounts(lines), 150*time.Second)
	for _, e := range rec.all() {
		if e.Kind == EventUnreachable || e.Kind == EventReachable {
			t.Log(e.At.Format("15:04:05.000"), e)
		}
	}
}
