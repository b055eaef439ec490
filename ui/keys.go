package ui

import "charm.land/bubbles/v2/key"

// KeyMap holds the shell's own bindings, the ones that work in every view.
type KeyMap struct {
	Quit    key.Binding // ctrl+c, from anywhere
	QuitTop key.Binding // q, from the top view (goes back elsewhere)
	Back    key.Binding
	Help    key.Binding
	Palette key.Binding
}

// DefaultKeyMap returns the shell's bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Quit:    key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		QuitTop: key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit (back in inner views)")),
		Back:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Help:    key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Palette: key.NewBinding(key.WithKeys(":"), key.WithHelp(":", "command")),
	}
}

// ShortHelp returns the shell bindings for the one-line help.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Help, k.Palette, k.Back, k.QuitTop}
}

// FullHelp returns the shell bindings for the help overlay.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Palette, k.Help}, {k.Back, k.QuitTop}, {k.Quit}}
}
