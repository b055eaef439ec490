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

// BrokersKeys are the bindings of the brokers view.
type BrokersKeys struct {
	Table   TableKeys
	Refresh key.Binding
}

// DefaultBrokersKeys returns the brokers view's bindings.
func DefaultBrokersKeys() BrokersKeys {
	return BrokersKeys{
		Table:   DefaultTableKeys(),
		Refresh: key.NewBinding(key.WithKeys("r", "ctrl+r"), key.WithHelp("r", "refresh")),
	}
}

// Brokers lists the cluster's brokers and marks the controller.
type Brokers struct {
	c    *Common
	keys BrokersKeys
	tableView
	info    kafka.ClusterInfo
	updated time.Time
}

// NewBrokers makes the brokers view.
func NewBrokers(c *Common) *Brokers {
	v := &Brokers{c: c, tableView: tableView{id: c.NewID()}, keys: DefaultBrokersKeys()}
	v.table = NewTable(c, []Column{
		{Title: "ID", Width: 6, Align: Right},
		{Title: "ADDRESS", Width: 20, Flex: true},
		{Title: "RACK", Width: 12, Drop: 1},
		{Title: "ROLE", Width: 12},
	})
	v.table.Empty = "no brokers answered"
	return v
}

// ShortHelp returns the one-line help bindings.
func (v *Brokers) ShortHelp() []key.Binding {
	return []key.Binding{v.keys.Table.Filter, v.keys.Table.Sort, v.keys.Refresh}
}

// FullHelp returns every binding, grouped.
func (v *Brokers) FullHelp() [][]key.Binding {
	return [][]key.Binding{v.keys.Table.Nav(), append(v.keys.Table.List(), v.keys.Refresh)}
}

// Init loads the cluster's brokers.
func (v *Brokers) Init() tea.Cmd { return v.load() }

// Title names the view.
func (v *Brokers) Title() string { return "brokers" }

func (v *Brokers) load() tea.Cmd {
	v.gen++
	v.loading = true
	cl := v.c.Cluster
	return Call(v.c, v.id, v.gen, "describe cluster", func(ctx context.Context) (kafka.ClusterInfo, error) {
		return cl.Cluster(ctx)
	})
}

// Update handles results, ticks and keys.
func (v *Brokers) Update(msg tea.Msg) (View, tea.Cmd) {
	switch msg := msg.(type) {
	case Result[kafka.ClusterInfo]:
		fresh, fail := settle(&v.tableView, msg)
		if !fresh {
			return v, nil
		}
		next := v.c.tick(v.id)
		if fail != nil {
			return v, tea.Batch(next, fail)
		}
		v.updated, v.info = msg.At, msg.Value
		rows := make([]Row, 0, len(v.info.Brokers))
		for _, b := range v.info.Brokers {
			role := Cell{Text: "broker", Tone: Muted}
			if b.Controller {
				role = Cell{Text: "★ controller", Tone: Accent}
			}
			rack := Text(b.Rack)
			if b.Rack == "" {
				rack = Cell{Text: text.Dash, Tone: Muted}
			}
			rows = append(rows, Row{Key: strconv.Itoa(int(b.ID)), Cells: []Cell{
				Num(float64(b.ID), strconv.Itoa(int(b.ID))), Text(b.Addr()), rack, role,
			}})
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
		if key.Matches(msg, v.keys.Refresh) && !v.loading {
			return v, v.load()
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
		parts = append(parts, headPart{th.Title.Render(text.CountOf(len(v.info.Brokers), "broker", "brokers")), 0},
			headPart{th.Muted.Render("cluster ") + th.Text.Render(v.info.ClusterID), 3},
			headPart{th.Muted.Render(fmt.Sprintf("controller %d", v.info.Controller)), 2})
		if v.c.Stale(v.err) {
			parts = append(parts, headPart{th.Warn.Render("STALE") + th.Muted.Render(" since "+v.updated.Format("15:04:05")), 0})
		} else {
			parts = append(parts, headPart{th.Muted.Render("updated " + v.updated.Format("15:04:05")), 1})
		}
	}
	head := headLine(th.Muted.Render(" · "), v.width, parts...)
	return Frame(head+"\n"+v.table.View(), v.width, v.height)
}
