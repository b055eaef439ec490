package wordcount

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"

	"kflow/kafka"
)

// wcPurger deletes the repartition records the counting stage has counted
// and committed, as Kafka Streams purges its repartition topics: after a
// commit, DeleteRecords up to the committed offset, at most once per
// interval per partition so the round trip does not slow every
// transaction. Records below a committed offset are never read again (the
// group resumes from it whoever owns the partition next), so deleting
// them is safe even after the partition moved to another instance.
//
// One deletion is in flight at a time, off the counting stage's
// goroutine; flush deletes what is left when the engine stops.
type wcPurger struct {
	c     *kafka.Client
	opts  *Options
	topic string
	every time.Duration

	mu      sync.Mutex
	pending map[int32]int64     // committed offsets not yet purged up to
	last    map[int32]time.Time // when each partition was last purged
	busy    bool
	wg      sync.WaitGroup
}

func newWCPurger(c *kafka.Client, opts *Options, topic string) *wcPurger {
	return &wcPurger{c: c, opts: opts, topic: topic, every: opts.PurgeInterval,
		pending: map[int32]int64{}, last: map[int32]time.Time{}}
}

// committed notes the offsets a transaction committed and starts a purge
// of the partitions whose interval has passed, unless one runs.
func (p *wcPurger) committed(ctx context.Context, offsets map[int32]int64) {
	if p.opts.tuning.keepRepartition {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for part, o := range offsets {
		if o > p.pending[part] {
			p.pending[part] = o
		}
	}
	if p.busy {
		return
	}
	now := time.Now()
	due := map[int32]int64{}
	for part, o := range p.pending {
		if now.Sub(p.last[part]) >= p.every {
			due[part] = o
			p.last[part] = now
			delete(p.pending, part)
		}
	}
	if len(due) == 0 {
		return
	}
	p.busy = true
	p.wg.Add(1)
	// Not cut off by the engine stopping: flush waits for it.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), p.c.Timeout())
	go func() {
		defer p.wg.Done()
		defer cancel()
		p.delete(ctx, due)
		p.mu.Lock()
		p.busy = false
		p.mu.Unlock()
	}()
}

// flush waits for a running purge and deletes what is pending, bounded
// by the client's timeout: the engine is stopping.
func (p *wcPurger) flush(ctx context.Context) {
	p.wg.Wait()
	p.mu.Lock()
	due := p.pending
	p.pending = map[int32]int64{}
	p.mu.Unlock()
	if len(due) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), p.c.Timeout())
	defer cancel()
	p.delete(ctx, due)
}

// delete deletes the records of topic below the offsets; a failure is an
// event, not an engine error: the next purge covers the same records.
func (p *wcPurger) delete(ctx context.Context, due map[int32]int64) {
	var os kadm.Offsets
	for part, o := range due {
		os.Add(kadm.Offset{Topic: p.topic, Partition: part, At: o, LeaderEpoch: -1})
	}
	resps, err := p.c.Admin().DeleteRecords(ctx, os)
	if err == nil {
		err = resps.Error()
	}
	if err != nil {
		p.opts.emit(Event{Kind: EventPurgeFailed, Topic: p.topic, Err: fmt.Errorf("delete records: %w", kafka.Explain(err))})
		// Put them back, for the next commit to try again.
		p.mu.Lock()
		for part, o := range due {
			if o > p.pending[part] {
				p.pending[part] = o
			}
			delete(p.last, part)
		}
		p.mu.Unlock()
	}
}
