package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"kflow/kafka"
	"kflow/lag"
	"kflow/text"
)

// exitThreshold is kflow lag's exit code when a group reached the
// --fail-on status: a check that ran and found trouble, told apart from a
// runtime error (1) and a usage error (2).
const exitThreshold = 3

// thresholdError says which groups reached the --fail-on status.
type thresholdError struct{ msg string }

func (e *thresholdError) Error() string { return e.msg }

// lagFlags are kflow lag's own flags, checked.
type lagFlags struct {
	groups   []string
	rules    lag.Rules
	samples  int
	interval time.Duration
	watch    bool
	failOn   lag.Status // 0 (OK): never fail
}

func parseLagFlags(e env, args []string, g *globals) (lagFlags, error) {
	fs := newFlags("lag", e, g)
	var groups multiFlag
	fs.Var(&groups, "group", "show this `group` per partition; repeat for more (default: every group, one line each)")
	fs.Var(&groups, "g", "show this group per partition; repeat for more (default: every group, one line each)")
	samples := fs.Int("samples", 0, "judge the status on this many `samples` (0: the rules' window minimum, 4 by default)")
	interval := fs.Duration("interval", kafka.DefaultLagInterval, "time between samples")
	watch := fs.Bool("watch", false, "refresh until Ctrl-C")
	failOn := fs.String("fail-on", "", "exit 3 when a group reaches this `status` or worse: WARN, REWIND, STALL, STOP or ERROR")
	rules := fs.String("lag-rules", "", "status `rules`, e.g. window=15,min=4,stop=2m (env KFLOW_LAG_RULES; docs/lag-status.md)")
	pos, err := parse(fs, args)
	if err != nil {
		return lagFlags{}, err
	}
	f := lagFlags{groups: append(groups, pos...), watch: *watch}
	if f.rules, f.samples, f.interval, err = lagWindow(e, *rules, *samples, *interval); err != nil {
		return f, err
	}
	if *failOn != "" {
		if f.failOn, err = lag.ParseFailStatus(*failOn); err != nil {
			return f, usagef("--fail-on: %v", err)
		}
	}
	return f, nil
}

// lagWindow checks the sampling flags that kflow lag and kflow flow share
// and reads the status rules: --lag-rules, a usage error when bad; else
// KFLOW_LAG_RULES, said and replaced by the defaults when bad. Samples 0
// become the rules' minimum.
func lagWindow(e env, rules string, samples int, interval time.Duration) (lag.Rules, int, time.Duration, error) {
	if samples < 0 {
		return lag.Rules{}, 0, 0, usagef("--samples must be at least 1, not %d", samples)
	}
	if interval < 10*time.Millisecond {
		return lag.Rules{}, 0, 0, usagef("--interval must be at least 10ms, not %v", interval)
	}
	var r lag.Rules
	var err error
	if rules != "" {
		if r, err = lag.ParseRules(rules); err != nil {
			return r, 0, 0, usagef("--lag-rules: %v", err)
		}
	} else if r, err = lag.ParseRules(e.getenv(lag.RulesEnv)); err != nil {
		fmt.Fprintf(e.stderr, "kflow: %s: %v (using the defaults)\n", lag.RulesEnv, err)
		r, _ = lag.ParseRules("")
	}
	if samples == 0 {
		samples = r.MinSamples
	}
	return r, samples, interval, nil
}

// runLag prints every group's lag and status (named groups: per
// partition), judged over --samples samples --interval apart, fewer when
// every group has its verdict sooner; --watch goes on refreshing.
func runLag(ctx context.Context, e env, args []string) error {
	var g globals
	f, err := parseLagFlags(e, args, &g)
	if err != nil {
		return err
	}
	c, done, err := connect(ctx, &g, e)
	if err != nil {
		return err
	}
	defer done()
	mon := kafka.NewLagMonitor(c, kafka.LagMonitorOptions{Rules: f.rules, Interval: f.interval, Timeout: g.timeout, Groups: f.groups})
	for _, grp := range f.groups {
		mon.WatchPartitions(grp)
	}
	if f.watch {
		return watchLag(ctx, e, g.json, f, mon)
	}
	s, err := sampleLag(ctx, mon, f.samples, f.interval)
	if err != nil {
		return err
	}
	if err := printLag(e.stdout, g.json, len(f.groups) > 0, s); err != nil {
		return err
	}
	return checkFailOn(f.failOn, s)
}

