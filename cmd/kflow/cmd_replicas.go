package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"kflow/kafka"
	"kflow/text"
)

// partitionsFlag is -p/--partitions: a count for topic create, a list
// such as 0,2 for elect-leaders. It keeps what was typed; each action
// reads it its way.
type partitionsFlag struct{ s string }

func (p *partitionsFlag) String() string     { return p.s }
func (p *partitionsFlag) Set(v string) error { p.s = v; return nil }

// count is the value as a count of partitions (0 when not given).
func (p *partitionsFlag) count() (int64, error) {
	if p.s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(p.s, 10, 64)
	if err != nil {
		return 0, usagef("-p/--partitions %q: want a count of partitions", p.s)
	}
	return n, nil
}

// list is the value as partition numbers (nil when not given).
func (p *partitionsFlag) list() ([]int32, error) {
	if p.s == "" {
		return nil, nil
	}
	var out []int32
	for _, f := range strings.Split(p.s, ",") {
		n, err := strconv.ParseInt(strings.TrimSpace(f), 10, 32)
		if err != nil || n < 0 {
			return nil, usagef("--partitions %q: %q is not a partition number: want partition numbers such as 0,2", p.s, f)
		}
		out = append(out, int32(n))
	}
	return out, nil
}

// parseBrokerIDs reads --to-brokers 1,2,3.
func parseBrokerIDs(s string) ([]int32, error) {
	var out []int32
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.ParseInt(strings.TrimSpace(f), 10, 32)
		if err != nil || n < 0 {
			return nil, usagef("--to-brokers %q: want broker ids such as 1,2,3", s)
		}
		out = append(out, int32(n))
	}
	return out, nil
}

// parseRate reads a throttle such as 10MiB/s, 500kB/s or 1048576 (bytes a
// second); the "/s" is optional.
func parseRate(s string) (int64, error) {
	v := strings.TrimSuffix(strings.TrimSpace(s), "/s")
	units := []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"kB", 1e3}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1}}
	mult := int64(1)
	for _, u := range units {
		if strings.HasSuffix(v, u.suffix) {
			v, mult = strings.TrimSpace(strings.TrimSuffix(v, u.suffix)), u.mult
			break
		}
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f <= 0 || f*float64(mult) > 1<<62 {
		return 0, usagef("--throttle %q: want a rate such as 10MiB/s, 500kB/s or bytes a second", s)
	}
	return int64(f * float64(mult)), nil
}

// replicaFlags are the topic command's flags for elect-leaders and reassign.
type replicaFlags struct {
	parts             *partitionsFlag
	all, dry, execute *bool
	status, cancel    *bool
	plan, toBrokers   *string
	throttle, save    *string
	confirm           *string
}

func leaderText(l int32) string {
	if l < 0 {
		return "none"
	}
	return strconv.Itoa(int(l))
}

// runElectLeaders is kflow topic elect-leaders [T] [--partitions 0,2] [--all]:
// the plan (partitions not led by their preferred replica), then with
// --execute --confirm T the election, one outcome per partition.
func runElectLeaders(ctx context.Context, e env, g *globals, f replicaFlags, pos []string) error {
	var target kafka.ElectionTarget
	name := "all"
	switch {
	case len(pos) == 1 && !*f.all:
		name = pos[0]
		target.Topics = []string{name}
	case len(pos) == 0 && *f.all:
	default:
		return usagef("topic elect-leaders takes one topic, or --all for every topic")
	}
	parts, err := f.parts.list()
	if err != nil {
		return err
	}
	if len(parts) > 0 && len(target.Topics) == 0 {
		return usagef("topic elect-leaders: --partitions needs a topic")
	}
	target.Partitions = parts
	if *f.execute && *f.dry {
		return usagef("topic elect-leaders: --dry-run or --execute, not both")
	}
	c, done, err := connect(ctx, g, e)
	if err != nil {
		return err
	}
	defer done()
	plan, err := c.PreferredElectionPlan(ctx, target)
	if err != nil {
		return err
	}
	if !*f.execute {
		if g.json {
			return printJSON(e.stdout, plan)
		}
		if len(plan) == 0 {
			fmt.Fprintln(e.stdout, "every partition is led by its preferred replica: nothing to elect")
		} else if err := table(e.stdout, "TOPIC\tPARTITION\tLEADER\tPREFERRED\tNOTE", func(w io.Writer) {
			for _, m := range plan {
				note := ""
				if !m.PreferredInSync {
					note = "preferred replica not in sync: the election will fail"
				}
				fmt.Fprintf(w, "%s\t%d\t%s\t→ %d\t%s\n", text.SanitizeString(m.Topic), m.Partition, leaderText(m.Leader), m.Preferred, note)
			}
		}); err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "dry run: nothing elected. Add --execute --confirm %s to elect.\n", name)
		return nil
	}
	what := fmt.Sprintf("This moves the leadership of %s back to the preferred replica.", text.CountOf(len(plan), "partition", "partitions"))
	if err := confirmName(e, "elect preferred leaders of", name, *f.confirm, what); err != nil {
		return err
	}
	rs, err := c.ElectPreferredLeaders(ctx, target)
	if err != nil {
		return err
	}
	return printOutcomes(e, g, rs, "elect")
}

