package views

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
	"kflow/kafka/wordcount"
)

// FlowRefresh is how often the flow map lists topics: the picture moves
// at most once a second.
const FlowRefresh = time.Second

// flowHeadersEvery is how often at most a DLQ's recent headers are read
// again while its end offsets move.
const flowHeadersEvery = 10 * time.Second

// flowHeadersPerPartition is how many recent records of each DLQ
// partition the map reads headers from.
const flowHeadersPerPartition = 5

// FlowSource is what the flow map needs from a connection besides the
// groups' lag; *kafka.Client satisfies it. A source that is also a
// DLQHeaderSource links DLQs by their records' headers too, not only by
// their names.
type FlowSource interface {
	ListTopics(ctx context.Context) ([]kafka.TopicSummary, error)
}

// DLQHeaderSource reads the headers of a DLQ's recent records.
type DLQHeaderSource interface {
	DLQHeaders(ctx context.Context, topics []string, perPartition int) (map[string][][]kafka.Header, error)
}

var (
	_ FlowSource      = (*kafka.Client)(nil)
	_ DLQHeaderSource = (*kafka.Client)(nil)
)

// flowSample is one listing of the topics, with the DLQs' headers when
// they were read again (nil when not).
type flowSample struct {
	Topics  []kafka.TopicSummary
	Headers map[string][][]kafka.Header
	// HeadersErr says why the headers could not be read; the map then
	// links DLQs by name alone until the next try.
	HeadersErr error
}

// Flow is the flow map: topics and consumer groups as a layered graph,
// sources on the left, DLQs on the right, live.
type Flow struct {
	c    *Common
	id   int
	src  FlowSource
	gsrc GroupsSource
	opts GroupsOptions
	keys FlowKeys
	feed lagFeed

	rates     *kafka.FlowRates
	topics    []kafka.TopicSummary
	topicsAt  time.Time
	headers   map[string][][]kafka.Header
	headersAt time.Time
	dlqEnds   map[string]int64 // DLQ end offsets when their headers were read
	graph     kafka.FlowGraph
	layout    flowLayout

	expanded map[string]bool
	filter   string
	typing   bool
	input    textinput.Model

	sel   string // the selected box's id
	focus string // a node to select once it is there
	x0    int    // the first layer shown
	y0    int    // the first row shown

	gen     int
	loaded  bool
	closed  bool
	err     error
	errAt   time.Time
	updated time.Time
	built   time.Time // when the graph on screen was built

	width, height int
}

// NewFlow makes the flow map; focus, when not "", is a topic to select
// once it shows.
func NewFlow(c *Common, src FlowSource, gsrc GroupsSource, focus string, opts GroupsOptions) *Flow {
	v := &Flow{c: c, id: c.NewID(), src: src, gsrc: gsrc, opts: opts, keys: DefaultFlowKeys(),
		rates: kafka.NewFlowRates(), headers: map[string][][]kafka.Header{}, dlqEnds: map[string]int64{},
		expanded: map[string]bool{}}
	if focus != "" {
		v.focus = kafka.FlowTopicID(focus)
	}
	v.feed = newLagFeed(c, v.id, gsrc, nil, opts)
	in := textinput.New()
	in.Prompt = "/"
	in.Placeholder = "filter nodes"
	v.input = in
	return v
}

// OpenFlow returns the command opening the flow map, with topic (when not
// "") selected, or an error when the connection cannot draw one.
func OpenFlow(c *Common, topic string) tea.Cmd {
	src, ok := c.Cluster.(FlowSource)
	gsrc, gok := SourceOf(c)
	if !ok || !gok || c.Cluster == nil {
		return Failure(errors.New("flow map: not connected to a cluster that lists topics and groups"))
	}
	rules, err := lagRulesOf(c)
	open := Push(NewFlow(c, src, gsrc, topic, GroupsOptions{Rules: rules}))
	if err != nil {
		return tea.Batch(open, Failure(err))
	}
	return open
}

