package lag

import (
	"strconv"
	"time"
)

// DefaultHistory is how many total-lag values a Tracker keeps per
// group for trend lines: two minutes at a 2 s refresh.
const DefaultHistory = 60

// Tracker turns successive lag snapshots of many groups into samples
// and verdicts. It is plain data, not safe for concurrent use: the view
// that owns it feeds it from its update loop.
type Tracker struct {
	rules   Rules
	keep    int
	groups  map[string]*groupTrack
	lastObs time.Time
}

type tpKey struct {
	topic     string
	partition int32
}

type tpOffsets struct{ committed, end int64 }

// groupTrack is one group's state between snapshots.
type groupTrack struct {
	prev     map[tpKey]tpOffsets
	samples  []Sample  // the evaluation window, oldest first
	history  []int64   // total lag, oldest first, for trend lines
	lastMove time.Time // last commit movement, or when first seen
}

// NewTracker makes a tracker evaluating with rules (zero fields take
// their defaults) and keeping history lag values per group for trends
// (DefaultHistory when history <= 0).
func NewTracker(rules Rules, history int) *Tracker {
	if history <= 0 {
		history = DefaultHistory
	}
	return &Tracker{rules: rules.withDefaults(), keep: history, groups: map[string]*groupTrack{}}
}

// Rules returns the thresholds in force, defaults filled in.
func (t *Tracker) Rules() Rules { return t.rules }

// Observe records a snapshot of lags taken at at. Groups of the snapshot
// gain a sample; groups absent from it are forgotten unless partial is set
// (a snapshot of some groups only, such as one group's detail).
func (t *Tracker) Observe(at time.Time, lags []Group, partial bool) {
	seen := make(map[string]bool, len(lags))
	for i := range lags {
		gl := &lags[i]
		seen[gl.ID] = true
		g := t.groups[gl.ID]
		if g == nil {
			// Not seen moving yet: at least since now.
			g = &groupTrack{lastMove: at}
			t.groups[gl.ID] = g
		}
		g.observe(at, gl, t.rules.Window, t.keep)
	}
	if !partial {
		for id := range t.groups {
			if !seen[id] {
				delete(t.groups, id)
			}
		}
	}
	t.lastObs = at
}

// observe derives one sample from the snapshot against the previous one.
func (g *groupTrack) observe(at time.Time, gl *Group, window, keep int) {
	s := Sample{At: at, Lag: gl.Total, Err: gl.Err}
	cur := make(map[tpKey]tpOffsets, len(gl.Partitions))
	restart := false
	for _, p := range gl.Partitions {
		k := tpKey{p.Topic, p.Partition}
		cur[k] = tpOffsets{committed: p.Committed, end: p.EndOffset}
		if p.Err != "" && s.Err == "" {
			s.Err = p.Topic + "[" + strconv.Itoa(int(p.Partition)) + "]: " + p.Err
		}
		prev, ok := g.prev[k]
		if !ok || g.prev == nil {
			continue
		}
		if p.EndOffset < prev.end {
			// The partition was recreated or truncated: earlier samples
			// no longer compare with this one.
			restart = true
			continue
		}
		s.Produced += p.EndOffset - prev.end
		switch {
		case p.Committed < 0:
		case prev.committed < 0:
			s.Consumed += max(0, p.Committed-p.StartOffset)
		case p.Committed > prev.committed:
			s.Consumed += p.Committed - prev.committed
		case p.Committed < prev.committed:
			s.Rewound = true
		}
	}
	if s.Err != "" {
		s.Lag = -1
	}
	g.prev = cur
	if restart {
		g.samples = g.samples[:0]
		g.history = g.history[:0]
		g.lastMove = at
		s.Consumed, s.Produced, s.Rewound = 0, 0, false
	}
	if s.Consumed > 0 {
		g.lastMove = at
	}
	g.samples = append(g.samples, s)
	if len(g.samples) > window {
		g.samples = append(g.samples[:0], g.samples[len(g.samples)-window:]...)
	}
	if s.Lag >= 0 {
		g.history = append(g.history, s.Lag)
		if len(g.history) > keep {
			g.history = append(g.history[:0], g.history[len(g.history)-keep:]...)
		}
	}
}

// Verdict evaluates a group's window; a group never observed is pending.
func (t *Tracker) Verdict(group string) Verdict {
	g := t.groups[group]
	if g == nil {
		return Evaluate(t.rules, nil, time.Time{})
	}
	return Evaluate(t.rules, g.samples, g.lastMove)
}

// History returns a group's recent total lags, oldest first. The slice is
// the tracker's: read it before the next Observe.
func (t *Tracker) History(group string) []int64 {
	if g := t.groups[group]; g != nil {
		return g.history
	}
	return nil
}

// Samples returns a group's evaluation window, oldest first. The slice is
// the tracker's: read it before the next Observe.
func (t *Tracker) Samples(group string) []Sample {
	if g := t.groups[group]; g != nil {
		return g.samples
	}
	return nil
}
