package demo

import (
	"context"
	"fmt"
	"hash/fnv"
	"strconv"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// PaymentsTopic carries the payment events of the demo's payment
// service: one per order it charges, with the order's correlation id, so
// a trace of that id follows the order across two topics.
const PaymentsTopic = "payment_events"

// demoPaymentsPartitions are PaymentsTopic's partitions.
const demoPaymentsPartitions = 3

// paysFor reports whether the payment service charges an order: about
// two in three, decided by its key so every run agrees.
func paysFor(key []byte) bool { return demoHash(key)%3 != 0 }

// demoHash is a stable hash of a key, for the demo's choices.
func demoHash(key []byte) uint32 {
	h := fnv.New32a()
	h.Write(key)
	return h.Sum32()
}

// paymentRecord is the payment event the payment service writes for an
// order record: keyed by the order id, the order's correlation id and a
// causation header naming the order event it follows.
func paymentRecord(order *kgo.Record, at time.Time) *kgo.Record {
	hdr := func(k string) []byte {
		for _, h := range order.Headers {
			if h.Key == k {
				return h.Value
			}
		}
		return nil
	}
	cents := 500 + demoHash(order.Key)%20000
	body := fmt.Appendf(nil, `{"order_id":%q,"status":"captured","amount":%s,"provider":"demo-pay"}`, order.Key, strconv.FormatFloat(float64(cents)/100, 'f', 2, 64))
	return &kgo.Record{Topic: PaymentsTopic, Key: order.Key, Value: body, Timestamp: at.Add(800 * time.Millisecond), Headers: []kgo.RecordHeader{
		{Key: "correlation_id", Value: hdr("correlation_id")},
		{Key: "causation_id", Value: hdr("event_id")},
		{Key: "content-type", Value: []byte("application/json")},
	}}
}

// seedPayments writes the payment events of the history's orders.
func seedPayments(ctx context.Context, prod *kgo.Client, orders []*kgo.Record) error {
	var recs []*kgo.Record
	for _, o := range orders {
		if paysFor(o.Key) {
			recs = append(recs, paymentRecord(o, o.Timestamp))
		}
	}
	if err := prod.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		return fmt.Errorf("demo: write %d payment events to %q: %w", len(recs), PaymentsTopic, err)
	}
	return nil
}
