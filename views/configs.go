package views

import (
	"context"
	"errors"
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
	"kflow/text"
)

// ConfigAdmin is a Cluster that can also describe broker configs and
// plan and apply config changes (*kafka.Client can); without it the
// configs views are read-only.
type ConfigAdmin interface {
	BrokerConfigs(ctx context.Context, target kafka.ConfigTarget) ([]kafka.ConfigEntry, error)
	PlanConfigs(ctx context.Context, target kafka.ConfigTarget, changes []kafka.ConfigChange) (kafka.ConfigPlan, error)
	ApplyConfigs(ctx context.Context, plan kafka.ConfigPlan) error
}

var _ ConfigAdmin = (*kafka.Client)(nil)

// ConfigsKeys are the bindings of the configs view.
type ConfigsKeys struct {
	Table    TableKeys
	Edit     key.Binding
	Reset    key.Binding
	ResetAll key.Binding
	Add      key.Binding
	Refresh  key.Binding
}

// DefaultConfigsKeys returns the configs view's bindings.
func DefaultConfigsKeys() ConfigsKeys {
	return ConfigsKeys{
		Table:    DefaultTableKeys(),
		Edit:     key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit value")),
		Reset:    key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "reset to default")),
		ResetAll: key.NewBinding(key.WithKeys("D"), key.WithHelp("D", "reset every key set here")),
		Add:      key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "set another key (key=value)")),
		Refresh:  key.NewBinding(key.WithKeys("r", "ctrl+r"), key.WithHelp("r", "reload")),
	}
}

// Configs shows a topic's or a broker's configuration, the values set on
// it first, in human units (7d, 100MiB), with where each comes from. e
// edits a value, d resets it to the default, each previewed (old → new,
// the broker's ValidateOnly verdict) and applied once the name is typed
// back. It loads once; r reloads.
type Configs struct {
	c      *Common
	target kafka.ConfigTarget
	keys   ConfigsKeys
	tableView
	entries []kafka.ConfigEntry
	dialog  configDialog
	opGen   int
	opBusy  bool // a validate or apply is in flight
}

// configDialog is the edit form or the preview open over the table.
type configDialog interface {
	key(msg tea.KeyPressMsg) tea.Cmd
	update(msg tea.Msg) tea.Cmd
	view() string
	help() []key.Binding
	setWidth(w int)
}

// NewConfigs makes the configs view of topic.
func NewConfigs(c *Common, topic string) *Configs {
	return newConfigs(c, kafka.TopicTarget(topic))
}

// NewBrokerConfigs makes the configs view of a broker (or, with
// kafka.ClusterDefaultTarget, of the cluster-wide broker default).
func NewBrokerConfigs(c *Common, target kafka.ConfigTarget) *Configs {
	return newConfigs(c, target)
}

func newConfigs(c *Common, target kafka.ConfigTarget) *Configs {
	v := &Configs{c: c, tableView: tableView{id: c.NewID()}, target: target, keys: DefaultConfigsKeys()}
	v.table = NewTable(c, []Column{
		{Title: "CONFIG", Width: 24, Flex: true},
		{Title: "VALUE", Width: 24, Flex: true},
		{Title: "SOURCE", Width: sourceWidth(target), Drop: sourceDrop(target)},
	})
	v.table.SortBy(-1, false) // as the client orders them: set here first
	v.table.Empty = "no configs"
	return v
}

// writes are the bindings read-only mode leaves out.
func (k ConfigsKeys) writes() []key.Binding { return []key.Binding{k.Edit, k.Reset, k.ResetAll, k.Add} }

// ShortHelp returns the one-line help bindings.
func (v *Configs) ShortHelp() []key.Binding {
	if v.dialog != nil {
		return v.dialog.help()
	}
	return withoutWrites(v.c.ReadOnly, v.keys.writes(), v.keys.Table.Filter, v.keys.Edit, v.keys.Reset, v.keys.Refresh)
}

// FullHelp returns every binding, grouped.
func (v *Configs) FullHelp() [][]key.Binding {
	if v.dialog != nil {
		return [][]key.Binding{v.dialog.help()}
	}
	return [][]key.Binding{v.keys.Table.Nav(), append(v.keys.Table.List(), v.keys.Refresh),
		withoutWrites(v.c.ReadOnly, v.keys.writes(), v.keys.Edit, v.keys.Reset, v.keys.ResetAll, v.keys.Add)}
}

// Capturing reports whether the filter or a dialog takes keys.
func (v *Configs) Capturing() bool { return v.dialog != nil || v.table.Typing() }

// WantsEsc reports whether esc closes something inside the view.
func (v *Configs) WantsEsc() bool { return v.Capturing() || v.table.WantsEsc() }

// Busy reports whether a call is in flight.
func (v *Configs) Busy() bool { return v.loading || v.opBusy }

