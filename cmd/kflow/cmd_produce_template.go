package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"kflow/kafka"
	"kflow/views"
)

// countSet reports whether --count was given.
func countSet(fs *flag.FlagSet) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == "count" })
	return set
}

// mergeHeaders is a template's headers with the -H ones: a -H header
// replaces the template's of the same key, others are added in order.
func mergeHeaders(tmpl []kafka.HeaderSpec, given []kafka.Header) []kafka.HeaderSpec {
	out := append([]kafka.HeaderSpec(nil), tmpl...)
	for _, h := range given {
		replaced := false
		for i := range out {
			if out[i].Key == h.Key && !replaced {
				out[i].Value, replaced = string(h.Value), true
			}
		}
		if !replaced {
			out = append(out, kafka.HeaderSpec{Key: h.Key, Value: string(h.Value)})
		}
	}
	return out
}

// produceSpec sends count records expanded from spec (placeholders per
// record), the way the produce form does: one record prints where it
// landed, a run prints its counts and latencies.
func produceSpec(ctx context.Context, e env, g globals, c *kafka.Client, spec kafka.RecordSpec, count int, rate float64) error {
	rt, err := kafka.CompileRecord(spec)
	if err != nil {
		return usagef("%v (or --literal sends the text as typed)", err)
	}
	if err := rt.CheckJSON(time.Now()); err != nil {
		return usagef("value: %v", err)
	}
	if count == 1 && rate == 0 {
		res, err := c.Produce(ctx, rt.Record(1, time.Now(), nil))
		if err != nil {
			return err
		}
		if g.json {
			return printJSON(e.stdout, res)
		}
		fmt.Fprintf(e.stdout, "%s/%d@%d\n", views.SanitizeString(res.Topic), res.Partition, res.Offset)
		return nil
	}
	st, err := c.ProduceStream(ctx, kafka.StreamOptions{Count: count, Rate: rate}, func(i int) (kafka.Record, bool) {
		return rt.Record(int64(i+1), time.Now(), nil), i < count
	})
	if g.json {
		if jerr := printJSON(e.stdout, st); jerr != nil && err == nil {
			err = jerr
		}
	} else {
		fmt.Fprintf(e.stderr, "produced %s to %s (%d failed) in %v: %.0f/s, p50 %v, p99 %v\n",
			views.CountOf(int(st.Acked), "record", "records"), views.SanitizeString(spec.Topic), st.Failed, st.Elapsed.Round(time.Millisecond),
			st.Rate(), st.P50.Round(10*time.Microsecond), st.P99.Round(10*time.Microsecond))
	}
	return err
}
