package views

import (
	"context"
	"errors"
	"testing"

	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
	"kflow/views/viewstest"
)

// scanCluster is the fake cluster with a scanner that is never reached:
// the tests look at what the keys open, not at a scan.
type scanCluster struct{ *fakeCluster }

// fakeCluster names viewstest.Cluster so its embedded field does not
// hide its Cluster method.
type fakeCluster = viewstest.Cluster

var errNoScan = errors.New("no scan in this test")

func (scanCluster) Trace(context.Context, kafka.TraceOptions) (*kafka.Scanner, error) {
	return nil, errNoScan
}
func (scanCluster) Scan(context.Context, kafka.ScanOptions) (*kafka.Scanner, error) {
	return nil, errNoScan
}
func (scanCluster) KeyPartitions(context.Context, []string, []byte) (map[string][]int32, error) {
	return nil, errNoScan
}
func (scanCluster) Consumers(context.Context, []kafka.Record) ([]kafka.Consumption, error) {
	return nil, errNoScan
}

func pushed(t *testing.T, cmd tea.Cmd) *Scan {
	t.Helper()
	if cmd == nil {
		t.Fatal("no command")
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok && len(b) > 0 {
		msg = b[0]()
	}
	p, ok := msg.(PushMsg)
	if !ok {
		t.Fatalf("got %T %+v, want a pushed screen", msg, msg)
	}
	s, ok := p.View.(*Scan)
	if !ok {
		t.Fatalf("pushed %T", p.View)
	}
	return s
}

// TestTailOpensSearchAndTrace: S searches the whole topic with the tail's
// filter (refused without one); t in the detail pane traces the record's
// correlation id; esc on a scan that failed to start goes back.
func TestTailOpensSearchAndTrace(t *testing.T) {
	r := newTailRig(t, 100, 120, 30)
	r.v.c.Cluster = scanCluster{viewstest.New()}
	r.push(0, 3, func(i int64) string { return `{"meta":{"correlation_id":"c-` + string(rune('0'+i)) + `"}}` })
	r.frame()
	if msg := r.key("S")(); msg == nil {
		t.Fatal("S without a filter says nothing")
	} else if _, ok := msg.(PushMsg); ok {
		t.Fatal("S without a filter opened a search")
	}
	r.key("/")
	r.typ("key:=k1")
	r.key("enter")
	s := pushed(t, r.key("S"))
	if s.topic != "orders" || !s.key || s.Title() != "search · orders" {
		t.Errorf("search: topic %q key %v title %q", s.topic, s.key, s.Title())
	}
	r.key("esc", "g", "enter")
	tr := pushed(t, r.key("t"))
	if tr.trace != "c-0" || tr.key {
		t.Errorf("trace of the first record: %q key %v", tr.trace, tr.key)
	}
	started := tr.Init()()
	tr.Update(started)
	if tr.err == nil || tr.WantsEsc() {
		t.Errorf("failed start: err %v, wants esc %v", tr.err, tr.WantsEsc())
	}
	if _, cmd := tr.Update(viewstest.Key("esc")); cmd == nil {
		t.Error("esc on a finished scan does not go back")
	} else if _, ok := cmd().(PopMsg); !ok {
		t.Error("esc on a finished scan does not pop")
	}
}
