package kafka

import (
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"
)

// traceCount is how many records TestTraceFindsEveryCarrier spreads over
// its 3 topics: the 1M by default (about 3 s a backend here);
// KFLOW_TRACE_RECORDS changes it.
func traceCount(t *testing.T) int {
	n := 1_000_000
	if s := os.Getenv("KFLOW_TRACE_RECORDS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n <= 0 {
			t.Fatalf("KFLOW_TRACE_RECORDS=%q: want a positive count", s)
		}
	}
	return n
}

// traceRecord is record i of the trace fixture: ids "id-0".."id-996" in a
// header (two spellings), in a JSON field at depth, or only in a field
// that is not a trace field (a decoy that must not match).
func traceRecord(topics []string, i int) Record {
	id := "id-" + strconv.Itoa(i%997)
	r := Record{Topic: topics[i%3], Partition: -1, Key: []byte("k" + strconv.Itoa(i))}
	switch (i / 3) % 4 {
	case 0:
		r.Headers = []Header{{Key: "correlation_id", Value: []byte(id)}}
		r.Value = []byte(`{"n":` + strconv.Itoa(i) + `}`)
	case 1:
		r.Headers = []Header{{Key: "Correlation-Id", Value: []byte(id)}}
		r.Value = []byte(`{"n":` + strconv.Itoa(i) + `,"note":"` + id + `"}`)
	case 2:
		r.Value = []byte(`{"n":` + strconv.Itoa(i) + `,"order":{"items":[{"meta":{"correlationId":"` + id + `"}}]}}`)
	case 3:
		r.Value = []byte(`{"n":` + strconv.Itoa(i) + `,"note":"` + id + `"}`) // decoy
	}
	return r
}

func TestTraceFindsEveryCarrier(t *testing.T) {
	eachBackend(t, func(t *testing.T, c *Client, b backend) {
		n := traceCount(t)
		topics := []string{uniqueTopic(t), uniqueTopic(t), uniqueTopic(t)}
		for _, tp := range topics {
			mustCreate(t, c, tp, 3, nil)
		}
		ctx := testCtx(t)
		st, err := c.ProduceStream(ctx, StreamOptions{Count: n}, func(i int) (Record, bool) { return traceRecord(topics, i), true })
		if err != nil || st.Acked != int64(n) {
			t.Fatalf("produce %d: %+v %v", n, st, err)
		}
		want := map[string]bool{}
		for i := 0; i < n; i++ {
			if i%997 == 42 && (i/3)%4 != 3 {
				want[fmt.Sprintf("k%d", i)] = true
			}
		}
		m := NewTraceMatcher("id-42", nil, nil, false)
		s, err := c.Scan(ctx, ScanOptions{Topics: topics, Match: m.Match})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Wait()
		if err != nil {
			t.Fatal(err)
		}
		p := s.Progress()
		if p.Records != int64(n) || !p.Done || p.Fraction() != 1 || p.Matches != int64(len(want)) {
			t.Errorf("progress %+v, want %d records and %d matches", p, n, len(want))
		}
		if len(got) != len(want) {
			t.Errorf("%d matches, want %d", len(got), len(want))
		}
		for i, r := range got {
			if !want[string(r.Key)] {
				t.Errorf("match %s (%s) does not carry id-42", r.Key, r.Value)
			}
			if i > 0 && r.Timestamp.Before(got[i-1].Timestamp) {
				t.Errorf("matches out of time order at %d", i)
			}
		}
	})
}

func TestTraceKeyReadsOnePartition(t *testing.T) {
	eachBackend(t, func(t *testing.T, c *Client, b backend) {
		topic := uniqueTopic(t)
		mustCreate(t, c, topic, 6, nil)
		ctx := testCtx(t)
		_, err := c.ProduceStream(ctx, StreamOptions{Count: 600}, func(i int) (Record, bool) {
			return Record{Topic: topic, Partition: -1, Key: []byte("order-" + strconv.Itoa(i%20)), Value: []byte("v")}, true
		})
		if err != nil {
			t.Fatal(err)
		}
		parts, err := c.KeyPartitions(ctx, []string{topic}, []byte("order-7"))
		if err != nil {
			t.Fatal(err)
		}
		m := NewTraceMatcher("order-7", nil, nil, true)
		s, err := c.Scan(ctx, ScanOptions{Topics: []string{topic}, Partitions: parts, Match: m.Match})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Wait()
		if err != nil {
			t.Fatal(err)
		}
		p := s.Progress()
		if p.Partitions != 1 || len(got) != 30 || p.Records >= 600 {
			t.Errorf("key trace: %d matches over %d partitions reading %d records; want 30, 1, under 600", len(got), p.Partitions, p.Records)
		}
		for _, r := range got {
			if string(r.Key) != "order-7" || r.Partition != parts[topic][0] {
				t.Errorf("match %s on partition %d", r.Key, r.Partition)
			}
		}
	})
}

