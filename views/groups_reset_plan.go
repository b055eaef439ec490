package views

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
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
		if d.submitting {
			return nil
		}
		if !d.confirmed() {
			d.err = fmt.Errorf("type %s exactly to apply the plan", d.plan.Group)
			return nil
		}
		d.submitting, d.err = true, nil
		return d.a.apply(d.plan)
	}
	d.err = nil
	return d.update(msg)
}

func (d *resetConfirm) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	d.input, cmd = d.input.Update(msg)
	return cmd
}

// planLines renders the plan's rows in at most n lines.
func (d *resetConfirm) planLines(n int) []string {
	th := d.a.c.Theme
	rows := d.plan.Rows
	tw := len("TOPIC")
	for _, r := range rows {
		tw = max(tw, len(r.Topic))
	}
	tw = min(tw, max(8, d.w-60))
	line := func(t, p, old, nw, before, after, delta string) string {
		return fit(t, tw, Left) + "  " + fit(p, 4, Right) + "  " + fit(old, 11, Right) + "  " + fit(nw, 11, Right) +
			"  " + fit(before, 10, Right) + " → " + fit(after, 10, Left) + fit(delta, 9, Right)
	}
	out := []string{th.Header.Render(line("TOPIC", "PART", "OLD", "NEW", "LAG BEFORE", "AFTER", "CHANGE"))}
	var before, after int64
	for _, r := range rows {
		before += r.LagBefore
		after += r.LagAfter
	}
	show := len(rows)
	if show > n-2 {
		show = max(0, n-3)
	}
	for _, r := range rows[:show] {
		old := Count(r.Old)
		if r.Old < 0 {
			old = "none"
		}
		delta := r.LagAfter - r.LagBefore
		ds := Count(delta)
		if delta > 0 {
			ds = "+" + ds
		}
		l := line(r.Topic, fmt.Sprint(r.Partition), old, Count(r.New), Count(r.LagBefore), Count(r.LagAfter), ds)
		if r.New == r.Old {
			out = append(out, th.Muted.Render(l))
		} else {
			out = append(out, th.Text.Render(l))
		}
	}
	if show < len(rows) {
		out = append(out, th.Muted.Render(fmt.Sprintf("… and %d more partitions", len(rows)-show)))
	}
	delta := after - before
	ds := Count(delta)
	if delta > 0 {
		ds = "+" + ds
	}
	out = append(out, th.Title.Render(line("total", "", "", "", Count(before), Count(after), ds)))
	return out
}

func (d *resetConfirm) view() string {
	th := d.a.c.Theme
	p := d.plan
	w := max(20, min(90, d.w-6))
	var b strings.Builder
	b.WriteString(th.Error.Render("Reset offsets of group "+p.Group+" to "+d.target) + "\n")
	b.WriteString(th.Muted.Render(fmt.Sprintf("Plan: %d partitions · nothing is written until you confirm", len(p.Rows))) + "\n\n")
	// Room for the rows: the dialog's own lines and its border take 12.
	for _, l := range d.planLines(max(4, d.h-14)) {
		b.WriteString(clip(l, w) + "\n")
	}
	b.WriteString("\n")
	if p.Members > 0 && d.err == nil {
		b.WriteString(th.Warn.Width(w).Render(fmt.Sprintf(
			"%s is %s. Kafka only resets the offsets of a group with no members: stop its consumers first, or applying will be refused.",
			p.Group, ActiveText(p.Members, p.State))) + "\n")
	}
	b.WriteString(d.footer(th, w, "Type the group name to apply:", "applying…", "applies"))
	return th.Overlay.MaxWidth(max(20, d.w)).Render(b.String())
}
