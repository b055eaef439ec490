package views

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"kflow/themes"
)

// Align is a column's alignment.
type Align int

// Alignments.
const (
	Left Align = iota
	Right
)

// Column describes one table column. Its priority, when the width is
// short, is Drop and Min: see layoutColumns for the order in which
// columns give way. Every text cut for want of room ends (or, with
// KeepEnd, starts) with an ellipsis.
type Column struct {
	Title string
	// Width is the column's width; for a flexible column its minimum.
	Width int
	// Flex makes the column grow to its widest text: names and values,
	// which the other columns give way to.
	Flex  bool
	Align Align
	// Drop is the order in which columns give way when the terminal is
	// too narrow: higher first (sparklines, health); 0 never goes.
	Drop int
	// Min is the narrowest the column shrinks to before it goes (or, with
	// Drop 0, the narrowest it gets); 0 is its Width.
	Min int
	// KeepEnd cuts the start of a text rather than its end: a sparkline
	// keeps its newest samples.
	KeepEnd bool
}

// Tone is the meaning of a cell, which the theme turns into a style
// (themes.Theme.Style).
type Tone = themes.Tone

// Tones.
const (
	Normal  = themes.Normal
	Muted   = themes.Muted
	Good    = themes.Good
	Warning = themes.Warning
	Bad     = themes.Bad
	Accent  = themes.Accent
)

// Cell is one value of a row.
type Cell struct {
	Text string
	// Num, with Numeric set, is what the column sorts by.
	Num     float64
	Numeric bool
	Tone    Tone
}

// Text makes a text cell.
func Text(s string) Cell { return Cell{Text: s} }

// Num makes a numeric cell shown as text.
func Num(v float64, text string) Cell { return Cell{Text: text, Num: v, Numeric: true} }

// Row is one table row; Key identifies it across refreshes so the
// selection stays on it.
type Row struct {
	Key   string
	Cells []Cell
	// Tags are key:value words a filter of that form matches exactly
	// (health:bad); a plain filter matches the first column.
	Tags []string
	// Search, when set, is what a plain filter matches instead of the
	// first column (an ACL's principal and resource name), unhighlighted.
	Search string
}

// Table is a sortable, filterable table that fits the width it is given.
// The filter matches the first column.
type Table struct {
	common  *Common
	keys    TableKeys
	cols    []Column
	rows    []Row
	widest  []int // widest text of each column, for the layout
	visible []int
	matches map[int][]int
	cursor  int
	offset  int
	sortCol int
	desc    bool
	width   int
	height  int
	input   textinput.Model
	query   string
	typing  bool
	// Empty is shown when there are no rows at all.
	Empty string
}

// NewTable makes a table of cols sorted by the first column.
func NewTable(c *Common, cols []Column) *Table {
	in := textinput.New()
	in.Prompt = "/"
	in.Placeholder = "filter"
	t := &Table{common: c, keys: DefaultTableKeys(), cols: cols, input: in}
	t.refilter()
	return t
}

// Keys returns the table's bindings.
func (t *Table) Keys() TableKeys { return t.keys }

// SetSize sets the area the table draws in, filter line included.
func (t *Table) SetSize(w, h int) {
	t.width, t.height = w, h
	t.clamp()
}

// SetRows replaces the rows, keeping the selection on the same key.
func (t *Table) SetRows(rows []Row) {
	sel, ok := t.Selected()
	t.rows = rows
	t.refilter()
	if ok {
		for i, idx := range t.visible {
			if t.rows[idx].Key == sel.Key {
				t.cursor = i
				break
			}
		}
	}
	t.clamp()
}

// Len is the number of rows shown (after filtering).
func (t *Table) Len() int { return len(t.visible) }

// Total is the number of rows.
func (t *Table) Total() int { return len(t.rows) }

// Selected returns the row under the cursor.
func (t *Table) Selected() (Row, bool) {
	if t.cursor < 0 || t.cursor >= len(t.visible) {
		return Row{}, false
	}
	return t.rows[t.visible[t.cursor]], true
}

// SortBy sorts by column i, descending when desc; -1 keeps the order the
// rows were given in.
func (t *Table) SortBy(i int, desc bool) {
	if i >= -1 && i < len(t.cols) {
		t.sortCol, t.desc = i, desc
		t.resort()
	}
}

