package views

import (
	"fmt"
	"slices"
	"strings"

	"kflow/kafka"
	"kflow/text"
)

// flowBox is one box of the flow map: a node, or an aggregate standing
// for the nodes of one layer that are collapsed (internal, idle, or hidden
// by the filter).
type flowBox struct {
	// ID is the node's id, or "agg:REASON:LAYER" for an aggregate.
	ID    string
	Node  int // index in the graph's nodes; -1 for an aggregate
	Layer int
	Slot  int
	// Aggregate: why its nodes are collapsed and how many there are.
	Reason string
	Count  int
}

// Agg reports whether the box stands for collapsed nodes.
func (b flowBox) Agg() bool { return b.Node < 0 }

// flowLink is an edge between two boxes.
type flowLink struct {
	From, To int // box indices
	Kind     kafka.FlowEdgeKind
	Rate     float64
}

// flowLayout is where every box of the map goes: a layered left-to-right
// layout whose positions depend on the graph's structure only (names and
// edges, never numbers), so a sample with new rates redraws in place.
type flowLayout struct {
	Boxes  []flowBox
	Links  []flowLink
	Layers [][]int // box indices per layer, top to bottom
	Slots  int     // the tallest layer's slot count
}

// flowCollapse says what the layout folds into aggregates.
type flowCollapse struct {
	// Filter keeps nodes whose name contains it (any case) and their
	// neighbours; "" keeps all.
	Filter string
	// Expanded are aggregate ids ("agg:idle:0") shown node by node.
	Expanded map[string]bool
}

// Aggregate reasons.
const (
	flowAggInternal = "internal"
	flowAggIdle     = "idle"
	flowAggHidden   = "hidden"
)

// layoutFlow lays g out. Internal topics and nodes without any edge fold
// into one aggregate per layer unless expanded; with a filter, what it
// hides folds into one "hidden" aggregate per layer.
func layoutFlow(g *kafka.FlowGraph, col flowCollapse) flowLayout {
	idx := make(map[string]int, len(g.Nodes))
	for i, n := range g.Nodes {
		idx[n.ID] = i
	}
	degree := make([]int, len(g.Nodes))
	nbr := make([][]int, len(g.Nodes))
	for _, e := range g.Edges {
		a, b := idx[e.From], idx[e.To]
		degree[a]++
		degree[b]++
		nbr[a] = append(nbr[a], b)
		nbr[b] = append(nbr[b], a)
	}
	keep := make([]bool, len(g.Nodes))
	f := strings.ToLower(col.Filter)
	for i, n := range g.Nodes {
		if f == "" || strings.Contains(strings.ToLower(n.Name), f) {
			keep[i] = true
		}
	}
	if f != "" {
		match := slices.Clone(keep)
		for i := range g.Nodes {
			if match[i] {
				for _, j := range nbr[i] {
					keep[j] = true
				}
			}
		}
	}
	var l flowLayout
	boxOf := make([]int, len(g.Nodes))
	aggs := map[string]int{}
	for i, n := range g.Nodes {
		reason := ""
		switch {
		case !keep[i]:
			reason = flowAggHidden
		case f != "":
		case n.Internal:
			reason = flowAggInternal
		case degree[i] == 0:
			reason = flowAggIdle
		}
		id := fmt.Sprintf("agg:%s:%d", reason, n.Layer)
		if reason == "" || (reason != flowAggHidden && col.Expanded[id]) {
			boxOf[i] = len(l.Boxes)
			l.Boxes = append(l.Boxes, flowBox{ID: n.ID, Node: i, Layer: n.Layer})
			continue
		}
		b, ok := aggs[id]
		if !ok {
			b = len(l.Boxes)
			aggs[id] = b
			l.Boxes = append(l.Boxes, flowBox{ID: id, Node: -1, Layer: n.Layer, Reason: reason})
		}
		l.Boxes[b].Count++
		boxOf[i] = b
	}
	seen := map[[2]int]int{}
	for _, e := range g.Edges {
		a, b := boxOf[idx[e.From]], boxOf[idx[e.To]]
		if a == b || l.Boxes[a].Reason == flowAggHidden || l.Boxes[b].Reason == flowAggHidden {
			continue
		}
		if k, dup := seen[[2]int{a, b}]; dup {
			if e.Rate >= 0 {
				l.Links[k].Rate = max(0, l.Links[k].Rate) + e.Rate
			}
			continue
		}
		seen[[2]int{a, b}] = len(l.Links)
		l.Links = append(l.Links, flowLink{From: a, To: b, Kind: e.Kind, Rate: e.Rate})
	}
	l.place()
	return l
}

