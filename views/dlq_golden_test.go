package views

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"kflow/kafka"
	"kflow/views/viewstest"
)

// fakeDLQ is a dead-letter topic for the DLQ view's tests: the demo's
// order_events.DLQ story, fixed times, and a redrive that only counts.
type fakeDLQ struct {
	*viewstest.Cluster
	mu      sync.Mutex
	redrove []kafka.DLQPlan
}

func newFakeDLQ() *fakeDLQ { return &fakeDLQ{Cluster: viewstest.New()} }

// dlqFixture are the fake DLQ's records: four reasons, one retried to
// the limit.
func dlqFixture() []kafka.Record {
	reasons := []string{"inventory: sku SKU-404 not found", "payment: card declined (insufficient funds)",
		"inventory: sku SKU-404 not found", "shipping: no carrier serves postcode 99999", "payment: timeout after 30s waiting for provider",
		"inventory: sku SKU-404 not found"}
	var out []kafka.Record
	for i, r := range reasons {
		retry := "1"
		if i == 5 {
			retry = "5"
		}
		out = append(out, kafka.Record{Topic: "order_events.DLQ", Offset: int64(i), Timestamp: viewstest.Epoch.Add(time.Duration(i) * 7 * time.Minute),
			Key: fmt.Appendf(nil, "order-%d", 1000+i), Value: []byte(`{"order":1}`),
			Headers: []kafka.Header{{Key: "error.reason", Value: []byte(r)}, {Key: "original.topic", Value: []byte("order_events")},
				{Key: "correlation_id", Value: fmt.Appendf(nil, "c-%d", i)}, {Key: "retry.count", Value: []byte(retry)}}})
	}
	return out
}

func (f *fakeDLQ) ReadDLQ(_ context.Context, _ string, _ map[int32]int64) ([]kafka.Record, bool, error) {
	return dlqFixture(), false, nil
}

func (f *fakeDLQ) PlanRedrive(_ context.Context, dlq string, opts kafka.DLQRedriveOptions) (kafka.DLQPlan, error) {
	p := kafka.DLQPlan{Topic: dlq, ID: "3f9a0c1d2e4b", Group: kafka.RedriveGroup(dlq, "3f9a0c1d2e4b"), Selection: opts.Select.String(), Batch: 100}
	t := kafka.DLQTarget{Topic: "order_events", Partitions: map[int32]int{}, Headers: []string{"correlation_id", "kflow.redrive.from", "kflow.redrive.id", "retry.count"},
		Dropped: []string{"error.reason", "original.topic"}}
	for _, r := range dlqFixture() {
		if opts.Select.Reason != "" && kafka.DLQReasonOf(r, nil) != opts.Select.Reason {
			continue
		}
		p.Selected++
		if r.Offset == 5 {
			p.Refused = append(p.Refused, kafka.DLQRefusal{DLQRef: kafka.DLQRef{Offset: 5}, Reason: "retry.count 5 reached --max-retries 5"})
			continue
		}
		t.Records++
		t.Partitions[kafka.PartitionForKey(r.Key, 3)]++
	}
	p.Targets = []kafka.DLQTarget{t}
	return p, nil
}

func (f *fakeDLQ) Redrive(_ context.Context, plan kafka.DLQPlan, progress func(kafka.DLQProgress)) (kafka.DLQResult, error) {
	f.mu.Lock()
	f.redrove = append(f.redrove, plan)
	f.mu.Unlock()
	p := kafka.DLQProgress{Batches: 1, Sent: plan.Sending(), Total: plan.Sending()}
	progress(p)
	return kafka.DLQResult{DLQProgress: p, ID: plan.ID, Group: plan.Group}, nil
}

// TestDLQGolden renders the reasons panel and the redrive plan overlay
// of the demo's DLQ at 80x24 and 160x48. KFLOW_UPDATE_GOLDEN=1 go test
// ./views -run TestDLQGolden rewrites views/testdata/dlq_*.golden.
func TestDLQGolden(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	cases := []struct {
		name  string
		steps []step
	}{
		{"reasons", []step{{wait: []string{"4 reasons"}}}},
		{"plan", []step{{wait: []string{"4 reasons"}}, {press("enter", "R"), []string{"Type the DLQ"}}, {typed("order_events.DLQ"), []string{"enter redrives"}}}},
	}
	for _, tc := range cases {
		for _, size := range [][2]int{{80, 24}, {160, 48}} {
			name := fmt.Sprintf("dlq_%s_%dx%d", tc.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				clock := viewstest.NewClock()
				c := newLagCommon(clock)
				h := &host{stack: []View{NewDLQ(c, newFakeDLQ(), "order_events.DLQ", DLQFrom{})}}
				tm := viewstest.StartProgram(t, h, size[0], size[1])
				for _, s := range tc.steps {
					tm.Keys(s.keys...)
					h.screen.Wait(t, s.wait...)
				}
				tm.Stop(t)
				screen := h.screen.Frame()
				viewstest.RequireGolden(t, name, ansi.Strip(screen))
				viewstest.RequireGolden(t, name+".ansi", screen)
			})
		}
	}
}

// TestDLQRedriveRuns: the name typed back runs the plan of the selected
// reason; read-only refuses R.
func TestDLQRedriveRuns(t *testing.T) {
	clock := viewstest.NewClock()
	c := newLagCommon(clock)
	src := newFakeDLQ()
	h := &host{stack: []View{NewDLQ(c, src, "order_events.DLQ", DLQFrom{})}}
	tm := viewstest.StartProgram(t, h, 100, 30)
	h.screen.Wait(t, "4 reasons")
	tm.Keys("enter", "R")
	h.screen.Wait(t, "Type the DLQ")
	tm.Keys(append(typed("order_events.DLQ"), "enter")...)
	var notice string
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(notice, "redrove") && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		h.mu.Lock()
		notice = h.notice
		h.mu.Unlock()
	}
	tm.Stop(t)
	if !strings.Contains(notice, "redrove 2 records") {
		t.Errorf("notice after the redrive: %q", notice)
	}
	src.mu.Lock()
	defer src.mu.Unlock()
	if len(src.redrove) != 1 || !strings.Contains(src.redrove[0].Selection, "inventory") {
		t.Fatalf("redrove %+v", src.redrove)
	}

	ro := newLagCommon(clock)
	ro.ReadOnly = true
	v := NewDLQ(ro, src, "order_events.DLQ", DLQFrom{})
	if _, cmd := v.Update(viewstest.Key("R")); cmd == nil {
		t.Fatal("read-only R did nothing")
	} else if msg, ok := cmd().(NoticeMsg); !ok || !strings.Contains(msg.Text, "read-only") {
		t.Fatalf("read-only R: %#v", msg)
	}
}