// Sorting returns the sorted column and whether it is descending.
func (t *Table) Sorting() (int, bool) { return t.sortCol, t.desc }

// Typing reports whether the filter input has the keys.
func (t *Table) Typing() bool { return t.typing }

// Query is the filter in force.
func (t *Table) Query() string { return t.query }

// WantsEsc reports whether esc means something to the table: leaving the
// filter input or clearing the filter.
func (t *Table) WantsEsc() bool { return t.typing || t.query != "" }

// SetQuery sets the filter.
func (t *Table) SetQuery(q string) {
	t.query = q
	t.input.SetValue(q)
	t.refilter()
}

// Update handles navigation, sorting and filter keys. It reports whether
// it used the message.
func (t *Table) Update(msg tea.Msg) (bool, tea.Cmd) {
	kp, ok := msg.(tea.KeyPressMsg)
	if !ok {
		if t.typing {
			var cmd tea.Cmd
			t.input, cmd = t.input.Update(msg)
			return false, cmd
		}
		return false, nil
	}
	if t.typing {
		switch {
		case key.Matches(kp, t.keys.Accept):
			t.typing = false
			t.input.Blur()
		case key.Matches(kp, t.keys.Cancel):
			t.typing = false
			t.input.Blur()
			t.SetQuery("")
		case key.Matches(kp, t.keys.Up), key.Matches(kp, t.keys.Down):
			if kp.String() == "up" {
				t.move(-1)
			} else if kp.String() == "down" {
				t.move(1)
			} else {
				return t.typeKey(kp)
			}
		default:
			return t.typeKey(kp)
		}
		return true, nil
	}
	switch {
	case key.Matches(kp, t.keys.Up):
		t.move(-1)
	case key.Matches(kp, t.keys.Down):
		t.move(1)
	case key.Matches(kp, t.keys.PageUp):
		t.move(-max(1, t.bodyHeight()-1))
	case key.Matches(kp, t.keys.PageDown):
		t.move(max(1, t.bodyHeight()-1))
	case key.Matches(kp, t.keys.Top):
		t.cursor = 0
		t.clamp()
	case key.Matches(kp, t.keys.Bottom):
		t.cursor = len(t.visible) - 1
		t.clamp()
	case key.Matches(kp, t.keys.Filter):
		t.typing = true
		t.input.SetStyles(t.common.Theme.Input())
		t.input.SetValue(t.query)
		t.input.CursorEnd()
		return true, t.input.Focus()
	case key.Matches(kp, t.keys.Cancel) && t.query != "":
		t.SetQuery("")
	case key.Matches(kp, t.keys.Sort):
		t.sortCol = (t.sortCol + 1) % len(t.cols)
		t.desc = false
		t.resort()
	case key.Matches(kp, t.keys.Reverse):
		t.desc = !t.desc
		t.resort()
	default:
		return false, nil
	}
	return true, nil
}

func (t *Table) typeKey(kp tea.KeyPressMsg) (bool, tea.Cmd) {
	var cmd tea.Cmd
	t.input, cmd = t.input.Update(kp)
	if v := t.input.Value(); v != t.query {
		t.query = v
		t.refilter()
	}
	return true, cmd
}

func (t *Table) move(d int) {
	t.cursor += d
	t.clamp()
}

func (t *Table) bodyHeight() int {
	h := t.height - 1 // header
	if t.typing || t.query != "" {
		h-- // filter line
	}
	return max(0, h)
}

func (t *Table) clamp() {
	t.cursor = max(0, min(t.cursor, len(t.visible)-1))
	bh := t.bodyHeight()
	if bh <= 0 {
		t.offset = t.cursor
		return
	}
	if t.cursor < t.offset {
		t.offset = t.cursor
	}
	if t.cursor >= t.offset+bh {
		t.offset = t.cursor - bh + 1
	}
	t.offset = max(0, min(t.offset, len(t.visible)-bh))
}

