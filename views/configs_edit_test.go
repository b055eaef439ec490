package views

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"kflow/kafka"
	"kflow/themes"
	"kflow/views/viewstest"
)

// adminHarness is a view over the fake cluster, driven synchronously;
// it follows pushes so a key that opens a view lands in it.
type adminHarness struct {
	t    *testing.T
	fake *viewstest.Cluster
	c    *Common
	top  View
	r    *viewstest.Runner
	// notices are the message lines the views asked for.
	notices []NoticeMsg
	popped  bool
}

func newAdminHarness(t *testing.T, readOnly bool, open func(c *Common) View) *adminHarness {
	t.Helper()
	th, err := themes.Load("", "", true)
	if err != nil {
		t.Fatal(err)
	}
	fake := viewstest.New()
	h := &adminHarness{t: t, fake: fake}
	h.c = &Common{Ctx: context.Background(), Theme: th, Cluster: fake, Now: fake.Clock.Now, Timeout: time.Second, ReadOnly: readOnly}
	h.r = &viewstest.Runner{Update: func(msg tea.Msg) tea.Cmd {
		switch m := msg.(type) {
		case PushMsg:
			h.top = m.View
			h.top.SetSize(100, 30)
			return h.top.Init()
		case PopMsg:
			h.popped = true
			return nil
		case NoticeMsg:
			h.notices = append(h.notices, m)
			return nil
		}
		var cmd tea.Cmd
		h.top, cmd = h.top.Update(msg)
		return cmd
	}}
	h.top = open(h.c)
	h.top.SetSize(100, 30)
	h.r.Do(h.top.Init())
	return h
}

func (h *adminHarness) screen() string { return ansi.Strip(h.top.View()) }

func (h *adminHarness) lastNotice() string {
	if len(h.notices) == 0 {
		return ""
	}
	return h.notices[len(h.notices)-1].Text
}

func (h *adminHarness) shows(subs ...string) {
	h.t.Helper()
	viewstest.Shows(h.t, h.screen(), subs...)
}

func (h *adminHarness) selectRow(key string) {
	h.t.Helper()
	tbl := h.top.(interface{ Table() *Table }).Table()
	h.r.Keys("home")
	for range 50 {
		if sel, ok := tbl.Selected(); ok && sel.Key == key {
			return
		}
		h.r.Keys("down")
	}
	h.t.Fatalf("row %s not found", key)
}

// TestConfigEditPreviewsAndApplies: e opens the value in human units,
// a bad unit keeps what was typed, enter previews old → new with the
// broker's verdict, a wrong name is refused, the right one applies.
func TestConfigEditPreviewsAndApplies(t *testing.T) {
	h := newAdminHarness(t, false, func(c *Common) View { return NewConfigs(c, "orders") })
	h.selectRow("retention.ms")
	h.r.Keys("e")
	h.shows("Edit retention.ms of topic orders", "› 1d", "a duration")
	h.r.Keys("backspace", "backspace")
	h.r.Type("2x\n")
	h.shows("› 2x", "unknown duration unit")
	h.r.Keys("backspace")
	h.r.Type("d\n")
	h.shows("1d (dynamic topic) → 2d (dynamic topic)", "the broker accepts it", "Type the topic name to apply")
	h.r.Type("order\n")
	h.shows("type orders exactly", "› order")
	if len(h.fake.Applied) != 0 {
		t.Fatal("applied before the name was typed")
	}
	h.r.Type("s\n")
	if len(h.fake.Applied) != 1 || h.fake.Applied[0].Changes[0] != (kafka.ConfigChange{Key: "retention.ms", Value: "172800000"}) {
		t.Fatalf("applied %+v", h.fake.Applied)
	}
	if !strings.Contains(h.lastNotice(), "changed 1 config of topic orders") {
		t.Errorf("notice %q", h.lastNotice())
	}
	h.shows("retention.ms", "2d")
}

