package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"kflow/kafka"
	"kflow/template"
)

// countSet reports whether --count was given.
func countSet(fs *flag.FlagSet) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == "count" })
	return set
}

// mergeHeaders is a template's headers with the -H ones: a -H header
// replaces the template's of the same key, others are added in order.
func mergeHeaders(tmpl []template.HeaderSpec, given []kafka.Header) []template.HeaderSpec {
	out := append([]template.HeaderSpec(nil), tmpl...)
	for _, h := range given {
		replaced := false
		for i := range out {
			if out[i].Key == h.Key && !replaced {
				out[i].Value, replaced = string(h.Value), true
			}
		}
		if !replaced {
			out = append(out, template.HeaderSpec{Key: h.Key, Value: string(h.Value)})
		}
	}
	return out
}

// produceSpec sends count records expanded from spec (placeholders per
// record), the way the produce form does: one record prints where it
// landed, a run prints its counts and latencies. With schemas, each
// expansion is the JSON encoded through the registry: the first is
// checked before anything is sent, and a later one that does not match
// (a placeholder drew a value the schema refuses) stops the run there.
func produceSpec(ctx context.Context, out produceOutput, c *kafka.Client, spec template.RecordSpec, count int, rate float64, schemas *produceSchemas) error {
	rt, err := template.CompileRecord(spec)
	if err != nil {
		return usagef("%v (or --literal sends the text as typed)", err)
	}
	if err := rt.CheckJSON(time.Now()); err != nil {
		return usagef("value: %v", err)
	}
	first := kafka.TemplateRecord(rt, 1, time.Now(), nil)
	if err := schemas.encode(&first); err != nil {
		return usagef("%v", err)
	}
	if count == 1 && rate == 0 {
		return out.one(c.Produce(ctx, first))
	}
	var input inputErr
	expand := kafka.TemplateRecords(rt, nil)
	var now time.Time
	// Expansion and schema encoding are in memory: the records are made on
	// the sending goroutine (InMemory), with {{now}} read from the clock
	// every 16 records when they go as fast as they can, each one at a
	// rate.
	st, err := c.ProduceStream(ctx, kafka.StreamOptions{Count: count, Rate: rate, Progress: out.progress(), InMemory: true}, func(i int) (kafka.Record, bool) {
		if i == 0 {
			return first, count > 0
		}
		if rate > 0 || i%16 == 1 {
			now = time.Now()
		}
		rec := expand(int64(i+1), now)
		if err := schemas.encode(&rec); err != nil {
			input.set(fmt.Errorf("record %d: %w", i+1, err))
			return kafka.Record{}, false
		}
		return rec, i < count
	})
	ierr := input.get()
	if ierr != nil {
		ierr = fmt.Errorf("%w: stopped there; %d sent before it (%d acknowledged)", ierr, st.Sent, st.Acked)
	}
	return out.run(st, err, ierr)
}
