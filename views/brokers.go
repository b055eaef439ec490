package views

import (
	"cmp"
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

// BrokersKeys are the bindings of the brokers view.
type BrokersKeys struct {
	Table    TableKeys
	Configs  key.Binding
	Defaults key.Binding
	Refresh  key.Binding
}

// DefaultBrokersKeys returns the brokers view's bindings.
func DefaultBrokersKeys() BrokersKeys {
	return BrokersKeys{
		Table:    DefaultTableKeys(),
		Configs:  key.NewBinding(key.WithKeys("enter", "c"), key.WithHelp("enter/c", "broker configs")),
		Defaults: key.NewBinding(key.WithKeys("C"), key.WithHelp("C", "cluster-wide default configs")),
		Refresh:  key.NewBinding(key.WithKeys("r", "ctrl+r"), key.WithHelp("r", "refresh")),
	}
}

// Brokers lists the cluster's brokers with their state (alive, fenced,
// unreachable; the controller starred), rack, leader and replica counts
// and the under-replicated partitions each leads. A broker seen once stays
// listed: one that disappears is marked unreachable, not dropped.
type Brokers struct {
	c    *Common
	keys BrokersKeys
	tableView
	info    kafka.ClusterHealth
	seen    map[int32]kafka.Broker // every broker seen since the view opened
	updated time.Time
}

// BrokerHealthSource is a Cluster that can also tell every broker's health
// (*kafka.Client can); the brokers view falls back to Cluster without it.
type BrokerHealthSource interface {
	BrokersHealth(ctx context.Context) (kafka.ClusterHealth, error)
}

// NewBrokers makes the brokers view.
func NewBrokers(c *Common) *Brokers {
	v := &Brokers{c: c, tableView: tableView{id: c.NewID()}, keys: DefaultBrokersKeys(), seen: map[int32]kafka.Broker{}}
	v.table = NewTable(c, []Column{
		{Title: "ID", Width: 4, Align: Right},
		{Title: "ADDRESS", Width: 20, Flex: true},
		{Title: "STATE", Width: 14},
		{Title: "RACK", Width: 10, Drop: 1},
		{Title: "LEADERS", Width: 7, Align: Right},
		{Title: "REPLICAS", Width: 8, Align: Right, Drop: 2},
		{Title: "URP LED", Width: 7, Align: Right},
	})
	v.table.Empty = "no brokers answered"
	return v
}

// ShortHelp returns the one-line help bindings.
func (v *Brokers) ShortHelp() []key.Binding {
	return []key.Binding{v.keys.Table.Filter, v.keys.Table.Sort, v.keys.Configs, v.keys.Refresh}
}

// FullHelp returns every binding, grouped.
func (v *Brokers) FullHelp() [][]key.Binding {
	return [][]key.Binding{v.keys.Table.Nav(), append(v.keys.Table.List(), v.keys.Refresh), {v.keys.Configs, v.keys.Defaults}}
}

// Init loads the cluster's brokers.
func (v *Brokers) Init() tea.Cmd { return v.load() }

// Title names the view.
func (v *Brokers) Title() string { return "brokers" }

func (v *Brokers) load() tea.Cmd {
	v.gen++
	v.loading = true
	cl := v.c.Cluster
	return Call(v.c, v.id, v.gen, "describe cluster", func(ctx context.Context) (kafka.ClusterHealth, error) {
		if hs, ok := cl.(BrokerHealthSource); ok {
			return hs.BrokersHealth(ctx)
		}
		info, err := cl.Cluster(ctx)
		h := kafka.ClusterHealth{ClusterInfo: info}
		for _, b := range info.Brokers {
			h.Health = append(h.Health, kafka.BrokerHealth{Broker: b, State: kafka.BrokerAlive})
		}
		return h, err
	})
}

// Update handles results, ticks and keys.
func (v *Brokers) Update(msg tea.Msg) (View, tea.Cmd) {
	switch msg := msg.(type) {
	case Result[kafka.ClusterHealth]:
		fresh, fail := settle(&v.tableView, msg)
		if !fresh {
			return v, nil
		}
		next := v.c.tick(v.id)
		if fail != nil {
			return v, tea.Batch(next, fail)
		}
		v.updated, v.info = msg.At, v.remember(msg.Value)
		rows := make([]Row, 0, len(v.info.Health))
		for _, b := range v.info.Health {
			rows = append(rows, v.row(b))
		}
		v.table.SetRows(rows)
		return v, next
	case TickMsg:
		if msg.ID != v.id || v.loading {
			return v, nil
		}
		return v, v.load()
	case tea.KeyPressMsg:
		if used, cmd := v.table.Update(msg); used {
			return v, cmd
		}
		switch {
		case key.Matches(msg, v.keys.Refresh):
			if !v.loading {
				return v, v.load()
			}
		case key.Matches(msg, v.keys.Configs):
			if sel, ok := v.table.Selected(); ok {
				if id, err := strconv.ParseInt(sel.Key, 10, 32); err == nil {
					return v, Push(NewBrokerConfigs(v.c, kafka.BrokerTarget(int32(id))))
				}
			}
		case key.Matches(msg, v.keys.Defaults):
			return v, Push(NewBrokerConfigs(v.c, kafka.ClusterDefaultTarget()))
		}
		return v, nil
	}
	_, cmd := v.table.Update(msg)
	return v, cmd
}

// View renders the cluster line and the broker table.
func (v *Brokers) View() string {
	th := v.c.Theme
	var parts []headPart
	switch {
	case !v.loaded && v.err == nil:
		parts = append(parts, headPart{th.Muted.Render("describing cluster…"), 0})
	case !v.loaded:
		parts = append(parts, headPart{th.Error.Render("could not describe the cluster") + th.Muted.Render(" (r retries)"), 0})
	default:
		down := 0
		for _, b := range v.info.Health {
			if b.State != kafka.BrokerAlive {
				down++
			}
		}
		parts = append(parts, headPart{th.Title.Render(text.CountOf(len(v.info.Health), "broker", "brokers")), 0})
		if down > 0 {
			parts = append(parts, headPart{th.Error.Render(fmt.Sprintf("%d down", down)), 0})
		}
		parts = append(parts,
			headPart{th.Muted.Render("cluster ") + th.Text.Render(v.info.ClusterID), 3},
			headPart{th.Muted.Render(fmt.Sprintf("controller %d", v.info.Controller)), 2})
		parts = append(parts, freshPart(v.c, v.err, v.updated))
	}
	head := headLine(th.Muted.Render(" · "), v.width, parts...)
	return Frame(head+"\n"+v.table.View(), v.width, v.height)
}

// remember merges h with the brokers seen before: one no longer listed
// anywhere is kept, marked unreachable; one named only by replica lists
// gets its address from when it was seen.
func (v *Brokers) remember(h kafka.ClusterHealth) kafka.ClusterHealth {
	listed := map[int32]bool{}
	for i, b := range h.Health {
		listed[b.ID] = true
		if b.Host != "" {
			v.seen[b.ID] = b.Broker
		} else if old, ok := v.seen[b.ID]; ok {
			h.Health[i].Broker = old
			h.Health[i].Controller = false
		}
	}
	for id, b := range v.seen {
		if !listed[id] {
			b.Controller = false
			h.Health = append(h.Health, kafka.BrokerHealth{Broker: b, State: kafka.BrokerGone})
		}
	}
	slices.SortFunc(h.Health, func(a, b kafka.BrokerHealth) int { return cmp.Compare(a.ID, b.ID) })
	return h
}

func (v *Brokers) row(b kafka.BrokerHealth) Row {
	id := strconv.Itoa(int(b.ID))
	addr := Text(b.Addr())
	if b.Host == "" {
		addr = Cell{Text: text.Dash, Tone: Muted}
	}
	state := Cell{Text: "alive", Tone: Good}
	switch b.State {
	case kafka.BrokerFenced:
		state = Cell{Text: "✗ fenced", Tone: Bad}
		addr.Tone = Bad
	case kafka.BrokerGone:
		state = Cell{Text: "✗ unreachable", Tone: Bad}
		addr.Tone = Bad
	default:
		if b.Controller {
			state = Cell{Text: "★ controller", Tone: Accent}
		}
	}
	rack := Text(b.Rack)
	if b.Rack == "" {
		rack = Cell{Text: text.Dash, Tone: Muted}
	}
	urp := Num(float64(b.LeadersUnderReplicated), strconv.Itoa(b.LeadersUnderReplicated))
	if b.LeadersUnderReplicated > 0 {
		urp.Tone = Warning
	}
	return Row{Key: id, Tags: []string{"state:" + b.State}, Cells: []Cell{
		Num(float64(b.ID), id), addr, state, rack,
		Num(float64(b.Leaders), strconv.Itoa(b.Leaders)),
		Num(float64(b.Replicas), strconv.Itoa(b.Replicas)),
		urp,
	}}
}