func (t *Table) refilter() {
	t.visible = t.visible[:0]
	t.matches = map[int][]int{}
	// In a table whose rows have tags (topics, partitions, brokers: names
	// that never hold ':'), a query with ':' is a tag; elsewhere (group
	// IDs may hold one) it is text.
	tag := strings.Contains(t.query, ":") && slices.ContainsFunc(t.rows, func(r Row) bool { return len(r.Tags) > 0 })
	for i, r := range t.rows {
		if tag {
			if slices.Contains(r.Tags, strings.TrimSpace(t.query)) {
				t.visible = append(t.visible, i)
			}
			continue
		}
		name := ""
		if len(r.Cells) > 0 {
			name = r.Cells[0].Text
		}
		if r.Search != "" {
			name = r.Search
		}
		if pos, ok := Match(t.query, name); ok {
			t.visible = append(t.visible, i)
			if len(pos) > 0 && r.Search == "" {
				t.matches[i] = pos
			}
		}
	}
	t.measure()
	t.resort()
}

func (t *Table) resort() {
	sel, ok := t.Selected()
	col := t.sortCol
	if col < 0 {
		slices.Sort(t.visible)
		if t.desc {
			slices.Reverse(t.visible)
		}
		t.reselect(sel, ok)
		return
	}
	slices.SortStableFunc(t.visible, func(a, b int) int {
		ca, cb := cellAt(t.rows[a], col), cellAt(t.rows[b], col)
		var r int
		if ca.Numeric && cb.Numeric {
			r = cmp.Compare(ca.Num, cb.Num)
		} else {
			r = strings.Compare(strings.ToLower(ca.Text), strings.ToLower(cb.Text))
		}
		if r == 0 {
			r = strings.Compare(t.rows[a].Key, t.rows[b].Key)
		}
		if t.desc {
			r = -r
		}
		return r
	})
	t.reselect(sel, ok)
}

func (t *Table) reselect(sel Row, ok bool) {
	if ok {
		for i, idx := range t.visible {
			if t.rows[idx].Key == sel.Key {
				t.cursor = i
			}
		}
	}
	t.clamp()
}

func cellAt(r Row, i int) Cell {
	if i < len(r.Cells) {
		return r.Cells[i]
	}
	return Cell{}
}

// measure notes the widest text of each column among the rows the filter
// shows, once per SetRows or filter rather than once per frame: a long
// name the filter hides does not squeeze the columns of the rows shown.
func (t *Table) measure() {
	t.widest = make([]int, len(t.cols))
	for _, idx := range t.visible {
		r := t.rows[idx]
		for i := range t.cols {
			t.widest[i] = max(t.widest[i], textWidth(cellAt(r, i).Text))
		}
	}
}

// textWidth is the cells s takes: its length for printable ASCII (most
// cells: names, counts), else what ansi measures.
func textWidth(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
}

// layout decides which columns show and how wide each is.
func (t *Table) layout() (shown []int, widths []int) {
	return layoutColumns(t.cols, t.widest, t.width)
}

// View renders the table in its size: header, rows, and the filter line
// when a filter is typed or in force.
func (t *Table) View() string {
	th := t.common.Theme
	shown, widths := t.layout()
	var lines []string

	var hdr []string
	for _, i := range shown {
		title := t.cols[i].Title
		mark := ""
		if i == t.sortCol {
			mark = "▲"
			if t.desc {
				mark = "▼"
			}
		}
		w := widths[i]
		if mark == "" {
			hdr = append(hdr, th.Header.Render(fit(title, w, t.cols[i].Align)))
			continue
		}
		tw := ansi.StringWidth(title) + 1
		if tw > w {
			title = fit(title, max(0, w-1), Left)
			tw = w
		}
		pad := strings.Repeat(" ", max(0, w-tw))
		if t.cols[i].Align == Right {
			hdr = append(hdr, th.Header.Render(pad)+th.SortMark.Render(mark)+th.Header.Render(title))
		} else {
			hdr = append(hdr, th.Header.Render(title)+th.SortMark.Render(mark)+th.Header.Render(pad))
		}
	}
	lines = append(lines, clipWithEllipsis(strings.Join(hdr, th.Header.Render("  ")), t.width))

	bh := t.bodyHeight()
	if len(t.visible) == 0 {
		msg := t.Empty
		if len(t.rows) > 0 {
			msg = "nothing matches " + strconv.Quote(t.query)
		}
		if msg != "" && bh > 0 {
			lines = append(lines, th.Muted.Render(clipWithEllipsis(msg, t.width)))
		}
	}
	for r := t.offset; r < len(t.visible) && r < t.offset+bh; r++ {
		idx := t.visible[r]
		row := t.rows[idx]
		selected := r == t.cursor
		var cells []string
		for _, i := range shown {
			c := cellAt(row, i)
			cells = append(cells, t.renderCell(c, widths[i], t.cols[i], selected, t.matchesFor(idx, i)))
		}
		sep := "  "
		if selected {
			sep = th.Selected.Render(sep)
		}
		lines = append(lines, clipWithEllipsis(strings.Join(cells, sep), t.width))
	}
	for len(lines) < t.height-t.filterLines() {
		lines = append(lines, "")
	}
	if t.filterLines() > 0 {
		lines = append(lines, t.filterLine())
	}
	if len(lines) > t.height {
		lines = lines[:t.height]
	}
	return strings.Join(lines, "\n")
}

