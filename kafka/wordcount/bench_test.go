package wordcount

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"kflow/internal/kafkatest"
	"kflow/kafka"
)

// BenchmarkWordCount measures the engine end to end with one instance on
// the real broker: 1,000,000 generated lines (KFLOW_WORDCOUNT_BENCH_LINES
// to change) are produced to the input first, untimed; each iteration then
// runs a fresh application over them, from Run until every word
// is counted in a committed transaction, both stages exactly-once. It
// reports lines/s and words/s, and checks the last iteration's output
// (each word's last value, as compaction keeps it) against the counts.
//
// Then, as the reference, Kafka Streams' WordCountDemo
// (testdata/interop/wordcount, built by scripts/interop/build.sh, or
// KFLOW_WORDCOUNTDEMO_JAR) runs once over the same input on the same
// broker, exactly_once_v2 with its record cache on, timed from its start
// until its output holds the same final count of every word; without Java
// or Maven that row is skipped with the reason. KFLOW_WORDCOUNT_BENCH_EVENTS=1
// prints the engine's events with their time since Run.
//
//	bash scripts/kafka/start.sh /tmp/wc-broker && source /tmp/wc-broker/env
//	KFLOW_TEST_BROKERS=$KFLOW_TEST_BROKERS go test ./kafka/wordcount -run '^$' -bench BenchmarkWordCount -benchtime 1x
func BenchmarkWordCount(b *testing.B) {
	c, brokers, n := kafkatest.BenchBroker(b, "KFLOW_WORDCOUNT_BENCH_LINES", 1000000)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()

	base := fmt.Sprintf("kflow-wc-bench-%d", time.Now().UnixNano())
	input := base + "-input"
	lines := corpusLines(n)
	var words int64
	want := map[string]int64{}
	for _, l := range lines {
		for _, w := range SplitWords(l) {
			want[w]++
			words++
		}
	}
	if err := c.CreateTopic(ctx, kafka.TopicSpec{Name: input, Partitions: 6}); err != nil {
		b.Fatal(err)
	}
	defer func() { _ = c.DeleteTopic(context.WithoutCancel(ctx), input) }()
	if err := produceLines(ctx, c, input, lines, 0); err != nil {
		b.Fatal(err)
	}

	// The reference, same run: a bare franz-go loop that only reads the
	// input lines, the floor under any engine's time.
	rawStart, rawCPU := time.Now(), processCPU()
	if got, err := kafkatest.RawConsume(ctx, brokers, input, n); err != nil || got != n {
		b.Fatalf("raw read: %d of %d lines, %v", got, n, err)
	}
	rawRate := float64(n) / time.Since(rawStart).Seconds()
	rawCPU = processCPU() - rawCPU

	b.ResetTimer()
	var elapsed, cpu, brokerCPU time.Duration
	for i := range b.N {
		app := fmt.Sprintf("%s-%d", base, i)
		opts := Options{App: app, Input: input, Output: app + "-output"}
		start, cpu0, bcpu0 := time.Now(), processCPU(), brokerProcessCPU()
		if os.Getenv("KFLOW_WORDCOUNT_BENCH_EVENTS") == "1" {
			// The engine's events timed from Run: where the start-up goes.
			opts.OnEvent = func(e Event) { fmt.Printf("%7.3fs %s\n", time.Since(start).Seconds(), e) }
		}
		wc, err := Run(ctx, c, opts)
		if err != nil {
			b.Fatal(err)
		}
		if err := waitCounted(ctx, wc, words); err != nil {
			b.Fatal(err)
		}
		elapsed += time.Since(start)
		cpu += processCPU() - cpu0
		brokerCPU += brokerProcessCPU() - bcpu0
		s := wc.Stats()
		if err := wc.Close(); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if i == b.N-1 {
			if err := readCounts(ctx, brokers, opts.Output, want, 2*time.Minute); err != nil {
				b.Fatalf("kflow's output: %v", err)
			}
		}
		b.Logf("%d lines, %d words, %d distinct, in %v: %d transactions committed, %d aborted, %d updates out",
			n, words, s.StateWords, time.Since(start).Round(time.Millisecond), s.Committed, s.Aborted, s.UpdatesOut)
		for _, topic := range []string{opts.Output, app + "-counts-repartition", app + "-counts-changelog"} {
			_ = c.DeleteTopic(ctx, topic)
		}
		b.StartTimer()
	}
	rate := float64(n) * float64(b.N) / elapsed.Seconds()
	b.ReportMetric(rate, "lines/s")
	b.ReportMetric(float64(words)*float64(b.N)/elapsed.Seconds(), "words/s")
	b.ReportMetric(rawRate, "raw-read-lines/s")
	// CPU time of this process (the engine, or the raw loop), which a
	// machine shared with other work inflates less than the wall clock.
	b.ReportMetric(cpu.Seconds()/float64(b.N), "engine-cpu-s")
	b.ReportMetric(rawCPU.Seconds(), "raw-read-cpu-s")
	fmt.Printf("word count %.0f lines/s exactly-once (split, repartition, count, changelog, output); reading the input raw %.0f lines/s: %.2fx; CPU %.2fs vs %.2fs\n",
		rate, rawRate, rate/rawRate, cpu.Seconds()/float64(b.N), rawCPU.Seconds())
	if os.Getenv("KFLOW_TEST_BROKER_PID") != "" {
		// The broker shares the machine: its CPU for the engine's run is
		// part of what a run costs (writes in transactions, fetches).
		b.ReportMetric(brokerCPU.Seconds()/float64(b.N), "broker-cpu-s")
		fmt.Printf("broker CPU during the word count %.2fs per run (%.2f CPU-s with the engine's, in %.2fs)\n",
			brokerCPU.Seconds()/float64(b.N), (cpu+brokerCPU).Seconds()/float64(b.N), elapsed.Seconds()/float64(b.N))
	}

	b.StopTimer()
	if os.Getenv("KFLOW_WORDCOUNTDEMO") == "0" {
		b.Logf("WordCountDemo row skipped: KFLOW_WORDCOUNTDEMO=0")
		return
	}
	demo, demoCPU, err := runWordCountDemo(ctx, c, brokers, base+"-demo", input, n, want)
	if err != nil {
		b.Logf("WordCountDemo row skipped: %v", err)
		return
	}
	b.ReportMetric(demo, "wordcountdemo-lines/s")
	b.ReportMetric(demoCPU.Seconds(), "wordcountdemo-cpu-s")
	fmt.Printf("Kafka Streams WordCountDemo (exactly_once_v2, record cache on) %.0f lines/s, CPU %.2fs, same output; kflow %.1fx its rate\n",
		demo, demoCPU.Seconds(), rate/demo)
}

