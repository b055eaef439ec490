package views

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
	"kflow/text"
)

// Users lists the cluster's SCRAM users with their mechanisms and
// iteration counts, sets a password from a masked input (never shown nor
// kept once sent), and deletes a user's credentials after its name is
// typed back.
type Users struct {
	src  SCRAMSource
	keys UsersKeys
	adminList[kafka.SCRAMUser]

	form *userForm
	del  *userDelete
}

// Result payloads of the users view's writes.
type (
	userSet     struct{ name, mechanism string }
	userDeleted struct {
		name       string
		mechanisms []string
	}
)

// NewUsers makes the users view; src nil takes the Common's cluster.
func NewUsers(c *Common, src SCRAMSource) *Users {
	if src == nil {
		src = scramSourceOf(c)
	}
	v := &Users{src: src, keys: DefaultUsersKeys()}
	v.adminList = newAdminList[kafka.SCRAMUser](c, []Column{
		{Title: "USER", Width: 12, Flex: true},
		{Title: "MECHANISMS", Width: 28},
		{Title: "ITERATIONS", Width: 11, Align: Right, Drop: 1},
	}, "no SCRAM users", " (press n to create one)")
	v.what, v.rows = "describe SCRAM users", userRows
	v.keyOf = func(u kafka.SCRAMUser) string { return u.Name }
	v.open = func() panel { return either(v.form, v.del) }
	v.writes = []key.Binding{v.keys.New, v.keys.Edit, v.keys.Delete}
	if src != nil {
		v.fetch = func(ctx context.Context) ([]kafka.SCRAMUser, error) { return src.ListSCRAMUsers(ctx) }
	}
	return v
}

// Title names the view.
func (v *Users) Title() string { return "users" }

// Update handles results, ticks and keys.
func (v *Users) Update(msg tea.Msg) (View, tea.Cmd) {
	if handled, cmd := v.updateList(msg); handled {
		return v, cmd
	}
	switch msg := msg.(type) {
	case Result[userSet]:
		mine, fail := wrote(&v.adminList, msg, opened(v.form))
		if !mine || fail != nil {
			return v, fail
		}
		v.form = nil
		return v, tea.Batch(Notice(fmt.Sprintf("set the %s password of %s", msg.Value.mechanism, msg.Value.name)), v.load())
	case Result[userDeleted]:
		mine, fail := wrote(&v.adminList, msg, opened(v.del))
		if !mine {
			return v, nil
		}
		if fail != nil {
			// Some credentials may be gone: show what is left.
			return v, tea.Batch(fail, v.load())
		}
		v.del = nil
		return v, tea.Batch(Notice("deleted user "+msg.Value.name+" ("+strings.Join(msg.Value.mechanisms, ", ")+")"), v.load())
	case tea.KeyPressMsg:
		return v, v.key(msg)
	}
	return v, v.forward(msg)
}

func (v *Users) key(msg tea.KeyPressMsg) tea.Cmd {
	if v.form != nil {
		return v.formKey(msg)
	}
	if v.del != nil {
		return v.delKey(msg)
	}
	if handled, cmd := v.listKey(msg, v.keys.Refresh); handled {
		return cmd
	}
	u, ok := v.selected()
	switch {
	case key.Matches(msg, v.keys.New), key.Matches(msg, v.keys.Edit):
		if no := v.refuse("set SCRAM user"); no != nil {
			return no
		}
		if key.Matches(msg, v.keys.Edit) {
			if !ok {
				return nil
			}
			v.form = newUserForm(v.c, &u)
		} else {
			v.form = newUserForm(v.c, nil)
		}
		v.form.setWidth(v.width)
		return v.form.focus()
	case key.Matches(msg, v.keys.Delete):
		if no := v.refuse("delete SCRAM user"); no != nil {
			return no
		}
		if !ok {
			return nil
		}
		v.del = newUserDelete(v.c, u)
		v.del.setWidth(v.width)
		return v.del.focus()
	}
	return nil
}

func (v *Users) formKey(msg tea.KeyPressMsg) tea.Cmd {
	f := v.form
	switch {
	case key.Matches(msg, f.keys.Cancel):
		f.clearPasswords()
		v.form = nil
		return Notice("set password cancelled; nothing was written")
	case submits(msg, f.keys, f.onLast()):
		if f.submitting {
			return nil
		}
		spec, ok := f.validate()
		if !ok {
			return nil
		}
		f.submitting, f.err = true, nil
		v.busyOps++
		src := v.src
		// The password leaves the form now: only this call holds it.
		pw := spec.password
		spec.password = ""
		return Call(v.c, v.id, v.gen, "set SCRAM user", func(ctx context.Context) (userSet, error) {
			if src == nil {
				return userSet{}, errNoAdmin
			}
			return userSet{spec.name, spec.mechanism}, src.SetSCRAMUser(ctx, spec.name, spec.mechanism, spec.iterations, pw)
		})
	}
	return f.update(msg)
}

func (v *Users) delKey(msg tea.KeyPressMsg) tea.Cmd {
	d := v.del
	switch {
	case key.Matches(msg, d.keys.Cancel):
		v.del = nil
		return Notice("delete cancelled; nothing was deleted")
	case key.Matches(msg, d.keys.Confirm):
		if !d.send("delete it") {
			return nil
		}
		v.busyOps++
		u, src := d.user, v.src
		return Call(v.c, v.id, v.gen, "delete SCRAM user", func(ctx context.Context) (userDeleted, error) {
			out := userDeleted{name: u.Name}
			for _, cr := range u.Credentials {
				if err := src.DeleteSCRAMUser(ctx, u.Name, cr.Mechanism); err != nil {
					return out, err
				}
				out.mechanisms = append(out.mechanisms, cr.Mechanism)
			}
			if len(out.mechanisms) == 0 {
				return out, errors.New("the user has no SCRAM credential to delete")
			}
			return out, nil
		})
	}
	d.err = nil
	return d.update(msg)
}

// userRows are the table's rows for us.
func userRows(us []kafka.SCRAMUser) []Row {
	rows := make([]Row, 0, len(us))
	for _, u := range us {
		its := make([]string, len(u.Credentials))
		maxIts := 0
		for i, cr := range u.Credentials {
			its[i] = strconv.Itoa(int(cr.Iterations))
			maxIts = max(maxIts, int(cr.Iterations))
		}
		mech := Text(strings.ReplaceAll(u.Mechanisms(), ",", ", "))
		if len(u.Credentials) == 0 {
			mech = Cell{Text: text.Dash, Tone: Muted}
		}
		rows = append(rows, Row{Key: u.Name, Cells: []Cell{Text(u.Name), mech, Num(float64(maxIts), strings.Join(its, ", "))}})
	}
	return rows
}
