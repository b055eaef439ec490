package themes

import (
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"
)

// Theme holds every style kflow draws with. Build it with New; views read
// it and never make styles of their own.
type Theme struct {
	// Name is the theme's name as --theme and :theme take it.
	Name string
	// Palette is what the styles were built from.
	Palette Palette
	// NoColor is true for the attribute-only theme used under NO_COLOR.
	NoColor bool

	Text    lipgloss.Style // body text
	Muted   lipgloss.Style // secondary text
	Title   lipgloss.Style // view titles
	Accent  lipgloss.Style // highlighted values, sparklines
	OK      lipgloss.Style // healthy state
	Warn    lipgloss.Style // degraded state: under-replicated, stale
	Error   lipgloss.Style // failed state: offline, errors
	Key     lipgloss.Style // a key name in prose ("press r to retry")
	Spinner lipgloss.Style // the spinner shown while a call is in flight

	Header    lipgloss.Style // table header row
	SortMark  lipgloss.Style // the arrow on the sorted column
	Cell      lipgloss.Style // table cells
	Selected  lipgloss.Style // the selected table row
	Match     lipgloss.Style // filter matches inside cells
	Sparkline lipgloss.Style // rate sparklines

	StatusBar   lipgloss.Style // the status bar line
	StatusLabel lipgloss.Style // labels in the status bar
	StatusValue lipgloss.Style // values in the status bar
	StatusOK    lipgloss.Style // "connected"
	StatusWarn  lipgloss.Style // "stale", "read-only"
	StatusError lipgloss.Style // "disconnected"

	Overlay      lipgloss.Style // frame of help, palette, forms, dialogs
	OverlayTitle lipgloss.Style // title inside an overlay
	Label        lipgloss.Style // form field labels
	FocusedLabel lipgloss.Style // the focused form field's label
	Prompt       lipgloss.Style // text input prompts (":", "/")
	Suggestion   lipgloss.Style // palette completions not selected
	Chosen       lipgloss.Style // the palette completion selected

	MessageInfo  lipgloss.Style // the message line, informational
	MessageError lipgloss.Style // the message line, for errors
}

func fg(s lipgloss.Style, col color.Color) lipgloss.Style {
	if col == nil {
		return s
	}
	return s.Foreground(col)
}

func bg(s lipgloss.Style, col color.Color) lipgloss.Style {
	if col == nil {
		return s
	}
	return s.Background(col)
}

// New builds a theme's styles from a palette. With noColor set the
// palette's colours are ignored and emphasis is carried by attributes
// (bold, underline, reverse) alone, so nothing writes a colour escape.
func New(name string, p Palette, noColor bool) *Theme {
	if noColor {
		p = NoColorPalette()
	}
	s := lipgloss.NewStyle
	t := &Theme{Name: name, Palette: p, NoColor: noColor}
	t.Text = fg(s(), p.Text)
	t.Muted = fg(s(), p.Muted)
	t.Title = fg(s().Bold(true), p.Primary)
	t.Accent = fg(s(), p.Accent)
	t.OK = fg(s(), p.OK)
	t.Warn = fg(s().Bold(noColor), p.Warn)
	t.Error = fg(s().Bold(true), p.Error)
	t.Key = fg(s().Bold(true), p.Primary)
	t.Spinner = fg(s(), p.Accent)

	t.Header = fg(s().Bold(true), p.HeaderFg)
	if noColor {
		t.Header = t.Header.Underline(true)
	}
	t.SortMark = fg(s().Bold(true), p.Accent)
	t.Cell = fg(s(), p.Text)
	t.Selected = bg(fg(s().Bold(true), p.SelectFg), p.SelectBg)
	if noColor || p.SelectBg == nil {
		t.Selected = t.Selected.Reverse(true)
	}
	t.Match = fg(s().Bold(true).Underline(true), p.Match)
	t.Sparkline = fg(s(), p.Accent)

	t.StatusBar = bg(fg(s(), p.StatusFg), p.StatusBg)
	if noColor {
		t.StatusBar = t.StatusBar.Reverse(true)
	}
	t.StatusLabel = bg(fg(s(), p.Muted), p.StatusBg)
	t.StatusValue = bg(fg(s().Bold(true), p.StatusFg), p.StatusBg)
	t.StatusOK = bg(fg(s().Bold(true), p.OK), p.StatusBg)
	t.StatusWarn = bg(fg(s().Bold(true), p.Warn), p.StatusBg)
	t.StatusError = bg(fg(s().Bold(true), p.Error), p.StatusBg)
	if noColor {
		for _, st := range []*lipgloss.Style{&t.StatusLabel, &t.StatusValue, &t.StatusOK, &t.StatusWarn, &t.StatusError} {
			*st = st.Reverse(true)
		}
	}

	t.Overlay = bg(s().Border(lipgloss.RoundedBorder()).BorderForeground(orDefault(p.Border)).Padding(0, 1), p.OverlayBg)
	if p.Border == nil {
		t.Overlay = bg(s().Border(lipgloss.RoundedBorder()).Padding(0, 1), p.OverlayBg)
	}
	t.OverlayTitle = fg(s().Bold(true), p.Primary)
	t.Label = fg(s(), p.Muted)
	t.FocusedLabel = fg(s().Bold(true), p.Primary)
	t.Prompt = fg(s().Bold(true), p.Primary)
	t.Suggestion = fg(s(), p.Muted)
	t.Chosen = t.Selected

	t.MessageInfo = fg(s(), p.Muted)
	t.MessageError = fg(s().Bold(true), p.Error)
	return t
}

func orDefault(col color.Color) color.Color {
	if col == nil {
		return lipgloss.NoColor{}
	}
	return col
}

// Help returns styles for the bubbles help model in this theme.
func (t *Theme) Help() help.Styles {
	return help.Styles{
		Ellipsis:       t.Muted,
		ShortKey:       t.Key,
		ShortDesc:      t.Muted,
		ShortSeparator: t.Muted,
		FullKey:        t.Key,
		FullDesc:       t.Text,
		FullSeparator:  t.Muted,
	}
}

// Input returns styles for bubbles text inputs in this theme. The cursor
// does not blink: a blinking cursor redraws the screen twice a second for
// nothing and makes rendered screens differ from one moment to the next.
func (t *Theme) Input() textinput.Styles {
	st := textinput.DefaultStyles(!t.isLight())
	st.Focused.Prompt = t.Prompt
	st.Blurred.Prompt = t.Muted
	st.Focused.Text = t.Text
	st.Blurred.Text = t.Muted
	st.Focused.Placeholder = t.Muted
	st.Blurred.Placeholder = t.Muted
	st.Focused.Suggestion = t.Suggestion
	st.Blurred.Suggestion = t.Suggestion
	st.Cursor.Blink = false
	st.Cursor.Color = t.Palette.Primary
	if t.NoColor {
		st = textinput.Styles{}
		st.Focused.Prompt = lipgloss.NewStyle().Bold(true)
		st.Cursor.Blink = false
	}
	return st
}

func (t *Theme) isLight() bool { return t.Name == Light }
