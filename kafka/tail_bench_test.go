package kafka_test

import (
	"context"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
	"kflow/kafka/schema"
	"kflow/themes"
	"kflow/views"
)

// BenchmarkTailViewIngest is the tail view's ingest figure: records/s the
// view absorbs while rendering at its frame rate, against a raw franz-go
// consume loop reading the same topic in the same run.
//
// The view is driven as Bubble Tea drives it, minus the terminal: its
// self-re-arming wait command (which takes the ring's delta at most once
// per 16 ms frame) is run, its message fed to Update, and the whole
// 160x48 screen rendered with View after each, until every record the
// tail received has been taken. It lives here, in an external test
// package of kafka, because only kafka/ may import franz-go (the raw loop)
// and an external test package may import views.
//
// It needs the real broker (KFLOW_TEST_BROKERS); records per run come from
// KFLOW_BENCH_RECORDS (default 1,000,000, 100-byte values, 3 partitions).
func BenchmarkTailViewIngest(b *testing.B) {
	c, brokers, n := kafka.BenchBroker(b, "KFLOW_BENCH_RECORDS", 1000000)
	ctx := context.Background()
	topic := kafka.BenchTopic(b, c, "kflow-bench-tailview", n)
	th, err := themes.Load("", "", false)
	if err != nil {
		b.Fatal(err)
	}

	rates := map[string]float64{}
	cpus := map[string]float64{} // CPU seconds per million records
	run := func(name string, read func() (int, error)) {
		b.Run(name, func(b *testing.B) {
			var total, cpu time.Duration
			runs := 0
			for b.Loop() {
				start := time.Now()
				before := processCPU()
				got, err := read()
				cpu += processCPU() - before
				if err != nil {
					b.Fatal(err)
				}
				if got != n {
					b.Fatalf("%s read %d records, want %d", name, got, n)
				}
				total += time.Since(start)
				runs++
			}
			rates[name] = float64(n*runs) / total.Seconds()
			cpus[name] = cpu.Seconds() * 1e6 / float64(n*runs)
			b.ReportMetric(rates[name], "records/s")
			b.ReportMetric(cpus[name], "cpu-s/M")
		})
	}
	run("raw-franz-go", func() (int, error) { return kafka.RawConsume(ctx, brokers, topic, n) })
	var lat frameTimes
	run("tail-view", func() (int, error) {
		frames := 0
		got, err := viewLoop(ctx, c, th, topic, n, &frames, &lat, nil, nil)
		b.ReportMetric(float64(frames), "frames")
		// A key waits at most for the frame in progress, then is handled
		// itself: the slowest frame plus the slowest key bounds its answer.
		b.ReportMetric(float64(lat.maxFrame.Microseconds())/1000, "max-frame-ms")
		b.ReportMetric(float64(lat.maxKey.Microseconds())/1000, "max-key-ms")
		return got, err
	})
	fmt.Printf("keys while ingesting at %.0f records/s: slowest frame %v + slowest key %v = answer within %v\n",
		rates["tail-view"], lat.maxFrame, lat.maxKey, lat.maxFrame+lat.maxKey)
	if raw := rates["raw-franz-go"]; raw > 0 {
		b.Logf("tail view %.0f records/s, raw franz-go %.0f records/s: %.0f%% of raw; CPU %.2f s and %.2f s per million records", rates["tail-view"], raw, 100*rates["tail-view"]/raw, cpus["tail-view"], cpus["raw-franz-go"])
	}
}

// processCPU is the CPU time (user and system) this process has spent:
// the reading goroutines', franz-go's, the GC's.
func processCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// frameTimes are the slowest frame (Update and View of a wake: the ring's
// delta taken and the screen drawn) and the slowest key press handled
// between frames, both without the wait for the next frame.
type frameTimes struct{ maxFrame, maxKey time.Duration }

