package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"kflow/kafka/demo"
)

// lagJSONOut is what kflow lag --json prints per group, as a script reads
// it.
type lagJSONOut struct {
	Group struct {
		ID string `json:"id"`
	} `json:"group"`
	TotalLag   int64  `json:"total_lag"`
	Status     string `json:"status"`
	Reason     string `json:"reason"`
	Partitions []struct {
		Partition int32  `json:"partition"`
		Lag       int64  `json:"lag"`
		Status    string `json:"status"`
		Reason    string `json:"reason"`
	} `json:"partitions"`
}

// stalledGroup makes, on the broker, a group with lag whose committed
// offsets never move: offset 1 of a 2-partition topic of 10 records.
func stalledGroup(t *testing.T, env map[string]string) string {
	t.Helper()
	topic := fmt.Sprintf("lag-cli-%d", time.Now().UnixNano())
	group := topic + "-g"
	must := func(stdin string, args ...string) {
		t.Helper()
		if r := kflow(t, stdin, env, args...); r.code != 0 {
			t.Fatalf("kflow %q: exit %d: %s", args, r.code, r.stderr)
		}
	}
	must("", "topic", "create", topic, "-p", "2")
	t.Cleanup(func() { kflow(t, "", env, "topic", "delete", topic, "--confirm", topic) })
	must(strings.Repeat("event\n", 10), "produce", "-t", topic)
	must("", "group", "reset", group, "--to", "offset:1", "--topic", topic, "--execute", "--confirm", group)
	t.Cleanup(func() { kflow(t, "", env, "group", "delete", group, "--confirm", group) })
	return group
}

