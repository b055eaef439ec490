package demo

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"math"
	"net"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"kflow/internal/kafkatest"
	"kflow/kafka"
)

// testDemoRate is fast enough that lag trends show within a second or two.
const testDemoRate = 50

// startTestDemo starts a demo on an ephemeral port and connects a kflow
// client to it, closing both when the test ends.
func startTestDemo(t *testing.T) (*Cluster, *kafka.Client) {
	t.Helper()
	d, err := Start(kafkatest.Ctx(t), Options{Listen: "127.0.0.1:0", Rate: testDemoRate, Logf: t.Logf})
	if err != nil {
		t.Fatalf("start demo: %v", err)
	}
	t.Cleanup(d.Close)
	return d, kafkatest.Connect(t, kafkatest.Backend{Name: "demo", Brokers: []string{d.Addr()}})
}

// demoReadAll reads a topic from the beginning to the end offsets it has now.
func demoReadAll(t *testing.T, c *kafka.Client, topic string) []kafka.Record {
	t.Helper()
	ctx := kafkatest.Ctx(t)
	cs, err := c.Consume(ctx, kafka.TailOptions{Topic: topic, Start: kafka.Start{Kind: kafka.StartBeginning}, StopAtEnd: true})
	if err != nil {
		t.Fatalf("consume %q: %v", topic, err)
	}
	defer cs.Close()
	var out []kafka.Record
	for {
		recs, err := cs.Poll(ctx)
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("poll %q: %v", topic, err)
		}
		out = append(out, recs...)
	}
}

func demoHeader(r kafka.Record, key string) (string, bool) {
	for _, h := range r.Headers {
		if h.Key == key {
			return string(h.Value), true
		}
	}
	return "", false
}

func TestDemoCreatesTopics(t *testing.T) {
	_, c := startTestDemo(t)
	ctx := kafkatest.Ctx(t)
	ts, err := c.ListTopics(ctx)
	if err != nil {
		t.Fatalf("list topics: %v", err)
	}
	got := map[string]kafka.TopicSummary{}
	for _, s := range ts {
		got[s.Name] = s
	}
	for name, parts := range map[string]int{OrdersTopic: 3, DLQTopic: 1, TextInputTopic: 1, WordCountTopic: 1, AvroOrdersTopic: 3, PaymentsTopic: 3} {
		s, ok := got[name]
		if !ok {
			t.Fatalf("topic %q missing; topics: %v", name, slices.Sorted(maps.Keys(got)))
		}
		if s.Partitions != parts {
			t.Errorf("topic %q has %d partitions, want %d", name, s.Partitions, parts)
		}
	}
	if n := got[OrdersTopic].Records; n < demoHistory {
		t.Errorf("%q holds %d records at start, want the %d of history", OrdersTopic, n, demoHistory)
	}
	if n := got[DLQTopic].Records; n != int64(len(demoFailures)) {
		t.Errorf("%q holds %d records, want %d", DLQTopic, n, len(demoFailures))
	}
	if n := got[TextInputTopic].Records; n < demoTextHistory {
		t.Errorf("%q holds %d records at start, want at least %d", TextInputTopic, n, demoTextHistory)
	}
	if n := got[WordCountTopic].Records; n != 0 {
		t.Errorf("%q holds %d records, want it empty", WordCountTopic, n)
	}

	cfgs, err := c.TopicConfigs(ctx, WordCountTopic)
	if err != nil {
		t.Fatalf("configs of %q: %v", WordCountTopic, err)
	}
	i := slices.IndexFunc(cfgs, func(e kafka.ConfigEntry) bool { return e.Name == "cleanup.policy" })
	if i < 0 || cfgs[i].Value != "compact" || cfgs[i].IsDefault {
		t.Errorf("%q cleanup.policy = %+v, want compact set on the topic", WordCountTopic, cfgs)
	}
}