// printOutcomes prints per-partition outcomes; any error makes exit 1.
func printOutcomes(e env, g *globals, rs []kafka.ElectionResult, what string) error {
	failed := 0
	for _, r := range rs {
		if r.Outcome == kafka.ElectError {
			failed++
		}
	}
	if g.json {
		if err := printJSON(e.stdout, rs); err != nil {
			return err
		}
	} else if err := table(e.stdout, "TOPIC\tPARTITION\tOUTCOME\tERROR", func(w io.Writer) {
		for _, r := range rs {
			fmt.Fprintf(w, "%s\t%d\t%s\t%s\n", text.SanitizeString(r.Topic), r.Partition, r.Outcome, r.Error)
		}
	}); err != nil {
		return err
	}
	if failed > 0 {
		return fmt.Errorf("%s: %s of %d failed", what, text.CountOf(failed, "partition", "partitions"), len(rs))
	}
	return nil
}

// runReassign is kflow topic reassign: a plan from --plan FILE or
// --to-brokers, --dry-run (default) or --execute --confirm T with an
// optional --throttle; --status [T] and --cancel T --confirm T.
func runReassign(ctx context.Context, e env, g *globals, f replicaFlags, pos []string) error {
	if len(pos) > 1 {
		return usagef("topic reassign takes at most one topic, got %q", pos)
	}
	name := ""
	if len(pos) == 1 {
		name = pos[0]
	}
	switch {
	case *f.status && *f.cancel:
		return usagef("topic reassign: --status or --cancel, not both")
	case *f.status:
		c, done, err := connect(ctx, g, e)
		if err != nil {
			return err
		}
		defer done()
		return reassignStatus(ctx, e, g, c, name)
	case *f.cancel:
		if name == "" {
			return usagef("topic reassign --cancel takes the topic whose reassignment to cancel")
		}
		c, done, err := connect(ctx, g, e)
		if err != nil {
			return err
		}
		defer done()
		rs, err := c.ListReassignments(ctx, name)
		if err != nil {
			return err
		}
		if len(rs) == 0 {
			return fmt.Errorf("reassign --cancel %s: no reassignment in progress", name)
		}
		what := fmt.Sprintf("This cancels the reassignment of %s of %s: they go back to their replicas before it.", text.CountOf(len(rs), "partition", "partitions"), name)
		if err := confirmName(e, "cancel the reassignment of", name, *f.confirm, what); err != nil {
			return err
		}
		out, err := c.CancelReassignment(ctx, name)
		if perr := printOutcomes(e, g, out, "cancel"); perr != nil && err == nil {
			err = perr
		}
		return err
	}
	if name == "" {
		return usagef("topic reassign takes the topic to reassign (or --status)")
	}
	if (*f.plan == "") == (*f.toBrokers == "") {
		return usagef("topic reassign %s: give --plan FILE or --to-brokers 1,2,3", name)
	}
	if *f.execute && *f.dry {
		return usagef("topic reassign: --dry-run or --execute, not both")
	}
	var rate int64
	if *f.throttle != "" {
		r, err := parseRate(*f.throttle)
		if err != nil {
			return err
		}
		rate = r
	}
	var fileA kafka.Assignment
	if *f.plan != "" {
		b, err := os.ReadFile(*f.plan)
		if err != nil {
			return fmt.Errorf("reassign: %w", err)
		}
		if fileA, err = kafka.ParseReassignJSON(b); err != nil {
			return usagef("reassign --plan %s: %v", *f.plan, err)
		}
		for t := range fileA {
			if t != name {
				return usagef("reassign %s: the plan %s moves topic %q too: one topic a run", name, *f.plan, t)
			}
		}
	}
	var brokers []int32
	if *f.toBrokers != "" {
		bs, err := parseBrokerIDs(*f.toBrokers)
		if err != nil {
			return err
		}
		brokers = bs
	}
	c, done, err := connect(ctx, g, e)
	if err != nil {
		return err
	}
	defer done()
	a := fileA
	if a == nil {
		d, err := c.DescribeTopic(ctx, name)
		if err != nil {
			return err
		}
		if a, err = kafka.BalancedAssignment(name, d.Partitions, brokers); err != nil {
			return usagef("reassign %s: %v", name, err)
		}
	}
	plan, err := c.PlanReassignment(ctx, a)
	if err != nil {
		return err
	}
	if *f.save != "" {
		if err := os.WriteFile(*f.save, append(kafka.ReassignJSON(plan.Moves, false), '\n'), 0o644); err != nil {
			return fmt.Errorf("reassign: save the plan: %w", err)
		}
		if err := os.WriteFile(*f.save+".rollback.json", append(kafka.ReassignJSON(plan.Moves, true), '\n'), 0o644); err != nil {
			return fmt.Errorf("reassign: save the rollback: %w", err)
		}
		fmt.Fprintf(e.stderr, "plan written to %s, its rollback to %s.rollback.json\n", *f.save, *f.save)
	}
	if !*f.execute {
		if g.json {
			return printJSON(e.stdout, plan)
		}
		printReassignPlan(e.stdout, plan, rate)
		fmt.Fprintf(e.stderr, "dry run: nothing moved. Add --execute --confirm %s to start it.\n", name)
		return nil
	}
	if len(plan.Moves) == 0 {
		fmt.Fprintln(e.stdout, "every partition already has its target replicas: nothing to move")
		return nil
	}
	what := fmt.Sprintf("This moves %s of %s, copying %s.", text.CountOf(len(plan.Moves), "partition", "partitions"), name, text.Bytes(plan.Bytes))
	if err := confirmName(e, "reassign", name, *f.confirm, what); err != nil {
		return err
	}
	rs, err := c.ExecuteReassignment(ctx, plan, rate)
	if err != nil {
		return err
	}
	if err := printOutcomes(e, g, rs, "reassign"); err != nil {
		return err
	}
	if !g.json {
		fmt.Fprintf(e.stderr, "started. Follow it with: kflow topic reassign --status %s\n", name)
	}
	return nil
}

