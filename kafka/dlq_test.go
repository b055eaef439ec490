package kafka

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"
)

// seedDLQ writes n dead letters of src into dlq: every record has a
// unique id header, a key, a source-topic header and one of two
// reasons; every seventh has already been retried DLQMaxRetries times.
func seedDLQ(t *testing.T, c *Client, src, dlq string, n int) {
	t.Helper()
	ctx := testCtx(t)
	for i := range n {
		reason := "payment: card declined"
		if i%3 == 0 {
			reason = "inventory: sku not found"
		}
		retry := i % 3
		if i%7 == 0 {
			retry = DLQMaxRetries
		}
		hs := []Header{
			{Key: "id", Value: fmt.Appendf(nil, "rec-%03d", i)},
			{Key: "correlation.id", Value: fmt.Appendf(nil, "corr-%d", i)},
			{Key: "original.topic", Value: []byte(src)},
			{Key: "original.partition", Value: []byte("0")},
			{Key: "error.reason", Value: []byte(reason)},
			{Key: "error.stack", Value: []byte("at Foo.bar()")},
			{Key: DLQRetryHeader, Value: []byte(strconv.Itoa(retry))},
		}
		if _, err := c.Produce(ctx, Record{Topic: dlq, Partition: int32(i % 2), Key: fmt.Appendf(nil, "order-%d", i), Value: []byte("v"), Headers: hs}); err != nil {
			t.Fatal(err)
		}
	}
}

// readIDs reads topic's committed records and counts each id header;
// it also returns the records.
func readIDs(t *testing.T, c *Client, topic string) (map[string]int, []Record) {
	t.Helper()
	recs, _, err := c.ReadDLQ(testCtx(t), topic, nil)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]int{}
	for _, r := range recs {
		ids[headerValue(r.Headers, []string{"id"})]++
	}
	return ids, recs
}

// TestDLQSummaryGroupsByReason: counts and first/last times per reason,
// most frequent first.
func TestDLQSummaryGroupsByReason(t *testing.T) {
	eachBackend(t, func(t *testing.T, c *Client, b backend) {
		src := uniqueTopic(t)
		dlq := src + ".DLQ"
		mustCreate(t, c, src, 3, nil)
		mustCreate(t, c, dlq, 2, nil)
		seedDLQ(t, c, src, dlq, 12)
		s, err := c.DLQSummarize(testCtx(t), dlq, nil)
		if err != nil {
			t.Fatal(err)
		}
		if s.Records != 12 || len(s.Reasons) != 2 || s.Reasons[0].Reason != "payment: card declined" || s.Reasons[0].Count != 8 || s.Reasons[1].Count != 4 {
			t.Fatalf("summary %+v", s)
		}
		for _, r := range s.Reasons {
			if r.First.IsZero() || r.Last.Before(r.First) {
				t.Errorf("reason %q: first %v last %v", r.Reason, r.First, r.Last)
			}
		}
	})
}

// TestRedrivePlan: targets, partitions by key in the target, headers
// kept, dropped and added, and records at the retry limit refused.
func TestRedrivePlan(t *testing.T) {
	eachBackend(t, func(t *testing.T, c *Client, b backend) {
		src := uniqueTopic(t)
		dlq := src + ".DLQ"
		mustCreate(t, c, src, 3, nil)
		mustCreate(t, c, dlq, 2, nil)
		seedDLQ(t, c, src, dlq, 21)
		plan, err := c.PlanRedrive(testCtx(t), dlq, DLQRedriveOptions{Select: DLQSelection{Reason: "inventory: sku not found"}})
		if err != nil {
			t.Fatal(err)
		}
		// The reason is i%3==0's: 0, 3, ..., 18; 0 is at the retry limit.
		if plan.Selected != 7 || len(plan.Refused) != 1 || len(plan.Targets) != 1 || plan.Targets[0].Records != 6 {
			t.Fatalf("plan %+v", plan)
		}
		tg := plan.Targets[0]
		if tg.Topic != src {
			t.Errorf("target %s, want %s", tg.Topic, src)
		}
		want := map[int32]int{}
		for i := 3; i < 21; i += 3 {
			want[PartitionForKey(fmt.Appendf(nil, "order-%d", i), 3)]++
		}
		if fmt.Sprint(tg.Partitions) != fmt.Sprint(want) {
			t.Errorf("partitions %v, want %v", tg.Partitions, want)
		}
		if fmt.Sprint(tg.Headers) != "[correlation.id id kflow.redrive.from kflow.redrive.id retry.count]" {
			t.Errorf("headers %v", tg.Headers)
		}
		if !slices.Contains(tg.Dropped, "error.reason") || !slices.Contains(tg.Dropped, "error.stack") || !slices.Contains(tg.Dropped, "original.topic") {
			t.Errorf("dropped %v", tg.Dropped)
		}
		other, err := c.PlanRedrive(testCtx(t), dlq, DLQRedriveOptions{To: src})
		if err != nil {
			t.Fatal(err)
		}
		if other.ID == plan.ID || other.Selected != 21 {
			t.Errorf("another selection: id %s (first %s), %d selected", other.ID, plan.ID, other.Selected)
		}
	})
}

