package views

import (
	"cmp"
	"slices"
	"time"

	"kflow/kafka"
	"kflow/kafka/wordcount"
)

// wordUpdate is one record of the output topic as the feed shows it: a
// word's new count, how much it moved, and where the record sits.
type wordUpdate struct {
	word      string
	count     int64
	delta     int64 // count minus the count held before; the count itself for a new word
	deleted   bool  // a tombstone: the word left the table
	partition int32
	offset    int64
	at        time.Time
}

// wordCount is a word and its count, for the chart.
type wordCount struct {
	word  string
	count int64
}

// wordCounts is the panel's table of counts, folded from every record of
// the output topic the panel takes: the latest count of each word (the
// output topic is the counts' truth, each record the word's whole count,
// so the newest record of a word wins), their sum, and the newest
// updates for the feed.
type wordCounts struct {
	counts  map[string]int64
	total   int64  // sum of the counts: words counted
	bad     uint64 // records whose value is no 8-byte count
	badErr  error  // the latest such value's error
	updates uint64 // records folded

	feed     []wordUpdate // newest last, at most feedCap
	feedCap  int
	top      []wordCount // cached chart, newest first by count
	topDirty bool
}

func newWordCounts(feedCap int) *wordCounts {
	return &wordCounts{counts: map[string]int64{}, feedCap: max(feedCap, 1), topDirty: true}
}

// fold applies records of the output topic, oldest first.
func (w *wordCounts) fold(recs []kafka.Record) {
	for i := range recs {
		w.foldOne(&recs[i])
	}
}

func (w *wordCounts) foldOne(r *kafka.Record) {
	word := string(r.Key)
	old, had := w.counts[word]
	u := wordUpdate{word: word, partition: r.Partition, offset: r.Offset, at: r.Timestamp}
	if r.Value == nil { // a tombstone removes the word, as compaction will
		if !had {
			return
		}
		delete(w.counts, word)
		w.total -= old
		u.deleted, u.delta = true, -old
	} else {
		n, err := wordcount.DecodeCount(r.Value)
		if err != nil {
			w.bad++
			w.badErr = err
			return
		}
		w.counts[word] = n
		w.total += n - old
		u.count, u.delta = n, n-old
	}
	w.updates++
	w.topDirty = true
	w.feed = append(w.feed, u)
	if len(w.feed) > 2*w.feedCap { // slide in chunks, not per record
		w.feed = slices.Delete(w.feed, 0, len(w.feed)-w.feedCap)
	}
}

// latest returns the n newest updates, oldest first.
func (w *wordCounts) latest(n int) []wordUpdate {
	n = min(n, w.feedCap)
	if len(w.feed) <= n {
		return w.feed
	}
	return w.feed[len(w.feed)-n:]
}

// distinct is how many words have a count.
func (w *wordCounts) distinct() int { return len(w.counts) }

// topN returns the n most counted words, highest first; ties in word
// order, so the chart does not flicker.
func (w *wordCounts) topN(n int) []wordCount {
	if n <= 0 {
		return nil
	}
	if w.topDirty || len(w.top) < min(n, len(w.counts)) {
		w.top = topWords(w.counts, max(n, wordCountTopKeep))
		w.topDirty = false
	}
	return w.top[:min(n, len(w.top))]
}

// topWords selects the k highest counts without sorting every word: a
// scan keeps the k best seen, so a frame costs one pass over the map.
func topWords(counts map[string]int64, k int) []wordCount {
	better := func(a, b wordCount) int { // negative when a ranks before b
		if c := cmp.Compare(b.count, a.count); c != 0 {
			return c
		}
		return cmp.Compare(a.word, b.word)
	}
	best := make([]wordCount, 0, k+1)
	for word, n := range counts {
		c := wordCount{word, n}
		if len(best) == k && better(c, best[k-1]) >= 0 {
			continue
		}
		i, _ := slices.BinarySearchFunc(best, c, better)
		best = slices.Insert(best, i, c)
		if len(best) > k {
			best = best[:k]
		}
	}
	return best
}
