package views

import "charm.land/bubbles/v2/key"

// UsersKeys are the bindings of the SCRAM users view.
type UsersKeys struct {
	Table   TableKeys
	New     key.Binding
	Edit    key.Binding
	Delete  key.Binding
	Refresh key.Binding
}

// DefaultUsersKeys returns the users view's bindings.
func DefaultUsersKeys() UsersKeys {
	return UsersKeys{
		Table:   DefaultTableKeys(),
		New:     key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "new user")),
		Edit:    key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "set password")),
		Delete:  key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "delete")),
		Refresh: key.NewBinding(key.WithKeys("r", "ctrl+r"), key.WithHelp("r", "refresh")),
	}
}

// ShortHelp returns the bindings shown in the one-line help.
func (v *Users) ShortHelp() []key.Binding {
	switch {
	case v.form != nil:
		return v.form.keys.short()
	case v.del != nil:
		return v.del.keys.short()
	}
	return v.enabled(v.keys.Table.Filter, v.keys.New, v.keys.Edit, v.keys.Delete, v.keys.Refresh)
}

// FullHelp returns every binding of the view, grouped.
func (v *Users) FullHelp() [][]key.Binding {
	switch {
	case v.form != nil:
		return [][]key.Binding{v.form.keys.short()}
	case v.del != nil:
		return [][]key.Binding{v.del.keys.short()}
	}
	k := v.keys
	return [][]key.Binding{k.Table.Nav(), append(k.Table.List(), k.Refresh), v.enabled(k.New, k.Edit, k.Delete)}
}

// enabled leaves out the writing bindings in read-only mode.
func (v *Users) enabled(bs ...key.Binding) []key.Binding {
	if !v.c.ReadOnly {
		return bs
	}
	out := bs[:0:0]
	for _, b := range bs {
		switch b.Help() {
		case v.keys.New.Help(), v.keys.Edit.Help(), v.keys.Delete.Help():
		default:
			out = append(out, b)
		}
	}
	return out
}
