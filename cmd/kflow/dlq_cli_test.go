package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// TestDLQOnTheDemo: the demo's DLQ summarised by reason, a dry run's
// plan sends to order_events, a wrong --confirm and --read-only refuse.
func TestDLQOnTheDemo(t *testing.T) {
	isolateConfig(t)
	r := kflow(t, "", nil, "dlq", "summary", "order_events.DLQ", "--demo", "--json")
	if r.code != 0 {
		t.Fatalf("summary: exit %d: %s", r.code, r.stderr)
	}
	var s struct {
		Records int
		Reasons []struct {
			Reason string
			Count  int
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &s); err != nil || s.Records == 0 || len(s.Reasons) == 0 {
		t.Fatalf("summary %q: %v", r.stdout, err)
	}
	r = kflow(t, "", nil, "dlq", "redrive", "order_events.DLQ", "--demo", "--dry-run")
	if r.code != 0 || !strings.Contains(r.stdout, "order_events  ") || !strings.Contains(r.stdout, "retry.count") {
		t.Fatalf("dry run: exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = kflow(t, "", nil, "dlq", "redrive", "order_events.DLQ", "--demo", "--execute", "--confirm", "order_events")
	if r.code != exitUsage || !strings.Contains(r.stderr, "does not match") {
		t.Errorf("wrong --confirm: exit %d: %s", r.code, r.stderr)
	}
	r = kflow(t, "", nil, "dlq", "redrive", "order_events.DLQ", "--demo", "--read-only", "--execute", "--confirm", "order_events.DLQ")
	if r.code != exitRuntime || !strings.Contains(r.stderr, "read-only") {
		t.Errorf("read-only: exit %d: %s", r.code, r.stderr)
	}
	r = kflow(t, "", nil, "dlq", "redrive", "order_events.DLQ", "--demo", "--dry-run", "--execute")
	if r.code != exitUsage {
		t.Errorf("--dry-run --execute: exit %d", r.code)
	}
}

// TestDLQRedriveSIGKILLResumesExactlyOnce: a kflow dlq redrive killed
// with SIGKILL after a few committed batches, then run again, leaves
// every record of the DLQ in the target exactly once.
func TestDLQRedriveSIGKILLResumesExactlyOnce(t *testing.T) {
	brokers := realBrokers(t)
	isolateConfig(t)
	bin := kflowBinary(t)
	src := uniqueName(t)
	dlq := src + ".DLQ"
	for _, tp := range []string{src, dlq} {
		if r := kflow(t, "", nil, "topic", "create", tp, "-p", "2", "-r", "1", "-b", brokers); r.code != 0 {
			t.Fatalf("create %s: %s", tp, r.stderr)
		}
		t.Cleanup(func() { kflow(t, "", nil, "topic", "delete", tp, "--confirm", tp, "-b", brokers) })
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cl, err := kgo.NewClient(kgo.SeedBrokers(strings.Split(brokers, ",")...), kgo.FetchIsolationLevel(kgo.ReadCommitted()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	const n = 40
	var recs []*kgo.Record
	for i := range n {
		recs = append(recs, &kgo.Record{Topic: dlq, Key: fmt.Appendf(nil, "k%d", i), Value: []byte("v"), Headers: []kgo.RecordHeader{
			{Key: "id", Value: fmt.Appendf(nil, "id-%d", i)}, {Key: "original.topic", Value: []byte(src)}, {Key: "error.reason", Value: []byte("boom")}}})
	}
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatal(err)
	}
	args := []string{"dlq", "redrive", dlq, "--execute", "--confirm", dlq, "-b", brokers, "--batch", "2"}
	cmd := exec.Command(bin, append(args, "--rate", "8")...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stderr)
	killed := false
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "batch 3 committed") {
			_ = cmd.Process.Signal(syscall.SIGKILL)
			killed = true
			break
		}
	}
	_ = cmd.Wait()
	if !killed {
		t.Fatal("the first redrive ended before its third batch")
	}
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("second redrive: %v\n%s", err, out)
	}
	for _, l := range strings.Split(string(out), "\n") {
		if g, ok := strings.CutPrefix(l, "progress in group "); ok {
			g, _, _ = strings.Cut(g, ";")
			t.Cleanup(func() { kflow(t, "", nil, "group", "delete", g, "--confirm", g, "-b", brokers) })
		}
	}
	if !strings.Contains(string(out), "done before") {
		t.Errorf("second redrive's plan:\n%s", out)
	}
	cl.AddConsumeTopics(src)
	ids := map[string]int{}
	for total := 0; total < n && ctx.Err() == nil; {
		fs := cl.PollFetches(ctx)
		fs.EachRecord(func(r *kgo.Record) {
			total++
			for _, h := range r.Headers {
				if h.Key == "id" {
					ids[string(h.Value)]++
				}
			}
		})
	}
	// Whatever else arrived would show within a moment.
	pctx, pcancel := context.WithTimeout(ctx, 2*time.Second)
	cl.PollFetches(pctx).EachRecord(func(r *kgo.Record) { ids["extra"]++ })
	pcancel()
	if len(ids) != n {
		t.Logf("second redrive:\n%s", out)
		t.Errorf("target holds %d ids, want %d: %v", len(ids), n, ids)
	}
	for id, k := range ids {
		if k != 1 {
			t.Errorf("%s arrived %d times", id, k)
		}
	}
}
