package views

import (
	"context"
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
	"kflow/text"
)

// ACLs lists the cluster's ACLs (principal, host, operation, permission,
// resource type, name, pattern), creates them from a form and deletes
// them after a preview of exactly what goes and the principal typed back.
type ACLs struct {
	src  ACLSource
	keys ACLsKeys
	adminList[kafka.ACL]

	form *aclForm
	del  *aclDelete
}

// Result payloads of the ACLs view's writes, told apart by type.
type (
	aclsCreated struct{ acls []kafka.ACL }
	aclsDeleted struct{ acls []kafka.ACL }
	aclsPlanned struct {
		gen  int
		acls []kafka.ACL
	}
)

// NewACLs makes the ACLs view; src nil takes the Common's cluster.
func NewACLs(c *Common, src ACLSource) *ACLs {
	if src == nil {
		src = aclSourceOf(c)
	}
	v := &ACLs{src: src, keys: DefaultACLsKeys()}
	v.adminList = newAdminList[kafka.ACL](c, []Column{
		{Title: "PRINCIPAL", Width: 12, Flex: true},
		{Title: "HOST", Width: 4, Drop: 2},
		{Title: "OPERATION", Width: 9},
		{Title: "PERMISSION", Width: 10, Min: 5},
		{Title: "RESOURCE", Width: 8, Drop: 1},
		{Title: "NAME", Width: 12, Flex: true},
		{Title: "PATTERN", Width: 8, Drop: 3},
	}, "no ACLs", " (press n to create one)")
	v.what, v.keyOf, v.rows = "list ACLs", aclKey, aclRows
	v.open = func() panel { return either(v.form, v.del) }
	v.writes = []key.Binding{v.keys.Create, v.keys.Delete}
	if src != nil {
		v.fetch = func(ctx context.Context) ([]kafka.ACL, error) { return src.ListACLs(ctx, kafka.ACLFilter{}) }
	}
	return v
}

// Title names the view.
func (v *ACLs) Title() string { return "acls" }

// Update handles results, ticks and keys.
func (v *ACLs) Update(msg tea.Msg) (View, tea.Cmd) {
	if handled, cmd := v.updateList(msg); handled {
		return v, cmd
	}
	switch msg := msg.(type) {
	case Result[aclsCreated]:
		mine, fail := wrote(&v.adminList, msg, opened(v.form))
		if !mine || fail != nil {
			return v, fail
		}
		v.form = nil
		return v, tea.Batch(Notice("created "+text.CountOf(len(msg.Value.acls), "ACL", "ACLs")), v.load())
	case Result[aclsPlanned]:
		if msg.ID != v.id || v.del == nil || msg.Value.gen != v.del.gen {
			return v, nil
		}
		v.busyOps--
		v.del.planned(msg.Value.acls, msg.Err)
		return v, nil
	case Result[aclsDeleted]:
		mine, fail := wrote(&v.adminList, msg, opened(v.del))
		if !mine || fail != nil {
			return v, fail
		}
		v.del = nil
		return v, tea.Batch(Notice("deleted "+text.CountOf(len(msg.Value.acls), "ACL", "ACLs")), v.load())
	case tea.KeyPressMsg:
		return v, v.key(msg)
	}
	return v, v.forward(msg)
}

func (v *ACLs) key(msg tea.KeyPressMsg) tea.Cmd {
	if v.form != nil {
		return v.formKey(msg)
	}
	if v.del != nil {
		return v.delKey(msg)
	}
	if handled, cmd := v.listKey(msg, v.keys.Refresh); handled {
		return cmd
	}
	switch {
	case key.Matches(msg, v.keys.Create):
		if no := v.refuse("create ACL"); no != nil {
			return no
		}
		v.form = newACLForm(v.c)
		v.form.setWidth(v.width)
		return v.form.focus()
	case key.Matches(msg, v.keys.Delete):
		if no := v.refuse("delete ACLs"); no != nil {
			return no
		}
		a, ok := v.selected()
		if !ok {
			return nil
		}
		v.del = newACLDelete(v.c, a)
		v.del.setSize(v.width, v.height)
		return tea.Batch(v.del.focus(), v.plan())
	}
	return nil
}

