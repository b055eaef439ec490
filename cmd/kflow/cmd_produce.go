package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"

	"kflow/kafka"
	"kflow/template"
	"kflow/text"
)

// minRate is the slowest --rate: one record in about 17 minutes. Below
// it the interval between records overflows.
const minRate = 0.001

func runProduce(ctx context.Context, e env, args []string) error {
	var g globals
	fs := newFlags("produce", e, &g)
	topic := fs.String("t", "", "the topic to write to (required)")
	fs.StringVar(topic, "topic", "", "the `topic` to write to (required)")
	key := fs.String("k", "", "the record key (default: none)")
	fs.StringVar(key, "key", "", "the record `key` (default: none)")
	partition := fs.Int("p", -1, "write to this partition (-1: the partitioner chooses by key)")
	fs.IntVar(partition, "partition", -1, "write to this `partition` (-1: the partitioner chooses by key)")
	delim := fs.String("K", "", "stdin lines are key, this `delimiter`, value (like kcat -K)")
	fromJSONL := fs.String("from-jsonl", "", "replay records saved by kflow tail --json from this `file` (- for stdin)")
	keepPartition := fs.Bool("keep-partition", false, "with --from-jsonl: write each record to its saved partition")
	templateName := fs.String("template", "", "produce from a record template by this `name` (e.g. order-placed)")
	count := fs.Int("count", 0, "send the VALUE, file or template this many `times` (0: once)")
	rate := fs.Float64("rate", 0, "send at most this many `records` per second (0: as fast as the broker takes)")
	literal := fs.Bool("literal", false, "send VALUE as written: no {{placeholder}} expansion")
	valueFile := fs.String("value-file", "", "the value is this `file`'s bytes, as they are")
	keySchema := fs.String("key-schema", "", "encode the key, given as JSON, through the schema registry with this `subject[:version]` (version a number or latest), or as the plain body of a local schema: @FILE.avsc, @FILE.proto[:MESSAGE], @FILE.json")
	valueSchema := fs.String("value-schema", "", "encode the value, given as JSON, through the schema registry with this `subject[:version]` (version a number or latest), or as the plain body of a local schema: @FILE.avsc, @FILE.proto[:MESSAGE], @FILE.json")
	keyMessage := fs.String("key-message", "", "with a Protobuf --key-schema subject: the `message` to encode, full or short name (default the schema's first)")
	valueMessage := fs.String("value-message", "", "with a Protobuf --value-schema subject: the `message` to encode, full or short name (default the schema's first)")
	maxLine := fs.Int("max-line-bytes", 0, "refuse a stdin line longer than this many `bytes` (0: the topic's max.message.bytes)")
	fs.StringVar(&g.compression, "compression", "none", "compress record batches with this `codec`: none, gzip, snappy, lz4 or zstd (like kcat -z)")
	var headers multiFlag
	fs.Var(&headers, "H", "a record header, key=value; repeat for more")
	fs.Var(&headers, "header", "a record header, `key=value`; repeat for more")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	keySet, maxLineSet := false, false
	fs.Visit(func(f *flagT) {
		keySet = keySet || f.Name == "k" || f.Name == "key"
		maxLineSet = maxLineSet || f.Name == "max-line-bytes"
	})
	if *topic == "" {
		return usagef("produce needs a topic: -t TOPIC")
	}
	if len(pos) > 1 {
		return usagef("produce takes at most one VALUE (quote it), got %d", len(pos))
	}
	if *partition < -1 || *partition > math.MaxInt32 {
		return usagef("-p %d: a partition is a number from 0", *partition)
	}
	if *fromJSONL != "" && (len(pos) > 0 || keySet || *delim != "" || *valueFile != "") {
		return usagef("--from-jsonl replays whole records: it takes no VALUE, -k, -K or --value-file")
	}
	if *valueFile != "" && (len(pos) > 0 || *delim != "" || *templateName != "") {
		return usagef("--value-file is the value: it takes no VALUE, -K or --template")
	}
	if *count < 0 || (*count == 0 && countSet(fs)) {
		return usagef("--count %d: send 1 or more records", *count)
	}
	if math.IsNaN(*rate) || math.IsInf(*rate, 0) || *rate < 0 || (*rate > 0 && *rate < minRate) {
		return usagef("--rate %v: records per second, 0 (as fast as the broker takes) or from %v", *rate, minRate)
	}
	if !slices.Contains(kafka.Compressions, g.compression) {
		return usagef("--compression %q: one of %s", g.compression, strings.Join(kafka.Compressions, ", "))
	}
	if maxLineSet && *maxLine <= 0 {
		return usagef("--max-line-bytes %d: a size in bytes, 1 or more", *maxLine)
	}
	if *fromJSONL != "" && (*templateName != "" || *count > 0) {
		return usagef("--from-jsonl replays saved records: it takes no --template or --count (--rate paces it)")
	}
	var keyRef, valueRef *schemaRef
	for _, f := range []struct {
		name, val, message string
		out                **schemaRef
	}{{"key-schema", *keySchema, *keyMessage, &keyRef}, {"value-schema", *valueSchema, *valueMessage, &valueRef}} {
		msgFlag := strings.TrimSuffix(f.name, "schema") + "message"
		if f.val == "" {
			if f.message != "" {
				return usagef("--%s names a Protobuf message of --%s: give --%s SUBJECT too", msgFlag, f.name, f.name)
			}
			continue
		}
		ref, err := parseSchemaRef(f.name, f.val)
		if err != nil {
			return err
		}
		if f.message != "" && ref.local != nil {
			return usagef("--%s: a local .proto names its message itself: --%s @FILE.proto:MESSAGE", msgFlag, f.name)
		}
		ref.message = f.message
		*f.out = &ref
	}
	var tmplSpec *template.RecordSpec
	if *templateName != "" {
		tpl, err := template.Find(*templateName)
		if err != nil {
			return usagef("--template: %v", err)
		}
		tmplSpec = &tpl.Spec
	}
	if tmplSpec == nil && len(pos) == 0 && *valueFile == "" && *count > 0 {
		return usagef("--count repeats a VALUE, a --value-file or a --template; stdin lines are each sent once")
	}
	hs := make([]kafka.Header, 0, len(headers))
	for _, h := range headers {
		k, v, ok := strings.Cut(h, "=")
		if !ok || k == "" {
			return usagef("-H %q: want key=value", h)
		}
		hs = append(hs, kafka.Header{Key: k, Value: []byte(v)})
	}
	streamGC(e.getenv)
	c, done, err := connect(ctx, &g, e)
	if err != nil {
		return err
	}
	defer done()
	c.WarmProduce(ctx, *topic)
	out := produceOutput{e: e, json: g.json, topic: *topic}
	if ((keyRef != nil && keyRef.local == nil) || (valueRef != nil && valueRef.local == nil)) && c.Registry() == nil {
		return usagef("--key-schema and --value-schema SUBJECT need a schema registry: %s (or @FILE: a local schema file, no registry)", registryHint)
	}
	schemas, err := newProduceSchemas(ctx, c.Registry(), keyRef, valueRef)
	if err != nil {
		return err
	}

	base := kafka.Record{Topic: *topic, Partition: int32(*partition), Headers: hs}
	if keySet {
		base.Key = []byte(*key)
	}
	if tmplSpec != nil || (len(pos) == 1 && !*literal) {
		spec := template.RecordSpec{Topic: *topic, Partition: int32(*partition)}
		if tmplSpec != nil {
			spec = *tmplSpec
			spec.Topic, spec.Partition = *topic, int32(*partition)
		}
		if keySet {
			spec.Key = key
		}
		if len(pos) == 1 {
			spec.Value = pos[0]
		}
		spec.Headers = mergeHeaders(spec.Headers, hs)
		return produceSpec(ctx, out, c, spec, max(*count, 1), *rate, schemas)
	}
	if len(pos) == 1 || *valueFile != "" {
		rec := base
		if *valueFile != "" {
			limit, err := c.MaxMessageBytes(ctx, *topic)
			src := fmt.Sprintf("the max.message.bytes of topic %q", *topic)
			if err != nil {
				limit, src = DefaultMaxLineBytes, "kflow's cap; the topic's max.message.bytes could not be read"
			}
			if rec.Value, err = readValueFile(*valueFile, limit, src); err != nil {
				return err
			}
		} else {
			rec.Value = []byte(pos[0])
		}
		if err := schemas.encode(&rec); err != nil {
			return usagef("%v", err)
		}
		n := max(*count, 1)
		if n == 1 && *rate == 0 {
			return out.one(c.Produce(ctx, rec))
		}
		st, err := c.ProduceStream(ctx, kafka.StreamOptions{Count: n, Rate: *rate, Progress: out.progress(), InMemory: true},
			func(int) (kafka.Record, bool) { return rec, true })
		return out.run(st, err, nil)
	}

	// Lines of stdin, or saved records: bounded lines, checked whole
	// first when the input can be read twice.
	limit := *maxLine
	hint := "--max-line-bytes"
	if !maxLineSet {
		var err error
		if limit, err = c.MaxMessageBytes(ctx, *topic); err != nil {
			limit = DefaultMaxLineBytes
			hint = "--max-line-bytes; the topic's max.message.bytes could not be read"
		} else {
			hint = fmt.Sprintf("the max.message.bytes of topic %q; --max-line-bytes changes it", *topic)
		}
	}
	var mk func(io.Reader) recordSource
	in := e.stdin
	if *fromJSONL != "" {
		n := int32(0)
		if *keepPartition {
			if n, err = c.Partitions(ctx, *topic); err != nil {
				return err
			}
		}
		name := "stdin"
		if *fromJSONL != "-" {
			f, err := os.Open(*fromJSONL)
			if err != nil {
				return fmt.Errorf("replay: %w", err)
			}
			defer func() { _ = f.Close() }()
			in, name = f, *fromJSONL
		}
		mk = func(r io.Reader) recordSource {
			return jsonlSource(r, name, *topic, *keepPartition, n, jsonlLineFactor*limit, fmt.Sprintf("%d times %s", jsonlLineFactor, hint), schemas)
		}
	} else {
		mk = func(r io.Reader) recordSource { return lineSource(r, base, *delim, limit, hint, schemas) }
	}
	next, checked, err := checkedSource(in, mk)
	if err != nil {
		return err
	}
	var input inputErr
	st, err := c.ProduceStream(ctx, kafka.StreamOptions{Rate: *rate, Progress: out.progress()}, func(int) (kafka.Record, bool) {
		rec, ok, err := next()
		if err != nil {
			input.set(err)
		}
		return rec, ok && err == nil
	})
	ierr := input.get()
	if ierr != nil && !checked {
		ierr = fmt.Errorf("%w: stopped there; %s %s sent before it (%d acknowledged), nothing after it",
			ierr, text.CountOf(int(st.Sent), "record", "records"), text.Plural(int(st.Sent), "was", "were"), st.Acked)
	}
	return out.run(st, err, ierr)
}

// flagT shortens Visit callbacks.
type flagT = flag.Flag
