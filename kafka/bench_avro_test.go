package kafka

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"kflow/kafka/schema"
)

// benchAvsc is the benchmarks' one Avro schema: an order event whose records encode to about
// 200 bytes (benchAvroValue), with a uuid, a timestamp-millis, a decimal, an enum, an array of
// records and a union, so decoding does every kind of work.
const benchAvsc = `{"type":"record","name":"OrderPlaced","namespace":"kflow.bench","doc":"@RUN@","fields":[
  {"name":"order_id","type":{"type":"string","logicalType":"uuid"}},
  {"name":"customer_id","type":"string"},
  {"name":"placed_at","type":{"type":"long","logicalType":"timestamp-millis"}},
  {"name":"status","type":{"type":"enum","name":"Status","symbols":["PLACED","PAID","SHIPPED"]}},
  {"name":"total","type":{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}},
  {"name":"currency","type":"string"},
  {"name":"items","type":{"type":"array","items":{"type":"record","name":"Item","fields":[
    {"name":"sku","type":"string"},{"name":"qty","type":"int"},{"name":"price","type":"double"}]}}},
  {"name":"note","type":["null","string"],"default":null},
  {"name":"channel","type":"string"}]}`

// benchAvroValue is the i-th record's JSON (varied, so no two neighbours are the same bytes).
func benchAvroValue(i int) string {
	note := "null"
	if i%5 != 0 {
		note = fmt.Sprintf("%q", "please leave the parcel with the neighbours at number "+strconv.Itoa(i%97)+", and ring twice")
	}
	return fmt.Sprintf(`{"order_id":"%08x-4b1d-4c1f-9d43-%012x","customer_id":"customer-%06d","placed_at":"2026-12-01T10:%02d:%02d.%03dZ",`+
		`"status":"%s","total":"%d.%02d","currency":"EUR","items":[{"sku":"sku-%05d","qty":%d,"price":%d.5},{"sku":"sku-%05d","qty":1,"price":0.99}],`+
		`"note":%s,"channel":"web-checkout"}`,
		i, i*7919, i%100000, i/60%60, i%60, i%1000,
		[]string{"PLACED", "PAID", "SHIPPED"}[i%3], 10+i%5000, i%100, i%50000, 1+i%4, i%300, (i+17)%50000, note)
}

// benchRegistry is the registry's Confluent API from KFLOW_TEST_REGISTRY (scripts/test.sh and
// bench/run.sh start one), or the benchmark skips (fails under CI).
func benchRegistry(b *testing.B) string {
	b.Helper()
	u := os.Getenv("KFLOW_TEST_REGISTRY")
	if u == "" {
		if os.Getenv("CI") == "true" {
			b.Fatal("CI=true but KFLOW_TEST_REGISTRY is not set: run with bench/run.sh")
		}
		b.Skip("KFLOW_TEST_REGISTRY not set: bench/run.sh starts a Schema Registry")
	}
	return strings.TrimRight(u, "/")
}

// benchAvroTopic registers benchAvsc under a subject of its own and fills a topic of 3
// partitions with n records in the wire format (values only, no keys), deleted when the
// benchmark ends. It returns the topic and the mean value size.
func benchAvroTopic(b *testing.B, c *Client, registry, prefix string, n int) (topic string, meanSize float64) {
	b.Helper()
	ctx := context.Background()
	reg, err := schema.New(schema.Config{URL: registry})
	if err != nil {
		b.Fatal(err)
	}
	subject := fmt.Sprintf("%s-%d-value", prefix, time.Now().UnixNano())
	// The subject in the text keeps Apicurio from sharing a content id with earlier runs.
	if _, err := reg.Register(ctx, subject, strings.ReplaceAll(benchAvsc, "@RUN@", subject), schema.Avro, nil); err != nil {
		b.Fatal(err)
	}
	enc, err := reg.Encoder(ctx, subject, -1)
	if err != nil {
		b.Fatal(err)
	}
	// 1,000 distinct records, sent round robin: encoding a million in the setup adds nothing.
	values := make([][]byte, 1000)
	total := 0
	for i := range values {
		if values[i], err = enc.Encode([]byte(benchAvroValue(i))); err != nil {
			b.Fatalf("encode %s: %v", benchAvroValue(i), err)
		}
		total += len(values[i])
	}
	topic = fmt.Sprintf("%s-%d", prefix, time.Now().UnixNano())
	if err := c.CreateTopic(ctx, TopicSpec{Name: topic, Partitions: 3, ReplicationFactor: 1}); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = c.DeleteTopic(context.Background(), topic) })
	st, err := c.ProduceStream(ctx, StreamOptions{Count: n}, func(i int) (Record, bool) {
		return Record{Topic: topic, Partition: int32(i % 3), Value: values[i%len(values)]}, true
	})
	if err != nil || st.Acked != int64(n) {
		b.Fatalf("produce %d records: %+v, %v", n, st, err)
	}
	return topic, float64(total) / float64(len(values))
}

