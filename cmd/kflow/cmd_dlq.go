package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"kflow/kafka"
	"kflow/text"
)

// dlqFlags are kflow dlq's own flags, checked.
type dlqFlags struct {
	opts    kafka.DLQRedriveOptions
	dryRun  bool
	execute bool
	confirm string
}

func parseDLQFlags(e env, args []string, g *globals) (action, topic string, f dlqFlags, err error) {
	fs := newFlags("dlq", e, g)
	filter := fs.String("filter", "", "redrive only records matching this `filter`: TEXT, ~REGEXP, key:…, value:…, header:NAME:…")
	reason := fs.String("reason", "", "redrive only records with this error `reason`")
	var records multiFlag
	fs.Var(&records, "record", "redrive only the record at `PARTITION/OFFSET`; repeat for more")
	to := fs.String("to", "", "send every record to this `topic` (default: the topic its source header names)")
	maxRetries := fs.Int("max-retries", kafka.DLQMaxRetries, "refuse records whose retry count reached `N` (0: no limit)")
	retryHeader := fs.String("retry-header", kafka.DLQRetryHeader, "the `header` counting retries, incremented on redrive")
	reasonHeaders := fs.String("reason-headers", strings.Join(kafka.DLQReasonHeaders, ","), "the error reason `headers`, comma separated, the first a record has wins")
	batch := fs.Int("batch", 100, "`N` records per transaction")
	rate := fs.Float64("rate", 0, "at most `R` records per second (0: no cap)")
	dryRun := fs.Bool("dry-run", false, "print the plan and send nothing (the default)")
	execute := fs.Bool("execute", false, "redrive: send the plan's records (needs --confirm DLQ_TOPIC)")
	confirm := fs.String("confirm", "", "the DLQ topic's `name` again: redrive --execute without a prompt")
	pos, err := parse(fs, args)
	if err != nil {
		return "", "", f, err
	}
	if len(pos) != 2 || pos[0] != "summary" && pos[0] != "redrive" {
		return "", "", f, usagef("dlq takes an action (summary, redrive) and a dead-letter topic")
	}
	f = dlqFlags{dryRun: *dryRun, execute: *execute, confirm: *confirm}
	if f.dryRun && f.execute {
		return "", "", f, usagef("--dry-run and --execute: pick one")
	}
	if *batch < 1 {
		return "", "", f, usagef("--batch must be at least 1, not %d", *batch)
	}
	if *rate < 0 {
		return "", "", f, usagef("--rate must not be negative, not %v", *rate)
	}
	if *maxRetries < 0 {
		return "", "", f, usagef("--max-retries must not be negative, not %d", *maxRetries)
	}
	match, err := kafka.ParseDLQFilter(*filter)
	if err != nil {
		return "", "", f, usagef("--filter: %v", err)
	}
	sel := kafka.DLQSelection{Reason: *reason, Filter: strings.TrimSpace(*filter), Match: match}
	for _, r := range records {
		ps, os, ok := strings.Cut(r, "/")
		p, perr := strconv.ParseInt(ps, 10, 32)
		o, oerr := strconv.ParseInt(os, 10, 64)
		if !ok || perr != nil || oerr != nil || p < 0 || o < 0 {
			return "", "", f, usagef("--record %q: want PARTITION/OFFSET, e.g. 0/42", r)
		}
		sel.Records = append(sel.Records, kafka.DLQRef{Partition: int32(p), Offset: o})
	}
	mr := *maxRetries
	if mr == 0 {
		mr = -1 // DLQRedriveOptions: negative is no limit
	}
	var hs []string
	for h := range strings.SplitSeq(*reasonHeaders, ",") {
		if h = strings.TrimSpace(h); h != "" {
			hs = append(hs, h)
		}
	}
	f.opts = kafka.DLQRedriveOptions{Select: sel, To: *to, ReasonHeaders: hs, RetryHeader: *retryHeader, MaxRetries: mr, BatchSize: *batch, Rate: *rate}
	return pos[0], pos[1], f, nil
}