func TestDemoOrderEvents(t *testing.T) {
	_, c := startTestDemo(t)
	orders := demoReadAll(t, c, OrdersTopic)
	if len(orders) < demoHistory {
		t.Fatalf("read %d order events, want at least %d", len(orders), demoHistory)
	}
	countries, skus, byPos := map[string]bool{}, map[string]bool{}, map[[2]int64]kafka.Record{}
	for _, r := range orders {
		byPos[[2]int64{int64(r.Partition), r.Offset}] = r
		var ev struct {
			EventID       string `json:"event_id"`
			EventType     string `json:"event_type"`
			SchemaVersion int    `json:"schema_version"`
			OccurredAt    string `json:"occurred_at"`
			CorrelationID string `json:"correlation_id"`
			OrderID       string `json:"order_id"`
			Customer      struct{ ID, Country string }
			Items         []struct {
				SKU   string
				Qty   int
				Price float64
			}
			Amount   float64
			Currency string
		}
		if err := json.Unmarshal(r.Value, &ev); err != nil {
			t.Fatalf("record %d/%d is not JSON: %v: %s", r.Partition, r.Offset, err, r.Value)
		}
		if string(r.Key) != ev.OrderID || !strings.HasPrefix(ev.OrderID, "ord-") {
			t.Errorf("record key %q, order_id %q: want the order id as key", r.Key, ev.OrderID)
		}
		if ev.EventType != "OrderPlaced" || ev.SchemaVersion != 2 || len(ev.EventID) != 36 || len(ev.CorrelationID) != 36 {
			t.Errorf("envelope of %s: %s", r.Key, r.Value)
		}
		if _, err := time.Parse(time.RFC3339, ev.OccurredAt); err != nil {
			t.Errorf("occurred_at of %s: %v", r.Key, err)
		}
		if ev.Customer.ID == "" || ev.Customer.Country == "" || len(ev.Items) == 0 || ev.Amount <= 0 || ev.Currency == "" {
			t.Errorf("order %s is incomplete: %s", r.Key, r.Value)
		}
		var sum float64
		for _, it := range ev.Items {
			sum += float64(it.Qty) * it.Price
			skus[it.SKU] = true
		}
		if math.Abs(sum-ev.Amount) > 0.011 {
			t.Errorf("order %s: amount %v, items sum to %v", r.Key, ev.Amount, sum)
		}
		countries[ev.Customer.Country] = true
		want := map[string]string{
			"event_id": ev.EventID, "correlation_id": ev.CorrelationID,
			"schema_version": "2", "content-type": "application/json",
		}
		for k, v := range want {
			if got, ok := demoHeader(r, k); !ok || got != v {
				t.Errorf("order %s: header %q = %q (present %v), want %q", r.Key, k, got, ok, v)
			}
		}
	}
	if len(countries) < 5 || len(skus) < 5 {
		t.Errorf("orders are not varied: countries %v, skus %v", countries, skus)
	}

	dlq := demoReadAll(t, c, DLQTopic)
	if len(dlq) != len(demoFailures) {
		t.Fatalf("read %d dead letters, want %d", len(dlq), len(demoFailures))
	}
	sawSKU := false
	for _, r := range dlq {
		reason, _ := demoHeader(r, "error.reason")
		stage, _ := demoHeader(r, "error.stage")
		topic, _ := demoHeader(r, "original.topic")
		ps, _ := demoHeader(r, "original.partition")
		offs, _ := demoHeader(r, "original.offset")
		p, perr := strconv.ParseInt(ps, 10, 32)
		o, oerr := strconv.ParseInt(offs, 10, 64)
		if reason == "" || stage == "" || topic != OrdersTopic || perr != nil || oerr != nil {
			t.Fatalf("dead letter %s lacks its error or origin headers: %+v", r.Key, r.Headers)
		}
		orig, ok := byPos[[2]int64{p, o}]
		if !ok || string(orig.Key) != string(r.Key) || string(orig.Value) != string(r.Value) {
			t.Errorf("dead letter %s: original %s[%d]@%d is %s, not the same record", r.Key, topic, p, o, orig.Key)
		}
		if strings.Contains(reason, "SKU-404") {
			sawSKU = true
			if !strings.Contains(string(r.Value), `"SKU-404"`) {
				t.Errorf("dead letter %s blames SKU-404, which the order does not contain: %s", r.Key, r.Value)
			}
		}
	}
	if !sawSKU {
		t.Errorf("no dead letter with an unknown-SKU reason")
	}

	text := demoReadAll(t, c, TextInputTopic)
	if len(text) < demoTextHistory {
		t.Fatalf("read %d lines of text, want at least %d", len(text), demoTextHistory)
	}
	for _, r := range text {
		if len(strings.Fields(string(r.Value))) == 0 {
			t.Errorf("text record %d is blank", r.Offset)
		}
	}
}

