package views

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
	"kflow/lag"
)

// lagUpdated brings a groups view the lag monitor's newest snapshot.
type lagUpdated struct {
	ID   int
	Snap *kafka.LagSnapshot
}

// lagSampled answers a refresh asked with r.
type lagSampled = Result[*kafka.LagSnapshot]

// lagFeed is how a groups view reads the connection's lag monitor: it
// shows the snapshot there is at once, waits for each next one, and asks
// for a refresh on r. A view whose Common has no monitor (tests, or a
// source that is not the connection) owns one, running it in the
// background while the view is open when the shell polls.
type lagFeed struct {
	c      *Common
	id     int
	gen    int
	mon    *kafka.LagMonitor
	own    bool
	ctx    context.Context
	cancel context.CancelFunc
	snap   *kafka.LagSnapshot
}

// newLagFeed uses mon, else the Common's monitor, else a monitor of its
// own over src.
func newLagFeed(c *Common, id int, src GroupsSource, mon *kafka.LagMonitor, opts GroupsOptions) lagFeed {
	f := lagFeed{c: c, id: id, mon: mon, snap: &kafka.LagSnapshot{}}
	if f.mon == nil {
		f.mon = c.Lag
	}
	if f.mon == nil {
		f.own = true
		f.mon = kafka.NewLagMonitor(src, kafka.LagMonitorOptions{Rules: opts.Rules, Interval: opts.Refresh, Timeout: c.Timeout, Now: c.now})
	}
	return f
}

// start begins the feed: the snapshot there is now (ok false when there
// is none yet), and the command waiting for the next one. sample asks for
// a refresh at once as well.
func (f *lagFeed) start(sample bool) (ok bool, cmd tea.Cmd) {
	parent := f.c.Ctx
	if parent == nil {
		parent = context.Background()
	}
	f.ctx, f.cancel = context.WithCancel(parent)
	if f.own && f.c.Refresh > 0 {
		go f.mon.Run(f.ctx)
	}
	f.snap = f.mon.Snapshot()
	cmds := []tea.Cmd{f.watch()}
	if sample || f.snap.Seq == 0 {
		cmds = append(cmds, f.sample())
	}
	return f.snap.Seq > 0, tea.Batch(cmds...)
}

// stop ends the wait and, for a monitor of its own, the sampling.
func (f *lagFeed) stop() {
	if f.cancel != nil {
		f.cancel()
	}
}

// watch waits for a snapshot newer than the one shown.
func (f *lagFeed) watch() tea.Cmd {
	mon, ctx, id, seq := f.mon, f.ctx, f.id, f.snap.Seq
	return func() tea.Msg {
		s, err := mon.Wait(ctx, seq)
		if err != nil {
			return nil
		}
		return lagUpdated{ID: id, Snap: s}
	}
}

// sample asks the monitor for a refresh now; one already running answers
// instead.
func (f *lagFeed) sample() tea.Cmd {
	f.gen++
	mon := f.mon
	return Call(f.c, f.id, f.gen, "consumer group lag", func(ctx context.Context) (*kafka.LagSnapshot, error) {
		return mon.Sample(ctx)
	})
}

// take reports whether msg brings this view a snapshot newer than the one
// shown, and the command to go on waiting.
func (f *lagFeed) take(msg tea.Msg) (fresh bool, used bool, cmd tea.Cmd) {
	var s *kafka.LagSnapshot
	switch msg := msg.(type) {
	case lagUpdated:
		if msg.ID != f.id {
			return false, false, nil
		}
		s = msg.Snap
		if f.ctx != nil && f.ctx.Err() == nil {
			defer func() { cmd = f.watch() }()
		}
	case lagSampled:
		if msg.ID != f.id {
			return false, false, nil
		}
		s = msg.Value
		if msg.Err != nil && s.Seq <= f.snap.Seq {
			// The request ended before an answer (the UI's timeout).
			s = &kafka.LagSnapshot{Seq: f.snap.Seq, At: f.snap.At, Groups: f.snap.Groups, Err: msg.Err, ErrAt: msg.At}
			f.snap = s
			return true, true, nil
		}
	default:
		return false, false, nil
	}
	if s == nil || s.Seq <= f.snap.Seq {
		return false, true, nil
	}
	f.snap = s
	return true, true, nil
}

// onTopic keeps the groups that have a position on topic, with only that
// topic's partitions, lag and time lag; status and trend stay the
// group's.
func onTopic(gs []kafka.GroupStatus, topic string) []kafka.GroupStatus {
	out := make([]kafka.GroupStatus, 0, len(gs))
	for _, g := range gs {
		var ps []lag.Partition
		var times []lag.TimeLag
		var total int64
		for i, p := range g.Partitions {
			if p.Topic != topic {
				continue
			}
			ps = append(ps, p)
			total += max(0, p.Lag)
			tl := lag.TimeLag{Age: -1}
			if i < len(g.PartTimes) {
				tl = g.PartTimes[i]
			}
			times = append(times, tl)
		}
		if len(ps) == 0 {
			continue
		}
		// As TimeLags.Group: the worst partition's, unknown when lag
		// has no known age.
		worst := lag.TimeLag{}
		if total > 0 {
			worst.Age = -1
		}
		for _, tl := range times {
			if tl.Age > worst.Age {
				worst = tl
			}
		}
		g.Partitions, g.TotalLag, g.PartTimes, g.TimeLag = ps, total, times, worst
		g.PartVerdicts, g.PartHistory = nil, nil
		out = append(out, g)
	}
	return out
}
