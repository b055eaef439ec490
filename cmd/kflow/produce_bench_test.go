package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
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
// Each round runs both (the order alternates), process start and
// connection included; it reports records/s of each, their ratio, the
// per-round spread and the load average. Needs KFLOW_TEST_BROKERS and
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
				var kfCPU, kcCPU time.Duration // user + system time of each process
				timed := func(path string, args []string, stdin []byte) time.Duration {
					cmd := exec.Command(path, args...)
					if stdin != nil {
						cmd.Stdin = bytes.NewReader(stdin) // a pipe, not a file
					}
					var out bytes.Buffer
					cmd.Stdout, cmd.Stderr = &out, &out
					start := time.Now()
					if err := cmd.Run(); err != nil {
						b.Fatalf("%s %s: %v\n%s", path, strings.Join(args, " "), err, out.Bytes())
					}
					d := time.Since(start)
					cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
					if path == kcat {
						kcCPU += cpu
					} else {
						kfCPU += cpu
					}
					return d
				}
				load0, _ := os.ReadFile("/proc/loadavg")
				var kfT, kcT time.Duration
				var kfMin, kfMax, kcMin, kcMax float64
				rate := func(d time.Duration) float64 { return float64(n) / d.Seconds() }
				for i := range b.N {
					var kf, kc time.Duration
					kflowIn := []byte(nil)
					if mode == "stdin" {
						kflowIn = lines.Bytes()
					}
					if i%2 == 0 {
						kf = timed(bin, kflowArgs, kflowIn)
						kc = timed(kcat, kcatArgs, lines.Bytes())
					} else {
						kc = timed(kcat, kcatArgs, lines.Bytes())
						kf = timed(bin, kflowArgs, kflowIn)
					}
					kfT += kf
					kcT += kc
					if i == 0 || rate(kf) < kfMin {
						kfMin = rate(kf)
					}
					kfMax = max(kfMax, rate(kf))
					if i == 0 || rate(kc) < kcMin {
						kcMin = rate(kc)
					}
					kcMax = max(kcMax, rate(kc))
					b.Logf("round %d: kflow %.0f rec/s, kcat %.0f rec/s, ratio %.2f", i+1, rate(kf), rate(kc), kc.Seconds()/kf.Seconds())
				}
				load1, _ := os.ReadFile("/proc/loadavg")
				end, err := c.EndOffsets(ctx, topic)
				if err != nil {
					b.Fatal(err)
				}
				total := end.Total()
				if total != int64(2*n*b.N) {
					b.Fatalf("topic holds %d records, want %d", total, 2*n*b.N)
				}
				kf := float64(n*b.N) / kfT.Seconds()
				kc := float64(n*b.N) / kcT.Seconds()
				b.ReportMetric(kf, "kflow-rec/s")
				b.ReportMetric(kc, "kcat-rec/s")
				b.ReportMetric(kf/kc, "kflow/kcat")
				b.ReportMetric(float64(kfCPU.Microseconds())/float64(n*b.N), "kflow-cpu-µs/rec")
				b.ReportMetric(float64(kcCPU.Microseconds())/float64(n*b.N), "kcat-cpu-µs/rec")
				b.Logf("%s %s: %d records of %d bytes, %d rounds: kflow %.0f rec/s (%.0f–%.0f), kcat -P %.0f rec/s (%.0f–%.0f), ratio %.2f; CPU per record kflow %.2f µs, kcat %.2f µs; load %s → %s",
					mode, codec, n, avg, b.N, kf, kfMin, kfMax, kc, kcMin, kcMax, kf/kc,
					float64(kfCPU.Microseconds())/float64(n*b.N), float64(kcCPU.Microseconds())/float64(n*b.N),
					strings.Join(strings.Fields(string(load0))[:3], " "), strings.Join(strings.Fields(string(load1))[:3], " "))
			})
		}
	}
}
