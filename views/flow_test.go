package views

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"kflow/kafka"
	"kflow/views/viewstest"
)

// flowRig runs a flow map over the fake synchronously.
type flowRig struct {
	v      *Flow
	clock  *viewstest.Clock
	r      *viewstest.Runner
	pushed []View
	notice string
}

func newFlowRig(t *testing.T, big bool, w, h int) *flowRig {
	t.Helper()
	t.Setenv("NO_COLOR", "")
	clock := viewstest.NewClock()
	f := newFakeFlow(clock, big)
	c := newLagCommon(clock)
	c.Cluster = f
	rig := &flowRig{clock: clock}
	rig.v = NewFlow(c, f, f, "", GroupsOptions{Rules: lagRules})
	rig.v.SetSize(w, h)
	rig.r = &viewstest.Runner{Update: func(msg tea.Msg) tea.Cmd {
		switch msg := msg.(type) {
		case PushMsg:
			rig.pushed = append(rig.pushed, msg.View)
			return nil
		case NoticeMsg:
			rig.notice = msg.Text
			return nil
		}
		_, cmd := rig.v.Update(msg)
		return cmd
	}}
	t.Cleanup(rig.v.Close)
	rig.r.Do(rig.v.Init())
	return rig
}

// samples takes n more samples, two seconds apart.
func (g *flowRig) samples(n int) {
	for range n {
		g.clock.Advance(2 * time.Second)
		g.r.Keys("r")
	}
}

func (g *flowRig) screen() string { return ansi.Strip(g.v.View()) }

func TestFlowNavigationAndOpen(t *testing.T) {
	g := newFlowRig(t, false, 160, 48)
	g.samples(5)
	if got := g.v.Selected(); got != kafka.FlowTopicID("order_events") {
		t.Fatalf("starts on %q, want order_events", got)
	}
	g.r.Keys("l")
	if got := g.v.Selected(); got != kafka.FlowGroupID("kflow-wordcount-split") {
		t.Fatalf("right goes to %q, want the nearest group, kflow-wordcount-split", got)
	}
	g.r.Keys("j", "j")
	if got := g.v.Selected(); got != kafka.FlowGroupID("notifications") {
		t.Fatalf("down goes to %q, want notifications", got)
	}
	g.r.Keys("enter")
	if len(g.pushed) != 1 {
		t.Fatalf("enter on a group pushed %d views", len(g.pushed))
	}
	if d, ok := g.pushed[0].(*GroupDetail); !ok || !strings.Contains(d.Title(), "notifications") {
		t.Fatalf("enter on a group opened %T %q", g.pushed[0], g.pushed[0].Title())
	}
	g.r.Keys("l")
	if got := g.v.Selected(); got != kafka.FlowTopicID("order_events.DLQ") {
		t.Fatalf("right of notifications is %q, want the DLQ", got)
	}
	g.r.Keys("enter")
	if tl, ok := g.pushed[1].(*Tail); !ok || !strings.Contains(tl.Title(), "order_events.DLQ") {
		t.Fatalf("enter on a topic opened %T", g.pushed[1])
	}
	g.r.Keys("left", "left", "down", "down")
	if b := g.v.layout.find(g.v.Selected()); b < 0 || !g.v.layout.Boxes[b].Agg() {
		t.Fatalf("down twice from the sources is %q, want an aggregate", g.v.Selected())
	}
	g.r.Keys("enter")
	if g.v.layout.find(kafka.FlowTopicID("order_events.avro")) < 0 {
		t.Fatalf("enter on the idle aggregate did not show its topic:\n%s", g.screen())
	}
}

func TestFlowFilterKeepsMatchesAndNeighbours(t *testing.T) {
	g := newFlowRig(t, false, 80, 24)
	g.samples(3)
	g.r.Keys("/")
	g.r.Type("ship")
	g.r.Keys("enter")
	shown := map[string]bool{}
	for _, b := range g.v.layout.Boxes {
		shown[b.ID] = true
	}
	if !shown[kafka.FlowGroupID("shipping")] || !shown[kafka.FlowTopicID("order_events")] {
		t.Fatalf("filter lost the match or its neighbour: %v", shown)
	}
	if shown[kafka.FlowGroupID("inventory")] || shown[kafka.FlowTopicID("streams-plaintext-input")] {
		t.Fatalf("filter shows what it should hide: %v", shown)
	}
	if !strings.Contains(g.screen(), "hidden nodes") {
		t.Fatalf("no aggregate of the hidden nodes:\n%s", g.screen())
	}
	g.r.Keys("esc")
	if g.v.filter != "" || g.v.layout.find(kafka.FlowGroupID("inventory")) < 0 {
		t.Fatal("esc did not clear the filter")
	}
}

