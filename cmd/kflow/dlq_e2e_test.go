package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"kflow/kafka"
	"kflow/kafka/demo"
)

// TestTUIRedrivesOneDLQRecordOnTheDemo drives the real binary on the
// demo at 100x30: :flow, the DLQ entered from the map, R opens its
// reasons, . selects the tail's record, R shows the plan, the DLQ's
// name typed back redrives it; the record arrives in order_events with
// retry.count incremented and the redrive's id.
func TestTUIRedrivesOneDLQRecordOnTheDemo(t *testing.T) {
	isolateConfig(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	d, err := demo.Start(ctx, demo.Options{Listen: "127.0.0.1:0", RegistryListen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	s := startTUI(t, 100, 30, "-b", d.Addr(), "--registry", d.RegistryURL())
	s.waitFor(30*time.Second, "● connected", "order_events")
	s.keys(":")
	s.text("flow")
	s.keys("Enter")
	s.waitFor(10*time.Second, "flow · ", "order_events.DLQ")
	s.keys("l", "l")
	s.waitUntil(5*time.Second, "the DLQ selected", func(screen string) bool { return strings.Contains(screen, "▸ order_events.DLQ") })
	s.keys("Enter")
	s.waitFor(10*time.Second, "Tail order_events.DLQ", "Start")
	s.keys("C-u")
	s.text("beginning")
	s.keys("Enter")
	s.waitFor(10*time.Second, "tail · order_events.DLQ", "ord-000244")
	s.keys("R")
	s.waitFor(10*time.Second, "dlq · order_events.DLQ", "4 reasons")
	s.keys(".")
	s.waitFor(5*time.Second, "selected: records 0/")
	s.keys("R")
	s.waitFor(10*time.Second, "Type the DLQ topic's name", "1 to send", "order_events")
	s.text("order_events.DLQ")
	s.waitFor(5*time.Second, "enter redrives")
	s.keys("Enter")
	s.waitFor(20*time.Second, "redrove 1 record")

	cl, err := kgo.NewClient(kgo.SeedBrokers(d.Addr()), kgo.ConsumeTopics(demo.OrdersTopic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchIsolationLevel(kgo.ReadCommitted()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	var found *kgo.Record
	for found == nil && ctx.Err() == nil {
		cl.PollFetches(ctx).EachRecord(func(r *kgo.Record) {
			for _, h := range r.Headers {
				if h.Key == kafka.DLQRedriveIDHeader {
					found = r
				}
			}
		})
	}
	if found == nil {
		t.Fatal("no redriven record in order_events")
	}
	hs := map[string]string{}
	for _, h := range found.Headers {
		hs[h.Key] = string(h.Value)
	}
	if hs["retry.count"] != "1" || hs["correlation_id"] == "" || hs["error.reason"] != "" {
		t.Errorf("redriven record's headers: %v", hs)
	}
}
