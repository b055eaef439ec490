package views

import (
	"fmt"
	"sort"
	"strings"

	"charm.land/lipgloss/v2"

	"kflow/kafka"
	"kflow/text"
)

// View renders the group's summary, its partitions and its members.
func (v *GroupDetail) View() string {
	th := v.c.Theme
	g := v.lag.Group
	var lines []string
	switch {
	case !v.loaded && v.err == nil:
		lines = append(lines, th.Muted.Render("loading group "+v.group+"…"))
	case !v.loaded:
		lines = append(lines, th.Error.Render("could not read group "+v.group)+th.Muted.Render(" (r retries)"))
	default:
		parts := []string{th.Title.Render(g.ID), th.Text.Render(g.Type), th.Text.Render(g.State),
			th.Text.Render(text.CountOf(g.Members, "member", "members"))}
		when := th.Muted.Render("updated " + v.updated.Format("15:04:05"))
		if v.c.Stale(v.err) {
			when = th.Warn.Render("STALE") + th.Muted.Render(" since "+v.updated.Format("15:04:05"))
		}
		// Assignor and coordinator show when there is room.
		var extra []string
		if g.Protocol != "" {
			extra = append(extra, th.Muted.Render("assignor "+g.Protocol))
		}
		extra = append(extra, th.Muted.Render(fmt.Sprintf("coordinator %d", g.Coordinator)))
		for len(extra) > 0 && lipgloss.Width(strings.Join(append(append(parts[:len(parts):len(parts)], extra...), when), " · ")) > v.width {
			extra = extra[:len(extra)-1]
		}
		parts = append(append(parts, extra...), when)
		lines = append(lines, strings.Join(parts, th.Muted.Render(" · ")))
	}
	vd := v.lag.Verdict
	if v.loaded {
		lines = append(lines, verdictLine(v.c, v.group, vd, v.width))
		sum := []string{
			th.Text.Render("lag " + text.Count(v.lag.TotalLag)),
			th.Text.Render("time lag " + timeLagText(v.lag.TimeLag)),
			th.Text.Render("catch-up " + catchUpText(vd)),
			th.Accent.Render(lagSpark(v.lag.History, 20)),
		}
		if v.lag.Err != "" {
			sum = append(sum, th.Error.Render(v.lag.Err))
		}
		lines = append(lines, strings.Join(sum, th.Muted.Render(" · ")))
	}
	for len(lines) < v.headLines() {
		lines = append(lines, "")
	}
	for i := range lines {
		lines[i] = clip(lines[i], v.width)
	}
	body := strings.Join(lines, "\n") + "\n" + v.table.View() + "\n" + v.members()
	if v.dialog != nil {
		return Overlay(body, v.dialog.view(), v.width, v.height)
	}
	return Frame(body, v.width, v.height)
}

// members renders the members section in memberLines lines.
func (v *GroupDetail) members() string {
	th := v.c.Theme
	n := v.memberLines()
	ms := v.lag.Group.MemberList
	out := []string{""}
	if len(ms) == 0 {
		out = append(out, th.Muted.Render("no members: nobody consumes for this group now"))
		return strings.Join(out, "\n")
	}
	cw, hw := len("CLIENT"), len("HOST")
	for _, m := range ms {
		cw, hw = max(cw, len(m.ClientID)), max(hw, len(m.Host))
	}
	cw, hw = min(cw, 24), min(hw, 20)
	out = append(out, clip(th.Header.Render(fit("MEMBERS", 7, Left)+"  "+fit("CLIENT", cw, Left)+"  "+fit("HOST", hw, Left)+"  ASSIGNED"), v.width))
	room := n - 2
	for i, m := range ms {
		if i == room-1 && len(ms) > room {
			out = append(out, th.Muted.Render(fmt.Sprintf("… and %d more members", len(ms)-i)))
			break
		}
		out = append(out, clip(fit(fmt.Sprint(i+1), 7, Left)+"  "+th.Text.Render(fit(m.ClientID, cw, Left))+"  "+
			th.Muted.Render(fit(m.Host, hw, Left))+"  "+th.Text.Render(assignment(m.Assigned)), v.width))
	}
	return strings.Join(out, "\n")
}

// assignment formats "orders 0,1,2 · payments 3".
func assignment(tps []kafka.TopicPartitions) string {
	if len(tps) == 0 {
		return "nothing assigned"
	}
	tps = append([]kafka.TopicPartitions(nil), tps...)
	sort.Slice(tps, func(i, j int) bool { return tps[i].Topic < tps[j].Topic })
	var parts []string
	for _, tp := range tps {
		ps := make([]string, len(tp.Partitions))
		for i, p := range tp.Partitions {
			ps[i] = fmt.Sprint(p)
		}
		parts = append(parts, tp.Topic+" "+strings.Join(ps, ","))
	}
	return strings.Join(parts, " · ")
}
