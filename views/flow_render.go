package views

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"kflow/kafka"
	"kflow/lag"
	"kflow/text"
)

// flowSlotH is the rows a box's slot takes: two lines and a gap.
const flowSlotH = 3

// flowGeom is the size of the map's columns at a width: 80 columns show
// three layers, 160 five.
type flowGeom struct{ boxW, gap, cols int }

func flowGeometry(w int) flowGeom {
	g := flowGeom{boxW: 18, gap: 9}
	if w >= 120 {
		g = flowGeom{boxW: 22, gap: 10}
	}
	g.cols = max(1, (w+g.gap)/(g.boxW+g.gap))
	return g
}

// Canvas tones: indices into the styles render passes the canvas.
const (
	toneNone = iota
	toneEdge
	toneTitle
	toneMuted
	toneOK
	toneWarn
	toneBad
	toneSpark
	toneSelected
	toneDLQEdge
)

func (v *Flow) styles() []lipgloss.Style {
	th := v.c.Theme
	return []lipgloss.Style{th.Text, th.Muted, th.Title, th.Muted, th.OK, th.Warn, th.Error, th.Sparkline, th.Selected, th.Warn}
}

// extra is how many lines the header, filter and footer take.
func (v *Flow) extra() int {
	n := 2
	if v.typing || v.filter != "" {
		n++
	}
	return n
}

// scroll keeps the selected box on screen.
func (v *Flow) scroll() {
	i := v.layout.find(v.sel)
	if i < 0 || v.width <= 0 {
		return
	}
	b := v.layout.Boxes[i]
	g := flowGeometry(v.width)
	if b.Layer < v.x0 {
		v.x0 = b.Layer
	}
	if b.Layer >= v.x0+g.cols {
		v.x0 = b.Layer - g.cols + 1
	}
	v.x0 = max(0, min(v.x0, len(v.layout.Layers)-g.cols))
	body := max(1, v.height-v.extra())
	top, bottom := b.Slot*flowSlotH, b.Slot*flowSlotH+2
	if top < v.y0 {
		v.y0 = top
	}
	if bottom >= v.y0+body {
		v.y0 = bottom - body + 1
	}
	v.y0 = max(0, min(v.y0, v.layout.Slots*flowSlotH-1-body))
}

// View renders the summary line, the map and the selected node's line.
func (v *Flow) View() string {
	th := v.c.Theme
	var lines []string
	lines = append(lines, v.header())
	if v.typing {
		lines = append(lines, clip(v.input.View(), v.width))
	} else if v.filter != "" {
		lines = append(lines, clipWithEllipsis(th.Prompt.Render("/")+th.Match.Render(v.filter)+th.Muted.Render("  (esc clears)"), v.width))
	}
	body := max(0, v.height-v.extra())
	switch {
	case !v.loaded && v.err == nil:
		lines = append(lines, th.Muted.Render("loading the flow map…"))
	case !v.loaded:
		lines = append(lines, th.Error.Render("could not read the cluster")+th.Muted.Render(" (r retries)"))
	case len(v.layout.Boxes) == 0:
		lines = append(lines, th.Muted.Render("no topics and no consumer groups"))
	default:
		lines = append(lines, v.canvas(body))
	}
	out := strings.Join(lines, "\n")
	n := strings.Count(out, "\n") + 1
	if pad := v.height - 1 - n; pad > 0 {
		out += strings.Repeat("\n", pad)
	}
	return Frame(out+"\n"+v.footer(), v.width, v.height)
}

