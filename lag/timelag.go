package lag

import (
	"cmp"
	"maps"
	"slices"
	"strings"
	"time"
)

// PartitionOffset names one record position.
type PartitionOffset struct {
	Topic     string
	Partition int32
	Offset    int64
}

// TimeLag is how far behind in time a group is on one partition: the age
// of the oldest record it has not consumed.
type TimeLag struct {
	// Age is now minus the timestamp of the record at the committed
	// offset; 0 with no lag; -1 when unknown.
	Age time.Duration
	// Estimated says Age comes from the partition's produce rate (lag
	// divided by records per second), not from a record's timestamp.
	Estimated bool
}

// TimeLags works out time lag for many groups at once. It remembers the
// timestamps of records it has read, by (topic, partition, offset), so a
// group whose committed offset does not move costs one read ever; it bounds
// how many records each refresh reads and estimates the rest from each
// partition's produce rate. It is plain data owned by one view: Need runs
// in the view's call, Learn and Of in its update loop, never at once.
type TimeLags struct {
	maxFetch int
	maxCache int
	cache    map[PartitionOffset]time.Time
	order    []PartitionOffset // cache insertion order, for eviction
	prev     map[tpKey]endAt
	rate     map[tpKey]float64 // records per second
	// missed are positions asked for that had no record to read, with
	// how many more Need calls pass them by.
	missed map[PartitionOffset]int
}

// timeLagRetry is how many Need calls pass by a position that had no
// record to read before it is asked for again: 30 s at a 2 s refresh.
const timeLagRetry = 15

type endAt struct {
	end int64
	at  time.Time
}

// Default bounds of TimeLags.
const (
	DefaultTimeLagFetch = 64
	DefaultTimeLagCache = 20000
)

// NewTimeLags makes a time lag calculator reading at most maxFetch records
// per refresh and remembering at most maxCache timestamps (defaults when
// zero or less).
func NewTimeLags(maxFetch, maxCache int) *TimeLags {
	if maxFetch <= 0 {
		maxFetch = DefaultTimeLagFetch
	}
	if maxCache <= 0 {
		maxCache = DefaultTimeLagCache
	}
	return &TimeLags{maxFetch: maxFetch, maxCache: maxCache, cache: map[PartitionOffset]time.Time{},
		prev: map[tpKey]endAt{}, rate: map[tpKey]float64{}, missed: map[PartitionOffset]int{}}
}

// Need lists the records whose timestamps would give the lagging
// partitions' time lag and are not remembered yet, largest lag first, at
// most the fetch bound. A position Learn found nothing at waits
// timeLagRetry calls before it is listed again.
func (t *TimeLags) Need(lags []Group) []PartitionOffset {
	for po, n := range t.missed {
		if n <= 1 {
			delete(t.missed, po)
		} else {
			t.missed[po] = n - 1
		}
	}
	type want struct {
		po  PartitionOffset
		lag int64
	}
	seen := map[PartitionOffset]bool{}
	var ws []want
	for _, gl := range lags {
		for _, p := range gl.Partitions {
			if p.Lag <= 0 || p.Err != "" {
				continue
			}
			po := PartitionOffset{p.Topic, p.Partition, p.Committed}
			if p.Committed < 0 {
				po.Offset = p.StartOffset
			}
			if _, ok := t.cache[po]; ok || seen[po] || t.missed[po] > 0 {
				continue
			}
			seen[po] = true
			ws = append(ws, want{po, p.Lag})
		}
	}
	slices.SortFunc(ws, func(a, b want) int {
		if c := cmp.Compare(b.lag, a.lag); c != 0 {
			return c
		}
		return cmp.Or(cmp.Compare(a.po.Topic, b.po.Topic), cmp.Compare(a.po.Partition, b.po.Partition))
	})
	out := make([]PartitionOffset, 0, min(len(ws), t.maxFetch))
	for _, w := range ws[:min(len(ws), t.maxFetch)] {
		out = append(out, w.po)
	}
	return out
}

// Missed notes positions asked for that had no record to read within the
// wait: they are not asked for again for a while (the estimate stands
// in), so each refresh does not wait for them anew.
func (t *TimeLags) Missed(asked []PartitionOffset, times map[PartitionOffset]time.Time) {
	for _, po := range asked {
		if _, ok := times[po]; !ok && len(t.missed) < t.maxCache {
			t.missed[po] = timeLagRetry
		}
	}
}

// Learn remembers record timestamps read for Need, evicting the oldest
// remembered beyond the cache bound. One call's entries are remembered
// oldest record first, so which of them goes first does not depend on the
// map's iteration order.
func (t *TimeLags) Learn(times map[PartitionOffset]time.Time) {
	pos := slices.SortedFunc(maps.Keys(times), func(a, b PartitionOffset) int {
		if c := times[a].Compare(times[b]); c != 0 {
			return c
		}
		return cmp.Or(strings.Compare(a.Topic, b.Topic), cmp.Compare(a.Partition, b.Partition), cmp.Compare(a.Offset, b.Offset))
	})
	for _, po := range pos {
		if _, ok := t.cache[po]; ok {
			continue
		}
		t.cache[po] = times[po]
		t.order = append(t.order, po)
	}
	if n := len(t.order) - t.maxCache; n > 0 {
		for _, po := range t.order[:n] {
			delete(t.cache, po)
		}
		t.order = append(t.order[:0], t.order[n:]...)
	}
}

// Observe samples the end offsets of the snapshot's partitions at at, to
// keep each partition's produce rate for estimates.
func (t *TimeLags) Observe(at time.Time, lags []Group) {
	for _, gl := range lags {
		for _, p := range gl.Partitions {
			k := tpKey{p.Topic, p.Partition}
			prev, ok := t.prev[k]
			if ok && prev.at.Equal(at) {
				continue // shared by several groups: sampled already
			}
			t.prev[k] = endAt{p.EndOffset, at}
			if !ok || !at.After(prev.at) || p.EndOffset < prev.end {
				continue
			}
			t.rate[k] = float64(p.EndOffset-prev.end) / at.Sub(prev.at).Seconds()
		}
	}
}

// Of is the time lag of one partition at now.
func (t *TimeLags) Of(p Partition, now time.Time) TimeLag {
	switch {
	case p.Err != "" || p.Lag < 0:
		return TimeLag{Age: -1}
	case p.Lag == 0:
		return TimeLag{}
	}
	off := p.Committed
	if off < 0 {
		off = p.StartOffset
	}
	if ts, ok := t.cache[PartitionOffset{p.Topic, p.Partition, off}]; ok {
		return TimeLag{Age: max(0, now.Sub(ts))}
	}
	if r := t.rate[tpKey{p.Topic, p.Partition}]; r > 0 {
		return TimeLag{Age: time.Duration(float64(p.Lag) / r * float64(time.Second)), Estimated: true}
	}
	return TimeLag{Age: -1}
}

// Group is a group's time lag: the largest of its partitions', estimated
// when that one is.
func (t *TimeLags) Group(gl Group, now time.Time) TimeLag {
	worst := TimeLag{}
	if gl.Total > 0 {
		worst.Age = -1
	}
	for _, p := range gl.Partitions {
		if tl := t.Of(p, now); tl.Age > worst.Age {
			worst = tl
		}
	}
	return worst
}
