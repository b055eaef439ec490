package kafka

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"
)

// BenchmarkTailThroughput reads one topic from beginning to end several
// ways in the same run and reports records/s of each and kflow's ratio to
// the references:
//   - raw: a bare franz-go consume loop that only counts records (the ceiling);
//   - consumer: kflow's Consumer.Poll, the path every kflow tail takes;
//   - cli-json / cli-plain: the real `kflow tail --exit` binary, output to a pipe;
//   - kcat: `kcat -C -e -o beginning`, output to a pipe.
//
// With KFLOW_BENCH_BASELINE set to another kflow binary (an older build,
// say) it also runs that one both ways, for before/after in the same run.
//
// Each b.Loop round runs every way once, in turn (-benchtime 3x: three
// interleaved rounds), so a swing of the shared machine hits all of them
// alike; each round's ratios are to that round's raw loop. It prints every
// round, then each way's median rate and the median and range of its
// per-round ratio to raw.
//
// It needs the real broker (KFLOW_TEST_BROKERS) and kcat. Records per run
// come from KFLOW_BENCH_RECORDS (default 1,000,000, 100-byte values).
// bench/run.sh runs it with a broker of its own.
func BenchmarkTailThroughput(b *testing.B) {
	c, brokers, n := benchBroker(b, "KFLOW_BENCH_RECORDS", 1000000)
	kcatPath, err := exec.LookPath("kcat")
	if err != nil {
		b.Skip("needs kcat")
	}
	ctx := context.Background()
	topic := benchTopic(b, c, "kflow-bench-tail", n)
	bin := filepath.Join(b.TempDir(), "kflow")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/kflow").CombinedOutput(); err != nil {
		b.Fatalf("build kflow: %v\n%s", err, out)
	}

	type way struct {
		name string
		read func() (int, time.Duration, error) // records, CPU time spent
	}
	ways := []way{
		{"raw-franz-go", func() (int, time.Duration, error) {
			return inProcessCPU(func() (int, error) { return rawConsume(ctx, brokers, topic, n) })
		}},
		{"kflow-consumer", func() (int, time.Duration, error) {
			return inProcessCPU(func() (int, error) { return kflowConsume(ctx, c, topic) })
		}},
		{"kflow-cli-json", func() (int, time.Duration, error) {
			return countLines(exec.Command(bin, "tail", "-b", brokers, "-t", topic, "--from", "beginning", "--exit", "--json"))
		}},
		{"kflow-cli-plain", func() (int, time.Duration, error) {
			return countLines(exec.Command(bin, "tail", "-b", brokers, "-t", topic, "--from", "beginning", "--exit"))
		}},
		{"kcat", func() (int, time.Duration, error) {
			return countLines(exec.Command(kcatPath, "-b", brokers, "-C", "-t", topic, "-o", "beginning", "-e", "-q"))
		}},
	}
	if base := os.Getenv("KFLOW_BENCH_BASELINE"); base != "" {
		for _, mode := range [][]string{{"--json"}, nil} {
			name := "baseline-cli-plain"
			if mode != nil {
				name = "baseline-cli-json"
			}
			ways = append(ways, way{name, func() (int, time.Duration, error) {
				return countLines(exec.Command(base, append([]string{"tail", "-b", brokers, "-t", topic, "--from", "beginning", "--exit"}, mode...)...))
			}})
		}
	}
	rates := map[string][]float64{}
	ratios := map[string][]float64{} // to the same round's raw loop
	cpus := map[string][]float64{}   // CPU seconds per million records
	round := 0
	for b.Loop() {
		round++
		for _, w := range ways {
			start := time.Now()
			got, cpu, err := w.read()
			if err != nil {
				b.Fatal(err)
			}
			if got != n {
				b.Fatalf("%s read %d records, want %d", w.name, got, n)
			}
			rates[w.name] = append(rates[w.name], float64(n)/time.Since(start).Seconds())
			cpus[w.name] = append(cpus[w.name], cpu.Seconds()*1e6/float64(n))
		}
		raw := lastOr(rates["raw-franz-go"], 0)
		for _, w := range ways {
			r := lastOr(rates[w.name], 0)
			ratios[w.name] = append(ratios[w.name], r/raw)
			fmt.Printf("round %d: %-18s %10.0f records/s  %.2fx raw franz-go  %.2fx kcat  %.2f CPU s per million\n", round, w.name, r, r/raw, r/lastOr(rates["kcat"], 0), lastOr(cpus[w.name], 0))
		}
	}
	for _, w := range ways {
		_, med := minMedian(rates[w.name])
		lo, rmed := minMedian(ratios[w.name])
		hi := slices.Max(ratios[w.name])
		_, cmed := minMedian(cpus[w.name])
		fmt.Printf("%-18s median %10.0f records/s  %.2fx raw franz-go (rounds %.2f-%.2f)  median %.2f CPU s per million\n", w.name, med, rmed, lo, hi, cmed)
		b.ReportMetric(med, w.name+"-records/s")
		if w.name != "raw-franz-go" {
			b.ReportMetric(rmed, w.name+"-x-raw")
		}
	}
}

// kflowConsume reads with kflow's bounded consumer, as `kflow tail --exit`
// does, without printing.
func kflowConsume(ctx context.Context, c *Client, topic string) (int, error) {
	cs, err := c.Consume(ctx, TailOptions{Topic: topic, Start: Start{Kind: StartBeginning}, StopAtEnd: true})
	if err != nil {
		return 0, err
	}
	defer cs.Close()
	got := 0
	for {
		recs, err := cs.Poll(ctx)
		got += len(recs)
		if err != nil {
			if err.Error() == "EOF" {
				return got, nil
			}
			return got, err
		}
	}
}

// inProcessCPU runs read and adds the CPU time this process spent
// meanwhile (the reading loop's, franz-go's goroutines', the GC's).
func inProcessCPU(read func() (int, error)) (int, time.Duration, error) {
	var before, after syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &before)
	n, err := read()
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &after)
	cpu := time.Duration(after.Utime.Nano() - before.Utime.Nano() + after.Stime.Nano() - before.Stime.Nano())
	return n, cpu, err
}

// countLines runs cmd and counts the lines it prints, with the CPU time
// the command spent (user and system).
func countLines(cmd *exec.Cmd) (int, time.Duration, error) {
	n, err := countLinesOf(cmd)
	if cmd.ProcessState == nil {
		return n, 0, err
	}
	return n, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), err
}

func countLinesOf(cmd *exec.Cmd) (int, error) {
	out, err := cmd.StdoutPipe()
	if err != nil {
		return 0, err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	buf := make([]byte, 1<<20)
	lines := 0
	for {
		k, err := out.Read(buf)
		lines += bytes.Count(buf[:k], []byte{'\n'})
		if err != nil {
			break
		}
	}
	if err := cmd.Wait(); err != nil {
		return lines, fmt.Errorf("%s: %v: %s", cmd.Path, err, stderr.String())
	}
	return lines, nil
}