// sampleLag samples up to n times, interval apart from start to start,
// and stops as soon as no group waits for more samples.
func sampleLag(ctx context.Context, mon *kafka.LagMonitor, n int, interval time.Duration) (*kafka.LagSnapshot, error) {
	var s *kafka.LagSnapshot
	for i := range n {
		start := time.Now()
		s, _ = mon.Sample(ctx)
		if s.Err != nil {
			return s, s.Err
		}
		pending := false
		for _, g := range s.Groups {
			pending = pending || g.Verdict.Status == lag.Pending
		}
		if !pending || i == n-1 {
			break
		}
		select {
		case <-ctx.Done():
			return s, ctx.Err()
		case <-time.After(interval - time.Since(start)):
		}
	}
	return s, nil
}

// watchLag refreshes until Ctrl-C: in place on a terminal, one block per
// refresh into a pipe (one JSON array per line with --json). With
// --fail-on it ends, exit 3, at the first refresh where a group reached
// the status.
func watchLag(ctx context.Context, e env, asJSON bool, f lagFlags, mon *kafka.LagMonitor) error {
	term := isTerminal(e.stdout) && !asJSON
	for {
		start := time.Now()
		s, _ := mon.Sample(ctx)
		if ctx.Err() != nil {
			return nil
		}
		switch {
		case asJSON:
			if err := printLag(e.stdout, true, len(f.groups) > 0, s); err != nil {
				return err
			}
		default:
			var b strings.Builder
			if term {
				b.WriteString("\x1b[H\x1b[2J") // home, clear: the refresh replaces the last
			}
			when := s.At.Format("15:04:05")
			if s.Err != nil {
				when = "STALE since " + when + ": " + text.SanitizeString(s.Err.Error())
			}
			fmt.Fprintf(&b, "kflow lag · every %v · %s\n", f.interval, when)
			if err := printLag(&b, false, len(f.groups) > 0, s); err != nil {
				return err
			}
			if !term {
				b.WriteString("\n")
			}
			if _, err := io.WriteString(e.stdout, b.String()); err != nil {
				return err
			}
		}
		if s.Err == nil {
			if err := checkFailOn(f.failOn, s); err != nil {
				return err
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(f.interval - time.Since(start)):
		}
	}
}

// checkFailOn fails when a group's status is failOn or worse.
func checkFailOn(failOn lag.Status, s *kafka.LagSnapshot) error {
	if failOn == lag.OK {
		return nil
	}
	var bad []string
	for _, g := range s.Groups {
		if g.Verdict.Status >= failOn {
			bad = append(bad, fmt.Sprintf("%s %s (%s)", text.SanitizeString(g.Group.ID), g.Verdict.Status.Word(), text.SanitizeString(g.Verdict.Reason)))
		}
	}
	if len(bad) == 0 {
		return nil
	}
	return &thresholdError{fmt.Sprintf("%s at %s or worse: %s", text.CountOf(len(bad), "group", "groups"), failOn.Word(), strings.Join(bad, "; "))}
}

// lagJSON is a group in kflow lag --json: its lag as before, with its
// status, the reason, and the rates and estimates behind it.
type lagJSON struct {
	kafka.GroupLag
	Partitions  []lagPartJSON `json:"partitions"`
	Status      lag.Status    `json:"status"`
	Reason      string        `json:"reason"`
	Since       *time.Time    `json:"since,omitempty"`
	ConsumeRate *float64      `json:"consume_rate,omitempty"` // records/s over the window
	ProduceRate *float64      `json:"produce_rate,omitempty"`
	CatchUpMS   *int64        `json:"catch_up_ms,omitempty"` // -1: not catching up
	TimeLagMS   *int64        `json:"time_lag_ms,omitempty"`
	// TimeLagEstimated says the time lag comes from the produce rate.
	TimeLagEstimated bool `json:"time_lag_estimated,omitempty"`
}

// lagPartJSON is a partition with its own status (named groups only).
type lagPartJSON struct {
	lag.Partition
	Status *lag.Status `json:"status,omitempty"`
	Reason string      `json:"reason,omitempty"`
}

func toLagJSON(g kafka.GroupStatus) lagJSON {
	v := g.Verdict
	out := lagJSON{GroupLag: g.GroupLag, Status: v.Status, Reason: v.Reason, Partitions: make([]lagPartJSON, len(g.Partitions))}
	if !v.Since.IsZero() {
		out.Since = &v.Since
	}
	if v.ConsumeRate >= 0 {
		out.ConsumeRate, out.ProduceRate = &v.ConsumeRate, &v.ProduceRate
		ms := v.CatchUp.Milliseconds()
		if v.CatchUp < 0 {
			ms = -1
		}
		out.CatchUpMS = &ms
	}
	if g.TimeLag.Age >= 0 {
		ms := g.TimeLag.Age.Milliseconds()
		out.TimeLagMS, out.TimeLagEstimated = &ms, g.TimeLag.Estimated
	}
	for i, p := range g.Partitions {
		out.Partitions[i].Partition = p
		if i < len(g.PartVerdicts) {
			st := g.PartVerdicts[i].Status
			out.Partitions[i].Status, out.Partitions[i].Reason = &st, g.PartVerdicts[i].Reason
		}
	}
	return out
}

// printLag prints a snapshot: per group, or per partition for named
// groups, with the status of each.
func printLag(w io.Writer, asJSON, perPartition bool, s *kafka.LagSnapshot) error {
	if asJSON {
		out := make([]lagJSON, len(s.Groups))
		for i, g := range s.Groups {
			out[i] = toLagJSON(g)
		}
		return printJSON(w, out)
	}
	if !perPartition {
		return table(w, "GROUP\tSTATUS\tSTATE\tTYPE\tMEMBERS\tTOPICS\tLAG\tTIME-LAG\tREASON", func(w io.Writer) {
			for _, g := range s.Groups {
				lagText := strconv.FormatInt(g.TotalLag, 10)
				if g.Err != "" {
					lagText = "error: " + text.SanitizeString(g.Err)
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\n", text.SanitizeString(g.Group.ID), g.Verdict.Status,
					g.Group.State, g.Group.Type, g.Group.Members, strings.Join(g.Topics(), ","), lagText, timeLag(g.TimeLag),
					text.SanitizeString(g.Verdict.Reason))
			}
		})
	}
	// Named groups: per partition, the columns of kafka-consumer-groups.sh
	// and the partition's status.
	return table(w, "GROUP\tTOPIC\tPARTITION\tCURRENT-OFFSET\tLOG-END-OFFSET\tLAG\tCLIENT-ID\tHOST\tSTATUS", func(w io.Writer) {
		for _, g := range s.Groups {
			id := text.SanitizeString(g.Group.ID)
			if g.Err != "" {
				fmt.Fprintf(w, "%s\t-\t-\t-\t-\terror: %s\t-\t-\t%s\n", id, text.SanitizeString(g.Err), g.Verdict.Status)
			}
			for i, p := range g.Partitions {
				cur, lagText := "-", strconv.FormatInt(p.Lag, 10)
				if p.Committed >= 0 {
					cur = strconv.FormatInt(p.Committed, 10)
				}
				if p.Err != "" {
					lagText = "error: " + text.SanitizeString(p.Err)
				}
				st := lag.Pending
				if i < len(g.PartVerdicts) {
					st = g.PartVerdicts[i].Status
				}
				fmt.Fprintf(w, "%s\t%s\t%d\t%s\t%d\t%s\t%s\t%s\t%s\n", id, p.Topic, p.Partition, cur, p.EndOffset, lagText, dash(p.ClientID), dash(p.Host), st)
			}
		}
	})
}

// timeLag formats a time lag as the dashboard does, ~ marking an estimate.
func timeLag(tl lag.TimeLag) string {
	if tl.Age < 0 {
		return "-"
	}
	if tl.Estimated {
		return "~" + text.Age(tl.Age)
	}
	return text.Age(tl.Age)
}

// isThreshold reports whether err is a --fail-on verdict (exit 3).
func isThreshold(err error) bool {
	var te *thresholdError
	return errors.As(err, &te)
}