// demoCommitted is a group's committed offset per partition of a topic.
func demoCommitted(g kafka.GroupLag, topic string) map[int32]int64 {
	out := map[int32]int64{}
	for _, p := range g.Partitions {
		if p.Topic == topic && p.Committed >= 0 {
			out[p.Partition] = p.Committed
		}
	}
	return out
}

func demoEndSum(g kafka.GroupLag) int64 {
	var n int64
	for _, p := range g.Partitions {
		n += p.EndOffset
	}
	return n
}

func TestDemoGroups(t *testing.T) {
	d, c := startTestDemo(t)
	ctx := kafkatest.Ctx(t)
	groups := []string{GroupInventory, GroupNotifications, GroupShipping}
	lag := func() map[string]kafka.GroupLag {
		t.Helper()
		ls, err := c.Lag(ctx, groups...)
		if err != nil {
			t.Fatalf("lag: %v", err)
		}
		out := map[string]kafka.GroupLag{}
		for _, l := range ls {
			if l.Err != "" {
				t.Fatalf("lag of %q: %s", l.Group.ID, l.Err)
			}
			out[l.Group.ID] = l
		}
		return out
	}

	kafkatest.Eventually(t, 10*time.Second, "the three groups with one member each", func() bool {
		gs, err := c.ListGroups(ctx)
		if err != nil {
			t.Fatalf("list groups: %v", err)
		}
		ids := map[string]bool{}
		for _, g := range gs {
			ids[g.ID] = true
		}
		for _, g := range groups {
			if !ids[g] {
				return false
			}
			gd, err := c.DescribeGroup(ctx, g)
			if err != nil || gd.Members != 1 || gd.State != "Stable" {
				return false
			}
		}
		return true
	})

	// Shipping's one commit is at the same offset on every partition; inventory
	// catches up with the history.
	var base map[string]kafka.GroupLag
	kafkatest.Eventually(t, 10*time.Second, "shipping's commit and inventory catching up", func() bool {
		base = lag()
		want := map[int32]int64{}
		for p := range int32(demoOrdersPartitions) {
			want[p] = demoShippingCommit / demoOrdersPartitions
		}
		return maps.Equal(demoCommitted(base[GroupShipping], OrdersTopic), want) &&
			base[GroupInventory].TotalLag <= testDemoRate
	})
	shipCommitted := demoCommitted(base[GroupShipping], OrdersTopic)
	shipEnds := demoEndSum(base[GroupShipping])
	notifLag := base[GroupNotifications].TotalLag

	samples := 0
	kafkatest.Eventually(t, 10*time.Second, "notifications' lag to grow and shipping's end offsets to move on", func() bool {
		now := lag()
		samples++
		if inv := now[GroupInventory].TotalLag; inv > testDemoRate {
			t.Fatalf("inventory fell behind: lag %d after catching up (sample %d)", inv, samples)
		}
		ship := now[GroupShipping]
		if got := demoCommitted(ship, OrdersTopic); !maps.Equal(got, shipCommitted) {
			t.Fatalf("shipping committed again: %v, then %v", shipCommitted, got)
		}
		if len(ship.Group.MemberList) != 1 {
			t.Fatalf("shipping has %d members, want its one stuck consumer", len(ship.Group.MemberList))
		}
		grown := now[GroupNotifications].TotalLag > notifLag+testDemoRate/2 &&
			demoEndSum(ship) > shipEnds+testDemoRate && ship.TotalLag > base[GroupShipping].TotalLag
		if grown {
			t.Logf("after %d samples: inventory lag %d; notifications lag %d -> %d; shipping committed %v, end offsets %d -> %d, lag %d -> %d",
				samples, now[GroupInventory].TotalLag, notifLag, now[GroupNotifications].TotalLag,
				shipCommitted, shipEnds, demoEndSum(ship), base[GroupShipping].TotalLag, ship.TotalLag)
		}
		return grown
	})
	if err := d.Err(); err != nil {
		t.Errorf("demo reported a background error: %v", err)
	}
}

