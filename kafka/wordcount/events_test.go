package wordcount

import (
	"errors"
	"io"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"kflow/internal/kafkatest"
	"kflow/kafka"
)

// wcEvents records an engine's events.
type wcEvents struct {
	mu  sync.Mutex
	evs []Event
}

func (r *wcEvents) add(e Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.evs = append(r.evs, e)
}

func (r *wcEvents) all() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Event(nil), r.evs...)
}

// has reports whether an event of kind whose line holds text came.
func (r *wcEvents) has(kind EventKind, text string) bool {
	for _, e := range r.all() {
		if e.Kind == kind && strings.Contains(e.String(), text) {
			return true
		}
	}
	return false
}

func (r *wcEvents) count(kind EventKind) int {
	n := 0
	for _, e := range r.all() {
		if e.Kind == kind {
			n++
		}
	}
	return n
}

// readCommittedCounts reads a count topic from its start to its end
// (read_committed, the last value of a word winning) and returns the
// counts.
func readCommittedCounts(t *testing.T, c *kafka.Client, topic string) map[string]int64 {
	t.Helper()
	ctx := kafkatest.Ctx(t)
	cs, err := c.Consume(ctx, kafka.TailOptions{Topic: topic, Start: kafka.Start{Kind: kafka.StartBeginning}, StopAtEnd: true, MaxBytes: -1})
	if err != nil {
		t.Fatalf("read %q: %v", topic, err)
	}
	defer cs.Close()
	got := map[string]int64{}
	for {
		recs, err := cs.Poll(ctx)
		if errors.Is(err, io.EOF) {
			return got
		}
		if err != nil {
			t.Fatalf("read %q: %v", topic, err)
		}
		for _, r := range recs {
			n, err := DecodeCount(r.Value)
			if err != nil {
				t.Fatalf("%q offset %d: %v", topic, r.Offset, err)
			}
			got[string(r.Key)] = n
		}
	}
}

// TestWordCountEvents: the engine tells what it does (topics created,
// partitions assigned, counts restored), sends its stats only when they
// changed, and ends with a stop event whose totals are what it committed:
// the lines the split group committed offsets for, and the words the
// output topic's committed counts add up to. It is stopped while input
// still comes, so the totals are not simply everything.
func TestWordCountEvents(t *testing.T) {
	kafkatest.EachBackend(t, func(t *testing.T, c *kafka.Client, b kafkatest.Backend) {
		opts := wcApp(t, c)
		opts.Partitions = 2
		var rec wcEvents
		opts.OnEvent = rec.add
		opts.StatsEvery = 20 * time.Millisecond
		ctx := kafkatest.Ctx(t)
		wc, err := Run(ctx, c, opts)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = wc.Close() }()
		for _, topic := range []string{opts.Input, opts.Output, opts.App + "-counts-repartition", opts.App + "-counts-changelog"} {
			if !rec.has(EventTopicCreated, "created topic "+topic+" (2 partitions)") {
				t.Errorf("no event for the creation of %s: %v", topic, rec.all())
			}
		}
		kafkatest.Eventually(t, 40*time.Second, "both stages to be assigned and the counts restored", func() bool {
			return rec.has(EventAssigned, "split stage: assigned "+opts.Input+" partitions 0,1") &&
				rec.has(EventAssigned, "count stage: assigned "+opts.App+"-counts-repartition partitions 0,1") &&
				rec.has(EventRestored, "count stage: restored the counts of partitions 0,1")
		})

		// Idle: the stats are looked at many times but sent once.
		checks := wc.statsChecks.Load()
		kafkatest.Eventually(t, 10*time.Second, "the stats to be looked at 10 more times", func() bool { return wc.statsChecks.Load() >= checks+10 })
		idle := rec.count(EventStats)
		checks = wc.statsChecks.Load()
		kafkatest.Eventually(t, 10*time.Second, "the stats to be looked at 10 more times", func() bool { return wc.statsChecks.Load() >= checks+10 })
		if n := rec.count(EventStats); n != idle {
			t.Errorf("idle engine: %d stats events, then %d more with nothing changed; want none more", idle, n-idle)
		}

		// Busy, then stopped mid-stream.
		lines := corpusLines(40000)
		var producing sync.WaitGroup
		var stopProducing atomic.Bool
		producing.Add(1)
		go func() {
			defer producing.Done()
			for i := 0; i < len(lines) && !stopProducing.Load(); i += 500 {
				_ = produceLines(ctx, c, opts.Input, lines[i:i+500], 0)
			}
		}()
		kafkatest.Eventually(t, 40*time.Second, "some lines counted", func() bool { return wc.Stats().Counted > 5000 })
		if err := wc.Close(); err != nil {
			t.Fatal(err)
		}
		stopProducing.Store(true)
		producing.Wait()

		evs := rec.all()
		last := evs[len(evs)-1]
		if last.Kind != EventStopped {
			t.Fatalf("last event %v, want the stop", last)
		}
		for i := 1; i < len(evs); i++ {
			if evs[i].Kind == EventStats {
				for j := i - 1; j >= 0; j-- {
					if evs[j].Kind == EventStats {
						if evs[j].String() == evs[i].String() {
							t.Errorf("stats event %d repeats event %d: %s", i, j, evs[i])
						}
						break
					}
				}
			}
		}
		final := last.Stats
		if final.LinesIn == 0 || final.Counted == 0 {
			t.Fatalf("final stats %+v: nothing committed", final)
		}
		// The split group's offsets are committed in its last transaction,
		// and the coordinator writes the commit markers after EndTxn
		// returns: until then an offset fetch still sees the offsets of
		// the transaction before (on a loaded machine: 1000 lines of 1500).
		// A transaction counted but never committed would not show here
		// and still fail.
		var committedLines int64
		kafkatest.Eventually(t, 20*time.Second, "the split group's committed offsets to reach the lines counted", func() bool {
			lags, err := c.Lag(ctx, opts.App+"-split")
			if err != nil || len(lags) == 0 {
				return false
			}
			committedLines = 0
			for _, p := range lags[0].Partitions {
				committedLines += max(0, p.Committed)
			}
			return committedLines >= final.LinesIn
		})
		// The output's commit markers likewise follow the count stage's
		// last EndTxn: a read_committed read right after the stop can end
		// at a last stable offset before them (it read 0 words once in CI).
		counts := readCommittedCounts(t, c, opts.Output)
		for deadline := time.Now().Add(20 * time.Second); totalWords(counts) < final.Counted && time.Now().Before(deadline); {
			time.Sleep(50 * time.Millisecond) // polling a condition: the markers land, or the check below fails with the totals
			counts = readCommittedCounts(t, c, opts.Output)
		}
		if final.LinesIn != committedLines || final.Counted != totalWords(counts) {
			t.Fatalf("final totals: %d lines, %d words, %d counted; committed: %d lines (split group offsets), %d words (output counts)",
				final.LinesIn, final.Words, final.Counted, committedLines, totalWords(counts))
		}
		if want := "stopped; committed: lines " + strconv.FormatInt(final.LinesIn, 10); !strings.HasPrefix(last.String(), want) {
			t.Errorf("stop line %q, want it to start %q", last, want)
		}
		t.Logf("%s: stopped at %d of %d lines: %s", b.Name, final.LinesIn, len(lines), last)
	})
}
