package kafka

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"

	"github.com/twmb/franz-go/pkg/kgo"
)

// Batch is one poll's records read in place, in franz-go's fetch memory:
// no copy of them is made, and that memory goes back to the consumer's
// pools as they are read. It is the headless tail's path (PollBatch),
// where each record is formatted once and forgotten.
type Batch struct {
	recs     []*kgo.Record
	maxBytes int
}

// Len is how many records the batch holds.
func (b *Batch) Len() int { return len(b.recs) }

// Each hands the records of [lo, hi) to fn in order, then gives their
// memory back: r, its key, value and headers are valid only during the
// call, and a record is read once. Goroutines may read disjoint ranges of
// one batch at the same time.
func (b *Batch) Each(lo, hi int, fn func(r *Record)) {
	var hs []Header  // reused: each record's headers
	r := new(Record) // reused: one allocation per call, not per record
	for i := lo; i < hi; i++ {
		kr := b.recs[i]
		*r = Record{
			Topic:     kr.Topic,
			Partition: kr.Partition,
			Offset:    kr.Offset,
			Timestamp: kr.Timestamp,
			Key:       cut(kr.Key, b.maxBytes),
			Value:     cut(kr.Value, b.maxBytes),
			KeySize:   len(kr.Key),
			ValueSize: len(kr.Value),
		}
		if len(kr.Headers) > 0 {
			hs = hs[:0]
			for _, h := range kr.Headers {
				hs = append(hs, Header{Key: h.Key, Value: cut(h.Value, b.maxBytes)})
			}
			r.Headers = hs
		}
		fn(r)
		kr.Recycle()
		b.recs[i] = nil
	}
}

// Release gives back the memory of the records Each did not read (a tail
// that stopped at its count, say) and empties the batch for the next poll.
func (b *Batch) Release() {
	for _, r := range b.recs {
		if r != nil {
			r.Recycle()
		}
	}
	clear(b.recs)
	b.recs = b.recs[:0]
}

// cut is b capped to max bytes (no cap when negative), without a copy:
// the record is read before its memory is reused.
func cut(b []byte, max int) []byte {
	if max < 0 || len(b) <= max {
		return b
	}
	return b[:max:max]
}

// copyTo appends copies of the records of [lo, hi) to dst, as Poll
// returns them, and gives their slots back. Only for a consumer that is
// not InPlace: the copies keep the fetched bytes, which such a consumer
// does not reuse.
func (b *Batch) copyTo(dst []Record, lo, hi int) []Record {
	for i := lo; i < hi; i++ {
		dst = append(dst, convert(b.recs[i], b.maxBytes))
		b.recs[i].Recycle()
		b.recs[i] = nil
	}
	return dst
}

// skip gives back the records of [lo, hi) unread and returns their
// sizes as Record.Size counts them (a ring counts what it never holds).
func (b *Batch) skip(lo, hi int) uint64 {
	var size uint64
	for i := lo; i < hi; i++ {
		r := b.recs[i]
		size += uint64(len(r.Key) + len(r.Value))
		for _, h := range r.Headers {
			size += uint64(len(h.Key) + len(cut(h.Value, b.maxBytes)))
		}
		r.Recycle()
		b.recs[i] = nil
	}
	return size
}

