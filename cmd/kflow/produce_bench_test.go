package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"kflow/kafka"
	"kflow/template"
)

// benchCodecs are the codecs the produce benchmark compares, each with
// kcat -z set the same; none is kcat's default and kflow's.
var benchCodecs = []string{"none", "lz4", "zstd", "snappy", "gzip"}

// compactOrderTemplate is the order-placed template's value on one line
// (its indentation dropped), so that its expansions are lines kcat -K
// can read: the same records for both tools.
func compactOrderTemplate(tb testing.TB) (key, value string) {
	tb.Helper()
	tpl, err := template.Find("order-placed")
	if err != nil {
		tb.Fatal(err)
	}
	v := regexp.MustCompile(`\n *`).ReplaceAllString(tpl.Spec.Value, "")
	return *tpl.Spec.Key, strings.ReplaceAll(v, `": `, `":`)
}

// BenchmarkProduceCommand runs the kflow binary and kcat -P, interleaved
// in the same run, on the same topic layout (3 partitions) with the same
// records, acks=all and idempotence on both sides:
//
//   - repeat/CODEC: `kflow produce --count N -k KEY VALUE` with the
//     order-placed template on one line (placeholders expanded per record)
//     against kcat -P -K '|' reading N lines expanded from it;
//   - stdin/CODEC: `kflow produce -K '|'` and kcat -P -K '|' both reading
//     those N lines from a pipe.
//
// A third process is the floor: internal/kafkatest/rawproduce, a bare
// franz-go loop producing the same lines from a pipe with franz-go's
// defaults and the same codec. Each round runs the three (the order
// rotates), process start and connection included; it reports records/s
// of each, the ratios, the per-round spread and the load average.
// KFLOW_BENCH_BASELINE names an older kflow binary to run as a fourth
// way, for a before and after in the same rounds. Needs KFLOW_TEST_BROKERS and
// kcat; KFLOW_BENCH_PRODUCE_RECORDS sets N (default 200,000).
func BenchmarkProduceCommand(b *testing.B) {
	brokers := os.Getenv("KFLOW_TEST_BROKERS")
	if brokers == "" {
		b.Skip("KFLOW_TEST_BROKERS not set: bench/run.sh starts a real Kafka")
	}
	kcat, err := exec.LookPath("kcat")
	if err != nil {
		b.Skip("needs kcat")
	}
	n := 200000
	if s := os.Getenv("KFLOW_BENCH_PRODUCE_RECORDS"); s != "" {
		if n, err = strconv.Atoi(s); err != nil || n <= 0 {
			b.Fatalf("KFLOW_BENCH_PRODUCE_RECORDS=%q: want a positive count", s)
		}
	}
	bin := kflowBinary(b)
	raw := filepath.Join(b.TempDir(), "rawproduce")
	if out, err := exec.Command("go", "build", "-o", raw, "../../internal/kafkatest/rawproduce").CombinedOutput(); err != nil {
		b.Fatalf("build rawproduce: %v\n%s", err, out)
	}
	ctx := context.Background()
	c, err := kafka.Connect(ctx, kafka.ConnConfig{Brokers: strings.Split(brokers, ","), Timeout: 30 * time.Second})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()

	key, value := compactOrderTemplate(b)
	rt, err := template.CompileRecord(template.RecordSpec{Partition: -1, Key: &key, Value: value})
	if err != nil {
		b.Fatal(err)
	}
	var lines bytes.Buffer
	now := time.Now()
	for i := range n {
		r := kafka.TemplateRecord(rt, int64(i+1), now, nil)
		lines.Write(r.Key)
		lines.WriteByte('|')
		lines.Write(r.Value)
		lines.WriteByte('\n')
	}
	avg := (lines.Len() - 2*n) / n // key and value bytes per record

	for _, mode := range []string{"repeat", "stdin"} {
		for _, codec := range benchCodecs {
			b.Run(mode+"/"+codec, func(b *testing.B) {
				topic := fmt.Sprintf("kflow-bench-produce-cmd-%s-%s-%d", mode, codec, time.Now().UnixNano())
				if err := c.CreateTopic(ctx, kafka.TopicSpec{Name: topic, Partitions: 3, ReplicationFactor: 1}); err != nil {
					b.Fatal(err)
				}
				defer func() { _ = c.DeleteTopic(context.Background(), topic) }()
				kflowArgs := []string{"produce", "-b", brokers, "-t", topic, "--compression", codec}
				if mode == "repeat" {
					kflowArgs = append(kflowArgs, "--count", strconv.Itoa(n), "-k", key, value)
				} else {
					kflowArgs = append(kflowArgs, "-K", "|")
				}
				kcatArgs := []string{"-P", "-b", brokers, "-t", topic, "-K", "|", "-z", codec,
					"-X", "enable.idempotence=true", "-X", "acks=all"}
				// The three ways, each a process: kflow, kcat -P and the bare
				// franz-go loop (same lines from a pipe, same codec).
				ways := []struct {
					name, path string
					args       []string
					stdin      []byte
					total, cpu time.Duration
					lo, hi     float64 // the rounds' slowest and fastest rec/s
				}{
					{name: "kflow", path: bin, args: kflowArgs},
					{name: "kcat", path: kcat, args: kcatArgs, stdin: lines.Bytes()},
					{name: "raw", path: raw, args: []string{brokers, topic, codec}, stdin: lines.Bytes()},
				}
				if base := os.Getenv("KFLOW_BENCH_BASELINE"); base != "" {
					// An older kflow binary in the same rounds: before and after.
					ways = append(ways, ways[0])
					ways[3].name, ways[3].path = "baseline", base
				}
				if mode == "stdin" {
					ways[0].stdin = lines.Bytes()
					if len(ways) > 3 {
						ways[3].stdin = lines.Bytes()
					}
				}
				rate := func(d time.Duration) float64 { return float64(n) / d.Seconds() }
				load0, _ := os.ReadFile("/proc/loadavg")
				for i := range b.N {
					took := make([]time.Duration, len(ways))
					for j := range ways { // the order rotates each round
						w := &ways[(i+j)%len(ways)]
						cmd := exec.Command(w.path, w.args...)
						if w.stdin != nil {
							cmd.Stdin = bytes.NewReader(w.stdin) // a pipe, not a file
						}
						var out bytes.Buffer
						cmd.Stdout, cmd.Stderr = &out, &out
						start := time.Now()
						if err := cmd.Run(); err != nil {
							b.Fatalf("%s %s: %v\n%s", w.path, strings.Join(w.args, " "), err, out.Bytes())
						}
						d := time.Since(start)
						took[(i+j)%len(ways)] = d
						w.total += d
						w.cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
						if i == 0 || rate(d) < w.lo {
							w.lo = rate(d)
						}
						w.hi = max(w.hi, rate(d))
					}
					b.Logf("round %d: kflow %.0f rec/s, kcat %.0f rec/s, raw franz-go %.0f rec/s; kflow/kcat %.2f, kflow/raw %.2f",
						i+1, rate(took[0]), rate(took[1]), rate(took[2]), took[1].Seconds()/took[0].Seconds(), took[2].Seconds()/took[0].Seconds())
					if len(ways) > 3 {
						b.Logf("round %d: baseline %.0f rec/s, kflow/baseline %.2f", i+1, rate(took[3]), took[3].Seconds()/took[0].Seconds())
					}
				}
				load1, _ := os.ReadFile("/proc/loadavg")
				end, err := c.EndOffsets(ctx, topic)
				if err != nil {
					b.Fatal(err)
				}
				total := end.Total()
				if want := int64(len(ways) * n * b.N); total != want {
					b.Fatalf("topic holds %d records, want %d", total, want)
				}
				recs := float64(n * b.N)
				kf, kc, rw := recs/ways[0].total.Seconds(), recs/ways[1].total.Seconds(), recs/ways[2].total.Seconds()
				cpu := func(i int) float64 { return float64(ways[i].cpu.Microseconds()) / recs }
				b.ReportMetric(kf, "kflow-rec/s")
				b.ReportMetric(kc, "kcat-rec/s")
				b.ReportMetric(rw, "raw-rec/s")
				b.ReportMetric(kf/kc, "kflow/kcat")
				b.ReportMetric(kf/rw, "kflow/raw")
				b.ReportMetric(cpu(0), "kflow-cpu-µs/rec")
				b.ReportMetric(cpu(1), "kcat-cpu-µs/rec")
				b.ReportMetric(cpu(2), "raw-cpu-µs/rec")
				b.Logf("%s %s: %d records of %d bytes, %d rounds: kflow %.0f rec/s (%.0f–%.0f), kcat -P %.0f rec/s (%.0f–%.0f), raw franz-go %.0f rec/s (%.0f–%.0f); kflow/kcat %.2f, kflow/raw %.2f, raw/kcat %.2f; CPU per record kflow %.2f µs, kcat %.2f µs, raw %.2f µs; load %s → %s",
					mode, codec, n, avg, b.N, kf, ways[0].lo, ways[0].hi, kc, ways[1].lo, ways[1].hi, rw, ways[2].lo, ways[2].hi,
					kf/kc, kf/rw, rw/kc, cpu(0), cpu(1), cpu(2),
					strings.Join(strings.Fields(string(load0))[:3], " "), strings.Join(strings.Fields(string(load1))[:3], " "))
				if len(ways) > 3 {
					bl := recs / ways[3].total.Seconds()
					b.ReportMetric(bl, "baseline-rec/s")
					b.ReportMetric(kf/bl, "kflow/baseline")
					b.Logf("%s %s: baseline %.0f rec/s (%.0f–%.0f), kflow/baseline %.2f; CPU per record baseline %.2f µs",
						mode, codec, bl, ways[3].lo, ways[3].hi, kf/bl, cpu(3))
				}
			})
		}
	}
}
