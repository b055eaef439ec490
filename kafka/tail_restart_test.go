package kafka

import (
	"fmt"
	"net"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
)

// TestTailSurvivesBrokerRestart stops the cluster in the middle of a tail
// and starts it again on the same address with the same data: the tail
// resumes at the next offset, with no record twice and none skipped.
func TestTailSurvivesBrokerRestart(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	_ = l.Close()
	dir := t.TempDir()
	start := func() *kfake.Cluster {
		c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.Ports(port), kfake.DataDir(dir))
		if err != nil {
			t.Fatalf("start kfake on port %d: %v", port, err)
		}
		return c
	}
	fake := start()
	c := connect(t, backend{name: "kfake", brokers: fake.ListenAddrs()})
	ctx := testCtx(t)
	mustCreate(t, c, "restart", 2, nil)
	produce := func(from, to int) {
		t.Helper()
		for i := from; i < to; i++ {
			if _, err := c.Produce(ctx, Record{Topic: "restart", Partition: int32(i % 2), Value: []byte(strconv.Itoa(i))}); err != nil {
				t.Fatalf("produce %d: %v", i, err)
			}
		}
	}
	produce(0, 50)
	tail, err := c.Tail(ctx, TailOptions{Topic: "restart", Start: Start{Kind: StartBeginning}}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	defer tail.Close()
	eventually(t, 20*time.Second, "the first 50 records", func() bool { return tail.Ring().Stats().Received == 50 })

	fake.Close()
	fake = start()
	defer fake.Close()
	produce(50, 100)
	eventually(t, 60*time.Second, "all 100 records after the restart", func() bool { return tail.Ring().Stats().Received >= 100 })

	recs := tail.Ring().Snapshot(nil)
	if len(recs) != 100 {
		t.Fatalf("%d records held, want 100", len(recs))
	}
	var values []int
	next := map[int32]int64{}
	for _, r := range recs {
		if r.Offset != next[r.Partition] {
			t.Fatalf("partition %d: offset %d after %d (a record twice or skipped)", r.Partition, r.Offset, next[r.Partition]-1)
		}
		next[r.Partition]++
		v, _ := strconv.Atoi(string(r.Value))
		values = append(values, v)
	}
	sort.Ints(values)
	for i, v := range values {
		if v != i {
			t.Fatalf("values %v: want 0..99 once each", fmt.Sprint(values[max(0, i-2):min(len(values), i+3)]))
		}
	}
}
