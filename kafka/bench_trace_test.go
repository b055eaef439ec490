package kafka

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// BenchmarkTraceScan traces one correlation id over KFLOW_BENCH_RECORDS
// records (1M by default) spread over 3 topics of 3 partitions on the
// real broker, and in the same run reads the same records with a raw
// franz-go consumer: the ratio raw-time/scan-time is the target
// (≥ 0.8). Run with bench/run.sh or:
//
//	go test ./kafka -run '^$' -bench BenchmarkTraceScan -benchtime 3x
func BenchmarkTraceScan(b *testing.B) {
	c, brokers, n := benchBroker(b, "KFLOW_BENCH_RECORDS", 1_000_000)
	ctx := context.Background()
	stamp := time.Now().UnixNano()
	topics := make([]string, 3)
	for i := range topics {
		topics[i] = fmt.Sprintf("bench-trace-%d-%d", stamp, i)
		if err := c.CreateTopic(ctx, TopicSpec{Name: topics[i], Partitions: 3, ReplicationFactor: 1}); err != nil {
			b.Fatal(err)
		}
		t := topics[i]
		b.Cleanup(func() { _ = c.DeleteTopic(context.Background(), t) })
	}
	st, err := c.ProduceStream(ctx, StreamOptions{Count: n}, func(i int) (Record, bool) {
		r := traceRecord(topics, i)
		r.Key = strconv.AppendInt(nil, int64(i), 10)
		return r, true
	})
	if err != nil || st.Acked != int64(n) {
		b.Fatalf("produce %d: %+v %v", n, st, err)
	}
	m := NewTraceMatcher("id-42", nil, nil, false)
	var raw, scan time.Duration
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		got, err := rawConsumeTopics(ctx, brokers, topics, n)
		if err != nil || got != n {
			b.Fatalf("raw read %d of %d: %v", got, n, err)
		}
		raw += time.Since(t0)
		t0 = time.Now()
		s, err := c.Scan(ctx, ScanOptions{Topics: topics, Match: m.Match})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.Wait(); err != nil {
			b.Fatal(err)
		}
		scan += time.Since(t0)
		if p := s.Progress(); p.Records != int64(n) {
			b.Fatalf("scan read %d of %d", p.Records, n)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/scan.Seconds(), "scan-records/s")
	b.ReportMetric(float64(n)*float64(b.N)/raw.Seconds(), "raw-records/s")
	b.ReportMetric(raw.Seconds()/scan.Seconds(), "scan/raw-speed")
}

// rawConsumeTopics is the reference: franz-go with default options
// reading topics from the start, counting records.
func rawConsumeTopics(ctx context.Context, brokers string, topics []string, want int) (int, error) {
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers), kgo.ConsumeTopics(topics...), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		return 0, err
	}
	defer cl.Close()
	got := 0
	for got < want {
		fs := cl.PollFetches(ctx)
		if err := fs.Err0(); err != nil {
			return got, err
		}
		got += fs.NumRecords()
	}
	return got, nil
}
