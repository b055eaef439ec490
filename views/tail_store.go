package views

import (
	"sort"

	"kflow/kafka"
)

// tailStore is the tail view's own window on the records: the newest cap
// records it took from the ring, within kafka.DefaultBufferBytes of held
// bytes (the newest always stays), oldest first, each marked with whether it
// passes the filter, and the positions of those that do. Records are
// numbered by a view-local sequence (seq) that never repeats, so the
// selection stays on its record while older ones are evicted.
type tailStore struct {
	cap      int
	held     int64 // HeldBytes of the entries
	maxBytes int64
	entries  []tailEntry // oldest first; entries[i] has seq base+i
	base     uint64
	shown    []uint64 // seqs of matching entries, ascending
	evicted  uint64   // records dropped from the front to stay within cap
}

type tailEntry struct {
	rec kafka.Record
	ok  bool
}

func newTailStore(n int) *tailStore {
	return &tailStore{cap: max(n, 1), maxBytes: kafka.DefaultBufferBytes}
}

// add appends records, evicting the oldest beyond cap; f decides which
// of them show.
func (s *tailStore) add(recs []kafka.Record, f *TailFilter) {
	if len(recs) > s.cap { // only the newest cap can stay
		s.evict(len(s.entries))
		skip := len(recs) - s.cap
		s.evicted += uint64(skip)
		s.base += uint64(skip)
		recs = recs[skip:]
	}
	if over := len(s.entries) + len(recs) - s.cap; over > 0 {
		s.evict(over)
	}
	if cap(s.entries)-len(s.entries) < len(recs) {
		// Reallocate to twice the cap at most: the slice slides forward
		// as it evicts, so without this it would keep old arrays alive.
		grown := make([]tailEntry, len(s.entries), min(2*s.cap, max(2*(len(s.entries)+len(recs)), 64)))
		copy(grown, s.entries)
		s.entries = grown
	}
	for i := range recs {
		ok := f.Match(&recs[i])
		if ok {
			s.shown = append(s.shown, s.base+uint64(len(s.entries)))
		}
		s.entries = append(s.entries, tailEntry{rec: recs[i], ok: ok})
		s.held += int64(recs[i].HeldBytes())
	}
	// Over the byte budget, the oldest go too, down to the newest one.
	over, n := s.held-s.maxBytes, 0
	for over > 0 && n < len(s.entries)-1 {
		over -= int64(s.entries[n].rec.HeldBytes())
		n++
	}
	s.evict(n)
}

// evict drops the k oldest entries.
func (s *tailStore) evict(k int) {
	k = min(k, len(s.entries))
	if k == 0 {
		return
	}
	first := s.base + uint64(k) // the oldest seq that stays
	drop := sort.Search(len(s.shown), func(i int) bool { return s.shown[i] >= first })
	s.shown = s.shown[drop:]
	for i := range k {
		s.held -= int64(s.entries[i].rec.HeldBytes())
	}
	clear(s.entries[:k]) // let the records' bytes go
	s.entries = s.entries[k:]
	s.base = first
	s.evicted += uint64(k)
}

// refilter applies f to every record held.
func (s *tailStore) refilter(f *TailFilter) {
	s.shown = s.shown[:0]
	for i := range s.entries {
		e := &s.entries[i]
		e.ok = f.Match(&e.rec)
		if e.ok {
			s.shown = append(s.shown, s.base+uint64(i))
		}
	}
}

// len is how many records are held; matched how many of them show.
func (s *tailStore) len() int     { return len(s.entries) }
func (s *tailStore) matched() int { return len(s.shown) }

// at returns the i-th shown record and its seq.
func (s *tailStore) at(i int) (*kafka.Record, uint64) {
	seq := s.shown[i]
	return &s.entries[seq-s.base].rec, seq
}

// index is the position among the shown records of the first one at or
// after seq.
func (s *tailStore) index(seq uint64) int {
	return sort.Search(len(s.shown), func(i int) bool { return s.shown[i] >= seq })
}

// shownRecords copies the records that show, oldest first.
func (s *tailStore) shownRecords() []kafka.Record {
	out := make([]kafka.Record, 0, len(s.shown))
	for _, seq := range s.shown {
		out = append(out, s.entries[seq-s.base].rec)
	}
	return out
}
