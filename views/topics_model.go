package views

import (
	"fmt"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
	"kflow/text"
)

// Topics lists the cluster's topics with size, rate and health.
type Topics struct {
	c      *Common
	id     int
	gen    int
	keys   TopicsKeys
	table  *Table
	topics []kafka.TopicSummary
	rates  *rates

	showInternal bool
	loading      bool
	loaded       bool
	busyOps      int
	err          error
	updated      time.Time
	selectNext   string // select this topic once it is listed

	form    *createForm
	confirm *deleteConfirm

	width, height int
}

// trendWidth is how many samples the sparkline shows.
const trendWidth = 10

// NewTopics makes the topics view.
func NewTopics(c *Common) *Topics {
	v := &Topics{c: c, id: c.NewID(), keys: DefaultTopicsKeys(), rates: newRates(trendWidth)}
	v.table = NewTable(c, []Column{
		{Title: "TOPIC", Width: 14, Flex: true},
		{Title: "PARTS", Width: 5, Align: Right},
		{Title: "RF", Width: 2, Align: Right, Drop: 1},
		{Title: "RECORDS", Width: 11, Align: Right},
		{Title: "REC/S", Width: 7, Align: Right},
		{Title: "TREND", Width: trendWidth, Drop: 3, Min: 5, KeepEnd: true},
		{Title: "HEALTH", Width: 12, Drop: 2},
	})
	v.table.Empty = "no topics yet (press c to create one)"
	if c.ReadOnly {
		v.table.Empty = "no topics"
	}
	return v
}

// ID is the view's id; results carrying another are not its.
func (v *Topics) ID() int { return v.id }

// principalSource is a Cluster that knows whom it authenticates as
// (*kafka.Client does).
type principalSource interface{ Principal() string }

// emptyText is what an empty list says: Kafka lists only the topics the
// principal may describe, so under a known principal the list says so.
func (v *Topics) emptyText() string {
	if ps, ok := v.c.Cluster.(principalSource); ok && ps.Principal() != "" {
		return "no topics that " + ps.Principal() + " may describe (Kafka lists only those)"
	}
	if v.c.ReadOnly {
		return "no topics"
	}
	return "no topics yet (press c to create one)"
}

// Init loads the topics.
func (v *Topics) Init() tea.Cmd { return v.load() }

// Title names the view.
func (v *Topics) Title() string { return "topics" }

// Capturing reports whether a form, a confirmation or the filter is
// taking keys.
func (v *Topics) Capturing() bool { return v.form != nil || v.confirm != nil || v.table.Typing() }

// WantsEsc reports whether esc closes something inside the view.
func (v *Topics) WantsEsc() bool { return v.Capturing() || v.table.WantsEsc() }

// Busy reports whether a call is in flight.
func (v *Topics) Busy() bool { return v.loading || v.busyOps > 0 }

// Close does nothing: the topics view runs nothing between refreshes.
func (v *Topics) Close() {}

// SetSize sets the view's area.
func (v *Topics) SetSize(w, h int) {
	v.width, v.height = w, h
	v.table.SetSize(w, max(0, h-1))
	if v.form != nil {
		v.form.setWidth(w)
	}
	if v.confirm != nil {
		v.confirm.setWidth(w)
	}
}

// Table exposes the table, for tests.
func (v *Topics) Table() *Table { return v.table }

