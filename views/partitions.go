package views

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
	"kflow/text"
)

// PartitionsKeys are the bindings of the partitions view.
type PartitionsKeys struct {
	Table    TableKeys
	Tail     key.Binding
	Configs  key.Binding
	Truncate key.Binding
	Refresh  key.Binding
	// Replicas elect leaders and move replicas (not offered read-only).
	Replicas replicaKeys
}

// DefaultPartitionsKeys returns the partitions view's bindings.
func DefaultPartitionsKeys() PartitionsKeys {
	return PartitionsKeys{
		Table:    DefaultTableKeys(),
		Tail:     key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "tail partition")),
		Configs:  key.NewBinding(key.WithKeys("C"), key.WithHelp("C", "topic configs")),
		Truncate: key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "delete records")),
		Refresh:  key.NewBinding(key.WithKeys("r", "ctrl+r"), key.WithHelp("r", "refresh")),
		Replicas: defaultReplicaKeys(),
	}
}

// Partitions shows the partitions of one topic: leadership, replication
// and offsets, with a rate per partition.
type Partitions struct {
	c     *Common
	topic string
	keys  PartitionsKeys
	tableView
	detail  kafka.TopicDetail
	rates   *rates
	updated time.Time
	// moving are the topic's reassignments in progress; dialog the open
	// election, move or cancel dialog.
	moving []kafka.Reassignment
	dialog *replicaDialog
}

// NewPartitions makes the partitions view of topic.
func NewPartitions(c *Common, topic string) *Partitions {
	v := &Partitions{c: c, tableView: tableView{id: c.NewID()}, topic: topic, keys: DefaultPartitionsKeys(), rates: newRates(trendWidth)}
	v.table = NewTable(c, []Column{
		{Title: "PARTITION", Width: 9, Align: Right},
		{Title: "LEADER", Width: 6, Align: Right},
		{Title: "REPLICAS", Width: 10, Flex: true},
		{Title: "ISR", Width: 10, Flex: true},
		{Title: "START", Width: 11, Align: Right, Drop: 2},
		{Title: "END", Width: 11, Align: Right, Drop: 1},
		{Title: "RECORDS", Width: 11, Align: Right},
		{Title: "REC/S", Width: 7, Align: Right},
		{Title: "HEALTH", Width: 16, Drop: 3},
	})
	v.table.Empty = "no partitions"
	return v
}

// ShortHelp returns the one-line help bindings.
func (v *Partitions) ShortHelp() []key.Binding {
	return []key.Binding{v.keys.Table.Filter, v.keys.Table.Sort, v.keys.Configs, v.keys.Refresh}
}

// FullHelp returns every binding, grouped.
func (v *Partitions) FullHelp() [][]key.Binding {
	groups := [][]key.Binding{v.keys.Table.Nav(), append(v.keys.Table.List(), v.keys.Refresh),
		withoutWrites(v.c.ReadOnly, []key.Binding{v.keys.Truncate}, v.keys.Configs, v.keys.Tail, v.keys.Truncate)}
	if _, ok := v.admin(); ok && !v.c.ReadOnly {
		groups = append(groups, []key.Binding{v.keys.Replicas.Elect, v.keys.Replicas.Move, v.keys.Replicas.Cancel})
	}
	return groups
}

// Capturing reports whether a dialog or the filter takes the keys.
func (v *Partitions) Capturing() bool { return v.dialog != nil || v.table.Typing() }

// WantsEsc reports whether esc closes a dialog or clears the filter.
func (v *Partitions) WantsEsc() bool { return v.dialog != nil || v.table.WantsEsc() }

// Init loads the topic.
func (v *Partitions) Init() tea.Cmd { return v.load() }

// Title names the view.
func (v *Partitions) Title() string { return "partitions · " + v.topic }

