package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"kflow/internal/securetest"
	"kflow/kafka"
)

// tmuxSession is the real kflow binary running in a detached tmux session
// on a private tmux server, read with capture-pane.
type tmuxSession struct {
	t      *testing.T
	socket string
}

func (s *tmuxSession) tmux(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", s.socket}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// keys sends tmux key names (Enter, Tab, C-c, or plain letters).
func (s *tmuxSession) keys(keys ...string) {
	s.t.Helper()
	s.tmux(append([]string{"send-keys", "-t", "kflow"}, keys...)...)
}

// text types literal text.
func (s *tmuxSession) text(text string) {
	s.t.Helper()
	s.tmux("send-keys", "-t", "kflow", "-l", text)
}

func (s *tmuxSession) screen() string {
	s.t.Helper()
	return s.tmux("capture-pane", "-p", "-t", "kflow")
}

// waitFor polls the screen until it holds every sub, for at most limit.
func (s *tmuxSession) waitFor(limit time.Duration, subs ...string) string {
	s.t.Helper()
	return s.waitUntil(limit, fmt.Sprintf("%q", subs), func(scr string) bool {
		for _, sub := range subs {
			if !strings.Contains(scr, sub) {
				return false
			}
		}
		return true
	})
}

// waitUntil polls the screen until ok says yes, for at most limit.
func (s *tmuxSession) waitUntil(limit time.Duration, what string, ok func(screen string) bool) string {
	s.t.Helper()
	deadline := time.Now().Add(limit)
	for {
		scr := s.screen()
		if ok(scr) {
			return scr
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("after %s the screen still lacks %s:\n%s", limit, what, scr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// row is the table line starting with name, "" when none does.
func row(screen, name string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), name+" ") {
			return l
		}
	}
	return ""
}

// startTUI runs kflow with args in tmux at w x h; the shell around it
// prints kflow's exit code so the test can read it off the screen.
func startTUI(t *testing.T, w, h int, args ...string) *tmuxSession {
	t.Helper()
	return startTUIIn(t, t.TempDir(), w, h, args...)
}

// startTUIIn is startTUI with XDG_CONFIG_HOME at xdg, for a test that reads
// what kflow wrote there (the produce history).
func startTUIIn(t *testing.T, xdg string, w, h int, args ...string) *tmuxSession {
	t.Helper()
	needTool(t, "tmux")
	bin := kflowBinary(t)
	s := &tmuxSession{t: t, socket: fmt.Sprintf("kflow-e2e-%d-%d", os.Getpid(), time.Now().UnixNano())}
	quoted := []string{bin}
	for _, a := range args {
		quoted = append(quoted, "'"+strings.ReplaceAll(a, "'", `'\''`)+"'")
	}
	script := fmt.Sprintf("%s; echo KFLOW_EXIT=$?; sleep 600", strings.Join(quoted, " "))
	s.tmux("-f", "/dev/null", "new-session", "-d", "-s", "kflow", "-x", fmt.Sprint(w), "-y", fmt.Sprint(h),
		"env", "XDG_CONFIG_HOME="+xdg, "TERM=xterm-256color", "sh", "-c", script)
	t.Cleanup(func() { _ = exec.Command("tmux", "-L", s.socket, "kill-server").Run() })
	return s
}

// TestTUICreatesTopicThroughTheForm drives the real binary against the
// real broker: the create form is filled with keystrokes, the new topic
// must appear in the list and exist on the broker, and q must exit 0.
func TestTUICreatesTopicThroughTheForm(t *testing.T) {
	brokers := realBrokers(t)
	topic := fmt.Sprintf("tui-e2e-%d", time.Now().UnixNano())

	cl, err := kafka.Connect(context.Background(), kafka.ConnConfig{Brokers: strings.Split(brokers, ",")})
	if err != nil {
		t.Fatalf("connect to the test broker: %v", err)
	}
	// Cleanups run last-first: delete the topic, then close the client.
	t.Cleanup(cl.Close)
	t.Cleanup(func() { _ = cl.DeleteTopic(context.Background(), topic) })

	s := startTUI(t, 120, 32, "-b", brokers)
	s.waitFor(30*time.Second, "● connected", "TOPIC", "updated")

	s.keys("c")
	s.waitFor(5*time.Second, "Create topic", "Replication factor")
	s.text(topic)
	s.keys("Tab")
	s.text("2")
	s.keys("Tab")
	s.text("1")
	s.keys("Tab")
	s.text("retention.ms=3600000")
	s.keys("Enter") // enter on the last field creates
	s.waitFor(30*time.Second, "created topic "+topic)
	// Listed in the table once the list reloads, with its partitions and RF.
	scr := s.waitUntil(30*time.Second, "a row for "+topic, func(scr string) bool { return row(scr, topic) != "" })
	if strings.Contains(scr, "Create topic") {
		t.Fatalf("the form is still open:\n%s", scr)
	}
	if f := strings.Fields(row(scr, topic)); len(f) < 3 || f[1] != "2" || f[2] != "1" {
		t.Fatalf("row of %s = %q, want 2 partitions, RF 1:\n%s", topic, row(scr, topic), scr)
	}

	d, err := cl.DescribeTopic(context.Background(), topic)
	if err != nil {
		t.Fatalf("the broker does not know the topic the form created: %v", err)
	}
	if len(d.Partitions) != 2 {
		t.Fatalf("%s has %d partitions on the broker, want 2", topic, len(d.Partitions))
	}
	cfgs, err := cl.TopicConfigs(context.Background(), topic)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cfgs {
		if c.Name == "retention.ms" && c.Value != "3600000" {
			t.Fatalf("retention.ms = %s, want 3600000", c.Value)
		}
	}

	s.keys("q")
	s.waitFor(10*time.Second, "KFLOW_EXIT=0")
}

// TestTUIReadOnlyRefusesCreate checks that --read-only hides the write
// keys and refuses them with a reason, and that ctrl+c exits 0.
func TestTUIReadOnlyRefusesCreate(t *testing.T) {
	brokers := realBrokers(t)
	s := startTUI(t, 80, 24, "-b", brokers, "--read-only")
	s.waitFor(30*time.Second, "● connected", "read-only")
	s.keys("c")
	s.waitFor(5*time.Second, "read-only mode")
	s.keys("C-c")
	s.waitFor(10*time.Second, "KFLOW_EXIT=0")
}

// TestTUIEditsTopicConfigOverSASLSSL: the real binary connects through
// the broker's SASL_SSL listener with a config-file context (CA file,
// SCRAM-SHA-512, the password from the environment), opens a topic's
// configs, edits retention.ms to 2d, confirms with the topic's name, and
// the broker has 172800000. The password never shows on the screen.
func TestTUIEditsTopicConfigOverSASLSSL(t *testing.T) {
	brokers := realBrokers(t)
	sec := securetest.Get(t) // the SASL_SSL listener, its CA and SCRAM super user
	topic := fmt.Sprintf("tui-e2e-config-%d", time.Now().UnixNano())

	cl, err := kafka.Connect(context.Background(), kafka.ConnConfig{Brokers: strings.Split(brokers, ",")})
	if err != nil {
		t.Fatalf("connect to the test broker: %v", err)
	}
	t.Cleanup(cl.Close)
	if err := cl.CreateTopic(context.Background(), kafka.TopicSpec{Name: topic, Partitions: 1, ReplicationFactor: 1,
		Configs: map[string]string{"retention.ms": "3600000"}}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cl.DeleteTopic(context.Background(), topic) })

	// The tmux server, started below, inherits the password from this
	// environment; the config file names only the variable.
	t.Setenv("KFLOW_E2E_SASL_PASSWORD", sec.Password)
	cfg := fmt.Sprintf(`contexts:
  secure:
    brokers: [%s]
    tls: {ca_file: %q}
    sasl:
      mechanism: SCRAM-SHA-512
      username: %s
      password: {env: KFLOW_E2E_SASL_PASSWORD}
`, sec.SASLSSL, sec.CA, sec.User)
	cfgPath := t.TempDir() + "/config.yaml"
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}

	s := startTUI(t, 120, 32, "--config", cfgPath, "--context", "secure")
	s.waitFor(30*time.Second, "● connected", "TOPIC", "updated")
	s.text("/" + topic)
	s.keys("Enter")
	s.waitUntil(10*time.Second, "a row for "+topic, func(scr string) bool { return row(scr, topic) != "" })
	s.keys("C")
	s.waitFor(10*time.Second, "configs · "+topic, "set on the topic")
	s.text("/retention.ms")
	s.keys("Enter") // keeps the filter; the key set on the topic is listed first
	s.keys("e")
	s.waitFor(10*time.Second, "Edit retention.ms of topic "+topic, "› 1h")
	s.keys("BSpace", "BSpace")
	s.text("2d")
	s.keys("Enter")
	s.waitFor(10*time.Second, "1h (dynamic topic) → 2d (dynamic topic)", "the broker accepts it")
	s.text(topic)
	s.keys("Enter")
	scr := s.waitFor(10*time.Second, "changed 1 config of topic "+topic)
	if strings.Contains(scr, sec.Password) {
		t.Fatalf("the password is on the screen:\n%s", scr)
	}

	cfgs, err := cl.TopicConfigs(context.Background(), topic)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cfgs {
		if c.Name == "retention.ms" && c.Value != "172800000" {
			t.Fatalf("retention.ms on the broker = %s, want 172800000", c.Value)
		}
	}
	s.waitUntil(10*time.Second, "retention.ms shown as 2d", func(scr string) bool {
		return strings.Contains(row(scr, "retention.ms"), "2d")
	})
	s.keys("C-c")
	s.waitFor(10*time.Second, "KFLOW_EXIT=0")
}
