package views

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

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
	c    *Common
	src  SCRAMSource
	keys UsersKeys
	tableView
	users   []kafka.SCRAMUser
	updated time.Time
	busyOps int

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
	v := &Users{c: c, src: src, keys: DefaultUsersKeys(), tableView: tableView{id: c.NewID()}}
	v.table = NewTable(c, []Column{
		{Title: "USER", Width: 12, Flex: true},
		{Title: "MECHANISMS", Width: 28},
		{Title: "ITERATIONS", Width: 11, Align: Right, Drop: 1},
	})
	v.table.Empty = "no SCRAM users (press n to create one)"
	if c.ReadOnly {
		v.table.Empty = "no SCRAM users"
	}
	return v
}

// Init loads the users.
func (v *Users) Init() tea.Cmd { return v.load() }

// Title names the view.
func (v *Users) Title() string { return "users" }

// Capturing reports whether the form, the confirmation or the filter
// takes keys.
func (v *Users) Capturing() bool { return v.form != nil || v.del != nil || v.table.Typing() }

// WantsEsc reports whether esc closes something inside the view.
func (v *Users) WantsEsc() bool { return v.Capturing() || v.table.WantsEsc() }

// Busy reports whether a call is in flight.
func (v *Users) Busy() bool { return v.loading || v.busyOps > 0 }

// SetSize sets the view's area.
func (v *Users) SetSize(w, h int) {
	v.tableView.SetSize(w, h)
	if v.form != nil {
		v.form.setWidth(w)
	}
	if v.del != nil {
		v.del.setWidth(w)
	}
}

func (v *Users) load() tea.Cmd {
	v.gen++
	v.loading = true
	src := v.src
	return Call(v.c, v.id, v.gen, "describe SCRAM users", func(ctx context.Context) ([]kafka.SCRAMUser, error) {
		if src == nil {
			return nil, errNoAdmin
		}
		return src.ListSCRAMUsers(ctx)
	})
}

// Update handles results, ticks and keys.
func (v *Users) Update(msg tea.Msg) (View, tea.Cmd) {
	switch msg := msg.(type) {
	case Result[[]kafka.SCRAMUser]:
		fresh, fail := settle(&v.tableView, msg)
		if !fresh {
			return v, nil
		}
		next := v.c.tick(v.id)
		if fail != nil {
			return v, tea.Batch(next, fail)
		}
		v.updated = msg.At
		v.setUsers(msg.Value)
		return v, next
	case TickMsg:
		if msg.ID != v.id || v.loading {
			return v, nil
		}
		return v, v.load()
	case Result[userSet]:
		if msg.ID != v.id {
			return v, nil
		}
		v.busyOps--
		if msg.Err != nil {
			if v.form != nil {
				v.form.submitting, v.form.err = false, msg.Err
			}
			return v, Failure(msg.Err)
		}
		v.form = nil
		return v, tea.Batch(Notice(fmt.Sprintf("set the %s password of %s", msg.Value.mechanism, msg.Value.name)), v.load())
	case Result[userDeleted]:
		if msg.ID != v.id {
			return v, nil
		}
		v.busyOps--
		if msg.Err != nil {
			if v.del != nil {
				v.del.submitting, v.del.err = false, msg.Err
			}
			return v, tea.Batch(Failure(msg.Err), v.load())
		}
		v.del = nil
		return v, tea.Batch(Notice("deleted user "+msg.Value.name+" ("+strings.Join(msg.Value.mechanisms, ", ")+")"), v.load())
	case tea.KeyPressMsg:
		return v, v.key(msg)
	}
	switch {
	case v.form != nil:
		return v, v.form.update(msg)
	case v.del != nil:
		return v, v.del.update(msg)
	}
	_, cmd := v.table.Update(msg)
	return v, cmd
}

func (v *Users) key(msg tea.KeyPressMsg) tea.Cmd {
	if v.form != nil {
		return v.formKey(msg)
	}
	if v.del != nil {
		return v.delKey(msg)
	}
	if used, cmd := v.table.Update(msg); used {
		return cmd
	}
	u, ok := v.selected()
	switch {
	case key.Matches(msg, v.keys.Refresh):
		if v.loading {
			return nil
		}
		return v.load()
	case key.Matches(msg, v.keys.New), key.Matches(msg, v.keys.Edit):
		if v.c.ReadOnly {
			return Failure(fmt.Errorf("set SCRAM user: %w", kafka.ErrReadOnly))
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
		if v.c.ReadOnly {
			return Failure(fmt.Errorf("delete SCRAM user: %w", kafka.ErrReadOnly))
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

func (v *Users) selected() (kafka.SCRAMUser, bool) {
	sel, ok := v.table.Selected()
	if !ok {
		return kafka.SCRAMUser{}, false
	}
	for _, u := range v.users {
		if u.Name == sel.Key {
			return u, true
		}
	}
	return kafka.SCRAMUser{}, false
}

func (v *Users) formKey(msg tea.KeyPressMsg) tea.Cmd {
	f := v.form
	switch {
	case key.Matches(msg, f.keys.Cancel):
		f.clearPasswords()
		v.form = nil
		return Notice("set password cancelled; nothing was written")
	case key.Matches(msg, f.keys.Submit) || (key.Matches(msg, f.keys.Next) && msg.String() == "enter" && f.onLast()):
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
		if d.submitting {
			return nil
		}
		if !d.confirmed() {
			d.err = fmt.Errorf("type %s exactly to delete it", d.user.Name)
			return nil
		}
		d.submitting, d.err = true, nil
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

func (v *Users) setUsers(us []kafka.SCRAMUser) {
	v.users = us
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
	v.table.SetRows(rows)
}
