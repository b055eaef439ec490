package views

import (
	"fmt"
	"testing"

	"kflow/kafka"
)

// flowTestGraph is a graph of the given nodes (id "topic:a" or
// "group:g", layer) and edges.
func flowTestGraph(nodes [][2]any, edges [][2]string) kafka.FlowGraph {
	var g kafka.FlowGraph
	for _, n := range nodes {
		id := n[0].(string)
		kind, name := kafka.FlowTopic, id[len("topic:"):]
		if id[:6] == "group:" {
			kind = kafka.FlowGroup
		}
		g.Nodes = append(g.Nodes, kafka.FlowNode{ID: id, Kind: kind, Name: name, Layer: n[1].(int), Rate: -1})
	}
	for _, e := range edges {
		g.Edges = append(g.Edges, kafka.FlowEdge{From: e[0], To: e[1], Kind: kafka.FlowConsumes, Rate: -1})
	}
	return g
}

func TestFlowLayoutLayersAndLongEdges(t *testing.T) {
	g := flowTestGraph([][2]any{{"topic:orders", 0}, {"topic:text", 0}, {"group:a", 1}, {"group:b", 1}, {"group:split", 1}, {"topic:orders.DLQ", 2}},
		[][2]string{{"topic:orders", "group:a"}, {"topic:orders", "group:b"}, {"topic:text", "group:split"}, {"topic:orders", "topic:orders.DLQ"}, {"group:b", "topic:orders.DLQ"}})
	l := layoutFlow(&g, flowCollapse{})
	at := func(id string) [2]int {
		b := l.Boxes[l.find(id)]
		return [2]int{b.Layer, b.Slot}
	}
	// orders' edge to its DLQ passes layer 1 at slot 0, so the groups go
	// below it; split keeps the line of its topic.
	want := map[string][2]int{"topic:orders": {0, 0}, "topic:text": {0, 1}, "group:split": {1, 1}, "group:a": {1, 2}, "group:b": {1, 3}, "topic:orders.DLQ": {2, 2}}
	for id, w := range want {
		if got := at(id); got != w {
			t.Errorf("%s at layer,slot %v, want %v", id, got, w)
		}
	}
	if len(l.Layers) != 3 || l.Slots != 4 {
		t.Errorf("%d layers, %d slots", len(l.Layers), l.Slots)
	}
}

func TestFlowLayoutIgnoresNumbers(t *testing.T) {
	g := flowTestGraph([][2]any{{"topic:orders", 0}, {"group:a", 1}, {"group:b", 1}}, [][2]string{{"topic:orders", "group:a"}, {"topic:orders", "group:b"}})
	before := layoutFlow(&g, flowCollapse{})
	g.Nodes[0].Rate, g.Edges[0].Rate, g.Nodes[2].Lag = 1e6, 5e5, 1e9
	after := layoutFlow(&g, flowCollapse{})
	for i := range before.Boxes {
		if before.Boxes[i] != after.Boxes[i] {
			t.Fatalf("box %d moved: %+v → %+v", i, before.Boxes[i], after.Boxes[i])
		}
	}
}

func TestFlowLayout300TopicsFold(t *testing.T) {
	var nodes [][2]any
	var edges [][2]string
	for i := range 300 {
		nodes = append(nodes, [2]any{fmt.Sprintf("topic:t%03d", i), 0})
	}
	for i := range 100 {
		nodes = append(nodes, [2]any{fmt.Sprintf("group:g%02d", i), 1})
		edges = append(edges, [2]string{fmt.Sprintf("topic:t%03d", i), fmt.Sprintf("group:g%02d", i)})
	}
	g := flowTestGraph(nodes, edges)
	l := layoutFlow(&g, flowCollapse{})
	if idle := l.find("agg:idle:0"); idle < 0 || l.Boxes[idle].Count != 200 || len(l.Boxes) != 201 {
		t.Fatalf("the 200 topics nobody reads are not one box: %d boxes", len(l.Boxes))
	}
	l = layoutFlow(&g, flowCollapse{Filter: "g07"})
	if len(l.Boxes) != 4 { // g07, its topic t007, and a hidden box per layer
		t.Fatalf("filter g07 leaves %d boxes: %+v", len(l.Boxes), l.Boxes)
	}
	l = layoutFlow(&g, flowCollapse{Expanded: map[string]bool{"agg:idle:0": true}})
	if len(l.Boxes) != 400 {
		t.Fatalf("expanded: %d boxes", len(l.Boxes))
	}
}
