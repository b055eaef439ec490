package views

import (
	"fmt"

	"kflow/text"
)

// View renders the summary line and the table, with the password form
// or the delete confirmation over it.
func (v *Users) View() string {
	return v.screen("describing SCRAM users", func() []headPart {
		th := v.c.Theme
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
		return []headPart{{th.Title.Render(text.CountOf(len(v.items), "SCRAM user", "SCRAM users")), 0},
			{th.Muted.Render(fmt.Sprintf("%d SHA-256 · %d SHA-512", n256, n512)), 2}}
	})
}
