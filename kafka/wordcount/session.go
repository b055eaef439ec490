package wordcount

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"

	"kflow/kafka"
)

// partSet is the partitions a stage's group assigned it, kept by the
// group callbacks, which run on franz-go's goroutines.
type partSet struct {
	mu sync.Mutex
	m  map[int32]bool
}

func (ps *partSet) add(parts []int32) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if ps.m == nil {
		ps.m = map[int32]bool{}
	}
	for _, p := range parts {
		ps.m[p] = true
	}
}

func (ps *partSet) remove(parts []int32) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	for _, p := range parts {
		delete(ps.m, p)
	}
}

func (ps *partSet) list() []int32 {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	out := make([]int32, 0, len(ps.m))
	for p := range ps.m {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// sessionOpts are the options both stages' GroupTransactSessions share:
// the client's connection, exactly-once settings, and one group and
// transactional id per stage.
//
// The transactional id is unique per instance and stage
// (App-stage-<random>), as Kafka Streams' exactly-once v2 does (one per
// stream thread and process). Since KIP-447 (Kafka 2.5), a zombie is
// fenced by its consumer group generation, which TxnOffsetCommit checks,
// and a successor waits for the zombie's pending offsets
// (RequireStableFetchOffsets, always on in franz-go), so transactional ids
// no longer need to map to input partitions. A shared id per stage would
// be wrong: every instance initializing it fences the others, so two
// instances could never run at once. A stable id per instance (say a host
// name) would let a restarted instance abort its predecessor's open
// transaction at once instead of after the transaction timeout, but needs
// configuration that stays unique among live instances, and two
// instances misconfigured with the same id would fence each other in a
// loop. The price of random ids is that a killed instance's open
// transaction blocks read_committed readers of the partitions it wrote
// until the coordinator aborts it, which the short transaction timeout
// bounds.
func (wc *Engine) sessionOpts(c *kafka.Client, stage, topic string, ps *partSet, onAssigned, onGone func([]int32)) []kgo.Opt {
	t := wc.opts.tuning
	parts := func(m map[string][]int32) []int32 {
		ps := slices.Clone(m[topic])
		slices.Sort(ps)
		return ps
	}
	// say tells OnEvent of an assignment change; changes without
	// partitions of this stage's topic are none.
	say := func(kind EventKind, ps []int32) {
		if len(ps) > 0 {
			wc.opts.emit(Event{Kind: kind, Stage: stage, Topic: topic, Partitions: ps})
		}
	}
	return append(c.Options(),
		kgo.WithHooks(wc.net),
		kgo.ConsumerGroup(wc.opts.App+"-"+stage),
		kgo.ConsumeTopics(topic),
		kgo.TransactionalID(wc.opts.App+"-"+stage+"-"+wc.instance),
		kgo.TransactionTimeout(t.txnTimeout),
		kgo.SessionTimeout(t.sessionTimeout),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		// Like Kafka Streams (auto.offset.reset=earliest): a new
		// application counts what is already in the input.
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.RecordPartitioner(kgo.ManualPartitioner()),
		kgo.FetchMaxBytes(32<<20),
		kgo.FetchMaxPartitionBytes(8<<20),
		// Room for a whole transaction's records (a count transaction
		// writes two per word of up to countPoll partials, the first
		// split transaction up to splitFirstFactor*splitLines lines'
		// partials): at franz-go's 50,000 (or the 100,000 before) Produce
		// blocks mid-transaction until earlier batches are acknowledged.
		kgo.MaxBufferedRecords(500000),
		kgo.OnPartitionsAssigned(func(_ context.Context, _ *kgo.Client, m map[string][]int32) {
			ps.add(parts(m))
			say(EventAssigned, parts(m))
			if onAssigned != nil {
				onAssigned(parts(m))
			}
		}),
		kgo.OnPartitionsRevoked(func(_ context.Context, _ *kgo.Client, m map[string][]int32) {
			ps.remove(parts(m))
			say(EventRevoked, parts(m))
			if onGone != nil {
				onGone(parts(m))
			}
		}),
		kgo.OnPartitionsLost(func(_ context.Context, _ *kgo.Client, m map[string][]int32) {
			ps.remove(parts(m))
			say(EventLost, parts(m))
			if onGone != nil {
				onGone(parts(m))
			}
		}),
	)
}

// produced waits for the records a transaction wrote through promise and
// returns the first error. They are sent now rather than after the
// producer's linger (franz-go's 10 ms): all are written, and the
// transaction waits for them next.
func produced(ctx context.Context, sess *kgo.GroupTransactSession, promise *kgo.FirstErrPromise) error {
	_ = sess.Client().Flush(ctx) // ctx never ends (detached): Flush returns once all are answered
	return promise.Err()
}

// endTxn ends a stage's transaction, committing when commit holds and the
// session allows it (no rebalance since the last one ended, offsets
// committed). The context is detached from the engine's so that Close
// lets a transaction end instead of cutting it off, and bounded so that a
// dead cluster cannot hang the engine.
func (wc *Engine) endTxn(ctx context.Context, sess *kgo.GroupTransactSession, commit bool, stage string) (bool, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*wc.opts.tuning.txnTimeout+30*time.Second)
	defer cancel()
	committed, err := sess.End(ctx, kgo.TransactionEndTry(commit))
	if err != nil {
		wc.aborted.Add(1)
		return false, fmt.Errorf("%s stage: end transaction: %w", stage, kafka.Explain(err))
	}
	if committed {
		wc.committed.Add(1)
	} else {
		wc.aborted.Add(1)
	}
	return committed, nil
}

// lingerPoll fills a transaction after its first poll: it polls sess
// again for up to linger, handing each non-empty poll to take, while
// held (the records the transaction holds) is below limit. A trickle
// waits at most the linger, so that its records go in one transaction. A
// transaction holding a backlog's worth (a tenth of limit or more) waits
// at most backlogGap for each further poll instead: a backlog's records
// are buffered and come at once, so a gap means the backlog has ended,
// and the last records of a burst are committed then, not a linger later.
// stop reports that the engine is closing (what was polled stays
// uncommitted, so the group redoes it).
func lingerPoll(ctx context.Context, sess *kgo.GroupTransactSession, linger time.Duration, stage string, limit int, held func() int, take func(kgo.Fetches)) (stop bool, err error) {
	deadline := time.Now().Add(linger)
	for held() < limit {
		wait := time.Until(deadline)
		if wait <= 0 {
			return false, nil
		}
		if held() >= limit/10 {
			wait = min(wait, backlogGap)
		}
		pctx, cancel := context.WithTimeout(ctx, wait)
		fs := sess.PollRecords(pctx, limit-held())
		cancel()
		if ctx.Err() != nil || fs.IsClientClosed() {
			return true, nil
		}
		if err := pollErr(fs, stage); err != nil {
			return false, err
		}
		if fs.Empty() {
			return false, nil
		}
		take(fs)
	}
	return false, nil
}

// backlogGap is how long a transaction holding a backlog's worth waits
// for more before it commits (lingerPoll).
const backlogGap = 10 * time.Millisecond

// pollErr turns a poll's fetch errors into the one a stage must stop on,
// if any. Most fetch errors are retried by the client and only reported.
func pollErr(fs kgo.Fetches, stage string) error {
	var fatal error
	fs.EachError(func(topic string, p int32, err error) {
		if fatal != nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, kgo.ErrClientClosed) {
			return
		}
		var ge *kgo.ErrGroupSession
		if errors.As(err, &ge) {
			return // the group rejoins by itself; the session aborts
		}
		if isFatalFetchErr(err) {
			fatal = fmt.Errorf("%s stage: fetch %s partition %d: %w", stage, topic, p, kafka.Explain(err))
		}
	})
	return fatal
}

// isFatalFetchErr reports errors no retry cures: the cluster refuses the
// engine access to a topic or group.
func isFatalFetchErr(err error) bool {
	return errors.Is(err, kerr.TopicAuthorizationFailed) ||
		errors.Is(err, kerr.GroupAuthorizationFailed) ||
		errors.Is(err, kerr.TransactionalIDAuthorizationFailed) ||
		errors.Is(err, kerr.ClusterAuthorizationFailed)
}