func (v *Partitions) load() tea.Cmd {
	v.gen++
	v.loading = true
	cl, topic := v.c.Cluster, v.topic
	admin, _ := v.admin()
	return Call(v.c, v.id, v.gen, "describe topic "+topic, func(ctx context.Context) (partitionsData, error) {
		d, err := cl.DescribeTopic(ctx, topic)
		if err != nil || admin == nil {
			return partitionsData{detail: d}, err
		}
		// A failed listing of reassignments leaves the topic shown.
		moving, _ := admin.ListReassignments(ctx, topic)
		return partitionsData{detail: d, moving: moving}, nil
	})
}

// Update handles results, ticks and keys.
func (v *Partitions) Update(msg tea.Msg) (View, tea.Cmd) {
	switch msg := msg.(type) {
	case Result[partitionsData]:
		fresh, fail := settle(&v.tableView, msg)
		if !fresh {
			return v, nil
		}
		next := v.c.tick(v.id)
		if fail != nil {
			return v, tea.Batch(next, fail)
		}
		v.updated, v.detail, v.moving = msg.At, msg.Value.detail, msg.Value.moving
		v.fill(msg.At)
		return v, next
	case Result[electPlanned], Result[reassignPlanned], Result[replicasDone]:
		_, cmd := v.replicaResult(msg)
		return v, cmd
	case TickMsg:
		if msg.ID != v.id || v.loading {
			return v, nil
		}
		return v, v.load()
	case tea.KeyPressMsg:
		if v.dialog != nil {
			return v, v.replicaKey(msg)
		}
		if used, cmd := v.table.Update(msg); used {
			return v, cmd
		}
		switch {
		case key.Matches(msg, v.keys.Replicas.Elect):
			return v, v.openReplicaDialog(dialogElect)
		case key.Matches(msg, v.keys.Replicas.Move):
			return v, v.openReplicaDialog(dialogMove)
		case key.Matches(msg, v.keys.Replicas.Cancel):
			return v, v.openReplicaDialog(dialogCancel)
		case key.Matches(msg, v.keys.Refresh):
			if !v.loading {
				return v, v.load()
			}
		case key.Matches(msg, v.keys.Configs):
			return v, Push(NewConfigs(v.c, v.topic))
		case key.Matches(msg, v.keys.Truncate):
			if v.c.ReadOnly {
				return v, Failure(fmt.Errorf("delete records of %s: %w", v.topic, kafka.ErrReadOnly))
			}
			return v, Push(NewTruncate(v.c, v.topic))
		case key.Matches(msg, v.keys.Tail):
			sel, ok := v.table.Selected()
			p, err := strconv.Atoi(sel.Key) // rows are keyed by partition number
			if !ok || err != nil {
				return v, nil
			}
			return v, OpenTail(v.c, v.topic, TailViewOptions{Partitions: []int32{int32(p)}})
		}
		return v, nil
	}
	_, cmd := v.table.Update(msg)
	return v, cmd
}

func (v *Partitions) fill(at time.Time) {
	rows := make([]Row, 0, len(v.detail.Partitions))
	for _, p := range v.detail.Partitions {
		k := strconv.Itoa(int(p.Partition))
		v.rates.observe(k, p.EndOffset, at.UnixNano())
		rate := v.rates.current(k)
		leader := Num(float64(p.Leader), strconv.Itoa(int(p.Leader)))
		if p.Leader < 0 {
			leader = Cell{Text: "none", Tone: Bad, Num: -1, Numeric: true}
		}
		isr := Cell{Text: text.IDs(p.ISR)}
		var missing []int32
		for _, r := range p.Replicas {
			if !slices.Contains(p.ISR, r) {
				missing = append(missing, r)
			}
		}
		if len(missing) > 0 {
			isr = Cell{Text: text.IDs(p.ISR) + " (−" + text.IDs(missing) + ")", Tone: Warning}
		}
		replicas := Text(text.IDs(p.Replicas))
		if len(p.OfflineReplicas) > 0 {
			replicas = Cell{Text: text.IDs(p.Replicas) + " (offline " + text.IDs(p.OfflineReplicas) + ")", Tone: Bad}
		}
		if i := slices.IndexFunc(v.moving, func(r kafka.Reassignment) bool { return r.Partition == p.Partition }); i >= 0 {
			replicas = movingCell(replicas, v.moving[i])
		}
		rc := Num(rate, text.Rate(rate))
		if rate > 0 {
			rc.Tone = Accent
		}
		health := healthCell(p)
		rows = append(rows, Row{Key: k, Tags: []string{"health:" + p.Health, healthTag(p)}, Cells: []Cell{
			Num(float64(p.Partition), k),
			leader,
			replicas,
			isr,
			Num(float64(p.StartOffset), text.Count(p.StartOffset)),
			Num(float64(p.EndOffset), text.Count(p.EndOffset)),
			Num(float64(p.Records()), text.Count(p.Records())),
			rc,
			health,
		}})
	}
	v.table.SetRows(rows)
}

