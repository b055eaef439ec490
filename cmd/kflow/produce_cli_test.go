package main

import (
	"encoding/json"
	"strings"
	"testing"

	"kflow/kafka"
)

// TestProduceFlagsRefusedBeforeConnecting checks the new flags' usage
// errors; none needs a broker.
func TestProduceFlagsRefusedBeforeConnecting(t *testing.T) {
	isolateConfig(t)
	env := map[string]string{"KFLOW_BROKERS": "127.0.0.1:1"}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"produce", "-t", "x", "--count", "0", "v"}, "--count 0"},
		{[]string{"produce", "-t", "x", "--rate", "-5", "v"}, "--rate -5"},
		{[]string{"produce", "-t", "x", "--template", "nope"}, "order-placed, text-line"},
		{[]string{"produce", "-t", "x", "--count", "3"}, "stdin lines are each sent once"},
		{[]string{"produce", "-t", "x", "--from-jsonl", "f", "--template", "text-line"}, "--from-jsonl"},
	} {
		r := kflow(t, "", env, c.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, c.want) {
			t.Errorf("kflow %q: exit %d, stderr %q; want usage error with %q", c.args, r.code, r.stderr, c.want)
		}
	}
}

// TestProduceTemplatesAndRepeats sends a template run, a placeholder
// value and a literal one to the real broker and reads them back.
func TestProduceTemplatesAndRepeats(t *testing.T) {
	isolateConfig(t)
	b := realBrokers(t)
	topic := uniqueName(t)
	env := map[string]string{"KFLOW_BROKERS": b}
	must := func(args ...string) result {
		t.Helper()
		r := kflow(t, "", env, args...)
		if r.code != 0 {
			t.Fatalf("kflow %q: exit %d\n%s%s", args, r.code, r.stdout, r.stderr)
		}
		return r
	}
	must("topic", "create", topic, "-p", "3", "-r", "1")
	defer kflow(t, "", env, "topic", "delete", topic, "--confirm", topic)

	r := must("produce", "-t", topic, "--template", "order placed", "--count", "50", "--rate", "1000", "-H", "source=cli", "--json")
	var st kafka.StreamStats
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil || st.Acked != 50 || st.Failed != 0 {
		t.Fatalf("template run: %q %v", r.stdout, err)
	}
	must("produce", "-t", topic, "-k", "user-{{seq}}", "n={{rand 5 5}}")
	must("produce", "-t", topic, "--literal", "-k", "lit", "{{seq}}")
	if r := kflow(t, "", env, "produce", "-t", topic, "{{rand 1}}"); r.code != exitUsage || !strings.Contains(r.stderr, "{{rand 1}}") || !strings.Contains(r.stderr, "--literal") {
		t.Errorf("bad placeholder: %+v", r)
	}
	if r := kflow(t, "", env, "produce", "-t", topic, "--template", "order-placed", "{\"a\":\n x}"); r.code != exitUsage || !strings.Contains(r.stderr, "line 2, column 2") {
		t.Errorf("bad JSON for a JSON template: %+v", r)
	}

	r = must("tail", "-t", topic, "--from", "beginning", "--exit", "--json")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 52 {
		t.Fatalf("read %d records, want 52", len(lines))
	}
	orders, seen := 0, map[string]bool{}
	for _, l := range lines {
		var j kafka.JSONRecord
		if err := json.Unmarshal([]byte(l), &j); err != nil {
			t.Fatal(err)
		}
		switch {
		case strings.HasPrefix(*j.Key, "ord-"):
			orders++
			seen[*j.Key] = true
			var ev struct {
				Corr string `json:"correlation_id"`
			}
			if err := json.Unmarshal([]byte(*j.Value), &ev); err != nil {
				t.Fatalf("order value is not JSON: %v", err)
			}
			hs := map[string]string{}
			for _, h := range j.Headers {
				hs[h.Key] = *h.Value
			}
			if hs["correlation_id"] != ev.Corr || hs["source"] != "cli" || ev.Corr == "" {
				t.Errorf("headers %v, value correlation %q", hs, ev.Corr)
			}
		case *j.Key == "user-1":
			if *j.Value != "n=5" {
				t.Errorf("placeholder value %q", *j.Value)
			}
		case *j.Key == "lit":
			if *j.Value != "{{seq}}" {
				t.Errorf("--literal value %q", *j.Value)
			}
		default:
			t.Errorf("unexpected record %s", l)
		}
	}
	if orders != 50 || !seen["ord-000001"] || !seen["ord-000050"] {
		t.Errorf("%d order events, keys %v", orders, len(seen))
	}
}
