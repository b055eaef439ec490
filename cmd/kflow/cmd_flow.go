package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"kflow/kafka"
	"kflow/kafka/wordcount"
	"kflow/lag"
	"kflow/text"
)

// flowFlags are kflow flow's own flags, checked.
type flowFlags struct {
	samples  int
	interval time.Duration
	dot      bool
	rules    lag.Rules
}

func parseFlowFlags(e env, args []string, g *globals) (flowFlags, error) {
	fs := newFlags("flow", e, g)
	samples := fs.Int("samples", 0, "take up to this many `samples` --interval apart, fewer once every group has its status (0: the rules' minimum, 4 by default); rates need two")
	interval := fs.Duration("interval", time.Second, "time between samples")
	dot := fs.Bool("dot", false, "print the map as a Graphviz digraph (dot -Tsvg)")
	rules := fs.String("lag-rules", "", "status `rules`, e.g. window=15,min=4,stop=2m (env KFLOW_LAG_RULES; docs/lag-status.md)")
	pos, err := parse(fs, args)
	if err != nil {
		return flowFlags{}, err
	}
	if err := wantArgs("flow", pos, 0, "no arguments"); err != nil {
		return flowFlags{}, err
	}
	f := flowFlags{dot: *dot}
	if f.rules, f.samples, f.interval, err = lagWindow(e, *rules, *samples, *interval); err != nil {
		return f, err
	}
	if f.dot && g.json {
		return f, usagef("--dot and --json: pick one")
	}
	return f, nil
}

// runFlow prints the flow map: topics and groups, who reads and writes
// what, DLQs and their sources, with rates, lags and statuses.
func runFlow(ctx context.Context, e env, args []string) error {
	var g globals
	f, err := parseFlowFlags(e, args, &g)
	if err != nil {
		return err
	}
	c, done, err := connect(ctx, &g, e)
	if err != nil {
		return err
	}
	defer done()
	graph, err := sampleFlow(ctx, c, f)
	if err != nil {
		return err
	}
	switch {
	case g.json:
		return printJSON(e.stdout, toFlowJSON(graph))
	case f.dot:
		_, err := io.WriteString(e.stdout, flowDot(graph))
		return err
	}
	return printFlow(e.stdout, graph)
}

// sampleFlow builds the map up to f.samples times, f.interval apart from
// start to start (at least twice, for rates, and fewer once no group waits
// for its status), and returns the last, with rates from the ones before.
func sampleFlow(ctx context.Context, c *kafka.Client, f flowFlags) (kafka.FlowGraph, error) {
	mon := kafka.NewLagMonitor(c, kafka.LagMonitorOptions{Rules: f.rules, Interval: f.interval, Timeout: c.Timeout()})
	rates := kafka.NewFlowRates()
	var headers map[string][][]kafka.Header
	var g kafka.FlowGraph
	for i := range f.samples {
		start := time.Now()
		topics, err := c.ListTopics(ctx)
		if err != nil {
			return g, fmt.Errorf("flow map: %w", err)
		}
		at := time.Now()
		s, _ := mon.Sample(ctx)
		if s.Err != nil {
			return g, fmt.Errorf("flow map: %w", s.Err)
		}
		if headers == nil {
			if headers, err = c.DLQHeaders(ctx, kafka.DLQTopics(topics), 5); err != nil {
				return g, fmt.Errorf("flow map: %w", err)
			}
		}
		g = kafka.BuildFlow(kafka.FlowInput{At: at, LagAt: s.At, Topics: topics, Groups: s.Groups, DLQHeaders: headers,
			Writes: wordcount.FlowWrites("", "")})
		rates.Apply(&g)
		pending := false
		for _, n := range g.Nodes {
			pending = pending || n.Kind == kafka.FlowGroup && n.Status == lag.Pending
		}
		if i == f.samples-1 || i > 0 && !pending {
			break
		}
		select {
		case <-ctx.Done():
			return g, ctx.Err()
		case <-time.After(f.interval - time.Since(start)):
		}
	}
	return g, nil
}

// flowNodeJSON is a node in kflow flow --json: unknowns are null, not -1,
// and a group's status is always there.
type flowNodeJSON struct {
	kafka.FlowNode
	Rate             *float64    `json:"rate"`
	TimeLag          *int64      `json:"time_lag_ms,omitempty"`
	TimeLagEstimated bool        `json:"time_lag_estimated,omitempty"`
	Status           *lag.Status `json:"status,omitempty"`
	Lag              *int64      `json:"lag,omitempty"`
}

// flowEdgeJSON is an edge in kflow flow --json.
type flowEdgeJSON struct {
	kafka.FlowEdge
	Rate *float64 `json:"rate,omitempty"`
}

// flowJSON is kflow flow --json.
type flowJSON struct {
	At    time.Time      `json:"at"`
	Nodes []flowNodeJSON `json:"nodes"`
	Edges []flowEdgeJSON `json:"edges"`
}

func known(v float64) *float64 {
	if v < 0 {
		return nil
	}
	return &v
}

