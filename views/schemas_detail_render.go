package views

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"kflow/text"
)

// View renders the subject's summary, its versions with the selected one
// marked, the version's id and type, and its schema.
func (v *SchemaSubject) View() string {
	th := v.c.Theme
	sep := th.Muted.Render(" · ")
	level := v.level
	if level == v.sub.Compatibility && v.sub.CompatibilityFrom == "global" {
		level += " (global)"
	}
	parts := []headPart{
		{th.Title.Render(text.SanitizeString(v.sub.Name)), 0},
		{th.Text.Render(string(v.sub.Type)), 0},
		{th.Text.Render("compatibility " + level), 0},
		{th.Muted.Render(text.CountOf(max(len(v.versions), v.sub.Versions), "version", "versions")), 2},
	}
	switch {
	case !v.loaded && v.err == nil:
		parts = append(parts, headPart{th.Muted.Render("loading…"), 0})
	case v.c.Stale(v.err) && v.loaded:
		parts = append(parts, headPart{th.Warn.Render("STALE") + th.Muted.Render(" since "+v.updated.Format("15:04:05")), 0})
	case v.loaded:
		parts = append(parts, headPart{th.Muted.Render("updated " + v.updated.Format("15:04:05")), 1})
	}
	if v.c.ReadOnly {
		parts = append(parts, headPart{th.Warn.Render("read-only"), 0})
	}
	lines := []string{headLine(sep, v.width, parts...), v.versionStrip()}

	n := v.Selected()
	sv, cached := v.cache[n]
	switch {
	case !v.loaded && v.err != nil:
		lines = append(lines, "", "")
		lines = append(lines, wrapLines(th.Error.Render(v.err.Error()), max(1, v.width))...)
		return v.frame(lines)
	case v.verErr != nil:
		lines = append(lines, th.Error.Render(fmt.Sprintf("could not read version %d", n))+th.Muted.Render(" (r retries)"), "")
		lines = append(lines, wrapLines(th.Error.Render(v.verErr.Error()), max(1, v.width))...)
		return v.frame(lines)
	case !cached:
		if n > 0 {
			lines = append(lines, th.Muted.Render(fmt.Sprintf("loading version %d…", n)))
		}
		return v.frame(lines)
	}
	info := []string{th.Accent.Render(fmt.Sprintf("version %d", sv.Version)), th.Text.Render(fmt.Sprintf("id %d", sv.ID)), th.Text.Render(string(sv.Type))}
	if len(sv.References) > 0 {
		info = append(info, th.Muted.Render(text.CountOf(len(sv.References), "reference", "references")))
	}
	switch {
	case v.deleted[n]:
		info = append(info, th.Warn.Render("deleted (soft)"))
	case n == v.latest:
		info = append(info, th.Muted.Render("latest"))
	}
	lines = append(lines, clipWithEllipsis(strings.Join(info, sep), v.width), v.rule())
	v.build()
	bh := v.bodyHeight()
	for i := v.offset; i < len(v.lines) && i < v.offset+bh; i++ {
		lines = append(lines, v.lines[i])
	}
	return v.frame(lines)
}

func (v *SchemaSubject) frame(lines []string) string {
	out := strings.Join(lines, "\n")
	if v.confirm != nil {
		return Overlay(out, v.confirm.view(), v.width, v.height)
	}
	return Frame(out, v.width, v.height)
}

// rule is the line between the version's summary and its schema; it says
// where in the schema the view is when it does not fit.
func (v *SchemaSubject) rule() string {
	th := v.c.Theme
	label := ""
	if bh := v.bodyHeight(); len(v.lines) > bh && bh > 0 {
		label = fmt.Sprintf(" lines %d–%d of %d ", v.offset+1, min(len(v.lines), v.offset+bh), len(v.lines))
	}
	w := max(0, v.width-ansi.StringWidth(label))
	return th.Muted.Render(clipWithEllipsis(strings.Repeat("─", min(w, 2))+label+strings.Repeat("─", max(0, w-2)), v.width))
}

// versionStrip lists the versions, the selected one marked, as many as
// fit around it; "…" says more are off either side.
func (v *SchemaSubject) versionStrip() string {
	th := v.c.Theme
	label := th.Muted.Render("versions ")
	if len(v.versions) == 0 {
		return label + th.Muted.Render(text.Dash)
	}
	cell := func(i int) string { return fmt.Sprintf(" %d ", v.versions[i]) }
	room := v.width - ansi.StringWidth("versions ") - 2 // an ellipsis each side
	lo, hi := v.sel, v.sel+1
	used := len(cell(v.sel))
	for grew := true; grew; {
		grew = false
		if hi < len(v.versions) && used+len(cell(hi)) <= room {
			used += len(cell(hi))
			hi++
			grew = true
		}
		if lo > 0 && used+len(cell(lo-1)) <= room {
			lo--
			used += len(cell(lo))
			grew = true
		}
	}
	var b strings.Builder
	b.WriteString(label)
	if lo > 0 {
		b.WriteString(th.Muted.Render("…"))
	}
	for i := lo; i < hi; i++ {
		switch {
		case i == v.sel:
			b.WriteString(th.Selected.Render(cell(i)))
		case v.deleted[v.versions[i]]:
			b.WriteString(th.Muted.Render(cell(i)))
		default:
			b.WriteString(th.Text.Render(cell(i)))
		}
	}
	if hi < len(v.versions) {
		b.WriteString(th.Muted.Render("…"))
	}
	return clipWithEllipsis(b.String(), v.width)
}
