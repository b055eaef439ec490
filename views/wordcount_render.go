package views

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"kflow/text"
)

// wordCountSplitWidth is the least width at which the chart and the feed
// stand side by side; narrower, the feed goes under the chart.
const wordCountSplitWidth = 70

// View renders the panel: status, figures, notes, the chart beside the
// feed, and the input line with its hint.
func (v *WordCount) View() string {
	if v.width <= 0 || v.height <= 0 {
		return ""
	}
	top := append([]string{v.statusLine(), v.figuresLine(), v.lagLine()}, v.notesLines()...)
	bottom := []string{v.inputLine(), v.hintLine()}
	rows := max(0, v.height-len(top)-len(bottom))
	lines := slices.Concat(top, v.body(rows), bottom)
	return Frame(strings.Join(lines, "\n"), v.width, v.height)
}

// statusLine says where the counting happens: an engine in kflow, one
// elsewhere (its groups have members), or none.
func (v *WordCount) statusLine() string {
	th := v.c.Theme
	var state string
	switch {
	case v.engineBusy && v.engine == nil:
		state = th.Warn.Render("◌ starting the engine…")
	case v.engineBusy:
		state = th.Warn.Render("◌ stopping the engine…")
	case v.engine != nil:
		state = th.OK.Render("● engine running in kflow")
	case v.engineErr != nil:
		state = th.Error.Render("✗ engine: " + oneLineErr(v.engineErr))
	case v.instances() == 1:
		state = th.OK.Render("● engine running elsewhere (1 instance)")
	case v.instances() > 1:
		state = th.OK.Render(fmt.Sprintf("● engine running elsewhere (%d instances)", v.instances()))
	case v.groupsSeen:
		state = th.Muted.Render("○ engine idle (its groups have no member)")
	default:
		state = th.Muted.Render("○ no engine running")
	}
	parts := []string{state}
	if v.topicsUp() {
		parts = append(parts, v.topics())
	}
	if v.c.ReadOnly {
		parts = append(parts, th.Warn.Render("read-only: watching"))
	}
	parts = append(parts, th.Muted.Render("app "+v.opts.App))
	return v.fitParts(parts)
}

// fitParts joins parts with dots, leaving out from the first that does
// not fit: the first part always shows, cut if it must.
func (v *WordCount) fitParts(parts []string) string {
	sep := v.c.Theme.Muted.Render(" · ")
	out := parts[0]
	for _, p := range parts[1:] {
		if ansi.StringWidth(out)+ansi.StringWidth(sep)+ansi.StringWidth(p) > v.width {
			break
		}
		out += sep + p
	}
	return clip(out, v.width)
}

// topics is "input → output".
func (v *WordCount) topics() string {
	th := v.c.Theme
	return th.Title.Render(v.opts.Input) + th.Muted.Render(" → ") + th.Title.Render(v.opts.Output)
}

// topicsUp reports whether the topics fit on the status line; when not,
// the lag line shows them.
func (v *WordCount) topicsUp() bool {
	state := 40 // the longest state
	return state+3+ansi.StringWidth(v.opts.Input)+3+ansi.StringWidth(v.opts.Output) <= v.width
}

// instances counts the engine instances by the last lag: each has one
// member in each of the engine's groups.
func (v *WordCount) instances() int {
	n := 0
	for _, g := range v.lag {
		n = max(n, g.Group.Members)
	}
	return n
}

// figuresLine is the totals, the rates and the lag.
func (v *WordCount) figuresLine() string {
	th := v.c.Theme
	total, distinct := v.Counts()
	val := func(label, value string) string { return th.Muted.Render(label+" ") + th.Accent.Render(value) }
	parts := []string{
		val("words", text.Count(total)),
		val("distinct", text.Count(int64(distinct))),
		val("lines/s in", v.linesRate.text()),
		val("updates/s out", v.updatesRate.text()),
	}
	return v.fitParts(parts)
}

// lagLine is the lag of the engine's groups and, for an engine in kflow,
// its transactions and the partitions it was given.
func (v *WordCount) lagLine() string {
	th := v.c.Theme
	parts := []string{th.Muted.Render("lag ") + v.lagText()}
	if !v.topicsUp() {
		parts = append(parts, v.topics())
	}
	if v.engine != nil {
		s := v.engStats
		txns := th.Muted.Render("txns ") + th.Text.Render(text.Count(s.Committed))
		if s.Aborted > 0 {
			txns += th.Warn.Render(fmt.Sprintf(" (%s aborted)", text.Count(s.Aborted)))
		}
		parts = append(parts, txns,
			th.Muted.Render("input partitions ")+th.Text.Render(formatPartsOrDash(s.InputPartitions)),
			th.Muted.Render("counting ")+th.Text.Render(formatPartsOrDash(s.CountPartitions)))
	}
	return v.fitParts(parts)
}

