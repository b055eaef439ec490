package main

import (
	"strings"
	"testing"
	"time"
)

// TestTUIFlowMapOnTheDemo drives the real binary on the demo at 80x24:
// :flow draws order_events, its groups and its DLQ, statuses included;
// the arrows reach the DLQ and enter opens its tail; esc comes back to
// the map, and f on the topics view opens it too.
func TestTUIFlowMapOnTheDemo(t *testing.T) {
	s := startTUI(t, 80, 24, "--demo")
	s.waitFor(30*time.Second, "● connected", "order_events")
	s.keys(":")
	s.text("flow")
	s.keys("Enter")
	s.waitFor(10*time.Second, "flow · ", "order_events", "inventory", "notifications", "order_events.DLQ", "STALL")
	s.keys("l", "l")
	s.waitUntil(5*time.Second, "the DLQ selected", func(screen string) bool { return strings.Contains(screen, "▸ order_events.DLQ") })
	s.keys("Enter")
	s.waitFor(10*time.Second, "tail · order_events.DLQ")
	s.keys("Escape")
	s.waitUntil(5*time.Second, "back on the map", func(screen string) bool {
		return strings.Contains(screen, "flow · ") && !strings.Contains(screen, "tail · ")
	})
	s.keys("Escape")
	s.waitFor(5*time.Second, "TOPIC")
	s.keys("f")
	s.waitFor(10*time.Second, "flow · ", "order_events.DLQ")
}
