package views

import (
	"runtime"
	"testing"

	"kflow/kafka"
)

// liveHeap is the heap in use after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// TestTailStoreCountsPerRecordOverhead: --buffer 2000000 of tiny records
// stays within the byte budget measured on the heap, because each
// record's bookkeeping counts against it (kafka.RecordOverhead), not only
// its bytes.
func TestTailStoreCountsPerRecordOverhead(t *testing.T) {
	const budget = 8 << 20
	before := liveHeap()
	s := newTailStore(2_000_000)
	s.maxBytes = budget
	var f *TailFilter
	batch := make([]kafka.Record, 1000)
	for i := range 1000 {
		for j := range batch {
			batch[j] = kafka.Record{Topic: "t", Offset: int64(i*1000 + j), Key: []byte{byte(j)}, Value: []byte{1, 2}, KeySize: 1, ValueSize: 2}
		}
		s.add(batch, f)
	}
	clear(batch)
	used := liveHeap() - before
	t.Logf("%d records held in %d bytes of heap (%d per record); accounted %d", s.len(), used, used/uint64(max(s.len(), 1)), s.held)
	if s.held > budget {
		t.Fatalf("store accounts %d bytes, over its budget %d", s.held, budget)
	}
	if max := budget / kafka.RecordOverhead; s.len() > max {
		t.Fatalf("store holds %d tiny records, more than the budget allows (%d)", s.len(), max)
	}
	if used > budget*11/10 {
		t.Fatalf("store of %d tiny records takes %d bytes of heap, over its %d budget", s.len(), used, budget)
	}
	runtime.KeepAlive(s)
}
