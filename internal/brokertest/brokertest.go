// Package brokertest gives a test a private real Apache Kafka broker that it may stop, kill,
// hang and restart, so kflow's behaviour during outages is tested against Kafka itself and not
// only kfake. It drives the project's own scripts (scripts/kafka/start.sh, fault.sh, stop.sh);
// the shared broker of KFLOW_TEST_BROKERS is never touched.
//
// A private broker costs a JVM and ~10 s to start: use one only in tests that break it.
package brokertest

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Broker is a running private test broker. Its data and ports survive Stop, Kill and Restart.
type Broker struct {
	dir     string
	scripts string
	addr    string
}

// Start starts a private broker in a temporary directory and stops it when the test ends.
// Where no broker can be started (no Java, no Kafka jars) the test fails under CI=true, where
// the real-broker tests must run, and is skipped elsewhere.
func Start(t testing.TB) *Broker {
	t.Helper()
	scripts, err := scriptsDir()
	if err != nil {
		t.Fatalf("brokertest: %v", err)
	}
	b := &Broker{dir: t.TempDir(), scripts: scripts}
	if out, err := b.run("start.sh", b.dir); err != nil {
		msg := "brokertest: start a private Kafka broker: " + err.Error() + "\n" + out
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg + "\n(outside CI a missing broker skips; scripts/test.sh installs what it needs)")
	}
	t.Cleanup(func() {
		// A hung broker cannot act on SIGTERM: stop.sh would wait out its grace. Kill it.
		_, _ = b.run("fault.sh", b.dir, "kill")
		_, _ = b.run("stop.sh", b.dir)
	})
	b.addr, err = readAddr(filepath.Join(b.dir, "env"))
	if err != nil {
		t.Fatalf("brokertest: %v", err)
	}
	return b
}

// Addr is the broker's bootstrap address (host:port), the same across restarts.
func (b *Broker) Addr() string { return b.addr }

// Dir is the broker's directory: its logs (kafka.log, logs/server.log) help explain a failure.
func (b *Broker) Dir() string { return b.dir }

// Hang freezes the broker (SIGSTOP): connections stay open and nothing answers.
func (b *Broker) Hang(t testing.TB) { t.Helper(); b.fault(t, "hang") }

// Resume lets a hung broker run again (SIGCONT).
func (b *Broker) Resume(t testing.TB) { t.Helper(); b.fault(t, "resume") }

// Stop shuts the broker down cleanly and returns once it has exited.
func (b *Broker) Stop(t testing.TB) { t.Helper(); b.fault(t, "stop") }

// Kill crashes the broker (SIGKILL) and returns once it has exited.
func (b *Broker) Kill(t testing.TB) { t.Helper(); b.fault(t, "kill") }

// Restart starts a stopped or killed broker again on the same data and ports and returns
// once it answers a metadata request.
func (b *Broker) Restart(t testing.TB) { t.Helper(); b.fault(t, "restart") }

func (b *Broker) fault(t testing.TB, action string) {
	t.Helper()
	start := time.Now()
	if out, err := b.run("fault.sh", b.dir, action); err != nil {
		t.Fatalf("brokertest: %s the broker at %s: %v\n%s", action, b.addr, err, out)
	}
	t.Logf("brokertest: %s %s took %v", action, b.addr, time.Since(start).Round(time.Millisecond))
}

func (b *Broker) run(script string, args ...string) (string, error) {
	cmd := exec.Command("bash", append([]string{filepath.Join(b.scripts, script)}, args...)...)
	if os.Getenv("KFLOW_KAFKA_START_TIMEOUT") == "" {
		// A restart recovers its logs on a machine busy with the rest of the suite: give it room.
		cmd.Env = append(os.Environ(), "KFLOW_KAFKA_START_TIMEOUT=120")
	}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// scriptsDir finds scripts/kafka from this source file, so tests in any package can use it.
func scriptsDir() (string, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "", os.ErrNotExist
	}
	dir := filepath.Join(filepath.Dir(file), "..", "..", "scripts", "kafka")
	if _, err := os.Stat(filepath.Join(dir, "fault.sh")); err != nil {
		return "", err
	}
	return dir, nil
}

// readAddr reads KFLOW_TEST_BROKERS from the env file start.sh writes.
func readAddr(envFile string) (string, error) {
	f, err := os.Open(envFile)
	if err != nil {
		return "", err
	}
	defer func() { _ = f.Close() }()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "KFLOW_TEST_BROKERS="); ok {
			return strings.Trim(v, `'"`), nil
		}
	}
	if err := sc.Err(); err != nil {
		return "", err
	}
	return "", &os.PathError{Op: "read KFLOW_TEST_BROKERS", Path: envFile, Err: os.ErrNotExist}
}