func (t *Table) filterLines() int {
	if t.typing || t.query != "" {
		return 1
	}
	return 0
}

func (t *Table) filterLine() string {
	th := t.common.Theme
	count := th.Muted.Render("  " + strconv.Itoa(len(t.visible)) + " of " + strconv.Itoa(len(t.rows)))
	if t.typing {
		t.input.SetWidth(max(1, t.width-lipgloss.Width(count)-3))
		return clip(t.input.View()+count, t.width)
	}
	return clipWithEllipsis(th.Prompt.Render("/")+th.Match.Render(t.query)+count+th.Muted.Render("  (esc clears)"), t.width)
}

func (t *Table) matchesFor(row, col int) []int {
	if col != 0 {
		return nil
	}
	return t.matches[row]
}

func (t *Table) renderCell(c Cell, w int, col Column, selected bool, match []int) string {
	th := t.common.Theme
	txt := fit(c.Text, w, col.Align)
	if col.KeepEnd {
		txt = fitEnd(c.Text, w, col.Align)
		match = nil // positions count from the start the cut removed
	}
	st := th.Style(c.Tone)
	if selected {
		st = th.Selected.Inherit(st)
	}
	if len(match) == 0 {
		return st.Render(txt)
	}
	// Highlight matched runes: the text is left-aligned here (first column).
	mst := th.Match
	if selected {
		mst = th.Selected.Inherit(th.Match).Foreground(th.Match.GetForeground())
	}
	marked := map[int]bool{}
	for _, p := range match {
		marked[p] = true
	}
	var b strings.Builder
	var run []rune
	runMatch := false
	flush := func() {
		if len(run) == 0 {
			return
		}
		if runMatch {
			b.WriteString(mst.Render(string(run)))
		} else {
			b.WriteString(st.Render(string(run)))
		}
		run = run[:0]
	}
	for i, r := range []rune(txt) {
		m := marked[i] && r != '…'
		if m != runMatch {
			flush()
			runMatch = m
		}
		run = append(run, r)
	}
	flush()
	return b.String()
}

// fit pads or truncates s to exactly w cells.
func fit(s string, w int, a Align) string {
	if w <= 0 {
		return ""
	}
	sw := ansi.StringWidth(s)
	if sw > w {
		return ansi.Truncate(s, w, "…")
	}
	pad := strings.Repeat(" ", w-sw)
	if a == Right {
		return pad + s
	}
	return s + pad
}

// fitEnd is fit for text whose end matters most: a cut removes its start
// and marks it with an ellipsis. Leading blanks (a sparkline's samples
// not taken yet) go first, with no mark: nothing was cut.
func fitEnd(s string, w int, a Align) string {
	if w <= 0 {
		return ""
	}
	sw := ansi.StringWidth(s)
	if sw <= w {
		return fit(s, w, a)
	}
	if t := strings.TrimLeft(s, " "); ansi.StringWidth(t) <= w {
		return strings.Repeat(" ", w-ansi.StringWidth(t)) + t
	}
	if w == 1 {
		return "…"
	}
	// A wide rune at the cut may leave the text a cell short: fit pads it.
	return fit("…"+ansi.TruncateLeft(s, sw-(w-1), ""), w, a)
}

// clipWithEllipsis cuts a rendered line to w cells and, when it cut,
// ends it with an ellipsis, so a cut line says so.
func clipWithEllipsis(s string, w int) string {
	switch {
	case w <= 0:
		return ""
	case ansi.StringWidth(s) <= w:
		return s
	}
	return ansi.Truncate(s, w, "…")
}

// clip cuts a rendered line to w cells.
func clip(s string, w int) string {
	if ansi.StringWidth(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, "")
}
