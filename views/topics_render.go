package views

import (
	"fmt"
	"strings"
)

// View renders the summary line and the table, with the create form or
// the delete confirmation over it.
func (v *Topics) View() string {
	th := v.c.Theme
	var parts []string
	internal := 0
	for _, t := range v.topics {
		if t.Internal {
			internal++
		}
	}
	switch {
	case !v.loaded && v.err == nil:
		parts = append(parts, th.Muted.Render("loading topics…"))
	case !v.loaded:
		parts = append(parts, th.Error.Render("could not list topics")+th.Muted.Render(" (r retries)"))
	default:
		parts = append(parts, th.Title.Render(fmt.Sprintf("%d topics", len(v.topics)-internal)))
		if internal > 0 {
			if v.showInternal {
				parts = append(parts, th.Muted.Render(fmt.Sprintf("%d internal shown", internal)))
			} else {
				parts = append(parts, th.Muted.Render(fmt.Sprintf("%d internal hidden (i)", internal)))
			}
		}
		var records int64
		for _, t := range v.topics {
			if !t.Internal || v.showInternal {
				records += t.Records
			}
		}
		parts = append(parts, th.Muted.Render(Count(records)+" records"))
		if v.c.Stale(v.err) {
			parts = append(parts, th.Warn.Render("STALE")+th.Muted.Render(" since "+v.updated.Format("15:04:05")))
		} else {
			parts = append(parts, th.Muted.Render("updated "+v.updated.Format("15:04:05")))
		}
	}
	if v.c.ReadOnly {
		parts = append(parts, th.Warn.Render("read-only"))
	}
	head := clip(strings.Join(parts, th.Muted.Render(" · ")), v.width)
	body := head + "\n" + v.table.View()
	switch {
	case v.form != nil:
		return Overlay(body, v.form.view(), v.width, v.height)
	case v.confirm != nil:
		return Overlay(body, v.confirm.view(), v.width, v.height)
	}
	return Frame(body, v.width, v.height)
}
