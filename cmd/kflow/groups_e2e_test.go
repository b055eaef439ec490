package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"kflow/kafka"
)

// TestTUIGroupsDashboard drives the real binary against the real broker:
// a group whose offsets were set from the command line shows in :groups
// with the lag `kflow lag` computes, its detail shows each partition's
// committed offset, and q exits 0.
func TestTUIGroupsDashboard(t *testing.T) {
	isolateConfig(t)
	brokers := realBrokers(t)
	topic := fmt.Sprintf("groups-e2e-%d", time.Now().UnixNano())
	group := topic + "-g"
	env := map[string]string{"KFLOW_BROKERS": brokers}
	must := func(stdin string, args ...string) result {
		t.Helper()
		r := kflow(t, stdin, env, args...)
		if r.code != 0 {
			t.Fatalf("kflow %q: %s", args, r.stderr)
		}
		return r
	}
	must("", "topic", "create", topic, "-p", "2")
	defer kflow(t, "", env, "topic", "delete", topic, "--confirm", topic)
	must(strings.Repeat("event\n", 10), "produce", "-t", topic)
	must("", "group", "reset", group, "--to", "offset:1", "--topic", topic, "--execute", "--confirm", group)
	defer kflow(t, "", env, "group", "delete", group, "--confirm", group)
	var lags []kafka.GroupLag
	if err := json.Unmarshal([]byte(must("", "lag", "--group", group, "--json").stdout), &lags); err != nil || len(lags) != 1 {
		t.Fatalf("kflow lag --json: %v", err)
	}
	want := strconv.FormatInt(lags[0].TotalLag, 10)

	s := startTUI(t, 140, 30, "-b", brokers)
	s.waitFor(20*time.Second, "connected")
	s.keys(":")
	s.text("groups")
	s.keys("Enter")
	s.waitFor(20*time.Second, "GROUP", "LAG")
	s.keys("/")
	s.text(group)
	s.keys("Enter")
	scr := s.waitUntil(20*time.Second, "the group's row with lag "+want, func(scr string) bool {
		return slices.Contains(strings.Fields(row(scr, group)), want)
	})
	if r := row(scr, group); !strings.Contains(r, topic) || !strings.Contains(r, "Empty") {
		t.Errorf("group row %q lacks its topic or state", r)
	}
	s.keys("Enter") // the detail: one row per partition, committed offset 1
	s.waitUntil(20*time.Second, "both partitions committed at 1", func(scr string) bool {
		n := 0
		for _, l := range strings.Split(scr, "\n") {
			f := strings.Fields(l)
			if len(f) > 2 && f[0] == topic && slices.Contains(f, "1") { // a partition row, not the title
				n++
			}
		}
		return n == 2
	})
	s.keys("Escape") // closes the detail
	// Back on the filtered dashboard; the broker may hold other tests' groups.
	s.waitFor(10*time.Second, "  1 of ", "esc clears")
	s.keys("Escape") // clears the filter
	s.waitUntil(10*time.Second, "the filter cleared", func(scr string) bool { return !strings.Contains(scr, "esc clears") })
	s.keys("Escape") // back to the topics
	s.waitUntil(10*time.Second, "the topics view", func(scr string) bool {
		return !strings.Contains(scr, "› groups") && strings.Contains(scr, "kflow › topics")
	})
	s.keys("q")
	s.waitFor(10*time.Second, "KFLOW_EXIT=0")
}
