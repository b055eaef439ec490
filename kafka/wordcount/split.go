package wordcount

import (
	"context"
	"fmt"

	"github.com/twmb/franz-go/pkg/kgo"

	"kflow/kafka"
)

// wcSplit is the first stage: it consumes the input in group App-split,
// splits each line into words and sends each word, keyed by itself, to the
// repartition partition murmur2 picks for it, all in one transaction per
// poll with the input offsets.
type wcSplit struct {
	wc       *Engine
	sess     *kgo.GroupTransactSession
	t        wcTopics
	assigned partSet
}

func newWCSplit(c *kafka.Client, wc *Engine, t wcTopics) (*wcSplit, error) {
	s := &wcSplit{wc: wc, t: t}
	sess, err := kgo.NewGroupTransactSession(wc.sessionOpts(c, "split", t.input, &s.assigned, nil, nil)...)
	if err != nil {
		return nil, fmt.Errorf("split stage: %w", err)
	}
	s.sess = sess
	return s, nil
}

// run polls, splits and commits until ctx ends or a transaction fails for
// good.
func (s *wcSplit) run(ctx context.Context) error {
	defer s.sess.Close()
	for {
		fs := s.sess.PollRecords(ctx, s.wc.opts.tuning.splitPoll)
		if ctx.Err() != nil || fs.IsClientClosed() {
			return nil
		}
		if err := pollErr(fs, "split"); err != nil {
			return err
		}
		if fs.Empty() {
			continue
		}
		if err := s.sess.Begin(); err != nil {
			return fmt.Errorf("split stage: begin transaction: %w", err)
		}
		pctx := context.WithoutCancel(ctx)
		promise := kgo.AbortingFirstErrPromise(s.sess.Client())
		var lines, words int64
		fs.EachRecord(func(r *kgo.Record) {
			lines++ // a null value (tombstone) is an empty line
			for _, w := range SplitWords(string(r.Value)) {
				words++
				key := []byte(w)
				s.sess.Produce(pctx, &kgo.Record{
					Topic:     s.t.repartition,
					Partition: kafka.PartitionForKey(key, s.t.repartitionParts),
					Key:       key,
				}, promise.Promise())
			}
		})
		produceErr := promise.Err()
		committed, err := s.wc.endTxn(ctx, s.sess, produceErr == nil, "split")
		if err != nil {
			return err
		}
		if produceErr != nil && isFatalFetchErr(produceErr) {
			return fmt.Errorf("split stage: produce to %q: %w", s.t.repartition, produceErr)
		}
		if committed {
			s.wc.linesIn.Add(lines)
			s.wc.words.Add(words)
		}
	}
}