// header sums the map up: counts, troubled groups, what is off screen.
func (v *Flow) header() string {
	th := v.c.Theme
	if !v.loaded {
		return th.Title.Render("flow map")
	}
	topics, groups := 0, 0
	counts := map[lag.Status]int{}
	for _, n := range v.graph.Nodes {
		if n.Kind == kafka.FlowTopic {
			topics++
		} else {
			groups++
			counts[n.Status]++
		}
	}
	parts := []string{th.Title.Render("flow · " + text.CountOf(topics, "topic", "topics") + " · " + text.CountOf(groups, "group", "groups"))}
	for _, s := range []lag.Status{lag.Error, lag.Stop, lag.Stall, lag.Rewind, lag.Warn} {
		if n := counts[s]; n > 0 {
			parts = append(parts, th.Style(statusTone(s)).Render(fmt.Sprintf("%d %s", n, s)))
		}
	}
	g := flowGeometry(v.width)
	if n := len(v.layout.Layers); n > g.cols {
		parts = append(parts, th.Muted.Render(fmt.Sprintf("layers %d–%d of %d", v.x0+1, min(n, v.x0+g.cols), n)))
	}
	when := th.Muted.Render("updated " + v.updated.Format("15:04:05"))
	if v.c.Stale(v.err) {
		when = th.Warn.Render("STALE") + th.Muted.Render(" since "+v.updated.Format("15:04:05"))
	}
	parts = append(parts, when)
	for len(parts) > 2 && lipgloss.Width(strings.Join(parts, "  ")) > v.width {
		parts = append(parts[:len(parts)-2], parts[len(parts)-1])
	}
	return clip(strings.Join(parts, "  "), v.width)
}

// footer says more about the selected node.
func (v *Flow) footer() string {
	th := v.c.Theme
	i := v.layout.find(v.sel)
	if i < 0 {
		return ""
	}
	b := v.layout.Boxes[i]
	if b.Agg() {
		what := "enter shows them"
		if b.Reason == flowAggHidden {
			what = "the filter hides them"
		}
		return clip(th.Muted.Render(aggLabel(b)[1:]+" · "+what), v.width)
	}
	n := v.graph.Nodes[b.Node]
	if n.Kind == kafka.FlowGroup {
		if g, ok := v.feed.snap.Group(n.Name); ok {
			return verdictLine(v.c, n.Name, g.Verdict, v.width)
		}
		return clip(th.Title.Render(n.Name), v.width)
	}
	parts := []string{text.CountOf(n.Partitions, "partition", "partitions"), text.CountOf(int(n.Records), "record", "records"),
		text.Rate(n.Rate) + "/s"}
	readers, dlqs, from := 0, []string{}, []string{}
	for _, e := range v.graph.Edges {
		switch {
		case e.From == n.ID && e.Kind == kafka.FlowConsumes:
			readers++
		case e.From == n.ID && e.Kind == kafka.FlowDeadLetters:
			dlqs = append(dlqs, strings.TrimPrefix(e.To, "topic:"))
		case e.To == n.ID && n.DLQ:
			from = append(from, e.From)
		}
	}
	parts = append(parts, text.CountOf(readers, "reader", "readers"))
	if len(dlqs) > 0 {
		parts = append(parts, "DLQ "+strings.Join(dlqs, ","))
	}
	if len(from) > 0 {
		parts = append(parts, "dead letters of "+strings.Join(from, ","))
	}
	return clipWithEllipsis(th.Title.Render(n.Name)+th.Muted.Render(" · "+strings.Join(parts, " · ")), v.width)
}

