package views

import (
	"fmt"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
)

// GroupDetail shows one group: per partition its committed and end
// offsets, lag, time lag, status and owner; and its members with their
// assignments.
type GroupDetail struct {
	c      *Common
	id     int
	gen    int
	src    GroupsSource
	opts   GroupsOptions
	group  string
	keys   GroupsKeys
	table  *Table
	parent *kafka.LagTracker // the dashboard's, read only: the longer history
	track  *kafka.LagTracker // this group, when there is no parent
	parts  *kafka.LagTracker // one "group" per partition, for trends and status
	times  *kafka.TimeLags
	lag    kafka.GroupLag
	groupActions

	loading bool
	loaded  bool
	closed  bool
	gone    bool // the group was deleted
	err     error
	updated time.Time

	width, height int
}

// Partition table columns.
const (
	partColTopic = iota
	partColPartition
	partColStatus
	partColCommitted
	partColEnd
	partColLag
	partColTimeLag
	partColTrend
	partColClient
	partColHost
)

// NewGroupDetail makes the detail view of group. parent, when not nil, is
// the dashboard's tracker, whose verdict on the group it shows.
func NewGroupDetail(c *Common, src GroupsSource, group string, parent *kafka.LagTracker, opts GroupsOptions) *GroupDetail {
	v := &GroupDetail{c: c, id: c.NewID(), src: src, opts: opts, group: group, keys: DefaultGroupsKeys(), parent: parent,
		track: kafka.NewLagTracker(opts.Rules, 0), parts: kafka.NewLagTracker(opts.Rules, 0), times: kafka.NewTimeLags(0, 0)}
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

// Init loads the group.
func (v *GroupDetail) Init() tea.Cmd { return v.load() }

// Title names the view.
func (v *GroupDetail) Title() string { return "group · " + v.group }

// Capturing reports whether a dialog or the filter takes the keys.
func (v *GroupDetail) Capturing() bool { return v.dialog != nil || v.table.Typing() }

// WantsEsc reports whether esc closes something inside the view.
func (v *GroupDetail) WantsEsc() bool { return v.Capturing() || v.table.WantsEsc() }

// Busy reports whether a call is in flight.
func (v *GroupDetail) Busy() bool { return v.loading || v.busy > 0 }

// Close stops the refreshes.
func (v *GroupDetail) Close() { v.closed = true }

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

func (v *GroupDetail) load() tea.Cmd {
	v.gen++
	v.loading = true
	return fetchLag(v.c, v.id, v.gen, v.src, v.times, "", v.group)
}

// Update handles results, ticks and keys.
func (v *GroupDetail) Update(msg tea.Msg) (View, tea.Cmd) {
	if used, cmd, changed := v.groupActions.update(msg); used {
		if changed {
			if _, ok := msg.(Result[groupDeleted]); ok {
				v.gone = true
				return v, tea.Batch(cmd, Pop())
			}
			if !v.loading {
				return v, tea.Batch(cmd, v.load())
			}
		}
		return v, cmd
	}
	switch msg := msg.(type) {
	case groupsLoaded:
		if msg.ID != v.id || msg.Gen != v.gen {
			return v, nil
		}
		v.loading = false
		if v.closed {
			return v, nil
		}
		next := groupsTick(v.c, v.opts.Refresh, v.id)
		if msg.Err != nil || len(msg.Value.Lags) == 0 {
			if msg.Err == nil {
				msg.Err = fmt.Errorf("group %q not found", v.group)
			}
			v.err = msg.Err
			return v, tea.Batch(next, Failure(msg.Err))
		}
		v.err, v.loaded, v.updated = nil, true, msg.At
		v.observe(msg.Value, msg.At)
		return v, next
	case TickMsg:
		if msg.ID != v.id || v.loading || v.closed {
			return v, nil
		}
		return v, v.load()
	case tea.KeyPressMsg:
		if used, cmd := v.table.Update(msg); used {
			return v, cmd
		}
		switch {
		case key.Matches(msg, v.keys.Refresh):
			if v.loading {
				return v, nil
			}
			return v, v.load()
		case key.Matches(msg, v.keys.Reset) && v.loaded:
			return v, v.reset(v.lag)
		case key.Matches(msg, v.keys.Delete) && v.loaded:
			return v, v.remove(v.lag)
		}
		return v, nil
	}
	_, cmd := v.table.Update(msg)
	return v, cmd
}

// partKey names a partition as a "group" of the partition tracker.
func partKey(p kafka.PartitionLag) string { return fmt.Sprintf("%s[%d]", p.Topic, p.Partition) }

func (v *GroupDetail) observe(s groupsSnapshot, at time.Time) {
	v.lag = s.Lags[0]
	v.track.Observe(at, s.Lags, false)
	per := make([]kafka.GroupLag, 0, len(v.lag.Partitions))
	for _, p := range v.lag.Partitions {
		per = append(per, kafka.GroupLag{Group: kafka.GroupDetail{GroupSummary: kafka.GroupSummary{ID: partKey(p)}},
			Partitions: []kafka.PartitionLag{p}, TotalLag: max(0, p.Lag)})
	}
	v.parts.Observe(at, per, false)
	v.times.Learn(s.Times)
	v.times.Observe(at, s.Lags)
	rows := make([]Row, 0, len(v.lag.Partitions))
	for _, p := range v.lag.Partitions {
		rows = append(rows, v.row(p, at))
	}
	v.table.SetRows(rows)
	v.SetSize(v.width, v.height)
}

// verdict is the group's status: the dashboard's when it has seen more.
func (v *GroupDetail) verdict() kafka.LagVerdict {
	if v.parent != nil && len(v.parent.Samples(v.group)) >= len(v.track.Samples(v.group)) {
		return v.parent.Verdict(v.group)
	}
	return v.track.Verdict(v.group)
}

func (v *GroupDetail) row(p kafka.PartitionLag, now time.Time) Row {
	k := partKey(p)
	vd := v.parts.Verdict(k)
	committed := Num(float64(p.Committed), Count(p.Committed))
	if p.Committed < 0 {
		committed = Num(-1, "none")
		committed.Tone = Muted
	}
	lag := Num(float64(p.Lag), Count(p.Lag))
	if p.Lag < 0 {
		lag = Num(-1, Dash)
	}
	tl := v.times.Of(p, now)
	trend := Num(float64(p.Lag), lagSpark(v.parts.History(k), 10))
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
		Num(float64(p.EndOffset), Count(p.EndOffset)),
		lag,
		Num(float64(tl.Age), timeLagText(tl)),
		trend,
		client,
		host,
	}}
}

var _ View = (*GroupDetail)(nil)
