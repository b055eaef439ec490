package wordcount

import (
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"kflow/kafka"
)

// wcCount is the second stage: it consumes the repartition topic in group
// App-count, so each word reaches one instance, adds up the words'
// partial counts, and writes each word's new count to the changelog (same
// partition as the word's repartition partition) and to the output, in
// one transaction with the repartition offsets.
//
// Counts live in memory per repartition partition. They are only
// replaced, never trusted, after a partition is assigned: its changelog
// partition is read to the end first (restore). A transaction's counts
// join the state only once it committed; after an abort the session
// rewinds to the committed offsets and the records are counted again.
type wcCount struct {
	wc       *Engine
	sess     *kgo.GroupTransactSession
	c        *kafka.Client
	t        wcTopics
	assigned partSet
	purge    *wcPurger
	// ready is closed once the topics the engine created are in the
	// metadata: the stage joins its group then (see run).
	ready <-chan struct{}

	mu    sync.Mutex
	state map[int32]map[string]int64 // restored partitions' counts
	// gen counts each partition's revocations: a restore begun before one
	// must not be installed after it.
	gen map[int32]uint64

	// pending are the new counts of the transaction being written, in the
	// order first met, and pendingIdx their index by partition and word;
	// both kept for the next transaction (count.go's txn only).
	pending    []pendingCount
	pendingIdx map[int32]map[string]int32
	bufs       txnBufs
}

// pendingCount is a word's count as the open transaction makes it.
type pendingCount struct {
	word string
	part int32
	n    int64
}

// resetPending empties the open transaction's counts, keeping their
// memory unless the last transaction was unusually large.
func (cs *wcCount) resetPending() {
	if cap(cs.pending) > 1<<20 {
		cs.pending, cs.pendingIdx = nil, nil
	}
	cs.pending = cs.pending[:0]
	if cs.pendingIdx == nil {
		cs.pendingIdx = map[int32]map[string]int32{}
	}
	for _, m := range cs.pendingIdx {
		clear(m)
	}
}

func newWCCount(c *kafka.Client, wc *Engine, t wcTopics, ready <-chan struct{}) *wcCount {
	return &wcCount{wc: wc, c: c, t: t, ready: ready, state: map[int32]map[string]int64{}, gen: map[int32]uint64{},
		purge: newWCPurger(c, &wc.opts, t.repartition)}
}

// drop forgets revoked or lost partitions' counts: another instance owns
// them now, and if they come back they are restored afresh.
func (cs *wcCount) drop(parts []int32) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	for _, p := range parts {
		delete(cs.state, p)
		cs.gen[p]++
	}
}

// owned returns the assigned partitions and the words held.
func (cs *wcCount) owned() ([]int32, int) {
	parts := cs.assigned.list()
	cs.mu.Lock()
	defer cs.mu.Unlock()
	n := 0
	for _, m := range cs.state {
		n += len(m)
	}
	return parts, n
}

// restorePoll is how long the counting stage polls before it looks for
// newly assigned partitions to restore even though no records came.
const restorePoll = 250 * time.Millisecond

// run restores, polls, counts and commits until ctx ends or a
// transaction fails for good.
//
// The group session starts once the repartition topic is in the
// metadata: a member subscribing to a topic its client does not know yet
// is assigned none of it until a later metadata refresh and rebalance.
func (cs *wcCount) run(ctx context.Context) error {
	select {
	case <-cs.ready:
	case <-ctx.Done():
		return nil
	}
	// The first run opens the session, once the repartition topic is
	// known; a run after a transient failure takes the one reopen made.
	// Opening another here would leave reopen's in the group, holding
	// partitions nobody polls.
	if cs.sess == nil {
		sess, err := kgo.NewGroupTransactSession(cs.wc.sessionOpts(cs.c, "count", cs.t.repartition, &cs.assigned, nil, cs.drop)...)
		if err != nil {
			return fmt.Errorf("count stage: %w", err)
		}
		cs.sess = sess
	}
	defer cs.purge.flush(ctx)
	defer cs.sess.Close()
	for {
		if err := cs.restoreMissing(ctx, nil); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		pctx, cancel := context.WithTimeout(ctx, restorePoll)
		fs := cs.sess.PollRecords(pctx, cs.wc.opts.tuning.countPoll)
		cancel()
		if ctx.Err() != nil || fs.IsClientClosed() {
			return nil
		}
		if err := pollErr(fs, "count"); err != nil {
			return err
		}
		if fs.Empty() {
			continue
		}
		// Like the split stage's, the transaction takes what else comes
		// within countLinger, up to countPoll records: fewer, larger
		// transactions write each word's count once for more partials.
		n := fs.NumRecords()
		stop, err := lingerPoll(ctx, cs.sess, cs.wc.opts.tuning.countLinger, "count", cs.wc.opts.tuning.countPoll,
			func() int { return n },
			func(more kgo.Fetches) { n += more.NumRecords(); fs = append(fs, more...) })
		if stop {
			return nil // uncommitted: the group counts these again
		}
		if err != nil {
			return err
		}
		// Partitions assigned since the restore above.
		if err := cs.restoreMissing(ctx, fs); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		if err := cs.txn(ctx, fs); err != nil {
			return err
		}
	}
}

