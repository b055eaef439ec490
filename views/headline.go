package views

import (
	"strings"

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
