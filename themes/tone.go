package themes

import "charm.land/lipgloss/v2"

// Tone is the meaning of a piece of text (a table cell, a tail column):
// views say what a value means and the theme alone says how it looks.
type Tone int

// Tones.
const (
	Normal Tone = iota
	Muted
	Good
	Warning
	Bad
	Accent
)

// Style is the style of a tone. It is the one mapping from meaning to
// style: the table and the tail had a copy each, and the tail's had no
// Good case.
func (t *Theme) Style(tone Tone) lipgloss.Style {
	switch tone {
	case Muted:
		return t.Muted
	case Good:
		return t.OK
	case Warning:
		return t.Warn
	case Bad:
		return t.Error
	case Accent:
		return t.Accent
	}
	return t.Cell
}
