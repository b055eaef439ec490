package kafka

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"time"

	"kflow/lag"
)

// DefaultLagInterval is how often a LagMonitor samples lag unless told
// otherwise: with lag.DefaultRules' 15-sample window, 30 seconds of history.
const DefaultLagInterval = 2 * time.Second

// lagWatchMax bounds how many groups a LagMonitor tracks partition by
// partition (the groups whose detail was opened), so a long session does
// not grow without end.
const lagWatchMax = 16

// LagSource is what a LagMonitor samples; *Client is one.
type LagSource interface {
	Lag(ctx context.Context, groups ...string) ([]GroupLag, error)
}

// LagTimer reads the timestamps of records at given positions, for time
// lag; a LagSource without it gets time lag estimated from produce rates.
type LagTimer interface {
	RecordTimes(ctx context.Context, offs []lag.PartitionOffset) (map[lag.PartitionOffset]time.Time, error)
}

var _ LagTimer = (*Client)(nil)

// LagMonitorOptions configure a LagMonitor; zero fields take defaults.
type LagMonitorOptions struct {
	// Rules are the status thresholds.
	Rules lag.Rules
	// Interval is the time from the start of one refresh to the start of
	// the next, DefaultLagInterval when zero.
	Interval time.Duration
	// Timeout bounds each refresh's lag request, DefaultTimeout when zero.
	Timeout time.Duration
	// Groups limits sampling to these groups; all groups when empty.
	Groups []string
	// Now is the clock, time.Now when nil.
	Now func() time.Time
	// After is Run's timer, time.After when nil; tests fake it.
	After func(time.Duration) <-chan time.Time
}

// GroupStatus is one group in a LagSnapshot: its lag and what the window
// of samples says about it.
type GroupStatus struct {
	GroupLag
	// Verdict is the group's status with its reason.
	Verdict lag.Verdict
	// History is the group's recent total lags, oldest first.
	History []int64
	// TimeLag is the group's time lag at the sample's time.
	TimeLag lag.TimeLag
	// PartTimes is each partition's time lag, by index of Partitions.
	PartTimes []lag.TimeLag
	// PartVerdicts and PartHistory are each partition's status and lag
	// history, by index of Partitions; nil unless the group is watched
	// (see WatchPartitions).
	PartVerdicts []lag.Verdict
	PartHistory  [][]int64
}

// LagSnapshot is what a LagMonitor knows after a refresh. It is never
// changed once published, so readers share it without locks.
type LagSnapshot struct {
	// Seq counts the refreshes done; 0 before the first.
	Seq int
	// At is when the newest successful sample was taken; zero before one.
	At time.Time
	// Err says why the newest refresh failed; nil when it succeeded.
	// Groups then keeps the last good sample.
	Err error
	// ErrAt is when the newest refresh failed.
	ErrAt time.Time
	// Groups are the groups of the newest successful sample, by ID.
	Groups []GroupStatus
}

// Group finds a group of the snapshot by ID.
func (s *LagSnapshot) Group(id string) (GroupStatus, bool) {
	if s == nil {
		return GroupStatus{}, false
	}
	i := slices.IndexFunc(s.Groups, func(g GroupStatus) bool { return g.Group.ID == id })
	if i < 0 {
		return GroupStatus{}, false
	}
	return s.Groups[i], true
}

// LagMonitor samples the lag of a connection's groups and judges each over
// a sliding window (lag.Tracker), so a group's status lasts as long as the
// connection, not as long as a view. At most one refresh runs at a time:
// a Sample asked while one runs waits for it and shares its answer. Run
// refreshes in the background until its context ends; readers take the
// immutable Snapshot, or Wait for the next one.
type LagMonitor struct {
	src   LagSource
	opts  LagMonitorOptions
	track *lag.Tracker
	parts *lag.Tracker // one "group" per watched group's partition
	times *lag.TimeLags

	mu       sync.Mutex
	snap     *LagSnapshot
	changed  chan struct{} // closed when snap is replaced
	inflight chan struct{} // closed when the running refresh ends; nil when none runs
	watched  []string      // groups tracked per partition, most recent last
	started  time.Time     // when the newest refresh started
}

