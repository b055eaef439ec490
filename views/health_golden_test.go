package views

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"kflow/kafka"
	"kflow/themes"
	"kflow/views/viewstest"
)

// incidentCommon is a Common over a fresh fake cluster.
func incidentCommon(t *testing.T) (*Common, *viewstest.Cluster) {
	t.Helper()
	th, err := themes.Load("", "", true)
	if err != nil {
		t.Fatal(err)
	}
	fake := viewstest.New()
	return &Common{Ctx: context.Background(), Theme: th, Cluster: fake, Now: fake.Clock.Now, Timeout: time.Second}, fake
}

// TestBrokersViewMarksADeadBroker: a broker that dies is marked within one
// refresh, fenced while the cluster lists it and unreachable (not dropped)
// once it does not; its leaderships have moved to the others.
func TestBrokersViewMarksADeadBroker(t *testing.T) {
	c, fake := incidentCommon(t)
	v := NewBrokers(c)
	v.SetSize(120, 20)
	r := &viewstest.Runner{Update: func(msg tea.Msg) tea.Cmd { _, cmd := v.Update(msg); return cmd }}
	r.Do(v.Init())
	if s := ansi.Strip(v.View()); strings.Count(s, "alive") != 2 || !strings.Contains(s, "★ controller") || strings.Contains(s, " down") {
		t.Fatalf("a healthy cluster does not show three live brokers:\n%s", s)
	}
	fake.KillBroker(3, false)
	r.Keys("r")
	s := ansi.Strip(v.View())
	if !strings.Contains(s, "1 down") || !strings.Contains(s, "✗ fenced") {
		t.Fatalf("one refresh after broker 3 died it is not marked fenced:\n%s", s)
	}
	fake.KillBroker(3, true)
	r.Keys("r")
	s = ansi.Strip(v.View())
	line := ""
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "3 ") {
			line = l
		}
	}
	if !strings.Contains(line, "broker-3.kafka.local") || !strings.Contains(line, "✗ unreachable") {
		t.Fatalf("broker 3, forgotten by the cluster, is not kept and marked unreachable:\n%s", s)
	}
	r.Type("/state:alive")
	r.Keys("enter")
	if s := ansi.Strip(v.View()); strings.Contains(s, "broker-3") {
		t.Fatalf("state:alive still shows broker 3:\n%s", s)
	}
}

// TestIncidentGolden renders the brokers view with a dead broker and the
// topics and partitions views with its marks at 80x24 and 160x48.
// KFLOW_UPDATE_GOLDEN=1 go test ./views -run TestIncidentGolden rewrites
// views/testdata/incident_*.golden.
func TestIncidentGolden(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	cases := []struct {
		name string
		view func(c *Common) View
		keys []string
		wait []string
	}{
		{"brokers", func(c *Common) View { return NewBrokers(c) }, nil, []string{"✗ fenced"}},
		{"topics", func(c *Common) View { return NewTopics(c) }, nil, []string{"under-replicated"}},
		{"topics_bad", func(c *Common) View { return NewTopics(c) }, append(typed("/health:bad"), "enter"), []string{"/health:bad"}},
		{"partitions", func(c *Common) View { return NewPartitions(c, "orders") }, nil, []string{"under-replicated"}},
		{"partitions_offline", func(c *Common) View { return NewPartitions(c, "metrics.rf1") }, nil, []string{"offline"}},
	}
	for _, tc := range cases {
		for _, size := range [][2]int{{80, 24}, {160, 48}} {
			name := fmt.Sprintf("incident_%s_%dx%d", tc.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				c, fake := incidentCommon(t)
				// One replica each: the partition on broker 3 goes offline with it.
				if err := c.Cluster.CreateTopic(context.Background(), kafka.TopicSpec{Name: "metrics.rf1", Partitions: 3, ReplicationFactor: 1}); err != nil {
					t.Fatal(err)
				}
				// A topic on broker 1 alone stays healthy: health:bad leaves it out.
				if err := c.Cluster.CreateTopic(context.Background(), kafka.TopicSpec{Name: "heartbeats", Partitions: 1, ReplicationFactor: 1}); err != nil {
					t.Fatal(err)
				}
				// audit-log insists on all three replicas: acks=all writes fail without broker 3.
				fake.SetMinISR("audit-log", 3)
				fake.KillBroker(3, false)
				h := &host{stack: []View{tc.view(c)}}
				tm := viewstest.StartProgram(t, h, size[0], size[1])
				h.screen.Wait(t, "updated")
				if len(tc.keys) > 0 {
					tm.Keys(tc.keys...)
				}
				h.screen.Wait(t, tc.wait...)
				tm.Stop(t)
				screen := h.screen.Frame()
				viewstest.RequireGolden(t, name, ansi.Strip(screen))
				viewstest.RequireGolden(t, name+".ansi", screen)
			})
		}
	}
}
