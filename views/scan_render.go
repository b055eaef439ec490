package views

import (
	"fmt"
	"strconv"
	"strings"

	"kflow/kafka"
	"kflow/text"
)

// scanChrome is the lines above the matches: what is scanned, the
// progress, the column header.
const scanChrome = 3

// scanCol is one column of the matches table.
type scanCol struct {
	name  string
	width int // 0: the rest of the line
	align Align
	cell  func(i int, r *kafka.Record) string
}

func (v *Scan) columns() []scanCol {
	cols := []scanCol{
		{name: "TIME", width: 18, cell: func(_ int, r *kafka.Record) string { return r.Timestamp.UTC().Format("01-02 15:04:05.000") }},
	}
	if v.trace != "" {
		cols = append(cols, scanCol{name: "TOPIC", width: max(12, v.width/6), cell: func(_ int, r *kafka.Record) string { return text.SanitizeString(r.Topic) }})
	}
	cols = append(cols,
		scanCol{name: "P", width: 3, align: Right, cell: func(_ int, r *kafka.Record) string { return strconv.Itoa(int(r.Partition)) }},
		scanCol{name: "OFFSET", width: 8, align: Right, cell: func(_ int, r *kafka.Record) string { return strconv.FormatInt(r.Offset, 10) }},
		scanCol{name: "KEY", width: max(10, v.width/8), cell: func(_ int, r *kafka.Record) string { return previewOf(r.Key, 40) }},
	)
	if v.trace == "" {
		return append(cols, scanCol{name: "VALUE", cell: func(_ int, r *kafka.Record) string { return previewOf(r.Value, v.width) }})
	}
	if v.width >= 120 {
		cols = append(cols, scanCol{name: "HEADERS", width: v.width / 4, cell: func(_ int, r *kafka.Record) string { return headersPreview(r.Headers) }})
	}
	return append(cols, scanCol{name: "CONSUMED BY · NOT YET", cell: func(i int, _ *kafka.Record) string { return v.consumedText(i) }})
}

func previewOf(b []byte, cells int) string {
	if b == nil {
		return text.Dash
	}
	s, _ := text.SanitizePreview(b, cells)
	return s
}

func headersPreview(hs []kafka.Header) string {
	if len(hs) == 0 {
		return text.Dash
	}
	parts := make([]string, len(hs))
	for i, h := range hs {
		parts[i] = text.SanitizeString(h.Key) + "=" + previewOf(h.Value, 40)
	}
	return strings.Join(parts, " ")
}

// consumedText is match i's groups: "✓ a,b ✗ c"; "…" until known.
func (v *Scan) consumedText(i int) string {
	if i >= len(v.cons) {
		if v.prog.Done {
			return "…"
		}
		return ""
	}
	c := v.cons[i]
	var parts []string
	if len(c.ConsumedBy) > 0 {
		parts = append(parts, "✓ "+strings.Join(c.ConsumedBy, ","))
	}
	if len(c.NotConsumedBy) > 0 {
		parts = append(parts, "✗ "+strings.Join(c.NotConsumedBy, ","))
	}
	if len(parts) == 0 {
		return "no group reads it"
	}
	return strings.Join(parts, " ")
}

// View renders the screen: the detail pane, or what is scanned, the
// progress and the matches.
func (v *Scan) View() string {
	if v.detail != nil {
		return v.detail.view(v.sel, len(v.matches))
	}
	th := v.c.Theme
	lines := make([]string, 0, v.height)
	lines = append(lines, clipWithEllipsis(th.Title.Render(v.what()), v.width))
	lines = append(lines, clipWithEllipsis(v.progressLine(), v.width))
	cols := v.columns()
	widths := make([]int, len(cols))
	rest := v.width
	for i, c := range cols {
		widths[i] = c.width
		rest -= c.width + 1
	}
	for i, c := range cols {
		if c.width == 0 {
			widths[i] = max(4, rest+1)
		}
	}
	row := func(cells []string) string {
		parts := make([]string, len(cells))
		for i, s := range cells {
			parts[i] = fit(s, widths[i], cols[i].align)
		}
		return strings.Join(parts, " ")
	}
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
	}
	lines = append(lines, clip(th.Header.Render(row(names)), v.width))
	if len(v.matches) == 0 {
		msg := "no match yet"
		switch {
		case v.err != nil:
			msg = "✗ " + v.err.Error()
		case v.prog.Done:
			msg = "no record in the range matches"
		}
		lines = append(lines, th.Muted.Render(msg))
	}
	for i := v.top; i < len(v.matches) && len(lines) < v.height; i++ {
		r := &v.matches[i]
		cells := make([]string, len(cols))
		for j, c := range cols {
			cells[j] = c.cell(i, r)
		}
		st := th.Cell
		if i == v.sel {
			st = th.Selected
		}
		lines = append(lines, clip(st.Render(row(cells)), v.width))
	}
	return Frame(strings.Join(lines, "\n"), v.width, v.height)
}

// what says what the screen scans.
func (v *Scan) what() string {
	if v.trace != "" {
		how := "correlation id"
		if v.key {
			how = "key (one partition per topic)"
		}
		return fmt.Sprintf("trace %s · %s · every topic, the last hour", v.trace, how)
	}
	how := ""
	if v.key {
		how = " (one partition)"
	}
	return fmt.Sprintf("search %s%s · %s filter: %s", v.topic, how, v.filter.Kind(), v.filter.String())
}

// progressLine is the bar, the counts and the state.
func (v *Scan) progressLine() string {
	th := v.c.Theme
	p := v.prog
	if v.prog.Partitions == 0 && !p.Done {
		if v.err != nil {
			return th.Error.Render("✗ " + v.err.Error())
		}
		return th.Muted.Render("listing offsets…")
	}
	state := th.Accent.Render("reading")
	switch {
	case p.Done && v.stopped:
		state = th.Warn.Render("stopped")
	case p.Done:
		state = th.OK.Render("done")
	}
	bar := text.Bar(p.Fraction(), 20)
	if v.width < 120 {
		bar = text.Bar(p.Fraction(), 8)
	}
	line := strings.TrimPrefix(text.ScanLine(p.Records, p.Bytes, p.Fraction(), p.ETA(), p.Matches, p.Kept, p.Done), "scanned ")
	return state + " " + th.Accent.Render(bar) + " " + th.Text.Render(line) +
		th.Muted.Render(fmt.Sprintf(" · %s", text.CountOf(p.Partitions, "partition", "partitions")))
}
