package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"kflow/kafka"
	"kflow/text"
)

func runTail(ctx context.Context, e env, args []string) error {
	var g globals
	fs := newFlags("tail", e, &g)
	topic := fs.String("t", "", "the topic to read (or the only argument)")
	fs.StringVar(topic, "topic", "", "the `topic` to read (or the only argument)")
	from := fs.String("from", "end", "the `position` to start at: beginning, end, offset N, the last N records of each partition (-N), or @TIME (RFC 3339 or Unix ms)")
	exit := fs.Bool("exit", false, "stop at the end offsets seen at start, instead of waiting for more")
	fs.BoolVar(exit, "e", false, "stop at the end offsets seen at start, instead of waiting for more")
	parts := fs.String("partitions", "", "read only these `partitions`, comma separated, e.g. 0,2 (default: all)")
	delim := fs.String("K", "", "print the key, this `delimiter`, then the value (like kcat -K)")
	count := fs.Int("c", 0, "stop after this many records (0: no limit)")
	fs.IntVar(count, "count", 0, "stop after this many `records` (0: no limit)")
	maxBytes := fs.Int("max-bytes", kafka.DefaultMaxBytes, "keep at most this many `bytes` of each key and value; longer ones are cut, and say so")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *topic == "" && len(pos) == 1 {
		*topic, pos = pos[0], nil
	}
	if *topic == "" {
		return usagef("tail needs a topic: -t TOPIC")
	}
	if err := wantArgs("tail", pos, 0, "no arguments besides the topic"); err != nil {
		return err
	}
	start, err := kafka.ParseStart(*from)
	if err != nil {
		return usagef("--from: %v", err)
	}
	var partitions []int32
	if *parts != "" {
		for _, p := range strings.Split(*parts, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(p))
			if err != nil || n < 0 {
				return usagef("--partitions %q: want partition numbers such as 0,2", *parts)
			}
			partitions = append(partitions, int32(n))
		}
	}
	if *count < 0 {
		return usagef("--count must not be negative")
	}
	c, done, err := connect(ctx, &g, e)
	if err != nil {
		return err
	}
	defer done()
	cs, err := c.Consume(ctx, kafka.TailOptions{Topic: *topic, Partitions: partitions, Start: start, StopAtEnd: *exit, MaxBytes: *maxBytes,
		OnFetchState: func(st kafka.FetchState) { reportFetchState(e.stderr, *topic, st) }})
	if err != nil {
		return err
	}
	defer cs.Close()
	if pe := cs.PastEnd(); len(pe) > 0 {
		fmt.Fprintf(e.stderr, "kflow: offset %d is past the end of %s (%s): reading there from the end\n",
			start.Offset, text.CountOf(len(pe), "partition", "partitions"), kafka.FormatEnds(pe))
	}

	w := bufio.NewWriterSize(e.stdout, 1<<16)
	defer func() { _ = w.Flush() }()
	p := printer{w: w, json: g.json, delim: *delim, inert: isTerminal(e.stdout), buf: new([]byte)}
	n := 0
	for {
		recs, err := cs.Poll(ctx)
		for _, r := range recs {
			if err := p.print(r); err != nil {
				return err
			}
			if n++; *count > 0 && n >= *count {
				return w.Flush()
			}
		}
		if errors.Is(err, io.EOF) {
			return w.Flush()
		}
		if err != nil {
			return err
		}
		// Flush per batch, not per record: a pipe sees records promptly
		// without a write per record.
		if err := w.Flush(); err != nil {
			return fmt.Errorf("write output: %w", err)
		}
	}
}

// printer writes records: JSON lines, or like kcat -C the value per line
// (key DELIM value with -K). On a terminal bytes are made inert.
type printer struct {
	w     io.Writer
	json  bool
	delim string
	inert bool
	buf   *[]byte // reused for every JSON line
}

func (p printer) print(r kafka.Record) error {
	if p.json {
		*p.buf = append(kafka.AppendJSONLine((*p.buf)[:0], r), '\n')
		_, err := p.w.Write(*p.buf)
		return err
	}
	var err error // the first write error; later writes are skipped
	write := func(s string) {
		if err == nil {
			_, err = io.WriteString(p.w, s)
		}
	}
	field := func(b []byte) {
		if p.inert {
			write(text.Sanitize(b))
		} else if err == nil {
			_, err = p.w.Write(b)
		}
	}
	if p.delim != "" {
		field(r.Key)
		write(p.delim)
	}
	field(r.Value)
	if r.ValueSize > len(r.Value) && p.inert {
		write(fmt.Sprintf("… (%d of %d bytes shown)", len(r.Value), r.ValueSize))
	}
	write("\n")
	return err
}

// reportFetchState says on stderr when a tail's fetches start failing and
// when they recover, so a pipeline can tell a quiet topic from a dead
// broker. Records go on at the next offset: none is skipped or repeated.
func reportFetchState(w io.Writer, topic string, st kafka.FetchState) {
	if st.Down {
		fmt.Fprintf(w, "kflow: tail %s: broker unreachable since %s, retrying: %v\n",
			text.SanitizeString(topic), st.Since.Format(time.RFC3339), st.Err)
		return
	}
	fmt.Fprintf(w, "kflow: tail %s: broker reachable again after %v, reading on from where the tail was\n",
		text.SanitizeString(topic), st.For.Round(100*time.Millisecond))
}
