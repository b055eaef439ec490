package views

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
	"kflow/lag"
	"kflow/text"
)

// Groups is the consumer-lag dashboard: every group (or every group
// reading one topic) with its status, lag, trend, time lag and catch-up
// estimate.
type Groups struct {
	c     *Common
	id    int
	src   GroupsSource
	opts  GroupsOptions
	topic string // only groups reading this topic, lag on it alone
	keys  GroupsKeys
	table *Table
	feed  lagFeed
	lags  []kafka.GroupStatus
	groupActions

	loaded  bool
	closed  bool
	err     error
	errAt   time.Time // the failure last reported
	updated time.Time

	width, height int
}

// Group table columns.
const (
	groupColName = iota
	groupColStatus
	groupColState
	groupColMembers
	groupColTopics
	groupColLag
	groupColTrend
	groupColTimeLag
	groupColCatchUp
)

// groupTrendWidth is the width of the lag sparkline.
const groupTrendWidth = 12

// NewGroups makes the dashboard. With topic set it lists only the groups
// that read topic, with their lag on it. It reads the connection's lag
// monitor (Common.Lag), so statuses carry over from before it opened; a
// Common without one gets a monitor of the view's own over src.
func NewGroups(c *Common, src GroupsSource, topic string, opts GroupsOptions) *Groups {
	v := &Groups{c: c, id: c.NewID(), src: src, opts: opts, topic: topic, keys: DefaultGroupsKeys()}
	v.feed = newLagFeed(c, v.id, src, nil, opts)
	v.groupActions = groupActions{c: c, src: src, id: v.id}
	v.table = NewTable(c, []Column{
		{Title: "GROUP", Width: 12, Flex: true},
		{Title: "STATUS", Width: 6},
		{Title: "STATE", Width: 11, Drop: 4},
		{Title: "MEMBERS", Width: 7, Align: Right, Drop: 1},
		{Title: "TOPICS", Width: 12, Drop: 5},
		{Title: "LAG", Width: 9, Align: Right},
		{Title: "TREND", Width: groupTrendWidth, Drop: 3},
		{Title: "TIME LAG", Width: 8, Align: Right},
		{Title: "CATCH-UP", Width: 8, Align: Right, Drop: 2},
	})
	v.table.SortBy(groupColStatus, true)
	v.table.Empty = "no consumer groups"
	if topic != "" {
		v.table.Empty = "no consumer group has a position on " + topic
	}
	return v
}

// ID is the view's id; results carrying another are not its.
func (v *Groups) ID() int { return v.id }

// Init shows what the lag monitor has seen so far and follows it.
func (v *Groups) Init() tea.Cmd {
	ok, cmd := v.feed.start(false)
	if ok {
		return tea.Batch(cmd, v.show())
	}
	return cmd
}

// Title names the view.
func (v *Groups) Title() string {
	if v.topic != "" {
		return "groups · " + v.topic
	}
	return "groups"
}

// Capturing reports whether a dialog or the filter takes the keys.
func (v *Groups) Capturing() bool { return v.dialog != nil || v.table.Typing() }

// WantsEsc reports whether esc closes something inside the view.
func (v *Groups) WantsEsc() bool { return v.Capturing() || v.table.WantsEsc() }

// Busy reports whether a call is in flight.
func (v *Groups) Busy() bool { return !v.loaded && v.err == nil || v.busy > 0 }

// Close stops following the lag monitor.
func (v *Groups) Close() {
	v.closed = true
	v.feed.stop()
}

// Table exposes the table, for tests.
func (v *Groups) Table() *Table { return v.table }

// Monitor is the lag monitor the view reads.
func (v *Groups) Monitor() *kafka.LagMonitor { return v.feed.mon }

// SetSize sets the view's area.
func (v *Groups) SetSize(w, h int) {
	v.width, v.height = w, h
	v.table.SetSize(w, max(0, h-2))
	v.groupActions.setSize(w, h)
}

