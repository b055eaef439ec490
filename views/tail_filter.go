package views

import (
	"strings"

	"kflow/filter"
)

// TailFilter decides which records the tail view shows: the filter
// leaf's Filter (see filter.Parse for the syntax).
type TailFilter = filter.Filter

// ParseTailFilter reads a filter as the tail view's input takes it; ""
// is no filter (nil). A bad regexp or jq expression is an error saying
// where it is wrong.
func ParseTailFilter(src string) (*TailFilter, error) { return filter.Parse(src) }

// renderer is a style as far as drawing text goes.
type renderer interface{ Render(...string) string }

// markMatches draws s in base with the filter's matches in mark (the
// theme's Match style), when on.
func markMatches(f *TailFilter, on bool, s string, base, mark renderer) string {
	if !on {
		return base.Render(s)
	}
	sp := f.Spans(s)
	if len(sp) == 0 {
		return base.Render(s)
	}
	var b strings.Builder
	at := 0
	for _, m := range sp {
		if m[0] > at {
			b.WriteString(base.Render(s[at:m[0]]))
		}
		b.WriteString(mark.Render(s[m[0]:m[1]]))
		at = m[1]
	}
	if at < len(s) {
		b.WriteString(base.Render(s[at:]))
	}
	return b.String()
}
