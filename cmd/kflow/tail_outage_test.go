package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"kflow/internal/brokertest"
	"kflow/kafka"
)

// outageBound is how soon after a broker stops (or is back) kflow tail
// must say so on stderr.
const outageBound = 15 * time.Second

// recoverBound is how soon after a restart returns kflow must say the
// broker is back: the restarted broker still loads its partitions, and
// franz-go's reconnect backoff adds to it.
const recoverBound = 30 * time.Second

// lines feeds the lines of r to a channel, closed at EOF.
func lines(r io.Reader) <-chan string {
	ch := make(chan string, 1000)
	go func() {
		defer close(ch)
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			ch <- sc.Text()
		}
	}()
	return ch
}

// waitLine returns the first line of ch holding want, failing after d.
func waitLine(t *testing.T, ch <-chan string, want string, d time.Duration) string {
	t.Helper()
	deadline := time.After(d)
	for {
		select {
		case l, ok := <-ch:
			if !ok {
				t.Fatalf("output ended without %q", want)
			}
			if strings.Contains(l, want) {
				return l
			}
		case <-deadline:
			t.Fatalf("no line with %q within %v", want, d)
		}
	}
}

// TestTailOutageHeadless runs the kflow binary against a private real
// broker and stops it mid-tail: stderr says the broker is unreachable
// within outageBound and, after the restart, that it is back; stdout has
// every record once, in order. Then a bounded tail (--exit) that still has
// records to fetch when the broker stops exits 1 within --timeout plus the
// bound, saying why: a pipeline can tell a quiet topic from a dead broker.
func TestTailOutageHeadless(t *testing.T) {
	isolateConfig(t)
	bin := kflowBinary(t)
	b := brokertest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	c, err := kafka.Connect(ctx, kafka.ConnConfig{Brokers: []string{b.Addr()}, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	topic := uniqueName(t)
	if err := c.CreateTopic(ctx, kafka.TopicSpec{Name: topic, Partitions: 1, ReplicationFactor: 1}); err != nil {
		t.Fatal(err)
	}
	produce := func(topic string, from, to int) {
		t.Helper()
		for i := from; i < to; i++ {
			if _, err := c.Produce(ctx, kafka.Record{Topic: topic, Partition: 0, Value: fmt.Appendf(nil, "v%d", i)}); err != nil {
				t.Fatalf("produce v%d: %v", i, err)
			}
		}
	}
	start := func(args ...string) (*exec.Cmd, io.ReadCloser, <-chan string) {
		t.Helper()
		cmd := exec.Command(bin, append(args, "-b", b.Addr())...)
		cmd.Env = append(os.Environ(), "HOME="+t.TempDir(), "XDG_CONFIG_HOME="+t.TempDir())
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		stderr, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
		return cmd, stdout, lines(stderr)
	}

	produce(topic, 0, 5)
	cmd, stdout, stderr := start("tail", "-t", topic, "--from", "beginning", "--timeout", "5s")
	out := lines(stdout)
	var got []string
	read := func(n int) {
		t.Helper()
		for len(got) < n {
			select {
			case l := <-out:
				got = append(got, l)
			case <-time.After(outageBound):
				t.Fatalf("stdout %q, want %d records", got, n)
			}
		}
	}
	read(5)
	b.Stop(t)
	stopped := time.Now()
	l := waitLine(t, stderr, "broker unreachable since", outageBound)
	t.Logf("%v after the stop: %s", time.Since(stopped).Round(time.Millisecond), l)
	if !strings.Contains(l, "retrying") || !strings.Contains(l, b.Addr()) {
		t.Errorf("outage line %q: want the address and that kflow retries", l)
	}
	b.Restart(t)
	restarted := time.Now()
	l = waitLine(t, stderr, "broker reachable again", recoverBound)
	t.Logf("%v after the restart: %s", time.Since(restarted).Round(time.Millisecond), l)
	produce(topic, 5, 10)
	read(10)
	for i, v := range got {
		if v != fmt.Sprintf("v%d", i) {
			t.Fatalf("stdout across the outage %q, want v0..v9 once each", got)
		}
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("kflow tail after Ctrl-C: %v", err)
	}
	for l := range out {
		t.Errorf("an extra record after v9: %q", l)
	}

	// --exit with 64 MiB left to fetch: kflow blocks on the unread pipe,
	// holding at most a fetch or two, when the broker stops.
	backlog := topic + "-backlog"
	if err := c.CreateTopic(ctx, kafka.TopicSpec{Name: backlog, Partitions: 1, ReplicationFactor: 1}); err != nil {
		t.Fatal(err)
	}
	value := []byte(strings.Repeat("x", 1023))
	if _, err := c.ProduceStream(ctx, kafka.StreamOptions{Count: 64 << 10}, func(int) (kafka.Record, bool) {
		return kafka.Record{Topic: backlog, Partition: 0, Value: value}, true
	}); err != nil {
		t.Fatal(err)
	}
	cmd, stdout, stderr = start("tail", "-t", backlog, "--from", "beginning", "--exit", "--timeout", "3s")
	first := make([]byte, 1)
	if _, err := io.ReadFull(stdout, first); err != nil {
		t.Fatalf("bounded tail printed nothing: %v", err)
	}
	b.Stop(t)
	stopped = time.Now()
	n, _ := io.Copy(io.Discard, stdout)
	err = cmd.Wait()
	took := time.Since(stopped)
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitRuntime {
		t.Fatalf("kflow tail --exit with the broker gone: %v, want exit 1 (printed %d bytes)", err, n+1)
	}
	if n+1 >= int64(len(value)+1)<<16 {
		t.Fatalf("the tail printed all %d bytes: the broker stopped too late to test anything", n+1)
	}
	var errLines []string
	for l := range stderr {
		errLines = append(errLines, l)
	}
	all := strings.Join(errLines, "\n")
	t.Logf("exit 1 %v after the stop, %d bytes printed; stderr:\n%s", took.Round(time.Millisecond), n+1, all)
	if took > 3*time.Second+outageBound {
		t.Errorf("gave up %v after the stop, want within %v", took, 3*time.Second+outageBound)
	}
	if !strings.Contains(all, "broker unreachable since") || !strings.Contains(all, "giving up") {
		t.Errorf("stderr %q: want the outage and that kflow gave up", all)
	}
}
