package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"kflow/kafka"
	"kflow/text"
)

func runTopics(ctx context.Context, e env, args []string) error {
	var g globals
	fs := newFlags("topics", e, &g)
	all := fs.Bool("all", false, "include internal topics such as __consumer_offsets")
	unhealthy := fs.Bool("unhealthy", false, "only topics with offline, under-min-ISR or under-replicated partitions (internal ones included)")
	failOnFlag := fs.String("fail-on", "", "exit 3 when a listed topic has a partition at this `mark` or worse: under-replicated, under-min-isr or offline")
	c, done, err := setupNoArgs(ctx, e, fs, &g, args)
	if err != nil {
		return err
	}
	defer done()
	failOn, err := parseFailOnHealth(*failOnFlag)
	if err != nil {
		return err
	}
	ts, err := c.ListTopics(ctx)
	if err != nil {
		return err
	}
	if p := c.Principal(); len(ts) == 0 && p != "" {
		fmt.Fprintf(e.stderr, "no topics that %s may describe (Kafka lists only those)\n", p)
	}
	shown := ts[:0:0]
	for _, t := range ts {
		switch {
		case *unhealthy && t.Unhealthy():
			shown = append(shown, t)
		case !*unhealthy && (*all || !t.Internal):
			shown = append(shown, t)
		}
	}
	if g.json {
		if err := printJSON(e.stdout, shown); err != nil {
			return err
		}
		return checkTopicsHealth(failOn, shown)
	}
	if err := table(e.stdout, "TOPIC\tPARTITIONS\tRF\tMIN-ISR\tRECORDS\tHEALTH", func(w io.Writer) {
		for _, t := range shown {
			health := topicHealthWords(t)
			if t.Internal {
				health += " (internal)"
			}
			fmt.Fprintf(w, "%s\t%d\t%d\t%s\t%d\t%s\n", text.SanitizeString(t.Name), t.Partitions, t.ReplicationFactor, minISRText(t.MinISR), t.Records, health)
		}
	}); err != nil {
		return err
	}
	return checkTopicsHealth(failOn, shown)
}

// parseFailOnHealth checks a --fail-on health mark; "" means never fail (rank 0).
func parseFailOnHealth(s string) (int, error) {
	if s == "" {
		return 0, nil
	}
	r := kafka.HealthRank(s)
	if r <= 0 {
		return 0, usagef("--fail-on %q: want under-replicated, under-min-isr or offline", s)
	}
	return r, nil
}

// topicWorst is the worst health mark among a topic's partitions.
func topicWorst(t kafka.TopicSummary) string {
	switch {
	case t.Offline > 0:
		return kafka.HealthOffline
	case t.UnderMinISR > 0:
		return kafka.HealthUnderMinISR
	case t.UnderReplicated > 0:
		return kafka.HealthUnderReplicated
	}
	return kafka.HealthOK
}

// topicHealthWords says every mark of a topic with its count, worst first, or "ok".
func topicHealthWords(t kafka.TopicSummary) string {
	var parts []string
	if t.Offline > 0 {
		parts = append(parts, fmt.Sprintf("%d offline", t.Offline))
	}
	if t.UnderMinISR > 0 {
		parts = append(parts, fmt.Sprintf("%d under-min-isr", t.UnderMinISR))
	}
	if t.UnderReplicated > 0 {
		parts = append(parts, fmt.Sprintf("%d under-replicated", t.UnderReplicated))
	}
	if len(parts) == 0 {
		return "ok"
	}
	return strings.Join(parts, ", ")
}

func minISRText(n int) string {
	if n <= 0 {
		return "-"
	}
	return strconv.Itoa(n)
}

// checkTopicsHealth fails (exit 3) when a topic's worst mark ranks failOn or worse.
func checkTopicsHealth(failOn int, ts []kafka.TopicSummary) error {
	if failOn == 0 {
		return nil
	}
	var bad []string
	for _, t := range ts {
		if kafka.HealthRank(topicWorst(t)) >= failOn {
			bad = append(bad, t.Name+" ("+topicHealthWords(t)+")")
		}
	}
	if len(bad) == 0 {
		return nil
	}
	return &thresholdError{fmt.Sprintf("%s unhealthy: %s", text.CountOf(len(bad), "topic", "topics"), strings.Join(bad, "; "))}
}

