package views

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
	"kflow/text"
)

// dlqConfirm shows a redrive plan (targets, partitions, headers, refused
// records) and runs it once the DLQ's name is typed back, with progress.
type dlqConfirm struct {
	v    *DLQ
	keys ConfirmKeys
	plan kafka.DLQPlan
	nameBack
	// run is the running redrive's progress, nil before it starts.
	run  *dlqRun
	last kafka.DLQProgress
	w, h int
}

// dlqRun carries a running redrive's progress to the view.
type dlqRun struct {
	progress chan kafka.DLQProgress
	done     chan dlqProgressMsg
}

// dlqProgressMsg is a running redrive's progress, or its end (done).
type dlqProgressMsg struct {
	id       int
	progress kafka.DLQProgress
	done     bool
	result   kafka.DLQResult
	err      error
}

// ViewID is the id of the view running the redrive.
func (m dlqProgressMsg) ViewID() int { return m.id }

func newDLQConfirm(v *DLQ, p kafka.DLQPlan) *dlqConfirm {
	keys := DefaultConfirmKeys()
	keys.Confirm.SetHelp("enter", "redrive (name typed)")
	return &dlqConfirm{v: v, keys: keys, plan: p, nameBack: newNameBack(v.c.Theme, p.Topic)}
}

func (d *dlqConfirm) setSize(w, h int) {
	d.w, d.h = w, h
	d.input.SetWidth(max(10, min(50, w-14)))
}

func (d *dlqConfirm) key(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, d.keys.Cancel):
		if d.submitting {
			return Notice("the redrive runs on; its batches are committed one by one")
		}
		d.v.dialog = nil
		return Notice("redrive cancelled; nothing was sent")
	case key.Matches(msg, d.keys.Confirm):
		if d.submitting {
			return nil
		}
		if d.plan.Sending() == 0 {
			d.err = fmt.Errorf("nothing to send")
			return nil
		}
		if !d.send("redrive") {
			return nil
		}
		return d.start()
	}
	d.err = nil
	return d.update(msg)
}

// start runs the redrive off the UI's goroutine, bounded by Common.Ctx
// only (a redrive takes as long as it takes), and waits for its news.
func (d *dlqConfirm) start() tea.Cmd {
	parent := d.v.c.Ctx
	if parent == nil {
		parent = context.Background()
	}
	run := &dlqRun{progress: make(chan kafka.DLQProgress, 1), done: make(chan dlqProgressMsg, 1)}
	d.run = run
	src, plan, id := d.v.src, d.plan, d.v.id
	go func() {
		res, err := src.Redrive(parent, plan, func(p kafka.DLQProgress) {
			select { // the newest wins; a closed view drains nothing
			case <-run.progress:
			default:
			}
			run.progress <- p
		})
		run.done <- dlqProgressMsg{id: id, done: true, result: res, err: err}
	}()
	return d.wait()
}

func (d *dlqConfirm) wait() tea.Cmd {
	run, id := d.run, d.v.id
	return func() tea.Msg {
		select {
		case m := <-run.done:
			return m
		case p := <-run.progress:
			return dlqProgressMsg{id: id, progress: p}
		}
	}
}

// progress takes a running redrive's news.
func (d *dlqConfirm) progress(m dlqProgressMsg) tea.Cmd {
	if !m.done {
		d.last = m.progress
		return d.wait()
	}
	d.submitting = false
	if m.err != nil {
		d.err = m.err
		return Failure(m.err)
	}
	d.v.dialog = nil
	return tea.Batch(Notice(fmt.Sprintf("redrove %s from %s (id %s)", text.CountOf(m.result.Sent, "record", "records"), d.plan.Topic, m.result.ID)), d.v.load())
}

func (d *dlqConfirm) view() string {
	th := d.v.c.Theme
	p := d.plan
	w := max(20, min(100, d.w-6))
	var b strings.Builder
	b.WriteString(th.Error.Render("Redrive "+p.Topic) + "\n")
	b.WriteString(th.Text.Render(clip(text.SanitizeString(p.Selection), w)) + "\n")
	b.WriteString(th.Muted.Render(clip(fmt.Sprintf("%d selected · %d to send · %d refused · %d done before · id %s",
		p.Selected, p.Sending(), len(p.Refused), p.Done, p.ID), w)) + "\n\n")
	rate := "no rate cap"
	if p.Rate > 0 {
		rate = text.Rate(p.Rate) + " records/s"
	}
	// The dialog's own lines take about 12; targets and refusals share
	// the rest.
	room := max(3, d.h-16)
	b.WriteString(th.Header.Render(clip(fmt.Sprintf("%-24s %7s  %s", "TARGET", "RECORDS", "PARTITIONS"), w)) + "\n")
	for i, t := range p.Targets {
		if i >= room {
			b.WriteString(th.Muted.Render(fmt.Sprintf("… and %d more targets", len(p.Targets)-i)) + "\n")
			break
		}
		b.WriteString(clip(fmt.Sprintf("%-24s %7d  %s", text.SanitizeString(t.Topic), t.Records, dlqPartitions(t.Partitions)), w) + "\n")
	}
	if len(p.Targets) == 0 {
		b.WriteString(th.Muted.Render("nothing to send") + "\n")
	}
	if len(p.Targets) > 0 {
		t := p.Targets[0]
		b.WriteString(th.Label.Render("headers ") + clip(text.SanitizeString(strings.Join(t.Headers, " ")), w-8) + "\n")
		if len(p.Targets) > 1 {
			b.WriteString(th.Muted.Render(clip("(headers and dropped of "+t.Topic+"; --json lists every target's)", w)) + "\n")
		}
		b.WriteString(th.Label.Render("dropped ") + th.Muted.Render(clip(text.SanitizeString(cmp.Or(strings.Join(t.Dropped, " "), "none")), w-8)) + "\n")
	}
	b.WriteString(th.Muted.Render(clip(fmt.Sprintf("%d per transaction · %s · progress in group %s", p.Batch, rate, p.Group), w)) + "\n")
	if len(p.Refused) > 0 {
		b.WriteString("\n" + th.Warn.Render(text.CountOf(len(p.Refused), "record refused", "records refused")) + "\n")
		for i, r := range p.Refused {
			if i >= max(1, room/2) {
				b.WriteString(th.Muted.Render(fmt.Sprintf("… and %d more", len(p.Refused)-i)) + "\n")
				break
			}
			b.WriteString(th.Muted.Render(clip(fmt.Sprintf("%d/%d  %s", r.Partition, r.Offset, text.SanitizeString(r.Reason)), w)) + "\n")
		}
	}
	b.WriteString("\n")
	doing := "redriving…"
	if d.run != nil && d.last.Batches > 0 {
		doing = fmt.Sprintf("redriving… batch %d committed, %d of %d sent", d.last.Batches, d.last.Sent, d.last.Total)
	}
	b.WriteString(d.footer(th, w, "Type the DLQ topic's name to redrive:", doing, "redrives"))
	return th.Overlay.MaxWidth(max(20, d.w)).Render(b.String())
}

// dlqPartitions reads 0×3 2×1: records per partition.
func dlqPartitions(m map[int32]int) string {
	ps := make([]int32, 0, len(m))
	for p := range m {
		ps = append(ps, p)
	}
	slices.Sort(ps)
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = fmt.Sprintf("%d×%d", p, m[p])
	}
	return strings.Join(parts, " ")
}
