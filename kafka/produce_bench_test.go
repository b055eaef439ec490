package kafka

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"testing"
	"time"

	"kflow/template"
)

// BenchmarkProduceRepeatRun measures a repeat run of the produce form
// (ProduceStream, idempotent, no rate cap) against `kcat -P` producing
// the same records (the order-placed template expanded, key|value lines)
// to the same topic in the same run, with idempotence on both sides, and
// reports records/s of each and kflow's ratio to kcat.
//
// It needs the real broker (KFLOW_TEST_BROKERS) and kcat. Records per way
// come from KFLOW_BENCH_PRODUCE_RECORDS (default 200,000).
func BenchmarkProduceRepeatRun(b *testing.B) {
	c, brokers, n := benchBroker(b, "KFLOW_BENCH_PRODUCE_RECORDS", 200000)
	kcatPath, err := exec.LookPath("kcat")
	if err != nil {
		b.Skip("needs kcat")
	}
	ctx := context.Background()
	topic := fmt.Sprintf("kflow-bench-produce-%d", time.Now().UnixNano())
	if err := c.CreateTopic(ctx, TopicSpec{Name: topic, Partitions: 3, ReplicationFactor: 1}); err != nil {
		b.Fatal(err)
	}
	defer func() { _ = c.DeleteTopic(context.Background(), topic) }()

	// The same records for both: the order template, expanded once and
	// compacted to one line so kcat can read it as key|value.
	tpl, _ := template.Find("order-placed")
	tpl.Spec.Topic = topic
	rt, err := template.CompileRecord(tpl.Spec)
	if err != nil {
		b.Fatal(err)
	}
	recs := make([]Record, n)
	var lines bytes.Buffer
	now := time.Now()
	var size int64
	for i := range recs {
		r := TemplateRecord(rt, int64(i+1), now, nil)
		var v bytes.Buffer
		if err := json.Compact(&v, r.Value); err != nil {
			b.Fatal(err)
		}
		r.Value, r.Headers = v.Bytes(), nil
		recs[i] = r
		size += int64(len(r.Key) + len(r.Value))
		lines.Write(r.Key)
		lines.WriteByte('|')
		lines.Write(r.Value)
		lines.WriteByte('\n')
	}
	var kflowTime, kcatTime time.Duration
	for range b.N {
		start := time.Now()
		st, err := c.ProduceStream(ctx, StreamOptions{Count: n}, func(i int) (Record, bool) { return recs[i], true })
		if err != nil || st.Acked != int64(n) {
			b.Fatalf("kflow: %+v, %v", st, err)
		}
		kflowTime += time.Since(start)

		cmd := exec.Command(kcatPath, "-P", "-b", brokers, "-t", topic, "-K", "|",
			"-X", "enable.idempotence=true", "-X", "acks=all")
		cmd.Stdin = bytes.NewReader(lines.Bytes())
		start = time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("kcat -P: %v\n%s", err, out)
		}
		kcatTime += time.Since(start)
	}
	end, err := c.EndOffsets(ctx, topic)
	if err != nil {
		b.Fatal(err)
	}
	total := end.Total()
	if total != int64(2*n*b.N) {
		b.Fatalf("topic holds %d records, want %d", total, 2*n*b.N)
	}
	kf := float64(n*b.N) / kflowTime.Seconds()
	kc := float64(n*b.N) / kcatTime.Seconds()
	b.ReportMetric(kf, "kflow-rec/s")
	b.ReportMetric(kc, "kcat-rec/s")
	b.ReportMetric(kf/kc, "kflow/kcat")
	b.Logf("%d records of %d bytes on average: kflow %.0f rec/s, kcat -P %.0f rec/s, ratio %.2f",
		n, size/int64(n), kf, kc, kf/kc)
}
