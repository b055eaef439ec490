package kafka

import (
	"runtime"
	"testing"
)

// TestHeldBytesCountsPerRecordOverhead: what a buffer is budgeted by
// includes each record's bookkeeping, not only its key, value and header
// bytes, so a buffer of tiny records is bounded too.
func TestHeldBytesCountsPerRecordOverhead(t *testing.T) {
	r := Record{Key: []byte("k"), Value: []byte("value"), Headers: []Header{{Key: "h", Value: []byte("v")}, {Key: "i"}}}
	want := 1 + 5 + 2 + 1 + RecordOverhead + 2*HeaderOverhead
	if got := r.HeldBytes(); got != want {
		t.Fatalf("HeldBytes = %d, want %d (bytes plus overhead)", got, want)
	}
	// The ring counts its slots, used or not, instead of RecordOverhead.
	ring := newRing(10, 1<<20)
	ring.Push([]Record{r})
	if slots := int64(want - RecordOverhead + 10*recordSlot); ring.held != slots {
		t.Fatalf("ring holds %d bytes, want %d", ring.held, slots)
	}
}

// heapInUse is the live heap after a full collection.
func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// TestRingStaysUnderBudgetWithTinyRecords: a ring asked for 2,000,000
// records with an 8 MiB budget, fed a million tiny records, holds no more
// than its budget allows and its memory (slots included, measured on the
// heap) stays within the budget: the per-record overhead is real.
func TestRingStaysUnderBudgetWithTinyRecords(t *testing.T) {
	const budget = 8 << 20
	before := heapInUse()
	ring := newRing(2_000_000, budget)
	batch := make([]Record, 1000)
	for i := range 1000 {
		for j := range batch {
			// As convert makes them: small key and value allocations.
			batch[j] = Record{Topic: "t", Offset: int64(i*1000 + j), Key: []byte{byte(j)}, Value: []byte{1, 2}, KeySize: 1, ValueSize: 2}
		}
		ring.Push(batch)
	}
	clear(batch)
	used := heapInUse() - before
	st := ring.Stats()
	t.Logf("%d records held in %d bytes of heap (%d per record); accounted %d", st.Len, used, used/uint64(max(st.Len, 1)), ring.held)
	if ring.held > budget {
		t.Fatalf("ring accounts %d bytes, over its budget %d", ring.held, budget)
	}
	if max := budget / recordSlot; st.Len > max {
		t.Fatalf("ring holds %d tiny records, more than the budget allows (%d)", st.Len, max)
	}
	if used > budget*11/10 {
		t.Fatalf("ring of %d tiny records takes %d bytes of heap, over its %d budget", st.Len, used, budget)
	}
	if st.Received != 1_000_000 || st.Evicted != uint64(1_000_000-st.Len) {
		t.Fatalf("stats %+v", st)
	}
	runtime.KeepAlive(ring)
}

// TestRingGivesSlotsBack: after big records evict many tiny ones, the
// empty slots are freed and no longer counted.
func TestRingGivesSlotsBack(t *testing.T) {
	ring := newRing(1_000_000, 64<<20)
	tiny := make([]Record, 100_000)
	for i := range tiny {
		tiny[i] = Record{Value: []byte{1}, ValueSize: 1}
	}
	ring.Push(tiny)
	if len(ring.buf) < 100_000 {
		t.Fatalf("%d slots for 100,000 records", len(ring.buf))
	}
	big := make([]byte, 16<<20)
	ring.Push([]Record{{Value: big, ValueSize: len(big)}, {Value: big, ValueSize: len(big)}, {Value: big, ValueSize: len(big)}, {Value: big, ValueSize: len(big)}})
	if st := ring.Stats(); st.Len > 4 || len(ring.buf) > minRingSlots {
		t.Fatalf("after four 16 MiB records: %d held in %d slots", st.Len, len(ring.buf))
	}
	if want := int64(ring.n*len(big) + len(ring.buf)*recordSlot); ring.held != want {
		t.Fatalf("held %d, want %d", ring.held, want)
	}
}
