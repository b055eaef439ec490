package kafka

// answeredSet remembers which of a run's records (numbered from 1 in send
// order) have been answered, so that a run given up on can name the ones
// still unanswered. It keeps one bit per record from the oldest
// unanswered one on: chunks answered through are let go, so its size
// follows the records in flight, not the run's length.
type answeredSet struct {
	base   int64 // the number of the first bit of chunks[0]
	chunks []answeredChunk
}

const answeredChunkBits = 4096

type answeredChunk struct {
	bits [answeredChunkBits / 64]uint64
	set  int
}

// add marks record n answered.
func (s *answeredSet) add(n int64) {
	if s.base == 0 {
		s.base = 1
	}
	i := n - s.base
	if i < 0 {
		return // in a chunk already let go: cannot happen, each is answered once
	}
	c := int(i / answeredChunkBits)
	for len(s.chunks) <= c {
		s.chunks = append(s.chunks, answeredChunk{})
	}
	b := i % answeredChunkBits
	ch := &s.chunks[c]
	if ch.bits[b/64]&(1<<(b%64)) == 0 {
		ch.bits[b/64] |= 1 << (b % 64)
		ch.set++
	}
	for len(s.chunks) > 0 && s.chunks[0].set == answeredChunkBits {
		s.chunks = s.chunks[1:]
		s.base += answeredChunkBits
	}
}

// missing returns the records from 1 to sent not answered, ascending, at
// most limit of them.
func (s *answeredSet) missing(sent int64, limit int) []int64 {
	var out []int64
	base := max(s.base, 1)
	for n := base; n <= sent && len(out) < limit; n++ {
		i := n - base
		c := int(i / answeredChunkBits)
		if c >= len(s.chunks) {
			out = append(out, n)
			continue
		}
		b := i % answeredChunkBits
		if s.chunks[c].bits[b/64]&(1<<(b%64)) == 0 {
			out = append(out, n)
		}
	}
	return out
}