func TestTraceHeadersTraceparentAndWindow(t *testing.T) {
	eachBackend(t, func(t *testing.T, c *Client, b backend) {
		topic := uniqueTopic(t)
		mustCreate(t, c, topic, 2, nil)
		ctx := testCtx(t)
		tid := "4bf92f3577b34da6a3ce929d0e0e4736"
		now := time.Now()
		recs := []Record{
			{Key: []byte("old"), Timestamp: now.Add(-3 * time.Hour), Headers: []Header{{Key: "correlation_id", Value: []byte(tid)}}},
			{Key: []byte("tp"), Timestamp: now, Headers: []Header{{Key: "traceparent", Value: []byte("00-" + tid + "-00f067aa0ba902b7-01")}}},
			{Key: []byte("deep"), Timestamp: now, Value: []byte(`[{"x":{"trace_id":"` + tid + `"}}]`)},
			{Key: []byte("other"), Timestamp: now, Headers: []Header{{Key: "x-note", Value: []byte(tid)}}},
		}
		for _, r := range recs {
			r.Topic, r.Partition = topic, -1
			if _, err := c.Produce(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		m := NewTraceMatcher(tid, nil, nil, false)
		s, err := c.Scan(ctx, ScanOptions{Topics: []string{topic}, From: now.Add(-time.Hour), Match: m.Match})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Wait()
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, r := range got {
			keys = append(keys, string(r.Key))
		}
		if len(keys) != 2 || !(keys[0] == "tp" || keys[1] == "tp") || !(keys[0] == "deep" || keys[1] == "deep") {
			t.Errorf("window trace found %q, want tp and deep (not old, not other)", keys)
		}
	})
}

func TestScanStopsWithinAPoll(t *testing.T) {
	eachBackend(t, func(t *testing.T, c *Client, b backend) {
		topic := uniqueTopic(t)
		mustCreate(t, c, topic, 1, nil)
		ctx := testCtx(t)
		if _, err := c.ProduceStream(ctx, StreamOptions{Count: 20000}, func(i int) (Record, bool) {
			return Record{Topic: topic, Partition: 0, Value: []byte("value " + strconv.Itoa(i))}, true
		}); err != nil {
			t.Fatal(err)
		}
		block := make(chan struct{})
		seen := 0
		s, err := c.Scan(ctx, ScanOptions{Topics: []string{topic}, Match: func(*Record) bool {
			seen++
			if seen == 10 {
				close(block)
			}
			if seen >= 10 {
				time.Sleep(time.Millisecond) // a slow scan, so Stop comes mid-range
			}
			return true
		}})
		if err != nil {
			t.Fatal(err)
		}
		<-block
		s.Stop()
		start := time.Now()
		select {
		case <-s.Done():
		case <-time.After(5 * time.Second):
			t.Fatal("scan did not end 5s after Stop")
		}
		if _, err := s.Wait(); err != nil {
			t.Errorf("a stopped scan is no failure: %v", err)
		}
		if p := s.Progress(); p.Records >= 20000 || !p.Done {
			t.Errorf("stopped scan read %+v, want done short of 20000 (stop took %v)", p, time.Since(start))
		}
	})
}

func TestConsumersOfMatches(t *testing.T) {
	eachBackend(t, func(t *testing.T, c *Client, b backend) {
		topic := uniqueTopic(t)
		mustCreate(t, c, topic, 1, nil)
		ctx := testCtx(t)
		for i := range 10 {
			if _, err := c.Produce(ctx, Record{Topic: topic, Partition: 0, Headers: []Header{{Key: "correlation_id", Value: []byte("c-" + strconv.Itoa(i%2))}}}); err != nil {
				t.Fatal(err)
			}
		}
		ahead, behind := "g-ahead-"+topic, "g-behind-"+topic
		commit(t, c, ahead, topic, map[int32]int64{0: 10})
		commit(t, c, behind, topic, map[int32]int64{0: 5}) // past offsets 0..4
		s, err := c.Scan(ctx, ScanOptions{Topics: []string{topic}, Match: NewTraceMatcher("c-1", nil, nil, false).Match})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Wait()
		if err != nil || len(got) != 5 {
			t.Fatalf("%d matches, %v", len(got), err)
		}
		cons, err := c.Consumers(ctx, got)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range got {
			cs := cons[i]
			wantBehind := r.Offset < 5
			if !slicesHas(cs.ConsumedBy, ahead) || slicesHas(cs.ConsumedBy, behind) != wantBehind || slicesHas(cs.NotConsumedBy, behind) == wantBehind {
				t.Errorf("offset %d: consumed by %v, not by %v", r.Offset, cs.ConsumedBy, cs.NotConsumedBy)
			}
		}
	})
}

func slicesHas(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
