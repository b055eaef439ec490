package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
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
	"kflow/kafka/wordcount"
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

func startSeqRun(ctx context.Context, c *kafka.Client, topic string, stop <-chan struct{}, from int) *seqRun {
	r := &seqRun{failed: map[int]string{}, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		for n := from; ; n++ {
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

	// The real binary in tmux: the topics view and the brokers view.
	tuiTopics := startTUI(t, 200, 30, "-b", addrs)
	tuiBrokers := startTUI(t, 200, 16, "-b", addrs)
	tuiTopics.waitFor(failoverBound, topic+" ", "● connected")
	tuiBrokers.waitFor(failoverBound, "● connected")
	tuiBrokers.text(":brokers")
	tuiBrokers.keys("Enter")
	tuiBrokers.waitFor(failoverBound, "controller")

	tail, err := c.Tail(ctx, kafka.TailOptions{Topic: topic, Start: kafka.Start{Kind: kafka.StartBeginning}}, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	defer tail.Close()
	stop := make(chan struct{})
	run := startSeqRun(ctx, c, topic, stop, 0)
	// The word count engine counts the same records: "seq-N" is the words
	// "seq" and N, so exact counts are "seq" once per record and every N once.
	wcOut := topic + "-wc-out"
	eng, err := wordcount.Run(ctx, c, wordcount.Options{App: topic + "-wc", Input: topic, Output: wcOut, Partitions: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = eng.Close() }()

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
		if node == 2 {
			// The TUI marks it too, within its refresh: the topic's HEALTH
			// column, the status bar's count and the brokers view's row.
			tuiTopics.t, tuiBrokers.t = t, t
			scr := tuiTopics.waitUntil(failoverBound, "the topic marked under-rep", func(s string) bool {
				return strings.Contains(row(s, topic), "3 under-rep") && strings.Contains(s, "under-replicated")
			})
			t.Logf("TUI topics view, node %d killed:\n%s", node, scr)
			scr = tuiBrokers.waitUntil(failoverBound, "the brokers view marking node 2", func(s string) bool {
				return strings.Contains(row(s, "2"), "✗")
			})
			t.Logf("TUI brokers view, node %d killed:\n%s", node, scr)
		}
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
		if node == 2 {
			tuiTopics.waitUntil(failoverBound, "the topic's mark cleared", func(s string) bool {
				l := row(s, topic)
				return strings.HasSuffix(strings.TrimSpace(l), " ok") && !strings.Contains(s, "under-replicated")
			})
			tuiBrokers.waitUntil(failoverBound, "node 2 alive again in the brokers view", func(s string) bool {
				l := row(s, "2")
				return l != "" && !strings.Contains(l, "✗")
			})
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

	t.Run("elect", func(t *testing.T) { electAfterRestart(t, ctx, c, addrs, topic) })
	t.Run("reassign", func(t *testing.T) { reassignBetweenBrokers(t, ctx, c, addrs, single) })
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

	// The engine went on through every fault on the new leaders: its
	// counts are exactly the records the tail read.
	counts := map[string]int64{"seq": int64(len(seen))}
	for n := range seen {
		counts[strconv.Itoa(n)] = 1
	}
	if err := eng.Err(); err != nil {
		t.Fatalf("word count engine stopped: %v", err)
	}
	waitExactCounts(t, c, wcOut, counts)
	t.Logf("word count: %d words exact, stats %+v", len(counts), eng.Stats())
	_ = eng.Close() // the two-down case below proves the produce run's reports, not the engine

	// Two of three down: the partitions cannot reach min ISR 2 (nor the
	// quorum elect anyone), so acks=all records fail, each reported with
	// its number, until they return; none acknowledged is lost, none is
	// read twice. A second run numbers on from the first's records.
	stop2 := make(chan struct{})
	run = startSeqRun(ctx, c, topic, stop2, 1_000_000)
	t.Run("two-down", func(t *testing.T) {
		before := 0
		poll(t, failoverBound, "the second produce run acknowledged", func() (bool, string) {
			run.mu.Lock()
			defer run.mu.Unlock()
			return len(run.acked) > 0, fmt.Sprintf("%d acknowledged, %d failed", len(run.acked), len(run.failed))
		})
		cl.Kill(t, 2)
		cl.Kill(t, 3)
		poll(t, failoverBound, "the produce run to report a failed record", func() (bool, string) {
			run.mu.Lock()
			defer run.mu.Unlock()
			return len(run.failed) > before, fmt.Sprintf("%d failed, %d acknowledged", len(run.failed), len(run.acked))
		})
		cl.RestartNodes(t, 2, 3)
		poll(t, failoverBound, "the cluster healthy after both return", healthy)
		poll(t, failoverBound, "the produce run acknowledged again", func() (bool, string) {
			run.mu.Lock()
			defer run.mu.Unlock()
			last := slices.Max(run.acked)
			for n := range run.failed {
				if n > last {
					return false, fmt.Sprintf("last acknowledged seq-%d before failed seq-%d", last, n)
				}
			}
			return true, ""
		})
		close(stop2)
		<-run.done
		run.mu.Lock()
		acked2, failed2 := append([]int(nil), run.acked...), run.failed
		run.mu.Unlock()
		for n, why := range failed2 {
			t.Logf("with two nodes down, seq-%d reported failed: %s", n, why)
		}
		if len(failed2) == 0 {
			t.Fatal("no record failed while two of three nodes were down: the two-down case proved nothing")
		}
		seen2 := map[int]int{}
		poll(t, failoverBound, "the tail reads every record acknowledged in the second run", func() (bool, string) {
			recs, seq = tail.Ring().Since(seq, recs[:0])
			for _, r := range recs {
				if n, err := strconv.Atoi(strings.TrimPrefix(string(r.Value), "seq-")); err == nil && n >= 1_000_000 {
					seen2[n]++
				}
			}
			missing := 0
			for _, n := range acked2 {
				if seen2[n] == 0 {
					missing++
				}
			}
			return missing == 0, fmt.Sprintf("%d of %d acknowledged records not read", missing, len(acked2))
		})
		for n, k := range seen2 {
			if k > 1 {
				t.Errorf("seq-%d read %d times: duplicated", n, k)
			}
			if _, ok := failed2[n]; !ok && !slices.Contains(acked2, n) {
				t.Errorf("seq-%d read but never produced", n)
			}
		}
		t.Logf("second run: %d acknowledged, %d failed (reported), %d read, none twice", len(acked2), len(failed2), len(seen2))
	})
}

// waitExactCounts reads a word count output (read committed, the last
// count of a word wins) until it equals want; a doubled count never comes
// back down, so it times out and says which words differ.
func waitExactCounts(t *testing.T, c *kafka.Client, output string, want map[string]int64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), failoverBound)
	defer cancel()
	cs, err := c.Consume(ctx, kafka.TailOptions{Topic: output, Start: kafka.Start{Kind: kafka.StartBeginning}, MaxBytes: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	got := map[string]int64{}
	for {
		wrong := 0
		var sample []string
		for w, n := range want {
			if got[w] != n {
				wrong++
				if len(sample) < 5 {
					sample = append(sample, fmt.Sprintf("%s=%d (want %d)", w, got[w], n))
				}
			}
		}
		for w, n := range got {
			if _, ok := want[w]; !ok {
				wrong++
				sample = append(sample, fmt.Sprintf("%s=%d (no such record)", w, n))
			}
		}
		if wrong == 0 {
			return
		}
		recs, err := cs.Poll(ctx)
		if err != nil {
			if errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("word count output %s: %d words wrong after %v, e.g. %v", output, wrong, failoverBound, sample)
			}
			t.Fatal(err)
		}
		for _, r := range recs {
			n, err := wordcount.DecodeCount(r.Value)
			if err != nil {
				t.Fatalf("output record %q=%x: %v", r.Key, r.Value, err)
			}
			got[string(r.Key)] = n
		}
	}
}

// electAfterRestart: the killed and the hung node came back as followers
// of everything they led; kflow topic elect-leaders plans their partitions
// back (current → preferred) and --execute elects them, after which every
// partition is led by its preferred replica.
func electAfterRestart(t *testing.T, ctx context.Context, c *kafka.Client, addrs, topic string) {
	env := map[string]string{"KFLOW_BROKERS": addrs}
	plan, err := c.PreferredElectionPlan(ctx, kafka.ElectionTarget{Topics: []string{topic}})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan) == 0 {
		t.Fatalf("after a restart and a resume, every partition of %s is already on its preferred leader: nothing to prove", topic)
	}
	r := kflow(t, "", env, "topic", "elect-leaders", topic)
	if r.code != 0 || !strings.Contains(r.stdout, fmt.Sprintf("→ %d", plan[0].Preferred)) {
		t.Fatalf("elect-leaders dry run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	t.Logf("elect-leaders plan:\n%s", r.stdout)
	r = kflow(t, "", env, "topic", "elect-leaders", topic, "--execute", "--confirm", topic)
	if r.code != 0 || strings.Count(r.stdout, kafka.ElectElected) != len(plan) {
		t.Fatalf("elect-leaders --execute: exit %d, want %d elected\n%s%s", r.code, len(plan), r.stdout, r.stderr)
	}
	t.Logf("elect-leaders --execute:\n%s", r.stdout)
	poll(t, failoverBound, "every leader the preferred replica", func() (bool, string) {
		d, err := c.DescribeTopic(ctx, topic)
		if err != nil {
			return false, err.Error()
		}
		for _, p := range d.Partitions {
			if p.Leader != p.Replicas[0] {
				return false, fmt.Sprintf("%d led by %d, preferred %d", p.Partition, p.Leader, p.Replicas[0])
			}
		}
		return true, ""
	})
}

// reassignBetweenBrokers moves partition 0 of the RF-1 topic to another
// broker with a plan file and a throttle, follows it with --status until
// done (which removes the throttle), and sees the new replica in describe
// and the partitions view; then starts a move of partition 1 throttled to
// a crawl, sees it in progress and cancels it.
func reassignBetweenBrokers(t *testing.T, ctx context.Context, c *kafka.Client, addrs, topic string) {
	env := map[string]string{"KFLOW_BROKERS": addrs}
	d, err := c.DescribeTopic(ctx, topic)
	if err != nil {
		t.Fatal(err)
	}
	// Random values: compression must not shrink what there is to copy.
	rng := rand.New(rand.NewPCG(1, 2))
	fill := func(p int32, n int) {
		if _, err := c.ProduceStream(ctx, kafka.StreamOptions{Count: n}, func(int) (kafka.Record, bool) {
			value := make([]byte, 1000)
			for i := range value {
				value[i] = byte(rng.Uint32())
			}
			return kafka.Record{Topic: topic, Partition: p, Value: value}, true
		}); err != nil {
			t.Fatal(err)
		}
	}
	fill(0, 300)
	from := d.Partitions[0].Replicas[0]
	to := from%3 + 1
	plan := filepath.Join(t.TempDir(), "plan.json")
	if err := os.WriteFile(plan, []byte(fmt.Sprintf(`{"version":1,"partitions":[{"topic":%q,"partition":0,"replicas":[%d],"log_dirs":["any"]}]}`, topic, to)), 0o644); err != nil {
		t.Fatal(err)
	}
	r := kflow(t, "", env, "topic", "reassign", topic, "--plan", plan, "--throttle", "10MiB/s")
	if r.code != 0 || !strings.Contains(r.stdout, fmt.Sprintf("[%d]\t→ [%d]", from, to)) && !strings.Contains(r.stdout, fmt.Sprintf("→ [%d]", to)) || strings.Contains(r.stdout, " 0 B") {
		t.Fatalf("reassign dry run: exit %d, want [%d] → [%d] with bytes to copy\n%s%s", r.code, from, to, r.stdout, r.stderr)
	}
	t.Logf("reassign plan:\n%s", r.stdout)
	if r := kflow(t, "", env, "--read-only", "topic", "reassign", topic, "--plan", plan, "--execute", "--confirm", topic); r.code != exitRuntime || !strings.Contains(r.stderr, "read-only") {
		t.Fatalf("reassign --execute under --read-only: exit %d\n%s", r.code, r.stderr)
	}
	r = kflow(t, "", env, "topic", "reassign", topic, "--plan", plan, "--throttle", "10MiB/s", "--execute", "--confirm", topic)
	if r.code != 0 || !strings.Contains(r.stdout, kafka.ReassignStarted) {
		t.Fatalf("reassign --execute: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	poll(t, failoverBound, "the reassignment done and its throttle removed", func() (bool, string) {
		r := kflow(t, "", env, "topic", "reassign", "--status", topic)
		return r.code == 0 && strings.Contains(r.stdout, "no reassignment in progress") && strings.Contains(r.stderr, "throttle removed"), r.stdout + r.stderr
	})
	// The controller has ended the move; the broker answering the
	// describe learns it from the metadata log a moment later.
	poll(t, failoverBound, fmt.Sprintf("partition 0 on broker %d alone with its 300 records", to), func() (bool, string) {
		d, err = c.DescribeTopic(ctx, topic)
		if err != nil {
			return false, err.Error()
		}
		p := d.Partitions[0]
		return slices.Equal(p.Replicas, []int32{to}) && p.Records() == 300, fmt.Sprintf("%+v", p)
	})
	view := newPartitionsModel(t, ctx, c, topic)
	if row := view.row(0); !strings.Contains(row, fmt.Sprintf(" %d ", to)) {
		t.Fatalf("partitions view after the move, row 0 lacks replica %d:\n%s", to, view.screen())
	}
	// A broker describes configs from its metadata, a moment behind the controller.
	poll(t, failoverBound, "the throttle gone from the topic", func() (bool, string) {
		cfgs, err := c.TopicConfigs(ctx, topic)
		if err != nil {
			return false, err.Error()
		}
		for _, e := range cfgs {
			if strings.Contains(e.Name, "throttled.replicas") && e.Value != "" {
				return false, e.Name + "=" + e.Value
			}
		}
		return true, ""
	})

	// A second replica for partition 1, throttled to 10 kB/s over 3 MB of
	// random bytes:
	// it stays in progress until cancelled.
	fill(1, 3000)
	cur := d.Partitions[1].Replicas[0]
	add := cur%3 + 1
	r = kflow(t, "", env, "topic", "reassign", topic, "--plan", writePlan(t, topic, 1, cur, add), "--throttle", "10kB/s", "--execute", "--confirm", topic)
	if r.code != 0 {
		t.Fatalf("reassign partition 1: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	poll(t, failoverBound, "the slow reassignment listed in progress", func() (bool, string) {
		r := kflow(t, "", env, "topic", "reassign", "--status", topic)
		return strings.Contains(r.stdout, fmt.Sprintf("[%d]", add)) && strings.Contains(r.stdout, "0/1"), r.stdout + r.stderr
	})
	view.refresh()
	if row := view.row(1); !strings.Contains(row, fmt.Sprintf("+%d", add)) {
		t.Errorf("partitions view during the move, row 1 does not show replica %d being added:\n%s", add, view.screen())
	}
	r = kflow(t, "", env, "topic", "reassign", "--cancel", topic, "--confirm", topic)
	if r.code != 0 || !strings.Contains(r.stdout, kafka.ReassignCancelled) {
		t.Fatalf("reassign --cancel: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	poll(t, failoverBound, "partition 1 back on its one replica", func() (bool, string) {
		d, err := c.DescribeTopic(ctx, topic)
		if err != nil {
			return false, err.Error()
		}
		rs, err := c.ListReassignments(ctx, topic)
		return err == nil && len(rs) == 0 && slices.Equal(d.Partitions[1].Replicas, []int32{cur}), fmt.Sprintf("replicas %v, in progress %v", d.Partitions[1].Replicas, rs)
	})
}

func writePlan(t *testing.T, topic string, p int32, replicas ...int32) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "plan.json")
	if err := os.WriteFile(f, kafka.ReassignJSON([]kafka.ReplicaMove{{Topic: topic, Partition: p, Target: replicas}}, false), 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

// partitionsModel is the partitions view over the real client, driven synchronously.
type partitionsModel struct {
	v *views.Partitions
	r *viewstest.Runner
}

func newPartitionsModel(t *testing.T, ctx context.Context, c *kafka.Client, topic string) *partitionsModel {
	th, err := themes.Load("", "", true)
	if err != nil {
		t.Fatal(err)
	}
	v := views.NewPartitions(&views.Common{Ctx: ctx, Theme: th, Cluster: c, Now: time.Now, Timeout: 10 * time.Second}, topic)
	v.SetSize(140, 12)
	m := &partitionsModel{v: v}
	m.r = &viewstest.Runner{Update: func(msg tea.Msg) tea.Cmd { _, cmd := v.Update(msg); return cmd }, Wait: 15 * time.Second}
	m.r.Do(v.Init())
	return m
}

func (m *partitionsModel) refresh()       { m.r.Keys("r") }
func (m *partitionsModel) screen() string { return ansi.Strip(m.v.View()) }

// row is partition p's line.
func (m *partitionsModel) row(p int) string {
	for _, l := range strings.Split(m.screen(), "\n") {
		if f := strings.Fields(l); len(f) > 2 && f[0] == strconv.Itoa(p) {
			return l
		}
	}
	return ""
}
