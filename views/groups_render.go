package views

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"

	"kflow/kafka"
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
		what := CountOf(len(v.lags), "group", "groups")
		if v.topic != "" {
			what += " reading " + v.topic
		}
		parts = append(parts, th.Title.Render(what))
		counts := map[kafka.LagStatus]int{}
		var total int64
		for _, g := range v.lags {
			counts[v.track.Verdict(g.Group.ID).Status]++
			total += max(0, g.TotalLag)
		}
		for _, s := range []kafka.LagStatus{kafka.LagError, kafka.LagStop, kafka.LagStall, kafka.LagRewind, kafka.LagWarn} {
			if n := counts[s]; n > 0 {
				parts = append(parts, v.table.toneStyle(statusTone(s)).Render(fmt.Sprintf("%d %s", n, s)))
			}
		}
		lag := th.Muted.Render("lag " + Count(total))
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
	return clip(verdictLine(v.c, g.Group.ID, v.track.Verdict(g.Group.ID)), v.width)
}

// verdictLine says why a group has its status, since when, and at what
// rates.
func verdictLine(c *Common, group string, vd kafka.LagVerdict) string {
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
	s := th.Title.Render(group) + " " + st.Render(vd.Status.String()) + th.Muted.Render(": "+vd.Reason)
	if !vd.Since.IsZero() {
		s += th.Muted.Render(" (since " + vd.Since.Format("15:04:05") + ")")
	}
	if vd.ConsumeRate >= 0 {
		s += th.Muted.Render(fmt.Sprintf(" · consuming %s/s, produced %s/s", Rate(vd.ConsumeRate), Rate(vd.ProduceRate)))
	}
	return s
}
