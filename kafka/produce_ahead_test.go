package kafka

import (
	"math/rand/v2"
	"sync/atomic"
	"testing"
)

// TestStreamSourceAheadBound: a source far ahead of a slow sending waits
// for it and is woken by its takes (no lost wake-up: the run ends), and
// is never more than the bound plus two records ahead when it hands a
// record on, whatever the interleaving: the bytes ready are counted on
// the source's side and the bytes taken on the sending's, so neither
// reads the other's counter for every record.
func TestStreamSourceAheadBound(t *testing.T) {
	for round := range 20 {
		r := &streamRun{taken: make(chan struct{}, 1)}
		rng := rand.New(rand.NewPCG(uint64(round), 7))
		const n, maxSize = 3000, 1 << 20
		sizes := make([]int64, n)
		for i := range sizes {
			sizes[i] = 1 + rng.Int64N(maxSize)
		}
		recs := make(chan int64, n) // the handoff, never full: only the byte bound holds the source
		stop := make(chan struct{})
		var worst atomic.Int64
		go func() {
			var seenOut int64
			for _, size := range sizes {
				if !r.ready(size, &seenOut, stop) {
					return
				}
				if ahead := r.aheadIn.Load() - r.aheadOut.Load(); ahead > worst.Load() {
					worst.Store(ahead)
				}
				recs <- size
			}
		}()
		for range n {
			size := <-recs
			if rng.IntN(4) == 0 {
				for range rng.IntN(50) {
					_ = rng.Int() // a slow take now and then
				}
			}
			r.took(size)
		}
		close(stop)
		if w, limit := worst.Load(), int64(maxAheadBytes+2*maxSize); w > limit {
			t.Fatalf("round %d: the source was %d bytes ahead, more than the bound and two records (%d)", round, w, limit)
		}
	}
}
