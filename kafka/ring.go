package kafka

import "sync"

// DefaultBufferBytes caps the bytes a buffer of records holds, whatever
// its record count: 10,000 records of 1 MiB values would be 10 GiB.
const DefaultBufferBytes = 256 << 20

// Ring holds the newest records of a tail in bounded memory: at most its
// capacity in records and DefaultBufferBytes of memory, its slots
// included (the newest record always stays). Its slots grow with what it
// holds, so a large capacity costs nothing until records fill it. Each new
// record evicts the oldest beyond either bound, and the eviction is
// counted, never silent. One goroutine pushes; the UI reads a snapshot at
// most once a frame.
type Ring struct {
	mu       sync.Mutex
	buf      []Record // slots, grown by doubling up to capacity
	capacity int      // records at most
	head     int      // index of the oldest record
	n        int      // records held
	held     int64    // their bytes and header structs, and every slot's size
	maxBytes int64    // bound on held
	received uint64   // records pushed since the ring was made
	bytes    uint64   // their true sizes
	notify   chan struct{}
}

// RingStats counts what passed through a ring.
type RingStats struct {
	Received uint64 `json:"received"`
	Bytes    uint64 `json:"bytes"`
	Evicted  uint64 `json:"evicted"`
	Len      int    `json:"len"`
	Cap      int    `json:"cap"`
}

// NewRing makes a ring of capacity n (at least 1).
func NewRing(n int) *Ring { return newRing(n, DefaultBufferBytes) }

// minRingSlots is the slots a ring starts with (fewer when its capacity
// is smaller) and never shrinks below.
const minRingSlots = 64

func newRing(n int, maxBytes int64) *Ring {
	n = max(n, 1)
	r := &Ring{capacity: n, maxBytes: maxBytes, notify: make(chan struct{}, 1)}
	r.resize(min(n, minRingSlots))
	return r
}

// resize moves the records held into size slots (at least n), oldest
// first, and accounts the slots' memory.
func (r *Ring) resize(size int) {
	buf := make([]Record, size)
	for i := range r.n {
		buf[i] = r.buf[(r.head+i)%len(r.buf)]
	}
	r.held += int64(size-len(r.buf)) * int64(recordSlot)
	r.buf, r.head = buf, 0
}

// makeRoom frees or adds a slot for one more record: it grows the slots
// (doubling, up to the capacity and what the byte budget leaves), else
// evicts the oldest record.
func (r *Ring) makeRoom() {
	if r.n < len(r.buf) {
		return
	}
	if len(r.buf) < r.capacity {
		// The slots the budget allows, each with a record of the
		// average size held so far.
		payload := r.held - int64(len(r.buf)*recordSlot)
		per := int64(recordSlot) + payload/int64(max(r.n, 1))
		fit := int((r.maxBytes - payload) / per)
		if size := min(r.capacity, 2*len(r.buf), fit); size > len(r.buf) {
			r.resize(size)
			return
		}
	}
	r.dropOldest()
}

// Push appends records, evicting the oldest beyond capacity, and wakes a
// waiting reader without ever blocking.
func (r *Ring) Push(recs []Record) { r.push(recs, 0, 0) }

// pushBatch pushes a poll's records, copying only the newest the ring
// can hold and counting the others, older, as evicted on arrival (Push
// of the whole batch, without copying what it would drop). scratch is
// reused for the copies and returned, emptied.
func (r *Ring) pushBatch(b *Batch, scratch []Record) []Record {
	n := b.Len()
	r.mu.Lock()
	c := r.capacity
	r.mu.Unlock()
	skipped := max(0, n-c)
	bytes := b.skip(0, skipped)
	recs := b.copyTo(scratch[:0], skipped, n)
	r.push(recs, skipped, bytes)
	clear(recs) // drop references to fetch buffers the ring evicted
	return recs[:0]
}

// push is Push after skipped older records of these bytes were dropped
// unread.
func (r *Ring) push(recs []Record, skipped int, skippedBytes uint64) {
	if len(recs) == 0 && skipped == 0 {
		return
	}
	r.mu.Lock()
	r.received += uint64(skipped)
	r.bytes += skippedBytes
	c := r.capacity
	if len(recs) > c { // only the newest c can stay
		for _, rec := range recs[:len(recs)-c] {
			r.bytes += uint64(rec.Size())
		}
		r.received += uint64(len(recs) - c)
		recs = recs[len(recs)-c:]
	}
	for i := range recs {
		r.makeRoom()
		r.buf[(r.head+r.n)%len(r.buf)] = recs[i]
		r.n++
		size, held := recs[i].sizes()
		r.held += int64(held)
		r.received++
		r.bytes += uint64(size)
		for r.held > r.maxBytes && r.n > 1 {
			r.dropOldest()
		}
	}
	// Big records evicted many small ones: give the empty slots back.
	if len(r.buf) > minRingSlots && r.n < len(r.buf)/4 {
		r.resize(max(minRingSlots, 2*r.n))
	}
	r.mu.Unlock()
	select {
	case r.notify <- struct{}{}:
	default:
	}
}

// Notify is signalled after pushes; one signal may stand for many.
func (r *Ring) Notify() <-chan struct{} { return r.notify }

// Since appends to dst the records received after the first seq records,
// oldest first, and returns the new seq to ask from next time. Records
// evicted before they were read are skipped: the stats count them.
func (r *Ring) Since(seq uint64, dst []Record) ([]Record, uint64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	oldest := r.received - uint64(r.n) // seq of the oldest record held
	if seq < oldest {
		seq = oldest
	}
	c := len(r.buf)
	for s := seq; s < r.received; s++ {
		dst = append(dst, r.buf[(r.head+int(s-oldest))%c])
	}
	return dst, r.received
}

// Snapshot appends every record held to dst, oldest first.
func (r *Ring) Snapshot(dst []Record) []Record {
	dst, _ = r.Since(0, dst)
	return dst
}

// Stats returns the ring's counters.
func (r *Ring) Stats() RingStats {
	r.mu.Lock()
	defer r.mu.Unlock()
	return RingStats{
		Received: r.received,
		Bytes:    r.bytes,
		Evicted:  r.received - uint64(r.n),
		Len:      r.n,
		Cap:      r.capacity,
	}
}

// dropOldest evicts the oldest record, letting its bytes go.
func (r *Ring) dropOldest() {
	_, held := r.buf[r.head].sizes()
	r.held -= int64(held)
	r.buf[r.head] = Record{}
	r.head = (r.head + 1) % len(r.buf)
	r.n--
}
