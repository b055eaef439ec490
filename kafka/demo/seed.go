package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"kflow/kafka"
)

// The demo's topics, named so the UI and the word count example can find
// them.
const (
	// OrdersTopic carries JSON "order placed" events keyed by order id.
	OrdersTopic = "order_events"
	// DLQTopic holds the order events that failed, with the reason in
	// error.* headers.
	DLQTopic = "order_events.DLQ"
	// TextInputTopic is fed lines of prose, the word count's input.
	TextInputTopic = "streams-plaintext-input"
	// WordCountTopic is the compacted topic the word count writes to;
	// the demo creates it empty.
	WordCountTopic = "streams-wordcount-output"
)

// The demo's consumer groups on OrdersTopic, one per kind of health.
const (
	// GroupInventory keeps up: it commits after every poll.
	GroupInventory = "inventory"
	// GroupNotifications processes at 60% of the produce rate, so its
	// lag grows steadily.
	GroupNotifications = "notifications"
	// GroupShipping committed once, early in the history, and never
	// again although it stays in the group: committed offsets frozen, lag
	// growing, members present.
	GroupShipping = "shipping"
)

const (
	demoHistory          = 300             // order events written before Start returns
	demoTextHistory      = 20              // lines of text written before Start returns
	demoTextInterval     = 2 * time.Second // one line of text this often
	demoShippingCommit   = 120             // records shipping commits, the same number on each partition
	demoOrdersPartitions = 3               // partitions of OrdersTopic
	demoSeed             = 20261123        // the order generator's seed
)

// demoTopics are the topics Start creates, with partitions and configs.
func demoTopics() []kafka.TopicSpec {
	return []kafka.TopicSpec{
		{Name: OrdersTopic, Partitions: demoOrdersPartitions, ReplicationFactor: 1},
		{Name: DLQTopic, Partitions: 1, ReplicationFactor: 1},
		{Name: TextInputTopic, Partitions: 1, ReplicationFactor: 1},
		{Name: WordCountTopic, Partitions: 1, ReplicationFactor: 1, Configs: map[string]string{"cleanup.policy": "compact"}},
		{Name: AvroOrdersTopic, Partitions: demoOrdersPartitions, ReplicationFactor: 1},
		{Name: PaymentsTopic, Partitions: demoPaymentsPartitions, ReplicationFactor: 1},
	}
}

// start creates the topics, writes the history, then starts the flows:
// setup is bounded by ctx, the flows run under runCtx until Close.
func (d *Cluster) start(ctx, runCtx context.Context, rate float64) error {
	prod, err := kgo.NewClient(
		kgo.SeedBrokers(d.addr),
		kgo.ClientID("kflow-demo-producer"),
		kgo.ProducerLinger(10*time.Millisecond),
	)
	if err != nil {
		return fmt.Errorf("demo producer: %w", err)
	}
	d.clients = append(d.clients, prod)
	if err := createDemoTopics(ctx, kadm.NewClient(prod)); err != nil {
		return err
	}
	orders := newDemoOrders(demoSeed)
	if err := seedOrders(ctx, prod, orders, rate); err != nil {
		return err
	}
	if err := seedText(ctx, prod); err != nil {
		return err
	}
	avroOrders, err := registerAvroOrders(ctx, d.regURL)
	if err != nil {
		return err
	}
	avroGen := newDemoOrders(demoSeed + 1)
	if err := seedAvroOrders(ctx, prod, avroOrders, avroGen, rate); err != nil {
		return err
	}
	if err := commitReporting(ctx, kadm.NewClient(prod)); err != nil {
		return err
	}
	d.logf("demo: seeded %d order events, %d in Avro, %d dead letters, %d lines of text", demoHistory, demoAvroHistory, len(demoFailures), demoTextHistory)

	for _, g := range demoGroups(rate) {
		cl, err := g.client(d.addr)
		if err != nil {
			return fmt.Errorf("demo group %q: %w", g.name, err)
		}
		d.clients = append(d.clients, cl)
		d.goRun(func() { g.run(runCtx, d, cl) })
	}
	d.goRun(func() { d.produceOrders(runCtx, prod, orders, rate) })
	d.goRun(func() { d.produceText(runCtx, prod) })
	d.goRun(func() { d.produceAvroOrders(runCtx, prod, avroOrders, avroGen, rate/avroRateShare) })
	waitGroupsStable(ctx, kadm.NewClient(prod), d.logf)
	return nil
}

// waitGroupsStable waits, ten seconds at most, until the demo's groups
// have joined and shipping has made its one commit, so that a command run
// at once on the demo (kflow lag --demo) sees them as they will stay:
// sampled before that commit, shipping's offsets would move in the window
// and not look stuck. The flow goes on either way.
func waitGroupsStable(ctx context.Context, adm *kadm.Client, logf func(string, ...any)) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	for {
		lg, err := adm.ListGroups(ctx)
		stable := 0
		for _, g := range []string{GroupInventory, GroupNotifications, GroupShipping} {
			if err == nil && lg[g].State == "Stable" {
				stable++
			}
		}
		if stable == 3 && shippingCommitted(ctx, adm) {
			return
		}
		select {
		case <-ctx.Done():
			logf("demo: %d of 3 groups joined after 10s; they join in the background", stable)
			return
		case <-time.After(25 * time.Millisecond):
		}
	}
}