// checkPartitionsHealth fails (exit 3) when a partition's mark ranks failOn or worse.
func checkPartitionsHealth(failOn int, d kafka.TopicDetail) error {
	if failOn == 0 {
		return nil
	}
	var bad []string
	for _, p := range d.Partitions {
		if kafka.HealthRank(p.Health) >= failOn {
			bad = append(bad, fmt.Sprintf("%d %s", p.Partition, p.Health))
		}
	}
	if len(bad) == 0 {
		return nil
	}
	return &thresholdError{fmt.Sprintf("topic %s: %s unhealthy: %s", d.Name, text.CountOf(len(bad), "partition", "partitions"), strings.Join(bad, ", "))}
}

func runTopic(ctx context.Context, e env, args []string) error {
	var g globals
	fs := newFlags("topic", e, &g)
	parts := &partitionsFlag{}
	fs.Var(parts, "p", "create: the count of partitions of the new topic (0: the broker's num.partitions); elect-leaders, truncate: the partitions to act on, such as 0,2 (default all)")
	fs.Var(parts, "partitions", "create: the `count` of partitions of the new topic (0: the broker's num.partitions); elect-leaders, truncate: the partitions to act on, such as 0,2 (default all)")
	rf := fs.Int64("r", 0, "replicas of each partition of the new topic (0: the broker's default)")
	fs.Int64Var(rf, "replication-factor", 0, "`replicas` of each partition of the new topic (0: the broker's default)")
	var configs multiFlag
	fs.Var(&configs, "c", "a topic config of the new topic, key=value; repeat for more")
	fs.Var(&configs, "config-entry", "a topic config of the new topic, `key=value`; repeat for more")
	confirm := fs.String("confirm", "", "the topic's `name` again (all for elect-leaders --all): delete, truncate --execute, elect-leaders --execute, reassign --execute or --cancel without a prompt")
	dryRun := fs.Bool("dry-run", false, "set-config, reset-config, truncate, elect-leaders, reassign: print the plan (checked by the broker where it can be) and write nothing (elect-leaders, reassign: the default)")
	before := fs.String("before", "", "truncate: delete the records before this `point`: an OFFSET, @TIME (RFC 3339, Unix ms, or an age such as @2h), or end (all)")
	execute := fs.Bool("execute", false, "truncate, elect-leaders, reassign: carry the plan out (needs --confirm NAME; without it, a dry run prints the plan)")
	maxParts := fs.Int64("max-partitions", kafka.DefaultMaxPartitions, "refuse a topic larger than this many `partitions`")
	failOnFlag := fs.String("fail-on", "", "describe: exit 3 when a partition is at this `mark` or worse: under-replicated, under-min-isr or offline")
	rf2 := replicaFlags{parts: parts,
		all:       fs.Bool("all", false, "elect-leaders: every partition of every topic (confirm with --confirm all)"),
		dry:       dryRun,
		execute:   execute,
		status:    fs.Bool("status", false, "reassign: the reassignments in progress (of the topic, or all): adding and removing replicas, ISR catch-up, bytes copied; removes a finished one's throttle"),
		cancel:    fs.Bool("cancel", false, "reassign: cancel the topic's reassignment in progress (with --confirm NAME)"),
		plan:      fs.String("plan", "", "reassign: the target replicas from a kafka-reassign-partitions.sh JSON `file`"),
		toBrokers: fs.String("to-brokers", "", "reassign: spread the topic's replicas evenly over these broker `ids`, such as 1,2,3"),
		throttle:  fs.String("throttle", "", "reassign --execute: cap replication to this `rate`, such as 10MiB/s, while it moves (removed by --status once done, and by --cancel)"),
		save:      fs.String("save-plan", "", "reassign: write the plan to this `file` in kafka-reassign-partitions.sh's format, and its rollback to FILE.rollback.json"),
		confirm:   confirm,
	}
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) >= 1 && (pos[0] == "elect-leaders" || pos[0] == "reassign") {
		if pos[0] == "elect-leaders" {
			return runElectLeaders(ctx, e, &g, rf2, pos[1:])
		}
		return runReassign(ctx, e, &g, rf2, pos[1:])
	}
	if len(pos) < 2 {
		return usagef("topic takes an action (describe, configs, create, delete, add-partitions, set-config, reset-config, truncate, elect-leaders, reassign) and a topic name")
	}
	action, name := pos[0], pos[1]
	var changes []kafka.ConfigChange
	var truncParts []int32
	switch action {
	case "add-partitions":
		if len(pos) != 3 {
			return usagef("topic add-partitions takes a topic and how many partitions to add")
		}
	case "set-config", "reset-config":
		if changes, err = parseChanges("topic "+action, pos[2:], action == "reset-config"); err != nil {
			return err
		}
	case "truncate":
		if err := wantArgs("topic truncate", pos[1:], 1, "one topic name"); err != nil {
			return err
		}
		if *before == "" {
			return usagef("topic truncate needs --before OFFSET|@TIME|end")
		}
		if *dryRun && *execute {
			return usagef("--dry-run and --execute: pick one")
		}
		if truncParts, err = parts.list(); err != nil {
			return err
		}
	default:
		if err := wantArgs("topic "+action, pos[1:], 1, "one topic name"); err != nil {
			return err
		}
	}
	// Counts are checked before connecting: an overflowing or huge count
	// must never reach a broker.
	if err := kafka.CheckPartitionLimit(*maxParts); err != nil {
		return usagef("topic %s: %v", action, err)
	}
	var add int64
	partitions := new(int64)
	switch action {
	case "create":
		if *partitions, err = parts.count(); err != nil {
			return err
		}
		if *partitions != 0 {
			if err := kafka.CheckPartitionCount("-p/--partitions", *partitions, *maxParts); err != nil {
				return usagef("topic create: %v", err)
			}
		}
		if *rf != 0 {
			if err := kafka.CheckReplicationFactor(*rf); err != nil {
				return usagef("topic create: -r/--replication-factor: %v", err)
			}
		}
	case "add-partitions":
		n, err := strconv.ParseInt(pos[2], 10, 64)
		if err != nil {
			return usagef("topic add-partitions: %q is not a count of partitions to add", pos[2])
		}
		if err := kafka.CheckPartitionCount("adding", n, *maxParts); err != nil {
			return usagef("topic add-partitions: %v", err)
		}
		add = n
	}
	failOn, err := parseFailOnHealth(*failOnFlag)
	if err != nil {
		return err
	}
	if failOn != 0 && action != "describe" {
		return usagef("topic %s: --fail-on is for topic describe", action)
	}
	cfg := map[string]string{}
	for _, kv := range configs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return usagef("-c %q: want key=value, e.g. cleanup.policy=compact", kv)
		}
		cfg[k] = v
	}
	c, done, err := connect(ctx, &g, e)
	if err != nil {
		return err
	}
	defer done()
	switch action {
	case "set-config", "reset-config":
		return runConfigChange(ctx, e, c, g.json, kafka.TopicTarget(name), changes, *dryRun)
	case "truncate":
		return runTruncate(ctx, e, c, g.json, name, *before, truncParts, *dryRun, *execute, *confirm)
	case "describe":
		d, err := c.DescribeTopic(ctx, name)
		if err != nil {
			return err
		}
		if g.json {
			if err := printJSON(e.stdout, d); err != nil {
				return err
			}
			return checkPartitionsHealth(failOn, d)
		}
		fmt.Fprintf(e.stdout, "Topic %s  id %s  partitions %d  replication %d  min ISR %s\n\n", text.SanitizeString(d.Name), d.ID, len(d.Partitions), d.ReplicationFactor, minISRText(d.MinISR))
		if err := table(e.stdout, "PARTITION\tLEADER\tREPLICAS\tISR\tOFFLINE\tSTART\tEND\tRECORDS\tHEALTH", func(w io.Writer) {
			for _, p := range d.Partitions {
				fmt.Fprintf(w, "%d\t%d\t%v\t%v\t%v\t%d\t%d\t%d\t%s\n", p.Partition, p.Leader, ints(p.Replicas), ints(p.ISR), ints(p.OfflineReplicas), p.StartOffset, p.EndOffset, p.Records(), p.Health)
			}
		}); err != nil {
			return err
		}
		return checkPartitionsHealth(failOn, d)
	case "configs":
		cs, err := c.TopicConfigs(ctx, name)
		if err != nil {
			return err
		}
		if g.json {
			return printJSON(e.stdout, cs)
		}
		return table(e.stdout, "NAME\tVALUE\tSOURCE", func(w io.Writer) {
			for _, c := range cs {
				v := c.Value
				if c.Sensitive {
					v = "(sensitive)"
				}
				fmt.Fprintf(w, "%s\t%s\t%s\n", c.Name, v, c.Source)
			}
		})
	case "create":
		spec := kafka.TopicSpec{Name: name, Partitions: int32(*partitions), ReplicationFactor: int16(*rf), Configs: cfg}
		if err := c.CreateTopic(ctx, spec); err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "created topic %s\n", name)
		return nil
	case "delete":
		if err := confirmName(e, "delete topic", name, *confirm, describeLoss(ctx, c, name)); err != nil {
			return err
		}
		if err := c.DeleteTopic(ctx, name); err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "deleted topic %s\n", name)
		return nil
	case "add-partitions":
		if err := c.AddPartitions(ctx, name, int(add)); err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "added %s to %s\n", text.CountOf(int(add), "partition", "partitions"), name)
		return nil
	}
	return usagef("topic: unknown action %q (describe, configs, create, delete, add-partitions, set-config, reset-config, truncate, elect-leaders, reassign)", action)
}

