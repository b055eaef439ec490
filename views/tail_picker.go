package views

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
	"kflow/text"
)

// tailPicker asks where the tail starts and which partitions it reads.
// Its defaults (end, all) start with one enter.
type tailPicker struct {
	c      *Common
	topic  string
	fields // start, partitions
	nparts int32
	width  int
	k      tailPickerKeys
}

type tailPickerKeys struct {
	Next, Prev, Start, Cancel key.Binding
}

const (
	pickStart = iota
	pickParts
)

func newTailPicker(c *Common, topic string, parts []int32) *tailPicker {
	p := &tailPicker{c: c, topic: topic, k: tailPickerKeys{
		Next:   key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab", "next field")),
		Prev:   key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab", "previous")),
		Start:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "start tail")),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}}
	p.fields = newFields(c.Theme, "end", "all")
	for i := range p.inputs {
		p.inputs[i].CharLimit = 64
	}
	if len(parts) > 0 {
		p.inputs[pickParts].SetValue(formatParts(parts))
	}
	p.setWidth(80)
	return p
}

func (p *tailPicker) keys() []key.Binding { return []key.Binding{p.k.Start, p.k.Next, p.k.Cancel} }

func (p *tailPicker) setWidth(w int) {
	p.width = w
	p.setInputWidth(max(10, min(40, w-24)))
}

// update passes a key or message to the focused input.
func (p *tailPicker) update(msg tea.Msg) tea.Cmd {
	if kp, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(kp, p.k.Next):
			p.step(1)
			return p.focus()
		case key.Matches(kp, p.k.Prev):
			p.step(-1)
			return p.focus()
		}
		p.errs[p.focused] = ""
	}
	return p.feed(msg)
}

// result parses the fields; a bad one gets its error and focus.
func (p *tailPicker) result() (kafka.Start, []int32, bool) {
	start, err := kafka.ParseStart(p.inputs[pickStart].Value())
	if err != nil {
		p.errs[pickStart] = err.Error()
	}
	parts, perr := parseParts(p.inputs[pickParts].Value(), p.nparts)
	if perr != nil {
		p.errs[pickParts] = perr.Error()
	}
	switch {
	case err != nil:
		p.focused = pickStart
	case perr != nil:
		p.focused = pickParts
	default:
		return start, parts, true
	}
	p.focus()
	return kafka.Start{}, nil, false
}

func (p *tailPicker) view() string {
	th := p.c.Theme
	labels := [2]string{"Start", "Partitions"}
	hints := [2]string{
		"end · beginning · -N last N each · OFFSET · @RFC3339 time or @unix ms",
		"all, or a list such as 0,2,5-7",
	}
	if p.nparts > 0 {
		hints[pickParts] += " (the topic has " + text.CountOf(int(p.nparts), "partition", "partitions") + ")"
	}
	var b strings.Builder
	b.WriteString(th.OverlayTitle.Render("Tail " + p.topic))
	for i := range p.inputs {
		label := th.Label.Render(fmt.Sprintf("%-11s", labels[i]))
		if i == p.focused {
			label = th.FocusedLabel.Render(fmt.Sprintf("%-11s", labels[i]))
		}
		b.WriteString("\n\n" + label + p.inputs[i].View())
		if p.errs[i] != "" {
			b.WriteString("\n" + th.Error.Render(clipWithEllipsis(p.errs[i], max(10, min(72, p.width-8)))))
		} else {
			b.WriteString("\n" + th.Muted.Render(clipWithEllipsis(hints[i], max(10, min(72, p.width-8)))))
		}
	}
	b.WriteString("\n\n" + th.Muted.Render("enter starts · esc cancels"))
	return th.Overlay.Render(b.String())
}

// parseParts reads "all", "" or a list such as "0,2,5-7"; n, when known,
// bounds the partitions.
func parseParts(s string, n int32) ([]int32, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "all" || s == "*" {
		return nil, nil
	}
	var out []int32
	for f := range strings.SplitSeq(s, ",") {
		f = strings.TrimSpace(f)
		lo, hi, isRange := strings.Cut(f, "-")
		a, err := strconv.ParseInt(strings.TrimSpace(lo), 10, 32)
		b := a
		if err == nil && isRange {
			b, err = strconv.ParseInt(strings.TrimSpace(hi), 10, 32)
		}
		if err != nil || a < 0 || b < a {
			return nil, fmt.Errorf("partitions %q: want all or numbers such as 0,2,5-7", s)
		}
		for q := a; q <= b; q++ {
			if n > 0 && q >= int64(n) {
				return nil, fmt.Errorf("partition %d does not exist (the topic has %s)", q, text.CountOf(int(n), "partition", "partitions"))
			}
			if !slices.Contains(out, int32(q)) {
				out = append(out, int32(q))
			}
		}
	}
	slices.Sort(out)
	return out, nil
}

// formatParts writes partitions as parseParts reads them.
func formatParts(ps []int32) string {
	if len(ps) == 0 {
		return "all"
	}
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = strconv.Itoa(int(p))
	}
	return strings.Join(s, ",")
}
