package kafka

import (
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
)

// TestConsumeFromPastTheEnd: a start offset past a partition's end is
// reported, with where it ends: as PastEnd when other partitions still have
// records to read, as an *OffsetPastEndError when a bounded tail would read
// nothing at all (it used to succeed silently).
func TestConsumeFromPastTheEnd(t *testing.T) {
	eachBackend(t, func(t *testing.T, c *Client, b backend) {
		ctx := testCtx(t)
		name := uniqueTopic(t)
		mustCreate(t, c, name, 2, nil)
		for i, p := range []int32{0, 0, 0, 1} {
			if _, err := c.Produce(ctx, Record{Topic: name, Partition: p, Value: []byte{byte('a' + i)}}); err != nil {
				t.Fatal(err)
			}
		}
		cs, err := c.Consume(ctx, TailOptions{Topic: name, Start: Start{Kind: StartOffset, Offset: 2}, StopAtEnd: true})
		if err != nil {
			t.Fatal(err)
		}
		defer cs.Close()
		if got := cs.PastEnd(); !slices.Equal(got, []PartitionEnd{{Partition: 1, End: 1}}) {
			t.Errorf("PastEnd = %+v, want partition 1 ending at 1", got)
		}
		var n int
		for {
			recs, err := cs.Poll(ctx)
			n += len(recs)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		if n != 1 {
			t.Errorf("read %d records from offset 2, want 1", n)
		}

		_, err = c.Consume(ctx, TailOptions{Topic: name, Start: Start{Kind: StartOffset, Offset: 999999}, StopAtEnd: true})
		var pe *OffsetPastEndError
		if !errors.As(err, &pe) || !slices.Equal(pe.Ends, []PartitionEnd{{0, 3}, {1, 1}}) {
			t.Fatalf("offset 999999 with StopAtEnd = %v, want *OffsetPastEndError with both ends", err)
		}
		if msg := err.Error(); !strings.Contains(msg, "offset 999999 is past the end") || !strings.Contains(msg, "partition 0 ends at 3, partition 1 at 1") {
			t.Errorf("message %q", msg)
		}
		// Unbounded, the tail waits at the end for new records.
		cs2, err := c.Consume(ctx, TailOptions{Topic: name, Start: Start{Kind: StartOffset, Offset: 999999}})
		if err != nil {
			t.Fatal(err)
		}
		defer cs2.Close()
		if len(cs2.PastEnd()) != 2 {
			t.Errorf("unbounded PastEnd = %+v", cs2.PastEnd())
		}
	})
}
