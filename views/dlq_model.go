package views

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
	"kflow/text"
)

// DLQSource is what the dead-letter view needs besides Cluster: reading
// the DLQ, planning a redrive and running it. *kafka.Client satisfies it.
type DLQSource interface {
	ReadDLQ(ctx context.Context, topic string, from map[int32]int64) ([]kafka.Record, bool, error)
	PlanRedrive(ctx context.Context, dlq string, opts kafka.DLQRedriveOptions) (kafka.DLQPlan, error)
	Redrive(ctx context.Context, plan kafka.DLQPlan, progress func(kafka.DLQProgress)) (kafka.DLQResult, error)
}

var _ DLQSource = (*kafka.Client)(nil)

// DLQFrom is what the tail a dead-letter view opens from offers to
// select: its selected record and its filter, each nil when it has none.
type DLQFrom struct {
	Record *kafka.Record
	Filter *TailFilter
}

// dlqRecords is a read of the DLQ: its records.
type dlqRecords struct {
	recs      []kafka.Record
	truncated bool
}

// DLQ is the dead-letter view of a topic: its records grouped by error
// reason (count, first and last time), a selection (a reason, the tail's
// record or filter, all) and R, the redrive plan, which the DLQ's name
// typed back executes.
type DLQ struct {
	c     *Common
	src   DLQSource
	topic string
	from  DLQFrom
	keys  DLQKeys
	tableView
	summary kafka.DLQSummary
	sel     kafka.DLQSelection
	dialog  *dlqConfirm
}

// NewDLQ makes the dead-letter view of topic.
func NewDLQ(c *Common, src DLQSource, topic string, from DLQFrom) *DLQ {
	v := &DLQ{c: c, src: src, topic: topic, from: from, keys: DefaultDLQKeys(), tableView: tableView{id: c.NewID()}}
	v.table = NewTable(c, []Column{
		{Title: "REASON", Width: 24, Flex: true},
		{Title: "COUNT", Width: 7, Align: Right},
		{Title: "FIRST", Width: 14, Drop: 2},
		{Title: "LAST", Width: 14, Drop: 1},
	})
	v.table.SortBy(-1, false) // the summary's order: most records first
	v.table.Empty = "no records in " + topic
	return v
}

// OpenDLQ returns the command opening the dead-letter view of topic.
func OpenDLQ(c *Common, topic string, from DLQFrom) tea.Cmd {
	src, ok := c.Cluster.(DLQSource)
	if !ok {
		return Failure(fmt.Errorf("dead letters of %s: not connected to a cluster that can redrive", topic))
	}
	return Push(NewDLQ(c, src, topic, from))
}

// Init reads the DLQ.
func (v *DLQ) Init() tea.Cmd { return v.load() }

// Title names the view.
func (v *DLQ) Title() string { return "dlq · " + v.topic }

// Capturing reports whether a dialog or the table's filter takes keys.
func (v *DLQ) Capturing() bool { return v.dialog != nil || v.table.Typing() }

// WantsEsc reports whether esc closes something inside the view.
func (v *DLQ) WantsEsc() bool { return v.Capturing() || v.table.WantsEsc() }

// Busy reports whether a read, a plan or a redrive is in flight.
func (v *DLQ) Busy() bool { return v.loading || v.dialog != nil && v.dialog.submitting }

// Close stops a running redrive's progress from reaching a closed view
// (the redrive itself ends its batch and stops with Common.Ctx).
func (v *DLQ) Close() {}

// SetSize gives the view its area.
func (v *DLQ) SetSize(w, h int) {
	v.width, v.height = w, h
	v.table.SetSize(w, max(1, h-2))
	if v.dialog != nil {
		v.dialog.setSize(w, h)
	}
}

func (v *DLQ) load() tea.Cmd {
	v.gen++
	v.loading = true
	src, topic := v.src, v.topic
	return Call(v.c, v.id, v.gen, "dead letters of "+topic, func(ctx context.Context) (dlqRecords, error) {
		recs, truncated, err := src.ReadDLQ(ctx, topic, nil)
		return dlqRecords{recs, truncated}, err
	})
}