// describeLoss says what deleting a topic loses, for the confirmation.
func describeLoss(ctx context.Context, c *kafka.Client, name string) string {
	d, err := c.DescribeTopic(ctx, name)
	if err != nil {
		return ""
	}
	var n int64
	for _, p := range d.Partitions {
		n += p.Records()
	}
	return fmt.Sprintf("This deletes %s and its %s in %s.", name, text.CountOf(int(n), "record", "records"), text.CountOf(len(d.Partitions), "partition", "partitions"))
}

// confirmName makes a destructive action name its target: --confirm NAME
// in scripts, or the name typed back at a prompt on a terminal.
func confirmName(e env, action, name, given, what string) error {
	if given == name {
		return nil
	}
	if given != "" {
		return usagef("%s: --confirm %q does not match %q", action, given, name)
	}
	if !isTerminal(e.stdout) {
		return usagef("%s %s: give --confirm %s to do it without a prompt", action, name, name)
	}
	if what != "" {
		fmt.Fprintln(e.stderr, what)
	}
	fmt.Fprintf(e.stderr, "Type %q to %s: ", name, action)
	line, _ := bufio.NewReader(e.stdin).ReadString('\n')
	if strings.TrimSpace(line) != name {
		return fmt.Errorf("%s %s: not confirmed, nothing done", action, name)
	}
	return nil
}

