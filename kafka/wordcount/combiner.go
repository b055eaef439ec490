package wordcount

import "fmt"

// combiner is the split stage's in-memory aggregation of one transaction's
// lines: how often each distinct word occurs in them. The stage writes one
// record per distinct word, its partial count, to the repartition topic
// instead of one record per word (a map-side combine, as a MapReduce
// combiner does), so the shuffle and the counting stage handle a few
// records per distinct word instead of every word.
//
// Words index into counts, so counting a word already seen allocates
// nothing (a map lookup keyed by string(bytes) does not copy).
type combiner struct {
	index  map[string]int
	words  []string
	counts []int64
	buf    []byte
	// lines and total are what the batch holds: input records (a null
	// value is an empty line) and the words in them; keyBytes the
	// distinct words' bytes.
	lines, total int64
	keyBytes     int
}

// addLine counts the words of one input line.
func (cb *combiner) addLine(line []byte) {
	if cb.index == nil {
		cb.index = map[string]int{}
	}
	cb.lines++
	cb.buf = eachWord(line, cb.buf, func(w []byte) {
		cb.total++
		if i, ok := cb.index[string(w)]; ok {
			cb.counts[i]++
			return
		}
		word := string(w)
		cb.keyBytes += len(word)
		cb.index[word] = len(cb.words)
		cb.words = append(cb.words, word)
		cb.counts = append(cb.counts, 1)
	})
}

// each calls f with every distinct word of the batch and its partial
// count, in the order first seen.
func (cb *combiner) each(f func(word string, n int64)) {
	for i, w := range cb.words {
		f(w, cb.counts[i])
	}
}

// distinct is how many records the batch makes.
func (cb *combiner) distinct() int { return len(cb.words) }

// reset empties the batch, keeping its memory for the next one unless the
// batch was unusually large.
func (cb *combiner) reset() {
	clear(cb.index)
	cb.words = cb.words[:0]
	cb.counts = cb.counts[:0]
	if cap(cb.words) > 1<<20 {
		cb.index, cb.words, cb.counts = nil, nil, nil
	}
	cb.lines, cb.total, cb.keyBytes = 0, 0, 0
}

// decodePartial reads a repartition record's value, a partial count as
// EncodeCount writes it. A null value is one word: the format of engines
// before the combiner, whose records may still wait in the topic when an
// application is upgraded.
func decodePartial(v []byte) (int64, error) {
	if v == nil {
		return 1, nil
	}
	n, err := DecodeCount(v)
	if err != nil {
		return 0, fmt.Errorf("partial count: %w", err)
	}
	if n <= 0 {
		return 0, fmt.Errorf("partial count: want a positive count, got %d", n)
	}
	return n, nil
}