// place gives every box a slot in its layer, layer by layer: each box as
// near the mean slot of the boxes pointing to it as is free, the slots
// that longer edges pass through kept free. Aggregates go last.
func (l *flowLayout) place() {
	layers := 0
	for _, b := range l.Boxes {
		layers = max(layers, b.Layer+1)
	}
	l.Layers = make([][]int, layers)
	preds := make([][]int, len(l.Boxes))
	for _, k := range l.Links {
		if l.Boxes[k.From].Layer < l.Boxes[k.To].Layer {
			preds[k.To] = append(preds[k.To], k.From)
		}
	}
	reserved := make([]map[int]bool, layers)
	for i := range reserved {
		reserved[i] = map[int]bool{}
	}
	placed := make([]bool, len(l.Boxes))
	for layer := range layers {
		var in []int
		for i, b := range l.Boxes {
			if b.Layer == layer {
				in = append(in, i)
			}
		}
		want := map[int]float64{}
		for _, i := range in {
			w, n := 0.0, 0
			for _, p := range preds[i] {
				if placed[p] {
					w += float64(l.Boxes[p].Slot)
					n++
				}
			}
			want[i] = -1
			if n > 0 {
				want[i] = w / float64(n)
			}
		}
		slices.SortStableFunc(in, func(a, b int) int {
			aa, ba := l.Boxes[a].Agg(), l.Boxes[b].Agg()
			switch {
			case aa != ba:
				if aa {
					return 1
				}
				return -1
			case want[a] < want[b]:
				return -1
			case want[a] > want[b]:
				return 1
			}
			return 0
		})
		// First the boxes whose wanted slot is free, then the others as
		// near as they can: a box is not pushed off its line by a sibling
		// that cannot have its own line anyway.
		used := reserved[layer]
		for _, i := range in {
			if s := int(want[i] + 0.5); want[i] >= 0 && !used[s] {
				used[s] = true
				l.Boxes[i].Slot = s
				placed[i] = true
			}
		}
		for _, i := range in {
			if placed[i] {
				continue
			}
			s := nearestFree(used, max(0, int(want[i]+0.5)))
			used[s] = true
			l.Boxes[i].Slot = s
			placed[i] = true
		}
		for _, i := range in {
			l.Slots = max(l.Slots, l.Boxes[i].Slot+1)
		}
		// Edges leaving this layer for one beyond the next pass through
		// the layers between at their source's slot.
		for _, k := range l.Links {
			from, to := l.Boxes[k.From], l.Boxes[k.To]
			if from.Layer != layer {
				continue
			}
			for m := from.Layer + 1; m < to.Layer; m++ {
				reserved[m][from.Slot] = true
			}
		}
		slices.SortFunc(in, func(a, b int) int { return l.Boxes[a].Slot - l.Boxes[b].Slot })
		l.Layers[layer] = in
	}
}

// nearestFree is the free slot nearest to want, the lower one on a tie;
// for the first boxes of a layer (want 0) the first free one.
func nearestFree(used map[int]bool, want int) int {
	for d := 0; ; d++ {
		if want-d >= 0 && !used[want-d] {
			return want - d
		}
		if !used[want+d] {
			return want + d
		}
	}
}

// find is the index of the box with id, -1 when there is none.
func (l *flowLayout) find(id string) int {
	return slices.IndexFunc(l.Boxes, func(b flowBox) bool { return b.ID == id })
}

// aggLabel names an aggregate box.
func aggLabel(b flowBox) string {
	switch b.Reason {
	case flowAggInternal:
		return "+" + text.CountOf(b.Count, "internal topic", "internal topics")
	case flowAggIdle:
		return "+" + text.CountOf(b.Count, "idle node", "idle nodes")
	}
	return "+" + text.CountOf(b.Count, "hidden node", "hidden nodes")
}
