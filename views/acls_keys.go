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
	return v.shortHelp(v.keys.Table.Filter, v.keys.Create, v.keys.Delete, v.keys.Refresh)
}

// FullHelp returns every binding of the view, grouped.
func (v *ACLs) FullHelp() [][]key.Binding { return v.fullHelp(v.keys.Table, v.keys.Refresh) }
