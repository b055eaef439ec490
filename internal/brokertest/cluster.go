package brokertest

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Cluster is a running private multi-node KRaft cluster (scripts/kafka/start.sh --brokers N):
// nodes 1..N, each a combined broker and controller, replication factor min(N,3) and
// min.insync.replicas one less by default. Each node's data and ports survive its faults.
type Cluster struct {
	dir     string
	scripts string
	addrs   []string
}

// StartCluster starts an n-node cluster (n >= 2) in a temporary directory and stops it when
// the test ends. It takes ~12 s on the 2-core test machines: share one between subtests.
// Where it cannot start the test fails under CI=true and is skipped elsewhere, as with Start.
func StartCluster(t testing.TB, n int) *Cluster {
	t.Helper()
	if n < 2 {
		t.Fatalf("brokertest: StartCluster(%d): a cluster has at least 2 nodes (Start gives one)", n)
	}
	scripts, err := scriptsDir()
	if err != nil {
		t.Fatalf("brokertest: %v", err)
	}
	c := &Cluster{dir: t.TempDir(), scripts: scripts}
	b := &Broker{dir: c.dir, scripts: scripts}
	start := time.Now()
	if out, err := b.run("start.sh", "--brokers", strconv.Itoa(n), c.dir); err != nil {
		msg := "brokertest: start a private " + strconv.Itoa(n) + "-node Kafka cluster: " + err.Error() + "\n" + out
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg + "\n(outside CI a missing broker skips; scripts/test.sh installs what it needs)")
	}
	t.Logf("brokertest: %d-node cluster started in %v", n, time.Since(start).Round(time.Millisecond))
	t.Cleanup(func() {
		// Hung nodes cannot act on SIGTERM: kill them first, then stop the rest.
		for k := 1; k <= n; k++ {
			if c.hung(k) {
				_, _ = b.run("fault.sh", c.dir, "--node", strconv.Itoa(k), "kill")
			}
		}
		_, _ = b.run("stop.sh", c.dir)
	})
	all, err := readAddr(filepath.Join(c.dir, "env"))
	if err != nil {
		t.Fatalf("brokertest: %v", err)
	}
	c.addrs = strings.Split(all, ",")
	if len(c.addrs) != n {
		t.Fatalf("brokertest: %d addresses in %s/env, want %d", len(c.addrs), c.dir, n)
	}
	return c
}

// Addrs is every node's bootstrap address, node 1 first; the same across restarts.
func (c *Cluster) Addrs() []string { return append([]string(nil), c.addrs...) }

// Addr is node's address (nodes count from 1).
func (c *Cluster) Addr(node int) string { return c.addrs[node-1] }

// Dir is the cluster's directory: node-K/kafka.log and node-K/logs/ explain a failure.
func (c *Cluster) Dir() string { return c.dir }

// Stop shuts node down cleanly and returns once it has exited.
func (c *Cluster) Stop(t testing.TB, node int) { t.Helper(); c.fault(t, node, "stop") }

// Kill crashes node (SIGKILL) and returns once it has exited.
func (c *Cluster) Kill(t testing.TB, node int) { t.Helper(); c.fault(t, node, "kill") }

// Hang freezes node (SIGSTOP): its connections stay open and it answers nothing.
func (c *Cluster) Hang(t testing.TB, node int) { t.Helper(); c.fault(t, node, "hang") }

// Resume lets a hung node run again (SIGCONT).
func (c *Cluster) Resume(t testing.TB, node int) { t.Helper(); c.fault(t, node, "resume") }

// Restart starts a stopped or killed node again on the same data and ports and returns once
// it answers a metadata request naming itself.
func (c *Cluster) Restart(t testing.TB, node int) { t.Helper(); c.fault(t, node, "restart") }

func (c *Cluster) fault(t testing.TB, node int, action string) {
	t.Helper()
	start := time.Now()
	b := &Broker{dir: c.dir, scripts: c.scripts}
	if out, err := b.run("fault.sh", c.dir, "--node", strconv.Itoa(node), action); err != nil {
		t.Fatalf("brokertest: %s node %d at %s: %v\n%s", action, node, c.Addr(node), err, out)
	}
	t.Logf("brokertest: %s node %d (%s) took %v", action, node, c.Addr(node), time.Since(start).Round(time.Millisecond))
}

// hung reports whether node's process is stopped (state T in /proc).
func (c *Cluster) hung(node int) bool {
	pid, err := os.ReadFile(filepath.Join(c.dir, fmt.Sprintf("broker-%d.pid", node)))
	if err != nil {
		return false
	}
	stat, err := os.ReadFile("/proc/" + strings.TrimSpace(string(pid)) + "/stat")
	if err != nil {
		return false
	}
	// pid (comm) STATE ...: the state follows the last ')'.
	s := string(stat)
	i := strings.LastIndexByte(s, ')')
	return i >= 0 && i+2 < len(s) && s[i+2] == 'T'
}

// RestartNodes restarts several stopped or killed nodes at once (a cluster
// that lost its quorum needs more than one back before any answers) and
// returns once each answers a metadata request naming itself.
func (c *Cluster) RestartNodes(t testing.TB, nodes ...int) {
	t.Helper()
	start := time.Now()
	outs, errs := make([]string, len(nodes)), make([]error, len(nodes))
	var wg sync.WaitGroup
	for i, n := range nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := &Broker{dir: c.dir, scripts: c.scripts}
			outs[i], errs[i] = b.run("fault.sh", c.dir, "--node", strconv.Itoa(n), "restart")
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("brokertest: restart node %d at %s: %v\n%s", nodes[i], c.Addr(nodes[i]), err, outs[i])
		}
	}
	t.Logf("brokertest: restart nodes %v took %v", nodes, time.Since(start).Round(time.Millisecond))
}