// Update handles results, ticks and keys.
func (v *Topics) Update(msg tea.Msg) (View, tea.Cmd) {
	switch msg := msg.(type) {
	case topicsLoaded:
		if msg.ID != v.id || msg.Gen != v.gen {
			return v, nil
		}
		v.loading = false
		next := v.c.tick(v.id)
		if msg.Err != nil {
			v.err = msg.Err
			return v, tea.Batch(next, Failure(msg.Err))
		}
		v.err = nil
		v.loaded = true
		v.updated = msg.At
		v.table.Empty = v.emptyText()
		v.setTopics(msg.Value, msg.At)
		return v, next
	case TickMsg:
		if msg.ID != v.id || v.loading {
			return v, nil
		}
		return v, v.load()
	case Result[topicCreated]:
		if msg.ID != v.id {
			return v, nil
		}
		v.busyOps--
		if msg.Err != nil {
			if v.form != nil {
				v.form.failed(msg.Err)
			}
			return v, Failure(msg.Err)
		}
		v.form = nil
		v.selectNext = msg.Value.Name
		v.SetSize(v.width, v.height)
		return v, tea.Batch(Notice("created topic "+msg.Value.Name), v.load())
	case Result[topicDeleted]:
		if msg.ID != v.id {
			return v, nil
		}
		v.busyOps--
		if msg.Err != nil {
			if v.confirm != nil {
				v.confirm.failed(msg.Err)
			}
			return v, Failure(msg.Err)
		}
		v.confirm = nil
		v.SetSize(v.width, v.height)
		return v, tea.Batch(Notice("deleted topic "+msg.Value.Name), v.load())
	case tea.KeyPressMsg:
		return v.key(msg)
	}
	if v.form != nil {
		return v, v.form.update(msg)
	}
	if v.confirm != nil {
		return v, v.confirm.update(msg)
	}
	_, cmd := v.table.Update(msg)
	return v, cmd
}

func (v *Topics) key(msg tea.KeyPressMsg) (View, tea.Cmd) {
	if v.form != nil {
		return v, v.formKey(msg)
	}
	if v.confirm != nil {
		return v, v.confirmKey(msg)
	}
	if used, cmd := v.table.Update(msg); used {
		return v, cmd
	}
	k := v.keys
	sel, ok := v.table.Selected()
	switch {
	case key.Matches(msg, k.Refresh):
		if v.loading {
			return v, nil
		}
		return v, v.load()
	case key.Matches(msg, k.Internal):
		v.showInternal = !v.showInternal
		v.setTopics(v.topics, time.Time{})
		if v.showInternal {
			return v, Notice("showing internal topics")
		}
		return v, Notice("hiding internal topics")
	case key.Matches(msg, k.Open):
		if !ok {
			return v, nil
		}
		return v, Push(NewPartitions(v.c, sel.Key))
	case key.Matches(msg, k.Configs):
		if !ok {
			return v, nil
		}
		return v, Push(NewConfigs(v.c, sel.Key))
	case key.Matches(msg, k.Tail):
		if !ok {
			return v, nil
		}
		return v, OpenTail(v.c, sel.Key, TailViewOptions{})
	case key.Matches(msg, k.Groups):
		if !ok {
			return v, nil
		}
		return v, OpenGroups(v.c, sel.Key)
	case key.Matches(msg, k.Flow):
		topic := ""
		if ok {
			topic = sel.Key
		}
		return v, OpenFlow(v.c, topic)
	case key.Matches(msg, k.Schemas):
		if !ok {
			return v, nil
		}
		return v, Push(NewSchemas(v.c, sel.Key))
	case key.Matches(msg, k.Produce):
		if v.c.ReadOnly {
			return v, Failure(fmt.Errorf("produce: %w", kafka.ErrReadOnly))
		}
		return v, Push(NewProduce(v.c, nil, sel.Key, ProduceOptions{HistoryPath: HistoryPathIn(v.c.ConfigDir)}))
	case key.Matches(msg, k.Create):
		if v.c.ReadOnly {
			return v, Failure(fmt.Errorf("create topic: %w", kafka.ErrReadOnly))
		}
		v.form = newCreateForm(v.c)
		v.form.setWidth(v.width)
		return v, v.form.focus()
	case key.Matches(msg, k.Truncate):
		if v.c.ReadOnly {
			return v, Failure(fmt.Errorf("delete records: %w", kafka.ErrReadOnly))
		}
		if !ok {
			return v, nil
		}
		return v, Push(NewTruncate(v.c, sel.Key))
	case key.Matches(msg, k.Delete):
		if v.c.ReadOnly {
			return v, Failure(fmt.Errorf("delete topic: %w", kafka.ErrReadOnly))
		}
		if !ok {
			return v, nil
		}
		t, _ := v.topic(sel.Key)
		if t.Internal {
			return v, Failure(fmt.Errorf("refusing to delete %s: it is an internal topic the cluster itself needs", t.Name))
		}
		v.confirm = newDeleteConfirm(v.c, t)
		v.confirm.setWidth(v.width)
		return v, v.confirm.focus()
	}
	return v, nil
}

