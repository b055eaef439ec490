package views

import (
	"fmt"
	"slices"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
	"kflow/kafka/schema"
	"kflow/text"
)

// Schemas lists the Schema Registry's subjects with their latest version,
// type, compatibility level and count of versions: `:schemas`, or a
// topic's key and value subjects from the topics view.
type Schemas struct {
	c     *Common
	id    int
	gen   int
	topic string // only TOPIC-key and TOPIC-value
	keys  SchemasKeys
	table *Table
	subs  []schema.Subject

	loading bool
	loaded  bool
	busyOps int
	err     error
	updated time.Time

	confirm *schemaConfirm

	width, height int
}

// NewSchemas makes the schemas view. With topic set it lists only the
// topic's subjects, TOPIC-key and TOPIC-value (the registry's default
// naming).
func NewSchemas(c *Common, topic string) *Schemas {
	v := &Schemas{c: c, id: c.NewID(), topic: topic, keys: DefaultSchemasKeys()}
	v.table = NewTable(c, []Column{
		{Title: "SUBJECT", Width: 16, Flex: true},
		{Title: "LATEST", Width: 6, Align: Right},
		{Title: "ID", Width: 5, Align: Right, Drop: 1},
		{Title: "TYPE", Width: 8},
		{Title: "COMPATIBILITY", Width: 17},
		{Title: "VERSIONS", Width: 8, Align: Right},
	})
	v.table.Empty = "no subjects in the registry"
	if topic != "" {
		v.table.Empty = fmt.Sprintf("no subject %s-key or %s-value in the registry", topic, topic)
	}
	return v
}

// topicSubjects are the subjects of topic under the registry's default
// naming (TopicNameStrategy).
func topicSubjects(topic string) []string { return []string{topic + "-key", topic + "-value"} }

// ID is the view's id; results carrying another are not its.
func (v *Schemas) ID() int { return v.id }

// Init loads the subjects.
func (v *Schemas) Init() tea.Cmd { return v.load() }

// Title names the view.
func (v *Schemas) Title() string {
	if v.topic != "" {
		return "schemas · " + v.topic
	}
	return "schemas"
}

// Capturing reports whether a confirmation or the filter takes keys.
func (v *Schemas) Capturing() bool { return v.confirm != nil || v.table.Typing() }

// WantsEsc reports whether esc closes something inside the view.
func (v *Schemas) WantsEsc() bool { return v.Capturing() || v.table.WantsEsc() }

// Busy reports whether a call is in flight.
func (v *Schemas) Busy() bool { return v.loading || v.busyOps > 0 }

// Close does nothing: nothing runs between refreshes.
func (v *Schemas) Close() {}

// Table exposes the table, for tests.
func (v *Schemas) Table() *Table { return v.table }

// SetSize sets the view's area.
func (v *Schemas) SetSize(w, h int) {
	v.width, v.height = w, h
	v.table.SetSize(w, max(0, h-1))
	if v.confirm != nil {
		v.confirm.setWidth(w)
	}
}

func (v *Schemas) load() tea.Cmd {
	if v.c.Registry == nil {
		return nil // the empty state says why; nothing to ask
	}
	v.gen++
	v.loading = true
	return loadSubjects(v.c, v.id, v.gen)
}

// Update handles results, ticks and keys.
func (v *Schemas) Update(msg tea.Msg) (View, tea.Cmd) {
	switch msg := msg.(type) {
	case subjectsLoaded:
		if msg.ID != v.id || msg.Gen != v.gen {
			return v, nil
		}
		v.loading = false
		next := schemaTick(v.c, v.id)
		if msg.Err != nil {
			v.err = msg.Err
			return v, tea.Batch(next, Failure(msg.Err))
		}
		v.err, v.loaded, v.updated = nil, true, msg.At
		v.setSubjects(msg.Value)
		return v, next
	case TickMsg:
		if msg.ID != v.id || v.loading {
			return v, nil
		}
		return v, v.load()
	case schemaDeleted:
		if msg.ID != v.id {
			return v, nil
		}
		if cmd := answered(v.confirm, &v.busyOps, msg.Err); cmd != nil {
			return v, cmd
		}
		v.confirm = nil
		return v, tea.Batch(Notice(deletedText(msg.Value)), v.load())
	case SchemaChangedMsg:
		if msg.ID != v.id || v.loading {
			return v, nil
		}
		return v, v.load()
	case tea.KeyPressMsg:
		return v.key(msg)
	}
	if v.confirm != nil {
		return v, v.confirm.update(msg)
	}
	_, cmd := v.table.Update(msg)
	return v, cmd
}

