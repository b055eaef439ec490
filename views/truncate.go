package views

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
	"kflow/text"
)

// Truncater is a Cluster that can delete records (*kafka.Client can).
type Truncater interface {
	PlanTruncate(ctx context.Context, spec kafka.TruncateSpec) (kafka.TruncatePlan, error)
	Truncate(ctx context.Context, plan kafka.TruncatePlan) (map[int32]int64, error)
}

var _ Truncater = (*kafka.Client)(nil)

// TruncateKeys are the bindings of the delete-records form and plan.
type TruncateKeys struct {
	Mode    key.Binding
	Next    key.Binding
	Prev    key.Binding
	Submit  key.Binding
	Confirm key.Binding
	Cancel  key.Binding
}

// DefaultTruncateKeys returns the delete-records bindings.
func DefaultTruncateKeys() TruncateKeys {
	return TruncateKeys{
		Mode:    key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→", "before what")),
		Next:    key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab", "next field")),
		Prev:    key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab", "previous field")),
		Submit:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "show plan")),
		Confirm: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "delete (name typed)")),
		Cancel:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

// truncateModes are the form's cuts, in the order ←/→ cycles them.
var truncateModes = []struct {
	mode  kafka.TruncateMode
	name  string
	value string // what the value field takes, "" when none
}{
	{kafka.TruncateOffset, "before offset", "offset: records before it go"},
	{kafka.TruncateTime, "before time", "RFC 3339 time, Unix ms, or an age such as 2h or 7d"},
	{kafka.TruncateEnd, "everything (end)", ""},
}

// Truncate is the delete-records screen of a topic: a form (before an
// offset, a time, or the end; all partitions or a list), then the plan
// (start offset before → after and the records removed, per partition)
// and the topic's name typed back before anything is deleted.
type Truncate struct {
	c     *Common
	id    int
	gen   int
	topic string
	keys  TruncateKeys

	mode    int
	focused int // 0 mode, 1 value, 2 partitions
	value   textinput.Model
	parts   textinput.Model
	err     error
	busy    bool

	plan    *kafka.TruncatePlan
	confirm nameBack

	width, height int
}

// NewTruncate makes the delete-records screen of topic.
func NewTruncate(c *Common, topic string) *Truncate {
	th := c.Theme
	mk := func(ph string) textinput.Model {
		in := textinput.New()
		in.Prompt = "› "
		in.Placeholder = ph
		in.SetStyles(th.Input())
		return in
	}
	return &Truncate{c: c, id: c.NewID(), topic: topic, keys: DefaultTruncateKeys(), value: mk(truncateModes[0].value),
		parts: mk("all partitions (or 0,2)"), confirm: newNameBack(th, topic)}
}

// ID is the view's id.
func (v *Truncate) ID() int { return v.id }

// Init focuses the value field.
func (v *Truncate) Init() tea.Cmd {
	if v.c.ReadOnly {
		return tea.Batch(Failure(fmt.Errorf("delete records of %s: %w", v.topic, kafka.ErrReadOnly)), Pop())
	}
	return v.focusField(1)
}

// Title names the view.
func (v *Truncate) Title() string { return "delete records · " + v.topic }

// Capturing is always true: the form and the confirmation take text.
func (v *Truncate) Capturing() bool { return true }

// WantsEsc: esc cancels inside the view.
func (v *Truncate) WantsEsc() bool { return true }

// Busy reports whether a plan or a delete is in flight.
func (v *Truncate) Busy() bool { return v.busy }

// Close does nothing.
func (v *Truncate) Close() {}

// SetSize sets the view's area.
func (v *Truncate) SetSize(w, h int) {
	v.width, v.height = w, h
	iw := max(10, min(50, w-14))
	v.value.SetWidth(iw)
	v.parts.SetWidth(iw)
	v.confirm.input.SetWidth(iw)
}

// ShortHelp returns the one-line help bindings.
func (v *Truncate) ShortHelp() []key.Binding {
	if v.plan != nil {
		return []key.Binding{v.keys.Confirm, v.keys.Cancel}
	}
	return []key.Binding{v.keys.Mode, v.keys.Next, v.keys.Submit, v.keys.Cancel}
}

// FullHelp returns every binding, grouped.
func (v *Truncate) FullHelp() [][]key.Binding { return [][]key.Binding{v.ShortHelp()} }

func (v *Truncate) hasValue() bool { return truncateModes[v.mode].value != "" }

func (v *Truncate) focusField(i int) tea.Cmd {
	v.focused = i
	v.value.Blur()
	v.parts.Blur()
	switch i {
	case 1:
		return v.value.Focus()
	case 2:
		return v.parts.Focus()
	}
	return nil
}

func (v *Truncate) move(d int) tea.Cmd {
	fs := []int{0, 1, 2}
	if !v.hasValue() {
		fs = []int{0, 2}
	}
	at := 0
	for i, x := range fs {
		if x == v.focused {
			at = i
		}
	}
	return v.focusField(fs[(at+d+len(fs))%len(fs)])
}