// TestRedriveKilledResumesExactlyOnce: a redrive stopped between
// batches, and one stopped inside a batch, then run again to the end,
// leaves every selected record in the target exactly once, with its
// retry count incremented and the DLQ's headers dropped; a third run
// sends nothing.
func TestRedriveKilledResumesExactlyOnce(t *testing.T) {
	eachBackend(t, func(t *testing.T, c *Client, b backend) {
		src := uniqueTopic(t)
		dlq := src + ".DLQ"
		mustCreate(t, c, src, 3, nil)
		mustCreate(t, c, dlq, 2, nil)
		const n = 60
		seedDLQ(t, c, src, dlq, n)
		opts := DLQRedriveOptions{BatchSize: 5}
		plan, err := c.PlanRedrive(testCtx(t), dlq, opts)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = c.DeleteGroup(ctx, plan.Group) // long names would crowd other tests' group lists
		})
		refused := len(plan.Refused)
		if plan.Selected != n || refused != 9 || plan.Sending() != n-refused {
			t.Fatalf("plan: %d selected, %d refused, %d to send", plan.Selected, refused, plan.Sending())
		}
		// First run: cancelled once two batches are committed.
		ctx, cancel := context.WithCancel(testCtx(t))
		_, err = c.Redrive(ctx, plan, func(p DLQProgress) {
			if p.Batches == 2 {
				cancel()
			}
		})
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("first run: %v, want cancelled", err)
		}
		// Second run: killed inside its second batch, between sending
		// and committing (the records are in the target, uncommitted).
		plan, err = c.PlanRedrive(testCtx(t), dlq, opts)
		if err != nil {
			t.Fatal(err)
		}
		if plan.Done < 10 || plan.Done+plan.Selected != n {
			t.Fatalf("resumed plan: %d done, %d selected", plan.Done, plan.Selected)
		}
		crashing := plan
		crashing.opts.crashAfter = 7
		if _, err = c.Redrive(testCtx(t), crashing, nil); !errors.Is(err, errCrashed) {
			t.Fatalf("second run: %v, want crashed", err)
		}
		// Third run: to the end.
		plan, err = c.PlanRedrive(testCtx(t), dlq, opts)
		if err != nil {
			t.Fatal(err)
		}
		res, err := c.Redrive(testCtx(t), plan, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Sent != plan.Sending() {
			t.Errorf("last run sent %d, plan said %d", res.Sent, plan.Sending())
		}
		ids, recs := readIDs(t, c, src)
		if len(ids) != n-refused || len(recs) != n-refused {
			t.Errorf("target holds %d records with %d ids, want %d once each", len(recs), len(ids), n-refused)
		}
		for id, k := range ids {
			if k != 1 {
				t.Errorf("%s redriven %d times", id, k)
			}
		}
		for _, r := range recs {
			i, _ := strconv.Atoi(headerValue(r.Headers, []string{"id"})[4:])
			if got := headerValue(r.Headers, []string{DLQRetryHeader}); got != strconv.Itoa(i%3+1) {
				t.Errorf("%s: retry.count %s, want %d", headerValue(r.Headers, []string{"id"}), got, i%3+1)
			}
			if headerValue(r.Headers, []string{"error.reason"}) != "" || headerValue(r.Headers, []string{DLQRedriveIDHeader}) != plan.ID {
				t.Errorf("headers %v", r.Headers)
			}
			if r.Partition != PartitionForKey(r.Key, 3) {
				t.Errorf("%s on partition %d, want %d", r.Key, r.Partition, PartitionForKey(r.Key, 3))
			}
		}
		again, err := c.PlanRedrive(testCtx(t), dlq, opts)
		if err != nil {
			t.Fatal(err)
		}
		if again.Selected != 0 || again.Done != n {
			t.Errorf("after the redrive: %d selected, %d done", again.Selected, again.Done)
		}
	})
}

// TestRedriveReadOnlyRefuses: a read-only client sends nothing.
func TestRedriveReadOnlyRefuses(t *testing.T) {
	b := backends(t)[0]
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, err := Connect(ctx, ConnConfig{Brokers: b.brokers, Timeout: 10 * time.Second, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.Redrive(ctx, DLQPlan{Topic: "x.DLQ", Group: "g", Ends: map[int32]int64{0: 1}}, nil)
	if !errors.Is(err, ErrReadOnly) {
		t.Fatalf("read-only redrive: %v", err)
	}
}
