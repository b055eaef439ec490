package views

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"kflow/lag"
	"kflow/text"
)

// View renders the summary line, the table and the selected group's
// verdict, with a dialog over them.
func (v *Groups) View() string {
	th := v.c.Theme
	var parts []string
	switch {
	case !v.loaded && v.err == nil:
		parts = append(parts, th.Muted.Render("loading consumer groups…"))
	case !v.loaded:
		parts = append(parts, th.Error.Render("could not read consumer group lag")+th.Muted.Render(" (r retries)"))
	default:
		what := text.CountOf(len(v.lags), "group", "groups")
		if v.topic != "" {
			what += " reading " + v.topic
		}
		parts = append(parts, th.Title.Render(what))
		counts := map[lag.Status]int{}
		var total int64
		for _, g := range v.lags {
			counts[g.Verdict.Status]++
			total += max(0, g.TotalLag)
		}
		for _, s := range []lag.Status{lag.Error, lag.Stop, lag.Stall, lag.Rewind, lag.Warn} {
			if n := counts[s]; n > 0 {
				parts = append(parts, v.c.Theme.Style(statusTone(s)).Render(fmt.Sprintf("%d %s", n, s)))
			}
		}
		lag := th.Muted.Render("lag " + text.Count(total))
		when := th.Muted.Render("updated " + v.updated.Format("15:04:05"))
		if v.c.Stale(v.err) {
			when = th.Warn.Render("STALE") + th.Muted.Render(" since "+v.updated.Format("15:04:05"))
		}
		// The total lag goes first when the line is too long.
		if full := append(append(parts[:len(parts):len(parts)], lag), when); lipgloss.Width(strings.Join(full, " · ")) <= v.width {
			parts = full
		} else {
			parts = append(parts, when)
		}
	}
	if v.c.ReadOnly {
		parts = append(parts, th.Warn.Render("read-only"))
	}
	head := clip(strings.Join(parts, th.Muted.Render(" · ")), v.width)
	body := head + "\n" + v.table.View() + "\n" + v.footer()
	if v.dialog != nil {
		return Overlay(body, v.dialog.view(), v.width, v.height)
	}
	return Frame(body, v.width, v.height)
}

// footer explains the selected group's status.
func (v *Groups) footer() string {
	g, ok := v.selected()
	if !ok {
		return ""
	}
	return verdictLine(v.c, g.Group.ID, g.Verdict, v.width)
}

// verdictLine says why a group has its status, since when, and at what
// rates, in at most width cells: the rates go first, then the since, and
// then the reason ends on a whole word with an ellipsis.
func verdictLine(c *Common, group string, vd lag.Verdict, width int) string {
	th := c.Theme
	st := th.Cell
	switch statusTone(vd.Status) {
	case Good:
		st = th.OK
	case Warning:
		st = th.Warn
	case Bad:
		st = th.Error
	case Muted:
		st = th.Muted
	}
	head := th.Title.Render(group) + " " + st.Render(vd.Status.String())
	reason := ": " + vd.Reason
	var extra []string
	if !vd.Since.IsZero() {
		extra = append(extra, " (since "+vd.Since.Format("15:04:05")+")")
	}
	if vd.ConsumeRate >= 0 {
		extra = append(extra, fmt.Sprintf(" · consuming %s/s, produced %s/s", text.Rate(vd.ConsumeRate), text.Rate(vd.ProduceRate)))
	}
	room := width - lipgloss.Width(head)
	for len(extra) > 0 && ansi.StringWidth(reason+strings.Join(extra, "")) > room {
		extra = extra[:len(extra)-1]
	}
	return clip(head+th.Muted.Render(cutWords(reason+strings.Join(extra, ""), room)), width)
}

// cutWords fits s in w cells, ending on a whole word and an ellipsis when
// it must be cut (mid-word only when its first word is too long alone).
func cutWords(s string, w int) string {
	if ansi.StringWidth(s) <= w {
		return s
	}
	if w <= 0 {
		return ""
	}
	cut := ansi.Truncate(s, w-1, "")
	if i := strings.LastIndex(cut, " "); i > 0 && i < len(cut) {
		cut = strings.TrimRight(cut[:i], " ·:,")
	}
	return cut + "…"
}
