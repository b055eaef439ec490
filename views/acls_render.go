package views

import (
	"fmt"

	"kflow/text"
)

// View renders the summary line and the table, with the create form or
// the delete preview over it.
func (v *ACLs) View() string {
	th := v.c.Theme
	var parts []headPart
	switch {
	case !v.loaded && v.err == nil:
		parts = append(parts, headPart{th.Muted.Render("listing ACLs…"), 0})
	case !v.loaded:
		parts = append(parts, headPart{th.Error.Render("could not list ACLs") + th.Muted.Render(" (r retries)"), 0})
	default:
		principals, deny := map[string]bool{}, 0
		for _, a := range v.items {
			principals[a.Principal] = true
			if a.Permission == "Deny" {
				deny++
			}
		}
		parts = append(parts, headPart{th.Title.Render(text.CountOf(len(v.items), "ACL", "ACLs")), 0},
			headPart{th.Muted.Render(text.CountOf(len(principals), "principal", "principals")), 2})
		if deny > 0 {
			parts = append(parts, headPart{th.Warn.Render(fmt.Sprintf("%d deny", deny)), 1})
		}
		if v.c.Stale(v.err) {
			parts = append(parts, headPart{th.Warn.Render("STALE") + th.Muted.Render(" since "+v.updated.Format("15:04:05")), 0})
		} else {
			parts = append(parts, headPart{th.Muted.Render("updated " + v.updated.Format("15:04:05")), 1})
		}
	}
	if v.c.ReadOnly {
		parts = append(parts, headPart{th.Warn.Render("read-only"), 0})
	}
	head := headLine(th.Muted.Render(" · "), v.width, parts...)
	body := head + "\n" + v.table.View()
	switch {
	case v.form != nil:
		return Overlay(body, v.form.view(), v.width, v.height)
	case v.del != nil:
		return Overlay(body, v.del.view(), v.width, v.height)
	}
	return Frame(body, v.width, v.height)
}