func TestFlowPositionsStayAsRatesChange(t *testing.T) {
	g := newFlowRig(t, false, 160, 48)
	g.samples(2)
	pos := func() []string {
		var out []string
		for _, b := range g.v.layout.Boxes {
			out = append(out, fmt.Sprintf("%s@%d,%d", b.ID, b.Layer, b.Slot))
		}
		slices.Sort(out)
		return out
	}
	first := pos()
	g.samples(4)
	if got := pos(); !slices.Equal(first, got) {
		t.Fatalf("positions moved as numbers changed:\n%v\n%v", first, got)
	}
	if n, _ := g.v.graph.Node(kafka.FlowTopicID("order_events")); n.Rate != 10 {
		t.Fatalf("order_events at %v/s, want 10", n.Rate)
	}
}

func TestFlowLayoutBigClusterCollapses(t *testing.T) {
	g := newFlowRig(t, true, 80, 24)
	g.samples(2)
	l := g.v.layout
	if len(l.Boxes) > 320 {
		t.Fatalf("%d boxes", len(l.Boxes))
	}
	idle := l.find("agg:idle:0")
	if idle < 0 || l.Boxes[idle].Count != 100 {
		t.Fatalf("idle topics not folded into one box: %v", idle)
	}
	if in := l.find("agg:internal:0"); in < 0 {
		t.Fatal("__consumer_offsets not folded")
	}
	// Scrolling: the last group is reachable and on screen.
	g.r.Keys("l")
	for range 120 {
		g.r.Keys("j")
	}
	if got := g.v.Selected(); got != kafka.FlowGroupID("group-99") {
		t.Fatalf("bottom of the groups is %q", got)
	}
	if s := g.screen(); !strings.Contains(s, "group-99") || strings.Count(s, "\n") != 23 {
		t.Fatalf("group-99 not on an 80x24 screen:\n%s", s)
	}
	g.r.Keys("/")
	g.r.Type("topic-007")
	g.r.Keys("enter")
	if len(g.v.layout.Boxes) > 8 {
		t.Fatalf("filter leaves %d boxes", len(g.v.layout.Boxes))
	}
}

// TestFlowGolden renders the flow map of the demo-like fake and of a
// synthetic 300-topic, 100-group cluster at 80x24 and 160x48.
// KFLOW_UPDATE_GOLDEN=1 go test ./views -run TestFlowGolden rewrites
// views/testdata/flow_*.golden.
func TestFlowGolden(t *testing.T) {
	cases := []struct {
		name string
		big  bool
		keys []string
	}{
		{"demo", false, nil},
		{"demo_group", false, []string{"l", "j"}},
		{"demo_filter", false, []string{"/", "n", "o", "t", "i", "f", "enter"}},
		{"big", true, nil},
		{"big_groups", true, []string{"l", "j", "j", "j"}},
	}
	for _, tc := range cases {
		for _, size := range [][2]int{{80, 24}, {160, 48}} {
			name := fmt.Sprintf("flow_%s_%dx%d", tc.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				g := newFlowRig(t, tc.big, size[0], size[1])
				g.samples(5)
				g.r.Keys(tc.keys...)
				screen := g.v.View()
				viewstest.RequireGolden(t, name, ansi.Strip(screen))
				viewstest.RequireGolden(t, name+".ansi", screen)
			})
		}
	}
}

// TestFlowFocusUnfoldsItsTopic: f on a topic nobody reads opens the map
// on that topic, its fold expanded.
func TestFlowFocusUnfoldsItsTopic(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	clock := viewstest.NewClock()
	f := newFakeFlow(clock, false)
	c := newLagCommon(clock)
	c.Cluster = f
	v := NewFlow(c, f, f, "order_events.avro", GroupsOptions{Rules: lagRules})
	v.SetSize(80, 24)
	t.Cleanup(v.Close)
	r := &viewstest.Runner{Update: func(msg tea.Msg) tea.Cmd { _, cmd := v.Update(msg); return cmd }}
	r.Do(v.Init())
	if got := v.Selected(); got != kafka.FlowTopicID("order_events.avro") {
		t.Fatalf("opened on %q, want order_events.avro", got)
	}
	if !strings.Contains(ansi.Strip(v.View()), "▸ order_events.av") {
		t.Fatalf("the focused topic is not on screen:\n%s", ansi.Strip(v.View()))
	}
}