// Update handles results and keys.
func (v *DLQ) Update(msg tea.Msg) (View, tea.Cmd) {
	switch msg := msg.(type) {
	case Result[dlqRecords]:
		fresh, fail := settle(&v.tableView, msg)
		if !fresh || fail != nil {
			return v, fail
		}
		v.summary = kafka.SummarizeDLQ(v.topic, msg.Value.recs, nil)
		v.summary.Truncated = msg.Value.truncated
		rows := make([]Row, 0, len(v.summary.Reasons))
		for _, r := range v.summary.Reasons {
			rows = append(rows, Row{Key: r.Reason, Cells: []Cell{Text(r.Reason),
				{Text: strconv.Itoa(r.Count), Num: float64(r.Count), Numeric: true},
				{Text: dlqTime(r.First), Num: float64(r.First.UnixMilli()), Numeric: true, Tone: Muted},
				{Text: dlqTime(r.Last), Num: float64(r.Last.UnixMilli()), Numeric: true, Tone: Muted}}})
		}
		v.table.SetRows(rows)
		return v, nil
	case Result[kafka.DLQPlan]:
		if msg.ID != v.id || msg.Gen != v.gen {
			return v, nil
		}
		v.loading = false
		if msg.Err != nil {
			return v, Failure(msg.Err)
		}
		v.dialog = newDLQConfirm(v, msg.Value)
		v.dialog.setSize(v.width, v.height)
		return v, v.dialog.focus()
	case dlqProgressMsg:
		if msg.id != v.id || v.dialog == nil {
			return v, nil
		}
		return v, v.dialog.progress(msg)
	case tea.KeyPressMsg:
		if v.dialog != nil {
			return v, v.dialog.key(msg)
		}
		if used, cmd := v.table.Update(msg); used {
			return v, cmd
		}
		return v, v.key(msg)
	}
	if v.dialog != nil {
		return v, v.dialog.update(msg)
	}
	_, cmd := v.table.Update(msg)
	return v, cmd
}

func (v *DLQ) key(msg tea.KeyPressMsg) tea.Cmd {
	k := v.keys
	switch {
	case key.Matches(msg, k.Reason):
		if r, ok := v.table.Selected(); ok {
			v.sel = kafka.DLQSelection{Reason: r.Key}
		}
	case key.Matches(msg, k.All):
		v.sel = kafka.DLQSelection{}
	case key.Matches(msg, k.Record):
		r := v.from.Record
		if r == nil {
			return Notice("the tail had no record selected")
		}
		v.sel = kafka.DLQSelection{Records: []kafka.DLQRef{{Partition: r.Partition, Offset: r.Offset}}}
	case key.Matches(msg, k.Filter):
		f := v.from.Filter
		if f == nil {
			return Notice("the tail had no filter")
		}
		v.sel = kafka.DLQSelection{Filter: f.String(), Match: func(r kafka.Record) bool { return f.Match(&r) }}
	case key.Matches(msg, k.Redrive):
		if v.c.ReadOnly {
			return Failure(fmt.Errorf("redrive %s: %w", v.topic, kafka.ErrReadOnly))
		}
		if v.loading {
			return nil
		}
		return v.plan()
	case key.Matches(msg, k.Refresh):
		if !v.loading {
			return v.load()
		}
	}
	return nil
}

func (v *DLQ) plan() tea.Cmd {
	v.gen++
	v.loading = true
	src, topic, opts := v.src, v.topic, kafka.DLQRedriveOptions{Select: v.sel}
	return Call(v.c, v.id, v.gen, "redrive plan of "+topic, func(ctx context.Context) (kafka.DLQPlan, error) {
		return src.PlanRedrive(ctx, topic, opts)
	})
}

// View renders the reasons and the selection, the plan over them.
func (v *DLQ) View() string {
	th := v.c.Theme
	var parts []headPart
	switch {
	case !v.loaded && v.err == nil:
		parts = append(parts, headPart{th.Muted.Render("reading " + v.topic + "…"), 0})
	case !v.loaded:
		parts = append(parts, headPart{th.Error.Render("could not read "+v.topic) + th.Muted.Render(" (r retries)"), 0})
	default:
		n := text.CountOf(v.summary.Records, "record", "records")
		if v.summary.Truncated {
			n = "first " + n
		}
		parts = append(parts, headPart{th.Title.Render(v.topic), 0}, headPart{th.Muted.Render(n), 0},
			headPart{th.Muted.Render(text.CountOf(len(v.summary.Reasons), "reason", "reasons")), 1})
	}
	sel := th.Label.Render("selected: ") + th.Accent.Render(v.sel.String()) + th.Muted.Render(" · R plans its redrive")
	base := Frame(headLine(th.Muted.Render(" · "), v.width, parts...)+"\n"+clip(sel, v.width)+"\n"+v.table.View(), v.width, v.height)
	if v.dialog != nil {
		return Overlay(base, v.dialog.view(), v.width, v.height)
	}
	return base
}

// dlqTime is a reason's first or last time, in UTC.
func dlqTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("01-02 15:04:05")
}
