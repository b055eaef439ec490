package views

import "charm.land/bubbles/v2/key"

// GroupsKeys are the bindings of the consumer group views.
type GroupsKeys struct {
	Table   TableKeys
	Open    key.Binding
	Reset   key.Binding
	Delete  key.Binding
	Refresh key.Binding
}

// DefaultGroupsKeys returns the consumer group views' bindings.
func DefaultGroupsKeys() GroupsKeys {
	return GroupsKeys{
		Table:   DefaultTableKeys(),
		Open:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "group detail")),
		Reset:   key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "reset offsets")),
		Delete:  key.NewBinding(key.WithKeys("D"), key.WithHelp("D", "delete group")),
		Refresh: key.NewBinding(key.WithKeys("r", "ctrl+r"), key.WithHelp("r", "refresh")),
	}
}

// writes leaves out the writing bindings in read-only mode.
func (k GroupsKeys) writes(readOnly bool, bs ...key.Binding) []key.Binding {
	if !readOnly {
		return bs
	}
	out := bs[:0:0]
	for _, b := range bs {
		if b.Help() != k.Reset.Help() && b.Help() != k.Delete.Help() {
			out = append(out, b)
		}
	}
	return out
}

// ShortHelp returns the bindings shown in the one-line help.
func (v *Groups) ShortHelp() []key.Binding {
	if v.dialog != nil {
		return v.dialog.help()
	}
	k := v.keys
	return k.writes(v.c.ReadOnly, k.Open, k.Table.Filter, k.Reset, k.Delete, k.Refresh)
}

// FullHelp returns every binding of the view, grouped.
func (v *Groups) FullHelp() [][]key.Binding {
	if v.dialog != nil {
		return [][]key.Binding{v.dialog.help()}
	}
	k := v.keys
	return [][]key.Binding{
		k.Table.Nav(),
		append(k.Table.List(), k.Refresh),
		k.writes(v.c.ReadOnly, k.Open, k.Reset, k.Delete),
	}
}