// PollBatch is Poll putting every record fetched so far into b (released
// first), so franz-go fetches again at once while they are read; the
// records are read with Each when the consumer is InPlace. With
// StopAtEnd it returns io.EOF once every partition reached its end.
func (cs *Consumer) PollBatch(ctx context.Context, b *Batch) error {
	b.Release()
	b.maxBytes = cs.opts.MaxBytes
	for {
		cs.mu.Lock()
		done := cs.done
		cs.mu.Unlock()
		if done {
			return io.EOF
		}
		fs := cs.pollAll(ctx)
		if cs.gaveUp.Err() != nil {
			return context.Cause(cs.gaveUp)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if fs.IsClientClosed() {
			return io.EOF
		}
		var firstErr error
		b.recs = slices.Grow(b.recs, fs.NumRecords())
		fs.EachPartition(func(fp kgo.FetchTopicPartition) {
			if fp.Err != nil && firstErr == nil {
				firstErr = fmt.Errorf("tail %q partition %d: %w", fp.Topic, fp.Partition, explain(fp.Err))
			}
			b.recs = cs.takeInPlace(fp, b.recs)
		})
		if len(b.recs) > 0 {
			return nil // an error with records is seen on the next poll
		}
		if firstErr != nil && !errors.Is(firstErr, context.Canceled) {
			return firstErr
		}
	}
}

// pollAll is poll taking every buffered record: a fetch taken whole lets
// franz-go send the next one while this one is read.
func (cs *Consumer) pollAll(ctx context.Context) kgo.Fetches {
	if !cs.opts.StopAtEnd {
		return cs.cl.PollFetches(ctx)
	}
	pctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(cs.gaveUp, cancel)
	defer func() {
		stop()
		cancel()
	}()
	return cs.cl.PollFetches(pctx)
}

// takeInPlace is take keeping franz-go's records themselves; the records
// it skips (control records, records past a StopAtEnd end) are recycled.
func (cs *Consumer) takeInPlace(fp kgo.FetchTopicPartition, out []*kgo.Record) []*kgo.Record {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	pp := cs.prog[fp.Partition]
	if pp == nil {
		recycle(fp.Records)
		return out
	}
	if fp.HighWatermark > pp.HighWater {
		pp.HighWater = fp.HighWatermark
	}
	for i, r := range fp.Records {
		if cs.opts.StopAtEnd && r.Offset >= pp.Target {
			recycle(fp.Records[i:])
			break
		}
		pp.Next = r.Offset + 1
		if r.Attrs.IsControl() {
			r.Recycle()
			continue
		}
		out = append(out, r)
	}
	cs.endPartition(fp.Partition, pp)
	return out
}

func recycle(recs []*kgo.Record) {
	for _, r := range recs {
		r.Recycle()
	}
}

// recordPool hands franz-go the record slices and decompression buffers
// of fetched batches back once every record of a batch is recycled
// (kgo.WithPools), so a tail reading in place allocates nothing per
// batch: no garbage for the collector to chase on the cores the fetches
// need.
type recordPool struct {
	recs  sync.Pool // *[]kgo.Record
	bytes sync.Pool // *[]byte
}

// GetRecords returns a slice with capacity n (kgo.PoolRecords).
func (p *recordPool) GetRecords(n int) []kgo.Record {
	if s, ok := p.recs.Get().(*[]kgo.Record); ok && cap(*s) >= n {
		return (*s)[:0]
	}
	return make([]kgo.Record, 0, n)
}

// PutRecords takes a slice back (kgo.PoolRecords).
func (p *recordPool) PutRecords(s []kgo.Record) { p.recs.Put(&s) }

// GetDecompressBytes returns a buffer to decompress into; one too small
// is grown by the codec and the grown one comes back (kgo.PoolDecompressBytes).
func (p *recordPool) GetDecompressBytes([]byte, kgo.CompressionCodecType) []byte {
	if b, ok := p.bytes.Get().(*[]byte); ok {
		return (*b)[:0]
	}
	return nil
}

// PutDecompressBytes takes a buffer back (kgo.PoolDecompressBytes).
func (p *recordPool) PutDecompressBytes(b []byte) { p.bytes.Put(&b) }

// recordsOnly is a recordPool without its decompression buffers: a
// consumer whose records are copied out (Poll) keeps their bytes.
type recordsOnly struct{ p *recordPool }

func (r recordsOnly) GetRecords(n int) []kgo.Record { return r.p.GetRecords(n) }
func (r recordsOnly) PutRecords(s []kgo.Record)     { r.p.PutRecords(s) }
