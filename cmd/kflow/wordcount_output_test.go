package main

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestWordCountStopsWhenOutputFails: when the counts cannot be written
// (stdout a descriptor that refuses writes: a full disk, a revoked file),
// `kflow wordcount --updates` exits 1 and says so, instead of counting on
// with its output lost.
func TestWordCountStopsWhenOutputFails(t *testing.T) {
	isolateConfig(t)
	b := realBrokers(t)
	name := uniqueName(t)
	env := map[string]string{"KFLOW_BROKERS": b}
	in, out := name+"-in", name+"-out"
	seedTopic(t, env, in, 1, "one two three\n")
	readOnly, err := os.Open(os.DevNull) // writes to it fail with EBADF
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = readOnly.Close() }()
	cmd := exec.Command(kflowBinary(t), "wordcount", "-b", b, "--app", name, "--input", in, "--output", out, "--updates")
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+t.TempDir())
	cmd.Stdout = readOnly
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill() }()
	defer kflow(t, "", env, "topic", "delete", out, "--confirm", out)

	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 1 {
			t.Errorf("wordcount with unwritable stdout: %v, want exit 1; stderr: %s", err, stderr.String())
		}
		if !strings.Contains(stderr.String(), "write output") {
			t.Errorf("stderr does not say the output failed:\n%s", stderr.String())
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("wordcount still running 60s after its output failed; stderr: %s", stderr.String())
	}
}
