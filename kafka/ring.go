package kafka

import "sync"

// DefaultBufferBytes caps the bytes a buffer of records holds, whatever
// its record count: 10,000 records of 1 MiB values would be 10 GiB.
const DefaultBufferBytes = 256 << 20

// Ring holds the newest records of a tail in bounded memory: at most its
// capacity in records and DefaultBufferBytes in held bytes (the newest
// record always stays). Each new record evicts the oldest beyond either
// bound, and the eviction is counted, never silent. One goroutine
// pushes; the UI reads a snapshot at most once a frame.
type Ring struct {
	mu       sync.Mutex
	buf      []Record
	head     int    // index of the oldest record
	n        int    // records held
	held     int64  // their HeldBytes
	maxBytes int64  // bound on held
	received uint64 // records pushed since the ring was made
	bytes    uint64 // their true sizes
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

func newRing(n int, maxBytes int64) *Ring {
	return &Ring{buf: make([]Record, max(n, 1)), maxBytes: maxBytes, notify: make(chan struct{}, 1)}
}

// Push appends records, evicting the oldest beyond capacity, and wakes a
// waiting reader without ever blocking.
func (r *Ring) Push(recs []Record) {
	if len(recs) == 0 {
		return
	}
	r.mu.Lock()
	c := len(r.buf)
	if len(recs) > c { // only the newest c can stay
		for _, rec := range recs[:len(recs)-c] {
			r.bytes += uint64(rec.Size())
		}
		r.received += uint64(len(recs) - c)
		recs = recs[len(recs)-c:]
	}
	for i := range recs {
		if r.n == c {
			r.dropOldest()
		}
		r.buf[(r.head+r.n)%c] = recs[i]
		r.n++
		size, held := recs[i].sizes()
		r.held += int64(held)
		r.received++
		r.bytes += uint64(size)
		for r.held > r.maxBytes && r.n > 1 {
			r.dropOldest()
		}
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
		Cap:      len(r.buf),
	}
}

// dropOldest evicts the oldest record, letting its bytes go.
func (r *Ring) dropOldest() {
	r.held -= int64(r.buf[r.head].HeldBytes())
	r.buf[r.head] = Record{}
	r.head = (r.head + 1) % len(r.buf)
	r.n--
}