func toFlowJSON(g kafka.FlowGraph) flowJSON {
	out := flowJSON{At: g.At, Nodes: make([]flowNodeJSON, len(g.Nodes)), Edges: make([]flowEdgeJSON, len(g.Edges))}
	for i, n := range g.Nodes {
		j := flowNodeJSON{FlowNode: n, Rate: known(n.Rate)}
		if n.Kind == kafka.FlowGroup {
			st, l := n.Status, n.Lag
			j.Status, j.Lag, j.Rate = &st, &l, nil
			if n.TimeLag.Age >= 0 {
				ms := n.TimeLag.Age.Milliseconds()
				j.TimeLag, j.TimeLagEstimated = &ms, n.TimeLag.Estimated
			}
		}
		out.Nodes[i] = j
	}
	for i, e := range g.Edges {
		out.Edges[i] = flowEdgeJSON{FlowEdge: e, Rate: known(e.Rate)}
	}
	return out
}

// printFlow prints the map as two tables: the nodes by layer, then the
// edges.
func printFlow(w io.Writer, g kafka.FlowGraph) error {
	names := map[string]string{}
	for _, n := range g.Nodes {
		names[n.ID] = text.SanitizeString(n.Name)
	}
	err := table(w, "LAYER\tKIND\tNAME\tRATE\tLAG\tTIME-LAG\tSTATUS\tNOTE", func(w io.Writer) {
		for _, n := range g.Nodes {
			rate, lagText, tl, st := text.Rate(n.Rate)+"/s", "-", "-", "-"
			var notes []string
			if n.Internal {
				notes = append(notes, "internal")
			}
			if n.DLQ {
				notes = append(notes, "DLQ")
			}
			if n.Kind == kafka.FlowGroup {
				rate, lagText, tl, st = "-", strconv.FormatInt(n.Lag, 10), timeLag(n.TimeLag), n.Status.Word()
				notes = append(notes, n.State)
			}
			fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", n.Layer, n.Kind, names[n.ID], rate, lagText, tl, st, dash(strings.Join(notes, ",")))
		}
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(w)
	return table(w, "FROM\tTO\tEDGE\tRATE\tLAG", func(w io.Writer) {
		for _, e := range g.Edges {
			rate, lagText := "-", "-"
			if e.Kind == kafka.FlowConsumes {
				rate, lagText = text.Rate(e.Rate)+"/s", strconv.FormatInt(e.Lag, 10)
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", names[e.From], names[e.To], e.Kind, rate, lagText)
		}
	})
}

// flowDot writes the map as a Graphviz digraph, left to right, one rank
// per layer: topics as boxes, groups as ellipses coloured by status,
// DLQ links dashed.
func flowDot(g kafka.FlowGraph) string {
	var b strings.Builder
	b.WriteString("digraph kflow_flow {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=9];\n")
	layers := map[int][]string{}
	for _, n := range g.Nodes {
		layers[n.Layer] = append(layers[n.Layer], dotQuote(n.ID))
		switch n.Kind {
		case kafka.FlowTopic:
			style := ""
			if n.DLQ {
				style = ", color=\"orange\""
			} else if n.Internal {
				style = ", style=dashed, color=\"gray\""
			}
			fmt.Fprintf(&b, "  %s [shape=box, label=%s%s];\n", dotQuote(n.ID), dotQuote(n.Name+"\n"+text.Rate(n.Rate)+"/s"), style)
		default:
			fmt.Fprintf(&b, "  %s [shape=ellipse, label=%s, color=%s];\n", dotQuote(n.ID),
				dotQuote(n.Name+"\n"+n.Status.Word()+" · lag "+text.Count(n.Lag)), dotQuote(dotColour(n.Status)))
		}
	}
	for _, e := range g.Edges {
		attrs := []string{"label=" + dotQuote(string(e.Kind))}
		switch e.Kind {
		case kafka.FlowConsumes:
			attrs[0] = "label=" + dotQuote(text.Rate(e.Rate)+"/s")
		case kafka.FlowDeadLetters, kafka.FlowFails:
			attrs = append(attrs, "style=dashed", "color=\"orange\"")
		}
		fmt.Fprintf(&b, "  %s -> %s [%s];\n", dotQuote(e.From), dotQuote(e.To), strings.Join(attrs, ", "))
	}
	for l := range g.Layers() {
		if ids := layers[l]; len(ids) > 0 {
			fmt.Fprintf(&b, "  { rank=same; %s; }\n", strings.Join(ids, "; "))
		}
	}
	b.WriteString("}\n")
	return b.String()
}

// dotQuote quotes s as a DOT string; a newline becomes DOT's \n.
func dotQuote(s string) string {
	parts := strings.Split(s, "\n")
	for i, p := range parts {
		p = strings.ReplaceAll(text.SanitizeString(p), `\`, `\\`)
		parts[i] = strings.ReplaceAll(p, `"`, `\"`)
	}
	return `"` + strings.Join(parts, `\n`) + `"`
}

// dotColour is a status's colour in the digraph.
func dotColour(s lag.Status) string {
	switch s {
	case lag.OK:
		return "green"
	case lag.Pending:
		return "gray"
	case lag.Warn, lag.Rewind:
		return "orange"
	}
	return "red"
}
