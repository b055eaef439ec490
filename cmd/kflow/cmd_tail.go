package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"kflow/kafka"
	"kflow/kafka/schema"
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
	raw := fs.Bool("raw", false, "print keys and values as their bytes, without decoding them through the schema registry")
	keyFormat := fs.String("key-format", "auto", "read keys as this `format`: "+strings.Join(schema.Formats(), ", ")+", or a local schema's plain body: "+strings.Join(schema.LocalFormats(), ", ")+" (auto: the registry's wire format, else the bytes)")
	valueFormat := fs.String("value-format", "auto", "read values as this `format`: "+strings.Join(schema.Formats(), ", ")+", or a local schema's plain body: "+strings.Join(schema.LocalFormats(), ", ")+" (long, int, double: Kafka's big-endian serializers)")
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
	kf, err := schema.ParseFormat(*keyFormat)
	if err != nil {
		return usagef("--key-format: %v", err)
	}
	vf, err := schema.ParseFormat(*valueFormat)
	if err != nil {
		return usagef("--value-format: %v", err)
	}
	c, done, err := connect(ctx, &g, e)
	if err != nil {
		return err
	}
	defer done()
	streamGC(e.getenv)
	cs, err := c.Consume(ctx, kafka.TailOptions{Topic: *topic, Partitions: partitions, Start: start, StopAtEnd: *exit, MaxBytes: *maxBytes, InPlace: true,
		OnFetchState: func(st kafka.FetchState) { reportFetchState(e.stderr, *topic, st) }})
	if err != nil {
		return err
	}
	defer cs.Close()
	if pe := cs.PastEnd(); len(pe) > 0 {
		fmt.Fprintf(e.stderr, "kflow: offset %d is past the end of %s (%s): reading there from the end\n",
			start.Offset, text.CountOf(len(pe), "partition", "partitions"), kafka.FormatEnds(pe))
	}

	p := printer{json: g.json, delim: *delim, inert: isTerminal(e.stdout)}
	reg := c.Registry()
	if *raw {
		reg = nil
	}
	// The context's formats: for this topic, unless a flag says otherwise.
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	ck, cv := c.Formats(*topic)
	if !given["key-format"] && !*raw {
		kf = ck
	}
	if !given["value-format"] && !*raw {
		vf = cv
	}
	p.typed = newTypedDecoder(ctx, reg, kf, vf, *topic, e.stderr)
	growPipe(e.stdout, tailChunk)
	return writeTail(ctx, cs, p, e.stdout, *count)
}

// tailChunk is the pipe size a tail asks for: a fast writer then wakes
// its reader once per large write instead of once per 64 KiB.
const tailChunk = 1 << 20

// tailSegment is how many records one formatting job holds: a few
// hundred KiB of output, one write.
const tailSegment = 4096

// writeTail prints cs's records to w until the consumer ends (io.EOF, ctx,
// an error) or count records are printed (0: no limit).
//
// Each poll takes every record fetched so far, in place (franz-go then
// fetches the next ones while these are printed). Its records are cut
// into segments formatted by one goroutine per core, each into a buffer
// of its own, and written by one writer goroutine in poll order, so no
// record moves. A segment is written as soon as it is formatted: a live
// tail shows each record at once, a backlog goes out in large writes. A
// fixed set of buffers bounds what waits for the pipe: a reader that
// stops reading stops the tail within a few segments and a fetch
// (TestTailOutageHeadless holds it).
func writeTail(ctx context.Context, cs *kafka.Consumer, p printer, w io.Writer, count int) error {
	workers := max(1, runtime.GOMAXPROCS(0))
	out := newSegmentWriter(w, 2*workers+2)
	jobs := make(chan *segment, cap(out.free))
	var wg sync.WaitGroup
	for range workers {
		go func() {
			var lines kafka.JSONLines // this goroutine's: it remembers the last topic and second
			for j := range jobs {
				j.b.Each(j.lo, j.hi, func(r *kafka.Record) { j.buf = p.append(j.buf, r, &lines) })
				close(j.done)
				wg.Done()
			}
		}()
	}
	err := formatTail(ctx, cs, out, jobs, &wg, count)
	close(jobs)
	werr := out.close()
	switch {
	case errors.Is(err, errOutputFailed), err == nil:
		return werr
	case werr != nil:
		return errors.Join(err, werr)
	}
	return err
}

