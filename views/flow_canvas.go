package views

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// flowCanvas is a grid of cells the flow map draws on: text, and line
// segments that join into box-drawing characters where edges meet.
type flowCanvas struct {
	w, h  int
	runes [][]rune
	lines [][]uint8 // direction bits of the first edge through a cell
	other [][]uint8 // direction bits of the other edges through it
	owner [][]int   // which edge (its source box) drew lines first, -1 none
	tone  [][]int   // index into styles
}

// Line directions.
const (
	dirUp uint8 = 1 << iota
	dirDown
	dirLeft
	dirRight
)

var lineRunes = map[uint8]rune{
	dirLeft: '─', dirRight: '─', dirLeft | dirRight: '─',
	dirUp: '│', dirDown: '│', dirUp | dirDown: '│',
	dirDown | dirRight: '╭', dirDown | dirLeft: '╮', dirUp | dirRight: '╰', dirUp | dirLeft: '╯',
	dirUp | dirDown | dirRight: '├', dirUp | dirDown | dirLeft: '┤',
	dirLeft | dirRight | dirDown: '┬', dirLeft | dirRight | dirUp: '┴',
	dirUp | dirDown | dirLeft | dirRight: '┼',
}

func newFlowCanvas(w, h int) *flowCanvas {
	c := &flowCanvas{w: w, h: h, runes: make([][]rune, h), lines: make([][]uint8, h), other: make([][]uint8, h),
		owner: make([][]int, h), tone: make([][]int, h)}
	for y := range h {
		c.runes[y] = make([]rune, w)
		c.lines[y] = make([]uint8, w)
		c.other[y] = make([]uint8, w)
		c.owner[y] = make([]int, w)
		for x := range w {
			c.owner[y][x] = -1
		}
		c.tone[y] = make([]int, w)
	}
	return c
}

func (c *flowCanvas) in(x, y int) bool { return x >= 0 && y >= 0 && x < c.w && y < c.h }

// text writes s at x, y in style tone, at most w cells.
func (c *flowCanvas) text(x, y, w int, s string, tone int) int {
	n := 0
	for _, r := range ansi.Truncate(s, w, "…") {
		if c.in(x+n, y) {
			c.runes[y][x+n] = r
			c.tone[y][x+n] = tone
		}
		n++
	}
	return n
}

// seg adds direction bits of edge owner to a cell; a cell holding text
// keeps it.
func (c *flowCanvas) seg(x, y int, d uint8, owner, tone int) {
	if !c.in(x, y) || c.runes[y][x] != 0 {
		return
	}
	switch c.owner[y][x] {
	case -1, owner:
		c.owner[y][x] = owner
		c.lines[y][x] |= d
	default:
		c.other[y][x] |= d
	}
	if c.tone[y][x] == 0 { // a shared trunk keeps the first edge's colour
		c.tone[y][x] = tone
	}
}

// hline draws from x1 to x2 (x1 < x2) on row y.
func (c *flowCanvas) hline(y, x1, x2, owner, tone int) {
	for x := x1; x <= x2; x++ {
		var d uint8
		if x > x1 {
			d |= dirLeft
		}
		if x < x2 {
			d |= dirRight
		}
		c.seg(x, y, d, owner, tone)
	}
}

// vline draws from y1 to y2 on column x, either way.
func (c *flowCanvas) vline(x, y1, y2, owner, tone int) {
	if y1 > y2 {
		y1, y2 = y2, y1
	}
	for y := y1; y <= y2; y++ {
		var d uint8
		if y > y1 {
			d |= dirUp
		}
		if y < y2 {
			d |= dirDown
		}
		c.seg(x, y, d, owner, tone)
	}
}

// free reports whether w cells from x on row y hold no text and no
// vertical line, so a label may go there.
func (c *flowCanvas) free(x, y, w int) bool {
	for i := range w {
		if !c.in(x+i, y) || c.runes[y][x+i] != 0 || c.lines[y][x+i]&(dirUp|dirDown) != 0 {
			return false
		}
	}
	return true
}

// render writes rows y0 to y0+h of columns x0 to x0+w, each run of cells
// of one tone rendered in its style.
func (c *flowCanvas) render(x0, y0, w, h int, styles []lipgloss.Style) string {
	out := make([]string, 0, h)
	for y := y0; y < y0+h; y++ {
		var b strings.Builder
		var run strings.Builder
		cur := -1
		flush := func() {
			if run.Len() == 0 {
				return
			}
			if cur > 0 {
				b.WriteString(styles[cur].Render(run.String()))
			} else {
				b.WriteString(run.String())
			}
			run.Reset()
		}
		for x := x0; x < x0+w; x++ {
			r, t := ' ', 0
			if c.in(x, y) {
				switch {
				case c.runes[y][x] != 0:
					r, t = c.runes[y][x], c.tone[y][x]
				case c.lines[y][x] != 0:
					r, t = lineGlyph(c.lines[y][x], c.other[y][x]), c.tone[y][x]
				}
			}
			if t != cur {
				flush()
				cur = t
			}
			run.WriteRune(r)
		}
		flush()
		out = append(out, strings.TrimRight(b.String(), " "))
	}
	return strings.Join(out, "\n")
}

// lineGlyph draws a cell's lines: one edge's own bits joined, or where
// two edges only cross (one straight across, the other straight down) a
// plain vertical, so a crossing never reads as a junction.
func lineGlyph(own, other uint8) rune {
	const across, down = dirLeft | dirRight, dirUp | dirDown
	if (own == across && other == down) || (own == down && other == across) {
		return '│'
	}
	return lineRunes[own|other]
}
