package views

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
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
	c    *Common
	keys FormKeys
	fields
	tried bool
	submission
	width int
}

func newCreateForm(c *Common) *createForm {
	f := &createForm{c: c, keys: DefaultFormKeys(),
		fields: newFields(c.Theme, "orders", "broker default", "broker default", "cleanup.policy=compact, retention.ms=86400000")}
	f.inputs[fieldName].CharLimit = 249
	return f
}

func (f *createForm) setWidth(w int) {
	f.width = w
	f.setInputWidth(max(10, min(60, w-30)))
}

func (f *createForm) update(msg tea.Msg) tea.Cmd {
	if cmd, moved := stepKey(msg, f.keys, &f.fields); moved {
		return cmd
	}
	cmd := f.feed(msg)
	f.check()
	return cmd
}

var topicNameRE = regexp.MustCompile(`^[a-zA-Z0-9._-]+$`)

// check validates every field, filling errs; empty required fields count
// only once a submit was tried.
func (f *createForm) check() (kafka.TopicSpec, bool) {
	f.clearErrs()
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
		f.focusErr()
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
	f.render(&b, th, fieldLabels[:], 19, 0, nil)
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