// NewLagMonitor makes a monitor of src. It samples nothing until Sample
// or Run.
func NewLagMonitor(src LagSource, opts LagMonitorOptions) *LagMonitor {
	if opts.Interval <= 0 {
		opts.Interval = DefaultLagInterval
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.After == nil {
		opts.After = time.After
	}
	return &LagMonitor{src: src, opts: opts,
		track: lag.NewTracker(opts.Rules, 0), parts: lag.NewTracker(opts.Rules, 0), times: lag.NewTimeLags(0, 0),
		snap: &LagSnapshot{}, changed: make(chan struct{})}
}

// Rules returns the thresholds in force, defaults filled in.
func (m *LagMonitor) Rules() lag.Rules { return m.track.Rules() }

// Interval is the time between the starts of two background refreshes.
func (m *LagMonitor) Interval() time.Duration { return m.opts.Interval }

// Snapshot is the newest snapshot; Seq 0 before the first refresh.
func (m *LagMonitor) Snapshot() *LagSnapshot {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.snap
}

// WatchPartitions asks for group to be judged partition by partition too,
// from the next refresh on, for as long as the monitor runs (the most
// recent lagWatchMax groups).
func (m *LagMonitor) WatchPartitions(group string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.watched = slices.DeleteFunc(m.watched, func(g string) bool { return g == group })
	m.watched = append(m.watched, group)
	if n := len(m.watched) - lagWatchMax; n > 0 {
		m.watched = slices.Delete(m.watched, 0, n)
	}
}

// Wait returns the first snapshot newer than seq, waiting for a refresh
// when there is none yet, or the newest one and ctx's error when ctx ends
// first.
func (m *LagMonitor) Wait(ctx context.Context, seq int) (*LagSnapshot, error) {
	for {
		m.mu.Lock()
		s, ch := m.snap, m.changed
		m.mu.Unlock()
		if s.Seq > seq {
			return s, nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return s, ctx.Err()
		}
	}
}

// Sample refreshes now and returns the new snapshot; when a refresh is
// already running it waits for that one instead of starting another.
func (m *LagMonitor) Sample(ctx context.Context) (*LagSnapshot, error) {
	m.mu.Lock()
	if ch := m.inflight; ch != nil {
		m.mu.Unlock()
		select {
		case <-ch:
			return m.Snapshot(), nil
		case <-ctx.Done():
			return m.Snapshot(), ctx.Err()
		}
	}
	ch := make(chan struct{})
	m.inflight = ch
	m.started = m.opts.Now()
	m.mu.Unlock()
	s := m.refresh(ctx)
	m.mu.Lock()
	m.snap = s
	close(m.changed)
	m.changed = make(chan struct{})
	m.inflight = nil
	m.mu.Unlock()
	close(ch)
	return s, nil
}

// Run refreshes until ctx ends, each refresh starting Interval after the
// previous one started, and never before the previous one returned (then
// a quarter interval after it, so a slow cluster is not asked back to
// back). A Sample from elsewhere counts as a refresh: the next one is
// timed from it.
func (m *LagMonitor) Run(ctx context.Context) {
	gap := m.opts.Interval / 4
	for ctx.Err() == nil {
		m.mu.Lock()
		seq, started, ch, busy := m.snap.Seq, m.started, m.changed, m.inflight != nil
		m.mu.Unlock()
		if seq == 0 && !busy {
			_, _ = m.Sample(ctx) // its only error is ctx's, which the loop checks
			continue
		}
		if busy { // someone else's refresh: time the next from it
			select {
			case <-ch:
			case <-ctx.Done():
			}
			continue
		}
		wait := max(started.Add(m.opts.Interval).Sub(m.opts.Now()), gap)
		select {
		case <-m.opts.After(wait):
			_, _ = m.Sample(ctx) // its only error is ctx's, which the loop checks
		case <-ch: // refreshed meanwhile: time the next from that one
		case <-ctx.Done():
		}
	}
}

// refresh takes one sample and builds the snapshot that follows from it.
// Only one runs at a time, so the trackers need no lock.
func (m *LagMonitor) refresh(ctx context.Context) *LagSnapshot {
	prev := m.Snapshot()
	cctx, cancel := context.WithTimeout(ctx, m.opts.Timeout)
	lags, err := m.src.Lag(cctx, m.opts.Groups...)
	cancel()
	at := m.opts.Now()
	if err != nil {
		s := *prev
		s.Seq, s.Err, s.ErrAt = prev.Seq+1, err, at
		return &s
	}
	groups := lagGroups(lags)
	if rt, ok := m.src.(LagTimer); ok {
		if need := m.times.Need(groups); len(need) > 0 {
			// Time lag is a nicety: read within half an interval, so it
			// never holds the next sample back; the estimate stands in.
			tctx, cancel := context.WithTimeout(ctx, max(m.opts.Interval/2, 250*time.Millisecond))
			times, _ := rt.RecordTimes(tctx, need)
			cancel()
			m.times.Learn(times)
			if ctx.Err() == nil {
				m.times.Missed(need, times)
			}
		}
	}
	m.track.Observe(at, groups, false)
	m.times.Observe(at, groups)
	m.mu.Lock()
	watched := slices.Clone(m.watched)
	m.mu.Unlock()
	var per []lag.Group
	for _, gl := range lags {
		if !slices.Contains(watched, gl.Group.ID) {
			continue
		}
		for _, p := range gl.Partitions {
			per = append(per, lag.Group{ID: partTrackKey(gl.Group.ID, p), Partitions: []lag.Partition{p}, Total: max(0, p.Lag)})
		}
	}
	m.parts.Observe(at, per, false)

	s := &LagSnapshot{Seq: prev.Seq + 1, At: at, Groups: make([]GroupStatus, 0, len(lags))}
	for i, gl := range lags {
		id := gl.Group.ID
		g := GroupStatus{GroupLag: gl, Verdict: m.track.Verdict(id), History: slices.Clone(m.track.History(id)),
			TimeLag: m.times.Group(groups[i], at), PartTimes: make([]lag.TimeLag, len(gl.Partitions))}
		for i, p := range gl.Partitions {
			g.PartTimes[i] = m.times.Of(p, at)
		}
		if slices.Contains(watched, id) {
			g.PartVerdicts = make([]lag.Verdict, len(gl.Partitions))
			g.PartHistory = make([][]int64, len(gl.Partitions))
			for i, p := range gl.Partitions {
				k := partTrackKey(id, p)
				g.PartVerdicts[i], g.PartHistory[i] = m.parts.Verdict(k), slices.Clone(m.parts.History(k))
			}
		}
		s.Groups = append(s.Groups, g)
	}
	return s
}

// partTrackKey names one partition of a group in the partition tracker.
func partTrackKey(group string, p lag.Partition) string {
	return group + "\x00" + p.Topic + "\x00" + strconv.Itoa(int(p.Partition))
}

// lagGroups is the client's lag rows as the lag package reads them; the
// partitions are shared, not copied.
func lagGroups(lags []GroupLag) []lag.Group {
	out := make([]lag.Group, len(lags))
	for i, gl := range lags {
		out[i] = lag.Group{ID: gl.Group.ID, Partitions: gl.Partitions, Total: gl.TotalLag, Err: gl.Err}
	}
	return out
}
