package wordcount

import (
	"errors"
	"io"
	"testing"
	"time"

	"kflow/internal/kafkatest"
	"kflow/kafka"
)

// TestWordCountCombinesBeforeShuffle: the split stage writes one partial
// count per distinct word and transaction to the repartition topic (value
// an 8-byte big-endian long), not one record per word, and the counting
// stage adds the partials up to the exact counts.
func TestWordCountCombinesBeforeShuffle(t *testing.T) {
	kafkatest.EachBackend(t, func(t *testing.T, c *kafka.Client, b kafkatest.Backend) {
		opts := wcApp(t, c)
		opts.Partitions = 3
		opts.tuning.keepRepartition = true // to read what the split stage wrote
		ctx := kafkatest.Ctx(t)
		if err := c.CreateTopic(ctx, kafka.TopicSpec{Name: opts.Input, Partitions: 3}); err != nil {
			t.Fatal(err)
		}
		lines := make([]string, 2000)
		for i := range lines {
			lines[i] = "to be or not to be"
		}
		want := map[string]int64{"to": 4000, "be": 4000, "or": 2000, "not": 2000}
		if err := produceLines(ctx, c, opts.Input, lines, 0); err != nil {
			t.Fatal(err)
		}
		wc, err := Run(ctx, c, opts)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = wc.Close() }()
		waitCounts(t, c, opts.Output, want, 60*time.Second)
		s := wc.Stats()
		if s.Words != 12000 || s.Counted != 12000 {
			t.Fatalf("stats: %d words split, %d counted, want 12000 each", s.Words, s.Counted)
		}

		// The repartition topic: every record a partial count, and
		// together exactly the words; at most one record per distinct word
		// and committed split transaction.
		repart := opts.App + "-counts-repartition"
		cs, err := c.Consume(ctx, kafka.TailOptions{Topic: repart, Start: kafka.Start{Kind: kafka.StartBeginning}, StopAtEnd: true, MaxBytes: -1})
		if err != nil {
			t.Fatalf("read %q: %v", repart, err)
		}
		defer cs.Close()
		sums := map[string]int64{}
		records := 0
		for {
			recs, err := cs.Poll(ctx)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("read %q: %v", repart, err)
			}
			for _, r := range recs {
				n, err := DecodeCount(r.Value)
				if err != nil {
					t.Fatalf("%q offset %d key %q: value is not a partial count: %v", repart, r.Offset, r.Key, err)
				}
				records++
				sums[string(r.Key)] += n
			}
		}
		assertCounts(t, "repartition partial counts", sums, want)
		if max := 4 * int(s.Committed); records > max || records > 12000/10 {
			t.Fatalf("%d repartition records for 12000 words of 4 distinct in %d transactions: not combined",
				records, s.Committed)
		}
		t.Logf("%s: %d repartition records for 12000 words, %d transactions", b.Name, records, s.Committed)
	})
}

// TestCombineBatch: a batch's lines become one partial count per distinct
// word, split exactly as SplitWords splits.
func TestCombineBatch(t *testing.T) {
	var cb combiner
	for _, l := range []string{"To be, or not to be", "", "BE quick \u212Aelvin café"} {
		cb.addLine([]byte(l))
	}
	if cb.lines != 3 || cb.total != 10 || cb.distinct() != 7 {
		t.Fatalf("lines %d, words %d, distinct %d; want 3, 10, 7", cb.lines, cb.total, cb.distinct())
	}
	got := map[string]int64{}
	cb.each(func(word string, n int64) { got[word] = n })
	assertCounts(t, "batch", got, map[string]int64{"to": 2, "be": 3, "or": 1, "not": 1, "quick": 1, "kelvin": 1, "caf": 1})
	cb.reset()
	if cb.lines != 0 || cb.total != 0 || cb.distinct() != 0 {
		t.Fatalf("after reset: %d lines, %d words, %d distinct", cb.lines, cb.total, cb.distinct())
	}
	cb.addLine([]byte("be"))
	got = map[string]int64{}
	cb.each(func(word string, n int64) { got[word] = n })
	assertCounts(t, "batch after reset", got, map[string]int64{"be": 1})
}

// TestDecodePartial: a partial count is an 8-byte positive long; a null
// value, an older engine's record, is one word; anything else is refused.
func TestDecodePartial(t *testing.T) {
	for _, tc := range []struct {
		in   []byte
		want int64
		ok   bool
	}{
		{nil, 1, true},
		{EncodeCount(7), 7, true},
		{EncodeCount(0), 0, false},
		{EncodeCount(-3), 0, false},
		{[]byte{}, 0, false},
		{[]byte("word"), 0, false},
	} {
		n, err := decodePartial(tc.in)
		if (err == nil) != tc.ok || n != tc.want {
			t.Errorf("decodePartial(%v) = %d, %v; want %d, ok %v", tc.in, n, err, tc.want, tc.ok)
		}
	}
}
