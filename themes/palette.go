package themes

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// Palette is the set of semantic colours a theme is made of. A nil colour
// means "the terminal's own" (no escape is written for it).
type Palette struct {
	Text      color.Color // body text
	Muted     color.Color // secondary text, separators, help descriptions
	Primary   color.Color // titles, keys in help, the palette prompt
	Accent    color.Color // sparklines, highlighted numbers
	OK        color.Color // healthy, connected
	Warn      color.Color // under-replicated, stale, read-only
	Error     color.Color // errors, offline, disconnected
	Border    color.Color // frames of overlays and forms
	SelectFg  color.Color // selected row text
	SelectBg  color.Color // selected row background
	Match     color.Color // filter matches
	StatusFg  color.Color // status bar text
	StatusBg  color.Color // status bar background
	HeaderFg  color.Color // table header text
	OverlayBg color.Color // background of overlays (help, palette); nil for none
}

// Names of the built-in themes.
const (
	Dark         = "dark"
	Light        = "light"
	HighContrast = "high-contrast"
	// NoColorName is the theme used when NO_COLOR is set: attributes only.
	NoColorName = "no-color"
)

// BuiltinNames lists the built-in theme names in the order they are offered.
func BuiltinNames() []string { return []string{Dark, Light, HighContrast} }

func c(s string) color.Color { return lipgloss.Color(s) }

// DarkPalette is the default theme's palette, for dark terminals.
func DarkPalette() Palette {
	return Palette{
		Text:     c("#D0D0D0"),
		Muted:    c("#7A7A85"),
		Primary:  c("#8FA8FF"),
		Accent:   c("#5FD7AF"),
		OK:       c("#5FD75F"),
		Warn:     c("#FFAF5F"),
		Error:    c("#FF5F5F"),
		Border:   c("#5F5F87"),
		SelectFg: c("#FFFFFF"),
		SelectBg: c("#3A3A5C"),
		Match:    c("#FFD75F"),
		StatusFg: c("#D0D0D0"),
		StatusBg: c("#26263A"),
		HeaderFg: c("#AFAFD7"),
	}
}

// LightPalette is for light terminals.
func LightPalette() Palette {
	return Palette{
		Text:     c("#262626"),
		Muted:    c("#6C6C6C"),
		Primary:  c("#1F4FBF"),
		Accent:   c("#00875F"),
		OK:       c("#008700"),
		Warn:     c("#AF5F00"),
		Error:    c("#C00000"),
		Border:   c("#8787AF"),
		SelectFg: c("#000000"),
		SelectBg: c("#D7D7FF"),
		Match:    c("#AF0087"),
		StatusFg: c("#262626"),
		StatusBg: c("#E4E4EE"),
		HeaderFg: c("#3A3A7A"),
	}
}

// HighContrastPalette uses the 16 basic ANSI colours at full strength,
// which every terminal maps to something legible.
func HighContrastPalette() Palette {
	return Palette{
		Text:     c("15"),
		Muted:    c("7"),
		Primary:  c("14"),
		Accent:   c("11"),
		OK:       c("10"),
		Warn:     c("11"),
		Error:    c("9"),
		Border:   c("15"),
		SelectFg: c("0"),
		SelectBg: c("11"),
		Match:    c("13"),
		StatusFg: c("0"),
		StatusBg: c("15"),
		HeaderFg: c("15"),
	}
}

// NoColorPalette has no colours at all; the theme built from it marks
// selection, matches and headers with reverse, underline and bold.
func NoColorPalette() Palette { return Palette{} }

// Builtin returns the palette of a built-in theme.
func Builtin(name string) (Palette, bool) {
	switch name {
	case Dark, "", "default":
		return DarkPalette(), true
	case Light:
		return LightPalette(), true
	case HighContrast, "highcontrast", "contrast":
		return HighContrastPalette(), true
	case NoColorName:
		return NoColorPalette(), true
	}
	return Palette{}, false
}
