package views

import "charm.land/bubbles/v2/key"

// ProduceKeys are the bindings of the produce form.
type ProduceKeys struct {
	Send         key.Binding
	Next         key.Binding
	Prev         key.Binding
	Templates    key.Binding
	Schema       key.Binding
	JSON         key.Binding
	AddHeader    key.Binding
	RemoveHeader key.Binding
	Cancel       key.Binding
	Close        key.Binding
	Pick         key.Binding
	Up           key.Binding
	Down         key.Binding
}

// DefaultProduceKeys returns the produce form's bindings. Ctrl+j would be
// the natural JSON toggle, but most terminals send it as enter.
func DefaultProduceKeys() ProduceKeys {
	return ProduceKeys{
		Send:         key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "send")),
		Next:         key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next")),
		Prev:         key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous field")),
		Templates:    key.NewBinding(key.WithKeys("ctrl+t"), key.WithHelp("ctrl+t", "templates")),
		Schema:       schemaKey(),
		JSON:         key.NewBinding(key.WithKeys("alt+j", "ctrl+j"), key.WithHelp("alt+j", "JSON")),
		AddHeader:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter on a header", "add header")),
		RemoveHeader: key.NewBinding(key.WithKeys("ctrl+x"), key.WithHelp("ctrl+x", "remove header")),
		Cancel:       key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel run")),
		Close:        key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close")),
		Pick:         key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "use")),
		Up:           key.NewBinding(key.WithKeys("up", "ctrl+p", "k"), key.WithHelp("↑/↓", "choose")),
		Down:         key.NewBinding(key.WithKeys("down", "ctrl+n", "j")),
	}
}

// ShortHelp returns the bindings of the one-line help.
func (v *Produce) ShortHelp() []key.Binding {
	k := v.keys
	switch {
	case v.run != nil:
		return []key.Binding{k.Cancel}
	case v.picker != nil, v.spick != nil:
		return []key.Binding{k.Up, k.Pick, k.Close}
	case v.c.Registry != nil:
		return []key.Binding{k.Send, k.Next, k.Templates, k.Schema, k.JSON, k.Close}
	}
	return []key.Binding{k.Send, k.Next, k.Templates, k.JSON, k.Close}
}

// FullHelp returns every binding of the form.
func (v *Produce) FullHelp() [][]key.Binding {
	k := v.keys
	return [][]key.Binding{
		{k.Send, k.Next, k.Prev, k.Close},
		{k.Templates, k.Schema, k.JSON, k.AddHeader, k.RemoveHeader},
		{k.Cancel},
	}
}
