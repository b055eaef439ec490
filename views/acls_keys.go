package views

import "charm.land/bubbles/v2/key"

// ACLsKeys are the bindings of the ACLs view.
type ACLsKeys struct {
	Table   TableKeys
	Create  key.Binding
	Delete  key.Binding
	Refresh key.Binding
}

// DefaultACLsKeys returns the ACLs view's bindings.
func DefaultACLsKeys() ACLsKeys {
	return ACLsKeys{
		Table:   DefaultTableKeys(),
		Create:  key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "new ACL")),
		Delete:  key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "delete")),
		Refresh: key.NewBinding(key.WithKeys("r", "ctrl+r"), key.WithHelp("r", "refresh")),
	}
}

// ACLDeleteKeys are the bindings of the ACL delete preview.
type ACLDeleteKeys struct {
	Scope   key.Binding
	Confirm key.Binding
	Cancel  key.Binding
}

// DefaultACLDeleteKeys returns the delete preview's bindings.
func DefaultACLDeleteKeys() ACLDeleteKeys {
	return ACLDeleteKeys{
		Scope:   key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "this ACL / all on the resource")),
		Confirm: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "delete (principal typed)")),
		Cancel:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

func (k ACLDeleteKeys) short() []key.Binding { return []key.Binding{k.Scope, k.Confirm, k.Cancel} }

// ShortHelp returns the bindings shown in the one-line help.
func (v *ACLs) ShortHelp() []key.Binding {
	switch {
	case v.form != nil:
		return v.form.keys.short()
	case v.del != nil:
		return v.del.keys.short()
	}
	return v.enabled(v.keys.Table.Filter, v.keys.Create, v.keys.Delete, v.keys.Refresh)
}

// FullHelp returns every binding of the view, grouped.
func (v *ACLs) FullHelp() [][]key.Binding {
	switch {
	case v.form != nil:
		return [][]key.Binding{v.form.keys.short()}
	case v.del != nil:
		return [][]key.Binding{v.del.keys.short()}
	}
	k := v.keys
	return [][]key.Binding{k.Table.Nav(), append(k.Table.List(), k.Refresh), v.enabled(k.Create, k.Delete)}
}

// enabled leaves out create and delete in read-only mode.
func (v *ACLs) enabled(bs ...key.Binding) []key.Binding {
	if !v.c.ReadOnly {
		return bs
	}
	out := bs[:0:0]
	for _, b := range bs {
		if b.Help() != v.keys.Create.Help() && b.Help() != v.keys.Delete.Help() {
			out = append(out, b)
		}
	}
	return out
}
