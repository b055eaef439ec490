package views

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"kflow/kafka"
	"kflow/text"
)

// resetConfirm shows a reset plan, partition by partition, and applies it
// once the group's name is typed back.
type resetConfirm struct {
	a      *groupActions
	keys   ConfirmKeys
	group  kafka.GroupLag
	target string
	plan   kafka.ResetPlan
	nameBack
	w, h int
}

func newResetConfirm(a *groupActions, g kafka.GroupLag, target string, p kafka.ResetPlan) *resetConfirm {
	keys := DefaultConfirmKeys()
	keys.Confirm.SetHelp("enter", "apply (name typed)")
	return &resetConfirm{a: a, keys: keys, group: g, target: target, plan: p, nameBack: newNameBack(a.c.Theme, p.Group)}
}

func (d *resetConfirm) help() []key.Binding { return d.keys.short() }

func (d *resetConfirm) setSize(w, h int) {
	d.w, d.h = w, h
	d.input.SetWidth(max(10, min(50, w-14)))
}

func (d *resetConfirm) key(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, d.keys.Cancel):
		d.a.dialog = nil
		return Notice("reset cancelled; nothing was written")
	case key.Matches(msg, d.keys.Confirm):
		if !d.send("apply the plan") {
			return nil
		}
		return d.a.apply(d.plan)
	}
	d.err = nil
	return d.update(msg)
}

// planWidth is the width the plan's lines may take: the dialog's.
func (d *resetConfirm) planWidth() int { return max(20, min(90, d.w-6)) }

// planCol is one column of the plan: its title, its cells, alignment.
type planCol struct {
	title string
	cells []string // the rows', then the total's
	align Align
	sep   string // before the column
	drop  int    // which goes first when the dialog is narrow: higher first; 0 never
}

// planLines renders the plan's rows in at most n lines. Columns are as
// wide as their widest cell; when the dialog is too narrow the topic
// shrinks (with an ellipsis) and OLD, then NEW, go, so the lag before
// and after and the CHANGE stay.
func (d *resetConfirm) planLines(n int) []string {
	th := d.a.c.Theme
	rows := d.plan.Rows
	show := len(rows)
	if show > n-2 {
		show = max(0, n-3)
	}
	signed := func(v int64) string {
		if v > 0 {
			return "+" + text.Count(v)
		}
		return text.Count(v)
	}
	cols := []planCol{
		{title: "TOPIC", align: Left},
		{title: "PART", align: Right, sep: "  "},
		{title: "OLD", align: Right, sep: "  ", drop: 2},
		{title: "NEW", align: Right, sep: "  ", drop: 1},
		{title: "LAG BEFORE", align: Right, sep: "  "},
		{title: "AFTER", align: Left, sep: " → "},
		{title: "CHANGE", align: Right, sep: "  "},
	}
	var before, after int64
	for i, r := range rows {
		before += r.LagBefore
		after += r.LagAfter
		if i >= show {
			continue
		}
		old := text.Count(r.Old)
		if r.Old < 0 {
			old = "none"
		}
		for c, v := range []string{r.Topic, fmt.Sprint(r.Partition), old, text.Count(r.New), text.Count(r.LagBefore), text.Count(r.LagAfter), signed(r.LagAfter - r.LagBefore)} {
			cols[c].cells = append(cols[c].cells, v)
		}
	}
	for c, v := range []string{"total", "", "", "", text.Count(before), text.Count(after), signed(after - before)} {
		cols[c].cells = append(cols[c].cells, v)
	}
	widths := make([]int, len(cols))
	total := func() int {
		n := 0
		for c, col := range cols {
			if widths[c] > 0 {
				n += widths[c] + len(col.sep)
			}
		}
		return n
	}
	for c, col := range cols {
		widths[c] = ansi.StringWidth(col.title)
		for _, v := range col.cells {
			widths[c] = max(widths[c], ansi.StringWidth(v))
		}
	}
	room := d.planWidth()
	const minTopic = 6
	if over := total() - room; over > 0 { // the topic gives first
		widths[0] = max(minTopic, widths[0]-over)
	}
	for drop := 1; total() > room && drop <= 2; drop++ {
		for c, col := range cols {
			if col.drop == drop {
				widths[c] = 0
			}
		}
	}
	line := func(cell func(c int) string) string {
		var b strings.Builder
		for c, col := range cols {
			if widths[c] == 0 {
				continue
			}
			if b.Len() > 0 {
				b.WriteString(col.sep)
			}
			b.WriteString(fit(cell(c), widths[c], col.align))
		}
		return strings.TrimRight(b.String(), " ")
	}
	out := []string{th.Header.Render(line(func(c int) string { return cols[c].title }))}
	for i, r := range rows[:show] {
		l := line(func(c int) string { return cols[c].cells[i] })
		if r.New == r.Old {
			out = append(out, th.Muted.Render(l))
		} else {
			out = append(out, th.Text.Render(l))
		}
	}
	if show < len(rows) {
		out = append(out, th.Muted.Render(fmt.Sprintf("… and %d more partitions", len(rows)-show)))
	}
	out = append(out, th.Title.Render(line(func(c int) string { return cols[c].cells[show] })))
	return out
}

func (d *resetConfirm) view() string {
	th := d.a.c.Theme
	p := d.plan
	w := d.planWidth()
	var b strings.Builder
	b.WriteString(th.Error.Render("Reset offsets of group "+p.Group+" to "+d.target) + "\n")
	b.WriteString(th.Muted.Render("Plan: "+text.CountOf(len(p.Rows), "partition", "partitions")+" · nothing is written until you confirm") + "\n\n")
	// Room for the rows: the dialog's own lines and its border take 12.
	for _, l := range d.planLines(max(4, d.h-14)) {
		b.WriteString(clip(l, w) + "\n")
	}
	b.WriteString("\n")
	if p.Members > 0 && d.err == nil {
		b.WriteString(th.Warn.Width(w).Render(fmt.Sprintf(
			"%s is %s. Kafka only resets the offsets of a group with no members: stop its consumers first, or applying will be refused.",
			p.Group, text.ActiveText(p.Members, p.State))) + "\n")
	}
	b.WriteString(d.footer(th, w, "Type the group name to apply:", "applying…", "applies"))
	return th.Overlay.MaxWidth(max(20, d.w)).Render(b.String())
}