// Update handles snapshots, results and keys.
func (v *Groups) Update(msg tea.Msg) (View, tea.Cmd) {
	if used, cmd, changed := v.groupActions.update(msg); used {
		if changed {
			return v, tea.Batch(cmd, v.feed.sample())
		}
		return v, cmd
	}
	if fresh, used, cmd := v.feed.take(msg); used {
		if !fresh || v.closed {
			return v, cmd
		}
		return v, tea.Batch(cmd, v.show())
	}
	if msg, ok := msg.(tea.KeyPressMsg); ok {
		return v.key(msg)
	}
	_, cmd := v.table.Update(msg)
	return v, cmd
}

// show puts the feed's snapshot on screen; a failed refresh keeps the
// last good rows, marked stale, and is reported once.
func (v *Groups) show() tea.Cmd {
	s := v.feed.snap
	var cmd tea.Cmd
	if s.Err != nil {
		v.err = s.Err
		if !s.ErrAt.Equal(v.errAt) {
			v.errAt = s.ErrAt
			cmd = Failure(fmt.Errorf("consumer group lag: %w", s.Err))
		}
	} else {
		v.err = nil
	}
	if s.At.IsZero() {
		return cmd
	}
	first := !v.loaded
	v.loaded, v.updated = true, s.At
	v.lags = s.Groups
	if v.topic != "" {
		v.lags = onTopic(s.Groups, v.topic)
	}
	v.setRows()
	if first { // start on the most urgent group
		v.table.cursor = 0
		v.table.clamp()
	}
	return cmd
}

func (v *Groups) key(msg tea.KeyPressMsg) (View, tea.Cmd) {
	if used, cmd := v.table.Update(msg); used {
		return v, cmd
	}
	k := v.keys
	g, ok := v.selected()
	switch {
	case key.Matches(msg, k.Refresh):
		return v, v.feed.sample()
	case key.Matches(msg, k.Open):
		if !ok {
			return v, nil
		}
		return v, Push(NewGroupDetail(v.c, v.src, g.Group.ID, v.feed.mon, v.opts))
	case key.Matches(msg, k.Reset):
		if !ok {
			return v, nil
		}
		return v, v.reset(g.GroupLag)
	case key.Matches(msg, k.Delete):
		if !ok {
			return v, nil
		}
		return v, v.remove(g.GroupLag)
	}
	return v, nil
}

func (v *Groups) selected() (kafka.GroupStatus, bool) {
	row, ok := v.table.Selected()
	if !ok {
		return kafka.GroupStatus{}, false
	}
	for _, g := range v.lags {
		if g.Group.ID == row.Key {
			return g, true
		}
	}
	return kafka.GroupStatus{}, false
}

// setRows fills the table from the latest lags.
func (v *Groups) setRows() {
	rows := make([]Row, 0, len(v.lags))
	for _, g := range v.lags {
		rows = append(rows, v.row(g))
	}
	v.table.SetRows(rows)
}

func (v *Groups) row(g kafka.GroupStatus) Row {
	vd := g.Verdict
	status := Cell{Text: vd.Status.String(), Tone: statusTone(vd.Status), Numeric: true,
		Num: float64(vd.Status)*1e15 + float64(max(0, g.TotalLag))}
	lagCell := Num(float64(g.TotalLag), text.Count(g.TotalLag))
	timeLag := Num(float64(g.TimeLag.Age), timeLagText(g.TimeLag))
	cu := Num(float64(vd.CatchUp), catchUpText(vd))
	if vd.CatchUp < 0 && vd.ConsumeRate >= 0 && g.TotalLag > 0 {
		cu.Tone = Warning
	}
	if vd.Status == lag.Error {
		lagCell, timeLag, cu = Num(-1, text.Dash), Num(-1, text.Dash), Num(-1, text.Dash)
	}
	trend := Num(float64(g.TotalLag), lagSpark(g.History, groupTrendWidth))
	trend.Tone = Accent
	state := Text(g.Group.State)
	if g.Group.State == "Empty" || g.Group.State == "Dead" {
		state.Tone = Muted
	}
	return Row{Key: g.Group.ID, Cells: []Cell{
		Text(g.Group.ID),
		status,
		state,
		Num(float64(g.Group.Members), fmt.Sprint(g.Group.Members)),
		Text(strings.Join(g.Topics(), ",")),
		lagCell,
		trend,
		timeLag,
		cu,
	}}
}

// ensure the view satisfies the shell's interface.
var _ View = (*Groups)(nil)