// SetSize sets the view's area.
func (v *Configs) SetSize(w, h int) {
	v.tableView.SetSize(w, h)
	if v.dialog != nil {
		v.dialog.setWidth(w)
	}
}

// Init loads the configs.
func (v *Configs) Init() tea.Cmd { return v.load() }

// Title names the view.
func (v *Configs) Title() string {
	if v.target.IsTopic() {
		return "configs · " + v.target.Topic
	}
	if v.target.ClusterDefault {
		return "configs · broker default"
	}
	return fmt.Sprintf("configs · broker %d", v.target.Broker)
}

func (v *Configs) load() tea.Cmd {
	v.gen++
	v.loading = true
	cl, target := v.c.Cluster, v.target
	return Call(v.c, v.id, v.gen, "configs of "+target.String(), func(ctx context.Context) ([]kafka.ConfigEntry, error) {
		if target.IsTopic() {
			return cl.TopicConfigs(ctx, target.Topic)
		}
		admin, ok := cl.(ConfigAdmin)
		if !ok {
			return nil, errors.New("this connection cannot describe broker configs")
		}
		return admin.BrokerConfigs(ctx, target)
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
			rows = append(rows, v.row(e))
		}
		v.table.SetRows(rows)
		return v, nil
	case Result[kafka.ConfigPlan]:
		return v, v.planned(msg)
	case Result[configApplied]:
		return v, v.applied(msg)
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

// row is one config in the table: set ones bright, defaults muted,
// values in human units, read-only broker keys marked.
func (v *Configs) row(e kafka.ConfigEntry) Row {
	val := kafka.HumanConfigValue(e.Name, e.Value)
	if e.Sensitive {
		val = "(sensitive)"
	}
	src := kafka.SourceWords(e.Source)
	if e.ReadOnly && !v.target.IsTopic() {
		src += " · read-only"
	}
	name, value, source := Text(e.Name), Text(val), Cell{Text: src, Tone: Muted}
	if e.IsDefault {
		name.Tone, value.Tone = Muted, Muted
	} else {
		value.Tone = Accent
	}
	return Row{Key: e.Name, Cells: []Cell{name, value, source}}
}

func (v *Configs) entry(name string) (kafka.ConfigEntry, bool) {
	for _, e := range v.entries {
		if e.Name == name {
			return e, true
		}
	}
	return kafka.ConfigEntry{}, false
}

func (v *Configs) key(msg tea.KeyPressMsg) tea.Cmd {
	k := v.keys
	switch {
	case key.Matches(msg, k.Refresh):
		if !v.loading {
			return v.load()
		}
	case key.Matches(msg, k.Edit), key.Matches(msg, k.Reset), key.Matches(msg, k.ResetAll), key.Matches(msg, k.Add):
		return v.write(msg)
	}
	return nil
}

// write opens the edit form or a reset preview, refused in read-only
// mode, on a connection that cannot write configs, and on a broker's
// read-only key.
func (v *Configs) write(msg tea.KeyPressMsg) tea.Cmd {
	k := v.keys
	sel, ok := v.table.Selected()
	what := "change configs of " + v.target.String()
	if v.c.ReadOnly {
		return Failure(fmt.Errorf("%s: %w", what, kafka.ErrReadOnly))
	}
	admin, can := v.c.Cluster.(ConfigAdmin)
	if !can {
		return Failure(fmt.Errorf("%s: this connection cannot change configs", what))
	}
	if key.Matches(msg, k.ResetAll) {
		var changes []kafka.ConfigChange
		for _, e := range v.entries {
			if v.setHere(e) {
				changes = append(changes, kafka.ConfigChange{Key: e.Name, Reset: true})
			}
		}
		if len(changes) == 0 {
			return Notice("nothing is set on " + v.target.String() + ": nothing to reset")
		}
		return v.plan(admin, changes, nil)
	}
	if key.Matches(msg, k.Add) {
		f := newConfigEdit(v, kafka.ConfigEntry{})
		v.dialog = f
		v.dialog.setWidth(v.width)
		return f.input.Focus()
	}
	if !ok {
		return nil
	}
	e, _ := v.entry(sel.Key)
	if e.ReadOnly && !v.target.IsTopic() {
		return Failure(fmt.Errorf("%s is read-only: a running broker cannot change it (set it in server.properties and restart)", e.Name))
	}
	if key.Matches(msg, k.Reset) {
		if !v.setHere(e) {
			return Notice(e.Name + " is not set on " + v.target.String() + ": it already has its default")
		}
		return v.plan(admin, []kafka.ConfigChange{{Key: e.Name, Reset: true}}, nil)
	}
	f := newConfigEdit(v, e)
	v.dialog = f
	v.dialog.setWidth(v.width)
	return f.input.Focus()
}

// setHere reports whether the entry's value is set on this target (what
// a reset removes).
func (v *Configs) setHere(e kafka.ConfigEntry) bool {
	switch {
	case v.target.IsTopic():
		return e.Source == "DYNAMIC_TOPIC_CONFIG"
	case v.target.ClusterDefault:
		return e.Source == "DYNAMIC_DEFAULT_BROKER_CONFIG"
	}
	return e.Source == "DYNAMIC_BROKER_CONFIG"
}

// plan asks the broker to validate the changes; from is the edit form
// they came from (nil for a reset), kept to return to with what was
// typed.
func (v *Configs) plan(admin ConfigAdmin, changes []kafka.ConfigChange, from *configEdit) tea.Cmd {
	v.opGen++
	target := v.target
	if from != nil {
		from.submitting, from.err = true, nil
	}
	v.opBusy = true
	return Call(v.c, v.id, v.opGen, "validate configs of "+target.String(), func(ctx context.Context) (kafka.ConfigPlan, error) {
		return admin.PlanConfigs(ctx, target, changes)
	})
}

func (v *Configs) planned(msg Result[kafka.ConfigPlan]) tea.Cmd {
	if msg.ID != v.id || msg.Gen != v.opGen {
		return nil
	}
	v.opBusy = false
	from, _ := v.dialog.(*configEdit)
	if msg.Err != nil {
		if from != nil {
			from.submitting, from.err = false, msg.Err
			return nil
		}
		return Failure(msg.Err)
	}
	if from != nil {
		from.submitting = false
	}
	p := newConfigPreview(v, msg.Value, from)
	v.dialog = p
	v.dialog.setWidth(v.width)
	return p.focus()
}

// configApplied is the answer to applying a plan.
type configApplied struct{ plan kafka.ConfigPlan }

func (v *Configs) apply(plan kafka.ConfigPlan) tea.Cmd {
	admin, ok := v.c.Cluster.(ConfigAdmin)
	if !ok {
		return nil
	}
	v.opGen++
	v.opBusy = true
	return Call(v.c, v.id, v.opGen, "change configs of "+plan.Target.String(), func(ctx context.Context) (configApplied, error) {
		return configApplied{plan}, admin.ApplyConfigs(ctx, plan)
	})
}

func (v *Configs) applied(msg Result[configApplied]) tea.Cmd {
	if msg.ID != v.id || msg.Gen != v.opGen {
		return nil
	}
	v.opBusy = false
	if msg.Err != nil {
		if p, ok := v.dialog.(*configPreview); ok {
			p.submitting, p.err = false, msg.Err
		}
		return Failure(msg.Err)
	}
	v.dialog = nil
	// ApplyConfigs returns once a describe shows the change: load now.
	return tea.Batch(Notice(fmt.Sprintf("changed %s of %s", text.CountOf(len(msg.Value.plan.Rows), "config", "configs"), msg.Value.plan.Target)), v.load())
}

// View renders the count line and the config table, and a dialog over
// them.
func (v *Configs) View() string {
	th := v.c.Theme
	name := v.target.Confirm()
	if !v.target.IsTopic() {
		name = v.target.String()
	}
	var parts []headPart
	switch {
	case !v.loaded && v.err == nil:
		parts = append(parts, headPart{th.Muted.Render("loading configs of " + name + "…"), 0})
	case !v.loaded:
		parts = append(parts, headPart{th.Error.Render("could not load configs of "+name) + th.Muted.Render(" (r retries)"), 0})
	default:
		set := 0
		for _, e := range v.entries {
			if !e.IsDefault {
				set++
			}
		}
		where := "set on the topic"
		if !v.target.IsTopic() {
			where = "set dynamically"
		}
		parts = append(parts, headPart{th.Title.Render(name), 0},
			headPart{th.Muted.Render(text.CountOf(len(v.entries), "config", "configs")), 0},
			headPart{th.Muted.Render(fmt.Sprintf("%d %s, listed first", set, where)), 1})
		if v.c.ReadOnly {
			parts = append(parts, headPart{th.Warn.Render("read-only"), 2})
		}
	}
	body := headLine(th.Muted.Render(" · "), v.width, parts...) + "\n" + v.table.View()
	if v.dialog != nil {
		return Overlay(body, v.dialog.view(), v.width, v.height)
	}
	return Frame(body, v.width, v.height)
}

// sourceWidth is the SOURCE column's width: a broker's sources say more
// ("static broker · read-only").
func sourceWidth(t kafka.ConfigTarget) int {
	if t.IsTopic() {
		return 23
	}
	return 25
}

// sourceDrop is when the SOURCE column gives way: on a topic first; on
// a broker never, as where a value comes from (and whether it can
// change) is what that view is for.
func sourceDrop(t kafka.ConfigTarget) int {
	if t.IsTopic() {
		return 1
	}
	return 0
}
