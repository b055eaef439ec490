package kafka_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
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
	run := func(name string, read func() (int, error)) {
		b.Run(name, func(b *testing.B) {
			var total time.Duration
			runs := 0
			for b.Loop() {
				start := time.Now()
				got, err := read()
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
			b.ReportMetric(rates[name], "records/s")
		})
	}
	run("raw-franz-go", func() (int, error) { return kafka.RawConsume(ctx, brokers, topic, n) })
	var lat frameTimes
	run("tail-view", func() (int, error) {
		frames := 0
		got, err := viewLoop(ctx, c, th, topic, n, &frames, &lat)
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
		b.Logf("tail view %.0f records/s, raw franz-go %.0f records/s: %.0f%% of raw", rates["tail-view"], raw, 100*rates["tail-view"]/raw)
	}
}

// frameTimes are the slowest frame (Update and View of a wake: the ring's
// delta taken and the screen drawn) and the slowest key press handled
// between frames, both without the wait for the next frame.
type frameTimes struct{ maxFrame, maxKey time.Duration }

// viewLoop tails topic from the beginning into a tail view and runs the
// view's command loop, rendering every frame, until the view has taken
// want records. Every tenth frame a key (j or k) is pressed and timed.
func viewLoop(ctx context.Context, c *kafka.Client, th *themes.Theme, topic string, want int, frames *int, lat *frameTimes) (int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	tail, err := c.Tail(ctx, kafka.TailOptions{Topic: topic, Start: kafka.Start{Kind: kafka.StartBeginning}}, kafka.DefaultBuffer)
	if err != nil {
		return 0, err
	}
	defer tail.Close()
	common := &views.Common{Ctx: ctx, Theme: th, Timeout: 10 * time.Second}
	v := views.NewTailRing(common, topic, tail.Ring(), views.TailViewOptions{})
	v.SetSize(160, 45)
	cmd := v.Init()
	deadline := time.Now().Add(5 * time.Minute)
	for {
		var msg tea.Msg
		if cmd != nil {
			msg = cmd()
		}
		start := time.Now()
		var next views.View
		next, cmd = v.Update(msg)
		_ = next.View()
		lat.maxFrame = max(lat.maxFrame, time.Since(start))
		*frames++
		if *frames%10 == 0 {
			k := tea.KeyPressMsg{Code: 'j', Text: "j"}
			if *frames%20 == 0 {
				k = tea.KeyPressMsg{Code: 'k', Text: "k"}
			}
			start = time.Now()
			next, _ = v.Update(k)
			_ = next.View()
			lat.maxKey = max(lat.maxKey, time.Since(start))
		}
		buffered, _, evicted, dups := v.Counts()
		if taken := buffered + int(evicted) + int(dups); taken >= want {
			return taken, nil
		}
		if time.Now().After(deadline) {
			return buffered + int(evicted), fmt.Errorf("view took %d of %d records in 5 minutes", buffered+int(evicted), want)
		}
	}
}