// restoreMissing restores every assigned partition, and every partition
// fs holds records of, whose counts are not in memory: on start and after
// each rebalance, each newly assigned partition's changelog is read to
// its end before any of its records are counted.
//
// It is safe right at the assignment, before the group's offsets for the
// partition are known. The previous owner's last transaction either
// commits, and then wrote all its records before its commit began, which
// the session's revoke callback waits for, so before the rebalance handed
// the partition on; or it can no longer commit (revoked, dead or fenced
// owner) and aborts. So every record that will ever count is below the end
// the restore reads to, and the restore waits until all below that end is
// decided (see restoreCounts).
func (cs *wcCount) restoreMissing(ctx context.Context, fs kgo.Fetches) error {
	var missing []int32
	gens := map[int32]uint64{}
	cs.mu.Lock()
	need := func(p int32) {
		if _, ok := cs.state[p]; !ok && !slices.Contains(missing, p) {
			missing = append(missing, p)
			gens[p] = cs.gen[p]
		}
	}
	for _, p := range cs.assigned.list() {
		need(p)
	}
	fs.EachPartition(func(fp kgo.FetchTopicPartition) {
		if len(fp.Records) > 0 {
			need(fp.Partition)
		}
	})
	cs.mu.Unlock()
	if len(missing) == 0 {
		return nil
	}
	began := time.Now()
	restored, n, err := restoreCounts(ctx, cs.c, cs.t.changelog, missing)
	if err != nil {
		return fmt.Errorf("count stage: %w", err)
	}
	cs.wc.restored.Add(n)
	slices.Sort(missing)
	cs.wc.opts.emit(Event{Kind: EventRestored, Stage: "count", Topic: cs.t.changelog, Partitions: missing, N: n, Took: time.Since(began)})
	cs.mu.Lock()
	defer cs.mu.Unlock()
	for p, m := range restored {
		if cs.gen[p] == gens[p] {
			cs.state[p] = m
		}
	}
	return nil
}

