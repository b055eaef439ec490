package views

import "charm.land/bubbles/v2/key"

// FlowKeys are the bindings of the flow map.
type FlowKeys struct {
	Up, Down, Left, Right key.Binding
	Open                  key.Binding
	Filter                key.Binding
	Accept                key.Binding
	Cancel                key.Binding
	Internal              key.Binding
	Collapse              key.Binding
	Refresh               key.Binding
}

// DefaultFlowKeys returns the flow map's bindings.
func DefaultFlowKeys() FlowKeys {
	return FlowKeys{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "node above")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "node below")),
		Left:     key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "layer left")),
		Right:    key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "layer right")),
		Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open (tail, group, expand)")),
		Filter:   key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter nodes")),
		Accept:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep filter")),
		Cancel:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
		Internal: key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "show internal topics")),
		Collapse: key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "collapse all")),
		Refresh:  key.NewBinding(key.WithKeys("r", "ctrl+r"), key.WithHelp("r", "refresh")),
	}
}

// ShortHelp returns the bindings shown in the one-line help.
func (v *Flow) ShortHelp() []key.Binding {
	k := v.keys
	if v.typing {
		return []key.Binding{k.Accept, k.Cancel}
	}
	return []key.Binding{k.Open, k.Filter, k.Internal, k.Left, k.Right}
}

// FullHelp returns every binding of the view, grouped.
func (v *Flow) FullHelp() [][]key.Binding {
	k := v.keys
	if v.typing {
		return [][]key.Binding{{k.Accept, k.Cancel}}
	}
	return [][]key.Binding{
		{k.Up, k.Down, k.Left, k.Right},
		{k.Open, k.Filter, k.Internal, k.Collapse, k.Refresh},
	}
}
