package ui

import (
	"context"
	"errors"
	"strings"
	"testing"

	"kflow/kafka"
	"kflow/kafka/wordcount"
	"kflow/views"
	"kflow/views/viewstest"
)

// wired is the fake cluster with the methods the tail, produce and group
// views reach through their own interfaces, as *kafka.Client has them;
// their answers are empty: these tests check only that views open.
type wired struct{ *fakeCluster }

// fakeCluster renames the embedded fake, whose field name would otherwise
// hide its Cluster method.
type fakeCluster = viewstest.Cluster

func (wired) Tail(context.Context, kafka.TailOptions, int) (*kafka.Tail, error) {
	return nil, errors.New("fake cluster: no records")
}
func (wired) Partitions(context.Context, string) (int32, error) { return 1, nil }
func (wired) Produce(context.Context, kafka.Record) (kafka.ProduceResult, error) {
	return kafka.ProduceResult{}, nil
}
func (wired) ProduceStream(context.Context, kafka.StreamOptions, func(int) (kafka.Record, bool)) (kafka.StreamStats, error) {
	return kafka.StreamStats{}, nil
}
func (wired) Lag(context.Context, ...string) ([]kafka.GroupLag, error) { return nil, nil }
func (wired) PlanReset(context.Context, kafka.ResetSpec) (kafka.ResetPlan, error) {
	return kafka.ResetPlan{}, nil
}
func (wired) ApplyReset(context.Context, kafka.ResetPlan) error        { return nil }
func (wired) DeleteGroup(context.Context, string) error                { return nil }
func (wired) ListGroups(context.Context) ([]kafka.GroupSummary, error) { return nil, nil }
func (wired) StartWordCount(context.Context, wordcount.Options) (views.WordCountEngine, error) {
	return nil, errors.New("fake cluster: no engine")
}

// TestViewsOpenFromPaletteAndKeys: the palette commands and the topics
// view's keys open the tail, produce, group and word count views.
func TestViewsOpenFromPaletteAndKeys(t *testing.T) {
	d := newDriver(t, Options{}, 120, 30)
	for _, tc := range []struct{ cmd, title string }{
		{"tail orders", "tail · orders"},
		{"produce orders", "produce · orders"},
		{"groups", "groups"},
		{"wordcount", "word count"},
	} {
		d.keys(":")
		d.typ(tc.cmd)
		d.keys("enter")
		d.wantStack("topics", tc.title)
		d.keys("esc")
		d.wantStack("topics")
	}
	for _, tc := range []struct{ key, prefix string }{{"t", "tail · "}, {"p", "produce · "}, {"l", "groups · "}} {
		d.keys(tc.key)
		got := d.m.Stack()
		if len(got) != 2 || !strings.HasPrefix(got[1], tc.prefix) {
			t.Fatalf("%s opened %q, want %q…", tc.key, got, tc.prefix)
		}
		d.keys("esc")
		d.wantStack("topics")
	}
}

// rating is a view that tails at a fixed rate.
type rating struct {
	innerView
	rate float64
}

// innerView names the embedded view so its field does not hide View().
type innerView = views.View

func (r rating) TailRate() (float64, bool) { return r.rate, true }

// TestStatusBarShowsTailRate: the status bar shows the records/s of the
// topmost view that tails, and a dash when none does.
func TestStatusBarShowsTailRate(t *testing.T) {
	d := newDriver(t, Options{}, 120, 30)
	d.wantScreen("tail – rec/s")
	d.m.push(rating{innerView: views.NewBrokers(d.m.common), rate: 2.5})
	d.wantScreen("tail 2.5 rec/s")
	d.m.pop()
	d.wantScreen("tail – rec/s")
}