// spec reads the form.
func (v *Truncate) spec() (kafka.TruncateSpec, error) {
	spec := kafka.TruncateSpec{Topic: v.topic, Mode: truncateModes[v.mode].mode}
	val := strings.TrimSpace(v.value.Value())
	switch spec.Mode {
	case kafka.TruncateOffset:
		n, err := strconv.ParseInt(val, 10, 64)
		if err != nil || n < 0 {
			return spec, fmt.Errorf("before offset takes a whole number, not %q", val)
		}
		spec.Offset = n
	case kafka.TruncateTime:
		_, _, at, err := kafka.ParseTruncateBefore("@"+strings.TrimPrefix(val, "@"), v.c.now())
		if err != nil {
			return spec, fmt.Errorf("before time takes an RFC 3339 time (2026-11-23T10:00:00Z), Unix milliseconds, or an age (2h, 7d)")
		}
		spec.Time = at
	}
	for _, f := range strings.FieldsFunc(v.parts.Value(), func(r rune) bool { return r == ',' || r == ' ' }) {
		n, err := strconv.ParseInt(f, 10, 32)
		if err != nil || n < 0 {
			return spec, fmt.Errorf("partitions: %q is not a partition number (write 0,2, or leave it blank for all)", f)
		}
		spec.Partitions = append(spec.Partitions, int32(n))
	}
	return spec, nil
}

// truncated is the answer to the delete.
type truncated struct {
	lows map[int32]int64
}

// Update handles results and keys.
func (v *Truncate) Update(msg tea.Msg) (View, tea.Cmd) {
	switch msg := msg.(type) {
	case Result[kafka.TruncatePlan]:
		if msg.ID != v.id || msg.Gen != v.gen {
			return v, nil
		}
		v.busy = false
		if msg.Err != nil {
			v.err = msg.Err
			return v, nil
		}
		p := msg.Value
		v.plan = &p
		v.confirm = newNameBack(v.c.Theme, v.topic)
		v.SetSize(v.width, v.height)
		v.value.Blur()
		v.parts.Blur()
		return v, v.confirm.focus()
	case Result[truncated]:
		if msg.ID != v.id || msg.Gen != v.gen {
			return v, nil
		}
		v.busy = false
		if msg.Err != nil {
			v.confirm.submitting, v.confirm.err = false, msg.Err
			return v, Failure(msg.Err)
		}
		return v, tea.Batch(Notice(fmt.Sprintf("deleted %s of %s", text.CountOf(int(v.plan.Removed), "record", "records"), v.topic)), Pop())
	case tea.KeyPressMsg:
		if v.plan != nil {
			return v, v.planKey(msg)
		}
		return v, v.formKey(msg)
	}
	return v, nil
}

func (v *Truncate) formKey(msg tea.KeyPressMsg) tea.Cmd {
	k := v.keys
	switch {
	case key.Matches(msg, k.Cancel):
		return tea.Batch(Notice("delete records cancelled; nothing was deleted"), Pop())
	case key.Matches(msg, k.Submit):
		if v.busy {
			return nil
		}
		spec, err := v.spec()
		if err != nil {
			v.err = err
			return nil
		}
		tr, ok := v.c.Cluster.(Truncater)
		if !ok {
			v.err = fmt.Errorf("this connection cannot delete records")
			return nil
		}
		v.err, v.busy = nil, true
		v.gen++
		return Call(v.c, v.id, v.gen, "plan deleting records of "+v.topic, func(ctx context.Context) (kafka.TruncatePlan, error) {
			return tr.PlanTruncate(ctx, spec)
		})
	case key.Matches(msg, k.Next):
		return v.move(1)
	case key.Matches(msg, k.Prev):
		return v.move(-1)
	case v.focused == 0 && key.Matches(msg, k.Mode):
		d := 1
		if msg.String() == "left" {
			d = len(truncateModes) - 1
		}
		v.mode = (v.mode + d) % len(truncateModes)
		v.value.SetValue("")
		v.value.Placeholder = truncateModes[v.mode].value
		v.err = nil
		return nil
	}
	v.err = nil
	var cmd tea.Cmd
	switch v.focused {
	case 1:
		v.value, cmd = v.value.Update(msg)
	case 2:
		v.parts, cmd = v.parts.Update(msg)
	}
	return cmd
}