// viewLoop tails topic from the beginning into a tail view and runs the
// view's command loop, rendering every frame, until the view has taken
// want records. Every tenth frame a key (j or k) is pressed and timed.
// dec, when set, is the view's schema decoder (the shell's Common.Decoder);
// screen, when set, gets the last frame drawn.
//
// Commands run as Bubble Tea runs them: each on a goroutine of its own, a
// batch's commands each on theirs, their messages fed to Update one at a
// time (the frame's wait and, with a decoder, the fetch of a schema the
// rows on screen need).
func viewLoop(ctx context.Context, c *kafka.Client, th *themes.Theme, topic string, want int, frames *int, lat *frameTimes, dec *schema.Decoder, screen *string) (int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	tail, err := c.Tail(ctx, kafka.TailOptions{Topic: topic, Start: kafka.Start{Kind: kafka.StartBeginning}}, kafka.DefaultBuffer)
	if err != nil {
		return 0, err
	}
	defer tail.Close()
	common := &views.Common{Ctx: ctx, Theme: th, Timeout: 10 * time.Second, Decoder: dec}
	v := views.NewTailRing(common, topic, tail.Ring(), views.TailViewOptions{})
	v.SetSize(160, 45)
	msgs := make(chan tea.Msg, 64)
	var run func(tea.Cmd)
	run = func(cmd tea.Cmd) {
		if cmd == nil {
			return
		}
		go func() {
			msg := cmd()
			if batch, ok := msg.(tea.BatchMsg); ok {
				for _, c := range batch {
					run(c)
				}
				return
			}
			select {
			case msgs <- msg:
			case <-ctx.Done():
			}
		}()
	}
	run(v.Init())
	deadline := time.NewTimer(5 * time.Minute)
	defer deadline.Stop()
	for {
		var msg tea.Msg
		select {
		case msg = <-msgs:
		case <-deadline.C:
			buffered, _, evicted, _ := v.Counts()
			return buffered + int(evicted), fmt.Errorf("view took %d of %d records in 5 minutes", buffered+int(evicted), want)
		}
		start := time.Now()
		next, cmd := v.Update(msg)
		drawn := next.View()
		lat.maxFrame = max(lat.maxFrame, time.Since(start))
		*frames++
		run(cmd)
		if *frames%10 == 0 {
			k := tea.KeyPressMsg{Code: 'j', Text: "j"}
			if *frames%20 == 0 {
				k = tea.KeyPressMsg{Code: 'k', Text: "k"}
			}
			start = time.Now()
			next, kcmd := v.Update(k)
			_ = next.View()
			lat.maxKey = max(lat.maxKey, time.Since(start))
			run(kcmd)
		}
		buffered, _, evicted, dups := v.Counts()
		if taken := buffered + int(evicted) + int(dups); taken >= want {
			if screen != nil {
				*screen = drawn
			}
			return taken, nil
		}
	}
}

// BenchmarkTailViewIngestAvro is the decode-cost figure for the
// live tail: the tail view ingesting Avro records in the wire format (about
// 200 bytes, one schema, 3 partitions) with the registry's decoder, against
// the same view on the same records without a decoder (shown undecoded), in
// the same run. The view decodes lazily, only the rows on screen (and what a
// filter inspects), so the ratio should be about 1; the bar is 0.5. Each
// b.Loop round runs both (-benchtime 3x interleaves three pairs); it prints
// every round and the min and median of each.
//
// It needs KFLOW_TEST_BROKERS and KFLOW_TEST_REGISTRY; records per run come
// from KFLOW_BENCH_AVRO_RECORDS (default 1,000,000).
func BenchmarkTailViewIngestAvro(b *testing.B) {
	c, _, n := kafka.BenchBroker(b, "KFLOW_BENCH_AVRO_RECORDS", 1000000)
	registry := kafka.BenchRegistry(b)
	ctx := context.Background()
	topic, size := kafka.BenchAvroTopic(b, c, registry, "kflow-bench-tailview-avro", n)
	th, err := themes.Load("", "", false)
	if err != nil {
		b.Fatal(err)
	}
	reg, err := schema.New(schema.Config{URL: registry})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%d Avro records of %.0f bytes on average, 3 partitions", n, size)

	ways := []struct {
		name string
		dec  func() *schema.Decoder
	}{
		// A fresh decoder each round: its first frames fetch the schema, as a new tail's do.
		{"decoded", func() *schema.Decoder { return schema.NewDecoder(reg, schema.DecoderOptions{}) }},
		{"undecoded", func() *schema.Decoder { return nil }},
	}
	rates := map[string][]float64{}
	for b.Loop() {
		for _, w := range ways {
			var lat frameTimes
			frames := 0
			start := time.Now()
			var screen string
			got, err := viewLoop(ctx, c, th, topic, n, &frames, &lat, w.dec(), &screen)
			if err != nil {
				b.Fatal(err)
			}
			// The decoded view must have drawn decoded rows by its last frame, else
			// this measured nothing; the undecoded one must not have.
			switch decoded := strings.Contains(screen, "customer_id"); {
			case w.name == "decoded" && !decoded:
				b.Fatalf("the view took all %d records before the schema came back from the registry, so nothing was decoded: use more records (KFLOW_BENCH_AVRO_RECORDS)", n)
			case w.name != "decoded" && decoded:
				b.Fatalf("%s: the view without a decoder drew decoded rows", w.name)
			}
			if got != n {
				b.Fatalf("%s: the view took %d records, want %d", w.name, got, n)
			}
			rates[w.name] = append(rates[w.name], float64(n)/time.Since(start).Seconds())
			fmt.Printf("round %d: tail view %-9s %9.0f records/s  (%d frames, slowest frame %v, slowest key %v)\n",
				len(rates[w.name]), w.name, rates[w.name][len(rates[w.name])-1], frames, lat.maxFrame, lat.maxKey)
		}
	}
	dMin, dMed := kafka.MinMedian(rates["decoded"])
	uMin, uMed := kafka.MinMedian(rates["undecoded"])
	fmt.Printf("tail view, Avro decoded:   min %.0f median %.0f records/s\n", dMin, dMed)
	fmt.Printf("tail view, same undecoded: min %.0f median %.0f records/s\n", uMin, uMed)
	fmt.Printf("ratio of medians: %.2f (bar: 0.5)\n", dMed/uMed)
	b.ReportMetric(dMed, "decoded-records/s")
	b.ReportMetric(uMed, "undecoded-records/s")
	b.ReportMetric(dMed/uMed, "ratio")
}
