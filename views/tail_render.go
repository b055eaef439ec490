package views

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"kflow/kafka"
	"kflow/kafka/schema"
	"kflow/text"
)

// tailValueMin is the VALUE column's width below which the low-priority
// columns make room for it: first H (the header count), then SIZE. The
// detail pane still has both.
const tailValueMin = 40

// tailCols are the widths of the record table's columns; a zero width
// (hdrs, size) is a column dropped for the value's sake.
type tailCols struct {
	time, part, off, key, hdrs, size, value int
	millis                                  bool
}

func (v *Tail) columns() tailCols {
	c := tailCols{time: 8, part: 2, off: 8, key: 12, hdrs: 3, size: 6}
	if v.width >= 120 {
		c = tailCols{time: 12, part: 3, off: 10, key: 24, hdrs: 3, size: 7, millis: true}
	}
	if v.nparts > 99 || v.maxPart() > 99 {
		c.part = max(c.part, len(strconv.Itoa(int(max(v.nparts-1, v.maxPart())))))
	}
	// The key column is as wide as the widest key on screen needs, up to
	// its share: a topic of null keys gives the room to the values.
	kw := 4
	for i := v.top; i < v.store.matched() && i < v.top+v.bodyRows(); i++ {
		r, _ := v.store.at(i)
		if r.Key != nil {
			s, _ := text.SanitizePreview(r.Key, c.key)
			kw = max(kw, ansi.StringWidth(s))
		}
	}
	c.key = min(c.key, kw)
	fixed := c.time + c.part + c.off + c.key + c.hdrs + c.size + 2*6
	c.value = max(4, v.width-fixed)
	// Values first: the lowest-priority columns give their room up.
	for _, drop := range []*int{&c.hdrs, &c.size} {
		if c.value >= tailValueMin {
			break
		}
		c.value += *drop + 2
		*drop = 0
	}
	return c
}

// joinCells joins a row's cells two spaces apart, leaving out those of
// dropped columns (width zero).
func joinCells(cells []string, widths []int, sep string) string {
	out := make([]string, 0, len(cells))
	for i, s := range cells {
		if widths[i] > 0 {
			out = append(out, s)
		}
	}
	return strings.Join(out, sep)
}

func (c tailCols) widths() []int {
	return []int{c.time, c.part, c.off, c.key, c.value, c.hdrs, c.size}
}

func (v *Tail) maxPart() int32 {
	ps := v.rates.partitions()
	if len(ps) == 0 {
		return 0
	}
	return ps[len(ps)-1]
}

// chromeLines is how many lines are not record rows.
func (v *Tail) chromeLines() int {
	n := 4 // status, counters, partitions or progress, table header
	switch {
	case v.input != nil:
		n += 2 // input, and its error or hint
	case v.filter != nil:
		n++
	}
	if v.save != nil {
		n++
	}
	return n
}

// View renders the view: the start picker, the detail pane, or the
// status lines, the record table and the filter or save line.
func (v *Tail) View() string {
	if v.picker != nil {
		return Overlay("", v.picker.view(), v.width, v.height)
	}
	if v.detail != nil {
		return v.detail.view(v.detailPos(), v.store.matched())
	}
	cols := v.columns()
	lines := []string{v.statusLine(), v.countLine(), v.partLine(), v.tableHeader(cols)}
	rows := v.bodyRows()
	n := v.store.matched()
	cur := v.selected()
	for i := v.top; i < n && i < v.top+rows; i++ {
		r, _ := v.store.at(i)
		lines = append(lines, v.row(r, i == cur, cols))
	}
	if n == 0 {
		lines = append(lines, v.c.Theme.Muted.Render(v.emptyText()))
	}
	for len(lines) < v.height-(v.chromeLines()-4) {
		lines = append(lines, "")
	}
	lines = append(lines, v.bottomLines()...)
	return Frame(strings.Join(lines, "\n"), v.width, v.height)
}

