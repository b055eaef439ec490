package main

import (
	"encoding/json"
	"strings"
	"testing"

	"kflow/kafka"
	"kflow/kafka/demo"
)

// TestTopicConfigAndTruncateCLI: set-config shows old → new in human
// units and the broker's verdict, --dry-run writes nothing, a bad value
// exits 1 with the broker's words, reset-config falls back to the
// default, read-only refuses; truncate plans, refuses a wrong
// --confirm, and deletes.
func TestTopicConfigAndTruncateCLI(t *testing.T) {
	isolateConfig(t)
	b := realBrokers(t)
	topic := uniqueName(t)
	env := map[string]string{"KFLOW_BROKERS": b}
	run := func(code int, want []string, args ...string) result {
		t.Helper()
		r := kflow(t, "", env, args...)
		out := r.stdout + r.stderr
		if r.code != code {
			t.Fatalf("kflow %q: exit %d, want %d\n%s", args, r.code, code, out)
		}
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("kflow %q: output lacks %q\n%s", args, w, out)
			}
		}
		return r
	}
	retention := func() string {
		t.Helper()
		var cs []kafka.ConfigEntry
		r := run(0, nil, "topic", "configs", topic, "--json")
		if err := json.Unmarshal([]byte(r.stdout), &cs); err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			if c.Name == "retention.ms" {
				return c.Value
			}
		}
		t.Fatal("no retention.ms")
		return ""
	}
	run(0, nil, "topic", "create", topic, "-p", "2", "-r", "1", "-c", "retention.ms=3600000")
	defer kflow(t, "", env, "topic", "delete", topic, "--confirm", topic)

	run(0, []string{"would change 1 config", "retention.ms  1h", "dynamic topic  2d", "broker accepts", "nothing written"},
		"topic", "set-config", topic, "retention.ms=2d", "--dry-run")
	if v := retention(); v != "3600000" {
		t.Fatalf("--dry-run wrote retention.ms=%s", v)
	}
	run(exitRuntime, []string{"read-only", "nothing was written"}, "topic", "set-config", topic, "retention.ms=2d", "--read-only")
	run(exitRuntime, []string{"Invalid value -5 for configuration retention.ms", "nothing was written"}, "topic", "set-config", topic, "retention.ms=-5")
	run(exitRuntime, []string{"Unknown topic config name: retention.mss", "(unknown key)"}, "topic", "set-config", topic, "retention.mss=1")
	run(exitUsage, []string{"retention.ms=abc", "not a duration"}, "topic", "set-config", topic, "retention.ms=abc")
	r := run(0, nil, "topic", "set-config", topic, "retention.ms=2d", "--json")
	var out configPlanOut
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || !out.Applied || out.Rows[0].New != "172800000" {
		t.Errorf("set-config --json = %q, %v", r.stdout, err)
	}
	if v := retention(); v != "172800000" {
		t.Fatalf("set-config left retention.ms=%s", v)
	}
	run(0, []string{"retention.ms  2d", "(the default)"}, "topic", "reset-config", topic, "retention.ms")
	if v := retention(); v != "604800000" {
		t.Fatalf("reset-config left retention.ms=%s", v)
	}

	for i := range 6 {
		run(0, nil, "produce", "-t", topic, "-p", []string{"0", "1"}[i%2], "v")
	}
	run(0, []string{"would delete records before offset 2: 4 records in 2 partitions", "Add --execute --confirm " + topic},
		"topic", "truncate", topic, "--before", "2")
	run(exitUsage, []string{"does not match"}, "topic", "truncate", topic, "--before", "2", "--execute", "--confirm", "other")
	run(exitRuntime, []string{"read-only"}, "topic", "truncate", topic, "--before", "2", "--execute", "--confirm", topic, "--read-only")
	run(0, []string{"deletes records before offset 2: 2 records in 1 partition", "deleted 2 records of " + topic},
		"topic", "truncate", topic, "--before", "2", "--partitions", "1", "--execute", "--confirm", topic)
	r = run(0, nil, "topic", "truncate", topic, "--before", "end", "--execute", "--confirm", topic, "--json")
	var tr truncateOut
	if err := json.Unmarshal([]byte(r.stdout), &tr); err != nil || !tr.Executed || tr.Removed != 4 || tr.NewLows[0] != 3 || tr.NewLows[1] != 3 {
		t.Errorf("truncate --json = %q, %v", r.stdout, err)
	}
	run(exitUsage, []string{"--before"}, "topic", "truncate", topic)
	run(exitUsage, []string{"not a partition number"}, "topic", "truncate", topic, "--before", "end", "--partitions", "x")
}

// TestBrokerConfigsCLI: broker configs lists the dynamic keys first with
// sources; set-config --default --dry-run is validated and writes
// nothing; a read-only key is refused with the reason.
func TestBrokerConfigsCLI(t *testing.T) {
	isolateConfig(t)
	env := map[string]string{"KFLOW_BROKERS": realBrokers(t)}
	r := kflow(t, "", env, "broker", "configs", "1")
	if r.code != 0 || !strings.Contains(r.stdout, "Broker 1:") || !strings.Contains(r.stdout, "static broker") || !strings.Contains(r.stdout, "READ-ONLY") {
		t.Fatalf("broker configs 1 = %+v", r)
	}
	r = kflow(t, "", env, "broker", "set-config", "--default", "log.cleaner.backoff.ms=20s", "--dry-run")
	if r.code != 0 || !strings.Contains(r.stdout, "The cluster-wide broker default") || !strings.Contains(r.stdout, "20s") || !strings.Contains(r.stderr, "nothing written") {
		t.Fatalf("set-config --default --dry-run = %+v", r)
	}
	r = kflow(t, "", env, "broker", "set-config", "1", "log.dirs=/tmp/x")
	if r.code != exitRuntime || !strings.Contains(r.stderr, "log.dirs is read-only") {
		t.Fatalf("set-config log.dirs = %+v", r)
	}
	if r := kflow(t, "", env, "broker", "configs"); r.code != exitUsage {
		t.Errorf("broker configs without an id = %+v", r)
	}
}

// TestTruncateAndConfigsOnDemo runs the plans on the demo cluster
// (kfake) and the read-only refusals there.
func TestTruncateAndConfigsOnDemo(t *testing.T) {
	isolateConfig(t)
	r := kflow(t, "", nil, "topic", "truncate", demo.PaymentsTopic, "--before", "end", "--demo")
	if r.code != 0 || !strings.Contains(r.stdout, "would delete every record (to the end)") {
		t.Fatalf("truncate dry run on the demo = %+v", r)
	}
	r = kflow(t, "", nil, "topic", "truncate", demo.PaymentsTopic, "--before", "end", "--execute", "--confirm", demo.PaymentsTopic, "--demo", "--read-only")
	if r.code != exitRuntime || !strings.Contains(r.stderr, "read-only") {
		t.Fatalf("read-only truncate on the demo = %+v", r)
	}
	r = kflow(t, "", nil, "topic", "set-config", demo.PaymentsTopic, "retention.ms=7d", "--demo", "--read-only")
	if r.code != exitRuntime || !strings.Contains(r.stderr, "read-only") {
		t.Fatalf("read-only set-config on the demo = %+v", r)
	}
	r = kflow(t, "", nil, "topic", "set-config", demo.PaymentsTopic, "retention.ms=7d", "--demo")
	if r.code != 0 || !strings.Contains(r.stdout, "7d") || !strings.Contains(r.stderr, "changed 1 config of topic "+demo.PaymentsTopic) {
		t.Fatalf("set-config on the demo = %+v", r)
	}
}
