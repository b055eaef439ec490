package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"kflow/kafka/schema"
	"kflow/kafka/wordcount"
)

func runWordCount(ctx context.Context, e env, args []string) error {
	var g globals
	fs := newFlags("wordcount", e, &g)
	app := fs.String("app", wordcount.DefaultApp, "application `id`: the consumer group and transactional id prefix")
	input := fs.String("input", wordcount.DefaultInput, "`topic` of text lines to count")
	output := fs.String("output", wordcount.DefaultOutput, "compacted `topic` the counts are written to")
	createInput := fs.Bool("create-input", false, "create the input topic when it is missing")
	partitions := fs.Int("partitions", 0, "`count` of partitions of the topics it creates (0: the broker's default; internal topics: as many as the input)")
	updates := fs.Bool("updates", false, "print every count update (word TAB count) on stdout")
	every := fs.Duration("stats-every", 2*time.Second, "how often a stats line goes to stderr")
	purge := fs.Duration("purge-interval", wordcount.DefaultPurgeInterval, "how often committed records are deleted from the repartition topic")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs("wordcount", pos, 0, "no arguments"); err != nil {
		return err
	}
	if *partitions < 0 || *every <= 0 || *purge <= 0 {
		return usagef("wordcount: --partitions must not be negative; --stats-every and --purge-interval must be positive")
	}
	c, done, err := connect(ctx, &g, e)
	if err != nil {
		return err
	}
	defer done()

	// Updates and events come from the engine's goroutines, which must
	// not wait on a slow stdout or stderr: they queue here, and any that
	// cannot are counted.
	queue := make(chan wordcount.Update, 1<<16)
	events := make(chan wordcount.Event, 1024)
	var unprinted, unsaid atomic.Int64
	opts := wordcount.Options{
		App: *app, Input: *input, Output: *output, Partitions: int32(*partitions),
		CreateInput: *createInput, PurgeInterval: *purge, StatsEvery: *every,
		OnEvent: func(ev wordcount.Event) {
			select {
			case events <- ev:
			default:
				unsaid.Add(1)
			}
		},
	}
	if reg := c.Registry(); reg != nil { // typed input lines are counted as their text
		opts.Decoder = schema.NewDecoder(reg, schema.DecoderOptions{})
	}
	if *updates {
		opts.OnUpdate = func(u wordcount.Update) {
			select {
			case queue <- u:
			default:
				unprinted.Add(1)
			}
		}
	}
	// The topics are checked and created before the first line: their
	// events wait in the queue.
	wc, err := wordcount.Run(ctx, c, opts)
	var mi *wordcount.MissingInputError
	if errors.As(err, &mi) {
		return fmt.Errorf("wordcount: %w; create it (kflow topic create %s) or pass --create-input", err, mi.Topic)
	}
	if err != nil {
		return err
	}
	defer func() { _ = wc.Close() }()
	fmt.Fprintf(e.stderr, "word count %s: %s -> %s; Ctrl-C stops it\n", *app, *input, *output)

	w := bufio.NewWriter(e.stdout)
	defer func() { _ = w.Flush() }()
	say := func(ev wordcount.Event) {
		line := ev.At.Format("15:04:05") + " " + ev.String()
		if ev.Kind == wordcount.EventStats || ev.Kind == wordcount.EventStopped {
			if n := unprinted.Load(); n > 0 {
				line += fmt.Sprintf("  (%d updates not printed: output too slow)", n)
			}
			if n := unsaid.Load(); n > 0 {
				line += fmt.Sprintf("  (%d events not printed)", n)
			}
		}
		fmt.Fprintln(e.stderr, line)
	}
	// stop prints what is queued, updates and then events, the stop
	// event last: it is the engine's last, sent before Done closes.
	stop := func() error {
		for len(queue) > 0 {
			printUpdate(w, <-queue, g.json)
		}
		flushErr := w.Flush()
		for {
			select {
			case ev := <-events:
				say(ev)
			default:
				if flushErr != nil {
					return errors.Join(wc.Err(), fmt.Errorf("wordcount: write output: %w", flushErr))
				}
				return wc.Err()
			}
		}
	}
	for {
		select {
		case u := <-queue:
			printUpdate(w, u, g.json)
			if len(queue) == 0 {
				if err := w.Flush(); err != nil {
					// Counting on with the output lost helps no one: stop.
					_ = wc.Close()
					return stop()
				}
			}
		case ev := <-events:
			say(ev)
		case <-wc.Done():
			return stop()
		case <-ctx.Done():
			_ = wc.Close()
			return stop()
		}
	}
}

// printUpdate prints a count update as a line of stdout. A write error
// stays in w (bufio.Writer keeps the first) and is returned by its next
// Flush, which the caller checks.
func printUpdate(w *bufio.Writer, u wordcount.Update, json bool) {
	if json {
		_ = printJSON(w, map[string]any{"word": u.Word, "count": u.Count})
	} else {
		_, _ = fmt.Fprintf(w, "%s\t%d\n", u.Word, u.Count)
	}
}
