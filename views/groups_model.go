package views

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
)

// Groups is the consumer-lag dashboard: every group (or every group
// reading one topic) with its status, lag, trend, time lag and catch-up
// estimate.
type Groups struct {
	c     *Common
	id    int
	gen   int
	src   GroupsSource
	opts  GroupsOptions
	topic string // only groups reading this topic, lag on it alone
	keys  GroupsKeys
	table *Table
	track *kafka.LagTracker
	times *kafka.TimeLags
	lags  []kafka.GroupLag
	groupActions

	loading bool
	loaded  bool
	closed  bool
	err     error
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
// that read topic, with their lag on it.
func NewGroups(c *Common, src GroupsSource, topic string, opts GroupsOptions) *Groups {
	v := &Groups{c: c, id: c.NewID(), src: src, opts: opts, topic: topic, keys: DefaultGroupsKeys(),
		track: kafka.NewLagTracker(opts.Rules, 0), times: kafka.NewTimeLags(0, 0)}
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

// Init loads the groups.
func (v *Groups) Init() tea.Cmd { return v.load() }

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
func (v *Groups) Busy() bool { return v.loading || v.busy > 0 }

// Close stops the refreshes.
func (v *Groups) Close() { v.closed = true }

// Table exposes the table, for tests.
func (v *Groups) Table() *Table { return v.table }

// Tracker exposes the status tracker, for tests.
func (v *Groups) Tracker() *kafka.LagTracker { return v.track }

// SetSize sets the view's area.
func (v *Groups) SetSize(w, h int) {
	v.width, v.height = w, h
	v.table.SetSize(w, max(0, h-2))
	v.groupActions.setSize(w, h)
}

func (v *Groups) load() tea.Cmd {
	v.gen++
	v.loading = true
	return fetchLag(v.c, v.id, v.gen, v.src, v.times, v.topic)
}

// Update handles results, ticks and keys.
func (v *Groups) Update(msg tea.Msg) (View, tea.Cmd) {
	if used, cmd, changed := v.groupActions.update(msg); used {
		if changed && !v.loading {
			return v, tea.Batch(cmd, v.load())
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
		if msg.Err != nil {
			v.err = msg.Err
			return v, tea.Batch(next, Failure(fmt.Errorf("consumer group lag: %w", msg.Err)))
		}
		first := !v.loaded
		v.err, v.loaded, v.updated = nil, true, msg.At
		v.observe(msg.Value, msg.At)
		if first { // start on the most urgent group
			v.table.cursor = 0
			v.table.clamp()
		}
		return v, next
	case TickMsg:
		if msg.ID != v.id || v.loading || v.closed {
			return v, nil
		}
		return v, v.load()
	case tea.KeyPressMsg:
		return v.key(msg)
	}
	_, cmd := v.table.Update(msg)
	return v, cmd
}

func (v *Groups) observe(s groupsSnapshot, at time.Time) {
	v.lags = s.Lags
	v.track.Observe(at, s.Lags, false)
	v.times.Learn(s.Times)
	v.times.Observe(at, s.Lags)
	v.setRows(at)
}

func (v *Groups) key(msg tea.KeyPressMsg) (View, tea.Cmd) {
	if used, cmd := v.table.Update(msg); used {
		return v, cmd
	}
	k := v.keys
	g, ok := v.selected()
	switch {
	case key.Matches(msg, k.Refresh):
		if v.loading {
			return v, nil
		}
		return v, v.load()
	case key.Matches(msg, k.Open):
		if !ok {
			return v, nil
		}
		return v, Push(NewGroupDetail(v.c, v.src, g.Group.ID, v.track, v.opts))
	case key.Matches(msg, k.Reset):
		if !ok {
			return v, nil
		}
		return v, v.reset(g)
	case key.Matches(msg, k.Delete):
		if !ok {
			return v, nil
		}
		return v, v.remove(g)
	}
	return v, nil
}

func (v *Groups) selected() (kafka.GroupLag, bool) {
	row, ok := v.table.Selected()
	if !ok {
		return kafka.GroupLag{}, false
	}
	for _, g := range v.lags {
		if g.Group.ID == row.Key {
			return g, true
		}
	}
	return kafka.GroupLag{}, false
}

// setRows fills the table from the latest lags at time now.
func (v *Groups) setRows(now time.Time) {
	rows := make([]Row, 0, len(v.lags))
	for _, g := range v.lags {
		rows = append(rows, v.row(g, now))
	}
	v.table.SetRows(rows)
}

func (v *Groups) row(g kafka.GroupLag, now time.Time) Row {
	vd := v.track.Verdict(g.Group.ID)
	status := Cell{Text: vd.Status.String(), Tone: statusTone(vd.Status), Numeric: true,
		Num: float64(vd.Status)*1e15 + float64(max(0, g.TotalLag))}
	lag := Num(float64(g.TotalLag), Count(g.TotalLag))
	tl := v.times.Group(g, now)
	timeLag := Num(float64(tl.Age), timeLagText(tl))
	cu := Num(float64(vd.CatchUp), catchUpText(vd))
	if vd.CatchUp < 0 && vd.ConsumeRate >= 0 && g.TotalLag > 0 {
		cu.Tone = Warning
	}
	if vd.Status == kafka.LagError {
		lag, timeLag, cu = Num(-1, Dash), Num(-1, Dash), Num(-1, Dash)
	}
	trend := Num(float64(g.TotalLag), lagSpark(v.track.History(g.Group.ID), groupTrendWidth))
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
		lag,
		trend,
		timeLag,
		cu,
	}}
}

// ensure the view satisfies the shell's interface.
var _ View = (*Groups)(nil)
