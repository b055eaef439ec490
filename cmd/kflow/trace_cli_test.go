package main

import (
	"encoding/json"
	"strings"
	"testing"

	"kflow/kafka/demo"
)

// TestTraceAndSearchOnTheDemo: kflow trace finds a demo order's records by
// its correlation id (header and body) with the groups that consumed
// them, as JSON lines; a key trace reads one partition per topic; search
// takes the tail's filter over the whole topic.
func TestTraceAndSearchOnTheDemo(t *testing.T) {
	isolateConfig(t)
	r := kflow(t, "", nil, "search", "-t", demo.OrdersTopic, "--demo", "--filter", "key:=ord-000004", "--json")
	if r.code != 0 {
		t.Fatalf("search: %+v", r)
	}
	var first struct {
		Key     string `json:"key"`
		Headers []struct{ Key, Value string }
	}
	if err := json.Unmarshal([]byte(strings.SplitN(r.stdout, "\n", 2)[0]), &first); err != nil || first.Key != "ord-000004" {
		t.Fatalf("search key:= found %q (%v):\n%s", first.Key, err, r.stdout)
	}
	if !strings.Contains(r.stderr, "3 partitions") && !strings.Contains(r.stderr, "1 partition ") {
		t.Errorf("search progress line: %q", r.stderr)
	}
	if !strings.Contains(r.stderr, " 1 partition ") {
		t.Errorf("a key:= search reads one partition: %q", r.stderr)
	}
	var id string
	for _, h := range first.Headers {
		if h.Key == "correlation_id" {
			id = h.Value
		}
	}
	if id == "" {
		t.Fatalf("demo record without a correlation id: %+v", first)
	}
	r = kflow(t, "", nil, "trace", id, "--demo", "--json")
	if r.code != 0 {
		t.Fatalf("trace: %+v", r)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	var got struct {
		Topic         string   `json:"topic"`
		Key           string   `json:"key"`
		ConsumedBy    []string `json:"consumed_by"`
		NotConsumedBy []string `json:"not_consumed_by"`
	}
	if err := json.Unmarshal([]byte(lines[0]), &got); err != nil {
		t.Fatalf("trace --json: %v\n%s", err, r.stdout)
	}
	if got.Topic != demo.OrdersTopic || got.Key != "ord-000004" || got.ConsumedBy == nil || got.NotConsumedBy == nil {
		t.Errorf("trace %s: %+v", id, got)
	}
	if len(got.ConsumedBy)+len(got.NotConsumedBy) < 3 {
		t.Errorf("trace: the demo's groups on order_events are missing: %+v", got)
	}
	r = kflow(t, "", nil, "trace", "ord-000004", "--key", "--demo")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "TIME") || !strings.Contains(r.stdout, "ord-000004") {
		t.Errorf("key trace: %+v", r)
	}
	if r := kflow(t, "", nil, "trace", "--demo"); r.code != exitUsage {
		t.Errorf("trace without an id: %+v", r)
	}
	if r := kflow(t, "", nil, "search", "-t", "x", "--demo"); r.code != exitUsage {
		t.Errorf("search without a filter: %+v", r)
	}
}
