package kafka

import (
	"testing"
	"time"

	"kflow/lag"
)

var flowT0 = time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC)

// flowGroup is a group status reading topics, lag and committed per topic.
func flowGroup(id string, st lag.Status, client string, parts ...lag.Partition) GroupStatus {
	g := GroupStatus{GroupLag: GroupLag{Group: GroupDetail{GroupSummary: GroupSummary{ID: id, State: "Stable", Members: 1}}, Partitions: parts}}
	if client != "" {
		g.Group.MemberList = []GroupMember{{ClientID: client}}
	}
	for _, p := range parts {
		g.TotalLag += max(0, p.Lag)
	}
	g.Verdict.Status = st
	return g
}

func flowPart(topic string, committed, end int64) lag.Partition {
	return lag.Partition{Topic: topic, Committed: committed, EndOffset: end, Lag: end - committed}
}

// demoFlowInput is like the demo: order_events read by four groups, its
// DLQ whose records name the source topic and the failing client, a word
// count app, and a -dlq and a dlq- topic linked by name.
func demoFlowInput(at time.Time, grow int64) FlowInput {
	return FlowInput{At: at, LagAt: at,
		Topics: []TopicSummary{
			{Name: "order_events", Partitions: 3, EndOffsets: 300 + grow},
			{Name: "order_events.DLQ", Partitions: 1, EndOffsets: 5},
			{Name: "payments"}, {Name: "payments-dlq"}, {Name: "dlq-shipments"}, {Name: "shipments"},
			{Name: "streams-plaintext-input"}, {Name: "kflow-wordcount-counts-repartition"},
			{Name: "kflow-wordcount-counts-changelog"}, {Name: "streams-wordcount-output"},
			{Name: "__consumer_offsets", Internal: true},
		},
		Groups: []GroupStatus{
			flowGroup("inventory", lag.OK, "inventory-service", flowPart("order_events", 290+grow, 300+grow)),
			flowGroup("notifications", lag.Warn, "notification-service", flowPart("order_events", 200+grow/2, 300+grow)),
			flowGroup("shipping", lag.Stop, "", flowPart("order_events", 100, 300+grow)),
			flowGroup("reporting", lag.Stall, "", flowPart("order_events", 150, 300+grow)),
			flowGroup("kflow-wordcount-split", lag.OK, "", flowPart("streams-plaintext-input", 10, 10)),
			flowGroup("kflow-wordcount-count", lag.OK, "", flowPart("kflow-wordcount-counts-repartition", 40, 40)),
		},
		DLQHeaders: map[string][][]Header{"order_events.DLQ": {
			{{Key: "original.topic", Value: []byte("order_events")}, {Key: "original.client.id", Value: []byte("notification-service")}},
		}},
		Writes: []FlowWrite{{Group: "kflow-wordcount-count", Topic: "streams-wordcount-output"}},
	}
}

func hasEdge(g FlowGraph, from, to string, kind FlowEdgeKind) bool {
	for _, e := range g.Edges {
		if e.From == from && e.To == to && e.Kind == kind {
			return true
		}
	}
	return false
}

func layerOf(t *testing.T, g FlowGraph, id string) int {
	t.Helper()
	n, ok := g.Node(id)
	if !ok {
		t.Fatalf("no node %s", id)
	}
	return n.Layer
}

