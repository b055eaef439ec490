package views

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"kflow/kafka"
	"kflow/text"
	"kflow/themes"
)

// textareaStyles builds the value editor's styles from the theme's own,
// so the editor follows theme switches and NO_COLOR like the inputs.
func textareaStyles(th *themes.Theme) textarea.Styles {
	in := th.Input()
	var s textarea.Styles
	s.Focused = textarea.StyleState{
		Text: th.Text, LineNumber: th.Muted, CursorLineNumber: th.FocusedLabel,
		EndOfBuffer: th.Muted, Placeholder: th.Muted, Prompt: th.Muted, Selection: th.Selected,
	}
	s.Blurred = textarea.StyleState{
		Text: th.Muted, LineNumber: th.Muted, CursorLineNumber: th.Muted,
		EndOfBuffer: th.Muted, Placeholder: th.Muted, Prompt: th.Muted, Selection: th.Selected,
	}
	s.Cursor = textarea.CursorStyle{Color: in.Cursor.Color, Shape: tea.CursorBlock, Blink: false}
	return s
}

// labelWidth is the width of the field labels, marker included.
const labelWidth = 13

// View renders the form, the result line and, over them, the template
// picker.
func (v *Produce) View() string {
	th := v.c.Theme
	var top, bottom []string

	mode := "plain text value"
	switch {
	case v.encs[encValue].enc != nil:
		in := v.encs[encValue].enc.Info()
		mode = fmt.Sprintf("%s value, checked against %s v%d", in.Type, in.Subject, in.Version)
	case v.json:
		mode = "JSON value, checked before sending"
	}
	top = append(top, clip(th.Title.Render("Produce")+th.Muted.Render(" · "+mode+" · ctrl+t templates & history"), v.width), "")

	topicHint := ""
	if t, ok := v.topicSummary(strings.TrimSpace(v.topic.Value())); ok {
		topicHint = text.CountOf(t.Partitions, "partition", "partitions")
	} else if v.topicsLoaded && strings.TrimSpace(v.topic.Value()) == "" {
		topicHint = text.CountOf(len(v.topic.AvailableSuggestions()), "topic", "topics") + ", tab completes"
	} else if !v.topicsLoaded && v.topicsErr == nil && v.p != nil {
		topicHint = "loading topics…"
	}
	top = v.field(top, slotTopic, "Topic", v.topic.View(), topicHint)
	top = v.field(top, slotPartition, "Partition", v.partition.View(), v.partitionHint())
	keyHint := ""
	if v.c.Registry != nil && v.focused == slotKey && v.encs[encKey].enc == nil {
		keyHint = "ctrl+o: a key schema"
	}
	top = v.field(top, slotKey, "Key", v.key.View(), keyHint)
	top = v.encodingLine(top, encKey)
	valueHint := "text (alt+j: check as JSON) · enter adds a line"
	if v.json {
		valueHint = "JSON (alt+j: plain text) · enter adds a line"
	}
	if v.encs[encValue].enc != nil {
		valueHint = "JSON for the schema · enter adds a line"
	}
	top = v.encodingLine(top, encValue)
	top = v.field(top, slotValue, "Value", "", valueHint)

	for i := range v.headers {
		label := ""
		if i == 0 {
			label = "Headers"
		}
		hint := ""
		if v.focused == slotHeaders+i {
			hint = "enter adds · ctrl+x removes"
		}
		bottom = v.field(bottom, slotHeaders+i, label, v.headers[i].View(), hint)
	}
	bottom = v.field(bottom, v.slotCountField(), "Count", v.count.View(), "records to send")
	bottom = v.field(bottom, v.slotRate(), "Rate", v.rate.View(), "per second")
	bottom = append(bottom, "")
	bottom = append(bottom, v.resultLines()...)

	// The value editor takes the rows left over.
	rows := v.height - len(top) - len(bottom)
	valueErr := v.errLines(slotValue)
	rows -= len(valueErr)
	v.fitGutter()
	v.value.SetHeight(max(3, min(30, rows)))
	v.unscroll()
	var mid []string
	for _, l := range strings.Split(v.value.View(), "\n") {
		mid = append(mid, "  "+l)
	}
	v.editorMarks(mid)
	mid = append(mid, valueErr...)
	body := strings.Join(append(append(top, mid...), bottom...), "\n")
	if v.picker != nil {
		return Overlay(body, v.pickerView(), v.width, v.height)
	}
	if v.spick != nil {
		return Overlay(body, v.schemaPickerView(), v.width, v.height)
	}
	return Frame(body, v.width, v.height)
}

