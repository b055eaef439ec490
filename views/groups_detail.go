package views

import (
	"fmt"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
	"kflow/lag"
	"kflow/text"
)

// GroupDetail shows one group: per partition its committed and end
// offsets, lag, time lag, status and owner; and its members with their
// assignments.
type GroupDetail struct {
	c     *Common
	id    int
	src   GroupsSource
	opts  GroupsOptions
	group string
	keys  GroupsKeys
	table *Table
	feed  lagFeed
	lag   kafka.GroupStatus
	groupActions

	loaded  bool
	closed  bool
	gone    bool // the group was deleted
	err     error
	errAt   time.Time // the failure last reported
	updated time.Time

	width, height int
}

// NewGroupDetail makes the detail view of group, reading mon (the
// dashboard's lag monitor; when nil the Common's, else one of its own):
// the group's status is the one the monitor has built, and from now on
// the monitor judges its partitions too.
func NewGroupDetail(c *Common, src GroupsSource, group string, mon *kafka.LagMonitor, opts GroupsOptions) *GroupDetail {
	v := &GroupDetail{c: c, id: c.NewID(), src: src, opts: opts, group: group, keys: DefaultGroupsKeys()}
	v.feed = newLagFeed(c, v.id, src, mon, opts)
	v.keys.Open.SetEnabled(false)
	v.groupActions = groupActions{c: c, src: src, id: v.id}
	v.table = NewTable(c, []Column{
		{Title: "TOPIC", Width: 10, Flex: true},
		{Title: "PART", Width: 4, Align: Right},
		{Title: "STATUS", Width: 6},
		{Title: "COMMITTED", Width: 10, Align: Right, Drop: 2},
		{Title: "END", Width: 10, Align: Right, Drop: 1},
		{Title: "LAG", Width: 8, Align: Right},
		{Title: "TIME LAG", Width: 8, Align: Right},
		{Title: "TREND", Width: 10, Drop: 3},
		{Title: "CLIENT", Width: 20, Drop: 4},
		{Title: "HOST", Width: 15, Drop: 5},
	})
	v.table.SortBy(-1, false)
	v.table.Empty = "no committed offsets and no assignment"
	return v
}

// ID is the view's id.
func (v *GroupDetail) ID() int { return v.id }

// Init shows the group as the lag monitor last saw it, asks it to judge
// the group's partitions too, and follows it.
func (v *GroupDetail) Init() tea.Cmd {
	v.feed.mon.WatchPartitions(v.group)
	g, seen := v.feed.mon.Snapshot().Group(v.group)
	// A first sample of the partitions now, rather than an interval on.
	ok, cmd := v.feed.start(!seen || g.PartVerdicts == nil)
	if ok {
		return tea.Batch(cmd, v.show())
	}
	return cmd
}

// Title names the view.
func (v *GroupDetail) Title() string { return "group · " + v.group }

// Capturing reports whether a dialog or the filter takes the keys.
func (v *GroupDetail) Capturing() bool { return v.dialog != nil || v.table.Typing() }

// WantsEsc reports whether esc closes something inside the view.
func (v *GroupDetail) WantsEsc() bool { return v.Capturing() || v.table.WantsEsc() }

// Busy reports whether a call is in flight.
func (v *GroupDetail) Busy() bool { return !v.loaded && v.err == nil || v.busy > 0 }

// Close stops following the lag monitor.
func (v *GroupDetail) Close() {
	v.closed = true
	v.feed.stop()
}

// Table exposes the partition table, for tests.
func (v *GroupDetail) Table() *Table { return v.table }

// ShortHelp returns the bindings shown in the one-line help.
func (v *GroupDetail) ShortHelp() []key.Binding {
	if v.dialog != nil {
		return v.dialog.help()
	}
	k := v.keys
	return k.writes(v.c.ReadOnly, k.Table.Filter, k.Reset, k.Delete, k.Refresh)
}

// FullHelp returns every binding of the view, grouped.
func (v *GroupDetail) FullHelp() [][]key.Binding {
	if v.dialog != nil {
		return [][]key.Binding{v.dialog.help()}
	}
	k := v.keys
	return [][]key.Binding{k.Table.Nav(), append(k.Table.List(), k.Refresh), k.writes(v.c.ReadOnly, k.Reset, k.Delete)}
}

// SetSize sets the view's area.
func (v *GroupDetail) SetSize(w, h int) {
	v.width, v.height = w, h
	v.table.SetSize(w, max(0, h-v.headLines()-v.memberLines()))
	v.groupActions.setSize(w, h)
}

