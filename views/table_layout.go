package views

import (
	"cmp"
	"slices"

	"github.com/charmbracelet/x/ansi"
)

// columnGap is the space between two columns.
const columnGap = 2

// layoutColumns decides which of cols show in width cells and how wide
// each is; widest[i] is the widest text of column i (titles aside).
// shown lists the columns kept, in order; widths is indexed like cols.
//
// A flexible column wants its widest text (up to two thirds of the
// width); the others want their Width. When the wants do not fit, room
// is taken in this order, and only as much as needed:
//
//  1. padding: a column wider than its widest text and its title;
//  2. columns with a Drop, highest first: each shrinks to its Min, then
//     goes;
//  3. the columns that never go, last column first: each shrinks to its
//     Min (a flexible column to its Width).
//
// So names and values keep their room while sparklines and health give
// theirs. Room left over goes back to what shrank, most important first,
// then to flexible columns still cut.
func layoutColumns(cols []Column, widest []int, width int) (shown []int, widths []int) {
	n := len(cols)
	want := make([]int, n)
	trim := make([]int, n)
	least := make([]int, n)
	content := make([]int, n)
	widths = make([]int, n)
	on := make([]bool, n)
	for i, c := range cols {
		if i < len(widest) {
			content[i] = widest[i]
		}
		title := ansi.StringWidth(c.Title) + 1 // room for the sort arrow
		base := max(c.Width, title, 1)
		want[i] = base
		least[i] = base
		if c.Flex {
			want[i] = max(base, min(content[i], width*2/3))
			least[i] = max(c.Width, 1)
		}
		if c.Min > 0 {
			least[i] = c.Min
		}
		trim[i] = min(want[i], max(content[i], title))
		least[i] = min(least[i], trim[i])
		widths[i] = want[i]
		on[i] = true
	}
	total := func() int {
		t, k := 0, 0
		for i := range cols {
			if on[i] {
				t += widths[i]
				k++
			}
		}
		return t + columnGap*max(0, k-1)
	}

	type step struct {
		col  int
		to   int // the width it shrinks to; -1 drops the column
		took int
	}
	var plan []step
	for i := n - 1; i >= 0; i-- {
		plan = append(plan, step{col: i, to: trim[i]})
	}
	var droppable []int
	for i, c := range cols {
		if c.Drop > 0 {
			droppable = append(droppable, i)
		}
	}
	slices.SortStableFunc(droppable, func(a, b int) int {
		if r := cmp.Compare(cols[b].Drop, cols[a].Drop); r != 0 {
			return r
		}
		return cmp.Compare(b, a)
	})
	for _, i := range droppable {
		plan = append(plan, step{col: i, to: least[i]}, step{col: i, to: -1})
	}
	for i := n - 1; i >= 0; i-- {
		if cols[i].Drop == 0 {
			plan = append(plan, step{col: i, to: least[i]})
		}
	}

	var done []step
	for _, s := range plan {
		if total() <= width {
			break
		}
		switch {
		case !on[s.col]:
		case s.to < 0:
			if countOn(on) > 1 { // one column always stays
				on[s.col] = false
			}
		case s.to < widths[s.col]:
			s.took = widths[s.col] - s.to
			widths[s.col] = s.to
			done = append(done, s)
		}
	}

	// Give back what is left over, the last to give first (the most
	// important), then let flexible columns still cut grow.
	spare := width - total()
	for k := len(done) - 1; k >= 0 && spare > 0; k-- {
		s := done[k]
		if !on[s.col] {
			continue
		}
		back := min(spare, s.took)
		widths[s.col] += back
		spare -= back
	}
	for i, c := range cols {
		if spare <= 0 {
			break
		}
		if on[i] && c.Flex && content[i] > widths[i] {
			grow := min(spare, content[i]-widths[i])
			widths[i] += grow
			spare -= grow
		}
	}

	for i := range cols {
		if on[i] {
			shown = append(shown, i)
		} else {
			widths[i] = 0
		}
	}
	return shown, widths
}

func countOn(on []bool) int {
	k := 0
	for _, b := range on {
		if b {
			k++
		}
	}
	return k
}
