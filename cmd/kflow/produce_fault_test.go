package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"kflow/internal/brokertest"
)

// syncBuffer is a bytes.Buffer safe to read while a process writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor polls cond until it holds or d passes.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// startProduce runs the kflow binary producing into topic on the
// private broker, stderr captured.
func startProduce(t *testing.T, addr string, args ...string) (*exec.Cmd, *syncBuffer, chan error) {
	t.Helper()
	home := t.TempDir()
	cmd := exec.Command(kflowBinary(t), append([]string{"produce", "-b", addr}, args...)...)
	cmd.Env = append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+home)
	var stderr syncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	done := make(chan struct{})
	go func() { exited <- cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-done
	})
	return cmd, &stderr, exited
}

func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// TestProduceAgainstHungBroker hangs a private real broker (SIGSTOP)
// under a produce run. First: the run says it is waiting for the broker,
// and SIGTERM stops it within a second or so, exit 1, with the
// acknowledged and unacknowledged counts. Then, hung longer than the
// delivery timeout and resumed: the run has given up on its own with
// exit 1. Before, it printed nothing for minutes, ignored SIGTERM and
// exited 0 with failed records.
func TestProduceAgainstHungBroker(t *testing.T) {
	isolateConfig(t)
	b := brokertest.Start(t)
	env := map[string]string{"KFLOW_BROKERS": b.Addr()}
	topic := uniqueName(t)
	if r := kflow(t, "", env, "topic", "create", topic, "-p", "1"); r.code != 0 {
		t.Fatal(r.stderr)
	}

	// SIGTERM while hung.
	cmd, stderr, exited := startProduce(t, b.Addr(), "-t", topic, "--timeout", "5s", "--template", "text-line", "--count", "100000", "--rate", "200")
	waitFor(t, 20*time.Second, "a progress line with records acknowledged", func() bool {
		return strings.Contains(stderr.String(), "acknowledged")
	})
	b.Hang(t)
	waitFor(t, 15*time.Second, "the waiting-for-the-broker line", func() bool {
		return strings.Contains(stderr.String(), "waiting for the broker since")
	})
	termAt := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		took := time.Since(termAt)
		if code := exitCode(err); code != 1 {
			t.Errorf("exit %d after SIGTERM while hung, want 1\n%s", code, stderr)
		}
		if took > 2*time.Second {
			t.Errorf("exited %v after SIGTERM, want within about a second", took)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("still running 10 s after SIGTERM\n%s", stderr)
	}
	out := stderr.String()
	t.Logf("SIGTERM while hung:\n%s", out)
	if !strings.Contains(out, "interrupted") || !strings.Contains(out, "not acknowledged") {
		t.Errorf("stderr does not report the unacknowledged records:\n%s", out)
	}
	b.Resume(t)

	// Hung past the delivery timeout (3 x --timeout), then resumed.
	cmd, stderr, exited = startProduce(t, b.Addr(), "-t", topic, "--timeout", "1s", "--template", "text-line", "--count", "100000", "--rate", "200")
	waitFor(t, 20*time.Second, "a progress line with records acknowledged", func() bool {
		return strings.Contains(stderr.String(), "acknowledged")
	})
	b.Hang(t)
	hungAt := time.Now()
	var err error
	select {
	case err = <-exited:
	case <-time.After(20 * time.Second):
		b.Resume(t)
		t.Fatalf("still running 20 s into the hang with a 3 s delivery timeout\n%s", stderr)
	}
	took := time.Since(hungAt)
	b.Resume(t)
	if code := exitCode(err); code != 1 {
		t.Errorf("exit %d after the delivery timeout, want 1\n%s", code, stderr)
	}
	if took > 10*time.Second {
		t.Errorf("gave up %v into the hang, want about the 3 s delivery timeout", took)
	}
	t.Logf("hung past the delivery timeout (gave up after %v):\n%s", took, stderr)
	if out := stderr.String(); !strings.Contains(out, "no acknowledgement from the broker since") || !strings.Contains(out, "not acknowledged") {
		t.Errorf("stderr does not say why it gave up:\n%s", out)
	}
	_ = cmd
}