// ID is the view's id.
func (v *Flow) ID() int { return v.id }

// Title names the view.
func (v *Flow) Title() string { return "flow" }

// Capturing reports whether the filter takes the keys.
func (v *Flow) Capturing() bool { return v.typing }

// WantsEsc reports whether esc clears the filter rather than closing.
func (v *Flow) WantsEsc() bool { return v.typing || v.filter != "" }

// Busy reports whether the first load is in flight.
func (v *Flow) Busy() bool { return !v.loaded && v.err == nil }

// Close stops following the lag monitor.
func (v *Flow) Close() {
	v.closed = true
	v.feed.stop()
}

// Graph is the graph on screen, for tests.
func (v *Flow) Graph() kafka.FlowGraph { return v.graph }

// Selected is the id of the selected node (or aggregate), for tests.
func (v *Flow) Selected() string { return v.sel }

// SetSize sets the view's area.
func (v *Flow) SetSize(w, h int) {
	v.width, v.height = w, h
	v.input.SetWidth(max(1, w-4))
	v.scroll()
}

// Init lists the topics and follows the lag monitor.
func (v *Flow) Init() tea.Cmd {
	_, cmd := v.feed.start(false)
	return tea.Batch(cmd, v.load())
}

// load lists the topics and, when a DLQ moved and its headers are old
// enough, reads its recent headers.
func (v *Flow) load() tea.Cmd {
	v.gen++
	src, now := v.src, v.c.now()
	stale := now.Sub(v.headersAt) >= flowHeadersEvery || v.headersAt.IsZero()
	ends := maps.Clone(v.dlqEnds)
	return Call(v.c, v.id, v.gen, "flow map", func(ctx context.Context) (flowSample, error) {
		ts, err := src.ListTopics(ctx)
		if err != nil {
			return flowSample{}, fmt.Errorf("list topics: %w", err)
		}
		s := flowSample{Topics: ts}
		var moved []string
		for _, t := range ts {
			if _, dlq := kafka.DLQSource(t.Name); dlq && t.Records > 0 && ends[t.Name] != t.EndOffsets {
				moved = append(moved, t.Name)
			}
		}
		hsrc, ok := src.(DLQHeaderSource)
		if len(moved) > 0 && stale && ok {
			hs, err := hsrc.DLQHeaders(ctx, kafka.DLQTopics(ts), flowHeadersPerPartition)
			if err != nil {
				s.HeadersErr = fmt.Errorf("flow map: read dead-letter headers: %w", err)
			} else {
				s.Headers = hs
			}
		}
		return s, nil
	})
}

// Update handles samples, snapshots and keys.
func (v *Flow) Update(msg tea.Msg) (View, tea.Cmd) {
	if fresh, used, cmd := v.feed.take(msg); used {
		// While the shell polls, a new lag sample waits for the next
		// listing (at most a second) unless the map is older than that,
		// so the picture moves at most once a second.
		if fresh && !v.closed && (v.c.Refresh <= 0 || v.c.now().Sub(v.built) >= FlowRefresh) {
			v.rebuild()
		}
		return v, cmd
	}
	switch msg := msg.(type) {
	case Result[flowSample]:
		if msg.ID != v.id || msg.Gen != v.gen {
			return v, nil
		}
		return v, tea.Batch(v.took(msg), v.tick())
	case TickMsg:
		if msg.ID != v.id || v.closed {
			return v, nil
		}
		return v, v.load()
	case tea.KeyPressMsg:
		return v.key(msg)
	}
	if v.typing {
		var cmd tea.Cmd
		v.input, cmd = v.input.Update(msg)
		return v, cmd
	}
	return v, nil
}

// tick schedules the next listing, once a second while the shell polls.
func (v *Flow) tick() tea.Cmd {
	if v.c.Refresh <= 0 {
		return nil
	}
	id := v.id
	return tea.Tick(FlowRefresh, func(time.Time) tea.Msg { return TickMsg{ID: id} })
}

