package main

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"kflow/internal/brokertest"
	"kflow/kafka"
	"kflow/themes"
	"kflow/views"
	"kflow/views/viewstest"
)

// brokersModel is the brokers view over the real client, driven synchronously.
type brokersModel struct {
	v *views.Brokers
	r *viewstest.Runner
}

func newBrokersModel(t *testing.T, ctx context.Context, c *kafka.Client) *brokersModel {
	th, err := themes.Load("", "", true)
	if err != nil {
		t.Fatal(err)
	}
	v := views.NewBrokers(&views.Common{Ctx: ctx, Theme: th, Cluster: c, Now: time.Now, Timeout: 10 * time.Second})
	v.SetSize(120, 12)
	m := &brokersModel{v: v}
	m.r = &viewstest.Runner{Update: func(msg tea.Msg) tea.Cmd { _, cmd := v.Update(msg); return cmd }, Wait: 15 * time.Second}
	m.r.Do(v.Init())
	return m
}

// row refreshes the view once and returns node's line of it.
func (m *brokersModel) row(node int) (line, screen string) {
	m.r.Keys("r")
	screen = ansi.Strip(m.v.View())
	for _, l := range strings.Split(screen, "\n") {
		// A row starts with the ID and the address (or a dash); the summary line "3 brokers" does not.
		if f := strings.Fields(l); len(f) > 1 && f[0] == strconv.Itoa(node) && (strings.Contains(f[1], ":") || f[1] == "–") {
			return l, screen
		}
	}
	return "", screen
}

// failoverBound is how long the cluster may take to notice a dead or hung node (the test
// cluster's broker session and replica lag timeouts are 6 s) and to heal after its restart.
const failoverBound = 60 * time.Second

