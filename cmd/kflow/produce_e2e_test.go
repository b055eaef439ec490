package main

import (
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestProduceFormEndToEnd fills the produce form in a real terminal with
// a key, a two-line JSON value and two headers, sends it to the real
// broker and reads the record back with kcat, byte for byte.
func TestProduceFormEndToEnd(t *testing.T) {
	needTool(t, "tmux")
	needTool(t, "kcat")
	b := realBrokers(t)
	isolateConfig(t)
	env := map[string]string{"KFLOW_BROKERS": b}
	topic := uniqueName(t)
	if r := kflow(t, "", env, "topic", "create", topic, "-p", "3", "-r", "1"); r.code != 0 {
		t.Fatalf("create: %+v", r)
	}
	defer kflow(t, "", env, "topic", "delete", topic, "--confirm", topic)

	p := startTUI(t, 100, 32, "-b", b)
	p.waitFor(20*time.Second, "updated")

	p.keys(":")
	p.text("produce " + topic)
	p.keys("Enter")
	p.waitFor(15*time.Second, "Produce", "3 partitions")

	// The focus starts on the key when the topic is given.
	p.text("user-42")
	p.keys("Tab", "M-j")
	p.waitFor(15*time.Second, "JSON value")
	p.text(`{"order": 1,`)
	p.keys("Enter")
	p.text(`  "note": "a|b"}`)
	p.keys("Tab")
	p.text("trace=abc 1")
	p.keys("Enter")
	p.text("src=e2e")
	p.keys("C-s")
	screen := p.waitFor(15*time.Second, "✓ "+topic)
	if strings.Contains(screen, "not sent") || strings.Contains(screen, "to fix") {
		t.Fatalf("send failed:\n%s", screen)
	}

	out, err := exec.Command("kcat", "-b", b, "-C", "-t", topic, "-e", "-o", "beginning", "-q",
		"-f", `%K|%k|%S|%s|%h\n`).CombinedOutput()
	if err != nil {
		t.Fatalf("kcat: %v\n%s", err, out)
	}
	value := "{\"order\": 1,\n  \"note\": \"a|b\"}"
	want := fmt.Sprintf("7|user-42|%d|%s|trace=abc 1,src=e2e\n", len(value), value)
	if string(out) != want {
		t.Fatalf("kcat read\n%q\nwant\n%q", out, want)
	}
}
