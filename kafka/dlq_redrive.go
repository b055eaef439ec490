package kafka

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// DLQProgress is where a running redrive is, after each committed batch.
type DLQProgress struct {
	Batches int `json:"batches"`
	Sent    int `json:"sent"`
	Refused int `json:"refused"`
	Skipped int `json:"skipped"` // read, not selected
	// Total is what the plan said would be sent.
	Total int `json:"total"`
}

// DLQResult is what a redrive did.
type DLQResult struct {
	DLQProgress
	ID    string `json:"id"`
	Group string `json:"group"`
}

// RedriveTxnTimeout bounds a redrive's transactions: a killed redrive's
// open transaction is aborted by the coordinator after it at the latest
// (a re-run fences and aborts it at once).
const RedriveTxnTimeout = 30 * time.Second

// RedriveSessionTimeout is the session timeout of a redrive's group
// member: how long a killed redrive's member holds up a re-run's join.
const RedriveSessionTimeout = 10 * time.Second

// RedriveJoinWait bounds how long a redrive waits for its group to give
// it the DLQ's partitions.
const RedriveJoinWait = 2*RedriveSessionTimeout + 30*time.Second

// Redrive sends the records a plan selected back to their targets, once
// each. It reads the DLQ in the plan's consumer group (plan.Group) and
// sends each batch in one transaction of an idempotent producer whose
// transactional id is the group's name, committing the batch's DLQ
// offsets to the group in the same transaction (as Kafka Streams'
// exactly-once does). A batch is therefore either sent and recorded, or
// neither: a redrive killed at any point and run again resumes after the
// last committed batch and duplicates nothing, and the re-run's producer
// fences the killed one's and aborts its open transaction. It stops
// once it has read up to the offsets the plan saw as the DLQ's ends.
// progress, when set, is told of each committed batch.
func (c *Client) Redrive(ctx context.Context, plan DLQPlan, progress func(DLQProgress)) (DLQResult, error) {
	res := DLQResult{ID: plan.ID, Group: plan.Group}
	res.Total = plan.Sending()
	if err := c.writable("redrive " + plan.Topic); err != nil {
		return res, err
	}
	if plan.Group == "" {
		return res, errors.New("redrive: the plan has no group (make it with PlanRedrive)")
	}
	o := plan.opts.withDefaults()
	todo := map[int32]int64{} // partitions still to read, to their end
	for p, end := range plan.Ends {
		if done, ok := plan.Progress[p]; !ok || done < end {
			todo[p] = end
		}
	}
	if len(todo) == 0 {
		return res, nil
	}
	var assigned atomic.Bool
	sess, err := kgo.NewGroupTransactSession(append(c.Options(),
		// A killed redrive's member stays in the group until its
		// session times out, and a re-run's join waits for that: keep
		// it short.
		kgo.SessionTimeout(RedriveSessionTimeout),
		kgo.OnPartitionsAssigned(func(context.Context, *kgo.Client, map[string][]int32) { assigned.Store(true) }),
		kgo.ConsumerGroup(plan.Group),
		kgo.ConsumeTopics(plan.Topic),
		kgo.TransactionalID(plan.Group),
		kgo.TransactionTimeout(RedriveTxnTimeout),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.RecordPartitioner(kgo.ManualPartitioner()),
		kgo.FetchMaxWait(200*time.Millisecond),
	)...)
	if err != nil {
		return res, fmt.Errorf("redrive %s: %w", plan.Topic, err)
	}
	defer sess.Close()
	parts := c.partsOf(ctx)
	started := time.Now()
	idle := 0
	for len(todo) > 0 {
		if err := ctx.Err(); err != nil {
			return res, fmt.Errorf("redrive %s: stopped after %d batches: %w", plan.Topic, res.Batches, err)
		}
		pctx, cancel := context.WithTimeout(ctx, time.Second)
		fs := sess.PollRecords(pctx, o.BatchSize)
		cancel()
		if ctx.Err() != nil {
			return res, fmt.Errorf("redrive %s: stopped after %d batches: %w", plan.Topic, res.Batches, ctx.Err())
		}
		if err := pollErr(fs); err != nil {
			return res, fmt.Errorf("redrive %s: %w", plan.Topic, err)
		}
		if fs.Empty() {
			// Transaction markers can end a partition past its
			// last record: idle polls after the group joined mean
			// all is read.
			// Until the group assigns the partitions nothing
			// comes: idle polls count only after.
			if !assigned.Load() {
				if time.Since(started) > RedriveJoinWait {
					return res, fmt.Errorf("redrive %s: group %s assigned no partitions in %v", plan.Topic, plan.Group, RedriveJoinWait)
				}
				continue
			}
			if idle++; idle >= 3 {
				break
			}
			continue
		}
		idle = 0
		if err := sess.Begin(); err != nil {
			return res, fmt.Errorf("redrive %s: begin transaction: %w", plan.Topic, err)
		}
		batch := DLQProgress{}
		var (
			mu      sync.Mutex
			sendErr error
		)
		fs.EachRecord(func(kr *kgo.Record) {
			if end, ok := todo[kr.Partition]; ok && kr.Offset >= end-1 {
				delete(todo, kr.Partition)
			}
			mu.Lock()
			failed := sendErr != nil
			mu.Unlock()
			if failed {
				return
			}
			r := fromKgoRecord(kr)
			if !o.Select.admits(r, o.ReasonHeaders) {
				batch.Skipped++
				return
			}
			rd := rewrite(r, plan.Topic, plan.ID, o, parts)
			if rd.refuse != "" {
				batch.Refused++
				return
			}
			out := &kgo.Record{Topic: rd.rec.Topic, Partition: rd.rec.Partition, Key: rd.rec.Key, Value: rd.rec.Value, Timestamp: time.Now()}
			for _, h := range rd.rec.Headers {
				out.Headers = append(out.Headers, kgo.RecordHeader{Key: h.Key, Value: h.Value})
			}
			sess.Produce(ctx, out, func(_ *kgo.Record, err error) {
				mu.Lock()
				if err != nil && sendErr == nil {
					sendErr = err
				}
				mu.Unlock()
			})
			batch.Sent++
		})
		if err := sess.Client().Flush(ctx); err != nil {
			mu.Lock()
			sendErr = errors.Join(sendErr, err)
			mu.Unlock()
		}
		if o.crashAfter > 0 && res.Sent+batch.Sent >= o.crashAfter {
			return res, errCrashed // a test's crash: the transaction stays open
		}
		committed, err := endRedriveTxn(ctx, sess, sendErr == nil)
		if sendErr != nil {
			return res, fmt.Errorf("redrive %s: send: %w", plan.Topic, explain(sendErr))
		}
		if err != nil {
			return res, fmt.Errorf("redrive %s: %w", plan.Topic, err)
		}
		if !committed {
			continue // a rebalance aborted the batch: it is polled again
		}
		res.Batches++
		res.Sent += batch.Sent
		res.Refused += batch.Refused
		res.Skipped += batch.Skipped
		if progress != nil {
			progress(res.DLQProgress)
		}
		if o.Rate > 0 {
			due := started.Add(time.Duration(float64(res.Sent) / o.Rate * float64(time.Second)))
			select {
			case <-ctx.Done():
			case <-time.After(time.Until(due)):
			}
		}
	}
	return res, nil
}

// errCrashed is what a redrive returns when a test's crashAfter stops it
// between sending a batch and committing it.
var errCrashed = errors.New("redrive crashed (test)")

// endRedriveTxn ends a batch's transaction, committing when commit holds
// and the session allows it. It is detached from ctx so a cancel lets a
// batch end instead of cutting it off, and bounded.
func endRedriveTxn(ctx context.Context, sess *kgo.GroupTransactSession, commit bool) (bool, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), RedriveTxnTimeout+10*time.Second)
	defer cancel()
	committed, err := sess.End(ctx, kgo.TransactionEndTry(commit))
	if err != nil {
		return false, fmt.Errorf("end transaction: %w", explain(err))
	}
	return committed, nil
}

// pollErr is the first fetch error a redrive stops on: any but a
// cancel or a group rebalance, which the session handles.
func pollErr(fs kgo.Fetches) error {
	var first error
	fs.EachError(func(topic string, p int32, err error) {
		var ge *kgo.ErrGroupSession
		if first != nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, kgo.ErrClientClosed) || errors.As(err, &ge) {
			return
		}
		first = fmt.Errorf("fetch %s partition %d: %w", topic, p, explain(err))
	})
	return first
}
