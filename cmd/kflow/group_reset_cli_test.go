package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"kflow/kafka"
	"kflow/kafka/demo"
)

// resetCase is one kflow group reset run and what it must and must not
// say.
type resetCase struct {
	name      string
	args      []string
	code      int
	want, not []string // in stdout+stderr
}

func checkResets(t *testing.T, env map[string]string, cases []resetCase) {
	t.Helper()
	for _, tc := range cases {
		r := kflow(t, "", env, tc.args...)
		out := r.stdout + r.stderr
		if r.code != tc.code {
			t.Errorf("%s: exit %d, want %d\n%s", tc.name, r.code, tc.code, out)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: output lacks %q\n%s", tc.name, w, out)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(out, n) {
				t.Errorf("%s: output has %q\n%s", tc.name, n, out)
			}
		}
	}
}

// activeResets are the checks on an active group g (and an idle one,
// idle, when not empty), with extra arguments (the topic, --demo).
func activeResets(g, idle string, extra ...string) []resetCase {
	args := func(a ...string) []string { return append(append([]string{"group", "reset"}, a...), extra...) }
	cs := []resetCase{
		{"dry run on an active group", args(g, "--to", "earliest"), 0,
			[]string{"would move", "is active (1 member, state Stable)", "--execute will be refused"}, []string{"Add --execute"}},
		{"--execute on an active group", args(g, "--to", "earliest", "--execute", "--confirm", g), exitRuntime,
			[]string{"is active (1 member, state Stable)", "nothing was written"}, []string{"the reset moves", "would move"}},
		{"--read-only dry run", args("--read-only", g, "--to", "earliest"), 0,
			[]string{"would move", "read-only"}, []string{"--execute"}},
		{"--read-only --execute", args("--read-only", g, "--to", "earliest", "--execute", "--confirm", g), exitRuntime,
			[]string{"read-only"}, []string{"the reset moves", "would move"}},
	}
	if idle != "" {
		cs = append(cs,
			resetCase{"dry run on an idle group", args(idle, "--to", "earliest"), 0,
				[]string{"would move", "Add --execute --confirm " + idle}, []string{"active", "refused"}},
			resetCase{"--execute on an idle group", args(idle, "--to", "shift:-1", "--execute", "--confirm", idle), 0,
				[]string{"the reset moves", "reset 3 partitions of group " + idle}, []string{"refused"}})
	}
	return cs
}

// TestGroupResetActiveOnDemo: on the demo (kfake), inventory is active and
// reporting idle.
func TestGroupResetActiveOnDemo(t *testing.T) {
	isolateConfig(t)
	checkResets(t, nil, activeResets(demo.GroupInventory, demo.GroupReporting, "--demo"))
}

// TestGroupResetActiveOnRealBroker: a group kcat stays joined to, on the
// real broker.
func TestGroupResetActiveOnRealBroker(t *testing.T) {
	isolateConfig(t)
	brokers := realBrokers(t)
	kcatPath := needTool(t, "kcat")
	env := map[string]string{"KFLOW_BROKERS": brokers}
	topic := fmt.Sprintf("reset-active-%d", time.Now().UnixNano())
	group := topic + "-g"
	if r := kflow(t, "", env, "topic", "create", topic, "-p", "1"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	t.Cleanup(func() { kflow(t, "", env, "topic", "delete", topic, "--confirm", topic) })
	if r := kflow(t, strings.Repeat("event\n", 10), env, "produce", "-t", topic); r.code != 0 {
		t.Fatal(r.stderr)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, kcatPath, "-b", brokers, "-G", group, topic)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			cancel()
			_ = cmd.Wait()
		}
	}
	t.Cleanup(func() {
		stop()
		kflow(t, "", env, "group", "delete", group, "--confirm", group)
	})
	deadline := time.Now().Add(45 * time.Second)
	for {
		var gs []kafka.GroupSummary
		r := kflow(t, "", env, "groups", "--json")
		if err := json.Unmarshal([]byte(r.stdout), &gs); err != nil {
			t.Fatal(err)
		}
		joined := false
		for _, g := range gs {
			joined = joined || g.ID == group && g.Members == 1 && g.State == "Stable"
		}
		if joined {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("kcat did not join group %s: %s", group, r.stdout)
		}
		time.Sleep(200 * time.Millisecond) // polling the broker, not synchronising goroutines
	}
	checkResets(t, env, activeResets(group, "", "--topic", topic))
}
