package main

import (
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// producePane is a kflow UI running in a tmux session of its own.
type producePane struct {
	t       *testing.T
	session string
}

func (p *producePane) tmux(args ...string) string {
	p.t.Helper()
	out, err := exec.Command("tmux", args...).CombinedOutput()
	if err != nil {
		p.t.Fatalf("tmux %q: %v\n%s", args, err, out)
	}
	return string(out)
}

func (p *producePane) capture() string { return p.tmux("capture-pane", "-p", "-t", p.session) }

// keys sends tmux key names (Enter, Tab, M-j, C-s).
func (p *producePane) keys(ks ...string) {
	p.tmux(append([]string{"send-keys", "-t", p.session}, ks...)...)
}

// text types s literally.
func (p *producePane) text(s string) { p.tmux("send-keys", "-t", p.session, "-l", s) }

// waitFor polls the pane until it shows every sub, for at most 15 s.
func (p *producePane) waitFor(subs ...string) string {
	p.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		s := p.capture()
		ok := true
		for _, sub := range subs {
			ok = ok && strings.Contains(s, sub)
		}
		if ok {
			return s
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("pane never showed %q:\n%s", subs, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestProduceFormEndToEnd fills the produce form in a real terminal with
// a key, a two-line JSON value and two headers, sends it to the real
// broker and reads the record back with kcat, byte for byte.
func TestProduceFormEndToEnd(t *testing.T) {
	needTool(t, "tmux")
	needTool(t, "kcat")
	b := realBrokers(t)
	bin := kflowBinary(t)
	isolateConfig(t)
	env := map[string]string{"KFLOW_BROKERS": b}
	topic := uniqueName(t)
	if r := kflow(t, "", env, "topic", "create", topic, "-p", "3", "-r", "1"); r.code != 0 {
		t.Fatalf("create: %+v", r)
	}
	defer kflow(t, "", env, "topic", "delete", topic, "--confirm", topic)

	cfg := t.TempDir()
	p := &producePane{t: t, session: fmt.Sprintf("kflow-produce-%d", time.Now().UnixNano())}
	p.tmux("new-session", "-d", "-s", p.session, "-x", "100", "-y", "32",
		fmt.Sprintf("env XDG_CONFIG_HOME=%s HOME=%s KFLOW_BROKERS=%s %s", cfg, cfg, b, bin))
	defer exec.Command("tmux", "kill-session", "-t", p.session).Run()
	p.waitFor("updated")

	p.keys(":")
	p.text("produce " + topic)
	p.keys("Enter")
	p.waitFor("Produce", "3 partitions")

	// The focus starts on the key when the topic is given.
	p.text("user-42")
	p.keys("Tab", "M-j")
	p.waitFor("JSON value")
	p.text(`{"order": 1,`)
	p.keys("Enter")
	p.text(`  "note": "a|b"}`)
	p.keys("Tab")
	p.text("trace=abc 1")
	p.keys("Enter")
	p.text("src=e2e")
	p.keys("C-s")
	screen := p.waitFor("✓ " + topic)
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