// runDLQ summarises a dead-letter topic by error reason, or plans and
// runs a redrive of its records back to their source topics.
func runDLQ(ctx context.Context, e env, args []string) error {
	var g globals
	action, topic, f, err := parseDLQFlags(e, args, &g)
	if err != nil {
		return err
	}
	c, done, err := connect(ctx, &g, e)
	if err != nil {
		return err
	}
	defer done()
	if action == "summary" {
		s, err := c.DLQSummarize(ctx, topic, f.opts.ReasonHeaders)
		return printAs(g.json, e.stdout, s, err, printDLQSummary)
	}
	if f.execute {
		if err := c.Writable("redrive " + topic); err != nil {
			return err
		}
	}
	plan, err := c.PlanRedrive(ctx, topic, f.opts)
	if err != nil {
		return err
	}
	if !f.execute {
		if g.json {
			return printJSON(e.stdout, plan)
		}
		return printDLQPlan(e.stdout, plan)
	}
	if !g.json {
		if err := printDLQPlan(e.stderr, plan); err != nil {
			return err
		}
	}
	what := fmt.Sprintf("This sends %s to %s.", text.CountOf(plan.Sending(), "record", "records"), targetNames(plan))
	if err := confirmName(e, "redrive", topic, f.confirm, what); err != nil {
		return err
	}
	res, err := c.Redrive(ctx, plan, func(p kafka.DLQProgress) {
		if !g.json {
			fmt.Fprintf(e.stderr, "batch %d committed: %d of %d sent\n", p.Batches, p.Sent, p.Total)
		}
	})
	if err != nil {
		return err
	}
	if g.json {
		return printJSON(e.stdout, res)
	}
	fmt.Fprintf(e.stdout, "redrove %s from %s in %s (id %s)\n", text.CountOf(res.Sent, "record", "records"), text.SanitizeString(topic),
		text.CountOf(res.Batches, "transaction", "transactions"), res.ID)
	return nil
}

func targetNames(p kafka.DLQPlan) string {
	var ts []string
	for _, t := range p.Targets {
		ts = append(ts, text.SanitizeString(t.Topic))
	}
	if len(ts) == 0 {
		return "no topic"
	}
	return strings.Join(ts, ", ")
}

func printDLQSummary(w io.Writer, s kafka.DLQSummary) error {
	fmt.Fprintf(w, "DLQ %s  %s\n\n", text.SanitizeString(s.Topic), text.CountOf(s.Records, "record", "records"))
	return table(w, "COUNT\tFIRST\tLAST\tREASON", func(tw io.Writer) {
		for _, r := range s.Reasons {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", r.Count, r.First.UTC().Format(time.RFC3339), r.Last.UTC().Format(time.RFC3339), text.SanitizeString(r.Reason))
		}
	})
}

func printDLQPlan(w io.Writer, p kafka.DLQPlan) error {
	rate := "no cap"
	if p.Rate > 0 {
		rate = text.Rate(p.Rate) + " records/s"
	}
	fmt.Fprintf(w, "Redrive %s  id %s  %s: %d selected, %d to send, %d refused, %d done before\n", text.SanitizeString(p.Topic), p.ID,
		p.Selection, p.Selected, p.Sending(), len(p.Refused), p.Done)
	fmt.Fprintf(w, "progress in group %s; %d records per transaction, rate %s\n\n", text.SanitizeString(p.Group), p.Batch, rate)
	if err := table(w, "TARGET\tRECORDS\tPARTITIONS\tHEADERS\tDROPPED", func(tw io.Writer) {
		for _, t := range p.Targets {
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\n", text.SanitizeString(t.Topic), t.Records, partitionCounts(t.Partitions),
				text.SanitizeString(strings.Join(t.Headers, ",")), text.SanitizeString(dash(strings.Join(t.Dropped, ","))))
		}
	}); err != nil {
		return err
	}
	if len(p.Refused) == 0 {
		return nil
	}
	fmt.Fprintf(w, "\nRefused:\n")
	return table(w, "PARTITION\tOFFSET\tWHY", func(tw io.Writer) {
		for _, r := range p.Refused {
			fmt.Fprintf(tw, "%d\t%d\t%s\n", r.Partition, r.Offset, text.SanitizeString(r.Reason))
		}
	})
}

// partitionCounts reads 0:3,2:1: records per partition.
func partitionCounts(m map[int32]int) string {
	ps := make([]int32, 0, len(m))
	for p := range m {
		ps = append(ps, p)
	}
	slices.Sort(ps)
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = fmt.Sprintf("%d:%d", p, m[p])
	}
	return strings.Join(parts, ",")
}