// TestConfigEditRefusedKeepsTheValue: the broker's refusal shows in the
// preview, nothing is applied, and esc goes back to the value typed.
func TestConfigEditRefusedKeepsTheValue(t *testing.T) {
	h := newAdminHarness(t, false, func(c *Common) View { return NewConfigs(c, "orders") })
	h.selectRow("retention.ms")
	h.r.Keys("e", "backspace", "backspace")
	h.r.Type("-5\n")
	h.shows("the broker refuses it: Invalid value -5 for configuration retention.ms")
	h.r.Type("orders\n")
	if len(h.fake.Applied) != 0 {
		t.Fatal("a refused change was applied")
	}
	h.r.Keys("esc")
	h.shows("Edit retention.ms", "› -5")
}

// TestConfigResetShowsTheDefault: d previews the value a reset falls
// back to; D resets every key set on the topic; a default key has
// nothing to reset.
func TestConfigResetShowsTheDefault(t *testing.T) {
	h := newAdminHarness(t, false, func(c *Common) View { return NewConfigs(c, "orders") })
	h.selectRow("retention.ms")
	h.r.Keys("d")
	h.shows("Reset retention.ms of topic orders", "1d (dynamic topic) → 7d (default)")
	h.r.Type("orders\n")
	if len(h.fake.Applied) != 1 || !h.fake.Applied[0].Changes[0].Reset {
		t.Fatalf("applied %+v", h.fake.Applied)
	}
	h.selectRow("compression.type")
	h.r.Keys("d")
	if !strings.Contains(h.lastNotice(), "already has its default") {
		t.Errorf("reset of a default key: notice %q", h.lastNotice())
	}
	h.r.Keys("D")
	h.shows("Reset cleanup.policy, leader.replication.throttled.replicas of topic orders")
}

// TestConfigWritesRefusedReadOnly: e, d and D are refused in read-only
// mode with ErrReadOnly's message, and left out of the help.
func TestConfigWritesRefusedReadOnly(t *testing.T) {
	h := newAdminHarness(t, true, func(c *Common) View { return NewConfigs(c, "orders") })
	h.selectRow("retention.ms")
	for _, k := range []string{"e", "d", "D"} {
		h.notices = nil
		h.r.Keys(k)
		if n := h.lastNotice(); !strings.Contains(n, "read-only") {
			t.Errorf("%s in read-only: notice %q", k, n)
		}
		if h.top.Capturing() {
			t.Fatalf("%s opened a dialog in read-only mode", k)
		}
	}
	for _, b := range h.top.ShortHelp() {
		if b.Help().Key == "e" || b.Help().Key == "d" {
			t.Errorf("read-only help shows %s", b.Help().Key)
		}
	}
}

// TestBrokerConfigsFromTheBrokersView: enter on a broker opens its
// configs with sources; a read-only key is refused with the reason; a
// dynamic key is edited and applied after the id is typed.
func TestBrokerConfigsFromTheBrokersView(t *testing.T) {
	h := newAdminHarness(t, false, func(c *Common) View { return NewBrokers(c) })
	h.r.Keys("enter")
	h.shows("configs", "broker 1", "dynamic broker", "static broker · read-only")
	if h.top.Title() != "configs · broker 1" {
		t.Fatalf("title %q", h.top.Title())
	}
	h.selectRow("log.dirs")
	h.r.Keys("e")
	if n := h.lastNotice(); !strings.Contains(n, "log.dirs is read-only") || h.top.Capturing() {
		t.Fatalf("editing log.dirs: notice %q", n)
	}
	h.selectRow("log.cleaner.threads")
	h.r.Keys("e", "backspace")
	h.r.Type("4\n")
	h.shows("2 (dynamic broker) → 4 (dynamic broker)", "Type 1 to apply")
	h.r.Type("1\n")
	if len(h.fake.Applied) != 1 || h.fake.Applied[0].Target != kafka.BrokerTarget(1) {
		t.Fatalf("applied %+v", h.fake.Applied)
	}
}

