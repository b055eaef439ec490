package main

import (
	"bufio"
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"kflow/kafka"
)

func runWordCount(ctx context.Context, e env, args []string) error {
	var g globals
	fs := newFlags("wordcount", e, &g)
	app := fs.String("app", kafka.DefaultWordCountApp, "")
	input := fs.String("input", kafka.DefaultWordCountInput, "")
	output := fs.String("output", kafka.DefaultWordCountOutput, "")
	partitions := fs.Int("partitions", 0, "")
	updates := fs.Bool("updates", false, "")
	every := fs.Duration("stats-every", 2*time.Second, "")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs("wordcount", pos, 0, "no arguments"); err != nil {
		return err
	}
	if *partitions < 0 || *every <= 0 {
		return usagef("wordcount: --partitions must not be negative and --stats-every must be positive")
	}
	c, done, err := connect(ctx, &g, e)
	if err != nil {
		return err
	}
	defer done()

	// Updates come from the engine's goroutine, which must not wait on a
	// slow stdout: they queue here, and any that cannot are counted.
	queue := make(chan kafka.WordUpdate, 1<<16)
	var unprinted atomic.Int64
	opts := kafka.WordCountOptions{App: *app, Input: *input, Output: *output, Partitions: int32(*partitions)}
	if *updates {
		opts.OnUpdate = func(u kafka.WordUpdate) {
			select {
			case queue <- u:
			default:
				unprinted.Add(1)
			}
		}
	}
	wc, err := c.RunWordCount(ctx, opts)
	if err != nil {
		return err
	}
	defer wc.Close()
	fmt.Fprintf(e.stderr, "word count %s: %s -> %s; Ctrl-C stops it\n", *app, *input, *output)

	w := bufio.NewWriter(e.stdout)
	defer w.Flush()
	tick := time.NewTicker(*every)
	defer tick.Stop()
	for {
		select {
		case u := <-queue:
			if g.json {
				printJSON(w, map[string]any{"word": u.Word, "count": u.Count})
			} else {
				fmt.Fprintf(w, "%s\t%d\n", u.Word, u.Count)
			}
			if len(queue) == 0 {
				w.Flush()
			}
		case <-tick.C:
			s := wc.Stats()
			fmt.Fprintf(e.stderr, "lines %d  words %d  updates %d  txns %d (aborted %d)  words held %d  partitions in %v counting %v",
				s.LinesIn, s.Words, s.UpdatesOut, s.Committed, s.Aborted, s.StateWords, s.InputPartitions, s.CountPartitions)
			if n := unprinted.Load(); n > 0 {
				fmt.Fprintf(e.stderr, "  (%d updates not printed: output too slow)", n)
			}
			fmt.Fprintln(e.stderr)
		case <-wc.Done():
			w.Flush()
			return wc.Err()
		case <-ctx.Done():
			w.Flush()
			return wc.Close()
		}
	}
}