// shippingCommitted reports whether the shipping group has committed its
// offsets on every partition of the orders topic.
func shippingCommitted(ctx context.Context, adm *kadm.Client) bool {
	offs, err := adm.FetchOffsets(ctx, GroupShipping)
	if err != nil {
		return false
	}
	n := 0
	offs.Each(func(o kadm.OffsetResponse) {
		if o.Topic == OrdersTopic && o.Err == nil && o.At >= 0 {
			n++
		}
	})
	return n == demoOrdersPartitions
}

// createDemoTopics creates every demo topic before anything produces, so
// partition counts and configs are the demo's, not auto-created defaults.
func createDemoTopics(ctx context.Context, adm *kadm.Client) error {
	for _, t := range demoTopics() {
		cfgs := map[string]*string{}
		for k, v := range t.Configs {
			cfgs[k] = &v
		}
		resp, err := adm.CreateTopic(ctx, t.Partitions, t.ReplicationFactor, cfgs, t.Name)
		if err == nil {
			err = resp.Err
		}
		if err != nil {
			return fmt.Errorf("demo: create topic %q: %w", t.Name, err)
		}
	}
	return nil
}

// seedOrders writes the order history, spread back in time as if produced
// at rate, and the dead letters of the orders that failed.
func seedOrders(ctx context.Context, prod *kgo.Client, g *demoOrders, rate float64) error {
	now := time.Now()
	step := time.Duration(float64(time.Second) / rate)
	recs := make([]*kgo.Record, 0, demoHistory)
	for i := range demoHistory {
		f, failed := demoFailures[i]
		r, err := orderRecord(g.event(now.Add(-time.Duration(demoHistory-i)*step), failed && f.missingSKU))
		if err != nil {
			return fmt.Errorf("demo history: %w", err)
		}
		recs = append(recs, r)
	}
	if err := prod.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		return fmt.Errorf("demo: write %d order events to %q: %w", len(recs), OrdersTopic, err)
	}
	var dlq []*kgo.Record
	for i, r := range recs { // ProduceSync filled in partitions and offsets
		if f, ok := demoFailures[i]; ok {
			dlq = append(dlq, dlqRecord(r, f))
		}
	}
	if err := prod.ProduceSync(ctx, dlq...).FirstErr(); err != nil {
		return fmt.Errorf("demo: write dead letters to %q: %w", DLQTopic, err)
	}
	return seedPayments(ctx, prod, recs)
}

// seedText writes the first lines of the corpus, spread over the past as
// if fed at the demo's pace.
func seedText(ctx context.Context, prod *kgo.Client) error {
	lines := demoCorpusLines()
	now := time.Now()
	recs := make([]*kgo.Record, 0, demoTextHistory)
	for i := range demoTextHistory {
		recs = append(recs, &kgo.Record{
			Topic:     TextInputTopic,
			Value:     []byte(lines[i%len(lines)]),
			Timestamp: now.Add(-time.Duration(demoTextHistory-i) * demoTextInterval),
		})
	}
	if err := prod.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		return fmt.Errorf("demo: write text to %q: %w", TextInputTopic, err)
	}
	return nil
}

// produceOrders produces order events at rate until ctx ends. It counts
// how many are due since it started rather than one per tick, so high
// rates are kept without a tick per record.
func (d *Cluster) produceOrders(ctx context.Context, prod *kgo.Client, g *demoOrders, rate float64) {
	tick := time.NewTicker(max(time.Duration(float64(time.Second)/rate), 5*time.Millisecond))
	defer tick.Stop()
	start := time.Now()
	sent := 0
	report := func(_ *kgo.Record, err error) {
		if err != nil {
			d.fail(ctx, fmt.Errorf("produce to %q: %w", OrdersTopic, err))
		}
	}
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-tick.C:
			due := int(now.Sub(start).Seconds() * rate)
			// After a stall (a suspended laptop), resume at the rate
			// instead of bursting everything missed.
			sent = max(sent, due-max(1, int(rate)))
			for ; sent < due; sent++ {
				r, err := orderRecord(g.event(now, false))
				if err != nil {
					d.fail(ctx, err)
					return
				}
				prod.Produce(ctx, r, report)
				if paysFor(r.Key) { // the payment service charges it
					prod.Produce(ctx, paymentRecord(r, now), report)
				}
			}
		}
	}
}

// produceText feeds the next corpus line every demoTextInterval, cycling
// through the corpus, until ctx ends.
func (d *Cluster) produceText(ctx context.Context, prod *kgo.Client) {
	lines := demoCorpusLines()
	tick := time.NewTicker(demoTextInterval)
	defer tick.Stop()
	for i := demoTextHistory; ; i++ {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		prod.Produce(ctx, &kgo.Record{Topic: TextInputTopic, Value: []byte(lines[i%len(lines)])}, func(_ *kgo.Record, err error) {
			if err != nil {
				d.fail(ctx, fmt.Errorf("produce to %q: %w", TextInputTopic, err))
			}
		})
	}
}
