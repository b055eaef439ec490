package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"kflow/kafka"
	"kflow/text"
)

// parseChanges reads KEY=VALUE arguments (set) or KEY arguments (reset),
// values in human units.
func parseChanges(cmd string, args []string, reset bool) ([]kafka.ConfigChange, error) {
	if len(args) == 0 {
		if reset {
			return nil, usagef("%s takes the keys to reset, e.g. retention.ms", cmd)
		}
		return nil, usagef("%s takes key=value pairs, e.g. retention.ms=7d", cmd)
	}
	out := make([]kafka.ConfigChange, 0, len(args))
	for _, a := range args {
		if reset {
			if a == "" || strings.Contains(a, "=") {
				return nil, usagef("%s: %q: give the key alone, e.g. retention.ms", cmd, a)
			}
			out = append(out, kafka.ConfigChange{Key: a, Reset: true})
			continue
		}
		ch, err := kafka.ParseConfigChange(a)
		if err != nil {
			return nil, usagef("%s: %v", cmd, err)
		}
		out = append(out, ch)
	}
	return out, nil
}

// configPlanOut is a config plan as --json prints it: the plan and
// whether it was applied.
type configPlanOut struct {
	kafka.ConfigPlan
	Applied bool `json:"applied"`
}

// runConfigChange plans changes on target, prints the plan with the
// broker's verdict, and applies it unless dryRun.
func runConfigChange(ctx context.Context, e env, c *kafka.Client, json bool, target kafka.ConfigTarget, changes []kafka.ConfigChange, dryRun bool) error {
	plan, err := c.PlanConfigs(ctx, target, changes)
	if err != nil {
		return err
	}
	if !plan.Valid {
		if json {
			_ = printJSON(e.stdout, configPlanOut{ConfigPlan: plan})
		} else {
			printConfigPlan(e.stdout, plan, false)
		}
		return fmt.Errorf("change configs of %s: %w: %s; nothing was written", target, kafka.ErrConfigInvalid, plan.Problem)
	}
	if !dryRun && c.ReadOnly() {
		return fmt.Errorf("change configs of %s: %w; nothing was written", target, kafka.ErrReadOnly)
	}
	if dryRun {
		if json {
			if err := printJSON(e.stdout, configPlanOut{ConfigPlan: plan}); err != nil {
				return err
			}
		} else {
			printConfigPlan(e.stdout, plan, false)
		}
		fmt.Fprintln(e.stderr, "dry run: nothing written; the broker accepts the change. Run it again without --dry-run to apply.")
		return nil
	}
	if !json {
		printConfigPlan(e.stdout, plan, true)
	}
	if err := c.ApplyConfigs(ctx, plan); err != nil {
		return err
	}
	if json {
		return printJSON(e.stdout, configPlanOut{ConfigPlan: plan, Applied: true})
	}
	fmt.Fprintf(e.stderr, "changed %s of %s\n", text.CountOf(len(plan.Rows), "config", "configs"), target)
	return nil
}

// printConfigPlan prints a plan: each key old → new in human units, with
// where each value comes from, and the broker's verdict.
func printConfigPlan(w io.Writer, plan kafka.ConfigPlan, applying bool) {
	verb := "would change"
	if applying {
		verb = "changes"
	}
	verdict := "the broker accepts it (validate only)"
	if !plan.Valid {
		verdict = "the broker refuses it"
	}
	fmt.Fprintf(w, "%s: the change %s %s; %s\n\n", capitalize(plan.Target.String()), verb, text.CountOf(len(plan.Rows), "config", "configs"), verdict)
	_ = table(w, "KEY\tOLD\tSOURCE\tNEW\tSOURCE", func(tw io.Writer) {
		for _, r := range plan.Rows {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", text.SanitizeString(r.Key), configShown(r.Key, r.Old, r.Sensitive, r.Known),
				dash(kafka.SourceWords(r.OldSource)), newShown(r), dash(kafka.SourceWords(r.NewSource)))
		}
	})
	if plan.Problem != "" {
		fmt.Fprintf(w, "\n%s\n", plan.Problem)
	}
}

// configShown is a value as a person reads it.
func configShown(key, v string, sensitive, known bool) string {
	switch {
	case sensitive:
		return "(sensitive)"
	case !known:
		return "(unknown key)"
	case v == "":
		return `""`
	}
	return text.SanitizeString(kafka.HumanConfigValue(key, v))
}