// runWordCountDemo runs Kafka Streams' WordCountDemo over input until its
// output holds want, and returns its lines/s from the JVM's start and the
// CPU time the JVM used. Its topics are deleted afterwards.
func runWordCountDemo(ctx context.Context, c *kafka.Client, brokers, app, input string, n int, want map[string]int64) (rate float64, cpu time.Duration, err error) {
	jar := os.Getenv("KFLOW_WORDCOUNTDEMO_JAR")
	if jar == "" {
		var stderr bytes.Buffer
		cmd := exec.CommandContext(ctx, "bash", "../../scripts/interop/build.sh", "wordcount")
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			return 0, 0, fmt.Errorf("build it with scripts/interop/build.sh wordcount: %w: %s", err, bytes.TrimSpace(stderr.Bytes()))
		}
		jar = string(bytes.TrimSpace(out))
	}
	output := app + "-output"
	// The output as kflow's engine makes its own: compacted, the broker's
	// default partition count.
	if err := c.CreateTopic(ctx, kafka.TopicSpec{Name: output, Configs: map[string]string{"cleanup.policy": "compact"}}); err != nil {
		return 0, 0, err
	}
	defer func() {
		dctx := context.WithoutCancel(ctx)
		_ = c.DeleteTopic(dctx, output)
		if names, err := c.Admin().ListTopics(dctx); err == nil {
			for _, t := range names.Names() {
				if strings.HasPrefix(t, app+"-") {
					_ = c.DeleteTopic(dctx, t)
				}
			}
		}
	}()
	// Its state directory (RocksDB, checkpoints) under a temporary one,
	// removed afterwards: a killed JVM cleans nothing up.
	tmp, err := os.MkdirTemp("", "kflow-wordcountdemo-")
	if err != nil {
		return 0, 0, err
	}
	defer func() { _ = os.RemoveAll(tmp) }()
	var logs bytes.Buffer
	start := time.Now()
	cmd := exec.CommandContext(ctx, "java", "-Djava.io.tmpdir="+tmp, "-jar", jar, brokers, app, input, output)
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		return 0, 0, fmt.Errorf("start %s: %w", jar, err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait() // killed at the end: its exit status says nothing
		close(exited)
	}()
	stop := func() time.Duration {
		_ = cmd.Process.Kill()
		<-exited
		return cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-exited:
			cancel()
		case <-rctx.Done():
		}
	}()
	if err := readCounts(rctx, brokers, output, want, 15*time.Minute); err != nil {
		stop()
		return 0, 0, fmt.Errorf("WordCountDemo's output: %w; its log:\n%s", err, logs.String())
	}
	rate = float64(n) / time.Since(start).Seconds()
	return rate, stop(), nil
}

