package kafka

import (
	"math"
	"time"
)

// latencyHist counts durations in logarithmic buckets (about 2% wide),
// so a produce run of any length answers percentiles in constant memory
// and time; sorting every latency was a cost per progress report.
type latencyHist struct {
	counts [latBuckets]uint64
	n      uint64
}

const (
	latPerDoubling = 36 // buckets per doubling: 2^(1/36) ≈ 1.9% wide
	latBuckets     = 40 * latPerDoubling
)

func latBucket(d time.Duration) int {
	if d < time.Microsecond {
		return 0
	}
	b := int(math.Log2(float64(d)/float64(time.Microsecond)) * latPerDoubling)
	return min(b, latBuckets-1)
}

func (h *latencyHist) add(d time.Duration) {
	h.counts[latBucket(d)]++
	h.n++
}

// quantile returns the upper edge of the bucket holding the q-th latency.
func (h *latencyHist) quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(h.n)))
	var seen uint64
	for b, c := range h.counts {
		if seen += c; seen >= max(rank, 1) {
			return time.Duration(float64(time.Microsecond) * math.Exp2(float64(b+1)/latPerDoubling))
		}
	}
	return 0
}