func newShown(r kafka.ConfigDiff) string {
	if r.Reset && r.New == "" {
		return "(the default)"
	}
	return configShown(r.Key, r.New, r.Sensitive, true)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// truncateOut is a truncation as --json prints it.
type truncateOut struct {
	kafka.TruncatePlan
	Executed bool            `json:"executed"`
	NewLows  map[int32]int64 `json:"new_lows,omitempty"`
}

// runTruncate plans deleting records of topic before --before and
// prints the plan; with --execute (and the name confirmed) deletes them.
func runTruncate(ctx context.Context, e env, c *kafka.Client, json bool, topic, before string, parts []int32, dryRun, execute bool, confirm string) error {
	mode, off, at, err := kafka.ParseTruncateBefore(before, time.Now())
	if err != nil {
		return usagef("--before: %v", err)
	}
	plan, err := c.PlanTruncate(ctx, kafka.TruncateSpec{Topic: topic, Partitions: parts, Mode: mode, Offset: off, Time: at})
	if err != nil {
		return err
	}
	if execute && c.ReadOnly() {
		return fmt.Errorf("delete records of %s: %w; nothing was deleted", topic, kafka.ErrReadOnly)
	}
	if !execute || dryRun {
		if json {
			if err := printJSON(e.stdout, truncateOut{TruncatePlan: plan}); err != nil {
				return err
			}
		} else {
			printTruncatePlan(e.stdout, plan, false)
		}
		if c.ReadOnly() {
			fmt.Fprintln(e.stderr, "dry run: nothing deleted (read-only: kflow will not execute it).")
		} else {
			fmt.Fprintf(e.stderr, "dry run: nothing deleted. Add --execute --confirm %s to delete.\n", topic)
		}
		return nil
	}
	if !json {
		printTruncatePlan(e.stdout, plan, true)
	}
	what := fmt.Sprintf("This deletes %s of %s; it cannot be undone.", text.CountOf(int(plan.Removed), "record", "records"), topic)
	if err := confirmName(e, "delete records of", topic, confirm, what); err != nil {
		return err
	}
	lows, err := c.Truncate(ctx, plan)
	if err != nil {
		return err
	}
	if json {
		return printJSON(e.stdout, truncateOut{TruncatePlan: plan, Executed: true, NewLows: lows})
	}
	fmt.Fprintf(e.stderr, "deleted %s of %s\n", text.CountOf(int(plan.Removed), "record", "records"), topic)
	return nil
}

// printTruncatePlan prints the records a truncation removes per
// partition: start before → new start, end, count.
func printTruncatePlan(w io.Writer, plan kafka.TruncatePlan, executing bool) {
	verb := "would delete"
	if executing {
		verb = "deletes"
	}
	fmt.Fprintf(w, "Topic %s: %s %s: %s in %s\n\n", text.SanitizeString(plan.Spec.Topic), verb, plan.Spec.Describe(),
		text.CountOf(int(plan.Removed), "record", "records"), text.CountOf(len(plan.Rows), "partition", "partitions"))
	_ = table(w, "PARTITION\tSTART\tNEW-START\tEND\tREMOVED", func(tw io.Writer) {
		for _, r := range plan.Rows {
			fmt.Fprintf(tw, "%d\t%d\t%d\t%d\t%d\n", r.Partition, r.Low, r.NewLow, r.High, r.Removed)
		}
	})
}

// runBroker is kflow broker: one broker's configs, and changing them
// (or the cluster-wide default's).
func runBroker(ctx context.Context, e env, args []string) error {
	var g globals
	fs := newFlags("broker", e, &g)
	dflt := fs.Bool("default", false, "the cluster-wide broker default instead of one broker (then no broker id)")
	dryRun := fs.Bool("dry-run", false, "print the plan, checked by the broker, and write nothing")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("broker takes an action (configs, set-config, reset-config) and a broker id (or --default)")
	}
	action, rest := pos[0], pos[1:]
	target := kafka.ClusterDefaultTarget()
	if !*dflt {
		if len(rest) == 0 {
			return usagef("broker %s takes a broker id (see kflow brokers), or --default for the cluster-wide default", action)
		}
		id, err := strconv.ParseInt(rest[0], 10, 32)
		if err != nil || id < 0 {
			return usagef("broker %s: %q is not a broker id", action, rest[0])
		}
		target, rest = kafka.BrokerTarget(int32(id)), rest[1:]
	}
	var changes []kafka.ConfigChange
	switch action {
	case "configs":
		if err := wantArgs("broker configs", rest, 0, "a broker id alone"); err != nil {
			return err
		}
		if *dryRun {
			return usagef("broker configs: --dry-run is for set-config and reset-config")
		}
	case "set-config", "reset-config":
		if changes, err = parseChanges("broker "+action, rest, action == "reset-config"); err != nil {
			return err
		}
	default:
		return usagef("broker: unknown action %q (configs, set-config, reset-config)", action)
	}
	c, done, err := connect(ctx, &g, e)
	if err != nil {
		return err
	}
	defer done()
	if action != "configs" {
		return runConfigChange(ctx, e, c, g.json, target, changes, *dryRun)
	}
	cs, err := c.BrokerConfigs(ctx, target)
	if err != nil {
		return err
	}
	if g.json {
		return printJSON(e.stdout, cs)
	}
	dyn := 0
	for _, c := range cs {
		if c.Dynamic {
			dyn++
		}
	}
	fmt.Fprintf(e.stdout, "%s: %s, %d set dynamically (listed first)\n\n", capitalize(target.String()), text.CountOf(len(cs), "config", "configs"), dyn)
	return table(e.stdout, "NAME\tVALUE\tSOURCE\tDYNAMIC\tREAD-ONLY", func(w io.Writer) {
		for _, c := range cs {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", text.SanitizeString(c.Name), configShown(c.Name, c.Value, c.Sensitive, true),
				kafka.SourceWords(c.Source), yes(c.Dynamic), yes(c.ReadOnly))
		}
	})
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "-"
}