// SchemaChangedMsg tells the schema view with ID, under the one in front,
// that a version was registered or deleted: it reloads.
type SchemaChangedMsg struct{ ID int }

// ViewID is the id of the view to reload.
func (m SchemaChangedMsg) ViewID() int { return m.ID }

// schemaChanged tells each of the views ids that the registry changed.
func schemaChanged(ids []int) tea.Cmd {
	var cmds []tea.Cmd
	for _, id := range ids {
		cmds = append(cmds, func() tea.Msg { return SchemaChangedMsg{ID: id} })
	}
	return tea.Batch(cmds...)
}

// joinInts is ns as "1, 2, 3".
func joinInts(ns []int) string {
	s := ""
	for i, n := range ns {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprint(n)
	}
	return s
}

func (v *Schemas) key(msg tea.KeyPressMsg) (View, tea.Cmd) {
	if v.confirm != nil {
		return v, v.confirmKey(msg)
	}
	if used, cmd := v.table.Update(msg); used {
		return v, cmd
	}
	k := v.keys
	sub, ok := v.selected()
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
		return v, Push(NewSchemaSubject(v.c, sub, []int{v.id}))
	case key.Matches(msg, k.Check):
		if !ok {
			return v, nil
		}
		return v, Push(NewSchemaCheck(v.c, sub.Name, sub.Type, "", []int{v.id}))
	case key.Matches(msg, k.Delete):
		if v.c.ReadOnly {
			return v, Failure(fmt.Errorf("delete subject: %w", kafka.ErrReadOnly))
		}
		if !ok {
			return v, nil
		}
		v.confirm = newSchemaConfirm(v.c, sub.Name, -1, "Delete subject "+sub.Name,
			fmt.Sprintf("This soft-deletes subject %s and its %s. Producers that register or look up its schemas will fail.",
				sub.Name, text.CountOf(sub.Versions, "version", "versions")), "deleting…", "deletes")
		v.confirm.setWidth(v.width)
		return v, v.confirm.focus()
	}
	return v, nil
}

func (v *Schemas) confirmKey(msg tea.KeyPressMsg) tea.Cmd {
	d := v.confirm
	cmd, cancelled := d.key(msg, &v.busyOps, func() tea.Cmd { return deleteSchema(v.c, v.id, d.subject, d.version) })
	if cancelled {
		v.confirm = nil
	}
	return cmd
}

// deletedText is the notice after a delete.
func deletedText(d schema.Deleted) string {
	if d.Whole {
		return fmt.Sprintf("deleted subject %s (soft): %s", d.Subject, text.CountOf(len(d.Versions), "version", "versions"))
	}
	return fmt.Sprintf("deleted version %s of subject %s (soft)", joinInts(d.Versions), d.Subject)
}

func (v *Schemas) selected() (schema.Subject, bool) {
	row, ok := v.table.Selected()
	if !ok {
		return schema.Subject{}, false
	}
	for _, s := range v.subs {
		if s.Name == row.Key {
			return s, true
		}
	}
	return schema.Subject{}, false
}

func (v *Schemas) setSubjects(subs []schema.Subject) {
	if v.topic != "" {
		want := topicSubjects(v.topic)
		subs = slices.DeleteFunc(slices.Clone(subs), func(s schema.Subject) bool { return !slices.Contains(want, s.Name) })
	}
	v.subs = subs
	rows := make([]Row, 0, len(subs))
	for _, s := range subs {
		rows = append(rows, subjectRow(s))
	}
	v.table.SetRows(rows)
}

func subjectRow(s schema.Subject) Row {
	level := Text(s.Compatibility)
	if s.CompatibilityFrom == "global" {
		level = Text(s.Compatibility + " (global)")
		level.Tone = Muted
	}
	if s.Compatibility == "NONE" {
		level.Tone = Warning
	}
	latest := Num(float64(s.Latest), fmt.Sprint(s.Latest))
	id := Num(float64(s.LatestID), fmt.Sprint(s.LatestID))
	if s.Latest == 0 {
		latest, id = Num(0, text.Dash), Num(0, text.Dash)
	}
	return Row{Key: s.Name, Cells: []Cell{
		Text(s.Name),
		latest,
		id,
		Text(string(s.Type)),
		level,
		Num(float64(s.Versions), fmt.Sprint(s.Versions)),
	}}
}

// ensure the view satisfies the shell's interface.
var _ View = (*Schemas)(nil)