func (v *Topics) formKey(msg tea.KeyPressMsg) tea.Cmd {
	f := v.form
	switch {
	case key.Matches(msg, f.keys.Cancel):
		v.form = nil
		return Notice("create topic cancelled")
	case submits(msg, f.keys, f.onLast()):
		if f.submitting {
			return nil
		}
		spec, ok := f.validate()
		if !ok {
			return nil
		}
		f.submitting = true
		f.err = nil
		v.busyOps++
		return v.create(spec)
	}
	return f.update(msg)
}

func (v *Topics) confirmKey(msg tea.KeyPressMsg) tea.Cmd {
	d := v.confirm
	switch {
	case key.Matches(msg, d.keys.Cancel):
		v.confirm = nil
		return Notice("delete cancelled; nothing was deleted")
	case key.Matches(msg, d.keys.Confirm):
		if !d.send("delete it") {
			return nil
		}
		v.busyOps++
		return v.delete(d.topic.Name)
	}
	return d.update(msg)
}

func (v *Topics) topic(name string) (kafka.TopicSummary, bool) {
	for _, t := range v.topics {
		if t.Name == name {
			return t, true
		}
	}
	return kafka.TopicSummary{}, false
}

// setTopics fills the table; at is the sample time for rates (zero when
// only the display changes).
func (v *Topics) setTopics(ts []kafka.TopicSummary, at time.Time) {
	v.topics = ts
	if !at.IsZero() {
		v.c.Health = healthCounts(ts)
		keep := map[string]bool{}
		for _, t := range ts {
			keep[t.Name] = true
			v.rates.observe(t.Name, t.EndOffsets, at.UnixNano())
		}
		v.rates.forget(keep)
	}
	rows := make([]Row, 0, len(ts))
	for _, t := range ts {
		if t.Internal && !v.showInternal {
			continue
		}
		rows = append(rows, v.row(t))
	}
	v.table.SetRows(rows)
	if v.selectNext != "" {
		for i := 0; i < v.table.Len(); i++ {
			if r := v.table.rows[v.table.visible[i]]; r.Key == v.selectNext {
				v.table.cursor = i
				v.table.clamp()
				v.selectNext = ""
				break
			}
		}
	}
}

func (v *Topics) row(t kafka.TopicSummary) Row {
	rate := v.rates.current(t.Name)
	name := Text(t.Name)
	if t.Internal {
		name.Tone = Muted
	}
	// The name takes the health's tone too: HEALTH is among the first
	// columns to go on a narrow terminal.
	health := Cell{Text: "ok", Tone: Good, Numeric: true}
	tags := []string{"health:ok"}
	if t.Unhealthy() {
		tags = []string{"health:bad"}
	}
	switch {
	case t.Offline > 0:
		health = Cell{Text: fmt.Sprintf("%d offline", t.Offline), Tone: Bad, Num: float64(1_000_000 + t.Offline), Numeric: true}
		name.Tone = Bad
		tags = append(tags, "health:"+kafka.HealthOffline)
	case t.UnderMinISR > 0:
		// Writes with acks=all fail: as bad as offline for a producer.
		health = Cell{Text: fmt.Sprintf("%d under-min", t.UnderMinISR), Tone: Bad, Num: float64(1000 + t.UnderMinISR), Numeric: true}
		name.Tone = Bad
		tags = append(tags, "health:"+kafka.HealthUnderMinISR)
	case t.UnderReplicated > 0:
		tags = append(tags, "health:"+kafka.HealthUnderReplicated)
		health = Cell{Text: fmt.Sprintf("%d under-rep", t.UnderReplicated), Tone: Warning, Num: float64(t.UnderReplicated), Numeric: true}
		name.Tone = Warning
	}
	rateCell := Num(rate, text.Rate(rate))
	if rate > 0 {
		rateCell.Tone = Accent
	}
	trend := Num(rate, Sparkline(v.rates.history[t.Name], trendWidth))
	trend.Tone = Accent
	return Row{Key: t.Name, Tags: tags, Cells: []Cell{
		name,
		Num(float64(t.Partitions), fmt.Sprint(t.Partitions)),
		Num(float64(t.ReplicationFactor), fmt.Sprint(t.ReplicationFactor)),
		Num(float64(t.Records), text.Count(t.Records)),
		rateCell,
		trend,
		health,
	}}
}
