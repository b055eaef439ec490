package kafka

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// TestEngineSeam: what engines get from the client works on its own
// connection: Options open a client that reaches the cluster, TopicPartitions says 0 for a missing topic and the count of an
// existing one, and Writable refuses on a read-only client only.
func TestEngineSeam(t *testing.T) {
	eachBackend(t, func(t *testing.T, c *Client, b backend) {
		ctx := testCtx(t)
		cl, err := kgo.NewClient(c.Options()...)
		if err != nil {
			t.Fatal(err)
		}
		defer cl.Close()
		if err := cl.Ping(ctx); err != nil {
			t.Fatalf("a client from Options cannot reach %s: %v", b.name, err)
		}
		topic := uniqueTopic(t)
		if n, err := c.TopicPartitions(ctx, topic); err != nil || n != 0 {
			t.Fatalf("TopicPartitions of a missing topic = %d, %v; want 0, nil", n, err)
		}
		mustCreate(t, c, topic, 3, nil)
		eventually(t, 10*time.Second, "the new topic's 3 partitions", func() bool {
			n, err := c.TopicPartitions(ctx, topic)
			return err == nil && n == 3
		})
		if err := c.Writable("test"); err != nil {
			t.Fatalf("Writable on a read-write client: %v", err)
		}
		if c.Admin() == nil || c.Timeout() != 10*time.Second {
			t.Fatalf("Admin %v, Timeout %v; want an admin client and the 10s the test connected with", c.Admin(), c.Timeout())
		}
		ro, err := Connect(ctx, ConnConfig{Brokers: b.brokers, Timeout: 10 * time.Second, ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer ro.Close()
		if err := ro.Writable("run word count"); !errors.Is(err, ErrReadOnly) {
			t.Fatalf("Writable on a read-only client = %v, want %v", err, ErrReadOnly)
		}
		if err := Explain(context.DeadlineExceeded); !errors.Is(err, context.DeadlineExceeded) || err.Error() == context.DeadlineExceeded.Error() {
			t.Fatalf("Explain(deadline) = %v: want words around the original", err)
		}
	})
}
