package main

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"kflow/kafka"
)

// TestTUITailShowsHostileRecordsInert produces, with kcat, records whose
// values hold an OSC 52 clipboard write and a clear-screen sequence, opens
// the tail view of the real binary in tmux, and checks that the sequences
// show as visible escapes, that the screen was not cleared (the header and
// the older rows are still there), and that tmux (told to honour OSC 52)
// received no clipboard write.
func TestTUITailShowsHostileRecordsInert(t *testing.T) {
	brokers := realBrokers(t)
	kcat := needTool(t, "kcat")
	needTool(t, "tmux")
	topic := uniqueName(t)
	cl, err := kafka.Connect(context.Background(), kafka.ConnConfig{Brokers: strings.Split(brokers, ",")})
	if err != nil {
		t.Fatalf("connect to the test broker: %v", err)
	}
	t.Cleanup(cl.Close)
	if err := cl.CreateTopic(context.Background(), kafka.TopicSpec{Name: topic, Partitions: 1, ReplicationFactor: 1}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cl.DeleteTopic(context.Background(), topic) })

	s := startTUI(t, 120, 32, "-b", brokers)
	s.tmux("set-option", "-g", "set-clipboard", "on") // tmux would act on a raw OSC 52
	s.waitFor(30*time.Second, "● connected", "TOPIC")
	s.keys(":")
	s.text("tail " + topic)
	s.keys("Enter")
	s.waitFor(10*time.Second, "Tail "+topic, "Partitions")
	s.keys("Enter")
	s.waitFor(15*time.Second, "● live", "waiting for new records")

	produce := func(lines string) {
		t.Helper()
		cmd := exec.Command(kcat, "-b", brokers, "-P", "-t", topic, "-K", "|")
		cmd.Stdin = strings.NewReader(lines)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("kcat: %v\n%s", err, out)
		}
	}
	produce("first|an ordinary record\n")
	s.waitFor(15*time.Second, "an ordinary record")
	produce("osc52|steal\x1b]52;c;aGFja2VkIQ==\x07done\n" +
		"clear|wipe\x1b[2J\x1b[H\x1b[3Jgone\n" +
		"\x1b[31mkey|title\x1b]0;pwned\x07bell\x07\n")
	scr := s.waitFor(15*time.Second, "steal␛]52;c;aGFja2VkIQ==␇done", "wipe␛[2J␛[H␛[3Jgone", "␛[31mkey", "title␛]0;pwned␇bell␇")
	for _, still := range []string{"kflow › topics › tail · " + topic, "an ordinary record", "TIME", "received 4"} {
		if !strings.Contains(scr, still) {
			t.Fatalf("the screen lost %q: was it cleared?\n%s", still, scr)
		}
	}
	if bufs := s.tmux("list-buffers"); strings.TrimSpace(bufs) != "" {
		t.Fatalf("tmux received a clipboard write: %s", bufs)
	}
	if title := s.tmux("display-message", "-p", "#{pane_title}"); strings.Contains(title, "pwned") {
		t.Fatalf("the record retitled the pane: %q", title)
	}

	// The detail pane of the OSC 52 record shows it inert too.
	s.keys("g", "j", "Enter")
	s.waitFor(5*time.Second, "VALUE (text)", "steal␛]52;c;aGFja2VkIQ==␇done")
	s.keys("Escape")
	s.waitFor(5*time.Second, "received 4")
	if bufs := s.tmux("list-buffers"); strings.TrimSpace(bufs) != "" {
		t.Fatalf("tmux received a clipboard write: %s", bufs)
	}
}
