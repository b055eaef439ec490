package views

import (
	"slices"
	"time"

	"kflow/kafka"
)

// tailRates measures records/s and bytes/s overall (from the ring's
// counters, so records evicted before the view saw them still count) and
// per partition (from the records the view took).
type tailRates struct {
	at                  time.Time // last sample
	recv, bytes         uint64    // counters at the last sample
	perSec, bytesPerSec float64
	parts               map[int32]*tailPartRate
	sampled             bool
}

type tailPartRate struct {
	n, bytes            uint64 // records and bytes the view took since the last sample
	next, lastNext      int64  // the tail's next offset now and at the last sample
	perSec, bytesPerSec float64
	// bytesKnown: bytesPerSec was measured. A live tail's records/s come
	// from its offsets, paused or not; its bytes/s only from records the
	// view took, so none while paused.
	bytesKnown bool
}

func newTailRates() tailRates { return tailRates{parts: map[int32]*tailPartRate{}} }

// count adds records the view took to their partitions.
func (r *tailRates) count(recs []kafka.Record) {
	for i := range recs {
		p := r.parts[recs[i].Partition]
		if p == nil {
			p = &tailPartRate{}
			r.parts[recs[i].Partition] = p
		}
		p.n++
		p.bytes += uint64(recs[i].Size())
	}
}

// progress records where a live tail stands in each partition: its
// offsets give exact per-partition rates even when the view, at millions
// of records a second, takes only the newest of them.
func (r *tailRates) progress(ps []kafka.PartitionProgress) {
	for _, pp := range ps {
		p := r.parts[pp.Partition]
		if p == nil {
			p = &tailPartRate{lastNext: pp.Next}
			r.parts[pp.Partition] = p
		}
		p.next = pp.Next
	}
}

// sample computes rates once at least tailStatsEvery passed since the
// last sample, from the counters recv and bytes.
func (r *tailRates) sample(now time.Time, recv, bytes uint64) {
	if r.at.IsZero() {
		r.at, r.recv, r.bytes = now, recv, bytes
		for _, p := range r.parts {
			p.n, p.bytes, p.lastNext = 0, 0, p.next
		}
		return
	}
	dt := now.Sub(r.at).Seconds()
	if dt < tailStatsEvery.Seconds() {
		return
	}
	r.perSec = float64(recv-r.recv) / dt
	r.bytesPerSec = float64(bytes-r.bytes) / dt
	for _, p := range r.parts {
		p.perSec, p.bytesPerSec = float64(p.n)/dt, float64(p.bytes)/dt
		p.bytesKnown = true
		if p.next > 0 || p.lastNext > 0 { // a live tail: offsets are exact
			p.perSec = float64(p.next-p.lastNext) / dt
			if p.n > 0 { // bytes: the taken records' mean size times the rate
				p.bytesPerSec = p.perSec * float64(p.bytes) / float64(p.n)
			}
			p.bytesKnown = p.n > 0 || p.perSec == 0
		}
		p.n, p.bytes, p.lastNext = 0, 0, p.next
	}
	r.at, r.recv, r.bytes = now, recv, bytes
	r.sampled = true
}

// partitions lists the partitions seen, in order.
func (r *tailRates) partitions() []int32 {
	out := make([]int32, 0, len(r.parts))
	for p := range r.parts {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// TailRate is the records/s the status bar shows while this view is open.
func (v *Tail) TailRate() (float64, bool) { return v.rates.perSec, v.rates.sampled }