func formatPartsOrDash(ps []int32) string {
	if len(ps) == 0 {
		return text.Dash
	}
	return formatParts(ps)
}

// lagText is the lag of each of the engine's groups.
func (v *WordCount) lagText() string {
	th := v.c.Theme
	switch {
	case v.lagErr != nil:
		return th.Error.Render("✗ " + oneLineErr(v.lagErr))
	case len(v.lag) == 0 && v.lagAt.IsZero():
		return th.Muted.Render(text.Dash)
	case len(v.lag) == 0:
		return th.Muted.Render(text.Dash + " (no engine group yet)")
	}
	parts := make([]string, 0, len(v.lag))
	for _, g := range v.lag {
		name := strings.TrimPrefix(g.Group.ID, v.opts.App+"-")
		tone := th.Accent
		if g.TotalLag > 0 {
			tone = th.Warn
		}
		if g.Err != "" {
			parts = append(parts, th.Muted.Render(name+" ")+th.Error.Render("✗"))
			continue
		}
		parts = append(parts, th.Muted.Render(name+" ")+tone.Render(text.Count(g.TotalLag)))
	}
	return strings.Join(parts, th.Muted.Render(" "))
}

// notesLines tell what the panel cannot show as it should: the tail not
// started or failing, history being read, records lost to the ring, and
// values that are no counts. None when all is well; an error wraps over
// two lines at most.
func (v *WordCount) notesLines() []string {
	th := v.c.Theme
	var out []string
	wrapped := func(text string) {
		lines := strings.Split(ansi.Wrap(text, max(1, v.width), ""), "\n")
		if len(lines) > 2 {
			lines = lines[:2]
		}
		for _, l := range lines {
			out = append(out, th.Error.Render(clip(l, v.width)))
		}
	}
	switch {
	case v.tailErr != nil:
		wrapped("✗ " + oneLineErr(v.tailErr))
		if v.engine == nil && !v.c.ReadOnly {
			out = append(out, th.Muted.Render(clip("s starts an engine here, which creates the topics", v.width)))
		}
	case v.feedErr != nil:
		wrapped("✗ broker lost: " + oneLineErr(v.feedErr))
	case v.starting:
		out = append(out, th.Muted.Render(clip("opening "+v.opts.Output+"…", v.width)))
	}
	if v.engine != nil {
		for _, l := range v.outages.lines() {
			out = append(out, th.Warn.Render(clip("✗ engine: "+l, v.width)))
		}
	}
	if up, frac := v.catchingUp(); up {
		out = append(out, th.Warn.Render(clip(fmt.Sprintf("reading the counts so far %3.0f%%", 100*frac), v.width)))
	}
	if v.skipped > 0 {
		out = append(out, th.Warn.Render(clip(fmt.Sprintf("%s updates evicted unread: their words may show an older count until they change", text.Count(int64(v.skipped))), v.width)))
	}
	if v.counts.bad > 0 {
		out = append(out, th.Warn.Render(clip(fmt.Sprintf("%s records skipped: %s", text.Count(int64(v.counts.bad)), oneLineErr(v.counts.badErr)), v.width)))
	}
	return out
}

// body is the chart and the feed in rows lines: side by side when wide
// enough, else the feed under the chart.
func (v *WordCount) body(rows int) []string {
	if rows <= 0 {
		return nil
	}
	if v.width >= wordCountSplitWidth {
		cw := min(v.width*3/5, 80)
		fw := v.width - cw - 2
		chart, feed := v.chart(cw, rows), v.feedLines(fw, rows)
		out := make([]string, rows)
		for i := range out {
			out[i] = padTo(chart[i], cw) + "  " + feed[i]
		}
		return out
	}
	ch := max(1, (rows+1)/2)
	return append(v.chart(v.width, ch), v.feedLines(v.width, rows-ch)...)
}

// padTo pads a rendered line to w cells.
func padTo(s string, w int) string {
	s = clip(s, w)
	if sw := ansi.StringWidth(s); sw < w {
		s += strings.Repeat(" ", w-sw)
	}
	return s
}