// TestTruncateFormPlanAndConfirm: x on a topic opens the form; a bad
// offset keeps what was typed; the plan lists records removed per
// partition; the name typed back deletes; read-only refuses x.
func TestTruncateFormPlanAndConfirm(t *testing.T) {
	h := newAdminHarness(t, false, func(c *Common) View { return NewTopics(c) })
	h.selectRow("payments")
	h.r.Keys("x")
	h.shows("Delete records of payments", "[before offset]")
	h.r.Type("ten\n")
	h.shows("before offset takes a whole number", "› ten")
	for range 3 {
		h.r.Keys("backspace")
	}
	h.r.Type("15\t0,2\n")
	h.shows("Delete records before offset 15 of payments", "15 records from 2 partitions", "Type the topic name")
	h.r.Keys("esc")
	h.shows("› 15", "› 0,2")
	h.r.Type("\n")
	h.r.Type("payments\n")
	if len(h.fake.Truncated) != 1 || h.fake.Truncated[0].Removed != 15 || !h.popped {
		t.Fatalf("truncated %+v, popped %v", h.fake.Truncated, h.popped)
	}
	if !strings.Contains(h.lastNotice(), "deleted 15 records of payments") {
		t.Errorf("notice %q", h.lastNotice())
	}

	ro := newAdminHarness(t, true, func(c *Common) View { return NewTopics(c) })
	ro.selectRow("payments")
	ro.r.Keys("x")
	if n := ro.lastNotice(); !strings.Contains(n, "read-only") {
		t.Errorf("x in read-only: notice %q", n)
	}
	if _, ok := ro.top.(*Truncate); ok {
		t.Error("read-only opened the truncate form")
	}
	pro := newAdminHarness(t, true, func(c *Common) View { return NewPartitions(c, "payments") })
	pro.r.Keys("x")
	if _, ok := pro.top.(*Truncate); ok || !strings.Contains(pro.lastNotice(), "read-only") {
		t.Errorf("x in the read-only partitions view: %T, %q", pro.top, pro.lastNotice())
	}
}

// TestTruncatePlanErrorKeepsTheForm: a partition the topic lacks is
// the plan's error, shown in the form with what was typed.
func TestTruncatePlanErrorKeepsTheForm(t *testing.T) {
	h := newAdminHarness(t, false, func(c *Common) View { return NewTruncate(c, "payments") })
	h.r.Keys("right", "right") // the mode field is not focused: arrows move in the value
	h.r.Keys("shift+tab", "right", "right")
	h.shows("[everything (end)]")
	h.r.Type("\t7\n")
	h.shows("no partition 7", "› 7")
	if len(h.fake.Truncated) != 0 {
		t.Fatal("deleted on a plan error")
	}
}

// TestConfigSetAnotherKey: a takes key=value for a key the view does not
// list (the cluster-wide default lists only the keys set on it), in
// human units, refused when it is not key=value.
func TestConfigSetAnotherKey(t *testing.T) {
	h := newAdminHarness(t, false, func(c *Common) View { return NewBrokerConfigs(c, kafka.ClusterDefaultTarget()) })
	h.r.Keys("a")
	h.shows("Set a config of the cluster-wide broker default", "Key=value")
	h.r.Type("log.retention.ms\n")
	h.shows("want key=value", "› log.retention.ms")
	h.r.Type("=2d\n")
	h.shows("3d (dynamic default broker) → 2d (dynamic default broker)", "Type default to apply")
	h.r.Type("default\n")
	if len(h.fake.Applied) != 1 || h.fake.Applied[0].Changes[0] != (kafka.ConfigChange{Key: "log.retention.ms", Value: "172800000"}) {
		t.Fatalf("applied %+v", h.fake.Applied)
	}
}