func printReassignPlan(w io.Writer, plan kafka.ReassignPlan, rate int64) {
	if len(plan.Moves) == 0 {
		fmt.Fprintln(w, "every partition already has its target replicas: nothing to move")
		return
	}
	_ = table(w, "TOPIC\tPARTITION\tCURRENT\tTARGET\tADDING\tREMOVING\tBYTES", func(tw io.Writer) {
		for _, m := range plan.Moves {
			fmt.Fprintf(tw, "%s\t%d\t%s\t→ %s\t%s\t%s\t%s\n", text.SanitizeString(m.Topic), m.Partition, ints(m.Current), ints(m.Target), ints(m.Adding), ints(m.Removing), text.Bytes(m.Bytes))
		}
	})
	line := fmt.Sprintf("\n%s to move, %s to copy", text.CountOf(len(plan.Moves), "partition", "partitions"), text.Bytes(plan.Bytes))
	if rate > 0 {
		line += fmt.Sprintf(", throttled to %s/s (about %ds)", text.Bytes(rate), plan.Bytes/rate)
	}
	fmt.Fprintln(w, line)
}

func reassignStatus(ctx context.Context, e env, g *globals, c *kafka.Client, name string) error {
	st, err := c.ReassignmentProgress(ctx, name)
	if err != nil {
		return err
	}
	if g.json {
		return printJSON(e.stdout, st)
	}
	if len(st.InProgress) == 0 {
		what := "no reassignment in progress"
		if name != "" {
			what += " for " + name
		}
		fmt.Fprintln(e.stdout, what)
	} else if err := table(e.stdout, "TOPIC\tPARTITION\tREPLICAS\tADDING\tREMOVING\tISR\tCAUGHT-UP\tCOPIED", func(w io.Writer) {
		for _, r := range st.InProgress {
			copied := "-"
			if r.Bytes > 0 {
				copied = fmt.Sprintf("%s of %s", text.Bytes(r.Copied), text.Bytes(r.Bytes))
			}
			fmt.Fprintf(w, "%s\t%d\t%s\t%s\t%s\t%s\t%d/%d\t%s\n", text.SanitizeString(r.Topic), r.Partition, ints(r.Replicas), ints(r.AddingReplicas), ints(r.RemovingReplicas), ints(r.ISR), r.CaughtUp, len(r.AddingReplicas), copied)
		}
	}); err != nil {
		return err
	}
	if st.ThrottleRemoved {
		fmt.Fprintf(e.stderr, "reassignment of %s done: its replication throttle removed\n", name)
	}
	return nil
}