func (v *Tail) emptyText() string {
	switch {
	case v.starting:
		return "starting the tail…"
	case v.startErr != nil:
		return "the tail did not start (o tries again)"
	case v.store.len() > 0:
		return "no buffered record matches the filter (esc clears it)"
	case v.start.Kind == kafka.StartEnd:
		return "waiting for new records…"
	}
	return "no records yet"
}

// statusLine says whether records flow: live, paused, broker lost.
func (v *Tail) statusLine() string {
	th := v.c.Theme
	var state string
	switch {
	case v.startErr != nil:
		state = th.Error.Render("✗ " + oneLineErr(v.startErr))
	case v.starting:
		state = th.Muted.Render("starting…")
	case v.feedErr != nil:
		state = th.Error.Render("✗ broker lost") +
			th.Warn.Render(fmt.Sprintf(" · keeping %s%s · resumes at the next offset · ", text.Count(int64(v.store.len())), text.Plural(v.store.len(), " record", " records"))) +
			th.Error.Render(oneLineErr(v.feedErr))
	case v.paused:
		state = th.Warn.Render("‖ PAUSED") + th.Accent.Render(fmt.Sprintf(" +%s new", text.Count(int64(v.pending()))))
	case v.feed == nil:
		state = th.Muted.Render("not started")
	default:
		state = th.OK.Render("● live")
	}
	parts := []string{state, th.Title.Render(v.topic), th.Muted.Render("from " + v.start.String())}
	if len(v.parts) > 0 {
		parts = append(parts, th.Muted.Render("partitions "+formatParts(v.parts)))
	} else if v.nparts > 0 {
		all := fmt.Sprintf("all %d partitions", v.nparts)
		if v.nparts == 1 {
			all = "1 partition"
		}
		parts = append(parts, th.Muted.Render(all))
	}
	switch {
	case v.follow && !v.paused:
		parts = append(parts, th.Accent.Render("following"))
	case !v.follow && v.store.matched() > 0:
		parts = append(parts, th.Muted.Render("G follows"))
	}
	return clipWithEllipsis(strings.Join(parts, th.Muted.Render(" · ")), v.width)
}

func oneLineErr(err error) string { return text.SanitizeString(err.Error()) }

// countLine is the rate and the honest counters: every record received
// is buffered, evicted, dropped as a duplicate, or pending while paused.
func (v *Tail) countLine() string {
	th := v.c.Theme
	r := v.rates
	rate := text.Dash + " rec/s"
	if r.sampled {
		rate = text.Rate(r.perSec) + " rec/s · " + tailSize(int(r.bytesPerSec)) + "/s"
	}
	buffered, _, evicted, dups := v.Counts()
	parts := []string{
		th.Accent.Render(rate),
		th.Muted.Render("received ") + th.Text.Render(text.Count(int64(v.received()))),
		th.Muted.Render("buffered ") + th.Text.Render(text.Count(int64(buffered))) + th.Muted.Render("/"+text.Count(int64(v.store.cap))),
		th.Muted.Render("evicted ") + th.Text.Render(text.Count(int64(evicted))),
	}
	if dups > 0 {
		parts = append(parts, th.Warn.Render("duplicates dropped "+text.Count(int64(dups))))
	}
	return clipWithEllipsis(strings.Join(parts, th.Muted.Render(" · ")), v.width)
}

