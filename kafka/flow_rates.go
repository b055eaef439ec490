package kafka

import "time"

// flowRateKeep is how many rates a FlowRates keeps per topic: the
// sparkline's width.
const flowRateKeep = 16

// FlowRates turns successive flow graphs into rates: a topic's records/s
// from its end offsets, a group's consume rate on a topic from its
// committed offsets there. The zero value is not ready; use NewFlowRates.
type FlowRates struct {
	at      time.Time
	lagAt   time.Time
	ends    map[string]int64 // topic node id → end offsets
	commits map[[2]string]int64
	edge    map[[2]string]float64 // the last consume rates, kept between lag samples
	hist    map[string][]float64
}

// NewFlowRates makes an empty rate tracker.
func NewFlowRates() *FlowRates {
	return &FlowRates{ends: map[string]int64{}, commits: map[[2]string]int64{}, edge: map[[2]string]float64{}, hist: map[string][]float64{}}
}

// Apply fills g's rates from the sample before it and remembers g's
// offsets for the next. A sample no later than the previous one, or an
// offset that went backwards (a topic recreated, a group reset), gives
// -1 (unknown) for what it concerns.
func (r *FlowRates) Apply(g *FlowGraph) {
	dt := g.At.Sub(r.at).Seconds()
	have := !r.at.IsZero() && dt > 0
	for i := range g.Nodes {
		n := &g.Nodes[i]
		if n.Kind != FlowTopic {
			continue
		}
		prev, ok := r.ends[n.ID]
		if have && ok && n.EndOffsets >= prev {
			n.Rate = float64(n.EndOffsets-prev) / dt
			r.hist[n.ID] = append(r.hist[n.ID], n.Rate)
			if len(r.hist[n.ID]) > flowRateKeep {
				r.hist[n.ID] = r.hist[n.ID][len(r.hist[n.ID])-flowRateKeep:]
			}
		} else if !have && ok {
			n.Rate = lastRate(r.hist[n.ID])
		}
		n.RateHistory = append([]float64(nil), r.hist[n.ID]...)
		if have || !ok {
			r.ends[n.ID] = n.EndOffsets
		}
	}
	// Committed offsets come with the lag sample, which may be older
	// than the topics': consume rates move only when it does.
	ldt := g.LagAt.Sub(r.lagAt).Seconds()
	fresh := !r.lagAt.IsZero() && ldt > 0
	for i := range g.Edges {
		e := &g.Edges[i]
		if e.Kind != FlowConsumes {
			continue
		}
		k := [2]string{e.From, e.To}
		prev, ok := r.commits[k]
		switch {
		case fresh && ok && e.Committed >= prev:
			e.Rate = float64(e.Committed-prev) / ldt
			r.edge[k] = e.Rate
		case fresh:
			delete(r.edge, k)
		default:
			if v, ok := r.edge[k]; ok {
				e.Rate = v
			}
		}
		if fresh || !ok {
			r.commits[k] = e.Committed
		}
	}
	if have || r.at.IsZero() {
		r.at = g.At
	}
	if fresh || r.lagAt.IsZero() {
		r.lagAt = g.LagAt
	}
}

func lastRate(h []float64) float64 {
	if len(h) == 0 {
		return -1
	}
	return h[len(h)-1]
}
