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
	n, bytes            uint64 // since the last sample
	perSec, bytesPerSec float64
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

// sample computes rates once at least tailStatsEvery passed since the
// last sample, from the counters recv and bytes.
func (r *tailRates) sample(now time.Time, recv, bytes uint64) {
	if r.at.IsZero() {
		r.at, r.recv, r.bytes = now, recv, bytes
		for _, p := range r.parts {
			p.n, p.bytes = 0, 0
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
		p.n, p.bytes = 0, 0
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
