package demo

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"kflow/template"
)

// demoSKUs are the catalogue the generator orders from, with unit prices
// in euros.
var demoSKUs = []struct {
	sku   string
	price float64
}{
	{"SKU-KBD-01", 89.90},
	{"SKU-MSE-02", 24.50},
	{"SKU-MON-27", 279.00},
	{"SKU-CBL-C3", 9.99},
	{"SKU-HDP-11", 149.00},
	{"SKU-DCK-05", 119.95},
	{"SKU-CAM-4K", 64.00},
}

// demoCountries are the customers' countries with their currency and
// the currency's units per euro.
var demoCountries = []struct {
	code, currency string
	perEUR         float64
}{
	{"DE", "EUR", 1}, {"DE", "EUR", 1}, {"FR", "EUR", 1}, {"NL", "EUR", 1},
	{"ES", "EUR", 1}, {"IT", "EUR", 1}, {"US", "USD", 1.08}, {"US", "USD", 1.08},
	{"GB", "GBP", 0.85}, {"JP", "JPY", 162},
}

// demoOrders generates order placed events. It is deterministic for a
// seed (times aside), so tests and screenshots see the same orders.
// It is not safe for concurrent use: one goroutine owns it.
type demoOrders struct {
	rng  *rand.Rand
	next int // the next order number
}

func newDemoOrders(seed uint64) *demoOrders {
	return &demoOrders{rng: rand.New(rand.NewPCG(seed, seed^0x6b666c6f77)), next: 1}
}

// uuid returns a random (version 4 layout) UUID drawn from the generator.
func (g *demoOrders) uuid() string {
	var b [16]byte
	for i := 0; i < 16; i += 8 {
		v := g.rng.Uint64()
		for j := range 8 {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// event generates the next order, placed at the given time. With
// missingSKU, one item is a SKU the inventory does not know, for the
// dead letter queue's story.
func (g *demoOrders) event(at time.Time, missingSKU bool) template.OrderEvent {
	country := demoCountries[g.rng.IntN(len(demoCountries))]
	ev := template.OrderEvent{
		EventID:       g.uuid(),
		EventType:     template.OrderPlacedType,
		SchemaVersion: template.OrderSchemaVersion,
		OccurredAt:    at.UTC().Format(time.RFC3339),
		CorrelationID: g.uuid(),
		OrderID:       template.OrderID(g.next),
		Customer:      template.OrderCustomer{ID: fmt.Sprintf("cust-%04d", 1+g.rng.IntN(500)), Country: country.code},
		Currency:      country.currency,
	}
	g.next++
	n := 1 + g.rng.IntN(3)
	var eur float64
	for _, i := range g.rng.Perm(len(demoSKUs))[:n] {
		s := demoSKUs[i]
		qty := 1 + g.rng.IntN(3)
		price := demoMoney(s.price*country.perEUR, country.currency)
		ev.Items = append(ev.Items, template.OrderItem{SKU: s.sku, Qty: qty, Price: price})
		eur += float64(qty) * price
	}
	if missingSKU {
		ev.Items = append(ev.Items, template.OrderItem{SKU: "SKU-404", Qty: 1, Price: demoMoney(19.99*country.perEUR, country.currency)})
		eur += ev.Items[len(ev.Items)-1].Price
	}
	ev.Amount = demoMoney(eur, country.currency)
	return ev
}

// demoMoney rounds to the currency's minor unit: cents, or whole yen.
func demoMoney(v float64, currency string) float64 {
	if currency == "JPY" {
		return math.Round(v)
	}
	return math.Round(v*100) / 100
}

// orderRecord encodes ev as an order_events record: keyed by order id, with
// the envelope's ids in headers (template.OrderHeaders, shared with the template).
func orderRecord(ev template.OrderEvent) (*kgo.Record, error) {
	body, err := json.Marshal(ev)
	if err != nil {
		return nil, fmt.Errorf("encode order event %s: %w", ev.OrderID, err)
	}
	at, err := time.Parse(time.RFC3339, ev.OccurredAt)
	if err != nil {
		return nil, fmt.Errorf("order event %s: occurred_at: %w", ev.OrderID, err)
	}
	r := &kgo.Record{Topic: OrdersTopic, Key: []byte(ev.OrderID), Value: body, Timestamp: at}
	for _, h := range template.OrderHeaders(ev.EventID, ev.CorrelationID, strconv.Itoa(ev.SchemaVersion)) {
		r.Headers = append(r.Headers, kgo.RecordHeader{Key: h.Key, Value: []byte(h.Value)})
	}
	return r, nil
}

// demoFailure is why a dead-lettered order failed, and where.
type demoFailure struct {
	reason, stage string
	missingSKU    bool // the order itself carries the unknown SKU
	// group is the consumer group that dead-lettered the order, "" when
	// the stage is no demo group's (payments): the flow map links the DLQ
	// to it.
	group string
}

// demoFailures are the dead letter queue's records, by the index of the
// history order that failed.
var demoFailures = map[int]demoFailure{
	17:  {"inventory: sku SKU-404 not found", "inventory-reservation", true, GroupInventory},
	64:  {"payment: card declined (insufficient funds)", "payment-authorization", false, ""},
	121: {"inventory: sku SKU-404 not found", "inventory-reservation", true, GroupInventory},
	188: {"shipping: no carrier serves postcode 99999", "shipping-quote", false, GroupShipping},
	243: {"payment: timeout after 30s waiting for provider", "payment-authorization", false, ""},
}

// dlqRecord wraps a failed order as an order_events.DLQ record: the
// original key, value and headers, plus the error and the original's
// coordinates, as Kafka Connect's dead letter queues write them.
func dlqRecord(orig *kgo.Record, f demoFailure) *kgo.Record {
	headers := append([]kgo.RecordHeader(nil), orig.Headers...)
	headers = append(headers,
		kgo.RecordHeader{Key: "error.reason", Value: []byte(f.reason)},
		kgo.RecordHeader{Key: "error.stage", Value: []byte(f.stage)},
		kgo.RecordHeader{Key: "original.topic", Value: []byte(orig.Topic)},
		kgo.RecordHeader{Key: "original.partition", Value: []byte(strconv.Itoa(int(orig.Partition)))},
		kgo.RecordHeader{Key: "original.offset", Value: []byte(strconv.FormatInt(orig.Offset, 10))},
	)
	if f.group != "" {
		headers = append(headers, kgo.RecordHeader{Key: "original.group", Value: []byte(f.group)})
	}
	return &kgo.Record{
		Topic:     DLQTopic,
		Key:       orig.Key,
		Value:     orig.Value,
		Timestamp: orig.Timestamp.Add(1500 * time.Millisecond),
		Headers:   headers,
	}
}