// healthTag is "health:bad" for a partition with any mark, else "health:ok".
func healthTag(p kafka.PartitionInfo) string {
	if kafka.PartitionHealth(p) == kafka.HealthOK {
		return "health:ok"
	}
	return "health:bad"
}

// healthCell is a partition's worst mark in its word and tone: offline and
// under-min-isr (acks=all writes fail) bad, under-replicated a warning.
func healthCell(p kafka.PartitionInfo) Cell {
	h := kafka.PartitionHealth(p)
	c := Cell{Text: h, Num: float64(kafka.HealthRank(h)), Numeric: true}
	switch h {
	case kafka.HealthOffline, kafka.HealthUnderMinISR:
		c.Tone = Bad
	case kafka.HealthUnderReplicated:
		c.Tone = Warning
	default:
		c.Tone = Good
	}
	return c
}

// View renders the topic summary and the partition table.
func (v *Partitions) View() string {
	th := v.c.Theme
	var parts []headPart
	switch {
	case !v.loaded && v.err == nil:
		parts = append(parts, headPart{th.Muted.Render("describing " + v.topic + "…"), 0})
	case !v.loaded:
		parts = append(parts, headPart{th.Error.Render("could not describe "+v.topic) + th.Muted.Render(" (r retries)"), 0})
	default:
		d := v.detail
		var records int64
		under, underMin, offline := 0, 0, 0
		for _, p := range d.Partitions {
			records += p.Records()
			switch kafka.PartitionHealth(p) {
			case kafka.HealthOffline:
				offline++
			case kafka.HealthUnderMinISR:
				underMin++
			case kafka.HealthUnderReplicated:
				under++
			}
		}
		parts = append(parts, headPart{th.Title.Render(d.Name), 0},
			headPart{th.Muted.Render(fmt.Sprintf("%s · RF %d", text.CountOf(len(d.Partitions), "partition", "partitions"), d.ReplicationFactor)), 2},
			headPart{th.Muted.Render(recordCount(records)), 3})
		if offline > 0 {
			parts = append(parts, headPart{th.Error.Render(fmt.Sprintf("%d offline", offline)), 0})
		}
		if underMin > 0 {
			parts = append(parts, headPart{th.Error.Render(fmt.Sprintf("%d under min ISR %d", underMin, d.MinISR)), 0})
		}
		if under > 0 {
			parts = append(parts, headPart{th.Warn.Render(fmt.Sprintf("%d under-replicated", under)), 0})
		}
		if len(v.moving) > 0 {
			parts = append(parts, headPart{th.Accent.Render(fmt.Sprintf("%d reassigning (X cancels)", len(v.moving))), 0})
		}
		parts = append(parts, freshPart(v.c, v.err, v.updated))
	}
	head := headLine(th.Muted.Render(" · "), v.width, parts...)
	if v.dialog != nil {
		return Overlay(head+"\n"+v.table.View(), v.replicaView(), v.width, v.height)
	}
	return Frame(head+"\n"+v.table.View(), v.width, v.height)
}
