package views

import "charm.land/bubbles/v2/key"

// TopicsKeys are the bindings of the topics view.
type TopicsKeys struct {
	Table    TableKeys
	Open     key.Binding
	Tail     key.Binding
	Groups   key.Binding
	Produce  key.Binding
	Create   key.Binding
	Delete   key.Binding
	Truncate key.Binding
	Configs  key.Binding
	Internal key.Binding
	Schemas  key.Binding
	Flow     key.Binding
	Refresh  key.Binding
}

// DefaultTopicsKeys returns the topics view's bindings.
func DefaultTopicsKeys() TopicsKeys {
	return TopicsKeys{
		Table:    DefaultTableKeys(),
		Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "partitions")),
		Tail:     key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "tail")),
		Groups:   key.NewBinding(key.WithKeys("l"), key.WithHelp("l", "consumer groups")),
		Produce:  key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "produce")),
		Create:   key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "create topic")),
		Delete:   key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "delete topic")),
		Truncate: key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "delete records")),
		Configs:  key.NewBinding(key.WithKeys("C"), key.WithHelp("C", "configs")),
		Internal: key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "show internal")),
		Schemas:  key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "schemas")),
		Flow:     key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "flow map")),
		Refresh:  key.NewBinding(key.WithKeys("r", "ctrl+r"), key.WithHelp("r", "refresh")),
	}
}

// writes are the bindings read-only mode hides.
func (k TopicsKeys) writes() []key.Binding {
	return []key.Binding{k.Produce, k.Create, k.Delete, k.Truncate}
}

// ShortHelp returns the bindings shown in the one-line help.
func (v *Topics) ShortHelp() []key.Binding {
	k := v.keys
	if v.form != nil {
		return v.form.keys.short()
	}
	if v.confirm != nil {
		return v.confirm.keys.short()
	}
	return v.enabled(k.Open, k.Table.Filter, k.Create, k.Delete, k.Configs, k.Internal)
}

// FullHelp returns every binding of the view, grouped.
func (v *Topics) FullHelp() [][]key.Binding {
	k := v.keys
	if v.form != nil {
		return [][]key.Binding{v.form.keys.short()}
	}
	if v.confirm != nil {
		return [][]key.Binding{v.confirm.keys.short()}
	}
	return [][]key.Binding{
		k.Table.Nav(),
		append(k.Table.List(), k.Internal, k.Refresh),
		v.enabled(k.Open, k.Configs, k.Tail, k.Groups, k.Flow, k.Schemas, k.Produce, k.Create, k.Delete, k.Truncate),
	}
}

// enabled leaves out the writing bindings in read-only mode.
func (v *Topics) enabled(bs ...key.Binding) []key.Binding {
	if !v.c.ReadOnly {
		return bs
	}
	out := bs[:0:0]
	for _, b := range bs {
		write := false
		for _, w := range v.keys.writes() {
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
