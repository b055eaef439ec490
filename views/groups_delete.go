package views

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
	"kflow/text"
)

// groupDeleteConfirm asks for a group's name typed back before deleting
// it, and says what is lost.
type groupDeleteConfirm struct {
	a     *groupActions
	keys  ConfirmKeys
	group kafka.GroupLag
	nameBack
	w int
}

func newGroupDeleteConfirm(a *groupActions, g kafka.GroupLag) *groupDeleteConfirm {
	return &groupDeleteConfirm{a: a, keys: DefaultConfirmKeys(), group: g, nameBack: newNameBack(a.c.Theme, g.Group.ID)}
}

func (d *groupDeleteConfirm) help() []key.Binding { return d.keys.short() }

func (d *groupDeleteConfirm) setSize(w, _ int) {
	d.w = w
	d.input.SetWidth(max(10, min(50, w-14)))
}

func (d *groupDeleteConfirm) key(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, d.keys.Cancel):
		d.a.dialog = nil
		return Notice("delete cancelled; nothing was deleted")
	case key.Matches(msg, d.keys.Confirm):
		if !d.send("delete it") {
			return nil
		}
		return d.a.deleteGroup(d.group.Group.ID)
	}
	d.err = nil
	return d.update(msg)
}

func (d *groupDeleteConfirm) view() string {
	th := d.a.c.Theme
	g := d.group
	w := max(20, min(70, d.w-6))
	var b strings.Builder
	b.WriteString(th.Error.Render("Delete group "+g.Group.ID) + "\n\n")
	b.WriteString(th.Text.Width(w).Render(fmt.Sprintf(
		"Its committed offsets on %s of %s are deleted: a consumer joining it again starts where its auto.offset.reset says. This cannot be undone.",
		text.CountOf(len(g.Partitions), "partition", "partitions"), text.CountOf(len(g.Topics()), "topic", "topics"))) + "\n\n")
	if g.Group.Members > 0 && d.err == nil {
		b.WriteString(th.Warn.Width(w).Render(fmt.Sprintf(
			"%s is %s. Kafka only deletes a group with no members: stop its consumers first, or deleting will be refused.",
			g.Group.ID, text.ActiveText(g.Group.Members, g.Group.State))) + "\n")
	}
	b.WriteString(d.footer(th, w, "Type the group name to confirm:", "deleting…", "deletes"))
	return th.Overlay.MaxWidth(max(20, d.w)).Render(b.String())
}
