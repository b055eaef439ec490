package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"kflow/kafka"
	"kflow/views"
)

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func runGroups(ctx context.Context, e env, args []string) error {
	var g globals
	c, done, err := setupNoArgs(ctx, e, newFlags("groups", e, &g), &g, args)
	if err != nil {
		return err
	}
	defer done()
	gs, err := c.ListGroups(ctx)
	if err != nil {
		return err
	}
	if g.json {
		return printJSON(e.stdout, gs)
	}
	return table(e.stdout, "GROUP\tSTATE\tTYPE\tASSIGNOR\tMEMBERS\tCOORDINATOR", func(w io.Writer) {
		for _, s := range gs {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\t%d\n", views.SanitizeString(s.ID), s.State, s.Type, dash(s.Protocol), s.Members, s.Coordinator)
		}
	})
}

func runGroup(ctx context.Context, e env, args []string) error {
	var g globals
	fs := newFlags("group", e, &g)
	to := fs.String("to", "", "reset `target`: earliest, latest, offset:N, shift:N (or shift:-N) or time:RFC3339")
	var topics multiFlag
	fs.Var(&topics, "topic", "reset only this `topic`, or TOPIC:0,1 for some partitions; repeat for more (default: every topic the group committed)")
	execute := fs.Bool("execute", false, "apply the reset (without it, a dry run prints the plan)")
	confirm := fs.String("confirm", "", "the group's `id` again: reset --execute or delete without a prompt")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("group takes an action (describe, reset, delete) and a group id")
	}
	action, id := pos[0], pos[1]
	var spec kafka.ResetSpec
	if action == "reset" {
		if *to == "" {
			return usagef("group reset needs --to earliest|latest|offset:N|shift:N|time:RFC3339")
		}
		spec.Group = id
		if spec.Mode, spec.Offset, spec.Time, err = kafka.ParseResetTo(*to); err != nil {
			return usagef("--to: %v", err)
		}
		for _, t := range topics {
			tp, err := parseTopicPartitions(t)
			if err != nil {
				return err
			}
			spec.Topics = append(spec.Topics, tp)
		}
	}
	c, done, err := connect(ctx, &g, e)
	if err != nil {
		return err
	}
	defer done()
	switch action {
	case "describe":
		d, err := c.DescribeGroup(ctx, id)
		if err != nil {
			return err
		}
		if g.json {
			return printJSON(e.stdout, d)
		}
		fmt.Fprintf(e.stdout, "Group %s  state %s  type %s  assignor %s  coordinator %d\n\n", views.SanitizeString(d.ID), d.State, d.Type, dash(d.Protocol), d.Coordinator)
		return table(e.stdout, "MEMBER\tCLIENT-ID\tHOST\tASSIGNMENT", func(w io.Writer) {
			for _, m := range d.MemberList {
				var as []string
				for _, a := range m.Assigned {
					as = append(as, a.Topic+":"+strings.Trim(ints(a.Partitions), "[]"))
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", m.MemberID, m.ClientID, m.Host, strings.Join(as, " "))
			}
		})
	case "reset":
		plan, err := c.PlanReset(ctx, spec)
		if err != nil {
			return err
		}
		active := &kafka.GroupActiveError{Group: id, Members: plan.Members, State: plan.State, Action: "resets offsets of"}
		if *execute {
			// Refused before anything says "the reset moves".
			if c.ReadOnly() {
				return fmt.Errorf("reset offsets of group %s: %w; nothing was written", id, kafka.ErrReadOnly)
			}
			if plan.Members > 0 {
				return fmt.Errorf("reset offsets of group %q: %w; nothing was written", id, active)
			}
		}
		if !*execute {
			if g.json {
				if err := printJSON(e.stdout, plan); err != nil {
					return err
				}
			} else {
				printPlan(e.stdout, plan, false)
			}
			switch {
			case c.ReadOnly():
				fmt.Fprintln(e.stderr, "dry run: nothing written (read-only: kflow will not apply it).")
			case plan.Members > 0:
				fmt.Fprintf(e.stderr, "dry run: nothing written. Group %q is %s: --execute will be refused, as Kafka only resets offsets of a group with no members; stop its consumers first.\n",
					id, views.ActiveText(plan.Members, plan.State))
			default:
				fmt.Fprintf(e.stderr, "dry run: nothing written. Add --execute --confirm %s to apply.\n", id)
			}
			return nil
		}
		if !g.json {
			printPlan(e.stdout, plan, true)
		}
		if err := confirmName(e, "reset offsets of group", id, *confirm, ""); err != nil {
			return err
		}
		if err := c.ApplyReset(ctx, plan); err != nil {
			return err
		}
		if g.json {
			return printJSON(e.stdout, plan)
		}
		fmt.Fprintf(e.stderr, "reset %s of group %s\n", views.CountOf(len(plan.Rows), "partition", "partitions"), id)
		return nil
	case "delete":
		if err := confirmName(e, "delete group", id, *confirm, "This deletes the group "+id+" and its committed offsets."); err != nil {
			return err
		}
		if err := c.DeleteGroup(ctx, id); err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "deleted group %s\n", id)
		return nil
	}
	return usagef("group: unknown action %q (describe, reset, delete)", action)
}

func printPlan(w io.Writer, plan kafka.ResetPlan, execute bool) {
	verb := "would move"
	if execute {
		verb = "moves"
	}
	fmt.Fprintf(w, "Group %s (%s, state %s): the reset %s\n\n", plan.Group, views.CountOf(plan.Members, "member", "members"), plan.State, verb)
	_ = table(w, "TOPIC\tPARTITION\tOLD\tNEW\tLAG-BEFORE\tLAG-AFTER", func(tw io.Writer) {
		for _, r := range plan.Rows {
			old := "-"
			if r.Old >= 0 {
				old = strconv.FormatInt(r.Old, 10)
			}
			fmt.Fprintf(tw, "%s\t%d\t%s\t%d\t%d\t%d\n", r.Topic, r.Partition, old, r.New, r.LagBefore, r.LagAfter)
		}
	})
}

// parseTopicPartitions reads TOPIC or TOPIC:0,1,2.
func parseTopicPartitions(s string) (kafka.TopicPartitions, error) {
	topic, list, ok := strings.Cut(s, ":")
	tp := kafka.TopicPartitions{Topic: topic}
	if topic == "" {
		return tp, usagef("--topic %q: want TOPIC or TOPIC:0,1", s)
	}
	if ok {
		for _, p := range strings.Split(list, ",") {
			n, err := strconv.Atoi(p)
			if err != nil || n < 0 {
				return tp, usagef("--topic %q: %q is not a partition number", s, p)
			}
			tp.Partitions = append(tp.Partitions, int32(n))
		}
	}
	return tp, nil
}
