package main

import (
	"strings"
	"testing"
)

// TestUnknownTopicNamesCloseOnes: tail, produce and describe of a mistyped
// topic say it does not exist and suggest the close names, without Kafka's
// raw UNKNOWN_TOPIC_OR_PARTITION text.
func TestUnknownTopicNamesCloseOnes(t *testing.T) {
	isolateConfig(t)
	for _, args := range [][]string{
		{"tail", "-t", "order_event", "--exit"},
		{"produce", "-t", "order_event", "v"},
		{"topic", "describe", "order_event"},
	} {
		r := kflow(t, "", nil, append(args, "--demo")...)
		if r.code != exitRuntime || !strings.Contains(r.stderr, `topic "order_event" does not exist`) ||
			!strings.Contains(r.stderr, `did you mean "order_events"`) || strings.Contains(r.stderr, "UNKNOWN_TOPIC") {
			t.Errorf("kflow %q: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
}

// TestTailFromPastTheEnd: --from 999999 --exit on a topic that ends far
// earlier said nothing and exited 0; it says the offset is past the end and
// where each partition ends, and exits 1.
func TestTailFromPastTheEnd(t *testing.T) {
	isolateConfig(t)
	r := kflow(t, "", nil, "tail", "-t", "order_events.DLQ", "--from", "999999999", "--exit", "--demo")
	if r.code != exitRuntime || !strings.Contains(r.stderr, "offset 999999999 is past the end") ||
		!strings.Contains(r.stderr, "partition 0 ends at ") {
		t.Errorf("--from past the end: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}