// partLine shows catch-up progress while reading the past, else the rate
// of each partition.
func (v *Tail) partLine() string {
	th := v.c.Theme
	var from, target, next int64
	behind := false
	for _, p := range v.progress {
		from += p.From
		target += p.Target
		next += min(p.Next, p.Target)
		if !p.CaughtUp() {
			behind = true
		}
	}
	if behind && target > from {
		frac := float64(next-from) / float64(target-from)
		bar := tailBar(v.c, frac, 20)
		parts := []string{th.Warn.Render("catching up ") + bar + th.Text.Render(fmt.Sprintf(" %3.0f%%", 100*frac))}
		for _, p := range v.progress {
			if p.Target > p.From {
				pf := float64(min(p.Next, p.Target)-p.From) / float64(p.Target-p.From)
				parts = append(parts, th.Muted.Render(fmt.Sprintf("p%d ", p.Partition))+th.Text.Render(fmt.Sprintf("%.0f%%", 100*pf)))
			}
		}
		return clipWithEllipsis(strings.Join(parts, th.Muted.Render(" · ")), v.width)
	}
	ps := v.rates.partitions()
	if len(ps) == 0 || !v.rates.sampled {
		return th.Muted.Render(clipWithEllipsis("per partition: "+text.Dash, v.width))
	}
	if v.paused && (v.feed == nil || v.feed.tail == nil) {
		// Only the records the view takes say where they came from.
		return th.Muted.Render(clipWithEllipsis("per partition: paused (the view takes no records; space resumes)", v.width))
	}
	parts := make([]string, 0, len(ps))
	for _, p := range ps {
		pr := v.rates.parts[p]
		bytes := ""
		if pr.bytesKnown {
			bytes = " " + tailSize(int(pr.bytesPerSec)) + "/s"
		}
		parts = append(parts, th.Muted.Render(fmt.Sprintf("p%d ", p))+th.Text.Render(text.Rate(pr.perSec)+"/s")+th.Muted.Render(bytes))
	}
	return clipWithEllipsis(th.Muted.Render("per partition: ")+strings.Join(parts, th.Muted.Render(" · ")), v.width)
}

// tailBar draws a progress bar of w cells filled to frac.
func tailBar(c *Common, frac float64, w int) string {
	n := int(frac*float64(w) + 0.5)
	n = max(0, min(n, w))
	return c.Theme.Accent.Render(strings.Repeat("█", n)) + c.Theme.Muted.Render(strings.Repeat("░", w-n))
}

func (v *Tail) tableHeader(c tailCols) string {
	th := v.c.Theme
	cells := []string{
		fit("TIME", c.time, Left), fit("P", c.part, Right), fit("OFFSET", c.off, Right),
		fit("KEY", c.key, Left), fit("VALUE", c.value, Left), fit("H", c.hdrs, Right), fit("SIZE", c.size, Right),
	}
	return clip(th.Header.Render(joinCells(cells, c.widths(), "  ")), v.width)
}

// row draws one record. Key and value previews go through the sanitizer
// and cost the cells they fill, whatever the record's size.
func (v *Tail) row(r *kafka.Record, selected bool, c tailCols) string {
	th := v.c.Theme
	ts := r.Timestamp.UTC().Format("15:04:05")
	if c.millis {
		ts = r.Timestamp.UTC().Format("15:04:05.000")
	}
	cells := []struct {
		text string
		tone Tone
	}{
		{fit(ts, c.time, Left), Muted},
		{fit(strconv.Itoa(int(r.Partition)), c.part, Right), Muted},
		{fit(strconv.FormatInt(r.Offset, 10), c.off, Right), Muted},
		{v.previewCell(r.Key, v.keyFmt, c.key), Normal},
		{v.previewCell(r.Value, v.valFmt, c.value), Normal},
		{fit(hdrCount(len(r.Headers)), c.hdrs, Right), Muted},
		{fit(tailSizeShort(r.Size()), c.size, Right), Muted},
	}
	if r.Key == nil {
		cells[3].tone = Muted
	}
	if r.Value == nil {
		cells[4].tone = Muted
	}
	if r.Truncated() {
		cells[6].tone = Warning
	}
	markKey := v.filter.MarksKey() && r.Key != nil && len(v.filter.Spans(cells[3].text)) > 0
	markVal := v.filter.MarksValue() && r.Value != nil && len(v.filter.Spans(cells[4].text)) > 0
	if selected && (markKey || markVal) {
		// The matches stay marked on the selected row: underlined in it.
		sel, selMark := th.Selected, th.Selected.Underline(true)
		out := make([]string, len(cells))
		for i, cl := range cells {
			out[i] = sel.Render(cl.text)
		}
		out[3] = markMatches(v.filter, markKey, cells[3].text, sel, selMark)
		out[4] = markMatches(v.filter, markVal, cells[4].text, sel, selMark)
		line := joinCells(out, c.widths(), sel.Render("  "))
		if w := ansi.StringWidth(line); w < v.width {
			line += sel.Render(strings.Repeat(" ", v.width-w))
		}
		return clip(line, v.width)
	}
	if selected {
		texts := make([]string, len(cells))
		for i, cl := range cells {
			texts[i] = cl.text
		}
		line := joinCells(texts, c.widths(), "  ")
		if w := ansi.StringWidth(line); w < v.width {
			line += strings.Repeat(" ", v.width-w)
		}
		return th.Selected.Render(clip(line, v.width))
	}
	out := make([]string, len(cells))
	for i, cl := range cells {
		out[i] = v.c.Theme.Style(cl.tone).Render(cl.text)
	}
	// The filter's matches stand out in the key and value they are in.
	out[3] = markMatches(v.filter, markKey, cells[3].text, v.c.Theme.Style(cells[3].tone), th.Match)
	out[4] = markMatches(v.filter, markVal, cells[4].text, v.c.Theme.Style(cells[4].tone), th.Match)
	return clip(joinCells(out, c.widths(), "  "), v.width)
}