// chart draws the top words as horizontal bars under a header, in
// exactly rows lines of at most w cells.
func (v *WordCount) chart(w, rows int) []string {
	th := v.c.Theme
	out := make([]string, 0, rows)
	if rows <= 0 {
		return out
	}
	top := v.counts.topN(rows - 1)
	title := "TOP WORDS"
	if len(top) > 0 {
		title = fmt.Sprintf("TOP %d WORDS", len(top))
	}
	out = append(out, th.Header.Render(fit(title, w, Left)))
	if len(top) == 0 {
		hint := "i sends a sentence; an engine counts it"
		if v.c.ReadOnly {
			hint = "an engine elsewhere writes the counts"
		}
		out = append(out, th.Muted.Render(clip("no counts yet", w)), th.Muted.Render(clip(hint, w)))
	}
	ww, cw := 4, 1
	for _, t := range top {
		s, _ := text.SanitizePreview([]byte(t.word), 16)
		ww = max(ww, ansi.StringWidth(s))
		cw = max(cw, len(text.Count(t.count)))
	}
	barW := max(1, w-ww-cw-2)
	var hi int64
	if len(top) > 0 {
		hi = top[0].count
	}
	for _, t := range top {
		word, _ := text.SanitizePreview([]byte(t.word), ww)
		line := th.Text.Render(fit(word, ww, Left)) + " " +
			th.Accent.Render(fit(bar(t.count, hi, barW), barW, Left)) + " " +
			th.Text.Render(fit(text.Count(t.count), cw, Right))
		out = append(out, clip(line, w))
	}
	for len(out) < rows {
		out = append(out, "")
	}
	return out[:rows]
}

// bar is n of hi as a bar of at most w cells, in eighths of a cell; any
// count above zero shows at least a sliver.
func bar(n, hi int64, w int) string {
	if hi <= 0 || n <= 0 || w <= 0 {
		return ""
	}
	eighths := int(float64(n) / float64(hi) * float64(w*8))
	eighths = max(1, min(eighths, w*8))
	s := strings.Repeat("█", eighths/8)
	if r := eighths % 8; r > 0 {
		s += string([]rune("▏▎▍▌▋▊▉")[r-1])
	}
	return s
}

// feedLines draws the newest updates, newest at the bottom as a consumer
// of the output topic prints them, under a header, in exactly rows lines
// of at most w cells.
func (v *WordCount) feedLines(w, rows int) []string {
	th := v.c.Theme
	out := make([]string, 0, rows)
	if rows <= 0 {
		return out
	}
	out = append(out, th.Header.Render(fit("LATEST UPDATES", w, Left)))
	ups := v.counts.latest(rows - 1)
	if len(ups) == 0 {
		out = append(out, th.Muted.Render(clip("waiting for updates…", w)))
	}
	wide := w >= 60
	for _, u := range ups {
		var prefix string
		if wide {
			prefix = th.Muted.Render(u.at.UTC().Format("15:04:05.000") + " " + fmt.Sprintf("%-9s", fmt.Sprintf("%d@%d", u.partition, u.offset)) + " ")
		}
		word, _ := text.SanitizePreview([]byte(u.word), max(4, w/2))
		var rest string
		switch {
		case u.deleted:
			rest = th.Muted.Render(" deleted")
		default:
			delta := fmt.Sprintf(" +%d", u.delta)
			if u.delta < 0 {
				delta = fmt.Sprintf(" %d", u.delta)
			}
			rest = th.Muted.Render(" → ") + th.Accent.Render(text.Count(u.count)) + th.Muted.Render(delta)
		}
		out = append(out, clip(prefix+th.Text.Render(word)+rest, w))
	}
	for len(out) < rows {
		out = append(out, "")
	}
	return out[:rows]
}

// inputLine is the sentence being typed, or the line waiting for i.
func (v *WordCount) inputLine() string {
	return clip(v.input.View(), v.width)
}

// hintLine says what the last send did, why it failed, or what the keys
// do.
func (v *WordCount) hintLine() string {
	th := v.c.Theme
	var s string
	switch {
	case v.sendErr != nil:
		s = th.Error.Render("✗ " + oneLineErr(v.sendErr))
	case v.sending > 0:
		s = th.Muted.Render("sending…")
	case v.lastOut != "":
		s = th.OK.Render("✓ ") + th.Muted.Render(v.lastOut)

	case v.c.ReadOnly:
		s = th.Muted.Render("read-only: sending and starting an engine are refused")
	case v.typing:
		s = th.Muted.Render("enter sends the line to " + v.opts.Input + " · esc leaves the line")
	default:
		s = th.Muted.Render("i types a sentence · s runs an engine in kflow while the panel is open")
	}
	return clip(s, v.width)
}
