package views

import "charm.land/bubbles/v2/key"

// TailKeys are the bindings of the tail view.
type TailKeys struct {
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Top      key.Binding
	Bottom   key.Binding
	Pause    key.Binding
	Open     key.Binding
	Filter   key.Binding
	Clear    key.Binding
	Save     key.Binding
	Copy     key.Binding
	CopyKey  key.Binding
	CopyVal  key.Binding
	CopyHdrs key.Binding
	Restart  key.Binding
	Close    key.Binding // closes the detail pane
	NextRec  key.Binding // in the detail pane: the next record shown
	PrevRec  key.Binding // in the detail pane: the previous record shown
	Raw      key.Binding // in the detail pane: a decoded key or value as its bytes
	Redrive  key.Binding // in a dead-letter topic: its reasons and the redrive
	Search   key.Binding // the filter over the whole topic, not only the buffer
	Trace    key.Binding // in the detail pane: trace the record's correlation id
}

// DefaultTailKeys returns the tail view's bindings.
func DefaultTailKeys() TailKeys {
	return TailKeys{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+f"), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "oldest")),
		Bottom:   key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "newest, follow")),
		Pause:    key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "pause")),
		Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "detail")),
		Filter:   key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Clear:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
		Save:     key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "save jsonl")),
		Copy:     key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy record")),
		CopyKey:  key.NewBinding(key.WithKeys("K"), key.WithHelp("K", "copy key")),
		CopyVal:  key.NewBinding(key.WithKeys("V"), key.WithHelp("V", "copy value")),
		CopyHdrs: key.NewBinding(key.WithKeys("H"), key.WithHelp("H", "copy headers")),
		Restart:  key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "start from…")),
		Close:    key.NewBinding(key.WithKeys("esc", "enter"), key.WithHelp("esc", "close detail")),
		NextRec:  key.NewBinding(key.WithKeys("n", "]"), key.WithHelp("n/]", "next record")),
		PrevRec:  key.NewBinding(key.WithKeys("N", "["), key.WithHelp("N/[", "previous record")),
		Raw:      key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "decoded/raw bytes")),
		Redrive:  key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "reasons, redrive")),
		Search:   key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "search whole topic")),
		Trace:    key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "trace correlation id")),
	}
}

// ShortHelp returns the one-line help bindings.
func (v *Tail) ShortHelp() []key.Binding {
	k := v.keys
	switch {
	case v.picker != nil:
		return v.picker.keys()
	case v.input != nil:
		return []key.Binding{
			key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep filter")),
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "undo")),
		}
	case v.save != nil:
		return []key.Binding{
			key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "save")),
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		}
	case v.detail != nil:
		if d := v.detail; d.key.wire || d.val.wire || d.keyFmt.Named() || d.valFmt.Named() {
			return []key.Binding{k.NextRec, k.PrevRec, k.Raw, k.Copy, k.CopyVal, k.Close}
		}
		return []key.Binding{k.NextRec, k.PrevRec, k.Copy, k.CopyVal, k.Close}
	}
	return []key.Binding{k.Pause, k.Open, k.Filter, k.Save, k.Copy, k.Bottom}
}

// FullHelp returns every binding, grouped.
func (v *Tail) FullHelp() [][]key.Binding {
	k := v.keys
	if v.Capturing() {
		return [][]key.Binding{v.ShortHelp()}
	}
	if v.detail != nil {
		// The pane's own keys: they scroll the record, not the list.
		scroll := func(b key.Binding, help string) key.Binding {
			return key.NewBinding(key.WithKeys(b.Keys()...), key.WithHelp(b.Help().Key, help))
		}
		return [][]key.Binding{
			{scroll(k.Up, "scroll up"), scroll(k.Down, "scroll down"), scroll(k.PageUp, "page up"), scroll(k.PageDown, "page down"),
				scroll(k.Top, "first line"), scroll(k.Bottom, "last line")},
			{k.NextRec, k.PrevRec, k.Raw, k.Trace, k.Close},
			{k.Copy, k.CopyKey, k.CopyVal, k.CopyHdrs},
		}
	}
	all := [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Pause, k.Open, k.Filter, k.Clear, k.Search, k.Restart},
		{k.Save, k.Copy, k.CopyKey, k.CopyVal, k.CopyHdrs},
	}
	if v.isDLQ() {
		all = append(all, []key.Binding{k.Redrive})
	}
	return all
}
