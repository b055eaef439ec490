package views

import (
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"kflow/text"
)

// headPart is one part of a view's summary line, already styled. Drop
// says which parts give way when the line is too long, as for table
// columns: higher first, 0 stays (counts, health, STALE).
type headPart struct {
	text string
	drop int
}

// headLine joins the parts with sep in w cells: while the line is too
// wide, the part with the highest drop goes; what still does not fit is
// cut with an ellipsis.
func headLine(sep string, w int, parts ...headPart) string {
	for {
		texts := make([]string, 0, len(parts))
		worst, at := 0, -1
		for i, p := range parts {
			texts = append(texts, p.text)
			if p.drop > worst {
				worst, at = p.drop, i
			}
		}
		line := strings.Join(texts, sep)
		if lipgloss.Width(line) <= w || at < 0 {
			return clipWithEllipsis(line, w)
		}
		parts = append(parts[:at:at], parts[at+1:]...)
	}
}

// recordCount is n records, in the singular for one.
func recordCount(n int64) string {
	if n == 1 {
		return "1 record"
	}
	return text.Count(n) + " records"
}

// freshPart says how fresh the data under a summary line is: when it was
// updated, or STALE since then once loads fail (Common.Stale).
func freshPart(c *Common, err error, updated time.Time) headPart {
	th := c.Theme
	if c.Stale(err) {
		return headPart{th.Warn.Render("STALE") + th.Muted.Render(" since "+updated.Format("15:04:05")), 0}
	}
	return headPart{th.Muted.Render("updated " + updated.Format("15:04:05")), 1}
}

// tableScreen is the screen of a view that is one table under a summary
// line: the parts (read-only added under --read-only) above the table,
// and over, the open form or confirmation, drawn over both ("" for none).
func tableScreen(c *Common, t *Table, w, h int, parts []headPart, over string) string {
	th := c.Theme
	if c.ReadOnly {
		parts = append(parts, headPart{th.Warn.Render("read-only"), 0})
	}
	body := headLine(th.Muted.Render(" · "), w, parts...) + "\n" + t.View()
	if over != "" {
		return Overlay(body, over, w, h)
	}
	return Frame(body, w, h)
}