func TestFlowBuildDemoLinks(t *testing.T) {
	g := BuildFlow(demoFlowInput(flowT0, 0))
	T, G := FlowTopicID, FlowGroupID
	for _, grp := range []string{"inventory", "notifications", "shipping", "reporting"} {
		if !hasEdge(g, T("order_events"), G(grp), FlowConsumes) {
			t.Errorf("no edge order_events → %s", grp)
		}
		if l := layerOf(t, g, G(grp)); l != 1 {
			t.Errorf("%s in layer %d, want 1", grp, l)
		}
	}
	if !hasEdge(g, T("order_events"), T("order_events.DLQ"), FlowDeadLetters) {
		t.Error("DLQ not linked to its source topic")
	}
	if !hasEdge(g, G("notifications"), T("order_events.DLQ"), FlowFails) {
		t.Error("DLQ not linked to the failing group by its client id header")
	}
	if hasEdge(g, G("inventory"), T("order_events.DLQ"), FlowFails) {
		t.Error("DLQ linked to a group no header names")
	}
	if !hasEdge(g, T("payments"), T("payments-dlq"), FlowDeadLetters) || !hasEdge(g, T("shipments"), T("dlq-shipments"), FlowDeadLetters) {
		t.Error("-dlq / dlq- topics not linked by name")
	}
	// The word count chain: input → split → repartition → count → output.
	chain := []string{T("streams-plaintext-input"), G("kflow-wordcount-split"), T("kflow-wordcount-counts-repartition"),
		G("kflow-wordcount-count"), T("streams-wordcount-output")}
	for i := 1; i < len(chain); i++ {
		if l0, l1 := layerOf(t, g, chain[i-1]), layerOf(t, g, chain[i]); l1 != l0+1 {
			t.Errorf("%s layer %d after %s layer %d", chain[i], l1, chain[i-1], l0)
		}
	}
	if !hasEdge(g, G("kflow-wordcount-count"), T("kflow-wordcount-counts-changelog"), FlowWrites) {
		t.Error("count stage not linked to its changelog")
	}
	for d, want := range map[string]int{"order_events.DLQ": 2, "payments-dlq": 1, "dlq-shipments": 1} {
		n, _ := g.Node(T(d))
		if !n.DLQ || n.Layer != want {
			t.Errorf("%s: dlq %v layer %d, want %d (past what feeds it)", d, n.DLQ, n.Layer, want)
		}
	}
	for _, in := range []string{"__consumer_offsets", "kflow-wordcount-counts-repartition", "kflow-wordcount-counts-changelog"} {
		if n, _ := g.Node(T(in)); !n.Internal {
			t.Errorf("%s not internal", in)
		}
	}
	if n, _ := g.Node(G("shipping")); n.Status != lag.Stop || n.Lag != 200 {
		t.Errorf("shipping: %v lag %d", n.Status, n.Lag)
	}
}

func TestFlowDLQByHeaderOnly(t *testing.T) {
	in := FlowInput{Topics: []TopicSummary{{Name: "orders"}, {Name: "failed-orders"}},
		Groups:     []GroupStatus{flowGroup("billing", lag.OK, "", flowPart("orders", 1, 1))},
		DLQHeaders: map[string][][]Header{"failed-orders": {{{Key: "source.topic", Value: []byte("orders")}, {Key: "group.id", Value: []byte("billing")}}}}}
	g := BuildFlow(in)
	if !hasEdge(g, FlowTopicID("orders"), FlowTopicID("failed-orders"), FlowDeadLetters) ||
		!hasEdge(g, FlowGroupID("billing"), FlowTopicID("failed-orders"), FlowFails) {
		t.Fatalf("header links missing: %+v", g.Edges)
	}
}

func TestFlowDLQSourceNames(t *testing.T) {
	for name, want := range map[string]string{"order_events.DLQ": "order_events", "payments-dlq": "payments", "dlq-shipments": "shipments", "Orders_DLQ": "Orders"} {
		if got, ok := DLQSource(name); !ok || got != want {
			t.Errorf("DLQSource(%q) = %q %v, want %q", name, got, ok, want)
		}
	}
	for _, name := range []string{"orders", "dlq", ".DLQ", "dlqueue"} {
		if _, ok := DLQSource(name); ok {
			t.Errorf("DLQSource(%q) takes it for a DLQ", name)
		}
	}
}

func TestFlowRatesFromSuccessiveSamples(t *testing.T) {
	r := NewFlowRates()
	g0 := BuildFlow(demoFlowInput(flowT0, 0))
	r.Apply(&g0)
	if n, _ := g0.Node(FlowTopicID("order_events")); n.Rate != -1 {
		t.Fatalf("rate before two samples: %v", n.Rate)
	}
	g1 := BuildFlow(demoFlowInput(flowT0.Add(2*time.Second), 20))
	r.Apply(&g1)
	if n, _ := g1.Node(FlowTopicID("order_events")); n.Rate != 10 || len(n.RateHistory) != 1 {
		t.Fatalf("order_events rate %v history %v, want 10/s", n.Rate, n.RateHistory)
	}
	for _, e := range g1.Edges {
		if e.From == FlowTopicID("order_events") && e.To == FlowGroupID("notifications") && e.Rate != 5 {
			t.Fatalf("notifications consume rate %v, want 5/s", e.Rate)
		}
	}
	// Same structure, different numbers: the same nodes in the same order.
	for i := range g0.Nodes {
		if g0.Nodes[i].ID != g1.Nodes[i].ID || g0.Nodes[i].Layer != g1.Nodes[i].Layer {
			t.Fatalf("node %d moved: %s/%d → %s/%d", i, g0.Nodes[i].ID, g0.Nodes[i].Layer, g1.Nodes[i].ID, g1.Nodes[i].Layer)
		}
	}
}