// errOutputFailed stops formatting once a write failed; the write's own
// error is what writeTail returns.
var errOutputFailed = errors.New("output failed")

// formatTail is writeTail's loop: it polls, hands each poll's segments to
// the formatting goroutines (jobs) and to out in order, and waits for the
// poll's records to be formatted before it polls again, so the batch's
// memory is reused only once it is read.
func formatTail(ctx context.Context, cs *kafka.Consumer, out *segmentWriter, jobs chan<- *segment, wg *sync.WaitGroup, count int) error {
	var b kafka.Batch
	defer b.Release()
	printed := 0
	for {
		err := cs.PollBatch(ctx, &b)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		n := b.Len()
		if count > 0 {
			n = min(n, count-printed)
		}
		for lo := 0; lo < n; lo += tailSegment {
			buf, ok := out.buffer()
			if !ok {
				wg.Wait()
				return errOutputFailed
			}
			j := &segment{b: &b, lo: lo, hi: min(lo+tailSegment, n), buf: buf, done: make(chan struct{})}
			wg.Add(1)
			out.queue <- j
			jobs <- j
		}
		wg.Wait() // every record read before the next poll reuses the batch
		if printed += n; count > 0 && printed >= count {
			return nil
		}
	}
}

// segment is records [lo, hi) of a batch, formatted into buf; done
// closes once they are.
type segment struct {
	b      *kafka.Batch
	lo, hi int
	buf    []byte
	done   chan struct{}
}

// segmentWriter writes formatted segments in the order they were queued,
// on a goroutine of its own, so the write system call (a pipe copy, and
// waiting for the reader) overlaps formatting. Its buffers are few: a
// segment waits for a free one.
type segmentWriter struct {
	w      io.Writer
	queue  chan *segment
	free   chan []byte
	done   chan struct{}
	failed atomic.Bool
	err    error // the first write error; read after done closes
}

func newSegmentWriter(w io.Writer, buffers int) *segmentWriter {
	c := &segmentWriter{w: w, queue: make(chan *segment, buffers), free: make(chan []byte, buffers), done: make(chan struct{})}
	for range buffers {
		c.free <- nil // grown on first use, kept after
	}
	go func() {
		defer close(c.done)
		for j := range c.queue {
			<-j.done
			if c.err == nil && len(j.buf) > 0 {
				if _, err := c.w.Write(j.buf); err != nil {
					c.err = fmt.Errorf("write output: %w", err)
					c.failed.Store(true)
				}
			}
			c.free <- j.buf[:0]
		}
	}()
	return c
}

// buffer waits for a free buffer to format into; false once a write
// failed.
func (c *segmentWriter) buffer() ([]byte, bool) {
	b := <-c.free
	return b, !c.failed.Load()
}

// close writes what is queued and returns the first write error.
func (c *segmentWriter) close() error {
	close(c.queue)
	<-c.done
	return c.err
}

// printer formats records: JSON lines, or like kcat -C the value per line
// (key DELIM value with -K). On a terminal bytes are made inert. With a
// schema registry, wire-format keys and values are decoded first.
type printer struct {
	json  bool
	delim string
	inert bool
	typed *typedDecoder // nil: no registry, or --raw
}

// append appends r's line, newline included, to dst; a JSON line through
// lines, the formatting goroutine's own.
func (p printer) append(dst []byte, r *kafka.Record, lines *kafka.JSONLines) []byte {
	var t kafka.Typed
	typed := p.typed != nil && p.typed.decode(*r, &t)
	if p.json {
		if typed {
			return append(lines.AppendTyped(dst, r, &t), '\n')
		}
		return append(lines.Append(dst, r), '\n')
	}
	if p.delim != "" {
		if t.Key != nil {
			dst = p.field(dst, plain(t.Key, r.Key))
		} else {
			dst = p.field(dst, r.Key)
		}
		dst = append(dst, p.delim...)
	}
	if t.Value != nil {
		return append(p.field(dst, plain(t.Value, r.Value)), '\n')
	}
	dst = p.field(dst, r.Value)
	if r.ValueSize > len(r.Value) && p.inert {
		dst = fmt.Appendf(dst, "… (%d of %d bytes shown)", len(r.Value), r.ValueSize)
	}
	return append(dst, '\n')
}

// field appends a key or value: as is into a pipe, inert on a terminal.
func (p printer) field(dst, b []byte) []byte {
	if p.inert {
		return append(dst, text.Sanitize(b)...)
	}
	return append(dst, b...)
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
