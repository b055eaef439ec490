package views

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// schemaConfirm asks for a subject's name typed back before a write to the
// registry: deleting a version or the whole subject, or registering a
// checked schema as the subject's next version.
type schemaConfirm struct {
	c       *Common
	keys    ConfirmKeys
	title   string // "Delete version 3 of subject orders-value"
	what    string // what the write does, in a sentence
	doing   string // "deleting…"
	verb    string // "deletes"
	subject string
	version int // the version to delete; -1 the whole subject; 0 registers
	nameBack
	width int
}

func newSchemaConfirm(c *Common, subject string, version int, title, what, doing, verb string) *schemaConfirm {
	k := DefaultConfirmKeys()
	if version == 0 {
		k.Confirm = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "register (name typed)"))
	}
	return &schemaConfirm{c: c, keys: k, title: title, what: what, doing: doing, verb: verb,
		subject: subject, version: version, nameBack: newNameBack(c.Theme, subject)}
}

func (d *schemaConfirm) setWidth(w int) {
	d.width = w
	d.input.SetWidth(max(10, min(60, w-12)))
}

func (d *schemaConfirm) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	d.input, cmd = d.input.Update(msg)
	if _, ok := msg.(tea.KeyPressMsg); ok {
		d.err = nil
	}
	return cmd
}

func (d *schemaConfirm) view() string {
	th := d.c.Theme
	w := max(20, min(70, d.width-6))
	var b strings.Builder
	title := d.title
	if d.version == 0 {
		b.WriteString(th.Warn.Render(clipWithEllipsis(title, w)) + "\n\n")
	} else {
		b.WriteString(th.Error.Render(clipWithEllipsis(title, w)) + "\n\n")
	}
	b.WriteString(th.Text.Width(w).Render(d.what) + "\n\n")
	b.WriteString(d.footer(th, w, "Type the subject name to confirm:", d.doing, d.verb))
	return th.Overlay.MaxWidth(max(20, d.width)).Render(b.String())
}
