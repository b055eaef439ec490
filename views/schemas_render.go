package views

import (
	"strings"

	"kflow/text"
)

// View renders the summary line and the subjects, or why there are none:
// no registry configured, or the registry's error.
func (v *Schemas) View() string {
	th := v.c.Theme
	var parts []headPart
	var body string
	switch {
	case v.c.Registry == nil:
		parts = append(parts, headPart{th.Title.Render("schemas"), 0})
		body = strings.Join(wrapLines(th.Warn.Render(errNoRegistry.Error()), max(1, v.width)), "\n")
	case !v.loaded && v.err == nil:
		parts = append(parts, headPart{th.Muted.Render("loading subjects…"), 0})
		body = v.table.View()
	case !v.loaded:
		parts = append(parts, headPart{th.Error.Render("could not list subjects") + th.Muted.Render(" (r retries)"), 0})
		body = strings.Join(wrapLines(th.Error.Render(v.err.Error()), max(1, v.width)), "\n")
	default:
		parts = append(parts, headPart{th.Title.Render(text.CountOf(len(v.subs), "subject", "subjects")), 0})
		parts = append(parts, freshPart(v.c, v.err, v.updated))
		body = v.table.View()
	}
	if v.c.ReadOnly {
		parts = append(parts, headPart{th.Warn.Render("read-only"), 0})
	}
	head := headLine(th.Muted.Render(" · "), v.width, parts...)
	out := head + "\n" + body
	if v.confirm != nil {
		return Overlay(out, v.confirm.view(), v.width, v.height)
	}
	return Frame(out, v.width, v.height)
}
