package ui

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"

	"kflow/kafka"
	"kflow/kafka/wordcount"
	"kflow/views"
)

// dialLog records the configurations the shell connects with.
type dialLog struct {
	mu  sync.Mutex
	cfg []kafka.ConnConfig
}

// last is the configuration of the last connection; before the log's
// first, the one the shell started with.
func (l *dialLog) last(d *driver) kafka.ConnConfig {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.cfg) == 0 {
		return d.m.connCfg
	}
	return l.cfg[len(l.cfg)-1]
}

// pinnedDriver starts the UI as `kflow --read-only --timeout 3s --context
// ro` would, with a read-write context rw2 to switch to.
func pinnedDriver(t *testing.T, initial kafka.ConnConfig, pins Pinned) (*driver, *dialLog) {
	t.Helper()
	log := &dialLog{}
	d := newDriver(t, Options{
		Conn:         initial,
		Pinned:       pins,
		ContextName:  "ro",
		ContextNames: []string{"ro", "rw2"},
		Context: func(name string) (kafka.ConnConfig, error) {
			return kafka.ConnConfig{Brokers: []string{name + ":9092"}}, nil
		},
	}, 120, 30)
	d.m.deps.Connect = func(ctx context.Context, cfg kafka.ConnConfig) (views.Cluster, func(), error) {
		log.mu.Lock()
		log.cfg = append(log.cfg, cfg)
		log.mu.Unlock()
		return wired{d.fake}, func() {}, nil
	}
	return d, log
}

// wantReadOnly checks that the last connection, the status bar and the
// views all say read-only.
func wantReadOnly(t *testing.T, d *driver, log *dialLog, timeout time.Duration) {
	t.Helper()
	cfg := log.last(d)
	if !cfg.ReadOnly {
		t.Fatalf("connected to %v read-write", cfg.Brokers)
	}
	if timeout > 0 && cfg.Timeout != timeout {
		t.Fatalf("connected to %v with timeout %v, want %v", cfg.Brokers, cfg.Timeout, timeout)
	}
	d.wantScreen("read-only")
	d.keys("p")
	if msg, isErr := d.m.Message(); !isErr || !strings.Contains(msg, "read-only") {
		t.Fatalf("p after reconnecting to %v said %q, want a read-only refusal", cfg.Brokers, msg)
	}
}

// TestReadOnlyFlagHoldsAcrossContextSwitch: --read-only and --timeout
// hold after :context rw2, a context that has neither.
func TestReadOnlyFlagHoldsAcrossContextSwitch(t *testing.T) {
	pins := Pinned{ReadOnly: true, Timeout: 3 * time.Second}
	d, log := pinnedDriver(t, kafka.ConnConfig{ReadOnly: true, Timeout: 3 * time.Second}, pins)
	wantReadOnly(t, d, log, 3*time.Second)
	d.keys(":")
	d.typ("context rw2")
	d.keys("enter")
	d.wantScreen("ctx rw2", "rw2:9092", "● connected")
	wantReadOnly(t, d, log, 3*time.Second)
	d.keys(":")
	d.typ("produce orders")
	d.keys("enter")
	d.wantStack("topics")
}

// TestReadOnlyFlagHoldsOnEditedAddressAndDemo: the connection screen's
// edited address and demo start keep the flags too.
func TestReadOnlyFlagHoldsOnEditedAddressAndDemo(t *testing.T) {
	pins := Pinned{ReadOnly: true, Timeout: 3 * time.Second}
	d, log := pinnedDriver(t, kafka.ConnConfig{ReadOnly: true, Timeout: 3 * time.Second}, pins)
	connect := d.m.deps.Connect
	fail := true
	d.m.deps.Connect = func(ctx context.Context, cfg kafka.ConnConfig) (views.Cluster, func(), error) {
		if fail {
			return nil, nil, errors.New("connection refused")
		}
		return connect(ctx, cfg)
	}
	// A context switch that fails leaves the connection screen, whose
	// address and demo then connect.
	d.keys(":")
	d.typ("context rw2")
	d.keys("enter")
	d.wantScreen("Cannot connect to Kafka")
	fail = false
	d.keys("e")
	for range "rw2:9092" {
		d.keys("backspace")
	}
	d.typ("elsewhere:9093")
	d.keys("enter")
	d.wantScreen("elsewhere:9093", "● connected")
	wantReadOnly(t, d, log, 3*time.Second)

	fail = true
	d.keys(":")
	d.typ("context rw2")
	d.keys("enter")
	fail = false
	d.keys("d")
	d.wantScreen("ctx demo", "● connected")
	wantReadOnly(t, d, log, 3*time.Second)
}