// previewCell is a key or value as one table cell of w cells: read in the
// format the connection names for it, or decoded through its schema when
// it is in the registry's wire format.
func (v *Tail) previewCell(b []byte, f schema.Format, w int) string {
	if f.Named() && b != nil {
		if t, err := f.Text(b); err == nil {
			return previewCell(t, w)
		}
	}
	if dec, pending, ok := v.typedPreview(b); ok {
		if pending {
			return fit("decoding…", w, Left)
		}
		b = dec
	}
	return previewCell(b, w)
}

// previewCell is a key or value as one table cell of w cells.
func previewCell(b []byte, w int) string {
	switch {
	case b == nil:
		return fit("∅", w, Left)
	case len(b) == 0:
		return fit(`""`, w, Left)
	}
	s, _ := text.SanitizePreview(b, w)
	return fit(s, w, Left)
}

func hdrCount(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// tailSizeShort is a byte count in at most six cells: 512B, 1.5K, 5.0M.
func tailSizeShort(n int) string {
	switch {
	case n < 1000:
		return strconv.Itoa(n) + "B"
	case n < 1<<20:
		return fmt.Sprintf("%.1fK", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%.1fM", float64(n)/(1<<20))
}

// bottomLines are the filter input (with its error or hint), the filter
// in force with its counts, and the save input.
func (v *Tail) bottomLines() []string {
	th := v.c.Theme
	var out []string
	count := th.Muted.Render(fmt.Sprintf("  matched %s of %s", text.Count(int64(v.store.matched())), text.Count(int64(v.store.len()))))
	switch {
	case v.input != nil:
		v.input.in.SetWidth(max(10, v.width-ansi.StringWidth(count)-3))
		out = append(out, clip(v.input.in.View()+count, v.width))
		if v.input.err != nil {
			msg := "✗ " + oneLineErr(v.input.err)
			if v.filter != nil {
				msg += " · still filtering by " + text.SanitizeString(v.filter.String())
			}
			out = append(out, th.Error.Render(clipWithEllipsis(msg, v.width)))
		} else {
			out = append(out, th.Muted.Render(clipWithEllipsis("text · ~regexp · key: value: header:NAME: scope it · jq EXPR over JSON values · enter keeps · esc undoes", v.width)))
		}
	case v.filter != nil:
		kind := th.Muted.Render(" (" + v.filter.Kind() + ")")
		out = append(out, clipWithEllipsis(th.Prompt.Render("/")+th.Match.Render(text.SanitizeString(v.filter.String()))+kind+count+th.Muted.Render("  esc clears"), v.width))
	}
	if v.save != nil {
		line := v.save.in.View()
		if v.save.err != nil {
			line += th.Error.Render("  ✗ " + oneLineErr(v.save.err))
		} else {
			n := v.store.matched()
			line += th.Muted.Render("  " + text.Count(int64(n)) + text.Plural(n, " record", " records"))
		}
		out = append(out, clipWithEllipsis(line, v.width))
	}
	return out
}
