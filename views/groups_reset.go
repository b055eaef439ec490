package views

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
)

// ResetKeys are the bindings of the reset form and plan.
type ResetKeys struct {
	Mode   key.Binding
	Next   key.Binding
	Prev   key.Binding
	Submit key.Binding
	Cancel key.Binding
}

// DefaultResetKeys returns the reset dialogs' bindings.
func DefaultResetKeys() ResetKeys {
	return ResetKeys{
		Mode:   key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→", "target")),
		Next:   key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab", "next field")),
		Prev:   key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab", "previous field")),
		Submit: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "show plan")),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

// resetModes are the form's targets, in the order ←/→ cycles them.
var resetModes = []struct {
	mode  kafka.ResetMode
	name  string
	value string // what the value field takes, "" when none
}{
	{kafka.ResetEarliest, "earliest", ""},
	{kafka.ResetLatest, "latest", ""},
	{kafka.ResetTime, "time", "RFC 3339 time, or an age such as 1h or 30m"},
	{kafka.ResetOffset, "offset", "offset"},
	{kafka.ResetShift, "shift", "records to move, negative rewinds"},
}

// resetForm asks where to move a group's offsets and for which partitions.
type resetForm struct {
	a          *groupActions
	keys       ResetKeys
	group      kafka.GroupLag
	mode       int
	focused    int // 0 target, 1 value, 2 partitions
	value      textinput.Model
	parts      textinput.Model
	err        error
	submitting bool
	w          int
}

func newResetForm(a *groupActions, g kafka.GroupLag) *resetForm {
	th := a.c.Theme
	value := textinput.New()
	value.Prompt = "› "
	value.SetStyles(th.Input())
	parts := textinput.New()
	parts.Prompt = "› "
	parts.Placeholder = "all partitions with commits"
	parts.SetStyles(th.Input())
	return &resetForm{a: a, keys: DefaultResetKeys(), group: g, value: value, parts: parts}
}

func (f *resetForm) help() []key.Binding {
	return []key.Binding{f.keys.Mode, f.keys.Next, f.keys.Submit, f.keys.Cancel}
}

func (f *resetForm) setSize(w, _ int) {
	f.w = w
	iw := max(10, min(50, w-14))
	f.value.SetWidth(iw)
	f.parts.SetWidth(iw)
}

func (f *resetForm) hasValue() bool { return resetModes[f.mode].value != "" }

// fields are the focusable fields in order.
func (f *resetForm) fields() []int {
	if f.hasValue() {
		return []int{0, 1, 2}
	}
	return []int{0, 2}
}

func (f *resetForm) focusField(i int) tea.Cmd {
	f.focused = i
	f.value.Blur()
	f.parts.Blur()
	switch i {
	case 1:
		return f.value.Focus()
	case 2:
		return f.parts.Focus()
	}
	return nil
}

func (f *resetForm) move(d int) tea.Cmd {
	fs := f.fields()
	at := 0
	for i, x := range fs {
		if x == f.focused {
			at = i
		}
	}
	return f.focusField(fs[(at+d+len(fs))%len(fs)])
}

func (f *resetForm) key(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, f.keys.Cancel):
		f.a.dialog = nil
		return Notice("reset cancelled; nothing was written")
	case key.Matches(msg, f.keys.Submit):
		if f.submitting {
			return nil
		}
		spec, err := f.spec()
		if err != nil {
			f.err = err
			return nil
		}
		f.submitting, f.err = true, nil
		return f.a.plan(spec)
	case key.Matches(msg, f.keys.Next):
		return f.move(1)
	case key.Matches(msg, f.keys.Prev):
		return f.move(-1)
	case f.focused == 0 && key.Matches(msg, f.keys.Mode):
		d := 1
		if msg.String() == "left" {
			d = len(resetModes) - 1
		}
		f.mode = (f.mode + d) % len(resetModes)
		f.value.SetValue("")
		f.value.Placeholder = resetModes[f.mode].value
		f.err = nil
		return nil
	}
	f.err = nil
	return f.update(msg)
}

func (f *resetForm) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	switch f.focused {
	case 1:
		f.value, cmd = f.value.Update(msg)
	case 2:
		f.parts, cmd = f.parts.Update(msg)
	}
	return cmd
}

