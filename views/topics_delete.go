package views

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
)

// ConfirmKeys are the bindings of the delete confirmation.
type ConfirmKeys struct {
	Confirm key.Binding
	Cancel  key.Binding
}

// DefaultConfirmKeys returns the confirmation's bindings.
func DefaultConfirmKeys() ConfirmKeys {
	return ConfirmKeys{
		Confirm: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "delete (name typed)")),
		Cancel:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

func (k ConfirmKeys) short() []key.Binding { return []key.Binding{k.Confirm, k.Cancel} }

// deleteConfirm asks for the topic's name typed back before deleting it,
// and says what will be lost.
type deleteConfirm struct {
	c     *Common
	keys  ConfirmKeys
	topic kafka.TopicSummary
	nameBack
	width int
}

func newDeleteConfirm(c *Common, t kafka.TopicSummary) *deleteConfirm {
	return &deleteConfirm{c: c, keys: DefaultConfirmKeys(), topic: t, nameBack: newNameBack(c.Theme, t.Name)}
}

func (d *deleteConfirm) setWidth(w int) {
	d.width = w
	d.input.SetWidth(max(10, min(60, w-12)))
}

func (d *deleteConfirm) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	d.input, cmd = d.input.Update(msg)
	if _, ok := msg.(tea.KeyPressMsg); ok {
		d.err = nil
	}
	return cmd
}

func (d *deleteConfirm) view() string {
	th := d.c.Theme
	w := max(20, min(70, d.width-6))
	var b strings.Builder
	b.WriteString(th.Error.Render("Delete topic "+d.topic.Name) + "\n\n")
	parts := fmt.Sprintf("All %d partitions", d.topic.Partitions)
	if d.topic.Partitions == 1 {
		parts = "Its 1 partition"
	}
	b.WriteString(th.Text.Width(w).Render(fmt.Sprintf(
		"%s and %s will be lost, and its consumers will fail. This cannot be undone.",
		parts, recordCount(d.topic.Records))) + "\n\n")
	b.WriteString(d.footer(th, w, "Type the topic name to confirm:", "deleting…", "deletes"))
	return th.Overlay.MaxWidth(max(20, d.width)).Render(b.String())
}