// TestLagStatusOnRealBroker: kflow lag judges a group over its samples
// and says so in the STATUS column, in --json (status and reason, per
// partition for named groups) and in its exit code with --fail-on.
func TestLagStatusOnRealBroker(t *testing.T) {
	isolateConfig(t)
	env := map[string]string{"KFLOW_BROKERS": realBrokers(t)}
	group := stalledGroup(t, env)
	fast := []string{"--group", group, "--samples", "3", "--interval", "200ms", "--lag-rules", "window=3,min=2,stop=1h"}

	r := kflow(t, "", env, append([]string{"lag"}, fast...)...)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 0 || len(lines) != 3 || !strings.HasSuffix(strings.TrimSpace(lines[0]), "STATUS") {
		t.Fatalf("kflow lag: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, l := range lines[1:] {
		if f := strings.Fields(l); f[len(f)-1] != "STALL" {
			t.Errorf("partition row %q: want STALL, its offsets never move", l)
		}
	}

	r = kflow(t, "", env, append([]string{"lag", "--json"}, fast...)...)
	var out []lagJSONOut
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || len(out) != 1 {
		t.Fatalf("kflow lag --json: %v\n%s", err, r.stdout)
	}
	g := out[0]
	var sum int64
	for _, p := range g.Partitions {
		sum += p.Lag
	}
	if g.Group.ID != group || g.Status != "STALL" || !strings.Contains(g.Reason, "did not move") || g.TotalLag < 8 || g.TotalLag != sum {
		t.Errorf("--json group: %+v; want STALL with its lag (8 or 9 of 10 records)", g)
	}
	if len(g.Partitions) != 2 || g.Partitions[0].Status != "STALL" || g.Partitions[1].Reason == "" {
		t.Errorf("--json partitions: %+v", g.Partitions)
	}

	for _, tc := range []struct {
		failOn string
		code   int
	}{{"WARN", exitThreshold}, {"stall", exitThreshold}, {"STOP", 0}, {"ERROR", 0}} {
		r := kflow(t, "", env, append([]string{"lag", "--fail-on", tc.failOn}, fast...)...)
		if r.code != tc.code {
			t.Errorf("--fail-on %s: exit %d, want %d\n%s", tc.failOn, r.code, tc.code, r.stderr)
		}
		if tc.code == exitThreshold && !strings.Contains(r.stderr, group+" STALL") {
			t.Errorf("--fail-on %s: stderr %q does not name the group and its status", tc.failOn, r.stderr)
		}
	}
}

// TestLagStatusOnDemo: on the demo (kfake), every group gets a status,
// shipping (stuck, members present) STALL; --fail-on STALL exits 3, and
// --watch into a pipe prints one block per refresh until then.
func TestLagStatusOnDemo(t *testing.T) {
	isolateConfig(t)
	rules := []string{"--interval", "250ms", "--lag-rules", "window=3,min=3,stop=1h"}
	r := kflow(t, "", nil, append([]string{"lag", "--demo", "--json", "--fail-on", "STALL"}, rules...)...)
	if r.code != exitThreshold || !strings.Contains(r.stderr, "shipping STALL") {
		t.Fatalf("kflow lag --fail-on STALL: exit %d, stderr %q", r.code, r.stderr)
	}
	var out []lagJSONOut
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || len(out) < 4 {
		t.Fatalf("kflow lag --json: %v\n%s", err, r.stdout)
	}
	for _, g := range out {
		if g.Status == "" || g.Status == "PENDING" || g.Reason == "" {
			t.Errorf("group %s: status %q reason %q, want a verdict after 3 samples", g.Group.ID, g.Status, g.Reason)
		}
		if g.Group.ID == demo.GroupShipping && g.Status != "STALL" {
			t.Errorf("shipping is %s (%s), want STALL", g.Status, g.Reason)
		}
	}

	r = kflow(t, "", nil, append([]string{"lag", "--demo", "--watch", "--group", demo.GroupShipping, "--fail-on", "STALL"}, rules...)...)
	if r.code != exitThreshold {
		t.Fatalf("kflow lag --watch --fail-on STALL: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if n := strings.Count(r.stdout, "kflow lag · every 250ms"); n != 3 || strings.Contains(r.stdout, "\x1b") {
		t.Errorf("--watch into a pipe: %d blocks (want one per sample, 3), no escapes:\n%s", n, r.stdout)
	}
	blocks := strings.Split(strings.TrimSpace(r.stdout), "\n\n")
	if last := blocks[len(blocks)-1]; !strings.Contains(last, "STALL") || !strings.Contains(blocks[0], "PENDING") && !strings.Contains(blocks[0], "…") {
		t.Errorf("--watch blocks: first %q, last %q", blocks[0], last)
	}
}

// TestLagFlagsChecked: bad sampling flags are usage errors.
func TestLagFlagsChecked(t *testing.T) {
	isolateConfig(t)
	for _, args := range [][]string{
		{"lag", "--fail-on", "PENDING"},
		{"lag", "--fail-on", "bad"},
		{"lag", "--samples", "-1"},
		{"lag", "--interval", "0s"},
		{"lag", "--lag-rules", "min=x"},
		{"--lag-interval", "0s"},
	} {
		if r := kflow(t, "", nil, args...); r.code != exitUsage {
			t.Errorf("kflow %q: exit %d (%s), want 2", args, r.code, r.stderr)
		}
	}
}

// TestLagWatchRedrawsInPlace: on a terminal kflow lag --watch redraws
// one table in place: one header on screen however many refreshes.
func TestLagWatchRedrawsInPlace(t *testing.T) {
	isolateConfig(t)
	s := startTUI(t, 140, 30, "lag", "--demo", "--watch", "--interval", "300ms")
	first := s.waitFor(20*time.Second, "kflow lag · every 300ms", "shipping", "reporting")
	stamp := func(scr string) string {
		for _, l := range strings.Split(scr, "\n") {
			if strings.HasPrefix(l, "kflow lag · every") {
				return l
			}
		}
		return ""
	}
	scr := s.waitUntil(10*time.Second, "a later refresh", func(scr string) bool { return stamp(scr) != stamp(first) })
	if n := strings.Count(scr, "kflow lag · every"); n != 1 {
		t.Errorf("%d headers on screen, want the one table redrawn:\n%s", n, scr)
	}
}
