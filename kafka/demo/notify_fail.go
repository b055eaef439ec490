package demo

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// demoNotifyFailFrom is the offset, on every partition, from which the
// notifications service meets orders it cannot notify: past the history
// the DLQ's seeded story covers, so the dead letters it adds come after
// those (a few minutes into a demo, the group being slow).
const demoNotifyFailFrom = demoHistory / demoOrdersPartitions

// demoNotifyRetries and demoNotifyBackoff are how often and after how
// long the notifications service retries a failing order: 50ms, 100ms,
// 200ms.
const (
	demoNotifyRetries = 3
	demoNotifyBackoff = 50 * time.Millisecond
)

// notifyFails reports whether the notifications service fails on r:
// about one order in forty past demoNotifyFailFrom, by its key.
func notifyFails(r *kgo.Record) bool {
	return r.Offset >= demoNotifyFailFrom && demoHash(r.Key)%40 == 7
}

// notify "sends" r's notification, retrying a failure with backoff, then
// dead-letters r. It returns false when ctx ended.
func notify(ctx context.Context, d *Cluster, cl *kgo.Client, r *kgo.Record) bool {
	if !notifyFails(r) {
		return true
	}
	wait := demoNotifyBackoff
	for range demoNotifyRetries {
		select {
		case <-ctx.Done():
			return false
		case <-time.After(wait):
		}
		wait *= 2
	}
	cl.Produce(ctx, notifyDeadLetter(r, demoNotifyRetries), func(_ *kgo.Record, err error) {
		if err != nil {
			d.fail(ctx, fmt.Errorf("group %q: dead-letter to %q: %w", GroupNotifications, DLQTopic, err))
		}
	})
	return true
}

// notifyDeadLetter is the DLQ record for an order notifications gave up
// on after retries: the original key, value and headers (its correlation
// id among them), the error, where it came from and the retry count,
// added to any a redrive carried.
func notifyDeadLetter(orig *kgo.Record, retries int) *kgo.Record {
	var hs []kgo.RecordHeader
	prev := 0
	for _, h := range orig.Headers {
		if h.Key == "retry.count" {
			prev, _ = strconv.Atoi(string(h.Value))
			continue
		}
		hs = append(hs, h)
	}
	hs = append(hs,
		kgo.RecordHeader{Key: "error.reason", Value: []byte("notifications: email bounced (mailbox full)")},
		kgo.RecordHeader{Key: "error.stage", Value: []byte("send-notification")},
		kgo.RecordHeader{Key: "original.topic", Value: []byte(orig.Topic)},
		kgo.RecordHeader{Key: "original.partition", Value: []byte(strconv.Itoa(int(orig.Partition)))},
		kgo.RecordHeader{Key: "original.offset", Value: []byte(strconv.FormatInt(orig.Offset, 10))},
		kgo.RecordHeader{Key: "original.group", Value: []byte(GroupNotifications)},
		kgo.RecordHeader{Key: "retry.count", Value: []byte(strconv.Itoa(prev + retries))},
	)
	return &kgo.Record{Topic: DLQTopic, Key: orig.Key, Value: orig.Value, Headers: hs}
}
