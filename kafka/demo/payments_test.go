package demo

import (
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// TestPaymentCarriesTheOrdersCorrelationID: a payment event has its
// order's key and correlation id, so a trace spans both topics.
func TestPaymentCarriesTheOrdersCorrelationID(t *testing.T) {
	g := newDemoOrders(demoSeed)
	var order *kgo.Record
	for order == nil || !paysFor(order.Key) {
		r, err := orderRecord(g.event(time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC), false))
		if err != nil {
			t.Fatal(err)
		}
		order = r
	}
	p := paymentRecord(order, order.Timestamp)
	if p.Topic != PaymentsTopic || string(p.Key) != string(order.Key) {
		t.Fatalf("payment %s/%s for order %s", p.Topic, p.Key, order.Key)
	}
	if got, want := header(p, "correlation_id"), header(order, "correlation_id"); got == "" || got != want {
		t.Errorf("payment correlation_id %q, order's %q", got, want)
	}
}

// TestNotifyDeadLetterHeaders: where it failed, why, by whom, and the
// retry count added to what a redrive carried.
func TestNotifyDeadLetterHeaders(t *testing.T) {
	orig := &kgo.Record{Topic: OrdersTopic, Partition: 2, Offset: 140, Key: []byte("o-1"), Headers: []kgo.RecordHeader{
		{Key: "correlation_id", Value: []byte("c-1")}, {Key: "retry.count", Value: []byte("1")}}}
	dl := notifyDeadLetter(orig, demoNotifyRetries)
	want := map[string]string{"correlation_id": "c-1", "original.topic": OrdersTopic, "original.partition": "2", "original.offset": "140",
		"original.group": GroupNotifications, "retry.count": "4", "error.reason": "notifications: email bounced (mailbox full)"}
	for k, v := range want {
		if got := header(dl, k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if dl.Topic != DLQTopic {
		t.Errorf("topic %s", dl.Topic)
	}
}

func header(r *kgo.Record, k string) string {
	for _, h := range r.Headers {
		if h.Key == k {
			return string(h.Value)
		}
	}
	return ""
}
