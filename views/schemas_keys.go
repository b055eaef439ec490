package views

import "charm.land/bubbles/v2/key"

// SchemasKeys are the bindings of the schemas view (the registry's
// subjects).
type SchemasKeys struct {
	Table   TableKeys
	Open    key.Binding
	Check   key.Binding
	Delete  key.Binding
	Refresh key.Binding
}

// DefaultSchemasKeys returns the schemas view's bindings.
func DefaultSchemasKeys() SchemasKeys {
	return SchemasKeys{
		Table:   DefaultTableKeys(),
		Open:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "versions")),
		Check:   key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "check a schema")),
		Delete:  key.NewBinding(key.WithKeys("D"), key.WithHelp("D", "delete subject")),
		Refresh: key.NewBinding(key.WithKeys("r", "ctrl+r"), key.WithHelp("r", "refresh")),
	}
}

// ShortHelp returns the bindings shown in the one-line help.
func (v *Schemas) ShortHelp() []key.Binding {
	if v.confirm != nil {
		return v.confirm.keys.short()
	}
	k := v.keys
	return withoutWrites(v.c.ReadOnly, []key.Binding{k.Delete}, k.Open, k.Table.Filter, k.Check, k.Delete, k.Refresh)
}

// FullHelp returns every binding of the view, grouped.
func (v *Schemas) FullHelp() [][]key.Binding {
	if v.confirm != nil {
		return [][]key.Binding{v.confirm.keys.short()}
	}
	k := v.keys
	return [][]key.Binding{
		k.Table.Nav(),
		append(k.Table.List(), k.Refresh),
		withoutWrites(v.c.ReadOnly, []key.Binding{k.Delete}, k.Open, k.Check, k.Delete),
	}
}

// SchemaKeys are the bindings of one subject's view: its versions and the
// selected version's schema.
type SchemaKeys struct {
	Prev     key.Binding
	Next     key.Binding
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Top      key.Binding
	Bottom   key.Binding
	Diff     key.Binding
	Check    key.Binding
	Delete   key.Binding
	Refresh  key.Binding
}

// DefaultSchemaKeys returns the subject view's bindings.
func DefaultSchemaKeys() SchemaKeys {
	return SchemaKeys{
		Prev:     key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "older version")),
		Next:     key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "newer version")),
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "scroll up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "scroll down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+f", "space"), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g/home", "top")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G/end", "bottom")),
		Diff:     key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "diff with the version before")),
		Check:    key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "check a schema")),
		Delete:   key.NewBinding(key.WithKeys("D"), key.WithHelp("D", "delete version")),
		Refresh:  key.NewBinding(key.WithKeys("r", "ctrl+r"), key.WithHelp("r", "refresh")),
	}
}

// ShortHelp returns the bindings shown in the one-line help.
func (v *SchemaSubject) ShortHelp() []key.Binding {
	if v.confirm != nil {
		return v.confirm.keys.short()
	}
	k := v.keys
	return withoutWrites(v.c.ReadOnly, []key.Binding{k.Delete}, k.Prev, k.Next, k.Diff, k.Check, k.Delete)
}

// FullHelp returns every binding of the view, grouped.
func (v *SchemaSubject) FullHelp() [][]key.Binding {
	if v.confirm != nil {
		return [][]key.Binding{v.confirm.keys.short()}
	}
	k := v.keys
	return [][]key.Binding{
		{k.Prev, k.Next, k.Refresh},
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		withoutWrites(v.c.ReadOnly, []key.Binding{k.Delete}, k.Diff, k.Check, k.Delete),
	}
}

// SchemaDiffKeys are the bindings of the diff between two versions.
type SchemaDiffKeys struct {
	Table    TableKeys
	FromPrev key.Binding
	FromNext key.Binding
	ToPrev   key.Binding
	ToNext   key.Binding
}

// DefaultSchemaDiffKeys returns the diff view's bindings.
func DefaultSchemaDiffKeys() SchemaDiffKeys {
	return SchemaDiffKeys{
		Table:    DefaultTableKeys(),
		FromPrev: key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "older 'from'")),
		FromNext: key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "newer 'from'")),
		ToPrev:   key.NewBinding(key.WithKeys("["), key.WithHelp("[", "older 'to'")),
		ToNext:   key.NewBinding(key.WithKeys("]"), key.WithHelp("]", "newer 'to'")),
	}
}

// ShortHelp returns the bindings shown in the one-line help.
func (v *SchemaDiff) ShortHelp() []key.Binding {
	k := v.keys
	return []key.Binding{k.FromPrev, k.FromNext, k.ToPrev, k.ToNext}
}

// FullHelp returns every binding of the view, grouped.
func (v *SchemaDiff) FullHelp() [][]key.Binding {
	k := v.keys
	return [][]key.Binding{
		{k.FromPrev, k.FromNext, k.ToPrev, k.ToNext},
		k.Table.Nav(),
		k.Table.List(),
	}
}

// SchemaCheckKeys are the bindings of the candidate schema's check.
type SchemaCheckKeys struct {
	Check    key.Binding
	Type     key.Binding
	Edit     key.Binding
	Register key.Binding
	Cancel   key.Binding
}

// DefaultSchemaCheckKeys returns the check view's bindings.
func DefaultSchemaCheckKeys() SchemaCheckKeys {
	return SchemaCheckKeys{
		Check:    key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "check compatibility")),
		Type:     key.NewBinding(key.WithKeys("ctrl+t"), key.WithHelp("ctrl+t", "schema type")),
		Edit:     key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit the schema")),
		Register: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "register it")),
		Cancel:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	}
}

// ShortHelp returns the bindings shown in the one-line help.
func (v *SchemaCheck) ShortHelp() []key.Binding {
	if v.confirm != nil {
		return v.confirm.keys.short()
	}
	k := v.keys
	if v.editing {
		return []key.Binding{k.Check, k.Type, k.Cancel}
	}
	return withoutWrites(v.c.ReadOnly, []key.Binding{k.Register}, k.Edit, k.Register, k.Cancel)
}

// FullHelp returns every binding of the view, grouped.
func (v *SchemaCheck) FullHelp() [][]key.Binding {
	return [][]key.Binding{v.ShortHelp()}
}

// withoutWrites leaves out the writing bindings (writes) in read-only mode.
func withoutWrites(readOnly bool, writes []key.Binding, bs ...key.Binding) []key.Binding {
	if !readOnly {
		return bs
	}
	out := bs[:0:0]
	for _, b := range bs {
		write := false
		for _, w := range writes {
			if b.Help() == w.Help() {
				write = true
			}
		}
		if !write {
			out = append(out, b)
		}
	}
	return out
}
