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
	c, done, err := setupNoArgs(ctx, e, fs, &g, args)
	if err != nil {
		return err
	}
	defer done()
	ts, err := c.ListTopics(ctx)
	if err != nil {
		return err
	}
	shown := ts[:0:0]
	for _, t := range ts {
		if *all || !t.Internal {
			shown = append(shown, t)
		}
	}
	if g.json {
		return printJSON(e.stdout, shown)
	}
	return table(e.stdout, "TOPIC\tPARTITIONS\tRF\tRECORDS\tHEALTH", func(w io.Writer) {
		for _, t := range shown {
			health := "ok"
			switch {
			case t.Offline > 0:
				health = fmt.Sprintf("%d offline", t.Offline)
			case t.UnderReplicated > 0:
				health = fmt.Sprintf("%d under-replicated", t.UnderReplicated)
			}
			if t.Internal {
				health += " (internal)"
			}
			fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%s\n", text.SanitizeString(t.Name), t.Partitions, t.ReplicationFactor, t.Records, health)
		}
	})
}

func runTopic(ctx context.Context, e env, args []string) error {
	var g globals
	fs := newFlags("topic", e, &g)
	partitions := fs.Int64("p", 0, "count of partitions of the new topic (0: the broker's num.partitions)")
	fs.Int64Var(partitions, "partitions", 0, "`count` of partitions of the new topic (0: the broker's num.partitions)")
	rf := fs.Int64("r", 0, "replicas of each partition of the new topic (0: the broker's default)")
	fs.Int64Var(rf, "replication-factor", 0, "`replicas` of each partition of the new topic (0: the broker's default)")
	var configs multiFlag
	fs.Var(&configs, "c", "a topic config of the new topic, key=value; repeat for more")
	fs.Var(&configs, "config-entry", "a topic config of the new topic, `key=value`; repeat for more")
	confirm := fs.String("confirm", "", "the topic's `name` again: delete without a prompt")
	maxParts := fs.Int64("max-partitions", kafka.DefaultMaxPartitions, "refuse a topic larger than this many `partitions`")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 2 {
		return usagef("topic takes an action (describe, configs, create, delete, add-partitions) and a topic name")
	}
	action, name := pos[0], pos[1]
	switch action {
	case "add-partitions":
		if len(pos) != 3 {
			return usagef("topic add-partitions takes a topic and how many partitions to add")
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
	switch action {
	case "create":
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
	case "describe":
		d, err := c.DescribeTopic(ctx, name)
		if err != nil {
			return err
		}
		if g.json {
			return printJSON(e.stdout, d)
		}
		fmt.Fprintf(e.stdout, "Topic %s  id %s  partitions %d  replication %d\n\n", text.SanitizeString(d.Name), d.ID, len(d.Partitions), d.ReplicationFactor)
		return table(e.stdout, "PARTITION\tLEADER\tREPLICAS\tISR\tOFFLINE\tSTART\tEND\tRECORDS", func(w io.Writer) {
			for _, p := range d.Partitions {
				fmt.Fprintf(w, "%d\t%d\t%v\t%v\t%v\t%d\t%d\t%d\n", p.Partition, p.Leader, ints(p.Replicas), ints(p.ISR), ints(p.OfflineReplicas), p.StartOffset, p.EndOffset, p.Records())
			}
		})
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
	return usagef("topic: unknown action %q (describe, configs, create, delete, add-partitions)", action)
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
	info, err := c.Cluster(ctx)
	if err != nil {
		return err
	}
	if g.json {
		return printJSON(e.stdout, info)
	}
	fmt.Fprintf(e.stdout, "Cluster %s  controller %d\n\n", info.ClusterID, info.Controller)
	return table(e.stdout, "ID\tADDRESS\tRACK\tCONTROLLER", func(w io.Writer) {
		for _, b := range info.Brokers {
			ctl := ""
			if b.Controller {
				ctl = "*"
			}
			fmt.Fprintf(w, "%d\t%s\t%s\t%s\n", b.ID, b.Addr(), b.Rack, ctl)
		}
	})
}
