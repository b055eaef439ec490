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

// tailChunk is how many formatted bytes a tail gathers before it writes:
// a pipe gets few large writes, not one per poll of a few hundred records.
const tailChunk = 1 << 20

// splitAt is the batch size from which a tail formats the two halves of
// a batch on two goroutines.
const splitAt = 2048

// writeTail prints cs's records to w until the consumer ends (io.EOF, ctx,
// an error) or count records are printed (0: no limit). Records are
// formatted into one reused buffer, written when it holds tailChunk bytes
// and whenever no further batch is ready, so a live tail's records show
// at once while a backlog goes out in large writes.
func writeTail(ctx context.Context, cs *kafka.Consumer, p printer, w io.Writer, count int) error {
	out := newChunkWriter(w)
	err := formatTail(ctx, cs, p, out, count)
	werr := out.close()
	switch {
	case errors.Is(err, errOutputFailed):
		return werr
	case err == nil:
		return werr
	case werr != nil:
		return errors.Join(err, werr)
	}
	return err
}

// errOutputFailed stops formatting once a write failed; the write's own
// error is what writeTail returns.
var errOutputFailed = errors.New("output failed")

// formatTail is writeTail's loop, handing full buffers to out.
func formatTail(ctx context.Context, cs *kafka.Consumer, p printer, out *chunkWriter, count int) error {
	ctx, cancel := context.WithCancel(ctx)
	batches, free := pollAhead(ctx, cs)
	defer func() {
		cancel()
		for range batches { // let the poller end before the consumer closes
		}
	}()
	buf := out.buffer()
	write := func() error {
		if len(buf) == 0 {
			return nil
		}
		var ok bool
		if buf, ok = out.send(buf); !ok {
			return errOutputFailed
		}
		return nil
	}
	var side []byte // the second half of a large batch, formatted alongside
	n := 0
	for b := range batches {
		recs := b.recs
		if count == 0 && len(recs) >= splitAt && runtime.GOMAXPROCS(0) > 1 {
			// Formatting is the tail's main cost: two cores format the
			// two halves, joined in order, so no record moves.
			half := len(recs) / 2
			done := make(chan struct{})
			go func() {
				defer close(done)
				side = side[:0]
				for _, r := range recs[half:] {
					side = p.append(side, r)
				}
			}()
			for _, r := range recs[:half] {
				buf = p.append(buf, r)
			}
			<-done
			buf = append(buf, side...)
			recs = nil
			if len(buf) >= tailChunk {
				if err := write(); err != nil {
					return err
				}
			}
		}
		for _, r := range recs {
			buf = p.append(buf, r)
			if n++; count > 0 && n >= count {
				return write()
			}
			if len(buf) >= tailChunk {
				if err := write(); err != nil {
					return err
				}
			}
		}
		select { // hand the slice back for the next poll
		case free <- b.recs:
		default:
		}
		if errors.Is(b.err, io.EOF) {
			return write()
		}
		if b.err != nil {
			if err := write(); err != nil {
				return errors.Join(b.err, err)
			}
			return b.err
		}
		if len(batches) == 0 { // idle: what was read is shown now
			if err := write(); err != nil {
				return err
			}
		}
	}
	if err := write(); err != nil {
		return err
	}
	return ctx.Err()
}

// chunkWriter writes formatted chunks on a goroutine of its own, so the
// write system call (a pipe copy, and waiting for the reader) overlaps
// formatting the next chunk. Two buffers exist, one written, one being
// filled: a reader that stops reading stops the tail within a chunk or
// two (TestTailOutageHeadless holds it).
type chunkWriter struct {
	w      io.Writer
	full   chan []byte
	spare  chan []byte
	done   chan struct{}
	failed atomic.Bool
	err    error // the first write error; read after done closes
}

func newChunkWriter(w io.Writer) *chunkWriter {
	c := &chunkWriter{w: w, full: make(chan []byte), spare: make(chan []byte, 3), done: make(chan struct{})}
	go func() {
		defer close(c.done)
		for b := range c.full {
			if c.err == nil {
				if _, err := c.w.Write(b); err != nil {
					c.err = fmt.Errorf("write output: %w", err)
					c.failed.Store(true)
				}
			}
			c.spare <- b[:0]
		}
	}()
	return c
}

// buffer returns an empty buffer to fill: a written one, or a new one.
func (c *chunkWriter) buffer() []byte {
	select {
	case b := <-c.spare:
		return b
	default:
		return make([]byte, 0, tailChunk+64<<10)
	}
}

// send queues b to be written and returns a buffer to fill next; false
// once a write failed.
func (c *chunkWriter) send(b []byte) ([]byte, bool) {
	if c.failed.Load() {
		return b[:0], false
	}
	c.full <- b
	return c.buffer(), true
}

// close writes what is queued and returns the first write error.
func (c *chunkWriter) close() error {
	close(c.full)
	<-c.done
	return c.err
}

// tailBatch is one poll's records, or the error that ended the polling.
type tailBatch struct {
	recs []kafka.Record
	err  error
}

// pollAhead polls cs on a goroutine of its own, so franz-go fetches the
// next records while the last ones are formatted and written (it fetches
// again only once its buffered fetch is taken). It stops after the first
// error (io.EOF included) or when ctx ends, closing batches. Slices sent
// back on free are reused for later polls. batches is unbuffered: one
// batch waits, so an unread pipe holds the tail to a fetch or two.
func pollAhead(ctx context.Context, cs *kafka.Consumer) (<-chan tailBatch, chan<- []kafka.Record) {
	batches := make(chan tailBatch)
	free := make(chan []kafka.Record, 4)
	go func() {
		defer close(batches)
		for {
			var recs []kafka.Record
			select {
			case recs = <-free:
			default:
			}
			recs, err := cs.PollAppend(ctx, recs[:0])
			select {
			case batches <- tailBatch{recs, err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
	return batches, free
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

// append appends r's line, newline included, to dst.
func (p printer) append(dst []byte, r kafka.Record) []byte {
	var t kafka.Typed
	typed := p.typed != nil && p.typed.decode(r, &t)
	if p.json {
		if typed {
			return append(kafka.AppendTypedJSONLine(dst, r, t), '\n')
		}
		return append(kafka.AppendJSONLine(dst, r), '\n')
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