// brokerProcessCPU is the CPU time the test broker's process used so far
// (KFLOW_TEST_BROKER_PID, from scripts/kafka/start.sh), 0 without it:
// user and system ticks of /proc/PID/stat at Linux's 100 a second.
func brokerProcessCPU() time.Duration {
	pid := os.Getenv("KFLOW_TEST_BROKER_PID")
	if pid == "" {
		return 0
	}
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0
	}
	// Fields after the command, which is in parentheses and may hold spaces.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// processCPU is the CPU time this process used so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// readCounts reads topic from its start (read_committed; each word's last
// value, as compaction keeps it) until it holds exactly want's counts,
// within d. The empty word, which WordCountDemo counts for lines that start
// with a non-word character and kflow drops, is left out.
func readCounts(ctx context.Context, brokers, topic string, want map[string]int64, d time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	cl, err := kgo.NewClient(kgo.SeedBrokers(strings.Split(brokers, ",")...), kgo.ConsumeTopics(topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchIsolationLevel(kgo.ReadCommitted()))
	if err != nil {
		return err
	}
	defer cl.Close()
	got := make(map[string]int64, len(want))
	right := 0 // words whose last value is want's
	for right < len(want) {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			return fmt.Errorf("%d of %d words at their final count: %w", right, len(want), ctx.Err())
		}
		var bad error
		fs.EachRecord(func(r *kgo.Record) {
			if len(r.Key) == 0 || bad != nil {
				return
			}
			n, err := DecodeCount(r.Value)
			if err != nil {
				bad = fmt.Errorf("%q partition %d offset %d key %q: %w", topic, r.Partition, r.Offset, r.Key, err)
				return
			}
			w, ok := want[string(r.Key)]
			if !ok {
				bad = fmt.Errorf("%q has the word %q, which the input does not", topic, r.Key)
				return
			}
			old, seen := got[string(r.Key)]
			if seen && old == w {
				right--
			}
			if n == w {
				right++
			}
			got[string(r.Key)] = n
		})
		if bad != nil {
			return bad
		}
	}
	return nil
}

// waitCounted waits until the engine has counted words words, or fails.
func waitCounted(ctx context.Context, wc *Engine, words int64) error {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for wc.Stats().Counted < words {
		select {
		case <-ctx.Done():
			return fmt.Errorf("counted %d of %d words: %w", wc.Stats().Counted, words, ctx.Err())
		case <-wc.Done():
			return fmt.Errorf("engine stopped after counting %d of %d words: %v", wc.Stats().Counted, words, wc.Err())
		case <-tick.C:
		}
	}
	return nil
}
