package views

import (
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/charmbracelet/x/ansi"
)

// editorWidth is the value editor's width, line numbers included.
func (v *Produce) editorWidth() int { return max(20, min(100, v.width-13)) }

// fitGutter sizes the editor's line numbers for its line count, two
// digits at least, so the text does not move a column at line 10. The
// textarea takes the gutter's width from MaxHeight; MaxContentHeight
// keeps MaxHeight from also capping the number of lines.
func (v *Produce) fitGutter() {
	digits := max(2, len(strconv.Itoa(v.value.LineCount())))
	if h := int(math.Pow10(digits)) - 1; v.value.MaxHeight != h {
		v.value.MaxHeight = h
		v.value.SetWidth(v.editorWidth())
	}
}

// unscroll brings the editor back to its first row when the whole value
// fits it but it stayed scrolled (it grew, or the value was typed while
// it was smaller). The textarea scrolls only to follow its cursor, so
// the cursor goes to the top and back.
func (v *Produce) unscroll() {
	if v.value.ScrollYOffset() == 0 {
		return
	}
	rows := 0
	for _, l := range strings.Split(v.value.Value(), "\n") {
		rows += editorRows([]rune(l), v.value.Width())
	}
	if rows > v.value.Height() {
		return
	}
	line, col := v.value.Line(), v.value.Column()
	v.value.MoveToBegin()
	for range rows { // a row at a time; rows bounds it
		if v.value.Line() >= line {
			break
		}
		v.value.CursorDown()
	}
	v.value.SetCursorColumn(col)
}

// editorScroll counts the lines of the value scrolled out of the editor:
// those starting above its first row and those starting below its last.
// hiddenAbove and hiddenBelow report rows out of sight, which a long
// wrapped line may hide while no line starts there.
func (v *Produce) editorScroll() (above, below int, hiddenAbove, hiddenBelow bool) {
	top := v.value.ScrollYOffset()
	bottom := top + v.value.Height() // first row below the editor
	row := 0
	for _, l := range strings.Split(v.value.Value(), "\n") {
		switch {
		case row < top:
			above++
		case row >= bottom:
			below++
		}
		row += editorRows([]rune(l), v.value.Width())
	}
	return above, below, top > 0, row > bottom
}

// editorMarks puts "↑ N more" beside the editor's first row and "↓ N
// more" beside its last when lines are scrolled out of sight.
func (v *Produce) editorMarks(rows []string) {
	if len(rows) == 0 {
		return
	}
	above, below, hiddenAbove, hiddenBelow := v.editorScroll()
	mark := func(arrow string, n int) string {
		if n == 0 {
			return v.c.Theme.Accent.Render(arrow + " more")
		}
		return v.c.Theme.Accent.Render(arrow + " " + strconv.Itoa(n) + " more")
	}
	if hiddenAbove {
		rows[0] += " " + mark("↑", above)
	}
	if hiddenBelow {
		rows[len(rows)-1] += " " + mark("↓", below)
	}
}

// editorRows is how many rows the editor gives one line at width: the
// word wrap of bubbles' textarea (its wrap function), counted rather
// than built, so the markers count what the editor scrolls.
func editorRows(line []rune, width int) int {
	rows := 1
	cur, word, spaces := 0, 0, 0 // widths: the row so far, the word pending, spaces pending
	for _, r := range line {
		if unicode.IsSpace(r) {
			spaces++
		} else {
			word += ansi.StringWidth(string(r))
		}
		if spaces > 0 {
			if cur+word+spaces > width {
				rows++
				cur = word + spaces
			} else {
				cur += word + spaces
			}
			word, spaces = 0, 0
		} else if word+ansi.StringWidth(string(r)) > width {
			if cur > 0 {
				rows++
				cur = 0
			}
			cur += word
			word = 0
		}
	}
	if cur+word+spaces >= width {
		rows++
	}
	return rows
}
