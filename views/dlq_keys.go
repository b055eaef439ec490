package views

import "charm.land/bubbles/v2/key"

// DLQKeys are the bindings of the dead-letter view: its reasons table,
// what to select, and the redrive.
type DLQKeys struct {
	Table   TableKeys
	Reason  key.Binding // select the reason under the cursor
	All     key.Binding
	Record  key.Binding // the record the tail had selected
	Filter  key.Binding // the tail's filter
	Redrive key.Binding
	Refresh key.Binding
}

// DefaultDLQKeys returns the dead-letter view's bindings.
func DefaultDLQKeys() DLQKeys {
	return DLQKeys{
		Table:   DefaultTableKeys(),
		Reason:  key.NewBinding(key.WithKeys("enter", "space"), key.WithHelp("enter", "select reason")),
		All:     key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "select all")),
		Record:  key.NewBinding(key.WithKeys("."), key.WithHelp(".", "select tail's record")),
		Filter:  key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "select tail's filter")),
		Redrive: key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "redrive plan")),
		Refresh: key.NewBinding(key.WithKeys("r", "ctrl+r"), key.WithHelp("r", "reload")),
	}
}

// ShortHelp returns the one-line help bindings.
func (v *DLQ) ShortHelp() []key.Binding {
	if v.dialog != nil {
		return v.dialog.keys.short()
	}
	k := v.keys
	return []key.Binding{k.Reason, k.All, k.Record, k.Filter, k.Redrive}
}

// FullHelp returns every binding, grouped.
func (v *DLQ) FullHelp() [][]key.Binding {
	if v.dialog != nil {
		return [][]key.Binding{v.ShortHelp()}
	}
	k := v.keys
	return [][]key.Binding{k.Table.Nav(), {k.Reason, k.All, k.Record, k.Filter}, append(k.Table.List(), k.Redrive, k.Refresh)}
}
