package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"kflow/kafka"
)

func TestParseRate(t *testing.T) {
	for in, want := range map[string]int64{"10MiB/s": 10 << 20, "500kB/s": 500_000, "1048576": 1 << 20, "1.5 GiB": 3 << 29, "64KiB/s": 64 << 10} {
		if got, err := parseRate(in); err != nil || got != want {
			t.Errorf("parseRate(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "fast", "-1MiB/s", "0", "10 parsecs"} {
		if _, err := parseRate(in); err == nil {
			t.Errorf("parseRate(%q): no error", in)
		}
	}
}

// TestElectAndReassignCLI: on the shared single broker every partition is
// led by its preferred replica and sits on the only broker, so the plans
// are empty; the commands' checks, confirmations, files and read-only
// refusals are what this proves (TestClusterReplicationHealth moves real
// replicas and leaders on three nodes).
func TestElectAndReassignCLI(t *testing.T) {
	brokers := realBrokers(t)
	if brokers == "" {
		return
	}
	env := map[string]string{"KFLOW_BROKERS": brokers}
	topic := uniqueName(t)
	if r := kflow(t, "", env, "topic", "create", topic, "-p", "2", "-r", "1"); r.code != 0 {
		t.Fatalf("create: %d %s", r.code, r.stderr)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := kafka.Connect(ctx, kafka.ConnConfig{Brokers: strings.Split(brokers, ",")})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	d, err := c.DescribeTopic(ctx, topic)
	if err != nil || len(d.Partitions) != 2 {
		t.Fatalf("create -p 2 made %+v, %v", d, err)
	}
	self := strconv.Itoa(int(d.Partitions[0].Leader))
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"version":1,"partitions":[{"topic":"`+topic+`","partition":0,"replicas":[1,1]}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other.json")
	if err := os.WriteFile(other, []byte(`{"version":1,"partitions":[{"topic":"elsewhere","partition":0,"replicas":[1]}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	saved := filepath.Join(dir, "plan.json")
	checkResets(t, env, []resetCase{
		{"elect dry run", []string{"topic", "elect-leaders", topic}, 0, []string{"nothing to elect", "dry run"}, nil},
		{"elect chosen partitions", []string{"topic", "elect-leaders", topic, "--partitions", "0,1", "--execute", "--confirm", topic}, 0,
			[]string{"already preferred"}, []string{"error"}},
		{"elect without confirm", []string{"topic", "elect-leaders", topic, "--execute"}, exitUsage, []string{"--confirm " + topic}, nil},
		{"elect wrong confirm", []string{"topic", "elect-leaders", topic, "--execute", "--confirm", "x"}, exitUsage, []string{`does not match`}, nil},
		{"elect a partition not there", []string{"topic", "elect-leaders", topic, "--partitions", "9"}, exitRuntime, []string{"no partition 9"}, nil},
		{"elect bad partitions", []string{"topic", "elect-leaders", topic, "--partitions", "a,b"}, exitUsage, []string{"partition numbers"}, nil},
		{"elect all and a topic", []string{"topic", "elect-leaders", topic, "--all"}, exitUsage, []string{"--all"}, nil},
		{"elect read-only", []string{"--read-only", "topic", "elect-leaders", topic, "--execute", "--confirm", topic}, exitRuntime, []string{"read-only"}, nil},
		{"reassign to where it is", []string{"topic", "reassign", topic, "--to-brokers", self, "--save-plan", saved}, 0,
			[]string{"nothing to move", "plan written to"}, nil},
		{"reassign to a broker not there", []string{"topic", "reassign", topic, "--to-brokers", self + ",97"}, exitRuntime, []string{"broker 97 is not in the cluster"}, nil},
		{"reassign to a broker twice", []string{"topic", "reassign", topic, "--to-brokers", self + "," + self}, exitUsage, []string{"named twice"}, nil},
		{"reassign a bad file", []string{"topic", "reassign", topic, "--plan", bad}, exitUsage, []string{"broker 1 twice"}, nil},
		{"reassign another topic's file", []string{"topic", "reassign", topic, "--plan", other}, exitUsage, []string{`"elsewhere"`}, nil},
		{"reassign neither plan nor brokers", []string{"topic", "reassign", topic}, exitUsage, []string{"--plan FILE or --to-brokers"}, nil},
		{"reassign bad throttle", []string{"topic", "reassign", topic, "--to-brokers", self, "--throttle", "fast"}, exitUsage, []string{"10MiB/s"}, nil},
		{"reassign status", []string{"topic", "reassign", "--status", topic}, 0, []string{"no reassignment in progress for " + topic}, nil},
		{"reassign status of every topic", []string{"topic", "reassign", "--status"}, 0, []string{"no reassignment in progress"}, nil},
		{"elect every topic, dry run", []string{"topic", "elect-leaders", "--all"}, 0, []string{"nothing to elect", "--confirm all"}, nil},
		{"elect --all without confirm", []string{"topic", "elect-leaders", "--all", "--execute", "--confirm", topic}, exitUsage, []string{`does not match "all"`}, nil},
		{"cancel without a topic", []string{"topic", "reassign", "--cancel"}, exitUsage, []string{"takes the topic"}, nil},
		{"reassign cancel with none", []string{"topic", "reassign", "--cancel", topic, "--confirm", topic}, exitRuntime, []string{"no reassignment in progress"}, nil},
		{"reassign an empty saved plan", []string{"topic", "reassign", topic, "--plan", saved}, exitUsage, []string{"no partitions"}, nil},
	})
	// The saved plan is empty (nothing moves) but well formed: a plan
	// naming the current replicas reads back as nothing to move.
	cur := filepath.Join(dir, "current.json")
	if err := os.WriteFile(cur, kafka.ReassignJSON([]kafka.ReplicaMove{{Topic: topic, Partition: 1, Target: d.Partitions[1].Replicas}}, false), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := kflow(t, "", env, "topic", "reassign", topic, "--plan", cur, "--json"); r.code != 0 || !strings.Contains(r.stdout, `"moves":[]`) {
		t.Errorf("reassign --plan of the current replicas --json: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// A plan naming a broker not in the cluster is refused before anything is asked.
	move := filepath.Join(dir, "move.json")
	if err := os.WriteFile(move, kafka.ReassignJSON([]kafka.ReplicaMove{{Topic: topic, Partition: 1, Target: []int32{97}}}, false), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := kflow(t, "", env, "--read-only", "topic", "reassign", topic, "--plan", move, "--execute", "--confirm", topic); r.code != exitRuntime || !strings.Contains(r.stderr, "not in the cluster") {
		t.Errorf("a move to an unknown broker: %d %s", r.code, r.stderr)
	}
}