func (v *Truncate) planKey(msg tea.KeyPressMsg) tea.Cmd {
	k := v.keys
	switch {
	case key.Matches(msg, k.Cancel): // back to the form as typed
		v.plan = nil
		return v.focusField(1)
	case key.Matches(msg, k.Confirm):
		if v.confirm.submitting {
			return nil
		}
		if !v.confirm.confirmed() {
			v.confirm.err = fmt.Errorf("type %s exactly to delete the records", v.topic)
			return nil
		}
		if v.c.ReadOnly {
			v.confirm.err = fmt.Errorf("delete records of %s: %w", v.topic, kafka.ErrReadOnly)
			return nil
		}
		tr, ok := v.c.Cluster.(Truncater)
		if !ok {
			return nil
		}
		plan := *v.plan
		v.confirm.submitting, v.confirm.err, v.busy = true, nil, true
		v.gen++
		return Call(v.c, v.id, v.gen, "delete records of "+v.topic, func(ctx context.Context) (truncated, error) {
			lows, err := tr.Truncate(ctx, plan)
			return truncated{lows}, err
		})
	}
	v.confirm.err = nil
	var cmd tea.Cmd
	v.confirm.input, cmd = v.confirm.input.Update(msg)
	return cmd
}

// View renders the form, or the plan and the confirmation.
func (v *Truncate) View() string {
	th := v.c.Theme
	w := max(20, min(90, v.width-2))
	var b strings.Builder
	if v.plan == nil {
		b.WriteString(th.OverlayTitle.Render(clip("Delete records of "+v.topic, w)) + "\n\n")
		label := func(i int, s string) string {
			if v.focused == i {
				return th.FocusedLabel.Render(s)
			}
			return th.Label.Render(s)
		}
		b.WriteString(label(0, "Delete") + "\n")
		var modes []string
		for i, m := range truncateModes {
			if i == v.mode {
				modes = append(modes, th.Chosen.Render("["+m.name+"]"))
			} else {
				modes = append(modes, th.Muted.Render(" "+m.name+" "))
			}
		}
		b.WriteString(clip(strings.Join(modes, ""), w) + "\n")
		if v.hasValue() {
			m := truncateModes[v.mode]
			b.WriteString(label(1, strings.ToUpper(m.value[:1])+m.value[1:]) + "\n")
			b.WriteString(v.value.View() + "\n")
		}
		b.WriteString(label(2, "Partitions (blank for all)") + "\n")
		b.WriteString(v.parts.View() + "\n\n")
		switch {
		case v.busy:
			b.WriteString(th.Muted.Render("computing the plan…"))
		case v.err != nil:
			b.WriteString(th.Error.Width(w).Render(v.err.Error()))
		default:
			b.WriteString(th.Muted.Width(w).Render("enter shows the plan; nothing is deleted before you confirm it"))
		}
		return Frame(b.String(), v.width, v.height)
	}
	p := v.plan
	b.WriteString(th.Error.Render(clip("Delete "+p.Spec.Describe()+" of "+v.topic, w)) + "\n")
	b.WriteString(th.Muted.Render(clip(fmt.Sprintf("Plan: %s from %s · nothing is deleted until you confirm",
		text.CountOf(int(p.Removed), "record", "records"), text.CountOf(len(p.Rows), "partition", "partitions")), w)) + "\n\n")
	for _, l := range v.planLines(max(3, v.height-12)) {
		b.WriteString(clip(l, w) + "\n")
	}
	b.WriteString("\n")
	b.WriteString(v.confirm.footer(th, w, "Deleted records cannot be restored. Type the topic name to delete:", "deleting…", "deletes"))
	return Frame(b.String(), v.width, v.height)
}

// planLines renders the plan's rows in at most n lines, the total last.
func (v *Truncate) planLines(n int) []string {
	th := v.c.Theme
	rows := v.plan.Rows
	show := len(rows)
	if show > n-2 {
		show = max(0, n-3)
	}
	cols := []struct {
		title string
		cells []string
	}{{title: "PARTITION"}, {title: "START"}, {title: "NEW START"}, {title: "END"}, {title: "REMOVED"}}
	for _, r := range rows[:show] {
		for c, s := range []string{strconv.Itoa(int(r.Partition)), text.Count(r.Low), text.Count(r.NewLow), text.Count(r.High), text.Count(r.Removed)} {
			cols[c].cells = append(cols[c].cells, s)
		}
	}
	for c, s := range []string{"total", "", "", "", text.Count(v.plan.Removed)} {
		cols[c].cells = append(cols[c].cells, s)
	}
	widths := make([]int, len(cols))
	for c, col := range cols {
		widths[c] = len(col.title)
		for _, s := range col.cells {
			widths[c] = max(widths[c], len(s))
		}
	}
	line := func(cell func(c int) string) string {
		parts := make([]string, len(cols))
		for c := range cols {
			a := Right
			if c == 0 {
				a = Left
			}
			parts[c] = fit(cell(c), widths[c], a)
		}
		return strings.TrimRight(strings.Join(parts, "  "), " ")
	}
	out := []string{th.Header.Render(line(func(c int) string { return cols[c].title }))}
	for i, r := range rows[:show] {
		l := line(func(c int) string { return cols[c].cells[i] })
		if r.Removed == 0 {
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

// ensure the view satisfies the shell's interface.
var _ View = (*Truncate)(nil)
