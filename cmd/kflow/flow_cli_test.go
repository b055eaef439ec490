package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"kflow/kafka/demo"
)

// flowOut is what kflow flow --json prints, as a script reads it.
type flowOut struct {
	Nodes []struct {
		ID     string   `json:"id"`
		Kind   string   `json:"kind"`
		Name   string   `json:"name"`
		Layer  int      `json:"layer"`
		DLQ    bool     `json:"dlq"`
		Rate   *float64 `json:"rate"`
		Lag    *int64   `json:"lag"`
		Status string   `json:"status"`
	} `json:"nodes"`
	Edges []struct {
		From string   `json:"from"`
		To   string   `json:"to"`
		Kind string   `json:"kind"`
		Rate *float64 `json:"rate"`
	} `json:"edges"`
}

func (f flowOut) edge(from, to, kind string) bool {
	for _, e := range f.Edges {
		if e.From == from && e.To == to && e.Kind == kind {
			return true
		}
	}
	return false
}

func parseFlow(t *testing.T, out string) flowOut {
	t.Helper()
	var f flowOut
	if err := json.Unmarshal([]byte(out), &f); err != nil {
		t.Fatalf("flow --json: %v\n%s", err, out)
	}
	return f
}

// TestFlowDemoJSONDotAndText: against the demo, kflow flow draws
// order_events read by its four groups and linked to its DLQ, with rates,
// lags and statuses, as JSON, as a Graphviz digraph and as tables.
func TestFlowDemoJSONDotAndText(t *testing.T) {
	isolateConfig(t)
	fast := []string{"flow", "--demo", "--samples", "2", "--interval", "500ms"}
	r := kflow(t, "", nil, append(fast, "--json")...)
	if r.code != 0 {
		t.Fatalf("flow --json: %+v", r)
	}
	f := parseFlow(t, r.stdout)
	orders := "topic:" + demo.OrdersTopic
	for _, g := range []string{demo.GroupInventory, demo.GroupNotifications, demo.GroupShipping, demo.GroupReporting} {
		if !f.edge(orders, "group:"+g, "consumes") {
			t.Errorf("no edge %s → %s", orders, g)
		}
	}
	if !f.edge(orders, "topic:"+demo.DLQTopic, "dead-letters") {
		t.Errorf("DLQ not linked to %s", demo.OrdersTopic)
	}
	// The demo's dead letters name the group that failed them.
	for _, g := range []string{demo.GroupInventory, demo.GroupShipping} {
		if !f.edge("group:"+g, "topic:"+demo.DLQTopic, "fails-to") {
			t.Errorf("DLQ not linked to the failing group %s", g)
		}
	}
	for _, n := range f.Nodes {
		switch {
		case n.ID == orders && (n.Rate == nil || n.Layer != 0):
			t.Errorf("order_events: rate %v layer %d", n.Rate, n.Layer)
		case n.Kind == "group" && (n.Status == "" || n.Lag == nil || n.Layer != 1):
			t.Errorf("group %s: status %q lag %v layer %d", n.Name, n.Status, n.Lag, n.Layer)
		case n.Name == demo.DLQTopic && (!n.DLQ || n.Layer != 2): // past the groups failing into it
			t.Errorf("DLQ: dlq %v layer %d", n.DLQ, n.Layer)
		}
	}
	r = kflow(t, "", nil, append(fast, "--dot")...)
	for _, want := range []string{"digraph kflow_flow {", "rankdir=LR", `"topic:order_events" -> "group:inventory"`, `-> "topic:order_events.DLQ"`, "style=dashed"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("flow --dot lacks %q:\n%s", want, r.stdout)
		}
	}
	r = kflow(t, "", nil, fast...)
	if r.code != 0 || !strings.HasPrefix(r.stdout, "LAYER") || !strings.Contains(r.stdout, "dead-letters") || !strings.Contains(r.stdout, "notifications") {
		t.Errorf("flow: %+v", r)
	}
	if r := kflow(t, "", nil, "flow", "--demo", "--json", "--dot"); r.code != exitUsage {
		t.Errorf("--json with --dot: %+v", r)
	}
}

// TestFlowOnRealBroker: on the broker, a group committed on a topic reads
// it, and a DLQ whose records name the source topic and the group in
// headers is linked to both.
func TestFlowOnRealBroker(t *testing.T) {
	isolateConfig(t)
	env := map[string]string{"KFLOW_BROKERS": realBrokers(t)}
	topic := fmt.Sprintf("flow-cli-%d", time.Now().UnixNano())
	dlq, group := "dlq-"+topic, topic+"-g"
	must := func(stdin string, args ...string) result {
		t.Helper()
		r := kflow(t, stdin, env, args...)
		if r.code != 0 {
			t.Fatalf("kflow %q: exit %d: %s", args, r.code, r.stderr)
		}
		return r
	}
	for _, tp := range []string{topic, dlq} {
		must("", "topic", "create", tp, "-p", "2")
		t.Cleanup(func() { kflow(t, "", env, "topic", "delete", tp, "--confirm", tp) })
	}
	must(strings.Repeat("event\n", 10), "produce", "-t", topic)
	must("", "group", "reset", group, "--to", "offset:1", "--topic", topic, "--execute", "--confirm", group)
	t.Cleanup(func() { kflow(t, "", env, "group", "delete", group, "--confirm", group) })
	must("failed", "produce", "-t", dlq, "-H", "original.topic="+topic, "-H", "original.group="+group)

	f := parseFlow(t, must("", "flow", "--json", "--samples", "2", "--interval", "200ms").stdout)
	if !f.edge("topic:"+topic, "group:"+group, "consumes") {
		t.Errorf("no edge %s → %s", topic, group)
	}
	if !f.edge("topic:"+topic, "topic:"+dlq, "dead-letters") || !f.edge("group:"+group, "topic:"+dlq, "fails-to") {
		t.Errorf("DLQ %s not linked to its source and group: %+v", dlq, f.Edges)
	}
	r := must("", "flow", "--dot", "--samples", "1")
	if !strings.Contains(r.stdout, fmt.Sprintf("%q -> %q", "group:"+group, "topic:"+dlq)) {
		t.Errorf("flow --dot lacks the group's DLQ edge")
	}
}
