package views

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"kflow/kafka"
	"kflow/views/viewstest"
)

// replicaRig is a partitions view on the fake, driven synchronously, with
// the notices it sent.
type replicaRig struct {
	v       *Partitions
	r       *viewstest.Runner
	fake    *viewstest.Cluster
	notices []NoticeMsg
}

func newReplicaRig(t *testing.T, topic string, prepare func(c *Common, fake *viewstest.Cluster)) *replicaRig {
	t.Helper()
	c, fake := incidentCommon(t)
	if prepare != nil {
		prepare(c, fake)
	}
	rig := &replicaRig{v: NewPartitions(c, topic), fake: fake}
	rig.v.SetSize(120, 30)
	rig.r = &viewstest.Runner{Update: func(msg tea.Msg) tea.Cmd {
		if n, ok := msg.(NoticeMsg); ok {
			rig.notices = append(rig.notices, n)
		}
		_, cmd := rig.v.Update(msg)
		return cmd
	}}
	rig.r.Do(rig.v.Init())
	return rig
}

func (g *replicaRig) screen() string { return ansi.Strip(g.v.View()) }

func (g *replicaRig) lastNotice() NoticeMsg {
	if len(g.notices) == 0 {
		return NoticeMsg{}
	}
	return g.notices[len(g.notices)-1]
}

// restarted kills broker 1 and brings it back: its partitions keep the
// leaders they moved to.
func restarted(_ *Common, fake *viewstest.Cluster) {
	b := fake.Info.Brokers[0]
	fake.KillBroker(1, false)
	fake.ReviveBroker(b)
}

// TestPartitionsElectPreferred: E previews the partitions led by another
// replica than their preferred one (current → preferred), the topic's
// name typed back elects them, and the view reloads with them back.
func TestPartitionsElectPreferred(t *testing.T) {
	g := newReplicaRig(t, "orders", restarted)
	g.r.Keys("E")
	s := g.screen()
	// orders' partitions 0 and 3 prefer broker 1 and went to broker 2.
	for _, w := range []string{"Elect preferred leaders of orders", "2 partitions led by another replica", "0: leader 2 → 1", "3: leader 2 → 1"} {
		if !strings.Contains(s, w) {
			t.Fatalf("the election preview lacks %q:\n%s", w, s)
		}
	}
	g.r.Type("order")
	g.r.Keys("enter")
	if g.v.dialog == nil || !strings.Contains(g.screen(), "type orders exactly") {
		t.Fatalf("a name not typed exactly went on:\n%s", g.screen())
	}
	g.r.Type("s")
	g.r.Keys("enter")
	if g.v.dialog != nil {
		t.Fatalf("the dialog stayed open after the election:\n%s", g.screen())
	}
	if n := g.lastNotice(); n.Err || n.Text != "election of orders: 2 elected, 4 already preferred" {
		t.Errorf("notice %+v", n)
	}
	d, _ := g.fake.DescribeTopic(t.Context(), "orders")
	for _, p := range d.Partitions {
		if p.Leader != p.Replicas[0] {
			t.Errorf("partition %d led by %d, preferred %d", p.Partition, p.Leader, p.Replicas[0])
		}
	}
	g.r.Keys("E")
	if g.v.dialog != nil || !strings.Contains(g.lastNotice().Text, "nothing to elect") {
		t.Errorf("a second E with every leader preferred: dialog %v, notice %+v", g.v.dialog != nil, g.lastNotice())
	}
}