// took keeps a sample; a failure keeps the last good map, marked stale,
// and is reported once.
func (v *Flow) took(r Result[flowSample]) tea.Cmd {
	if r.Err != nil {
		v.err, v.errAt = r.Err, r.At
		return Failure(r.Err)
	}
	v.err = nil
	var cmd tea.Cmd
	if r.Value.HeadersErr != nil { // try again in flowHeadersEvery
		v.headersAt = r.At
		cmd = Failure(r.Value.HeadersErr)
	}
	v.loaded = true
	v.topics, v.topicsAt, v.updated = r.Value.Topics, r.At, r.At
	if r.Value.Headers != nil {
		v.headers, v.headersAt = r.Value.Headers, r.At
		for _, t := range r.Value.Topics {
			if _, dlq := kafka.DLQSource(t.Name); dlq {
				v.dlqEnds[t.Name] = t.EndOffsets
			}
		}
	}
	v.rebuild()
	return cmd
}

// rebuild makes the graph of the newest topics and lag, and lays it out.
func (v *Flow) rebuild() {
	if !v.loaded {
		return
	}
	snap := v.feed.snap
	g := kafka.BuildFlow(kafka.FlowInput{At: v.topicsAt, LagAt: snap.At, Topics: v.topics, Groups: snap.Groups,
		DLQHeaders: v.headers, Writes: wordcount.FlowWrites("", "")})
	v.rates.Apply(&g)
	v.graph, v.built = g, v.c.now()
	v.relayout()
}

// relayout lays the graph out again (a filter, an expansion) and keeps the
// selection on the same node, or on what now stands for it.
func (v *Flow) relayout() {
	v.layout = layoutFlow(&v.graph, flowCollapse{Filter: v.filter, Expanded: v.expanded})
	if v.focus != "" && v.layout.find(v.focus) < 0 && v.unfold(v.focus) {
		v.layout = layoutFlow(&v.graph, flowCollapse{Filter: v.filter, Expanded: v.expanded})
	}
	if v.focus != "" && v.layout.find(v.focus) >= 0 {
		v.sel, v.focus = v.focus, ""
	}
	if v.layout.find(v.sel) < 0 {
		v.sel = v.standIn(v.sel)
	}
	v.scroll()
}

// unfold expands the fold (idle or internal) that holds node id, so a
// topic opened from the topics view shows; false when it is in none.
func (v *Flow) unfold(id string) bool {
	n, ok := v.graph.Node(id)
	if !ok {
		return false
	}
	for _, why := range []string{flowAggIdle, flowAggInternal} {
		if agg := fmt.Sprintf("agg:%s:%d", why, n.Layer); v.layout.find(agg) >= 0 && !v.expanded[agg] {
			v.expanded[agg] = true
			if l := layoutFlow(&v.graph, flowCollapse{Filter: v.filter, Expanded: v.expanded}); l.find(id) >= 0 {
				return true
			}
			delete(v.expanded, agg)
		}
	}
	return false
}

// standIn is the box now showing node id (its aggregate), else the first
// box of the first layer.
func (v *Flow) standIn(id string) string {
	if i := slices.IndexFunc(v.graph.Nodes, func(n kafka.FlowNode) bool { return n.ID == id }); i >= 0 {
		n := v.graph.Nodes[i]
		for _, b := range v.layout.Boxes {
			if b.Agg() && b.Layer == n.Layer {
				return b.ID
			}
		}
	}
	for _, col := range v.layout.Layers {
		if len(col) > 0 {
			return v.layout.Boxes[col[0]].ID
		}
	}
	return ""
}

