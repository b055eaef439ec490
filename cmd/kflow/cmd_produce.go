package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"kflow/kafka"
	"kflow/views"
)

func runProduce(ctx context.Context, e env, args []string) error {
	var g globals
	fs := newFlags("produce", e, &g)
	topic := fs.String("t", "", "")
	fs.StringVar(topic, "topic", "", "")
	key := fs.String("k", "", "")
	fs.StringVar(key, "key", "", "")
	partition := fs.Int("p", -1, "")
	fs.IntVar(partition, "partition", -1, "")
	delim := fs.String("K", "", "")
	fromJSONL := fs.String("from-jsonl", "", "")
	keepPartition := fs.Bool("keep-partition", false, "")
	templateName := fs.String("template", "", "")
	count := fs.Int("count", 0, "")
	rate := fs.Float64("rate", 0, "")
	literal := fs.Bool("literal", false, "")
	var headers multiFlag
	fs.Var(&headers, "H", "")
	fs.Var(&headers, "header", "")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	keySet := false
	fs.Visit(func(f *flagT) {
		if f.Name == "k" || f.Name == "key" {
			keySet = true
		}
	})
	if *topic == "" {
		return usagef("produce needs a topic: -t TOPIC")
	}
	if len(pos) > 1 {
		return usagef("produce takes at most one VALUE (quote it), got %d", len(pos))
	}
	if *partition < -1 {
		return usagef("-p %d: a partition is a number from 0", *partition)
	}
	if *fromJSONL != "" && (len(pos) > 0 || keySet || *delim != "") {
		return usagef("--from-jsonl replays whole records: it takes no VALUE, -k or -K")
	}
	if *count < 0 || (*count == 0 && countSet(fs)) {
		return usagef("--count %d: send 1 or more records", *count)
	}
	if *rate < 0 {
		return usagef("--rate %v: records per second, 0 or more (0 is as fast as the broker takes)", *rate)
	}
	if *fromJSONL != "" && (*templateName != "" || *count > 0) {
		return usagef("--from-jsonl replays saved records: it takes no --template or --count (--rate paces it)")
	}
	var tmplSpec *kafka.RecordSpec
	if *templateName != "" {
		tpl, err := kafka.FindTemplate(*templateName)
		if err != nil {
			return usagef("--template: %v", err)
		}
		tmplSpec = &tpl.Spec
	}
	if tmplSpec == nil && len(pos) == 0 && *count > 0 {
		return usagef("--count repeats a VALUE or a --template; stdin lines are each sent once")
	}
	hs := make([]kafka.Header, 0, len(headers))
	for _, h := range headers {
		k, v, ok := strings.Cut(h, "=")
		if !ok || k == "" {
			return usagef("-H %q: want key=value", h)
		}
		hs = append(hs, kafka.Header{Key: k, Value: []byte(v)})
	}
	c, done, err := connect(ctx, &g, e)
	if err != nil {
		return err
	}
	defer done()

	base := kafka.Record{Topic: *topic, Partition: int32(*partition), Headers: hs}
	if keySet {
		base.Key = []byte(*key)
	}
	if tmplSpec != nil || (len(pos) == 1 && !*literal) {
		spec := kafka.RecordSpec{Topic: *topic, Partition: int32(*partition)}
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
		return produceSpec(ctx, e, g, c, spec, max(*count, 1), *rate)
	}
	if len(pos) == 1 {
		rec := base
		rec.Value = []byte(pos[0])
		res, err := c.Produce(ctx, rec)
		if err != nil {
			return err
		}
		if g.json {
			return printJSON(e.stdout, res)
		}
		fmt.Fprintf(e.stdout, "%s/%d@%d\n", views.SanitizeString(res.Topic), res.Partition, res.Offset)
		return nil
	}

	next, err := lineSource(e.stdin, base, *delim)
	if err != nil {
		return err
	}
	if *fromJSONL != "" {
		next, err = jsonlSource(*fromJSONL, e.stdin, *topic, *keepPartition)
		if err != nil {
			return err
		}
	}
	var readErr error
	st, err := c.ProduceStream(ctx, kafka.StreamOptions{Rate: *rate}, func(i int) (kafka.Record, bool) {
		rec, ok, err := next()
		if err != nil {
			readErr = err
		}
		return rec, ok && err == nil
	})
	if err == nil {
		err = readErr
	}
	if g.json {
		if jerr := printJSON(e.stdout, st); jerr != nil && err == nil {
			err = jerr
		}
	} else {
		fmt.Fprintf(e.stderr, "produced %s to %s (%s failed) in %v\n",
			views.CountOf(int(st.Acked), "record", "records"), *topic, fmt.Sprint(st.Failed), st.Elapsed.Round(1e6))
	}
	return err
}

// flagT shortens Visit callbacks.
type flagT = flag.Flag

// lineSource reads one record per line of r, like kcat -P: the newline is
// not part of the value; with delim, the text before its first occurrence
// is the key (a line without it is an error, so no key is silently lost).
func lineSource(r io.Reader, base kafka.Record, delim string) (func() (kafka.Record, bool, error), error) {
	br := bufio.NewReaderSize(r, 1<<20)
	line := 0
	return func() (kafka.Record, bool, error) {
		b, err := br.ReadBytes('\n')
		if len(b) == 0 && err != nil {
			if errors.Is(err, io.EOF) {
				return kafka.Record{}, false, nil
			}
			return kafka.Record{}, false, fmt.Errorf("read stdin: %w", err)
		}
		line++
		b = bytes.TrimSuffix(b, []byte("\n"))
		rec := base
		if delim != "" {
			k, v, ok := bytes.Cut(b, []byte(delim))
			if !ok {
				return kafka.Record{}, false, fmt.Errorf("stdin line %d has no key delimiter %q", line, delim)
			}
			rec.Key, b = k, v
		}
		rec.Value = b
		return rec, true, nil
	}, nil
}

// jsonlSource replays records saved as kflow JSON lines ("-" is stdin)
// into topic, keeping their partitions only when asked.
func jsonlSource(path string, stdin io.Reader, topic string, keepPartition bool) (func() (kafka.Record, bool, error), error) {
	r := stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("replay: %w", err)
		}
		r = f // closed at exit; a command replays one file
	}
	dec := json.NewDecoder(bufio.NewReaderSize(r, 1<<20))
	n := 0
	return func() (kafka.Record, bool, error) {
		var j kafka.JSONRecord
		if err := dec.Decode(&j); err != nil {
			if errors.Is(err, io.EOF) {
				return kafka.Record{}, false, nil
			}
			return kafka.Record{}, false, fmt.Errorf("replay %s record %d: %w", path, n+1, err)
		}
		n++
		rec, err := j.Record()
		if err != nil {
			return kafka.Record{}, false, fmt.Errorf("replay %s record %d: %w", path, n, err)
		}
		rec.Topic = topic
		if !keepPartition {
			rec.Partition = -1
		}
		rec.Timestamp = time.Time{} // stamped now: old stamps meet retention at once
		return rec, true, nil
	}, nil
}
