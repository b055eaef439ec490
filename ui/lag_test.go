package ui

import (
	"context"
	"sync"
	"testing"
	"time"

	"kflow/kafka"
	"kflow/lag"
	"kflow/views/viewstest"
)

// lagWired is the wired fake whose one group, notifications, falls
// behind: each Lag call is a sample two seconds after the previous one,
// its committed offset 5 further on and its end 20 further.
type lagWired struct {
	wired
	mu    sync.Mutex
	calls int
}

func (l *lagWired) Lag(context.Context, ...string) ([]kafka.GroupLag, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.calls > 0 {
		l.fakeCluster.Clock.Advance(2 * time.Second)
	}
	i := int64(l.calls)
	l.calls++
	p := lag.Partition{Topic: "orders", Committed: 100 + 5*i, EndOffset: 200 + 20*i}
	p.Lag = p.EndOffset - p.Committed
	return []kafka.GroupLag{{Group: kafka.GroupDetail{GroupSummary: kafka.GroupSummary{ID: "notifications", State: "Stable", Type: "classic", Members: 1}},
		Partitions: []lag.Partition{p}, TotalLag: p.Lag}}, nil
}

func (l *lagWired) samples() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.calls
}

// newLagDriver is newDriver on a connection whose groups lag.
func newLagDriver(t *testing.T, opts Options) (*driver, *lagWired) {
	t.Helper()
	fake := viewstest.New()
	cl := &lagWired{wired: wired{fake}}
	opts.Conn.Brokers = []string{"broker-1.kafka.local:9092"}
	d := newDriverOn(t, opts, 120, 30, fake, cl)
	return d, cl
}

// TestGroupsStatusOutlivesTheView: the status a group earned while
// :groups was open is there at once when :groups opens again, and in the
// group's detail; it used to start over from "1 of 3 samples".
func TestGroupsStatusOutlivesTheView(t *testing.T) {
	d, cl := newLagDriver(t, Options{LagRules: &lag.Rules{Window: 5, MinSamples: 3, StopAfter: time.Hour}})
	open := func() {
		t.Helper()
		d.keys(":")
		d.typ("groups")
		d.keys("enter")
		d.wantStack("topics", "groups")
	}
	open()
	d.wantScreen("notifications", "…", "1 of 3 samples")
	d.keys("r", "r", "r")
	d.wantScreen("1 WARN", "notifications WARN")
	d.keys("esc")
	d.wantStack("topics")

	before := cl.samples()
	open()
	d.wantScreen("1 WARN", "notifications WARN")
	d.notScreen("of 3 samples")
	if got := cl.samples(); got != before {
		t.Errorf("reopening sampled %d more times; the status was there already", got-before)
	}
	d.keys("enter")
	d.wantStack("topics", "groups", "group · notifications")
	d.wantScreen("notifications WARN: offsets move but lag grew")
}
