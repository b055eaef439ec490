package kafka

import (
	"slices"
	"strings"
	"time"

	"kflow/lag"
)

// FlowKind says what a node of the flow map is.
type FlowKind string

// Node kinds.
const (
	FlowTopic FlowKind = "topic"
	FlowGroup FlowKind = "group"
)

// FlowEdgeKind says how an edge of the flow map was found.
type FlowEdgeKind string

// Edge kinds.
const (
	// FlowConsumes: the group has committed offsets on the topic or is
	// assigned its partitions.
	FlowConsumes FlowEdgeKind = "consumes"
	// FlowWrites: the group writes the topic (the word count engine's
	// app topics, or a write the caller knows of).
	FlowWrites FlowEdgeKind = "writes"
	// FlowDeadLetters: the topic's failed records go to the DLQ (its name,
	// or a header naming the source topic in its records).
	FlowDeadLetters FlowEdgeKind = "dead-letters"
	// FlowFails: the group dead-letters records into the DLQ (a header
	// naming the group, or a client id of one of its members).
	FlowFails FlowEdgeKind = "fails-to"
)

// FlowNode is a topic or a consumer group of the flow map.
type FlowNode struct {
	// ID is unique in the graph: "topic:NAME" or "group:NAME".
	ID   string   `json:"id"`
	Kind FlowKind `json:"kind"`
	Name string   `json:"name"`
	// Layer is the node's column, left to right: sources 0, their
	// consumers 1, what those write 2, ...; a DLQ one past what feeds it.
	Layer int `json:"layer"`
	// Internal marks Kafka's own topics (__consumer_offsets) and the word
	// count engine's repartition and changelog topics.
	Internal bool `json:"internal,omitempty"`
	// DLQ marks a dead-letter topic.
	DLQ bool `json:"dlq,omitempty"`

	// Topic nodes.
	Partitions int   `json:"partitions,omitempty"`
	Records    int64 `json:"records,omitempty"`
	EndOffsets int64 `json:"end_offsets,omitempty"`
	// Rate is the topic's records/s between the last two samples, -1
	// before two.
	Rate float64 `json:"rate"`
	// RateHistory is the recent rates, oldest first (the sparkline).
	RateHistory []float64 `json:"rate_history,omitempty"`

	// Group nodes.
	State   string      `json:"state,omitempty"`
	Members int         `json:"members,omitempty"`
	Lag     int64       `json:"lag,omitempty"`
	TimeLag lag.TimeLag `json:"time_lag,omitzero"`
	// Status is the dashboard's verdict on the group (lag.Evaluate).
	Status lag.Status `json:"status,omitempty"`
	Reason string     `json:"reason,omitempty"`
	Err    string     `json:"error,omitempty"`
}

// FlowEdge is a directed edge of the flow map.
type FlowEdge struct {
	From string       `json:"from"`
	To   string       `json:"to"`
	Kind FlowEdgeKind `json:"kind"`
	// Why says in words what found the edge.
	Why string `json:"why,omitempty"`
	// Consumes edges: the group's lag on the topic, its committed offsets
	// summed (the rate's input) and its consume rate on the topic between
	// the last two samples, -1 before two.
	Lag       int64   `json:"lag,omitempty"`
	Committed int64   `json:"committed,omitempty"`
	Rate      float64 `json:"rate"`
}

// FlowGraph is the flow map at one sample: nodes sorted by layer, then
// kind, then name; edges sorted by from, then to.
type FlowGraph struct {
	At time.Time `json:"at"`
	// LagAt is when the groups' lag was sampled.
	LagAt time.Time  `json:"lag_at"`
	Nodes []FlowNode `json:"nodes"`
	Edges []FlowEdge `json:"edges"`
}

// Node finds a node by ID.
func (g *FlowGraph) Node(id string) (FlowNode, bool) {
	i := slices.IndexFunc(g.Nodes, func(n FlowNode) bool { return n.ID == id })
	if i < 0 {
		return FlowNode{}, false
	}
	return g.Nodes[i], true
}

// Layers is how many layers the graph has.
func (g *FlowGraph) Layers() int {
	n := 0
	for _, nd := range g.Nodes {
		n = max(n, nd.Layer+1)
	}
	return n
}

// FlowWrite is a write the caller knows of: Group produces to Topic.
type FlowWrite struct {
	Group, Topic string
}

// FlowInput is what the flow map is built from: one sample of the
// cluster's topics and groups, the headers of a few recent records of
// each DLQ, and writes the caller knows of.
type FlowInput struct {
	// At is when the topics were listed, LagAt when the groups' lag was
	// sampled (a LagSnapshot's At).
	At, LagAt time.Time
	Topics    []TopicSummary
	Groups    []GroupStatus
	// DLQHeaders are the headers of recent records of dead-letter topics,
	// by topic (DLQHeaders' answer).
	DLQHeaders map[string][][]Header
	// Writes are known writes beyond what names tell.
	Writes []FlowWrite
}

