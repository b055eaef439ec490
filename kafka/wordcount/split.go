package wordcount

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"

	"github.com/twmb/franz-go/pkg/kgo"

	"kflow/kafka"
	"kflow/kafka/schema"
)

// wcSplit is the first stage: it consumes the input in group App-split,
// splits each line into words, combines a transaction's words into one
// partial count per distinct word (see combiner) and sends each, keyed
// by its word, to the repartition partition murmur2 picks for it, all in
// one transaction with the input offsets.
type wcSplit struct {
	ctx      context.Context // run's, for decoding typed input
	wc       *Engine
	sess     *kgo.GroupTransactSession
	t        wcTopics
	assigned partSet
	batch    combiner
	// ready is closed once the topics the engine created are in the
	// metadata: the first transaction waits for it.
	ready <-chan struct{}
	bufs  txnBufs
}

func newWCSplit(c *kafka.Client, wc *Engine, t wcTopics, ready <-chan struct{}) (*wcSplit, error) {
	s := &wcSplit{wc: wc, t: t, ready: ready}
	sess, err := kgo.NewGroupTransactSession(wc.sessionOpts(c, "split", t.input, &s.assigned, nil, nil)...)
	if err != nil {
		return nil, fmt.Errorf("split stage: %w", err)
	}
	s.sess = sess
	return s, nil
}

// run polls, splits, combines and commits until ctx ends or a transaction
// fails for good.
func (s *wcSplit) run(ctx context.Context) error {
	defer s.sess.Close()
	s.ctx = ctx
	tune := s.wc.opts.tuning
	for {
		s.batch.reset()
		fs := s.sess.PollRecords(ctx, tune.splitLines)
		if ctx.Err() != nil || fs.IsClientClosed() {
			return nil
		}
		if err := pollErr(fs, "split"); err != nil {
			return err
		}
		if fs.Empty() {
			continue
		}
		s.add(fs)
		// The transaction takes what else comes within splitLinger of its
		// first lines, up to splitLines: a backlog fills it at once, a
		// trickle waits at most the linger. Offsets of every poll are
		// committed with it (the session commits what was polled).
		held := func() int { return int(s.batch.lines) }
		stop, err := lingerPoll(ctx, s.sess, tune.splitLinger, "split", tune.splitLines, held, s.add)
		if stop {
			return nil // uncommitted: the group redoes these lines
		}
		if err != nil {
			return err
		}
		// Until the topics just created are in the metadata, the first
		// transaction keeps taking lines, up to splitFirstLines: the wait
		// (about a second on a KRaft broker) combines input instead of
		// idling.
		for !s.isReady() && tune.splitLines*splitFirstFactor > int(s.batch.lines) {
			stop, err := lingerPoll(ctx, s.sess, tune.splitLinger, "split", tune.splitLines*splitFirstFactor, held, s.add)
			if stop {
				return nil
			}
			if err != nil {
				return err
			}
		}
		select {
		case <-s.ready:
		case <-ctx.Done():
			return nil // uncommitted: the group redoes these lines
		}
		if err := s.txn(ctx); err != nil {
			return err
		}
	}
}

// splitFirstFactor is how many times splitLines the first transaction
// may take while it waits for the topics the engine created.
const splitFirstFactor = 10

// isReady reports whether the engine's topics are in the metadata.
func (s *wcSplit) isReady() bool {
	select {
	case <-s.ready:
		return true
	default:
		return false
	}
}

// add counts the words of fs's lines into the batch.
func (s *wcSplit) add(fs kgo.Fetches) {
	dec := s.wc.opts.Decoder
	fs.EachRecord(func(r *kgo.Record) {
		if dec != nil && schema.IsWireFormat(r.Value) {
			s.batch.addLine(typedLine(s.ctx, dec, r.Value))
			return
		}
		s.batch.addLine(r.Value) // a null value (tombstone) is an empty line
	})
}

// typedLine is a wire-format value as the text to count: a decoded string's
// text, another decoded value's JSON, or the bytes when it does not decode.
func typedLine(ctx context.Context, dec *schema.Decoder, b []byte) []byte {
	d, err := dec.Decode(ctx, b)
	if err != nil {
		return b
	}
	var s string
	if len(d.JSON) > 0 && d.JSON[0] == '"' && json.Unmarshal(d.JSON, &s) == nil {
		return []byte(s)
	}
	return d.JSON
}

// txn writes the batch's partial counts in one transaction that commits
// the offsets of its lines.
func (s *wcSplit) txn(ctx context.Context) error {
	if err := s.sess.Begin(); err != nil {
		return fmt.Errorf("split stage: begin transaction: %w", err)
	}
	pctx := context.WithoutCancel(ctx)
	promise := kgo.AbortingFirstErrPromise(s.sess.Client())
	// The records, keys and values in three buffers rather than three
	// allocations per word, reused by the next transaction: every
	// promise has been called once promise.Err returns.
	recs, keys, vals := s.bufs.get(s.batch.distinct(), s.batch.keyBytes)
	i := 0
	s.batch.each(func(word string, n int64) {
		keys = append(keys, word...)
		key := keys[len(keys)-len(word) : len(keys) : len(keys)]
		vals = binary.BigEndian.AppendUint64(vals, uint64(n))
		recs[i] = kgo.Record{
			Topic:     s.t.repartition,
			Partition: kafka.PartitionForKey(key, s.t.repartitionParts),
			Key:       key,
			Value:     vals[len(vals)-8 : len(vals) : len(vals)],
		}
		s.sess.Produce(pctx, &recs[i], promise.Promise())
		i++
	})
	produceErr := produced(pctx, s.sess, promise)
	committed, err := s.wc.endTxn(ctx, s.sess, produceErr == nil, "split")
	if err != nil {
		return err
	}
	if produceErr != nil && isFatalFetchErr(produceErr) {
		return fmt.Errorf("split stage: produce to %q: %w", s.t.repartition, produceErr)
	}
	if committed {
		s.wc.linesIn.Add(s.batch.lines)
		s.wc.words.Add(s.batch.total)
		s.wc.shuffled.Add(int64(s.batch.distinct()))
	}
	return nil
}

// reopen replaces the session a transient failure ended (run has closed
// it) with a new one of the same transactional id, which fences the old
// producer and aborts its open transaction; the group hands the input out
// again from the committed offsets, so nothing is lost or split twice.
func (s *wcSplit) reopen(c *kafka.Client) error {
	s.assigned.remove(s.assigned.list())
	sess, err := kgo.NewGroupTransactSession(s.wc.sessionOpts(c, "split", s.t.input, &s.assigned, nil, nil)...)
	if err != nil {
		return fmt.Errorf("split stage: %w", err)
	}
	s.sess = sess
	return nil
}