func ints(s []int32) string {
	parts := make([]string, len(s))
	for i, v := range s {
		parts[i] = strconv.Itoa(int(v))
	}
	return "[" + strings.Join(parts, ",") + "]"
}

func runBrokers(ctx context.Context, e env, args []string) error {
	var g globals
	c, done, err := setupNoArgs(ctx, e, newFlags("brokers", e, &g), &g, args)
	if err != nil {
		return err
	}
	defer done()
	info, err := c.BrokersHealth(ctx)
	if err != nil {
		return err
	}
	if g.json {
		return printJSON(e.stdout, info)
	}
	fmt.Fprintf(e.stdout, "Cluster %s  controller %d\n\n", info.ClusterID, info.Controller)
	return table(e.stdout, "ID\tADDRESS\tRACK\tCONTROLLER\tSTATE\tLEADERS\tREPLICAS\tURP-LED", func(w io.Writer) {
		for _, b := range info.Health {
			ctl := ""
			if b.Controller {
				ctl = "*"
			}
			addr := b.Addr()
			if b.Host == "" {
				addr = "-"
			}
			fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%d\t%d\t%d\n", b.ID, addr, b.Rack, ctl, b.State, b.Leaders, b.Replicas, b.LeadersUnderReplicated)
		}
	})
}
