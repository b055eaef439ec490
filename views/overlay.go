package views

import (
	"strings"

	"charm.land/lipgloss/v2"
)

// Overlay draws box centred over base, which is w by h cells; base shows
// around it. The result is exactly h lines no wider than w.
func Overlay(base, box string, w, h int) string {
	// The compositor sizes its canvas from the layers: pad the base to the
	// full area so the box is never cut at the base's last text.
	lines := strings.Split(Frame(base, w, h), "\n")
	for i, l := range lines {
		if lw := lipgloss.Width(l); lw < w {
			lines[i] = l + strings.Repeat(" ", w-lw)
		}
	}
	base = strings.Join(lines, "\n")
	bw, bh := lipgloss.Width(box), lipgloss.Height(box)
	x := max(0, (w-bw)/2)
	y := max(0, (h-bh)/3)
	out := lipgloss.NewCompositor(
		lipgloss.NewLayer(base),
		lipgloss.NewLayer(box).X(x).Y(y).Z(1),
	).Render()
	return Frame(out, w, h)
}

// Frame pads or cuts s to exactly h lines, each cut to w cells.
func Frame(s string, w, h int) string {
	if h <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		lines[i] = clip(l, w)
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}
