package views

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
)

// FormKeys are the bindings of the create-topic form.
type FormKeys struct {
	Next   key.Binding
	Prev   key.Binding
	Submit key.Binding
	Cancel key.Binding
}

// DefaultFormKeys returns the form's bindings.
func DefaultFormKeys() FormKeys {
	return FormKeys{
		Next:   key.NewBinding(key.WithKeys("tab", "down", "enter"), key.WithHelp("tab/enter", "next field")),
		Prev:   key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab", "previous field")),
		Submit: key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s/enter on last", "create")),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

func (k FormKeys) short() []key.Binding { return []key.Binding{k.Next, k.Prev, k.Submit, k.Cancel} }

// Form fields.
const (
	fieldName = iota
	fieldPartitions
	fieldRF
	fieldConfigs
	fieldCount
)

var fieldLabels = [fieldCount]string{"Name", "Partitions", "Replication factor", "Configs"}

// createForm is the create-topic form: what was typed stays when the
// broker refuses, so a typo costs one edit, not the whole form.
type createForm struct {
	c          *Common
	keys       FormKeys
	inputs     [fieldCount]textinput.Model
	focused    int
	errs       [fieldCount]string
	tried      bool
	submitting bool
	err        error // the broker's answer
	width      int
}

func newCreateForm(c *Common) *createForm {
	f := &createForm{c: c, keys: DefaultFormKeys()}
	ph := [fieldCount]string{"orders", "broker default", "broker default", "cleanup.policy=compact, retention.ms=86400000"}
	for i := range f.inputs {
		in := textinput.New()
		in.Prompt = ""
		in.Placeholder = ph[i]
		in.SetStyles(c.Theme.Input())
		f.inputs[i] = in
	}
	f.inputs[fieldName].CharLimit = 249
	return f
}

func (f *createForm) setWidth(w int) {
	f.width = w
	iw := max(10, min(60, w-30))
	for i := range f.inputs {
		f.inputs[i].SetWidth(iw)
	}
}

func (f *createForm) focus() tea.Cmd {
	for i := range f.inputs {
		f.inputs[i].Blur()
	}
	return f.inputs[f.focused].Focus()
}

func (f *createForm) onLast() bool { return f.focused == fieldCount-1 }

// Value returns what is typed in field i, for tests.
func (f *createForm) Value(i int) string { return f.inputs[i].Value() }

func (f *createForm) update(msg tea.Msg) tea.Cmd {
	if kp, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(kp, f.keys.Next):
			f.focused = (f.focused + 1) % fieldCount
			return f.focus()
		case key.Matches(kp, f.keys.Prev):
			f.focused = (f.focused + fieldCount - 1) % fieldCount
			return f.focus()
		}
	}
	var cmd tea.Cmd
	f.inputs[f.focused], cmd = f.inputs[f.focused].Update(msg)
	f.check()
	return cmd
}

var topicNameRE = regexp.MustCompile(`^[a-zA-Z0-9._-]+$`)

// check validates every field, filling errs; empty required fields count
// only once a submit was tried.
func (f *createForm) check() (kafka.TopicSpec, bool) {
	f.errs = [fieldCount]string{}
	spec := kafka.TopicSpec{Name: strings.TrimSpace(f.inputs[fieldName].Value())}
	switch n := spec.Name; {
	case n == "" && f.tried:
		f.errs[fieldName] = "a name is required"
	case n == "":
	case n == "." || n == "..":
		f.errs[fieldName] = `"." and ".." are not allowed`
	case !topicNameRE.MatchString(n):
		f.errs[fieldName] = "only letters, digits, '.', '_' and '-'"
	}
	if s := strings.TrimSpace(f.inputs[fieldPartitions].Value()); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1<<20 {
			f.errs[fieldPartitions] = "a whole number, 1 or more"
		} else {
			spec.Partitions = int32(n)
		}
	}
	if s := strings.TrimSpace(f.inputs[fieldRF].Value()); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 32767 {
			f.errs[fieldRF] = "a whole number, 1 or more (at most the broker count)"
		} else {
			spec.ReplicationFactor = int16(n)
		}
	}
	cfgs, err := parseConfigs(f.inputs[fieldConfigs].Value())
	if err != nil {
		f.errs[fieldConfigs] = err.Error()
	}
	spec.Configs = cfgs
	for _, e := range f.errs {
		if e != "" {
			return spec, false
		}
	}
	return spec, spec.Name != ""
}

// validate is check on submit: it marks required fields and moves the
// focus to the first field in error.
func (f *createForm) validate() (kafka.TopicSpec, bool) {
	f.tried = true
	spec, ok := f.check()
	if !ok {
		for i, e := range f.errs {
			if e != "" {
				f.focused = i
				f.focus()
				break
			}
		}
	}
	return spec, ok
}

// parseConfigs reads "k=v, k=v" (commas or spaces between pairs).
func parseConfigs(s string) (map[string]string, error) {
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
	if len(fields) == 0 {
		return nil, nil
	}
	out := map[string]string{}
	for _, kv := range fields {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, fmt.Errorf("%q is not key=value", kv)
		}
		if _, dup := out[k]; dup {
			return nil, fmt.Errorf("%s is given twice", k)
		}
		out[k] = v
	}
	return out, nil
}

func (f *createForm) view() string {
	th := f.c.Theme
	var b strings.Builder
	b.WriteString(th.OverlayTitle.Render("Create topic") + "\n\n")
	lw := 19
	for i := range f.inputs {
		label := fmt.Sprintf("%-*s", lw, fieldLabels[i])
		if i == f.focused {
			b.WriteString(th.FocusedLabel.Render("› " + label))
		} else {
			b.WriteString(th.Label.Render("  " + label))
		}
		b.WriteString(" " + f.inputs[i].View() + "\n")
		if f.errs[i] != "" {
			b.WriteString(strings.Repeat(" ", lw+3) + th.Error.Render(f.errs[i]) + "\n")
		}
	}
	b.WriteString("\n")
	switch {
	case f.submitting:
		b.WriteString(th.Muted.Render("creating…"))
	case f.err != nil:
		b.WriteString(th.Error.Width(max(20, min(70, f.width-6))).Render(f.err.Error()))
		b.WriteString("\n" + th.Muted.Render("fix and press enter again, or esc to cancel"))
	default:
		b.WriteString(th.Muted.Render("enter next field · ctrl+s or enter on the last creates · esc cancels"))
	}
	return th.Overlay.MaxWidth(max(20, f.width)).Render(b.String())
}