// canvas draws the layers on screen and their edges, rows y0 on.
func (v *Flow) canvas(h int) string {
	g := flowGeometry(v.width)
	l := &v.layout
	x := func(layer int) int { return layer * (g.boxW + g.gap) }
	y := func(slot int) int { return slot * flowSlotH }
	cv := newFlowCanvas(x(len(l.Layers)), l.Slots*flowSlotH)
	for _, b := range l.Boxes {
		v.drawBox(cv, b, x(b.Layer), y(b.Slot), g.boxW, b.ID == v.sel)
	}
	// Edges after the boxes, so lines never cross text. Each source box
	// drops into the gap before a layer at a lane of its own.
	lanes := map[[2]int]int{} // target layer, source box → lane
	perLayer := map[int]int{}
	room := max(1, g.gap-6)
	for _, k := range l.Links {
		to := l.Boxes[k.To].Layer
		key := [2]int{to, k.From}
		if _, ok := lanes[key]; !ok {
			lanes[key] = perLayer[to] % room
			perLayer[to]++
		}
	}
	for _, k := range l.Links {
		a, b := l.Boxes[k.From], l.Boxes[k.To]
		if b.Layer <= a.Layer {
			continue
		}
		tone := toneEdge
		if k.Kind == kafka.FlowDeadLetters || k.Kind == kafka.FlowFails {
			tone = toneDLQEdge
		}
		xs, ys := x(a.Layer)+g.boxW, y(a.Slot)
		xt, yt := x(b.Layer)-1, y(b.Slot)
		lane := x(b.Layer) - g.gap + 1 + lanes[[2]int{b.Layer, k.From}]
		cv.hline(ys, xs, lane, k.From, tone)
		cv.vline(lane, ys, yt, k.From, tone)
		cv.hline(yt, lane, xt, k.From, tone)
		if cv.in(xt, yt) && cv.runes[yt][xt] == 0 {
			cv.runes[yt][xt], cv.tone[yt][xt] = '▶', tone
		}
		if k.Kind == kafka.FlowConsumes && k.Rate >= 0 {
			lbl := text.Rate(k.Rate) + "/s"
			if w := xt - lane - 1; len(lbl) > w {
				lbl = text.Rate(k.Rate)
			}
			if at := xt - len(lbl); at > lane && cv.free(at, yt, len(lbl)) {
				cv.text(at, yt, len(lbl), lbl, toneMuted)
			}
		}
	}
	return cv.render(x(v.x0), v.y0, v.width, h, v.styles())
}

// drawBox writes a box's two lines.
func (v *Flow) drawBox(cv *flowCanvas, b flowBox, x, y, w int, sel bool) {
	padTo := func(s string, w int) string {
		if ansi.StringWidth(s) > w {
			s = ansi.Truncate(s, w, "…")
		}
		return s + strings.Repeat(" ", max(0, w-ansi.StringWidth(s)))
	}
	pad := func(s string) string { return padTo(s, w) }
	if b.Agg() {
		t1, t2 := toneMuted, toneMuted
		if sel {
			t1, t2 = toneSelected, toneSelected
		}
		hint := "enter expands"
		if b.Reason == flowAggHidden {
			hint = "filtered out"
		}
		label := aggLabel(b)
		if sel {
			label = "▸ " + label
		}
		cv.text(x, y, w, pad(label), t1)
		cv.text(x, y+1, w, pad(hint), t2)
		return
	}
	n := v.graph.Nodes[b.Node]
	name := text.SanitizeString(n.Name)
	if sel { // marked in words too, for a terminal without colour
		name = "▸ " + name
	}
	if n.Kind == kafka.FlowTopic {
		nt := toneTitle
		switch {
		case n.DLQ:
			nt = toneWarn
		case n.Internal:
			nt = toneMuted
		}
		rate := text.Rate(n.Rate) + "/s"
		if sel {
			cv.text(x, y, w, pad(name), toneSelected)
			cv.text(x, y+1, w, pad(rate), toneSelected)
		} else {
			cv.text(x, y, w, name, nt)
			cv.text(x, y+1, w, rate, toneMuted)
		}
		if sw := w - len(rate) - 1; sw > 0 {
			cv.text(x+len(rate)+1, y+1, sw, Sparkline(n.RateHistory, sw), toneSpark)
		}
		return
	}
	word := n.Status.String()
	st := toneOK
	switch statusTone(n.Status) {
	case Warning:
		st = toneWarn
	case Bad:
		st = toneBad
	case Muted:
		st = toneMuted
	}
	lagText := "lag " + text.Count(n.Lag) + " · " + timeLagText(n.TimeLag)
	if n.Status == lag.Error {
		lagText = "error"
	}
	nameW := w - len(word) - 1
	if sel {
		cv.text(x, y, w, padTo(name, nameW)+" "+strings.Repeat(" ", len(word)), toneSelected)
		cv.text(x, y+1, w, pad(lagText), toneSelected)
	} else {
		cv.text(x, y, nameW, name, toneTitle)
		cv.text(x, y+1, w, lagText, toneMuted)
	}
	if !sel {
		cv.text(x+nameW, y, 1, " ", toneNone)
	}
	cv.text(x+w-len(word), y, len(word), word, st)
}