func TestDemoCloseAndRestartOnSamePort(t *testing.T) {
	before := runtime.NumGoroutine()
	d, err := Start(kafkatest.Ctx(t), Options{Listen: "127.0.0.1:0", Rate: testDemoRate})
	if err != nil {
		t.Fatalf("start demo: %v", err)
	}
	addr := d.Addr()
	c, err := kafka.Connect(kafkatest.Ctx(t), kafka.ConnConfig{Brokers: []string{addr}})
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	kafkatest.Eventually(t, 10*time.Second, "the groups to have members", func() bool {
		gd, err := c.DescribeGroup(kafkatest.Ctx(t), GroupShipping)
		return err == nil && gd.Members == 1
	})
	c.Close()

	start := time.Now()
	d.Close()
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("Close took %v", took)
	}
	d.Close() // idempotent
	kafkatest.Eventually(t, 5*time.Second, "the demo's goroutines to end", func() bool {
		return runtime.NumGoroutine() <= before
	})

	d2, err := Start(kafkatest.Ctx(t), Options{Listen: addr, Rate: testDemoRate})
	if err != nil {
		t.Fatalf("restart demo on %s after Close: %v", addr, err)
	}
	defer d2.Close()
	if d2.Addr() != addr {
		t.Errorf("restarted demo listens on %s, want %s", d2.Addr(), addr)
	}
	c2 := kafkatest.Connect(t, kafkatest.Backend{Name: "demo", Brokers: []string{addr}})
	td, err := c2.DescribeTopic(kafkatest.Ctx(t), OrdersTopic)
	if err != nil || len(td.Partitions) != 3 {
		t.Fatalf("describe %q on the restarted demo: %+v, %v", OrdersTopic, td, err)
	}
}

func TestDemoPortBusy(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = ln.Close() }()
	addr := ln.Addr().String()
	d, err := Start(kafkatest.Ctx(t), Options{Listen: addr})
	if err == nil {
		d.Close()
		t.Fatalf("demo started on %s, which is taken", addr)
	}
	var busy *PortBusyError
	if !errors.As(err, &busy) || busy.Addr != addr {
		t.Fatalf("error %T %v, want *PortBusyError for %s", err, err, addr)
	}
	for _, want := range []string{addr, "in use", "--listen 127.0.0.1:0"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

func TestDemoOnAllInterfacesAdvertisesLoopback(t *testing.T) {
	d, err := Start(kafkatest.Ctx(t), Options{Listen: "0.0.0.0:0", Rate: testDemoRate})
	if err != nil {
		t.Fatalf("start demo on 0.0.0.0: %v", err)
	}
	defer d.Close()
	if !strings.HasPrefix(d.Addr(), "127.0.0.1:") {
		t.Errorf("Addr %q, want the loopback address clients can dial", d.Addr())
	}
	// Connect's doctor dials every advertised address.
	c := kafkatest.Connect(t, kafkatest.Backend{Name: "demo", Brokers: []string{d.Addr()}})
	info, err := c.Cluster(kafkatest.Ctx(t))
	if err != nil || len(info.Brokers) != 1 || info.Brokers[0].Addr() != d.Addr() || info.ClusterID != "kflow-demo" {
		t.Errorf("cluster %+v, %v: want one broker advertising %s in cluster kflow-demo", info, err, d.Addr())
	}
}

func TestDemoStopsWhenContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	d, err := Start(ctx, Options{Listen: "127.0.0.1:0", Rate: testDemoRate})
	if err != nil {
		t.Fatalf("start demo: %v", err)
	}
	defer d.Close()
	addr := d.Addr()
	cancel()
	kafkatest.Eventually(t, 5*time.Second, "the demo to release "+addr, func() bool {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return false
		}
		_ = ln.Close()
		return true
	})
}

func TestDemoOrdersAreDeterministic(t *testing.T) {
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	a, b := newDemoOrders(7), newDemoOrders(7)
	for i := range 50 {
		ea, eb := a.event(at, i == 3), b.event(at, i == 3)
		ja, _ := json.Marshal(ea)
		jb, _ := json.Marshal(eb)
		if string(ja) != string(jb) {
			t.Fatalf("order %d differs for the same seed:\n%s\n%s", i, ja, jb)
		}
		if want := "ord-" + strings.Repeat("0", 6-len(strconv.Itoa(i+1))) + strconv.Itoa(i+1); ea.OrderID != want {
			t.Errorf("order %d id %q, want %q", i, ea.OrderID, want)
		}
	}
	if other := newDemoOrders(8).event(at, false); other.EventID == newDemoOrders(7).event(at, false).EventID {
		t.Errorf("different seeds gave the same event id %s", other.EventID)
	}
}