// BenchmarkTailAvroJSON is the headless decode figure: `kflow tail --exit --json` of n
// Avro records (about 200 bytes, one schema, 3 partitions) into a pipe, against a Java consumer
// loop decoding the same records with Apicurio's AvroKafkaDeserializer and writing the same JSON
// lines (testdata/interop/serde, `consume --envelope`) into a pipe, same broker, same registry,
// same run. Each b.Loop round runs both, so -benchtime 3x interleaves three pairs; it prints
// every round and the min and median of each side. Both are timed as a user runs them, process
// start included; the Java loop's own time (without the JVM's start and client setup) is
// reported too.
//
// It needs KFLOW_TEST_BROKERS, KFLOW_TEST_REGISTRY, java and KFLOW_INTEROP_SERDE_JAR
// (scripts/interop/build.sh); records from KFLOW_BENCH_AVRO_RECORDS (default 1,000,000).
func BenchmarkTailAvroJSON(b *testing.B) {
	c, brokers, n := benchBroker(b, "KFLOW_BENCH_AVRO_RECORDS", 1000000)
	registry := benchRegistry(b)
	java, err := exec.LookPath("java")
	if err != nil {
		b.Skip("needs java")
	}
	jar := os.Getenv("KFLOW_INTEROP_SERDE_JAR")
	if jar == "" {
		b.Skip("KFLOW_INTEROP_SERDE_JAR not set: KFLOW_INTEROP_SERDE_JAR=$(bash scripts/interop/build.sh)")
	}
	topic, size := benchAvroTopic(b, c, registry, "kflow-bench-avro", n)
	bin := filepath.Join(b.TempDir(), "kflow")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/kflow").CombinedOutput(); err != nil {
		b.Fatalf("build kflow: %v\n%s", err, out)
	}
	b.Logf("%d Avro records of %.0f bytes on average, 3 partitions", n, size)

	var kflowRates, javaRates, javaLoopRates []float64
	loopMs := regexp.MustCompile(`consumed (\d+) records in (\d+) ms`)
	for b.Loop() {
		kf := exec.Command(bin, "tail", "-b", brokers, "--registry", registry, "-t", topic, "--from", "beginning", "--exit", "--json")
		start := time.Now()
		got, _, err := countDecodedLines(kf)
		if err != nil || got != n {
			b.Fatalf("kflow tail read %d of %d records: %v", got, n, err)
		}
		kflowRates = append(kflowRates, float64(n)/time.Since(start).Seconds())

		jv := exec.Command(java, "-jar", jar, "consume", "--envelope", topic, strconv.Itoa(n))
		jv.Env = append(os.Environ(), "KFLOW_TEST_BROKERS="+brokers, "KFLOW_TEST_REGISTRY="+registry)
		start = time.Now()
		got, stderr, err := countDecodedLines(jv)
		if err != nil || got != n {
			b.Fatalf("java consume read %d of %d records: %v", got, n, err)
		}
		javaRates = append(javaRates, float64(n)/time.Since(start).Seconds())
		if m := loopMs.FindStringSubmatch(stderr); m != nil {
			ms, _ := strconv.Atoi(m[2])
			javaLoopRates = append(javaLoopRates, float64(n)/(float64(ms)/1000))
		}
		r := len(kflowRates) - 1
		fmt.Printf("round %d: kflow tail --json %9.0f records/s   java (Apicurio) %9.0f records/s (loop only %9.0f)   ratio %.2f\n",
			r+1, kflowRates[r], javaRates[r], lastOr(javaLoopRates, 0), kflowRates[r]/javaRates[r])
	}
	kMin, kMed := minMedian(kflowRates)
	jMin, jMed := minMedian(javaRates)
	lMin, lMed := minMedian(javaLoopRates)
	fmt.Printf("kflow tail --exit --json: min %.0f median %.0f records/s\n", kMin, kMed)
	fmt.Printf("java Apicurio consumer:   min %.0f median %.0f records/s (consume loop only: min %.0f median %.0f)\n", jMin, jMed, lMin, lMed)
	fmt.Printf("ratio of medians: %.2fx (vs the Java loop alone: %.2fx)\n", kMed/jMed, kMed/lMed)
	b.ReportMetric(kMed, "kflow-records/s")
	b.ReportMetric(jMed, "java-records/s")
	b.ReportMetric(kMed/jMed, "ratio")
}

// countDecodedLines runs cmd, counts the lines it prints into a pipe, and checks that the first
// is a decoded record (it carries value_schema). It returns the lines and the command's stderr.
func countDecodedLines(cmd *exec.Cmd) (int, string, error) {
	out, err := cmd.StdoutPipe()
	if err != nil {
		return 0, "", err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return 0, "", err
	}
	buf := make([]byte, 1<<20)
	var first []byte
	lines := 0
	for {
		k, err := out.Read(buf)
		if first == nil || (len(first) < 4096 && !bytes.Contains(first, []byte{'\n'})) {
			first = append(first, buf[:min(k, 4096)]...)
		}
		lines += bytes.Count(buf[:k], []byte{'\n'})
		if err != nil {
			break
		}
	}
	if err := cmd.Wait(); err != nil {
		return lines, stderr.String(), fmt.Errorf("%s: %w: %s", cmd.Path, err, stderr.String())
	}
	line, _, _ := bytes.Cut(first, []byte{'\n'})
	if !bytes.Contains(line, []byte(`"value_schema"`)) {
		return lines, stderr.String(), fmt.Errorf("%s: the first line is not a decoded record: %.300s", cmd.Path, line)
	}
	return lines, stderr.String(), nil
}

// minMedian of rates (0, 0 for none).
func minMedian(rates []float64) (lo, median float64) {
	if len(rates) == 0 {
		return 0, 0
	}
	s := slices.Sorted(slices.Values(rates))
	if len(s)%2 == 1 {
		return s[0], s[len(s)/2]
	}
	return s[0], (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func lastOr(s []float64, def float64) float64 {
	if len(s) == 0 {
		return def
	}
	return s[len(s)-1]
}
