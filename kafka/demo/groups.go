package demo

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

// GroupReporting is the demo's idle group: a nightly reporting job
// that committed part of OrdersTopic and has no members now, so its
// lag grows and, unlike the demo's active groups, its offsets can be
// reset: the group to try a reset plan on.
const GroupReporting = "reporting"

// demoReportingCommit is how many records the reporting group committed,
// the same number on each partition.
const demoReportingCommit = 150

// commitReporting commits the reporting group's offsets, as the job left
// them when it last ran; nothing joins the group afterwards.
func commitReporting(ctx context.Context, adm *kadm.Client) error {
	offs := make(kadm.Offsets)
	for p := range int32(demoOrdersPartitions) {
		offs.Add(kadm.Offset{Topic: OrdersTopic, Partition: p, At: demoReportingCommit / demoOrdersPartitions, LeaderEpoch: -1})
	}
	if err := adm.CommitAllOffsets(ctx, GroupReporting, offs); err != nil {
		return fmt.Errorf("demo: commit group %q: %w", GroupReporting, err)
	}
	return nil
}

// demoGroup is one of the demo's consumer groups: a real group consumer
// in this process whose commit pattern gives the group its lag story.
type demoGroup struct {
	name     string
	clientID string
	run      func(ctx context.Context, d *Cluster, cl *kgo.Client)
}

// demoNotificationsShare is the notifications group's processing rate as
// a fraction of the produce rate.
const demoNotificationsShare = 0.6

// demoGroups are the groups on OrdersTopic for a produce rate.
func demoGroups(rate float64) []demoGroup {
	return []demoGroup{
		{GroupInventory, "inventory-service", runInventory},
		{GroupNotifications, "notification-service", func(ctx context.Context, d *Cluster, cl *kgo.Client) {
			runNotifications(ctx, d, cl, rate*demoNotificationsShare)
		}},
		{GroupShipping, "shipping-service", runShipping},
	}
}

// client joins the group from the start of the topic. Autocommit is off
// for every group: each commits on its own schedule, which is the point.
func (g demoGroup) client(addr string) (*kgo.Client, error) {
	return kgo.NewClient(
		kgo.SeedBrokers(addr),
		kgo.ClientID(g.clientID),
		kgo.ConsumerGroup(g.name),
		kgo.ConsumeTopics(OrdersTopic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.DisableAutoCommit(),
	)
}

// demoPoll returns up to n records (all buffered when n <= 0), or ok
// false when the demo is closing. Fetch errors are reported and polling
// goes on.
func demoPoll(ctx context.Context, d *Cluster, cl *kgo.Client, group string, n int) (recs []*kgo.Record, ok bool) {
	fs := cl.PollRecords(ctx, n)
	if ctx.Err() != nil || fs.IsClientClosed() {
		return nil, false
	}
	fs.EachError(func(t string, p int32, err error) {
		d.fail(ctx, fmt.Errorf("group %q: fetch %s[%d]: %w", group, t, p, err))
	})
	return fs.Records(), true
}

// runInventory processes every record as it arrives and commits after
// each poll, so its lag stays near zero.
func runInventory(ctx context.Context, d *Cluster, cl *kgo.Client) {
	for {
		recs, ok := demoPoll(ctx, d, cl, GroupInventory, 0)
		if !ok {
			return
		}
		if len(recs) == 0 {
			continue
		}
		if err := cl.CommitRecords(ctx, recs...); err != nil {
			d.fail(ctx, fmt.Errorf("group %q: commit: %w", GroupInventory, err))
		}
	}
}

// runNotifications processes at most rate records per second, in event
// time order across partitions, committing about once a second, so
// against a faster producer its lag grows steadily on every partition.
// Some orders fail: retried with backoff, then dead-lettered (notify).
func runNotifications(ctx context.Context, d *Cluster, cl *kgo.Client, rate float64) {
	tick := time.NewTicker(time.Duration(float64(time.Second) / rate))
	defer tick.Stop()
	every := max(1, int(rate))
	commit := func(done []*kgo.Record) {
		if err := cl.CommitRecords(ctx, done...); err != nil {
			d.fail(ctx, fmt.Errorf("group %q: commit: %w", GroupNotifications, err))
		}
	}
	for {
		recs, ok := demoPoll(ctx, d, cl, GroupNotifications, 0)
		if !ok {
			return
		}
		// Stable: records of one partition keep their offset order.
		slices.SortStableFunc(recs, func(a, b *kgo.Record) int { return a.Timestamp.Compare(b.Timestamp) })
		var done []*kgo.Record
		for _, r := range recs { // "send" one notification per tick
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			if !notify(ctx, d, cl, r) {
				return
			}
			if done = append(done, r); len(done) == every {
				commit(done)
				done = done[:0]
			}
		}
		if len(done) > 0 {
			commit(done)
		}
	}
}

// runShipping reads until it has seen the first demoShippingCommit /
// partitions records of every partition, commits exactly those, and then
// goes on polling and never commits again: the consumer that is alive and
// in its group but stuck, its committed offsets frozen.
func runShipping(ctx context.Context, d *Cluster, cl *kgo.Client) {
	per := int64(demoShippingCommit / demoOrdersPartitions)
	last := map[int32]*kgo.Record{} // per partition, the record at offset per-1
	committed := false
	for {
		recs, ok := demoPoll(ctx, d, cl, GroupShipping, 0)
		if !ok {
			return
		}
		if committed {
			continue
		}
		for _, r := range recs {
			if r.Offset == per-1 {
				last[r.Partition] = r
			}
		}
		if len(last) < demoOrdersPartitions {
			continue
		}
		// A failed commit is retried after the next poll, still at the
		// same offsets.
		if err := cl.CommitRecords(ctx, slices.Collect(maps.Values(last))...); err != nil {
			d.fail(ctx, fmt.Errorf("group %q: commit: %w", GroupShipping, err))
			continue
		}
		committed = true
		d.logf("demo: group %q committed offset %d on each partition and will never commit again", GroupShipping, per)
	}
}