func (v *GroupDetail) headLines() int { return 3 }

// memberLines is the height of the members section: a blank line, a
// header, one line per member, at most a third of the view.
func (v *GroupDetail) memberLines() int {
	n := len(v.lag.Group.MemberList)
	if n == 0 {
		return 2
	}
	return min(n+2, max(3, v.height/3))
}

// Update handles snapshots, results and keys.
func (v *GroupDetail) Update(msg tea.Msg) (View, tea.Cmd) {
	if used, cmd, changed := v.groupActions.update(msg); used {
		if changed {
			if _, ok := msg.(Result[groupDeleted]); ok {
				v.gone = true
				return v, tea.Batch(cmd, Pop())
			}
			return v, tea.Batch(cmd, v.feed.sample())
		}
		return v, cmd
	}
	if fresh, used, cmd := v.feed.take(msg); used {
		if !fresh || v.closed || v.gone {
			return v, cmd
		}
		return v, tea.Batch(cmd, v.show())
	}
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if used, cmd := v.table.Update(msg); used {
			return v, cmd
		}
		switch {
		case key.Matches(msg, v.keys.Refresh):
			return v, v.feed.sample()
		case key.Matches(msg, v.keys.Reset) && v.loaded:
			return v, v.reset(v.lag.GroupLag)
		case key.Matches(msg, v.keys.Delete) && v.loaded:
			return v, v.remove(v.lag.GroupLag)
		}
		return v, nil
	}
	_, cmd := v.table.Update(msg)
	return v, cmd
}

// partKey names a partition's row.
func partKey(p lag.Partition) string { return fmt.Sprintf("%s[%d]", p.Topic, p.Partition) }

// show puts the feed's snapshot of the group on screen; a failed refresh
// keeps the last good rows, marked stale, and is reported once, as is a
// group that is no more.
func (v *GroupDetail) show() tea.Cmd {
	s := v.feed.snap
	err := s.Err
	g, found := s.Group(v.group)
	if err == nil && !s.At.IsZero() && !found {
		err = fmt.Errorf("group %q not found", v.group)
	}
	var cmd tea.Cmd
	v.err = err
	if err != nil {
		at := s.ErrAt
		if s.Err == nil {
			at = s.At
		}
		if !at.Equal(v.errAt) {
			v.errAt = at
			if s.Err != nil {
				err = fmt.Errorf("consumer group lag: %w", err)
			}
			cmd = Failure(err)
		}
	}
	if !found {
		return cmd
	}
	v.loaded, v.updated, v.lag = true, s.At, g
	rows := make([]Row, 0, len(g.Partitions))
	for i := range g.Partitions {
		rows = append(rows, v.row(g, i))
	}
	v.table.SetRows(rows)
	v.SetSize(v.width, v.height)
	return cmd
}

func (v *GroupDetail) row(g kafka.GroupStatus, i int) Row {
	p := g.Partitions[i]
	k := partKey(p)
	vd := lag.Evaluate(v.feed.mon.Rules(), nil, time.Time{}) // pending until watched
	var hist []int64
	if i < len(g.PartVerdicts) {
		vd, hist = g.PartVerdicts[i], g.PartHistory[i]
	}
	tl := lag.TimeLag{Age: -1}
	if i < len(g.PartTimes) {
		tl = g.PartTimes[i]
	}
	committed := Num(float64(p.Committed), text.Count(p.Committed))
	if p.Committed < 0 {
		committed = Num(-1, "none")
		committed.Tone = Muted
	}
	lag := Num(float64(p.Lag), text.Count(p.Lag))
	if p.Lag < 0 {
		lag = Num(-1, text.Dash)
	}
	trend := Num(float64(p.Lag), lagSpark(hist, 10))
	trend.Tone = Accent
	client := Text(p.ClientID)
	host := Text(p.Host)
	if p.ClientID == "" {
		client = Cell{Text: "unassigned", Tone: Muted}
	}
	return Row{Key: k, Cells: []Cell{
		Text(p.Topic),
		Num(float64(p.Partition), fmt.Sprint(p.Partition)),
		{Text: vd.Status.String(), Tone: statusTone(vd.Status), Numeric: true, Num: float64(vd.Status)},
		committed,
		Num(float64(p.EndOffset), text.Count(p.EndOffset)),
		lag,
		Num(float64(tl.Age), timeLagText(tl)),
		trend,
		client,
		host,
	}}
}

var _ View = (*GroupDetail)(nil)