func (v *Flow) key(msg tea.KeyPressMsg) (View, tea.Cmd) {
	k := v.keys
	if v.typing {
		switch {
		case key.Matches(msg, k.Accept):
			v.typing = false
			v.input.Blur()
		case key.Matches(msg, k.Cancel):
			v.typing = false
			v.input.Blur()
			v.setFilter("")
		default:
			var cmd tea.Cmd
			v.input, cmd = v.input.Update(msg)
			v.setFilter(v.input.Value())
			return v, cmd
		}
		return v, nil
	}
	switch {
	case key.Matches(msg, k.Filter):
		v.typing = true
		v.input.SetStyles(v.c.Theme.Input())
		v.input.SetValue(v.filter)
		v.input.CursorEnd()
		return v, v.input.Focus()
	case key.Matches(msg, k.Cancel) && v.filter != "":
		v.setFilter("")
	case key.Matches(msg, k.Up):
		v.moveVert(-1)
	case key.Matches(msg, k.Down):
		v.moveVert(1)
	case key.Matches(msg, k.Left):
		v.moveLayer(-1)
	case key.Matches(msg, k.Right):
		v.moveLayer(1)
	case key.Matches(msg, k.Internal):
		v.toggleInternal()
	case key.Matches(msg, k.Collapse):
		v.expanded = map[string]bool{}
		v.relayout()
	case key.Matches(msg, k.Refresh):
		return v, tea.Batch(v.load(), v.feed.sample())
	case key.Matches(msg, k.Open):
		return v, v.open()
	}
	return v, nil
}

// setFilter filters the nodes.
func (v *Flow) setFilter(f string) {
	v.filter = f
	v.relayout()
}

// toggleInternal shows or folds every layer's internal topics.
func (v *Flow) toggleInternal() {
	shown := false
	for id, on := range v.expanded {
		shown = shown || on && len(id) > 13 && id[:13] == "agg:"+flowAggInternal+":"
	}
	for l := range v.graph.Layers() {
		id := fmt.Sprintf("agg:%s:%d", flowAggInternal, l)
		if shown {
			delete(v.expanded, id)
		} else {
			v.expanded[id] = true
		}
	}
	v.relayout()
}

// open opens the selected node's view: a topic's tail, a group's detail;
// on an aggregate it shows the nodes it stands for.
func (v *Flow) open() tea.Cmd {
	i := v.layout.find(v.sel)
	if i < 0 {
		return nil
	}
	b := v.layout.Boxes[i]
	if b.Agg() {
		if b.Reason == flowAggHidden {
			return Notice("the filter hides these nodes; esc clears it")
		}
		v.expanded[b.ID] = true
		v.relayout()
		return nil
	}
	n := v.graph.Nodes[b.Node]
	if n.Kind == kafka.FlowTopic {
		return OpenTail(v.c, n.Name, TailViewOptions{})
	}
	return Push(NewGroupDetail(v.c, v.gsrc, n.Name, v.feed.mon, v.opts))
}

// moveVert selects the box above or below in the same layer.
func (v *Flow) moveVert(d int) {
	i := v.layout.find(v.sel)
	if i < 0 {
		v.sel = v.standIn("")
		v.scroll()
		return
	}
	col := v.layout.Layers[v.layout.Boxes[i].Layer]
	at := slices.Index(col, i) + d
	if at >= 0 && at < len(col) {
		v.sel = v.layout.Boxes[col[at]].ID
	}
	v.scroll()
}

// moveLayer selects the box nearest in slot in the next non-empty layer
// to the left or right.
func (v *Flow) moveLayer(d int) {
	i := v.layout.find(v.sel)
	if i < 0 {
		v.sel = v.standIn("")
		v.scroll()
		return
	}
	cur := v.layout.Boxes[i]
	for l := cur.Layer + d; l >= 0 && l < len(v.layout.Layers); l += d {
		col := v.layout.Layers[l]
		if len(col) == 0 {
			continue
		}
		best := col[0]
		for _, j := range col {
			if abs(v.layout.Boxes[j].Slot-cur.Slot) < abs(v.layout.Boxes[best].Slot-cur.Slot) {
				best = j
			}
		}
		v.sel = v.layout.Boxes[best].ID
		break
	}
	v.scroll()
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// ensure the view satisfies the shell's interface.
var _ View = (*Flow)(nil)
