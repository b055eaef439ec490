package main

import (
	"net"
	"strings"
	"testing"
)

// closedBroker is a loopback address nothing listens on: a command that
// tried to connect there would fail with exit 1 and "refused", so an exit 2
// proves the command was refused before any request.
func closedBroker(t *testing.T) map[string]string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return map[string]string{"KFLOW_BROKERS": addr}
}

// TestTopicCountsRefusedBeforeAnyRequest: partition and replication counts
// that overflow Kafka's int32/int16, or that exceed the per-request cap,
// are usage errors (exit 2) found before kflow connects, so no broker ever
// sees them (add-partitions 99999999 took a broker down with
// OutOfMemoryError; -p 4294967297 created 1 partition).
func TestTopicCountsRefusedBeforeAnyRequest(t *testing.T) {
	isolateConfig(t)
	env := closedBroker(t)
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"topic", "create", "t", "-p", "4294967297"}, []string{"4294967297", "partitions", "10000", "--max-partitions"}},
		{[]string{"topic", "create", "t", "-p", "20000"}, []string{"20000", "10000", "--max-partitions"}},
		{[]string{"topic", "create", "t", "-p", "-3"}, []string{"-3", "partitions"}},
		{[]string{"topic", "create", "t", "-r", "65537"}, []string{"65537", "replication factor", "32767"}},
		{[]string{"topic", "create", "t", "-r", "-1"}, []string{"-1", "replication factor"}},
		{[]string{"topic", "add-partitions", "t", "99999999"}, []string{"99999999", "10000", "--max-partitions"}},
		{[]string{"topic", "add-partitions", "t", "4294967297"}, []string{"4294967297"}},
		{[]string{"topic", "create", "t", "-p", "3000000000", "--max-partitions", "4000000000"}, []string{"--max-partitions", "2147483647"}},
	} {
		r := kflow(t, "", env, tc.args...)
		if r.code != exitUsage {
			t.Errorf("kflow %q: exit %d, want 2 (stderr %q)", tc.args, r.code, r.stderr)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(r.stderr, w) {
				t.Errorf("kflow %q: stderr %q lacks %q", tc.args, r.stderr, w)
			}
		}
		if strings.Contains(r.stderr, "refused") || strings.Contains(r.stderr, "cannot reach") {
			t.Errorf("kflow %q tried to connect: %q", tc.args, r.stderr)
		}
	}
	// --max-partitions raises the cap: the same count then goes on to
	// connect (and fails there, with exit 1, on the closed address).
	for _, args := range [][]string{
		{"topic", "create", "t", "-p", "20000", "--max-partitions", "20000"},
		{"topic", "add-partitions", "t", "20000", "--max-partitions", "20000"},
		{"topic", "create", "t", "-p", "10000", "-r", "32767"},
	} {
		if r := kflow(t, "", env, args...); r.code != exitRuntime || !strings.Contains(r.stderr, "refused") {
			t.Errorf("kflow %q: exit %d %q, want the count accepted and the connection refused", args, r.code, r.stderr)
		}
	}
}