// poll calls cond until it holds, failing after d with what cond said last.
func poll(t *testing.T, d time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(d)
	last := ""
	for time.Now().Before(deadline) {
		ok, why := cond()
		if ok {
			return
		}
		last = why
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("%s: not within %v; last: %s", what, d, last)
}

// seqRun produces values "seq-N" (N = 0, 1, ...) one at a time, acks=all and idempotent
// (the client's defaults), until stop is closed, and records which N were acknowledged and
// which failed with what error.
type seqRun struct {
	mu     sync.Mutex
	acked  []int
	failed map[int]string
	done   chan struct{}
}

func startSeqRun(ctx context.Context, c *kafka.Client, topic string, stop <-chan struct{}) *seqRun {
	r := &seqRun{failed: map[int]string{}, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		for n := 0; ; n++ {
			select {
			case <-stop:
				return
			default:
			}
			pctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			_, err := c.Produce(pctx, kafka.Record{Topic: topic, Partition: -1, Key: []byte(strconv.Itoa(n)), Value: []byte("seq-" + strconv.Itoa(n))})
			cancel()
			r.mu.Lock()
			if err != nil {
				r.failed[n] = err.Error()
			} else {
				r.acked = append(r.acked, n)
			}
			r.mu.Unlock()
			time.Sleep(5 * time.Millisecond) // pacing, not synchronisation: ~200 records/s
		}
	}()
	return r
}

// TestClusterReplicationHealth runs a real 3-node cluster (RF 3, min ISR 2) and, for a
// killed node and then a hung one: the client marks the partitions it led under-replicated
// (and an RF-1 partition on it offline), kflow topics --unhealthy lists them and --fail-on
// exits 3, the broker is no longer alive, and every mark clears after it returns; a tail reads
// on through the failover with every acknowledged record exactly once, and the acks=all
// produce run either succeeds or names the records that failed.
func TestClusterReplicationHealth(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: starts a 3-node cluster")
	}
	isolateConfig(t)
	cl := brokertest.StartCluster(t, 3)
	addrs := strings.Join(cl.Addrs(), ",")
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	c, err := kafka.Connect(ctx, kafka.ConnConfig{Brokers: cl.Addrs(), Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	topic := uniqueName(t)
	single := topic + "-rf1"
	if err := c.CreateTopic(ctx, kafka.TopicSpec{Name: topic, Partitions: 3}); err != nil {
		t.Fatal(err)
	}
	if err := c.CreateTopic(ctx, kafka.TopicSpec{Name: single, Partitions: 3, ReplicationFactor: 1,
		// One replica under the cluster's min ISR 2 would be under-min-isr from the start.
		Configs: map[string]string{"min.insync.replicas": "1"}}); err != nil {
		t.Fatal(err)
	}
	healthy := func() (bool, string) {
		for _, name := range []string{topic, single} {
			d, err := c.DescribeTopic(ctx, name)
			if err != nil {
				return false, err.Error()
			}
			for _, p := range d.Partitions {
				if p.Health != kafka.HealthOK {
					return false, fmt.Sprintf("%s/%d %s (isr %v of %v)", name, p.Partition, p.Health, p.ISR, p.Replicas)
				}
			}
		}
		h, err := c.BrokersHealth(ctx)
		if err != nil {
			return false, err.Error()
		}
		for _, b := range h.Health {
			if b.State != kafka.BrokerAlive {
				return false, fmt.Sprintf("broker %d %s", b.ID, b.State)
			}
		}
		return len(h.Health) == 3, fmt.Sprintf("%d brokers", len(h.Health))
	}
	poll(t, failoverBound, "the fresh cluster healthy", healthy)
	d, err := c.DescribeTopic(ctx, topic)
	if err != nil {
		t.Fatal(err)
	}
	if d.MinISR != 2 || d.ReplicationFactor != 3 {
		t.Fatalf("topic %s: RF %d min ISR %d, want the cluster defaults 3 and 2", topic, d.ReplicationFactor, d.MinISR)
	}

	tail, err := c.Tail(ctx, kafka.TailOptions{Topic: topic, Start: kafka.Start{Kind: kafka.StartBeginning}}, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	defer tail.Close()
	stop := make(chan struct{})
	run := startSeqRun(ctx, c, topic, stop)

	fault := func(t *testing.T, node int, breakIt, heal func()) {
		d, err := c.DescribeTopic(ctx, topic)
		if err != nil {
			t.Fatal(err)
		}
		var led []int32
		for _, p := range d.Partitions {
			if p.Leader == int32(node) {
				led = append(led, p.Partition)
			}
		}
		sd, err := c.DescribeTopic(ctx, single)
		if err != nil {
			t.Fatal(err)
		}
		onNode := int32(-1)
		for _, p := range sd.Partitions {
			if slices.Equal(p.Replicas, []int32{int32(node)}) {
				onNode = p.Partition
			}
		}
		t.Logf("node %d leads %v of %s; %s/%d lives on it alone", node, led, topic, single, onNode)
		model := newBrokersModel(t, ctx, c)
		if line, screen := model.row(node); !strings.Contains(line, "alive") && !strings.Contains(line, "controller") {
			t.Fatalf("brokers view before the fault: node %d not alive:\n%s", node, screen)
		}
		breakIt()
		poll(t, failoverBound, fmt.Sprintf("node %d's partitions under-replicated", node), func() (bool, string) {
			d, err := c.DescribeTopic(ctx, topic)
			if err != nil {
				return false, err.Error()
			}
			for _, p := range d.Partitions {
				if p.Health != kafka.HealthUnderReplicated || p.Leader == int32(node) || slices.Contains(p.ISR, int32(node)) {
					return false, fmt.Sprintf("%d: leader %d isr %v %s", p.Partition, p.Leader, p.ISR, p.Health)
				}
			}
			return true, ""
		})
		if onNode >= 0 {
			poll(t, failoverBound, "the RF-1 partition offline", func() (bool, string) {
				sd, err := c.DescribeTopic(ctx, single)
				if err != nil {
					return false, err.Error()
				}
				p := sd.Partitions[onNode]
				return p.Health == kafka.HealthOffline, p.Health
			})
		}
		poll(t, failoverBound, fmt.Sprintf("broker %d not alive", node), func() (bool, string) {
			h, err := c.BrokersHealth(ctx)
			if err != nil {
				return false, err.Error()
			}
			for _, b := range h.Health {
				if b.ID == int32(node) {
					if b.State == kafka.BrokerAlive || b.Leaders != 0 {
						return false, fmt.Sprintf("%s, leads %d", b.State, b.Leaders)
					}
					// The client says so: the view's next refresh must mark it.
					line, screen := model.row(node)
					if !strings.Contains(line, "✗") {
						t.Fatalf("the client reports node %d %s but a refresh of the brokers view shows:\n%s", node, b.State, screen)
					}
					t.Logf("brokers view:\n%s", screen)
					return true, ""
				}
			}
			return false, fmt.Sprintf("broker %d not listed at all: %+v", node, h.Health)
		})
		env := map[string]string{"KFLOW_BROKERS": addrs}
		r := kflow(t, "", env, "topics", "--unhealthy", "--fail-on", "under-replicated")
		if r.code != exitThreshold || !strings.Contains(r.stdout, topic+" ") || !strings.Contains(r.stdout, "3 under-replicated") {
			t.Fatalf("topics --unhealthy --fail-on under-replicated: exit %d, want 3 listing %s with 3 under-replicated\nstdout:\n%s\nstderr:\n%s", r.code, topic, r.stdout, r.stderr)
		}
		if onNode >= 0 {
			r = kflow(t, "", env, "topic", "describe", single, "--fail-on", "offline")
			if r.code != exitThreshold || !strings.Contains(r.stdout, "offline") {
				t.Fatalf("topic describe %s --fail-on offline: exit %d, want 3\nstdout:\n%s\nstderr:\n%s", single, r.code, r.stdout, r.stderr)
			}
		}
		r = kflow(t, "", env, "brokers")
		if r.code != 0 || strings.Count(r.stdout, " alive ") != 2 {
			t.Fatalf("brokers: exit %d, want two alive brokers and node %d marked\n%s%s", r.code, node, r.stdout, r.stderr)
		}
		t.Logf("kflow brokers with node %d down:\n%s", node, r.stdout)
		heal()
		poll(t, failoverBound, fmt.Sprintf("marks clear after node %d returns", node), healthy)
		if line, screen := model.row(node); strings.Contains(line, "✗") {
			t.Fatalf("brokers view after node %d returned still marks it:\n%s", node, screen)
		}
		r = kflow(t, "", env, "topics", "--unhealthy", "--fail-on", "under-replicated")
		if r.code != 0 {
			t.Fatalf("topics --unhealthy --fail-on under-replicated on a healed cluster: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
	}
	t.Run("kill", func(t *testing.T) {
		fault(t, 2, func() { cl.Kill(t, 2) }, func() { cl.Restart(t, 2) })
	})
	t.Run("hang", func(t *testing.T) {
		fault(t, 3, func() { cl.Hang(t, 3) }, func() { cl.Resume(t, 3) })
	})

	close(stop)
	<-run.done
	run.mu.Lock()
	acked, failed := append([]int(nil), run.acked...), run.failed
	run.mu.Unlock()
	if len(acked) < 100 {
		t.Fatalf("only %d records acknowledged during the run (%d failed)", len(acked), len(failed))
	}
	for n, why := range failed {
		t.Logf("produce of seq-%d failed, reported: %s", n, why)
	}
	want := map[int]bool{}
	for _, n := range acked {
		want[n] = true
	}
	seen := map[int]int{}
	var recs []kafka.Record
	var seq uint64
	poll(t, failoverBound, "the tail reads every acknowledged record", func() (bool, string) {
		recs, seq = tail.Ring().Since(seq, recs[:0])
		for _, r := range recs {
			n, err := strconv.Atoi(strings.TrimPrefix(string(r.Value), "seq-"))
			if err != nil {
				t.Fatalf("record %q at %d/%d is not a seq-N", r.Value, r.Partition, r.Offset)
			}
			seen[n]++
		}
		missing := 0
		for n := range want {
			if seen[n] == 0 {
				missing++
			}
		}
		return missing == 0, fmt.Sprintf("%d of %d acknowledged records not read", missing, len(want))
	})
	for n, k := range seen {
		if k > 1 {
			t.Errorf("seq-%d read %d times: duplicated", n, k)
		}
		if !want[n] {
			if _, ok := failed[n]; !ok {
				t.Errorf("seq-%d read but never produced", n)
			}
		}
	}
	t.Logf("%d acknowledged, %d failed (reported), %d read, none twice", len(acked), len(failed), len(seen))
}