// TestPartitionsReassign: M asks for brokers (the current ones typed in
// already), refuses ones too few for the replicas, previews current →
// target with the bytes to copy, starts it once the name is typed, shows
// the partitions in progress (+adding −removing), and X cancels it.
func TestPartitionsReassign(t *testing.T) {
	const topic = "clickstream.raw.events.from-the-web-frontend"
	g := newReplicaRig(t, topic, nil)
	g.r.Keys("M")
	if s := g.screen(); !strings.Contains(s, "› 1,2,3") {
		t.Fatalf("the brokers input does not start from the current brokers:\n%s", s)
	}
	g.r.Keys("backspace", "backspace", "backspace", "backspace")
	g.r.Keys("enter")
	if s := g.screen(); !strings.Contains(s, "more than the 1 brokers") {
		t.Fatalf("RF 2 onto one broker was not refused:\n%s", s)
	}
	g.r.Type(",9")
	g.r.Keys("enter")
	if s := g.screen(); !strings.Contains(s, "is not in the cluster") || !strings.Contains(s, "› 1,9") {
		t.Fatalf("an unknown broker was not refused, keeping what was typed:\n%s", s)
	}
	g.r.Keys("backspace")
	g.r.Type("2")
	g.r.Keys("enter")
	s := g.screen()
	// Balanced over 1,2: partition p gets [1,2] or [2,1]; those on 3 move.
	for _, w := range []string{"Reassign " + topic, "partitions move, copying", "2: 3,1 → 1,2", "Type the topic name to start it"} {
		if !strings.Contains(s, w) {
			t.Fatalf("the move preview lacks %q:\n%s", w, s)
		}
	}
	g.r.Type(topic)
	g.r.Keys("enter")
	if g.v.dialog != nil || !strings.Contains(g.lastNotice().Text, "started") {
		t.Fatalf("after enter: dialog %v, notice %+v\n%s", g.v.dialog != nil, g.lastNotice(), g.screen())
	}
	s = g.screen()
	if !strings.Contains(s, "reassigning (X cancels)") || !strings.Contains(s, "(+2 −3)") {
		t.Fatalf("the moves in progress are not shown:\n%s", s)
	}
	g.r.Keys("X")
	s = g.screen()
	if !strings.Contains(s, "Cancel the reassignment of "+topic) || !strings.Contains(s, "adding 2, removing 3") {
		t.Fatalf("the cancel preview:\n%s", s)
	}
	g.r.Type(topic)
	g.r.Keys("enter")
	if s := g.screen(); strings.Contains(s, "reassigning") || !strings.Contains(g.lastNotice().Text, "cancelled") {
		t.Fatalf("after the cancel (%+v):\n%s", g.lastNotice(), s)
	}
	g.r.Keys("X")
	if !strings.Contains(g.lastNotice().Text, "nothing to cancel") {
		t.Errorf("X with nothing in progress: %+v", g.lastNotice())
	}
	// Once more, to the end: the new replicas show.
	g.r.Keys("M", "backspace", "backspace", "enter")
	g.r.Type(topic)
	g.r.Keys("enter")
	g.fake.FinishReassignments()
	g.r.Keys("r")
	d, _ := g.fake.DescribeTopic(t.Context(), topic)
	for _, p := range d.Partitions {
		if strings.Contains(","+fmt.Sprint(p.Replicas)+",", "3") {
			t.Errorf("partition %d still on broker 3: %v", p.Partition, p.Replicas)
		}
	}
	if strings.Contains(g.screen(), "reassigning") {
		t.Errorf("a finished reassignment still shown:\n%s", g.screen())
	}
}

// TestPartitionsReplicaActionsReadOnly: E, M and X are refused in
// read-only mode, with the reason, and open nothing.
func TestPartitionsReplicaActionsReadOnly(t *testing.T) {
	g := newReplicaRig(t, "orders", func(c *Common, _ *viewstest.Cluster) { c.ReadOnly = true })
	for _, k := range []string{"E", "M", "X"} {
		g.r.Keys(k)
		if g.v.dialog != nil || !g.lastNotice().Err || !strings.Contains(g.lastNotice().Text, kafka.ErrReadOnly.Error()) {
			t.Errorf("%s in read-only: dialog %v, notice %+v", k, g.v.dialog != nil, g.lastNotice())
		}
	}
	for _, group := range g.v.FullHelp() {
		for _, b := range group {
			if b.Help().Key == "E" {
				t.Error("read-only help offers E")
			}
		}
	}
}

// TestReplicaDialogsGolden renders the election preview, the move preview
// and the cancel preview over a move in progress at 80x24 and 160x48.
// KFLOW_UPDATE_GOLDEN=1 go test ./views -run TestReplicaDialogsGolden
// rewrites views/testdata/replicas_*.golden.
func TestReplicaDialogsGolden(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	const click = "clickstream.raw.events.from-the-web-frontend"
	move := []string{"M", "backspace", "backspace", "enter"}
	cases := []struct {
		name, topic string
		keys        []string
		wait        []string
	}{
		{"elect", "orders", []string{"E"}, []string{"Type the topic name"}},
		{"move", click, move, []string{"Type the topic name to start it"}},
		{"cancel", click, append(append(move, typed(click)...), "enter"), []string{"reassigning (X cancels)"}},
	}
	for _, tc := range cases {
		for _, size := range [][2]int{{80, 24}, {160, 48}} {
			name := fmt.Sprintf("replicas_%s_%dx%d", tc.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				c, fake := incidentCommon(t)
				restarted(c, fake)
				h := &host{stack: []View{NewPartitions(c, tc.topic)}}
				tm := viewstest.StartProgram(t, h, size[0], size[1])
				h.screen.Wait(t, "updated")
				tm.Keys(tc.keys...)
				h.screen.Wait(t, tc.wait...)
				if tc.name == "cancel" {
					tm.Keys("X")
					h.screen.Wait(t, "Cancel the reassignment", "adding")
				}
				tm.Stop(t)
				screen := h.screen.Frame()
				viewstest.RequireGolden(t, name, ansi.Strip(screen))
				viewstest.RequireGolden(t, name+".ansi", screen)
			})
		}
	}
}
