package views

import (
	"fmt"

	"kflow/text"
)

// View renders the summary line and the table, with the password form
// or the delete confirmation over it.
func (v *Users) View() string {
	th := v.c.Theme
	var parts []headPart
	switch {
	case !v.loaded && v.err == nil:
		parts = append(parts, headPart{th.Muted.Render("describing SCRAM users…"), 0})
	case !v.loaded:
		parts = append(parts, headPart{th.Error.Render("could not describe SCRAM users") + th.Muted.Render(" (r retries)"), 0})
	default:
		n256, n512 := 0, 0
		for _, u := range v.items {
			for _, cr := range u.Credentials {
				switch cr.Mechanism {
				case "SCRAM-SHA-256":
					n256++
				case "SCRAM-SHA-512":
					n512++
				}
			}
		}
		parts = append(parts, headPart{th.Title.Render(text.CountOf(len(v.items), "SCRAM user", "SCRAM users")), 0},
			headPart{th.Muted.Render(fmt.Sprintf("%d SHA-256 · %d SHA-512", n256, n512)), 2})
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
