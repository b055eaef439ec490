package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
	// homeAtStart is HOME before any test isolates it (isolateConfig):
	// go build keeps the developer's build and module caches, instead of
	// rebuilding everything from nothing into a temporary home.
	homeAtStart = os.Getenv("HOME")
)

// kflowBinary builds the kflow binary once per test run and returns its
// path, for tests that run it as a user would (tmux, pipes).
func kflowBinary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "kflow-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "kflow")
		cmd := exec.Command("go", "build", "-o", binPath, ".")
		cmd.Env = append(os.Environ(), "HOME="+homeAtStart)
		out, err := cmd.CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// realBrokers returns the real broker's address from KFLOW_TEST_BROKERS
// (scripts/test.sh starts one). Without it the test is skipped, except
// under CI=true, where a missing broker fails.
func realBrokers(t *testing.T) string {
	t.Helper()
	if s := os.Getenv("KFLOW_TEST_BROKERS"); s != "" {
		return s
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("CI=true but KFLOW_TEST_BROKERS is not set: run the tests with scripts/test.sh")
	}
	t.Skip("KFLOW_TEST_BROKERS not set: scripts/test.sh starts a real Kafka for this test")
	return ""
}

// needTool fails under CI when a tool the suite installs is missing, and
// skips elsewhere.
func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is not installed: scripts/install-deps.sh installs it", name)
	}
	t.Skipf("%s not installed (scripts/install-deps.sh installs it)", name)
	return ""
}

// result is what one in-process run of kflow did.
type result struct {
	code           int
	stdout, stderr string
}

// kflow runs the command in-process with the given stdin and environment.
func kflow(t *testing.T, stdin string, environ map[string]string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	e := env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(k string) string {
		if v, ok := environ[k]; ok {
			return v
		}
		if k == "XDG_CONFIG_HOME" || k == "HOME" {
			return "" // never the developer's own config
		}
		return os.Getenv(k)
	}}
	code := run(ctx, args, e)
	return result{code, out.String(), errb.String()}
}

// isolateConfig points the config lookups at an empty directory, so a
// developer's own ~/.config/kflow or ~/.kaf never leaks into a test.
func isolateConfig(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv("HOME", dir)
}

func uniqueName(t *testing.T) string {
	return fmt.Sprintf("kflow-cli-%s-%d", strings.ReplaceAll(t.Name(), "/", "-"), time.Now().UnixNano())
}
