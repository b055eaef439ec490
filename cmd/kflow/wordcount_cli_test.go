package main

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestWordCountCommand runs `kflow wordcount --updates --json` as a user
// would, feeds it lines, waits for the counts on stdout, then stops it
// with Ctrl-C (SIGINT), which must exit 0.
func TestWordCountCommand(t *testing.T) {
	isolateConfig(t)
	b := realBrokers(t)
	name := uniqueName(t)
	env := map[string]string{"KFLOW_BROKERS": b}
	in, out := name+"-in", name+"-out"
	seedTopic(t, env, in, 2, "Hello Kafka Streams\nall streams lead to Kafka\n_under_score 42 naïve\n")
	cmd := exec.Command(kflowBinary(t), "wordcount", "-b", b, "--app", name, "--input", in, "--output", out, "--updates", "--json")
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+t.TempDir())
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill() }()
	defer kflow(t, "", env, "topic", "delete", out, "--confirm", out)

	want := map[string]int64{"hello": 1, "kafka": 2, "streams": 2, "all": 1, "lead": 1, "to": 1, "_under_score": 1, "42": 1, "na": 1, "ve": 1}
	got := map[string]int64{}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	deadline := time.After(60 * time.Second)
	for len(got) < len(want) || !sameCounts(got, want) {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("wordcount ended early: %s", stderr.String())
			}
			var u struct {
				Word  string `json:"word"`
				Count int64  `json:"count"`
			}
			if err := json.Unmarshal([]byte(l), &u); err != nil {
				t.Fatalf("line %q: %v", l, err)
			}
			got[u.Word] = u.Count
		case <-deadline:
			t.Fatalf("counts %v, want %v; stderr: %s", got, want, stderr.String())
		}
	}
	_ = cmd.Process.Signal(os.Interrupt)
	if err := cmd.Wait(); err != nil {
		t.Errorf("wordcount after Ctrl-C: %v; stderr: %s", err, stderr.String())
	}
	// stderr tells what happened: the output topic it made, the
	// partitions it got, and on exit the totals it committed (3 lines,
	// 12 words), whatever the last stats line said.
	errText := stderr.String()
	for _, want := range []string{
		"created topic " + out,
		"split stage: assigned " + in + " partitions 0,1",
		"stopped; committed: lines 3  words 12  counted 12",
	} {
		if !strings.Contains(errText, want) {
			t.Errorf("stderr does not say %q:\n%s", want, errText)
		}
	}
	if lines := strings.Split(strings.TrimSpace(errText), "\n"); !strings.Contains(lines[len(lines)-1], "stopped; committed") {
		t.Errorf("last stderr line %q, want the committed totals", lines[len(lines)-1])
	}
	if strings.Contains(errText, "[]") {
		t.Errorf("stderr shows empty partition lists:\n%s", errText)
	}
}

// TestWordCountMissingInputCommand: a mistyped --input exits 1 at once
// with the topic named, the close name that exists, and the two ways on;
// it creates nothing. --create-input creates it.
func TestWordCountMissingInputCommand(t *testing.T) {
	isolateConfig(t)
	b := realBrokers(t)
	name := uniqueName(t)
	env := map[string]string{"KFLOW_BROKERS": b}
	in := name + "-input"
	typo := name + "-inptu"
	seedTopic(t, env, in, 1, "")
	r := kflow(t, "", env, "wordcount", "--app", name, "--input", typo, "--output", name+"-out")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1; stderr: %s", r.code, r.stderr)
	}
	for _, want := range []string{`input topic "` + typo + `" does not exist`, `did you mean "` + in + `"`, "kflow topic create " + typo, "--create-input"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr does not say %q: %s", want, r.stderr)
		}
	}
	if r := kflow(t, "", env, "topic", "describe", typo); r.code == 0 {
		t.Errorf("the mistyped input %q was created", typo)
	}
	if r := kflow(t, "", env, "topic", "describe", name+"-out"); r.code == 0 {
		t.Errorf("the output was created by a start that failed")
	}
}

func sameCounts(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range b {
		if a[k] != v {
			return false
		}
	}
	return true
}

// TestWordCountRefusesBadOutputCommand: an --output that is no count topic
// (here not compacted) exits 1 saying why, before any topic is made.
func TestWordCountRefusesBadOutputCommand(t *testing.T) {
	isolateConfig(t)
	b := realBrokers(t)
	name := uniqueName(t)
	env := map[string]string{"KFLOW_BROKERS": b}
	out := name + "-out"
	if r := kflow(t, "", env, "topic", "create", out, "-p", "1"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	defer kflow(t, "", env, "topic", "delete", out, "--confirm", out)
	r := kflow(t, "", env, "wordcount", "--app", name, "--input", name+"-in", "--output", out, "--create-input")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1; stderr: %s", r.code, r.stderr)
	}
	if want := `output topic "` + out + `" has cleanup.policy=delete, want compact`; !strings.Contains(r.stderr, want) {
		t.Errorf("stderr does not say %q: %s", want, r.stderr)
	}
	if r := kflow(t, "", env, "topic", "describe", name+"-in"); r.code == 0 {
		kflow(t, "", env, "topic", "delete", name+"-in", "--confirm", name+"-in")
		t.Errorf("the input was created by a start that failed")
	}
}

// seedTopic creates topic with the given partitions for one test (deleted
// when it ends) and produces lines to it, one record each, unless empty.
func seedTopic(t *testing.T, env map[string]string, topic string, partitions int, lines string) {
	t.Helper()
	if r := kflow(t, "", env, "topic", "create", topic, "-p", strconv.Itoa(partitions)); r.code != 0 {
		t.Fatal(r.stderr)
	}
	t.Cleanup(func() { kflow(t, "", env, "topic", "delete", topic, "--confirm", topic) })
	if lines == "" {
		return
	}
	if r := kflow(t, lines, env, "produce", "-t", topic); r.code != 0 {
		t.Fatal(r.stderr)
	}
}
