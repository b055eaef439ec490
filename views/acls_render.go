package views

import (
	"fmt"

	"kflow/text"
)

// View renders the summary line and the table, with the create form or
// the delete preview over it.
func (v *ACLs) View() string {
	return v.screen("listing ACLs", func() []headPart {
		th := v.c.Theme
		principals, deny := map[string]bool{}, 0
		for _, a := range v.items {
			principals[a.Principal] = true
			if a.Permission == "Deny" {
				deny++
			}
		}
		parts := []headPart{{th.Title.Render(text.CountOf(len(v.items), "ACL", "ACLs")), 0},
			{th.Muted.Render(text.CountOf(len(principals), "principal", "principals")), 2}}
		if deny > 0 {
			parts = append(parts, headPart{th.Warn.Render(fmt.Sprintf("%d deny", deny)), 1})
		}
		return parts
	})
}