// FlowTopicID and FlowGroupID are the node ids of a topic and a group.
func FlowTopicID(name string) string { return "topic:" + name }

// FlowGroupID is the node id of a consumer group.
func FlowGroupID(name string) string { return "group:" + name }

// Word count engine topic suffixes (kafka/wordcount/topics.go) and its
// group suffixes (kafka/wordcount/session.go): group <app>-split reads the
// input and writes <app>-counts-repartition; <app>-count reads that and
// writes <app>-counts-changelog and the output.
const (
	wcRepartition = "-counts-repartition"
	wcChangelog   = "-counts-changelog"
	wcSplit       = "-split"
	wcCount       = "-count"
)

// DLQSourceHeaders name the header carrying a dead-lettered record's
// source topic: the demo's and Kafka Connect's, Spring's, and common
// spellings.
var DLQSourceHeaders = []string{"original.topic", "source.topic", "dlq.source.topic", "__connect.errors.topic",
	"kafka_dlt-original-topic", "x-original-topic", "original_topic", "source_topic"}

// DLQGroupHeaders name the header carrying the consumer group that failed.
var DLQGroupHeaders = []string{"original.group", "error.group", "consumer.group", "group.id", "group",
	"kafka_dlt-original-consumer-group", "x-original-group", "original_group"}

// DLQClientHeaders name the header carrying the client id that failed; it
// is matched to the group one of whose members has that client id.
var DLQClientHeaders = []string{"original.client.id", "error.client.id", "client.id", "client_id", "x-client-id"}

// DLQSource reports whether topic is named like a dead-letter topic
// (NAME.DLQ, NAME-dlq, dlq-NAME, any case) and the source topic the name
// gives.
func DLQSource(topic string) (source string, ok bool) {
	low := strings.ToLower(topic)
	switch {
	case strings.HasSuffix(low, ".dlq"):
		return topic[:len(topic)-4], len(topic) > 4
	case strings.HasSuffix(low, "-dlq"), strings.HasSuffix(low, "_dlq"):
		return topic[:len(topic)-4], len(topic) > 4
	case strings.HasPrefix(low, "dlq-"), strings.HasPrefix(low, "dlq."), strings.HasPrefix(low, "dlq_"):
		return topic[4:], len(topic) > 4
	}
	return "", false
}

// flowInternal reports whether a topic is internal to Kafka or to the word
// count engine.
func flowInternal(t TopicSummary) bool {
	return t.Internal || strings.HasPrefix(t.Name, "__") ||
		strings.HasSuffix(t.Name, wcRepartition) || strings.HasSuffix(t.Name, wcChangelog)
}

// BuildFlow computes the flow map of one sample. It is pure: the same
// input gives the same graph, so positions built on it stay put as
// numbers change. Rates are -1; a FlowRates fills them from successive
// graphs.
func BuildFlow(in FlowInput) FlowGraph {
	b := flowBuilder{nodes: map[string]*FlowNode{}, edges: map[[2]string]*FlowEdge{}}
	topics := map[string]bool{}
	for _, t := range in.Topics {
		topics[t.Name] = true
		b.nodes[FlowTopicID(t.Name)] = &FlowNode{ID: FlowTopicID(t.Name), Kind: FlowTopic, Name: t.Name,
			Internal: flowInternal(t), Partitions: t.Partitions, Records: t.Records, EndOffsets: t.EndOffsets, Rate: -1}
	}
	clients := map[string]string{} // client id → group
	groups := map[string]bool{}
	for _, g := range in.Groups {
		id := g.Group.ID
		groups[id] = true
		n := &FlowNode{ID: FlowGroupID(id), Kind: FlowGroup, Name: id, State: g.Group.State, Members: g.Group.Members,
			Lag: g.TotalLag, TimeLag: g.TimeLag, Status: g.Verdict.Status, Reason: g.Verdict.Reason, Err: g.Err, Rate: -1}
		if g.Err != "" {
			n.Status = lag.Error
		}
		b.nodes[n.ID] = n
		for _, m := range g.Group.MemberList {
			if m.ClientID != "" {
				clients[m.ClientID] = id
			}
		}
		for _, p := range g.Partitions {
			if p.ClientID != "" {
				clients[p.ClientID] = id
			}
			if !topics[p.Topic] {
				continue
			}
			e := b.edge(FlowTopicID(p.Topic), n.ID, FlowConsumes, "committed offsets or assigned partitions")
			if p.Lag > 0 {
				e.Lag += p.Lag
			}
			if p.Committed > 0 {
				e.Committed += p.Committed
			}
		}
	}
	// The word count engine's app topics, by name.
	for name := range topics {
		if app, ok := strings.CutSuffix(name, wcRepartition); ok {
			if groups[app+wcSplit] {
				b.edge(FlowGroupID(app+wcSplit), FlowTopicID(name), FlowWrites, "word count app "+app+": split writes the repartition topic")
			}
		}
		if app, ok := strings.CutSuffix(name, wcChangelog); ok {
			if groups[app+wcCount] {
				b.edge(FlowGroupID(app+wcCount), FlowTopicID(name), FlowWrites, "word count app "+app+": count writes its changelog")
			}
		}
	}
	for _, w := range in.Writes {
		if groups[w.Group] && topics[w.Topic] {
			b.edge(FlowGroupID(w.Group), FlowTopicID(w.Topic), FlowWrites, "known write")
		}
	}
	// Dead-letter topics: by name, then by the headers of their records.
	for _, t := range in.Topics {
		src, named := DLQSource(t.Name)
		hs := in.DLQHeaders[t.Name]
		if !named && !hasAnyHeader(hs, DLQSourceHeaders) {
			continue
		}
		dlq := b.nodes[FlowTopicID(t.Name)]
		dlq.DLQ = true
		if named && topics[src] {
			b.edge(FlowTopicID(src), dlq.ID, FlowDeadLetters, "named "+t.Name)
		}
		for _, h := range hs {
			if s := headerValue(h, DLQSourceHeaders); s != "" && topics[s] && s != t.Name {
				b.edge(FlowTopicID(s), dlq.ID, FlowDeadLetters, "records' source topic header")
			}
			if g := headerValue(h, DLQGroupHeaders); g != "" && groups[g] {
				b.edge(FlowGroupID(g), dlq.ID, FlowFails, "records' group header")
			} else if cl := headerValue(h, DLQClientHeaders); cl != "" && clients[cl] != "" {
				b.edge(FlowGroupID(clients[cl]), dlq.ID, FlowFails, "records' client id header ("+cl+")")
			}
		}
	}
	g := b.graph(in.At)
	g.LagAt = in.LagAt
	return g
}

