package views

import (
	"fmt"

	"kflow/text"
)

// View renders the summary line and the table, with the create form or
// the delete confirmation over it.
func (v *Topics) View() string {
	th := v.c.Theme
	var parts []headPart
	switch {
	case !v.loaded && v.err == nil:
		parts = append(parts, headPart{th.Muted.Render("loading topics…"), 0})
	case !v.loaded:
		parts = append(parts, headPart{th.Error.Render("could not list topics") + th.Muted.Render(" (r retries)"), 0})
	default:
		internal, under, underMin, offline := 0, 0, 0, 0
		var records int64
		for _, t := range v.topics {
			if t.Internal {
				internal++
			}
			if t.Internal && !v.showInternal {
				continue
			}
			records += t.Records
			switch {
			case t.Offline > 0:
				offline++
			case t.UnderMinISR > 0:
				underMin++
			case t.UnderReplicated > 0:
				under++
			}
		}
		parts = append(parts, headPart{th.Title.Render(text.CountOf(len(v.topics)-internal, "topic", "topics")), 0})
		// Health first: the table's HEALTH column is among the first to go.
		if offline > 0 {
			parts = append(parts, headPart{th.Error.Render(fmt.Sprintf("%d offline", offline)), 0})
		}
		if underMin > 0 {
			parts = append(parts, headPart{th.Error.Render(fmt.Sprintf("%d under min ISR", underMin)), 0})
		}
		if under > 0 {
			parts = append(parts, headPart{th.Warn.Render(fmt.Sprintf("%d under-replicated", under)), 0})
		}
		if internal > 0 {
			if v.showInternal {
				parts = append(parts, headPart{th.Muted.Render(fmt.Sprintf("%d internal shown", internal)), 2})
			} else {
				parts = append(parts, headPart{th.Muted.Render(fmt.Sprintf("%d internal hidden (i)", internal)), 2})
			}
		}
		parts = append(parts, headPart{th.Muted.Render(recordCount(records)), 3})
		parts = append(parts, freshPart(v.c, v.err, v.updated))
	}
	over := ""
	switch {
	case v.form != nil:
		over = v.form.view()
	case v.confirm != nil:
		over = v.confirm.view()
	}
	return tableScreen(v.c, v.table, v.width, v.height, parts, over)
}
