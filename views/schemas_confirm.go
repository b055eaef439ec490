package views

import (
	"fmt"
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

// key handles a key in the dialog: esc cancels (cancelled: the caller drops
// the dialog), enter runs send once the name is typed back exactly, once,
// counting it in busy; other keys edit the name.
func (d *schemaConfirm) key(msg tea.KeyPressMsg, busy *int, send func() tea.Cmd) (cmd tea.Cmd, cancelled bool) {
	action, done := "delete", "deleted"
	if d.version == 0 {
		action, done = "register", "registered"
	}
	switch {
	case key.Matches(msg, d.keys.Cancel):
		return Notice(action + " cancelled; nothing was " + done), true
	case key.Matches(msg, d.keys.Confirm):
		if d.submitting {
			return nil, false
		}
		if !d.confirmed() {
			d.err = fmt.Errorf("type %s exactly to %s it", d.subject, action)
			return nil, false
		}
		d.submitting, d.err = true, nil
		*busy++
		return send(), false
	}
	return d.update(msg), false
}

// answered takes the answer to the write d confirmed, counting it off busy:
// on an error the dialog stays open with it, to retry or cancel, and the
// failure is said; nil when the write succeeded (the caller closes d).
func answered(d *schemaConfirm, busy *int, err error) tea.Cmd {
	*busy--
	if err == nil {
		return nil
	}
	if d != nil {
		d.submitting, d.err = false, err
	}
	return Failure(err)
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