// TestReadOnlyIsNeverLoosened: a session that connected read-only (here
// through a read-only context, no flag) stays read-only after switching
// to a read-write context.
func TestReadOnlyIsNeverLoosened(t *testing.T) {
	d, log := pinnedDriver(t, kafka.ConnConfig{ReadOnly: true}, Pinned{})
	wantReadOnly(t, d, log, 0)
	d.keys(":")
	d.typ("context rw2")
	d.keys("enter")
	d.wantScreen("ctx rw2", "● connected", "read-only")
	wantReadOnly(t, d, log, 0)
}

// writeKeys are the requests that change a cluster.
var writeKeys = map[int16]bool{
	int16(kmsg.Produce): true, int16(kmsg.OffsetCommit): true, int16(kmsg.CreateTopics): true,
	int16(kmsg.DeleteTopics): true, int16(kmsg.DeleteRecords): true, int16(kmsg.InitProducerID): true,
	int16(kmsg.AddPartitionsToTxn): true, int16(kmsg.AddOffsetsToTxn): true, int16(kmsg.EndTxn): true,
	int16(kmsg.TxnOffsetCommit): true, int16(kmsg.CreatePartitions): true, int16(kmsg.DeleteGroups): true,
	int16(kmsg.OffsetDelete): true, int16(kmsg.AlterConfigs): true, int16(kmsg.IncrementalAlterConfigs): true,
	int16(kmsg.CreateACLs): true, int16(kmsg.DeleteACLs): true, int16(kmsg.AlterPartitionAssignments): true,
}

// TestReadOnlyFlagSendsNoWriteAfterContextSwitch drives the real client
// against kfake: after --read-only and :context rw2, no write request
// reaches the cluster, whatever the user tries.
func TestReadOnlyFlagSendsNoWriteAfterContextSwitch(t *testing.T) {
	fake, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.Ports(0), kfake.SeedTopics(1, "orders"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fake.Close)
	var mu sync.Mutex
	var writes []string
	fake.Control(func(req kmsg.Request) (kmsg.Response, error, bool) {
		if name := kmsg.NameForKey(req.Key()); writeKeys[req.Key()] {
			mu.Lock()
			if !slices.Contains(writes, name) {
				writes = append(writes, name)
			}
			mu.Unlock()
		}
		return nil, nil, false // observe only
	})
	addrs := fake.ListenAddrs()
	d := newDriver(t, Options{
		Conn:         kafka.ConnConfig{Brokers: addrs, ReadOnly: true},
		Pinned:       Pinned{ReadOnly: true},
		ContextName:  "rw",
		ContextNames: []string{"rw", "rw2"},
		Context: func(string) (kafka.ConnConfig, error) {
			return kafka.ConnConfig{Brokers: addrs}, nil // a read-write context
		},
	}, 120, 30)
	d.m.deps.Connect = connectKafka
	d.run.Wait = 10 * time.Second
	d.keys(":")
	d.typ("context rw2")
	d.keys("enter")
	d.wantScreen("ctx rw2", "● connected", "read-only")
	d.run.Wait = 0

	// Every way the UI writes: the keys and the palette...
	for _, k := range []string{"p", "c", "d"} {
		d.keys(k)
	}
	d.keys(":")
	d.typ("produce orders")
	d.keys("enter")
	// ...and every writing call of the client the views were given.
	cl, ok := d.m.common.Cluster.(*kafka.Client)
	if !ok {
		t.Fatalf("cluster is %T, want the real client", d.m.common.Cluster)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rec := kafka.Record{Topic: "orders", Value: []byte("must not be written")}
	_, errProduce := cl.Produce(ctx, rec)
	_, errStream := cl.ProduceStream(ctx, kafka.StreamOptions{}, func(i int) (kafka.Record, bool) { return rec, i < 1 })
	for what, err := range map[string]error{
		"produce":        errProduce,
		"produce stream": errStream,
		"create topic":   cl.CreateTopic(ctx, kafka.TopicSpec{Name: "new", Partitions: 1, ReplicationFactor: 1}),
		"delete topic":   cl.DeleteTopic(ctx, "orders"),
		"add partitions": cl.AddPartitions(ctx, "orders", 2),
		"reset offsets":  cl.ApplyReset(ctx, kafka.ResetPlan{Group: "g", Rows: []kafka.ResetRow{{Topic: "orders", Partition: 0, New: 0}}}),
		"delete group":   cl.DeleteGroup(ctx, "g"),
	} {
		if !errors.Is(err, kafka.ErrReadOnly) {
			t.Errorf("%s after :context rw2 gave %v, want %v", what, err, kafka.ErrReadOnly)
		}
	}
	if _, err := wordcount.Run(ctx, cl, wordcount.Options{}); !errors.Is(err, kafka.ErrReadOnly) {
		t.Errorf("word count after :context rw2 gave %v, want %v", err, kafka.ErrReadOnly)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(writes) > 0 {
		t.Fatalf("write requests reached the cluster after --read-only and :context rw2: %v", writes)
	}
}
