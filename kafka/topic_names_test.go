package kafka

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
)

func TestSimilarTopics(t *testing.T) {
	all := []string{"order_events", "order_events.DLQ", "orders", "payments", "streams-plaintext-input", "__consumer_offsets", "inventory"}
	for _, tc := range []struct {
		name string
		want []string
	}{
		{"order_event", []string{"order_events", "order_events.DLQ"}},
		{"Order_Events", []string{"order_events"}},
		{"order-events", []string{"order_events"}},
		{"paymnets", []string{"payments"}},
		{"streams", []string{"streams-plaintext-input"}},
		{"zzz", nil},
	} {
		got := similarTopics(tc.name, all)
		for _, w := range tc.want {
			if !slices.Contains(got, w) {
				t.Errorf("similarTopics(%q) = %q, want it to hold %q", tc.name, got, w)
			}
		}
		if tc.want == nil && len(got) != 0 {
			t.Errorf("similarTopics(%q) = %q, want none", tc.name, got)
		}
		if len(got) > 0 && len(tc.want) > 0 && got[0] != tc.want[0] {
			t.Errorf("similarTopics(%q) = %q, want %q first", tc.name, got, tc.want[0])
		}
	}
}

// TestUnknownTopicSaysSoWithCloseNames: tailing or producing to a topic that
// does not exist says `topic "x" does not exist` and lists close names,
// not Kafka's UNKNOWN_TOPIC_OR_PARTITION text; errors.Is still finds it.
func TestUnknownTopicSaysSoWithCloseNames(t *testing.T) {
	eachBackend(t, func(t *testing.T, c *Client, b backend) {
		ctx := testCtx(t)
		name := uniqueTopic(t)
		mustCreate(t, c, name, 1, nil)
		typo := name[:len(name)-1] + "x"
		check := func(what string, err error) {
			t.Helper()
			var ute *UnknownTopicError
			if !errors.As(err, &ute) || !errors.Is(err, kerr.UnknownTopicOrPartition) {
				t.Fatalf("%s: %v (%T), want *UnknownTopicError", what, err, err)
			}
			msg := err.Error()
			if !strings.Contains(msg, `topic "`+typo+`" does not exist`) || !strings.Contains(msg, `"`+name+`"`) ||
				strings.Contains(msg, "UNKNOWN_TOPIC_OR_PARTITION") || strings.Contains(msg, "This server") {
				t.Errorf("%s: %q, want it to say the topic does not exist and suggest %q", what, msg, name)
			}
		}
		_, err := c.Consume(ctx, TailOptions{Topic: typo, Start: Start{Kind: StartBeginning}, StopAtEnd: true})
		check("tail", err)
		_, err = c.Produce(ctx, Record{Topic: typo, Partition: -1, Value: []byte("v")})
		check("produce", err)
	})
}
