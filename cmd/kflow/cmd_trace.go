package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"kflow/filter"
	"kflow/kafka"
	"kflow/kafka/schema"
	"kflow/text"
)

// windowFlags are the time window flags trace and search share.
type windowFlags struct {
	since    *time.Duration
	from, to *string
}

func addWindowFlags(fs *flag.FlagSet, since time.Duration) windowFlags {
	return windowFlags{
		since: fs.Duration("since", since, "read the records of this last `duration` (ignored with --from)"),
		from:  fs.String("from", "", "read from this `time`: RFC 3339 (2026-11-23T10:00:00Z) or Unix milliseconds"),
		to:    fs.String("to", "", "read up to this `time` (RFC 3339 or Unix ms; default: the end when the scan starts)"),
	}
}

// scan is the window of a trace or search from now, with its
// --max-matches checked.
func (w windowFlags) scan(keep int) (from, to time.Time, err error) {
	if from, to, err = w.window(time.Now()); err != nil {
		return from, to, err
	}
	if keep <= 0 {
		return from, to, usagef("--max-matches must be positive")
	}
	return from, to, nil
}

// window resolves the flags to a from and to time (zero: unbounded).
func (w windowFlags) window(now time.Time) (from, to time.Time, err error) {
	parse := func(flag, s string) (time.Time, error) {
		st, err := kafka.ParseStart("@" + s)
		if err != nil {
			return time.Time{}, usagef("--%s %q: give an RFC 3339 time (2026-11-23T10:00:00Z) or Unix milliseconds", flag, s)
		}
		return st.Time, nil
	}
	switch {
	case *w.from != "":
		if from, err = parse("from", *w.from); err != nil {
			return
		}
	case *w.since > 0:
		from = now.Add(-*w.since)
	}
	if *w.to != "" {
		if to, err = parse("to", *w.to); err != nil {
			return
		}
		if !from.IsZero() && !to.After(from) {
			return from, to, usagef("--to must be after --from")
		}
	}
	return from, to, nil
}