// field appends a labelled input, its hint (beside it when there is room,
// else below) and its error.
func (v *Produce) field(lines []string, slot int, label, input, hint string) []string {
	th := v.c.Theme
	l := fmt.Sprintf("%-*s", labelWidth-2, label)
	if slot == v.focused && v.picker == nil && v.spick == nil {
		l = th.FocusedLabel.Render("› " + l)
	} else {
		l = th.Label.Render("  " + l)
	}
	line := l + input
	if hint != "" {
		if lipgloss.Width(line)+2+lipgloss.Width(hint) <= v.width {
			line += "  " + th.Muted.Render(hint)
		} else {
			lines = append(lines, clip(line, v.width))
			line = strings.Repeat(" ", labelWidth) + th.Muted.Render(hint)
		}
	}
	lines = append(lines, clip(line, v.width))
	if slot != slotValue {
		lines = append(lines, v.errLines(slot)...)
	}
	return lines
}

// errLines are a field's error, wrapped under its input.
func (v *Produce) errLines(slot int) []string {
	e := v.errs[slot]
	if e == "" {
		return nil
	}
	w := max(20, v.width-labelWidth-1)
	var out []string
	for _, l := range strings.Split(v.c.Theme.Error.Width(w).Render(e), "\n") {
		out = append(out, strings.Repeat(" ", labelWidth)+l)
	}
	return out
}

// resultLines are the lines under the form: a run's progress, the last
// results, or why the send failed.
func (v *Produce) resultLines() []string {
	th := v.c.Theme
	w := v.width
	var out []string
	wrap := func(st lipgloss.Style, s string) {
		for _, l := range strings.Split(st.Width(max(20, w-4)).Render(s), "\n") {
			out = append(out, "  "+l)
		}
	}
	switch {
	case v.run != nil:
		r := v.run
		out = append(out, "  "+v.progressBar(r.stats.Acked, int64(r.count))+" "+th.Text.Render(fmt.Sprintf("%s / %s", text.Count(r.stats.Acked), text.Count(int64(r.count)))))
		out = append(out, clip("  "+th.Muted.Render(statsLine(r.stats, r.rate)), w))
		if r.cancelled {
			out = append(out, "  "+th.Warn.Render("cancelling: records already sent are still being acknowledged…"))
		} else {
			out = append(out, "  "+th.Muted.Render("esc cancels the run"))
		}
	case v.sending:
		out = append(out, "  "+th.Muted.Render("sending…"))
	}
	if v.run == nil && v.last != nil {
		s := v.last
		head := fmt.Sprintf("sent %s of %s records", text.Count(s.stats.Acked), text.Count(int64(s.count)))
		switch {
		case s.err != nil:
			head = "run failed: " + head
		case s.cancelled:
			head = "cancelled: " + head
		}
		st := th.OK
		if s.err != nil || s.cancelled || s.stats.Failed > 0 {
			st = th.Warn
		}
		out = append(out, clip("  "+st.Render(head)+th.Muted.Render(" · "+statsLine(s.stats, 0)), w))
	}
	if v.err != nil && v.run == nil {
		wrap(th.Error, "not sent: "+v.err.Error())
		out = append(out, "  "+th.Muted.Render("everything typed is kept: fix it and press ctrl+s again"))
	}
	if v.tried && len(v.errs) > 0 && v.err == nil {
		n := len(v.errs)
		out = append(out, "  "+th.Error.Render(fmt.Sprintf("%d %s to fix before sending", n, map[bool]string{true: "field", false: "fields"}[n == 1])))
	}
	if v.run == nil && !v.sending && v.err == nil {
		for i, r := range v.sent {
			st := th.Muted
			if i == 0 {
				st = th.OK
			}
			out = append(out, clip("  "+st.Render(fmt.Sprintf("✓ %s · partition %d · offset %s · %s", r.Topic, r.Partition, text.Count(r.Offset), r.Timestamp.Format("2006-01-02 15:04:05.000"))), w))
		}
	}
	if len(out) == 0 { // idle: say where sends are kept
		out = append(out, clip("  "+th.Muted.Render(v.historyNote()), w))
	}
	return out
}

// statsLine is a run's figures: acknowledged, rate, latencies, failures.
func statsLine(s kafka.StreamStats, target float64) string {
	parts := []string{
		text.Rate(s.Rate()) + "/s",
		"p50 " + latency(s.P50),
		"p99 " + latency(s.P99),
		text.Count(s.Failed) + " failed",
		s.Elapsed.Round(100 * time.Millisecond).String(),
	}
	if target > 0 {
		parts[0] += " (target " + text.Rate(target) + "/s)"
	}
	return strings.Join(parts, " · ")
}

// latency formats an acknowledgement latency to two or three digits.
func latency(d time.Duration) string {
	switch {
	case d <= 0:
		return text.Dash
	case d < time.Millisecond:
		return d.Round(time.Microsecond).String()
	case d < 10*time.Millisecond:
		return d.Round(100 * time.Microsecond).String()
	}
	return d.Round(time.Millisecond).String()
}

// progressBar draws done out of total, from the theme's styles.
func (v *Produce) progressBar(done, total int64) string {
	th := v.c.Theme
	w := max(10, min(40, v.width-30))
	f := 0
	if total > 0 {
		f = int(min(done, total) * int64(w) / total)
	}
	return th.Accent.Render(strings.Repeat("█", f)) + th.Muted.Render(strings.Repeat("░", w-f))
}
