package views

import "charm.land/bubbles/v2/key"

// WordCountKeys are the bindings of the word count panel.
type WordCountKeys struct {
	Type    key.Binding // focus the input line
	Engine  key.Binding // start or stop the in-process engine
	Refresh key.Binding // ask the lag now
	Produce key.Binding // open the produce form on the input topic
	Send    key.Binding // in the input line: send it
	Leave   key.Binding // in the input line: leave it
}

// DefaultWordCountKeys returns the panel's bindings.
func DefaultWordCountKeys() WordCountKeys {
	return WordCountKeys{
		Type:    key.NewBinding(key.WithKeys("i", "enter"), key.WithHelp("i", "type a sentence")),
		Engine:  key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "start/stop engine")),
		Refresh: key.NewBinding(key.WithKeys("r", "ctrl+r"), key.WithHelp("r", "refresh lag")),
		Produce: key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "produce form (repeats, headers)")),
		Send:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "send")),
		Leave:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "done typing")),
	}
}

// ShortHelp returns the one-line help bindings.
func (v *WordCount) ShortHelp() []key.Binding {
	k := v.keys
	if v.typing {
		return []key.Binding{k.Send, k.Leave}
	}
	if v.c.ReadOnly {
		return []key.Binding{k.Refresh}
	}
	return []key.Binding{k.Type, v.engineBinding(), k.Produce, k.Refresh}
}

// FullHelp returns every binding, grouped.
func (v *WordCount) FullHelp() [][]key.Binding {
	k := v.keys
	if v.typing {
		return [][]key.Binding{{k.Send, k.Leave}}
	}
	if v.c.ReadOnly {
		return [][]key.Binding{{k.Refresh}}
	}
	return [][]key.Binding{{k.Type, v.engineBinding(), k.Produce, k.Refresh}, {k.Send, k.Leave}}
}

// engineBinding is the start/stop key, described by what it would do.
func (v *WordCount) engineBinding() key.Binding {
	b := v.keys.Engine
	if v.engine != nil {
		b.SetHelp("s", "stop engine")
	} else {
		b.SetHelp("s", "start engine")
	}
	return b
}
