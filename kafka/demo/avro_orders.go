package demo

import (
	"context"
	"encoding/binary"
	"fmt"
	"math/big"
	"time"

	"github.com/hamba/avro/v2"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sr"

	"kflow/template"
)

// AvroOrdersTopic carries the same order events as OrdersTopic, encoded in
// Avro through the demo's schema registry: schema version 1 and version 2
// (a field added with a default) side by side, so schema versions and
// evolution are visible the moment a newcomer opens kflow.
const AvroOrdersTopic = "order_events.avro"

// AvroOrdersSubject is the subject of AvroOrdersTopic's values, by the
// registry's default topic name strategy.
const AvroOrdersSubject = AvroOrdersTopic + "-value"

// orderAvroFields are the fields of version 1 of the order placed event in
// Avro: the JSON event's (template.OrderEvent, which the order-placed
// template writes), with an exact decimal amount, a timestamp and a coupon.
const orderAvroFields = `
    {"name": "event_id", "type": {"type": "string", "logicalType": "uuid"}},
    {"name": "event_type", "type": "string"},
    {"name": "schema_version", "type": "int"},
    {"name": "occurred_at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
    {"name": "correlation_id", "type": {"type": "string", "logicalType": "uuid"}},
    {"name": "order_id", "type": "string"},
    {"name": "customer", "type": {"type": "record", "name": "Customer", "fields": [
      {"name": "id", "type": "string"},
      {"name": "country", "type": "string"}]}},
    {"name": "items", "type": {"type": "array", "items": {"type": "record", "name": "Item", "fields": [
      {"name": "sku", "type": "string"},
      {"name": "qty", "type": "int"},
      {"name": "price", "type": "double"}]}}},
    {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 12, "scale": 2}},
    {"name": "currency", "type": "string"},
    {"name": "coupon", "type": ["null", "string"], "default": null}`

// orderAvroChannel is what version 2 adds: the sales channel with a
// default, a backward compatible change, so readers of version 2 read
// version 1 records too.
const orderAvroChannel = `,
    {"name": "channel", "type": {"type": "enum", "name": "Channel", "symbols": ["WEB", "APP", "STORE"]}, "default": "WEB"}`

// OrderAvroSchema is the Avro schema of the demo's order events in version
// 1 or 2 (any other version is 2), as registered under AvroOrdersSubject:
// the shape of the order-placed template, for tests and examples.
func OrderAvroSchema(version int) string {
	fields := orderAvroFields
	if version != 1 {
		fields += orderAvroChannel
	}
	return `{
  "type": "record", "name": "OrderPlaced", "namespace": "io.kflow.demo",
  "doc": "An order was placed (the demo's order_events, in Avro).",
  "fields": [` + fields + `
  ]
}`
}

// avroOrders encodes order events in the two versions, with the ids the
// registry gave them.
type avroOrders struct {
	v1, v2      avro.Schema
	id1, id2    int
	n           int // events encoded: every third is version 1
	channels    []string
	couponEvery int
}

// registerAvroOrders registers both versions under AvroOrdersSubject at the
// registry at url.
func registerAvroOrders(ctx context.Context, url string) (*avroOrders, error) {
	rc, err := sr.NewClient(sr.URLs(url))
	if err != nil {
		return nil, fmt.Errorf("demo registry client: %w", err)
	}
	a := &avroOrders{channels: []string{"WEB", "APP", "WEB", "STORE"}, couponEvery: 5}
	for i, text := range []string{OrderAvroSchema(1), OrderAvroSchema(2)} {
		s, err := avro.Parse(text)
		if err != nil {
			return nil, fmt.Errorf("demo: order schema v%d: %w", i+1, err)
		}
		ss, err := rc.CreateSchema(ctx, AvroOrdersSubject, sr.Schema{Schema: text, Type: sr.TypeAvro})
		if err != nil {
			return nil, fmt.Errorf("demo: register %s v%d: %w", AvroOrdersSubject, i+1, err)
		}
		if i == 0 {
			a.v1, a.id1 = s, ss.ID
		} else {
			a.v2, a.id2 = s, ss.ID
		}
	}
	return a, nil
}

// record encodes ev for AvroOrdersTopic in the wire format: magic byte 0,
// the schema id, the Avro body.
func (a *avroOrders) record(ev template.OrderEvent) (*kgo.Record, error) {
	at, err := time.Parse(time.RFC3339, ev.OccurredAt)
	if err != nil {
		return nil, fmt.Errorf("order event %s: occurred_at: %w", ev.OrderID, err)
	}
	items := make([]map[string]any, len(ev.Items))
	for i, it := range ev.Items {
		items[i] = map[string]any{"sku": it.SKU, "qty": it.Qty, "price": it.Price}
	}
	amount, _ := new(big.Rat).SetString(fmt.Sprintf("%.2f", ev.Amount))
	v := map[string]any{
		"event_id": ev.EventID, "event_type": ev.EventType, "schema_version": ev.SchemaVersion, "occurred_at": at.UTC(),
		"correlation_id": ev.CorrelationID, "order_id": ev.OrderID,
		"customer": map[string]any{"id": ev.Customer.ID, "country": ev.Customer.Country},
		"items":    items, "amount": amount, "currency": ev.Currency, "coupon": nil,
	}
	a.n++
	if a.n%a.couponEvery == 0 {
		v["coupon"] = map[string]any{"string": "WELCOME10"} // a union's branch, by name
	}
	s, id := a.v2, a.id2
	if a.n%3 == 0 {
		s, id = a.v1, a.id1
	} else {
		v["channel"] = a.channels[a.n%len(a.channels)]
	}
	body, err := avro.Marshal(s, v)
	if err != nil {
		return nil, fmt.Errorf("encode order event %s in avro: %w", ev.OrderID, err)
	}
	val := binary.BigEndian.AppendUint32([]byte{0}, uint32(id))
	return &kgo.Record{Topic: AvroOrdersTopic, Key: []byte(ev.OrderID), Value: append(val, body...), Timestamp: at}, nil
}

const (
	demoAvroHistory = 120 // Avro order events written before Start returns
	avroRateShare   = 5   // the Avro flow runs at a fifth of the JSON one
)

// seedAvroOrders writes the Avro topic's history, spread back in time.
func seedAvroOrders(ctx context.Context, prod *kgo.Client, a *avroOrders, g *demoOrders, rate float64) error {
	now := time.Now()
	step := time.Duration(float64(time.Second) * avroRateShare / rate)
	recs := make([]*kgo.Record, 0, demoAvroHistory)
	for i := range demoAvroHistory {
		r, err := a.record(g.event(now.Add(-time.Duration(demoAvroHistory-i)*step), false))
		if err != nil {
			return fmt.Errorf("demo avro history: %w", err)
		}
		recs = append(recs, r)
	}
	if err := prod.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		return fmt.Errorf("demo: write %d order events to %q: %w", len(recs), AvroOrdersTopic, err)
	}
	return nil
}

// produceAvroOrders produces Avro order events at rate until ctx ends.
func (d *Cluster) produceAvroOrders(ctx context.Context, prod *kgo.Client, a *avroOrders, g *demoOrders, rate float64) {
	tick := time.NewTicker(max(time.Duration(float64(time.Second)/rate), 20*time.Millisecond))
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-tick.C:
			r, err := a.record(g.event(now, false))
			if err != nil {
				d.fail(ctx, err)
				return
			}
			prod.Produce(ctx, r, func(_ *kgo.Record, err error) {
				if err != nil {
					d.fail(ctx, fmt.Errorf("produce to %q: %w", AvroOrdersTopic, err))
				}
			})
		}
	}
}
