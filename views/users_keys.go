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
	return v.shortHelp(v.keys.Table.Filter, v.keys.New, v.keys.Edit, v.keys.Delete, v.keys.Refresh)
}

// FullHelp returns every binding of the view, grouped.
func (v *Users) FullHelp() [][]key.Binding { return v.fullHelp(v.keys.Table, v.keys.Refresh) }