// target says in words where the offsets go.
func (f *resetForm) target() string {
	m := resetModes[f.mode]
	if m.value == "" {
		return m.name
	}
	return m.name + " " + strings.TrimSpace(f.value.Value())
}

// spec reads the form.
func (f *resetForm) spec() (kafka.ResetSpec, error) {
	spec := kafka.ResetSpec{Group: f.group.Group.ID, Mode: resetModes[f.mode].mode}
	val := strings.TrimSpace(f.value.Value())
	switch spec.Mode {
	case kafka.ResetOffset, kafka.ResetShift:
		n, err := strconv.ParseInt(val, 10, 64)
		if err != nil || (spec.Mode == kafka.ResetOffset && n < 0) {
			return spec, fmt.Errorf("%s takes a whole number", resetModes[f.mode].name)
		}
		spec.Offset = n
	case kafka.ResetTime:
		if d, err := time.ParseDuration(strings.TrimPrefix(val, "-")); err == nil && d > 0 {
			spec.Time = f.a.c.now().Add(-d)
		} else if t, err := time.Parse(time.RFC3339Nano, val); err == nil {
			spec.Time = t
		} else {
			return spec, fmt.Errorf("time takes an RFC 3339 time (2026-11-23T10:00:00Z) or an age (1h, 30m)")
		}
	}
	tps, err := parsePartitionList(f.parts.Value())
	if err != nil {
		return spec, err
	}
	spec.Topics = tps
	return spec, nil
}

// parsePartitionList reads "orders payments:0,2": topics, each with all
// its partitions or the listed ones. Empty means every committed one.
func parsePartitionList(s string) ([]kafka.TopicPartitions, error) {
	var out []kafka.TopicPartitions
	for _, f := range strings.Fields(strings.ReplaceAll(s, ";", " ")) {
		t, ps, has := strings.Cut(f, ":")
		tp := kafka.TopicPartitions{Topic: t}
		if t == "" {
			return nil, fmt.Errorf("partitions: %q names no topic (write topic or topic:0,1)", f)
		}
		if has {
			for _, p := range strings.Split(ps, ",") {
				n, err := strconv.ParseInt(strings.TrimSpace(p), 10, 32)
				if err != nil || n < 0 {
					return nil, fmt.Errorf("partitions: %q is not a partition number", p)
				}
				tp.Partitions = append(tp.Partitions, int32(n))
			}
		}
		out = append(out, tp)
	}
	return out, nil
}

func (f *resetForm) view() string {
	th := f.a.c.Theme
	g := f.group.Group
	w := max(20, min(70, f.w-6))
	var b strings.Builder
	b.WriteString(th.OverlayTitle.Render("Reset offsets of group "+g.ID) + "\n\n")
	label := func(i int, s string) string {
		if f.focused == i {
			return th.FocusedLabel.Render(s)
		}
		return th.Label.Render(s)
	}
	b.WriteString(label(0, "Move to") + "\n")
	var modes []string
	for i, m := range resetModes {
		if i == f.mode {
			modes = append(modes, th.Chosen.Render("["+m.name+"]"))
		} else {
			modes = append(modes, th.Muted.Render(" "+m.name+" "))
		}
	}
	b.WriteString(strings.Join(modes, "") + "\n")
	if f.hasValue() {
		b.WriteString(label(1, strings.ToUpper(resetModes[f.mode].value[:1])+resetModes[f.mode].value[1:]) + "\n")
		b.WriteString(f.value.View() + "\n")
	}
	b.WriteString(label(2, "Partitions (topic, or topic:0,2; blank for all)") + "\n")
	b.WriteString(f.parts.View() + "\n\n")
	switch {
	case f.submitting:
		b.WriteString(th.Muted.Render("computing the plan…"))
	case f.err != nil:
		b.WriteString(th.Error.Width(w).Render(f.err.Error()))
	default:
		b.WriteString(th.Muted.Width(w).Render("enter shows the plan; nothing is written before you confirm it"))
	}
	return th.Overlay.MaxWidth(max(20, f.w)).Render(b.String())
}
