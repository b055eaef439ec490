package views

import (
	"errors"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"kflow/kafka"
	"kflow/views/viewstest"
)

// syncHost drives a host with the harness's synchronous runner: every
// command runs at once and its message is fed back; timers are dropped.
type syncHost struct {
	t   *testing.T
	h   *host
	run viewstest.Runner
}

func newSyncHost(t *testing.T, c *Common, v View) *syncHost {
	s := &syncHost{t: t, h: &host{stack: []View{v}}}
	s.run = viewstest.Runner{Wait: 100 * time.Millisecond, Update: func(msg tea.Msg) tea.Cmd {
		_, cmd := s.h.Update(msg)
		return cmd
	}}
	s.send(tea.WindowSizeMsg{Width: 120, Height: 30})
	s.run.Do(s.h.Init())
	return s
}

func (s *syncHost) send(msg tea.Msg) { s.run.Send(msg) }

func (s *syncHost) keys(ks ...string) { s.run.Keys(ks...) }

func (s *syncHost) typ(text string) { s.run.Type(text) }

func (s *syncHost) screen() string { return ansi.Strip(s.h.front().View()) }

func (s *syncHost) want(subs ...string) {
	s.t.Helper()
	viewstest.Shows(s.t, s.screen(), subs...)
}

func newDashboard(t *testing.T, readOnly bool, topic string) (*syncHost, *fakeGroups, *Groups) {
	clock := viewstest.NewClock()
	src := &fakeGroups{clock: clock, script: dashboardScript}
	c := newLagCommon(clock)
	c.ReadOnly = readOnly
	v := NewGroups(c, src, topic, GroupsOptions{Rules: lagRules})
	return newSyncHost(t, c, v), src, v
}

func TestGroupsStatusesAndSort(t *testing.T) {
	s, _, v := newDashboard(t, false, "")
	for range 9 {
		s.keys("r")
	}
	var order []string
	for i := range v.Table().Len() {
		order = append(order, v.Table().rows[v.Table().visible[i]].Key)
	}
	if got := strings.Join(order, " "); got != "billing archiver shipping replay notifications inventory" {
		t.Fatalf("order %s: want status, then lag, worst first", got)
	}
	s.want("1 ERROR", "1 STOP", "1 STALL", "1 REWIND", "1 WARN", "updated 12:00:18")
	s.keys("/")
	s.typ("ship")
	s.want("1 of 6", "shipping")
}

func TestGroupsResetFlow(t *testing.T) {
	s, src, _ := newDashboard(t, false, "")
	s.keys("/")
	s.typ("arch")
	s.keys("enter", "R", "right", "right", "right", "right", "tab")
	s.typ("-250")
	s.keys("enter")
	if len(src.planned) != 1 || src.planned[0].Mode != kafka.ResetShift || src.planned[0].Offset != -250 {
		t.Fatalf("planned %+v", src.planned)
	}
	s.want("Reset offsets of group archiver to shift -250", "+500")
	s.keys("enter") // nothing typed: refused
	s.want("type archiver exactly")
	if len(src.applied) != 0 {
		t.Fatal("applied without the name typed back")
	}
	s.typ("archiver")
	s.keys("enter")
	if len(src.applied) != 1 || src.applied[0].Rows[0].New != 50 {
		t.Fatalf("applied %+v", src.applied)
	}
	if s.h.notice != "reset 2 partitions of group archiver" {
		t.Errorf("notice %q", s.h.notice)
	}
	s.want("6 groups") // the dialog is gone
}

func TestGroupsResetFormValidates(t *testing.T) {
	s, src, _ := newDashboard(t, false, "")
	s.keys("R", "right", "right", "tab")
	s.typ("yesterday")
	s.keys("enter")
	s.want("time takes an RFC 3339 time")
	s.keys("esc")
	if len(src.planned) != 0 {
		t.Fatal("an invalid form was planned")
	}
	s.want("6 groups")
	if _, err := parsePartitionList("orders:0,x"); err == nil {
		t.Error("bad partition accepted")
	}
	if tps, err := parsePartitionList("orders:0,2 payments"); err != nil || len(tps) != 2 || len(tps[0].Partitions) != 2 || tps[1].Partitions != nil {
		t.Errorf("%+v %v", tps, err)
	}
}

func TestGroupsActiveGroupExplained(t *testing.T) {
	s, src, _ := newDashboard(t, false, "")
	s.keys("/")
	s.typ("notif")
	s.keys("enter", "R", "enter")
	s.want("notifications is active (1 member, state Stable)", "stop its consumers first")
	s.typ("notifications")
	s.keys("enter")
	s.want("is active")
	if len(src.applied) != 0 {
		t.Fatal("an active group was reset")
	}
}

func TestGroupsDeleteFromDetail(t *testing.T) {
	s, src, _ := newDashboard(t, false, "")
	s.keys("/")
	s.typ("arch")
	s.keys("enter", "enter")
	if _, ok := s.h.front().(*GroupDetail); !ok {
		t.Fatalf("enter opened %T", s.h.front())
	}
	s.want("archiver · classic · Empty · 0 members", "audit", "no members")
	s.keys("D")
	s.want("Delete group archiver")
	if strings.Contains(s.screen(), "active") {
		t.Error("the delete dialog of an idle group warns it is active")
	}
	s.typ("archiver")
	s.keys("enter")
	if len(src.deleted) != 1 || src.deleted[0] != "archiver" {
		t.Fatalf("deleted %v", src.deleted)
	}
	if _, ok := s.h.front().(*Groups); !ok {
		t.Fatalf("after the delete the front view is %T, want the dashboard", s.h.front())
	}
}

// TestGroupsDeleteActiveExplained: the delete dialog words an active
// group as the reset plan and Kafka's refusal do.
func TestGroupsDeleteActiveExplained(t *testing.T) {
	s, _, _ := newDashboard(t, false, "")
	s.keys("/")
	s.typ("notif")
	s.keys("enter", "D")
	s.want("notifications is active (1 member, state Stable)", "stop its consumers first")
}

func TestGroupsReadOnly(t *testing.T) {
	s, src, v := newDashboard(t, true, "")
	s.keys("R")
	if !strings.Contains(s.h.notice, "read-only") || v.dialog != nil {
		t.Fatalf("reset in read-only mode: notice %q", s.h.notice)
	}
	s.keys("D")
	if !strings.Contains(s.h.notice, "read-only") || v.dialog != nil || len(src.deleted) != 0 {
		t.Fatalf("delete in read-only mode: notice %q", s.h.notice)
	}
	for _, b := range v.ShortHelp() {
		if b.Help().Key == "R" || b.Help().Key == "D" {
			t.Errorf("read-only help offers %s", b.Help().Desc)
		}
	}
	s.want("read-only")
}

func TestGroupsOnTopic(t *testing.T) {
	s, _, v := newDashboard(t, false, "payments")
	if v.Title() != "groups · payments" || v.Table().Total() != 2 {
		t.Fatalf("%s: %d groups", v.Title(), v.Table().Total())
	}
	s.want("2 groups reading payments", "replay", "billing")
}

func TestGroupsStale(t *testing.T) {
	s, src, _ := newDashboard(t, false, "")
	src.fail = errors.New("dial tcp: connection refused")
	s.keys("r")
	s.want("STALE since 12:00:00", "inventory")
	if !strings.Contains(s.h.notice, "connection refused") {
		t.Errorf("notice %q", s.h.notice)
	}
}