func splitList(s string) []string {
	var out []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// runTrace finds every record carrying one id across topics, with the
// groups that have and have not consumed each.
func runTrace(ctx context.Context, e env, args []string) error {
	var g globals
	fs := newFlags("trace", e, &g)
	topics := fs.String("topics", "", "read only these `topics`, comma separated (default: every topic that is not internal)")
	win := addWindowFlags(fs, time.Hour)
	fields := fs.String("fields", "", "the header and JSON field `names` the id is looked for in, comma separated (default: "+strings.Join(kafka.DefaultTraceFields, ",")+"; case, - and _ ignored)")
	key := fs.Bool("key", false, "the id is a record key: match the key alone, reading only the partition it hashes to")
	keep := fs.Int("max-matches", kafka.DefaultScanKeep, "keep at most this many `matches` (all are counted)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("trace needs one id: kflow trace ID")
	}
	from, to, err := win.scan(*keep)
	if err != nil {
		return err
	}
	c, done, err := connect(ctx, &g, e)
	if err != nil {
		return err
	}
	defer done()
	s, err := c.Trace(ctx, kafka.TraceOptions{ID: pos[0], Topics: splitList(*topics), From: from, To: to,
		Fields: splitList(*fields), Key: *key, Keep: *keep})
	if err != nil {
		return err
	}
	recs, err := waitScan(ctx, s, e.stderr)
	if err != nil {
		return err
	}
	cons, err := c.Consumers(ctx, recs)
	if err != nil {
		return err
	}
	if g.json {
		return writeMatchesJSON(e.stdout, recs, cons, typedValues(c))
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME\tTOPIC\tPARTITION\tOFFSET\tKEY\tHEADERS\tCONSUMED BY\tNOT CONSUMED BY")
	for i, r := range recs {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%s\t%s\t%s\n", r.Timestamp.UTC().Format(time.RFC3339Nano), text.SanitizeString(r.Topic),
			r.Partition, r.Offset, keyText(r.Key), headersText(r.Headers), orDash(cons[i].ConsumedBy), orDash(cons[i].NotConsumedBy))
	}
	return tw.Flush()
}

// runSearch finds the records of a topic's time range that pass a tail
// filter.
func runSearch(ctx context.Context, e env, args []string) error {
	var g globals
	fs := newFlags("search", e, &g)
	topic := fs.String("t", "", "the topic to search (or the only argument)")
	fs.StringVar(topic, "topic", "", "the `topic` to search (or the only argument)")
	expr := fs.String("filter", "", "the tail's filter `expression`: text, ~regexp, key:TEXT, key:=KEY (one partition), value:TEXT, header:NAME:TEXT, jq EXPR")
	win := addWindowFlags(fs, 0)
	keep := fs.Int("max-matches", kafka.DefaultScanKeep, "keep at most this many `matches` (all are counted)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *topic == "" && len(pos) == 1 {
		*topic, pos = pos[0], nil
	}
	if *topic == "" {
		return usagef("search needs a topic: -t TOPIC")
	}
	if err := wantArgs("search", pos, 0, "no arguments besides the topic"); err != nil {
		return err
	}
	f, err := filter.Parse(*expr)
	if err != nil {
		return usagef("--filter: %v", err)
	}
	if f == nil {
		return usagef("search needs a filter: --filter EXPR")
	}
	from, to, err := win.scan(*keep)
	if err != nil {
		return err
	}
	c, done, err := connect(ctx, &g, e)
	if err != nil {
		return err
	}
	defer done()
	opts := kafka.ScanOptions{Topics: []string{*topic}, From: from, To: to, Keep: *keep, Match: f.Match}
	if k, ok := f.Key(); ok {
		if opts.Partitions, err = c.KeyPartitions(ctx, opts.Topics, k); err != nil {
			return err
		}
	}
	s, err := c.Scan(ctx, opts)
	if err != nil {
		return fmt.Errorf("search %q: %w", *topic, err)
	}
	recs, err := waitScan(ctx, s, e.stderr)
	if err != nil {
		return err
	}
	if g.json {
		return writeMatchesJSON(e.stdout, recs, nil, typedValues(c))
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME\tPARTITION\tOFFSET\tKEY\tVALUE")
	for _, r := range recs {
		v, _ := text.SanitizePreview(r.Value, 80)
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\n", r.Timestamp.UTC().Format(time.RFC3339Nano), r.Partition, r.Offset, keyText(r.Key), v)
	}
	return tw.Flush()
}

// waitScan waits for s, saying how far it got on stderr at the end (and
// every second on the way when it takes long); ctx (Ctrl-C) stops it
// and keeps what it found.
func waitScan(ctx context.Context, s *kafka.Scanner, stderr io.Writer) ([]kafka.Record, error) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	line := func() string {
		p := s.Progress()
		return text.ScanLine(p.Records, p.Bytes, p.Fraction(), p.ETA(), p.Matches, p.Kept, p.Done) +
			fmt.Sprintf(" · %s in %s", text.CountOf(p.Partitions, "partition", "partitions"), p.Elapsed.Round(time.Millisecond))
	}
wait:
	for {
		select {
		case <-s.Done():
			break wait
		case <-ctx.Done():
			s.Stop()
			<-s.Done()
			fmt.Fprintln(stderr, "kflow: stopped")
			break wait
		case <-tick.C:
			fmt.Fprintln(stderr, "kflow: "+line())
		}
	}
	recs, err := s.Wait()
	fmt.Fprintln(stderr, "kflow: "+line())
	return recs, err
}

// typedValues decodes wire-format values for --json, when the connection
// has a registry.
func typedValues(c *kafka.Client) *schema.Decoder {
	if reg := c.Registry(); reg != nil {
		return schema.NewDecoder(reg, schema.DecoderOptions{})
	}
	return nil
}

// writeMatchesJSON writes the tail's JSON lines, with consumed_by and
// not_consumed_by when cons is given.
func writeMatchesJSON(w io.Writer, recs []kafka.Record, cons []kafka.Consumption, dec *schema.Decoder) error {
	bw := bufio.NewWriter(w)
	var line []byte
	for i, r := range recs {
		line = line[:0]
		if d, err := decodeValue(dec, r.Value); err == nil && d != nil {
			line = kafka.AppendTypedJSONLine(line, r, kafka.Typed{Value: d})
		} else {
			line = kafka.AppendJSONLine(line, r)
		}
		if cons != nil {
			line = append(line[:len(line)-1], `,"consumed_by":`...)
			line = appendNames(line, cons[i].ConsumedBy)
			line = append(line, `,"not_consumed_by":`...)
			line = appendNames(line, cons[i].NotConsumedBy)
			line = append(line, '}')
		}
		line = append(line, '\n')
		if _, err := bw.Write(line); err != nil {
			return fmt.Errorf("write matches: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write matches: %w", err)
	}
	return nil
}

func decodeValue(dec *schema.Decoder, v []byte) (*schema.Decoded, error) {
	if dec == nil || len(v) < 5 || v[0] != 0 {
		return nil, nil
	}
	d, err := dec.Decode(context.Background(), v)
	if err != nil {
		return nil, err
	}
	return &d, nil
}

func appendNames(dst []byte, names []string) []byte {
	dst = append(dst, '[')
	for i, n := range names {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = fmt.Appendf(dst, "%q", n)
	}
	return append(dst, ']')
}

func keyText(k []byte) string {
	if k == nil {
		return text.Dash
	}
	s, _ := text.SanitizePreview(k, 40)
	return s
}

func headersText(hs []kafka.Header) string {
	if len(hs) == 0 {
		return text.Dash
	}
	parts := make([]string, len(hs))
	for i, h := range hs {
		v, _ := text.SanitizePreview(h.Value, 60)
		parts[i] = text.SanitizeString(h.Key) + "=" + v
	}
	return strings.Join(parts, " ")
}

func orDash(s []string) string {
	if len(s) == 0 {
		return text.Dash
	}
	return strings.Join(s, ",")
}