// txn counts fs's words in one transaction and, once it committed, makes
// the new counts the state.
func (cs *wcCount) txn(ctx context.Context, fs kgo.Fetches) error {
	if err := cs.sess.Begin(); err != nil {
		return fmt.Errorf("count stage: begin transaction: %w", err)
	}
	// New counts by partition and word: pendingIdx indexes pending, so a
	// word met again in the transaction costs a lookup and no allocation.
	// A partition without state was revoked since the poll: the session
	// aborts this transaction anyway, so its records are skipped.
	cs.resetPending()
	var counted int64
	next := map[int32]int64{} // the offsets the commit stores
	var bad error
	keyLen := 0
	cs.mu.Lock()
	fs.EachPartition(func(fp kgo.FetchTopicPartition) {
		st, ok := cs.state[fp.Partition]
		if !ok || len(fp.Records) == 0 || bad != nil {
			return
		}
		next[fp.Partition] = fp.Records[len(fp.Records)-1].Offset + 1
		idx := cs.pendingIdx[fp.Partition]
		if idx == nil {
			idx = map[string]int32{}
			cs.pendingIdx[fp.Partition] = idx
		}
		for _, r := range fp.Records {
			partial, err := decodePartial(r.Value)
			if err != nil {
				bad = fmt.Errorf("count stage: %q partition %d offset %d key %q: %w", fp.Topic, fp.Partition, r.Offset, r.Key, err)
				return
			}
			counted += partial
			if i, ok := idx[string(r.Key)]; ok {
				cs.pending[i].n += partial
				continue
			}
			w := string(r.Key)
			idx[w] = int32(len(cs.pending))
			cs.pending = append(cs.pending, pendingCount{word: w, part: fp.Partition, n: st[w] + partial})
			keyLen += len(w)
		}
	})
	cs.mu.Unlock()
	if bad != nil {
		// Not the engine's format: counting on would count wrong, and
		// skipping would lose words. Abort and stop with the reason.
		if _, err := cs.wc.endTxn(ctx, cs.sess, false, "count"); err != nil {
			return fmt.Errorf("%w (after: %w)", err, bad)
		}
		return bad
	}

	// One update per word and transaction, as Kafka Streams' record cache
	// does at each commit: the count a reader sees is always one a
	// committed transaction ended with.
	pctx := context.WithoutCancel(ctx)
	promise := kgo.AbortingFirstErrPromise(cs.sess.Client())
	words := len(cs.pending)
	// The records, keys and values of the transaction in three buffers
	// rather than four allocations per word, reused by the next
	// transaction (see txnBufs).
	recs, keys, vals := cs.bufs.get(2*words, keyLen)
	var updates []Update
	if cs.wc.opts.OnUpdate != nil {
		updates = make([]Update, 0, words)
	}
	for j, pc := range cs.pending {
		i := 2 * j
		keys = append(keys, pc.word...)
		key := keys[len(keys)-len(pc.word) : len(keys) : len(keys)]
		vals = binary.BigEndian.AppendUint64(vals, uint64(pc.n))
		val := vals[len(vals)-8 : len(vals) : len(vals)]
		recs[i] = kgo.Record{Topic: cs.t.changelog, Partition: pc.part, Key: key, Value: val}
		recs[i+1] = kgo.Record{
			Topic:     cs.t.output,
			Partition: kafka.PartitionForKey(key, cs.t.outputParts),
			Key:       key,
			Value:     val,
		}
		cs.sess.Produce(pctx, &recs[i], promise.Promise())
		cs.sess.Produce(pctx, &recs[i+1], promise.Promise())
		if updates != nil {
			updates = append(updates, Update{Word: pc.word, Count: pc.n})
		}
	}
	produceErr := produced(pctx, cs.sess, promise)
	committed, err := cs.wc.endTxn(ctx, cs.sess, produceErr == nil, "count")
	if err != nil {
		return err
	}
	if produceErr != nil && isFatalFetchErr(produceErr) {
		return fmt.Errorf("count stage: produce: %w", produceErr)
	}
	if !committed {
		return nil
	}
	cs.mu.Lock()
	for _, pc := range cs.pending {
		// A partition revoked after the commit is dropped, not updated:
		// its next owner restores what this transaction wrote.
		if st, ok := cs.state[pc.part]; ok {
			st[pc.word] = pc.n
		}
	}
	cs.mu.Unlock()
	cs.purge.committed(ctx, next)
	cs.wc.counted.Add(counted)
	cs.wc.updatesOut.Add(int64(words))
	if f := cs.wc.opts.OnUpdate; f != nil {
		for _, u := range updates {
			f(u)
		}
	}
	return nil
}

// reopen replaces the session a transient failure ended (run has closed
// it) with a new one of the same transactional id: the old transaction is
// aborted, the counts held are dropped and restored from the changelog
// when the partitions are assigned again, so no count is lost or doubled.
func (cs *wcCount) reopen() error {
	parts := cs.assigned.list()
	cs.assigned.remove(parts)
	cs.drop(parts)
	sess, err := kgo.NewGroupTransactSession(cs.wc.sessionOpts(cs.c, "count", cs.t.repartition, &cs.assigned, nil, cs.drop)...)
	if err != nil {
		return fmt.Errorf("count stage: %w", err)
	}
	cs.sess = sess
	return nil
}

// txnBufs are a stage's buffers for the records of a transaction, their
// keys and their 8-byte values. They are reused from one transaction to
// the next: franz-go is done with a record once its promise was called,
// which every stage waits for (promise.Err) before it ends a transaction.
type txnBufs struct {
	recs       []kgo.Record
	keys, vals []byte
}

// get returns n records to fill and empty key and value buffers with room
// for keyBytes of keys and n values, without moving while filled (the
// records point into them). Buffers that grew unusually large are let go.
func (b *txnBufs) get(n, keyBytes int) ([]kgo.Record, []byte, []byte) {
	if cap(b.recs) < n || cap(b.recs) > 1<<20 {
		b.recs = make([]kgo.Record, n)
	}
	if cap(b.keys) < keyBytes || cap(b.keys) > 64<<20 {
		b.keys = make([]byte, 0, keyBytes)
	}
	if cap(b.vals) < 8*n || cap(b.vals) > 8<<20 {
		b.vals = make([]byte, 0, 8*n)
	}
	return b.recs[:n], b.keys[:0], b.vals[:0]
}
