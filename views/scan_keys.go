package views

import "charm.land/bubbles/v2/key"

// ScanKeys are the bindings of the trace and search screens.
type ScanKeys struct {
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Top      key.Binding
	Bottom   key.Binding
	Open     key.Binding
	Stop     key.Binding // stops a running scan; esc on a finished one goes back
	Close    key.Binding // closes the detail pane
	NextRec  key.Binding // in the detail pane: the next match
	PrevRec  key.Binding // in the detail pane: the previous match
}

// DefaultScanKeys returns the trace and search screens' bindings.
func DefaultScanKeys() ScanKeys {
	return ScanKeys{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+f"), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "first")),
		Bottom:   key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "last")),
		Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "detail")),
		Stop:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "stop / back")),
		Close:    key.NewBinding(key.WithKeys("esc", "enter"), key.WithHelp("esc", "close detail")),
		NextRec:  key.NewBinding(key.WithKeys("n", "]"), key.WithHelp("n/]", "next match")),
		PrevRec:  key.NewBinding(key.WithKeys("N", "["), key.WithHelp("N/[", "previous match")),
	}
}

// ShortHelp returns the one-line help bindings.
func (v *Scan) ShortHelp() []key.Binding {
	k := v.keys
	if v.detail != nil {
		return []key.Binding{k.NextRec, k.PrevRec, k.Close}
	}
	return []key.Binding{k.Open, k.Stop, k.Top, k.Bottom}
}

// FullHelp returns every binding, grouped.
func (v *Scan) FullHelp() [][]key.Binding {
	k := v.keys
	if v.detail != nil {
		return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown}, {k.NextRec, k.PrevRec, k.Close}}
	}
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}, {k.Open, k.Stop}}
}
