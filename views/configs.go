package views

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
	"kflow/text"
)

// ConfigsKeys are the bindings of the topic configs view.
type ConfigsKeys struct {
	Table   TableKeys
	Refresh key.Binding
}

// DefaultConfigsKeys returns the configs view's bindings.
func DefaultConfigsKeys() ConfigsKeys {
	return ConfigsKeys{
		Table:   DefaultTableKeys(),
		Refresh: key.NewBinding(key.WithKeys("r", "ctrl+r"), key.WithHelp("r", "reload")),
	}
}

// Configs shows a topic's configuration, the values set on the topic
// first. It loads once; r reloads.
type Configs struct {
	c     *Common
	topic string
	keys  ConfigsKeys
	tableView
	entries []kafka.ConfigEntry
}

// NewConfigs makes the configs view of topic.
func NewConfigs(c *Common, topic string) *Configs {
	v := &Configs{c: c, tableView: tableView{id: c.NewID()}, topic: topic, keys: DefaultConfigsKeys()}
	v.table = NewTable(c, []Column{
		{Title: "CONFIG", Width: 24, Flex: true},
		{Title: "VALUE", Width: 24, Flex: true},
		{Title: "SOURCE", Width: 23, Drop: 1},
	})
	v.table.SortBy(-1, false) // as the client orders them: set on the topic first
	v.table.Empty = "no configs"
	return v
}

// ShortHelp returns the one-line help bindings.
func (v *Configs) ShortHelp() []key.Binding {
	return []key.Binding{v.keys.Table.Filter, v.keys.Table.Sort, v.keys.Refresh}
}

// FullHelp returns every binding, grouped.
func (v *Configs) FullHelp() [][]key.Binding {
	return [][]key.Binding{v.keys.Table.Nav(), append(v.keys.Table.List(), v.keys.Refresh)}
}

// Init loads the configs.
func (v *Configs) Init() tea.Cmd { return v.load() }

// Title names the view.
func (v *Configs) Title() string { return "configs · " + v.topic }

func (v *Configs) load() tea.Cmd {
	v.gen++
	v.loading = true
	cl, topic := v.c.Cluster, v.topic
	return Call(v.c, v.id, v.gen, "configs of "+topic, func(ctx context.Context) ([]kafka.ConfigEntry, error) {
		return cl.TopicConfigs(ctx, topic)
	})
}

// Update handles results and keys.
func (v *Configs) Update(msg tea.Msg) (View, tea.Cmd) {
	switch msg := msg.(type) {
	case Result[[]kafka.ConfigEntry]:
		fresh, fail := settle(&v.tableView, msg)
		if !fresh || fail != nil {
			return v, fail
		}
		v.entries = msg.Value
		rows := make([]Row, 0, len(v.entries))
		for _, e := range v.entries {
			val := e.Value
			if e.Sensitive {
				val = "(sensitive)"
			}
			name, value, src := Text(e.Name), Text(val), Cell{Text: strings.ToLower(strings.TrimSuffix(e.Source, "_CONFIG")), Tone: Muted}
			if e.IsDefault {
				name.Tone, value.Tone = Muted, Muted
			} else {
				value.Tone = Accent
			}
			rows = append(rows, Row{Key: e.Name, Cells: []Cell{name, value, src}})
		}
		v.table.SetRows(rows)
		return v, nil
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

// View renders the count line and the config table.
func (v *Configs) View() string {
	th := v.c.Theme
	var parts []headPart
	switch {
	case !v.loaded && v.err == nil:
		parts = append(parts, headPart{th.Muted.Render("loading configs of " + v.topic + "…"), 0})
	case !v.loaded:
		parts = append(parts, headPart{th.Error.Render("could not load configs of "+v.topic) + th.Muted.Render(" (r retries)"), 0})
	default:
		set := 0
		for _, e := range v.entries {
			if !e.IsDefault {
				set++
			}
		}
		parts = append(parts, headPart{th.Title.Render(v.topic), 0},
			headPart{th.Muted.Render(text.CountOf(len(v.entries), "config", "configs")), 0},
			headPart{th.Muted.Render(fmt.Sprintf("%d set on the topic, listed first", set)), 1})
	}
	return Frame(headLine(th.Muted.Render(" · "), v.width, parts...)+"\n"+v.table.View(), v.width, v.height)
}
