package viewstest

import tea "charm.land/bubbletea/v2"

// named are the keys a test presses by name.
var named = map[string]tea.KeyPressMsg{
	"enter":     {Code: tea.KeyEnter},
	"esc":       {Code: tea.KeyEscape},
	"tab":       {Code: tea.KeyTab},
	"shift+tab": {Code: tea.KeyTab, Mod: tea.ModShift},
	"up":        {Code: tea.KeyUp},
	"home":      {Code: tea.KeyHome},
	"down":      {Code: tea.KeyDown},
	"left":      {Code: tea.KeyLeft},
	"right":     {Code: tea.KeyRight},
	"backspace": {Code: tea.KeyBackspace},
	"space":     {Code: tea.KeySpace, Text: " "},
	"ctrl+c":    {Code: 'c', Mod: tea.ModCtrl},
	"ctrl+s":    {Code: 's', Mod: tea.ModCtrl},
	"ctrl+o":    {Code: 'o', Mod: tea.ModCtrl},
	"ctrl+t":    {Code: 't', Mod: tea.ModCtrl},
	"ctrl+u":    {Code: 'u', Mod: tea.ModCtrl},
	"ctrl+x":    {Code: 'x', Mod: tea.ModCtrl},
	"alt+j":     {Code: 'j', Mod: tea.ModAlt},
}

// NamedKey is the key press a name such as "enter", "shift+tab" or
// "ctrl+s" stands for; ok is false for any other string.
func NamedKey(name string) (k tea.KeyPressMsg, ok bool) {
	k, ok = named[name]
	return k, ok
}

// Key turns a key name ("enter", "esc", "ctrl+c", see NamedKey) or a
// single character ("x") into a key press, so tests say which key they
// press rather than how Bubble Tea spells it.
func Key(s string) tea.KeyPressMsg {
	if k, ok := named[s]; ok {
		return k
	}
	return tea.KeyPressMsg{Code: []rune(s)[0], Text: s}
}

// Typed is the key presses that type text, one per rune ("\n" presses
// enter, "\t" tab).
func Typed(text string) []tea.KeyPressMsg {
	out := make([]tea.KeyPressMsg, 0, len(text))
	for _, r := range text {
		switch r {
		case '\n':
			out = append(out, named["enter"])
		case '\t':
			out = append(out, named["tab"])
		default:
			out = append(out, tea.KeyPressMsg{Code: r, Text: string(r)})
		}
	}
	return out
}