func (v *ACLs) formKey(msg tea.KeyPressMsg) tea.Cmd {
	f := v.form
	switch {
	case key.Matches(msg, f.keys.Cancel):
		v.form = nil
		return Notice("create ACL cancelled")
	case submits(msg, f.keys, f.onLast()):
		if f.submitting {
			return nil
		}
		acls, ok := f.validate()
		if !ok {
			return nil
		}
		f.submitting, f.err = true, nil
		v.busyOps++
		src := v.src
		return Call(v.c, v.id, v.gen, "create ACLs", func(ctx context.Context) (aclsCreated, error) {
			if src == nil {
				return aclsCreated{}, errNoAdmin
			}
			return aclsCreated{acls}, src.CreateACLs(ctx, acls)
		})
	}
	return f.update(msg)
}

// plan asks for the ACLs the preview's filter matches now.
func (v *ACLs) plan() tea.Cmd {
	d := v.del
	d.gen++
	d.loading, d.plan, d.planErr = true, nil, nil
	gen, f, src := d.gen, d.filter(), v.src
	v.busyOps++
	return Call(v.c, v.id, v.gen, "preview ACL delete", func(ctx context.Context) (aclsPlanned, error) {
		if src == nil {
			return aclsPlanned{gen: gen}, errNoAdmin
		}
		acls, err := src.PlanDeleteACLs(ctx, f)
		return aclsPlanned{gen: gen, acls: acls}, err
	})
}

func (v *ACLs) delKey(msg tea.KeyPressMsg) tea.Cmd {
	d := v.del
	switch {
	case key.Matches(msg, d.keys.Cancel):
		v.del = nil
		return Notice("delete cancelled; nothing was deleted")
	case key.Matches(msg, d.keys.Scope):
		if d.submitting {
			return nil
		}
		d.wide = !d.wide
		return v.plan()
	case key.Matches(msg, d.keys.Confirm):
		if d.submitting || d.loading {
			return nil
		}
		if d.planErr != nil || len(d.plan) == 0 {
			d.err = fmt.Errorf("nothing to delete")
			return nil
		}
		if !d.send("delete these ACLs") {
			return nil
		}
		v.busyOps++
		plan, src := d.plan, v.src
		return Call(v.c, v.id, v.gen, "delete ACLs", func(ctx context.Context) (aclsDeleted, error) {
			deleted, err := src.DeleteACLs(ctx, plan)
			return aclsDeleted{deleted}, err
		})
	}
	d.err = nil
	return d.update(msg)
}

func aclKey(a kafka.ACL) string {
	return a.ResourceType + "\x00" + a.ResourceName + "\x00" + a.PatternType + "\x00" + a.Principal + "\x00" + a.Host + "\x00" + a.Operation + "\x00" + a.Permission
}

// aclRows are the table's rows for acls.
func aclRows(acls []kafka.ACL) []Row {
	rows := make([]Row, 0, len(acls))
	for _, a := range acls {
		perm := Cell{Text: a.Permission, Tone: Good}
		if a.Permission == "Deny" {
			perm.Tone = Bad
		}
		name := Text(a.ResourceName)
		if a.ResourceName == "*" {
			name.Tone = Warning
		}
		rows = append(rows, Row{Key: aclKey(a), Tags: []string{"permission:" + a.Permission, "type:" + a.ResourceType},
			Search: a.Principal + " " + a.ResourceName, Cells: []Cell{
				Text(a.Principal), Text(a.Host), Text(a.Operation), perm, Text(a.ResourceType), name, Text(a.PatternType),
			}})
	}
	return rows
}