// hasAnyHeader reports whether a record of hs carries one of names.
func hasAnyHeader(hs [][]Header, names []string) bool {
	for _, h := range hs {
		if headerValue(h, names) != "" {
			return true
		}
	}
	return false
}

// headerValue is the value of the first header named one of names (any
// case), "" when none is.
func headerValue(hs []Header, names []string) string {
	for _, n := range names {
		for _, h := range hs {
			if strings.EqualFold(h.Key, n) && len(h.Value) > 0 {
				return string(h.Value)
			}
		}
	}
	return ""
}

type flowBuilder struct {
	nodes map[string]*FlowNode
	edges map[[2]string]*FlowEdge
}

// edge adds an edge (or returns the one there is) between two nodes.
func (b *flowBuilder) edge(from, to string, kind FlowEdgeKind, why string) *FlowEdge {
	k := [2]string{from, to}
	if e := b.edges[k]; e != nil {
		return e
	}
	e := &FlowEdge{From: from, To: to, Kind: kind, Why: why, Rate: -1}
	b.edges[k] = e
	return e
}

// graph assigns layers and sorts.
func (b *flowBuilder) graph(at time.Time) FlowGraph {
	edges := make([]FlowEdge, 0, len(b.edges))
	for _, e := range b.edges {
		edges = append(edges, *e)
	}
	slices.SortFunc(edges, func(x, y FlowEdge) int {
		return cmpStrings(x.From+"\x00"+x.To, y.From+"\x00"+y.To)
	})
	// Longest path from the sources, DLQ edges left out (DLQs go last);
	// bounded, so a cycle (a group writing what it reads) ends.
	layer := map[string]int{}
	for range len(b.nodes) + 1 {
		moved := false
		for _, e := range edges {
			if e.Kind == FlowDeadLetters || e.Kind == FlowFails || b.nodes[e.To].DLQ {
				continue
			}
			if l := layer[e.From] + 1; l > layer[e.To] && l <= len(b.nodes) {
				layer[e.To] = l
				moved = true
			}
		}
		if !moved {
			break
		}
	}
	// A DLQ goes one layer past the nodes that feed it: after the
	// consumers that fail into it and the topic it keeps the failures of.
	for _, e := range edges {
		if b.nodes[e.To].DLQ && !b.nodes[e.From].DLQ {
			layer[e.To] = max(layer[e.To], layer[e.From]+1)
		}
	}
	nodes := make([]FlowNode, 0, len(b.nodes))
	for id, n := range b.nodes {
		n.Layer = layer[id]
		nodes = append(nodes, *n)
	}
	slices.SortFunc(nodes, func(x, y FlowNode) int {
		if x.Layer != y.Layer {
			return x.Layer - y.Layer
		}
		if x.Kind != y.Kind {
			return cmpStrings(string(x.Kind), string(y.Kind))
		}
		return cmpStrings(x.Name, y.Name)
	})
	return FlowGraph{At: at, Nodes: nodes, Edges: edges}
}

func cmpStrings(a, b string) int { return strings.Compare(a, b) }
